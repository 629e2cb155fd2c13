"""What the field trial found in the console, checked in a real headless Chromium: Arabic reads right to left,
hidden characters in patient text are shown and never applied, long messages fold behind "show all"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import close_services, open_services
from bot.web.app import build_web_app
from tests.conftest import FakeClock, make_settings
from tests.console.browser import chromium_page, needs_chromium
from tests.console.conftest import PASSWORD, add_staff
from tests.console.seed import patient_with_history
from tests.dialogue import ConsolePatient, run_dialogue

pytestmark = needs_chromium

ARABIC = "هل هذا طبيعي؟ أشعر بدوار منذ يومين."
TRICK = "أخذت الجرعة \u202eغير صحيح\u202c اليوم\u200b."
LONG = ("My neighbour's dog barked all night and I could not sleep at all. " * 80)[:5000]


@dataclass
class Site:
    base: str
    english_ref: str
    arabic_ref: str
    services: Any


async def enrol_in_arabic(services: Any, address: str) -> ConsolePatient:
    patient = ConsolePatient(services, address=address)
    await run_dialogue(
        patient,
        [
            ("hello", []),
            ("العربية", []),
            ("نعم", []),
            ("DEMO-OX-2026", []),
            ("القاهرة", []),
            ("٢١:٠٠", "تم تسجيلكم"),
        ],
    )
    return patient


@asynccontextmanager
async def field_site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Site]:
    """The real app with an English SMS patient and an Arabic terminal patient who wrote three messages."""
    from aiohttp.test_utils import TestServer

    services = await open_services(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"), clock=clock)
    english = await patient_with_history(services)
    arabic = await enrol_in_arabic(services, "arabic-1")
    for text in (ARABIC, TRICK, LONG):
        clock.advance(minutes=1)
        await arabic.says(text)
    arabic_ref = arabic.last_outcome.patient_ref
    await add_staff(services, "sam", "support_agent")
    server = TestServer(build_web_app(services), host="127.0.0.1")
    await server.start_server()
    try:
        yield Site(str(server.make_url("/")).rstrip("/"), english, arabic_ref, services)
    finally:
        await server.close()
        await close_services(services)


@pytest.fixture
async def site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Site]:
    async with field_site(tmp_path, clock) as found:
        yield found


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    async with chromium_page() as opened:
        yield opened


async def sign_in(page: Any, base: str, username: str = "sam") -> None:
    await page.goto(base + "/staff/login")
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(base + "/staff/")


async def test_arabic_reads_right_to_left_and_hidden_characters_are_shown_not_applied(
    site: Site, page: Any
) -> None:
    await sign_in(page, site.base)
    await page.goto(f"{site.base}/staff/patients/{site.arabic_ref}/messages")
    arabic = page.locator(".patient-text", has_text="أشعر بدوار").first
    assert await arabic.get_attribute("dir") == "auto"
    assert await arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert await arabic.evaluate("e => getComputedStyle(e).unicodeBidi") == "isolate"
    # The question mark ends the sentence on the left, as Arabic is read: it is left of the first word.
    box = await arabic.evaluate(
        """e => { const r = document.createRange(); const t = e.firstChild; const s = t.textContent;
                  const at = i => { r.setStart(t, i); r.setEnd(t, i + 1);
                                    return r.getBoundingClientRect().left; };
                  return [at(0), at(s.indexOf('؟'))]; }"""
    )
    assert box[1] < box[0]

    trick = page.locator(".patient-text", has_text="أخذت الجرعة").first
    shown = await trick.inner_text()
    assert "[RLO]" in shown and "[PDF]" in shown and "[ZWSP]" in shown
    assert "\u202e" not in shown and "\u200b" not in shown
    assert "غير صحيح" in shown  # the words are still there, in the order they were typed
    marker = trick.locator(".ctl", has_text="[RLO]")
    assert "U+202E" in (await marker.get_attribute("title") or "")


async def test_a_5000_character_message_is_folded_behind_show_all(site: Site, page: Any) -> None:
    await sign_in(page, site.base)
    await page.goto(f"{site.base}/staff/patients/{site.arabic_ref}/messages")
    height = await page.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, f"the page is {height} px tall"
    folded = page.locator("details.folded").first
    summary = await folded.inner_text()
    assert "show all (5,000 characters)" in summary and len(summary) < 800
    await folded.get_by_text("show all").click()
    full = await folded.locator(".patient-text").last.inner_text()
    assert len(full) >= 4990 and full.rstrip().endswith(LONG.rstrip()[-30:])

    await page.goto(f"{site.base}/staff/patients/{site.arabic_ref}")
    assert await page.evaluate("document.documentElement.scrollHeight") < 4000
    assert "[RLO]" in await page.get_by_role("region", name="Timeline").inner_text()


async def test_the_patients_page_lists_pages_and_filters_patients(site: Site, page: Any) -> None:
    await sign_in(page, site.base)
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    listing = page.get_by_role("region", name="All patients")
    text = await listing.inner_text()
    assert site.english_ref in text and site.arabic_ref in text and "2 matching" in text
    # the Arabic patient wrote last, so comes first
    first_row = listing.locator("tbody tr").first
    assert site.arabic_ref in await first_row.inner_text() and "console" in await first_row.inner_text()

    filters = page.get_by_role("form", name="Filter patients")
    await filters.get_by_label("Channel").select_option("sms")
    await filters.get_by_role("button", name="Apply").click()
    text = await page.get_by_role("region", name="All patients").inner_text()
    assert site.english_ref in text and site.arabic_ref not in text and "1 matching" in text

    await page.get_by_role("link", name="Clear").click()
    filters = page.get_by_role("form", name="Filter patients")
    await filters.get_by_label("Program").select_option("ostelix-weekly")
    await filters.get_by_label("Status").select_option("active")
    await filters.get_by_label("Last activity").select_option("1d")
    await filters.get_by_role("button", name="Apply").click()
    text = await page.get_by_role("region", name="All patients").inner_text()
    assert site.arabic_ref in text and site.english_ref not in text

    await filters.get_by_label("Last activity").select_option("quiet30")
    await page.get_by_role("form", name="Filter patients").get_by_role("button", name="Apply").click()
    assert (
        "No patient matches these filters."
        in await page.get_by_role("region", name="All patients").inner_text()
    )

    await page.goto(site.base + "/staff/patients?per=1")
    pager = page.get_by_role("navigation", name="Pages")
    assert "Page 1 of 2" in await pager.inner_text()
    await pager.get_by_role("link", name="Next").click()
    assert "Page 2 of 2" in await page.get_by_role("navigation", name="Pages").inner_text()
    assert site.english_ref in await page.get_by_role("region", name="All patients").inner_text()


async def test_the_content_page_shows_titles_as_patients_read_them(site: Site, page: Any) -> None:
    await sign_in(page, site.base)
    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Content").click()
    table = page.get_by_role("table")
    text = await table.inner_text()
    assert "{brand}" not in text and "{" not in text
    welcome_pt = (
        table.get_by_role("row").filter(has_text="psp-welcome").filter(has=page.locator("td[lang=pt]"))
    )
    cell = await welcome_pt.inner_text()
    assert "Boas-vindas ao seu programa de apoio CardioZen" in cell
    assert "Boas-vindas ao seu programa de apoio Ostelix" in cell
    arabic = table.get_by_role("row").filter(has_text="psp-welcome").filter(has=page.locator("td[lang=ar]"))
    title = arabic.locator(".module-title").first
    assert "مرحبًا بكم في برنامج دعم CardioZen" in await title.inner_text()
    assert await title.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # a title without placeholders is shown once, as written
    missed = (
        table.get_by_role("row").filter(has_text="cz-missed-dose").filter(has=page.locator("td[lang=en]"))
    )
    assert await missed.locator(".module-title").count() == 1
