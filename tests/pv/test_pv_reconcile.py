"""The reconciliation an auditor reads: every escalated message of the day, its case and what became of it,
so nothing can have been dropped without showing."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

from sqlalchemy import select

from bot.cli.pv import reconcile_command
from bot.pv import actions
from bot.storage import queries
from bot.storage.models import Message, PvCaseMessage
from tests.pv.helpers import MILD, MILD_AGAIN, NEUTRAL, SERIOUS, PvPatient, cases_of

DAY = date(2026, 3, 2)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


async def _mixed_day(services, clock) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Four cases on 2 March: forwarded on time, closed, never handled, forwarded late; one message
    dropped."""
    patients = {name: PvPatient(services, address=name) for name in ("ana", "ben", "cai", "dee")}
    plan = [
        (_at(2, 9), "ana", MILD),
        (_at(2, 9, 30), "ben", MILD),
        (_at(2, 10), "cai", SERIOUS),
        (_at(2, 10, 30), "ana", NEUTRAL),
        (_at(2, 11), "dee", MILD),
        (_at(2, 12), "ana", MILD_AGAIN),
    ]
    for when, name, text in plan:
        clock.now = when
        await patients[name].says(text)
    case = {name: (await cases_of(services, (await p.row()).id))[0].id for name, p in patients.items()}
    async with services.sessions() as session, session.begin():
        await actions.mark_forwarded(session, case["ana"], "officer.ana", "SDB-2026-000101", now=_at(2, 15))
        await actions.close_not_adverse_event(
            session, case["ben"], "officer.ana", "not_adverse_event", "Asked about storage", now=_at(2, 16)
        )
        await actions.mark_forwarded(
            session, case["dee"], "officer.ana", "SDB-2026-000102", now=_at(3, 11, 30)
        )
        # A message that should have escalated but reached no case (the kind of loss this report
        # exists to show).
        ben = await queries.find_address(session, "console", "ben")
        assert ben is not None
        await queries.store_inbound(
            session,
            channel="console",
            address=ben,
            text="now I vomit and have a rash",
            option=None,
            external_id="lost-1",
            received_at=_at(2, 18),
        )
    clock.now = _at(4, 9)
    await patients["ana"].says(MILD)  # another day: not in the report
    clock.now = _at(3, 12)
    return case


async def test_a_mixed_day_lists_every_escalated_message(services, clock) -> None:  # type: ignore[no-untyped-def]
    case = await _mixed_day(services, clock)
    out = io.StringIO()
    assert await reconcile_command(services, DAY, DAY, as_json=True, out=out) == 1  # problems: exit status 1
    report = json.loads(out.getvalue())
    async with services.sessions() as session:
        linked = (
            await session.scalars(
                select(PvCaseMessage.message_id)
                .join(Message, Message.id == PvCaseMessage.message_id)
                .where(Message.created_at >= _at(2, 0), Message.created_at < _at(3, 0))
            )
        ).all()
    assert sorted(m["message_id"] for m in report["messages"]) == sorted(linked) and len(linked) == 5
    outcomes = {
        c["case_ref"]: (c["outcome"], c["forwarded_reference"] or c["closed_reason"], c["messages_in_period"])
        for c in report["cases"]
    }
    assert outcomes == {
        f"PV-{case['ana']:06d}": ("forwarded", "SDB-2026-000101", 2),
        f"PV-{case['ben']:06d}": ("closed", "not_adverse_event", 1),
        f"PV-{case['cai']:06d}": ("OVERDUE", None, 1),
        f"PV-{case['dee']:06d}": ("forwarded_late", "SDB-2026-000102", 1),
    }
    [lost] = report["unlinked"]
    assert lost["received_at"].startswith("2026-03-02T18:00") and lost["evidence"]
    assert report["totals"] == {
        "escalated_messages": 5,
        "cases": 4,
        "forwarded": 1,
        "forwarded_late": 1,
        "closed": 1,
        "closed_late": 0,
        "open": 0,
        "overdue": 1,
        "unlinked_messages": 1,
    }
    assert report["problems"] is True


async def test_the_text_report_names_every_case_and_flags_the_overdue_one(services, clock) -> None:  # type: ignore[no-untyped-def]
    case = await _mixed_day(services, clock)
    out = io.StringIO()
    await reconcile_command(services, DAY, DAY, as_json=False, out=out)
    text = out.getvalue()
    for case_id in case.values():
        assert f"PV-{case_id:06d}" in text
    assert "OVERDUE" in text and "SDB-2026-000102" in text and "ATTENTION" in text
    assert "Escalated messages: 5" in text and "linked to no case: 1" in text


async def test_a_clean_day_exits_zero(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.says(MILD)
    [case] = await cases_of(services, (await patient.row()).id)
    async with services.sessions() as session, session.begin():
        await actions.mark_forwarded(session, case.id, "officer.ana", "SDB-1", now=clock.advance(hours=2))
    out = io.StringIO()
    assert await reconcile_command(services, DAY, DAY, as_json=False, out=out) == 0
    assert "ATTENTION" not in out.getvalue()
