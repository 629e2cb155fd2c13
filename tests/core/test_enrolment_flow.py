"""Enrolment through the console channel, on a real database (SQLite file and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select

from bot.enrolment.rules import CONSENT_VERSION
from bot.storage import queries
from bot.storage.models import Consent, Message, OutboxItem, Patient
from tests.dialogue import ConsolePatient, run_dialogue


async def _patient_row(services, address: str = "patient-1") -> Patient:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        found = await queries.find_address(session, "console", address)
        assert found is not None
        patient = await queries.get_patient(session, found.patient_id)
        assert patient is not None
        return patient


async def test_english_enrolment_records_every_answer(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    await run_dialogue(
        patient,
        [
            ("hi", ["choose your language", "Español", "العربية"]),
            ("1", "Do you agree?"),
            ("yes", "enrolment code"),
            ("DEMO-CZ-2026", "time zone"),
            ("Los Angeles", "what time"),
            ("8:30 pm", ["You are enrolled", "8:30 PM", "Los Angeles", "What would you like to do?"]),
        ],
    )
    row = await _patient_row(services)
    assert row.status == "active"
    assert row.locale == "en"
    assert row.program_id == "cardiozen-daily"
    assert row.timezone == "America/Los_Angeles"
    assert row.reminder_times == ["20:30"]
    assert row.patient_ref == f"PSP-{row.id:06d}"
    async with services.sessions() as session:
        consents = await queries.consents_of(session, row.id)
    assert [(c.granted, c.text_version, c.verbatim, c.channel) for c in consents] == [
        (True, CONSENT_VERSION, "yes", "console")
    ]


async def test_typos_numbers_and_back_are_understood(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    await run_dialogue(
        patient,
        [
            ("hello", "choose your language"),
            ("englsh", "Do you agree?"),
            ("1", "enrolment code"),
            ("demo cz 2026", "time zone"),
            ("back", "enrolment code"),
            ("demo-cz-2026", "time zone"),
            ("madrid", "what time"),
            ("1", "You are enrolled"),  # option 1 (09:00), not one o'clock
        ],
    )
    row = await _patient_row(services)
    assert (row.timezone, row.reminder_times, row.status) == ("Europe/Madrid", ["09:00"], "active")


async def test_wrong_code_is_reasked_then_help_is_offered(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    await run_dialogue(patient, [("hi", "language"), ("English", "agree"), ("yes", "code")])
    assert "not valid" in (await patient.says("XYZ"))[0]
    await patient.says("ABC")
    third = "\n".join(await patient.says("nope123"))
    assert "not valid" in third and "call +1 555 0100" in third
    row = await _patient_row(services)
    assert row.status == "enrolling" and row.program_id is None


async def test_declining_consent_records_the_decline_and_sends_nothing_more(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    await run_dialogue(patient, [("hi", "language"), ("2", "¿Está de acuerdo?")])
    replies = await patient.says("no")
    assert len(replies) == 1 and "EMPEZAR" in replies[0]
    assert await patient.says("hello?") == []
    assert await patient.says("menu") == []
    row = await _patient_row(services)
    assert row.status == "declined"
    async with services.sessions() as session:
        consents = await queries.consents_of(session, row.id)
        inbound = (await session.scalars(select(Message).where(Message.direction == "in"))).all()
    assert [(c.granted, c.verbatim) for c in consents] == [(False, "no")]
    assert [m.body for m in inbound][-2:] == ["hello?", "menu"]  # stored, not answered


async def test_restart_in_the_middle_of_enrolment_resumes_at_the_same_step(database_url, clock) -> None:  # type: ignore[no-untyped-def]
    from bot.app import close_services, open_services
    from tests.conftest import make_settings

    first = await open_services(make_settings(database_url), clock=clock)
    patient = ConsolePatient(first)
    await run_dialogue(patient, [("hi", "language"), ("English", "agree"), ("yes", "code")])
    await close_services(first)

    second = await open_services(make_settings(database_url), clock=clock)
    try:
        patient = ConsolePatient(second)
        await run_dialogue(
            patient, [("DEMO-CZ-2026", "time zone"), ("Tokyo", "what time"), ("07:00", "You are enrolled")]
        )
        row = await _patient_row(second)
        assert (row.status, row.timezone) == ("active", "Asia/Tokyo")
    finally:
        await close_services(second)


async def test_redelivered_message_is_stored_once_and_answered_once(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    first = await patient.says("hi", external_id="dup-1")
    again = await patient.says("hi", external_id="dup-1")
    assert first and again == []
    assert patient.last_outcome.duplicate
    async with services.sessions() as session:
        inbound = (await session.scalars(select(Message).where(Message.direction == "in"))).all()
        outbox_rows = (await session.scalars(select(OutboxItem))).all()
    assert len(inbound) == 1
    assert len(outbox_rows) == 1


async def test_long_emoji_and_empty_messages_get_a_defined_answer_and_are_stored(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    await run_dialogue(
        patient,
        [
            ("hi", "language"),
            ("1", "agree"),
            ("yes", "code"),
            ("DEMO-CZ-2026", "zone"),
            ("Berlin", "time"),
            ("9:00", "enrolled"),
        ],
    )
    long_text = ("I would like to know more about my treatment plan " * 100)[:5000]
    assert len(long_text) == 5000
    assert "What would you like to do?" in "\n".join(await patient.says(long_text))
    assert "did not understand" in "\n".join(await patient.says("👍🙂"))
    assert "empty" in "\n".join(await patient.says("   "))
    async with services.sessions() as session:
        bodies = [
            m.body for m in (await session.scalars(select(Message).where(Message.direction == "in"))).all()
        ]
    assert long_text in bodies and "👍🙂" in bodies and "   " in bodies


async def test_an_adverse_event_during_enrolment_is_escalated_and_the_question_asked_again(services) -> None:  # type: ignore[no-untyped-def]
    from bot.storage.models import PvCase

    patient = ConsolePatient(services)
    await run_dialogue(patient, [("hi", "language"), ("English", "agree")])
    replies = "\n".join(await patient.says("I was in hospital last week with chest pain"))
    assert "emergency" in replies  # serious cue: seek care now
    assert "Do you agree?" in replies  # the pending question again, not counted as a wrong answer
    async with services.sessions() as session:
        cases = (await session.scalars(select(PvCase))).all()
    assert len(cases) == 1 and cases[0].serious
    assert (cases[0].due_at - cases[0].opened_at).total_seconds() == 24 * 3600


async def test_consent_row_is_not_readable_in_the_database_file(sqlite_url, clock) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from bot.app import close_services, open_services
    from tests.conftest import make_settings

    services = await open_services(make_settings(sqlite_url), clock=clock)
    patient = ConsolePatient(services, address="+34600123456-console")
    await run_dialogue(patient, [("hola, soy Maria Garcia Lopez", "language"), ("2", ""), ("si", "")])
    await close_services(services)
    raw = Path(sqlite_url.split("///", 1)[1]).read_bytes()
    for wal in Path(sqlite_url.split("///", 1)[1]).parent.glob("*.db-wal"):
        raw += wal.read_bytes()
    assert b"Maria Garcia" not in raw
    assert b"+34600123456" not in raw
    assert select(Consent) is not None


async def test_a_typed_reminder_time_is_never_mistaken_for_the_suggested_one(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="typed-time")
    await run_dialogue(
        patient,
        [
            ("hi", "language"),
            ("English", "agree"),
            ("yes", "code"),
            ("DEMO-CZ-2026", "zone"),
            ("Berlin", "what time"),
            ("20:00", ["You are enrolled", "8:00 PM"]),
        ],
    )
    row = await _patient_row(services, "typed-time")
    assert row.reminder_times == ["20:00"]
