"""An escalated message becomes a PV case whatever the conversation state, and the patient is told what
happens next (and, when it sounds serious, to get care now with their own country's emergency number)."""

from __future__ import annotations

from datetime import timedelta

from bot.pv.cases import load_case, minimum_criteria
from bot.storage import queries
from tests.pv.helpers import MILD, SERIOUS, PvPatient, cases_of, linked_message_ids


async def test_escalation_during_enrolment_opens_a_case_and_enrolment_carries_on(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.says("hi")
    await patient.says("English")
    received_at = clock.now
    replies = await patient.says(MILD)  # instead of answering the consent question
    assert "drug safety team will review your message" in replies[0]
    assert "Do you agree?" in replies[-1]  # the consent question again, not counted as a wrong answer
    assert not any("did not understand" in r for r in replies)
    row = await patient.row()
    [case] = await cases_of(services, row.id)
    assert (case.opened_at, case.due_at) == (received_at, received_at + timedelta(hours=24))
    assert case.product is None and case.status == "open"  # no enrolment code yet
    async with services.sessions() as session:
        messages = await queries.messages_of(session, row.id)
    linked = await linked_message_ids(services, case.id)
    assert [m.body for m in messages if m.id in linked] == [MILD]  # the verbatim text, linked
    # Enrolment goes on; once the patient gives a code the case knows the suspect product.
    await patient.says("yes")
    await patient.says("DEMO-CZ-2026")
    async with services.sessions() as session:
        record = await load_case(session, case.id)
    assert record is not None
    assert (record.product, record.product_source) == ("CardioZen", "program")
    assert minimum_criteria(record) == {"patient": "met", "reporter": "met", "product": "met", "event": "met"}


async def test_escalation_in_answer_to_the_menu(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    replies = await patient.says(MILD)
    assert len(replies) == 2
    # A London patient (the time zone tells the country): the UK's number, not a generic 112.
    assert "drug safety team will review your message" in replies[0] and "999" in replies[0]
    assert "When did it start?" in replies[1]  # the first follow-up question, not "I did not understand"
    assert [o["key"] for o in patient.last_options][:2] == ["pv:onset:today", "pv:onset:yesterday"]
    row = await patient.row()
    [case] = await cases_of(services, row.id)
    assert (case.product, case.program_id, case.kind, case.serious) == (
        "CardioZen",
        "cardiozen-daily",
        "adverse_event",
        False,
    )
    assert patient.last_outcome.escalated


async def test_serious_cue_gets_emergency_advice_with_the_sms_patients_own_number(services) -> None:  # type: ignore[no-untyped-def]
    # Their very first message: nothing is known yet but the phone number, and that is enough.
    for number, emergency in (("+442079460000", "999"), ("+14155552671", "911")):
        patient = PvPatient(services, address=number, channel_name="sms")
        replies = await patient.says(SERIOUS)
        assert f"Please call {emergency} or go to the nearest emergency department now" in replies[0], replies
        [case] = await cases_of(services, (await patient.row()).id)
        assert case.serious


async def test_serious_cue_from_an_enrolled_sms_patient(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services, address="+442079460000", channel_name="sms")
    await patient.says("hi")
    await patient.says("1")  # English
    await patient.says("yes")
    await patient.says("DEMO-CZ-2026")
    await patient.says("yes")  # London, as the number suggests
    await patient.says("9:00")
    row = await patient.row()
    assert (row.status, row.country) == ("active", "GB")
    replies = await patient.says(SERIOUS)
    assert "Please call 999" in replies[0]
    assert "When did it start?" in replies[1]


async def test_a_patient_who_said_stop_is_still_heard_but_not_written_to(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says("STOP")
    assert await patient.says(SERIOUS) == []
    [case] = await cases_of(services, (await patient.row()).id)
    assert case.serious and case.status == "open"
