"""Messages about one event are one case: within 72 hours of the case's last message they join it."""

from __future__ import annotations

from datetime import timedelta

from bot.pv import actions, store
from tests.pv.helpers import MILD, MILD_AGAIN, SERIOUS, PvPatient, cases_of, linked_message_ids


async def test_ten_hours_apart_is_one_case_eighty_hours_apart_is_two(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    first_at = clock.now
    await patient.says(MILD)
    await patient.says("MENU")  # skip the follow-up questions
    clock.advance(hours=10)
    await patient.says(MILD_AGAIN)
    row = await patient.row()
    [case] = await cases_of(services, row.id)
    assert len(await linked_message_ids(services, case.id)) == 2
    assert case.opened_at == first_at and case.due_at == first_at + timedelta(hours=24)  # day zero stays
    assert case.last_message_at == clock.now

    clock.advance(hours=80)
    await patient.says(MILD)
    first, second = await cases_of(services, row.id)
    assert first.id == case.id and len(await linked_message_ids(services, first.id)) == 2
    assert second.opened_at == clock.now and len(await linked_message_ids(services, second.id)) == 1


async def test_seriousness_only_rises_when_messages_join_a_case(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    row = await patient.row()
    assert [c.serious for c in await cases_of(services, row.id)] == [False]
    clock.advance(hours=2)
    await patient.says(SERIOUS)
    assert [c.serious for c in await cases_of(services, row.id)] == [True]
    clock.advance(hours=2)
    await patient.says(MILD_AGAIN)
    assert [c.serious for c in await cases_of(services, row.id)] == [True]


async def test_a_message_after_the_case_was_forwarded_opens_a_new_case(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    row = await patient.row()
    [case] = await cases_of(services, row.id)
    async with services.sessions() as session, session.begin():
        await actions.mark_forwarded(session, case.id, "officer.ana", "SDB-2026-0001", now=clock.now)
    clock.advance(hours=3)
    await patient.says(MILD_AGAIN)
    first, second = await cases_of(services, row.id)
    assert (first.status, second.status) == ("forwarded", "open")
    assert second.due_at == clock.now + timedelta(hours=24)


async def test_open_or_extend_records_the_case_history(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    await patient.says("MENU")
    clock.advance(hours=1)
    await patient.says(SERIOUS)
    [case] = await cases_of(services, (await patient.row()).id)
    async with services.sessions() as session:
        events = await store.case_events(session, case.id)
    assert [(e.actor, e.action) for e in events] == [("system", "opened"), ("system", "message_added")]
    assert store.event_detail(events[1])["serious_raised"] is True
