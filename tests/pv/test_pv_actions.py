"""What a PV officer does to a case: each action changes the case and leaves an entry in its history;
refusals (no reason, wrong status) change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.pv import actions, store
from bot.pv.actions import CaseActionError
from bot.pv.cases import CaseMessage, CaseRecord, is_valid_report, load_case, minimum_criteria
from bot.storage import audit, queries
from bot.storage.models import OutboxItem, SupportTask
from bot.storage.models.staff import AuditEntry
from scheduler import pv_jobs
from tests.pv.helpers import MILD, PvPatient, cases_of


async def _case_id(services, patient: PvPatient) -> int:  # type: ignore[no-untyped-def]
    await patient.enrol()
    await patient.says(MILD)
    await patient.says("MENU")
    [case] = await cases_of(services, (await patient.row()).id)
    return case.id


async def _history(services, case_id: int) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def, type-arg]
    async with services.sessions() as session:
        return [(e.actor, e.action, store.event_detail(e)) for e in await store.case_events(session, case_id)]


async def test_every_case_action_is_recorded_with_who_and_what(services, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = await _case_id(services, PvPatient(services))
    clock.advance(hours=1)
    async with services.sessions() as session, session.begin():
        await actions.assign(session, case_id, "lead.kim", "officer.ana", now=clock.now)
        await actions.add_note(
            session, case_id, "officer.ana", "Called the patient: headache since Monday.", now=clock.now
        )
        await actions.set_seriousness(
            session,
            case_id,
            "officer.ana",
            True,
            "Admitted overnight per follow-up call",
            criteria=["hospitalisation"],
            now=clock.now,
        )
        await actions.mark_forwarded(session, case_id, "officer.ana", "SDB-2026-000123", now=clock.now)
    history = await _history(services, case_id)
    assert [(actor, action) for actor, action, _ in history] == [
        ("system", "opened"),
        ("lead.kim", "assigned"),
        ("officer.ana", "note"),
        ("officer.ana", "seriousness_set"),
        ("officer.ana", "forwarded"),
    ]
    assert history[1][2] == {"from": None, "to": "officer.ana"}
    assert history[2][2]["text"] == "Called the patient: headache since Monday."
    assert history[3][2]["reason"] == "Admitted overnight per follow-up call"
    assert history[4][2] == {"reference": "SDB-2026-000123", "late": False}
    async with services.sessions() as session:
        record = await load_case(session, case_id)
    assert record is not None
    assert (record.status, record.assigned_to, record.serious, record.seriousness_criteria) == (
        "forwarded",
        "officer.ana",
        True,
        ("hospitalisation",),
    )
    assert (record.forwarded_reference, record.forwarded_at) == ("SDB-2026-000123", clock.now)
    # The staff audit log has the same four changes, with codes only (it can never be erased).
    async with services.sessions() as session:
        entries = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.target == f"pv_case:{case_id}").order_by(AuditEntry.id)
            )
        ).all()
        chain = await audit.verify(session)
    assert [(e.actor, e.action) for e in entries] == [
        ("lead.kim", "pv.case.assigned"),
        ("officer.ana", "pv.case.note"),
        ("officer.ana", "pv.case.seriousness_set"),
        ("officer.ana", "pv.case.forwarded"),
    ]
    assert entries[2].detail == {
        "case": f"PV-{case_id:06d}",
        "serious": True,
        "criteria": ["hospitalisation"],
    }
    assert "headache" not in str([e.detail for e in entries]) and "Admitted" not in str(
        [e.detail for e in entries]
    )
    assert chain.ok


REFUSED_CLOSINGS = [  # (reason code, explanation, what the officer is told)
    ("", "The patient asked about the delivery date", "a reason for closing is required"),
    ("not_adverse_event", "   ", "an explanation of the closing reason is required"),
    ("no_idea", "whatever", "is not a closing reason"),
]


async def test_closing_without_a_reason_is_refused(services, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = await _case_id(services, PvPatient(services))
    for reason, explanation, message in REFUSED_CLOSINGS:
        async with services.sessions() as session, session.begin():
            with pytest.raises(CaseActionError, match=message):
                await actions.close_not_adverse_event(
                    session, case_id, "officer.ana", reason, explanation, now=clock.now
                )
    async with services.sessions() as session:
        case = await store.get_case(session, case_id)
    assert case is not None and (case.status, case.closed_reason) == ("open", None)
    assert [action for _, action, _ in await _history(services, case_id)] == ["opened"]


async def test_closing_with_a_reason_stops_the_clock_and_resolves_the_deadline_task(services, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = await _case_id(services, PvPatient(services))
    clock.advance(hours=21)
    assert len(await pv_jobs.sweep_deadlines(services.sessions, clock.now)) == 1
    async with services.sessions() as session, session.begin():
        await actions.close_not_adverse_event(
            session,
            case_id,
            "officer.ana",
            "not_adverse_event",
            "Headache predates treatment (patient call)",
            now=clock.now,
        )
        with pytest.raises(CaseActionError, match="is closed: it cannot be forwarded"):
            await actions.mark_forwarded(session, case_id, "officer.ana", "SDB-1", now=clock.now)
    async with services.sessions() as session:
        case = await store.get_case(session, case_id)
        [task] = (await session.scalars(select(SupportTask).where(SupportTask.kind == "pv_deadline"))).all()
    assert case is not None and (case.status, case.closed_reason, case.closed_at) == (
        "closed",
        "not_adverse_event",
        clock.now,
    )
    assert (task.status, task.resolved_at) == ("resolved", clock.now)
    clock.advance(hours=5)
    assert await pv_jobs.sweep_deadlines(services.sessions, clock.now) == []  # a closed case is never overdue


REFUSED_SERIOUSNESS = [  # (serious, reason, criteria, what the officer is told)
    (False, "", [], "a reason for the seriousness is required"),
    (True, "Hospitalised", [], "needs at least one seriousness criterion"),
    (True, "Hospitalised", ["hospital"], "unknown seriousness criteria"),
    (False, "Mild, resolved", ["death"], "only to a serious case"),
]


async def test_seriousness_needs_a_reason_and_valid_criteria(services, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = await _case_id(services, PvPatient(services))
    for serious, reason, criteria, message in REFUSED_SERIOUSNESS:
        async with services.sessions() as session, session.begin():
            with pytest.raises(CaseActionError, match=message):
                await actions.set_seriousness(
                    session, case_id, "officer.ana", serious, reason, criteria=criteria, now=clock.now
                )
    assert [action for _, action, _ in await _history(services, case_id)] == ["opened"]


async def test_an_officer_can_lower_the_screening_suggestion_with_a_reason(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says("I was taken to hospital last night, I could not breathe after the tablet")
    [case] = await cases_of(services, (await patient.row()).id)
    assert case.serious
    async with services.sessions() as session, session.begin():
        await actions.set_seriousness(
            session, case.id, "officer.ana", False, "Visited a friend in hospital; no event", now=clock.now
        )
    [case] = await cases_of(services, case.patient_id)
    assert not case.serious
    assert (await _history(services, case.id))[-1][2]["from"] == {"serious": True, "criteria": []}


async def test_an_approved_question_sent_by_an_officer_is_answered_into_the_case(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    case_id = await _case_id(services, patient)
    async with services.sessions() as session, session.begin():
        with pytest.raises(CaseActionError, match="not an approved question"):
            await actions.send_followup_question(
                session, case_id, "officer.ana", "how_are_you", now=clock.now
            )
        item = await actions.send_followup_question(session, case_id, "officer.ana", "care", now=clock.now)
    async with services.sessions() as session:
        sent = await session.get(OutboxItem, item.id)
    assert sent is not None and [o["key"] for o in sent.options] == [
        "pv:care:no",
        "pv:care:doctor",
        "pv:care:hospital",
    ]
    await patient.dispatcher.drain()
    assert patient.received[-1].startswith("Did you see a doctor or go to hospital because of it?")
    replies = await patient.says("2")
    assert replies[0] == "Thank you. Your answers have been added to your report."
    patient_id = (await patient.row()).id
    async with services.sessions() as session:
        [answer] = await store.case_answers(session, case_id)
        state = await queries.get_state(session, patient_id)
    assert (answer.question, answer.answer, answer.option) == ("care", "2", "pv:care:doctor")
    assert state is None  # one question asked, one answered: nothing more
    assert [a for _, a, _ in await _history(services, case_id)][-2:] == ["followup_sent", "followup_answered"]


async def test_no_question_goes_to_a_patient_who_opted_out(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    case_id = await _case_id(services, patient)
    await patient.says("STOP")
    async with services.sessions() as session, session.begin():
        with pytest.raises(CaseActionError, match="not enrolled"):
            await actions.send_followup_question(session, case_id, "officer.ana", "onset", now=clock.now)


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COMPLETE = CaseRecord(
    id=1,
    ref="PV-000001",
    status="open",
    kind="adverse_event",
    situations=(),
    serious=False,
    seriousness_criteria=(),
    opened_at=NOW,
    due_at=NOW + timedelta(hours=24),
    last_message_at=NOW,
    assigned_to=None,
    forwarded_reference=None,
    forwarded_at=None,
    closed_reason=None,
    closed_at=None,
    program_id="cardiozen-daily",
    product="CardioZen",
    product_source="report",
    patient_id=1,
    patient_ref="PSP-000001",
    patient_locale="en",
    patient_country=None,
    reporter_channels=("telegram",),
    messages=(CaseMessage(1, NOW, "telegram", "rash on my arms", ("rash",)),),
    answers=(),
    events=(),
)


@pytest.mark.parametrize(
    ("case", "missing"),
    [
        (COMPLETE, []),
        (replace(COMPLETE, product=None, product_source=None), ["product"]),
        (replace(COMPLETE, patient_ref=None), ["patient"]),
        (replace(COMPLETE, reporter_channels=()), ["reporter"]),
        (replace(COMPLETE, messages=(CaseMessage(1, NOW, "sms", "  ", ()),)), ["event"]),
        (replace(COMPLETE, messages=(), product=None), ["product", "event"]),
    ],
)
def test_minimum_criteria(case: CaseRecord, missing: list[str]) -> None:
    criteria = minimum_criteria(case)
    assert set(criteria) == {"patient", "reporter", "product", "event"}
    assert [name for name, value in criteria.items() if value == "missing"] == missing
    assert is_valid_report(criteria) == (not missing)
