"""The PV queue in the staff console: order and countdown, an officer's work on a case, refusals, who may
act."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from bot.storage.models import PvCase
from bot.storage.models.staff import AuditEntry
from tests.console.conftest import Console, add_staff, visible
from tests.console.seed import SIDE_EFFECT, SmsPatient, patient_with_history

LATE_REPORT = "The new tablets gave me a terrible rash <b>all over</b>"


async def _cases(console: Console) -> str:
    """Case 1 (enrolled patient, opened first: overdue by the end), case 2 (a first-time texter, later)."""
    services = console.services
    ref = await patient_with_history(services)
    services.clock.advance(hours=25)
    stranger = SmsPatient(services, address="+447700900123", channel_name="sms")
    await stranger.says(LATE_REPORT)
    services.clock.advance(hours=1, minutes=48)
    for name, role in (("pat", "pv_officer"), ("sam", "support_agent"), ("ana", "analyst")):
        await add_staff(services, name, role)
    return ref


async def _audit(services: Any, target: str) -> list[tuple[str, str]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.action)
            .where(AuditEntry.target == target)
            .order_by(AuditEntry.id)
        )
        return [(a, b) for a, b in rows.all()]


async def test_the_queue_puts_overdue_cases_first_with_a_countdown(console: Console) -> None:
    await _cases(console)
    async with console.services.sessions() as session:
        assert len((await session.scalars(select(PvCase))).all()) == 2
    await console.sign_in("pat")
    queue = visible(await (await console.get("/staff/pv")).text())
    first, second = queue.index("#1 "), queue.index("#2 ")
    assert first < second, "the overdue case comes first"
    assert re.search(r"#1 .*overdue by 2 h \d+ min", queue), queue
    assert "due in 22 h 12 min" in queue
    nothing = visible(await (await console.get("/staff/pv", params={"status": "forwarded"})).text())
    assert "0 forwarded cases" in nothing and "No case matches" in nothing
    mine = visible(await (await console.get("/staff/pv", params={"mine": "1"})).text())
    assert "0 open cases" in mine


async def test_an_officer_assigns_notes_and_forwards_and_the_case_leaves_the_open_queue(
    console: Console,
) -> None:
    await _cases(console)
    await console.sign_in("pat")
    page = "/staff/pv/cases/1"
    assigned = await console.submit(f"{page}/assign", {"to_me": "1"}, page=page)
    assert (assigned.status, assigned.headers["Location"]) == (303, f"{page}?notice=assigned")
    unknown = await console.submit(f"{page}/assign", {"assignee": "nobody-here"}, page=page)
    assert unknown.status == 400 and "not an active staff member" in visible(await unknown.text())
    mine = visible(await (await console.get("/staff/pv", params={"mine": "1"})).text())
    assert "1 open case" in mine and "#1 " in mine
    assert (
        await console.submit(f"{page}/note", {"note": "Called the patient, rash resolved"}, page=page)
    ).status == 303
    forwarded = await console.submit(f"{page}/forward", {"reference": "ARGUS-2026-0042"}, page=page)
    assert forwarded.headers["Location"] == f"{page}?notice=forwarded"
    shown = visible(await (await console.get(f"{page}?notice=forwarded")).text())
    assert (
        "Case marked as forwarded." in shown
        and "ARGUS-2026-0042" in shown
        and "Called the patient, rash resolved" in shown
    )
    assert "forwarded" in shown and "Mark forwarded" not in shown
    open_queue = visible(await (await console.get("/staff/pv")).text())
    assert "#1 " not in open_queue and "#2 " in open_queue
    done = visible(await (await console.get("/staff/pv", params={"status": "forwarded"})).text())
    assert "#1 " in done
    changes = [e for e in await _audit(console.services, "pv_case:1") if e[1] != "pv.case.view"]
    assert changes == [("pat", "pv.case.assigned"), ("pat", "pv.case.note"), ("pat", "pv.case.forwarded")]


async def test_closing_without_a_reason_is_refused_with_a_message(console: Console) -> None:
    await _cases(console)
    await console.sign_in("pat")
    page = "/staff/pv/cases/2"
    refused = await console.submit(f"{page}/close", {"reason": "", "explanation": "spam"}, page=page)
    assert refused.status == 400
    assert "Not done: a reason for closing is required." in visible(await refused.text())
    no_explanation = await console.submit(
        f"{page}/close", {"reason": "duplicate", "explanation": " "}, page=page
    )
    assert no_explanation.status == 400 and "explanation" in visible(await no_explanation.text())
    serious = await console.submit(
        f"{page}/seriousness", {"serious": "yes", "reason": "rash everywhere"}, page=page
    )
    assert serious.status == 400 and "at least one seriousness criterion" in visible(await serious.text())
    async with console.services.sessions() as session:
        case = await session.get(PvCase, 2)
    assert case is not None and case.status == "open" and not case.serious
    assert [e for e in await _audit(console.services, "pv_case:2") if e[1] != "pv.case.view"] == []
    closed = await console.submit(
        f"{page}/close", {"reason": "duplicate", "explanation": "Same as PV-000001"}, page=page
    )
    assert closed.headers["Location"] == f"{page}?notice=closed"


async def test_a_support_agent_reads_the_case_but_cannot_act(console: Console) -> None:
    await _cases(console)
    await console.sign_in("sam")
    page = "/staff/pv/cases/1"
    html = await (await console.get(page)).text()
    assert "Case history" in html and "Minimum criteria" in html
    assert "/staff/pv/cases/1/forward" not in html and "Work on the case" not in html
    for action, data in (
        ("forward", {"reference": "X-1"}),
        ("note", {"note": "hi"}),
        ("assign", {"to_me": "1"}),
    ):
        assert (await console.submit(f"{page}/{action}", data, page=page)).status == 403
    await console.sign_out()
    await console.sign_in("ana")
    assert (await console.get(page)).status == 403


async def test_evidence_is_highlighted_and_the_text_escaped(console: Console) -> None:
    await _cases(console)
    await console.sign_in("pat")
    one = await (await console.get("/staff/pv/cases/1")).text()
    assert SIDE_EFFECT in visible(one) and re.search(r"<mark>[^<]*headache[^<]*</mark>", one)
    two = await (await console.get("/staff/pv/cases/2")).text()
    assert "<mark>rash</mark>" in two or re.search(r"<mark>[^<]*rash[^<]*</mark>", two)
    assert "<b>all over</b>" not in two and "&lt;b&gt;all over&lt;/b&gt;" in two
    criteria = visible(one)
    for label in (
        "Identifiable patient: met",
        "Identifiable reporter: met",
        "Suspect product: met",
        "Adverse event described: met",
    ):
        assert label in criteria
    assert "Suspect product: missing" in visible(two), "no enrolment code yet: no product"


async def test_an_approved_question_is_sent_and_an_unknown_one_refused(console: Console) -> None:
    await _cases(console)
    await console.sign_in("pat")
    page = "/staff/pv/cases/1"
    sent = await console.submit(f"{page}/question", {"question": "onset"}, page=page)
    assert sent.headers["Location"] == f"{page}?notice=question-sent"
    assert (await console.submit(f"{page}/question", {"question": "how-are-you"}, page=page)).status == 400
    unenrolled = await console.submit(
        "/staff/pv/cases/2/question", {"question": "onset"}, page="/staff/pv/cases/2"
    )
    assert unenrolled.status == 400 and "not enrolled" in visible(await unenrolled.text())
    history = visible(await (await console.get(page)).text())
    assert "followup sent" in history and "question: onset" in history
