"""/staff/dashboard: an analyst reads the program's figures (small groups hidden) and downloads the
exports."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from sqlalchemy import select

from bot.analytics.schemas import SCHEMAS
from bot.storage.models.staff import AuditEntry
from tests.console.conftest import Console, add_staff, visible

QUARTER = "/staff/dashboard?from=2026-01-01&to=2026-03-31"
CARDIOZEN = "/staff/dashboard?program=cardiozen-daily&from=2026-01-01&to=2026-03-31"
HIDDEN = "suppressed (fewer than 5)"


async def _signed_in(console: Console, username: str, role: str) -> None:
    await add_staff(console.services, username, role)
    assert (await console.sign_in(username)).status == 303


async def test_an_analyst_sees_adherence_the_80_percent_line_and_the_funnel(
    console: Console, quarter: None
) -> None:
    await _signed_in(console, "ana", "analyst")
    response = await console.get(QUARTER)
    assert response.status == 200
    html = await response.text()
    text = visible(html)
    assert "10 subjects measured" in text and "50% adherent (PDC ≥ 0.8)" in text
    # The PDC histogram: a dashed threshold line at 0.8 of the x axis, labelled.
    assert re.search(r'<line class="threshold" x1="(\d+\.\d)" y1="[\d.]+" x2="\1"', html), (
        "a vertical threshold line"
    )
    assert "PDC 0.8 (80%)" in text
    assert "PDC Subjects 0.0–0.1 5 0.1–0.2 0" in text and "0.9–1.0 5" in text
    # The funnel, as numbers a reader can check: 13 started (3 never chose a program), 10 consented and
    # enrolled.
    assert "Started a conversation 13 100% Gave consent 10 77% Enrolled 10 77%" in text
    assert "Opted out since enrolling: 0%" in text
    # Adherence by month: mean PDC 50% each month; February's doses all taken by the five who had any.
    assert "2026-01 10 50% 0 —" in text and "2026-02 10 50% 5 100%" in text
    assert '<svg class="chart"' in html and "<script" not in html


async def test_a_group_of_fewer_than_five_is_shown_as_suppressed(console: Console, quarter: None) -> None:
    await _signed_in(console, "ana", "analyst")
    text = visible(await (await console.get(QUARTER)).text())
    channels = text[text.index("Channel Subjects Share") :]
    assert channels.startswith(f"Channel Subjects Share sms {HIDDEN} {HIDDEN} telegram 7 70%")


async def test_filters_narrow_the_program_and_bad_dates_are_explained(
    console: Console, quarter: None
) -> None:
    await _signed_in(console, "ana", "analyst")
    cardiozen = visible(await (await console.get(CARDIOZEN)).text())
    assert "10 subjects measured" in cardiozen and "Started a conversation 10 100%" in cardiozen
    other = visible(await (await console.get("/staff/dashboard?program=ostelix-weekly&to=2026-03-31")).text())
    assert "0 subjects measured" in other and "No subject measured in this window." in other
    bad = await console.get("/staff/dashboard?from=2026-03-31&to=2026-01-01")
    assert bad.status == 400
    assert "From 2026-03-31 is after to 2026-01-01." in visible(await bad.text())


async def test_support_agents_neither_see_nor_open_the_dashboard(console: Console, quarter: None) -> None:
    await _signed_in(console, "sam", "support_agent")
    home = await (await console.get("/staff/")).text()
    assert 'href="/staff/dashboard"' not in home
    assert (await console.get("/staff/dashboard")).status == 403
    assert (await console.get("/staff/exports/adherence.csv")).status == 403


async def test_the_download_link_gives_the_csv_and_is_audited(console: Console, quarter: None) -> None:
    await _signed_in(console, "ana", "analyst")
    html = await (await console.get(CARDIOZEN)).text()
    assert 'href="/staff/dashboard" aria-current="page"' in html, "the dashboard is in the navigation"
    link = unescape(re.search(r'href="(/staff/exports/doses\.csv[^"]*)"', html).group(1))  # type: ignore[union-attr]
    assert link == "/staff/exports/doses.csv?program=cardiozen-daily&from=2026-01-01&to=2026-03-31"
    response = await console.get(link)
    assert response.status == 200
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="cardiozen-daily_doses_2026-01-01_2026-03-31.csv"'
    )
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    rows = list(csv.DictReader(io.StringIO(await response.text(), newline="")))
    assert tuple(rows[0]) == SCHEMAS["doses"].names
    assert sorted(row["status"] for row in rows) == ["taken"] * 10
    async with console.services.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "export.download"))
    assert entry is not None and (entry.actor, entry.target) == ("ana", "export:doses")
    assert entry.detail == {
        "format": "csv",
        "from": "2026-01-01",
        "to": "2026-03-31",
        "program": "cardiozen-daily",
    }
    parquet = await console.get("/staff/exports/doses.parquet?to=2026-03-31")
    assert parquet.status == 200 and parquet.headers["Content-Type"] == "application/vnd.apache.parquet"
    wrong = await console.get("/staff/exports/doses.xlsx")
    assert wrong.status == 404 and "The exports are adherence.csv, adherence.parquet," in visible(
        await wrong.text()
    )
    bad_dates = await console.get("/staff/exports/doses.csv?from=2026-04-15")
    assert bad_dates.status == 400
    assert "From 2026-04-15 is after the last complete day (2026-04-14)." in visible(await bad_dates.text())
