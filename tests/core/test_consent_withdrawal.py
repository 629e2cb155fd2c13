"""Withdrawing consent apart from STOP: asked, confirmed, recorded with the patient's words and time, audited,
shown to staff, and honoured by reminders, the learning journey and the analytics exports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.analytics import store as analytics_store
from bot.learn import store as learn_store
from bot.reminders.planning import plan_batch
from bot.staff import console_store, timeline
from bot.storage import audit, queries
from bot.storage.models import Consent, Patient, Reminder
from tests.core.test_keywords import _enrol
from tests.dialogue import ConsolePatient

FAR = datetime(2100, 1, 1).astimezone()


async def _patient(services, address: str) -> Patient:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        found = await queries.find_address(session, "console", address)
        assert found is not None
        patient = await session.get(Patient, found.patient_id)
        assert patient is not None
        return patient


async def _withdrawals(services, patient_id: int) -> list[tuple[str, bool, str, datetime]]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = await session.scalars(
            select(Consent).where(Consent.patient_id == patient_id, Consent.type.in_(("data", "messages")))
        )
        return [(c.type, c.granted, c.verbatim, c.recorded_at) for c in rows]


async def _in_exports(services, patient_id: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether the analytics exports' cohort (every export but PV cases reads it) holds the patient."""
    async with services.sessions() as session:
        cohort = await analytics_store.cohort_page(session, after_id=0, limit=100, enrolled_before=FAR)
    return patient_id in [c.id for c in cohort]


async def _on_journey(services, patient_id: int) -> bool:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return patient_id in [p.id for p in await learn_store.journey_patients(session)]


async def _planned(services, patient_id: int) -> int:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = await session.scalars(
            select(Reminder).where(Reminder.patient_id == patient_id, Reminder.status == "planned")
        )
        return len(rows.all())


async def test_a_portuguese_patient_withdraws_consent_to_the_use_of_their_data(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="wd-pt")
    await _enrol(patient, "pt")
    async with services.sessions() as session, session.begin():
        await plan_batch(session, services.programs, clock())
    enrolled = await _patient(services, "wd-pt")
    assert await _planned(services, enrolled.id) > 0
    assert await _in_exports(services, enrolled.id) and await _on_journey(services, enrolled.id)

    asked = await patient.says("Retirar consentimento")
    assert len(asked) == 1 and asked[0].startswith("Qual consentimento você quer retirar?")
    assert "2. Meus dados: parar o uso dos meus dados pelo programa" in asked[0]
    confirm = await patient.says("2")  # My data
    assert "Você tem certeza?" in confirm[0] and "fora das análises do programa" in confirm[0]
    assert await _withdrawals(services, enrolled.id) == []  # nothing happens before the confirmation

    done = await patient.says("1")  # Yes, withdraw
    assert done == [
        "Seu consentimento para o uso dos seus dados foi retirado. Você não receberá mais mensagens deste "
        "programa. Envie COMECAR se quiser participar novamente."
    ]
    ((kind, granted, verbatim, at),) = await _withdrawals(services, enrolled.id)
    assert (kind, granted) == ("data", False)
    assert verbatim.startswith("Retirar consentimento / 2") and at == clock()

    # Honoured: no reminders (none planned, none planned later), no journey, no replies, out of the exports.
    assert await _planned(services, enrolled.id) == 0
    clock.advance(days=1)
    async with services.sessions() as session, session.begin():
        await plan_batch(session, services.programs, clock())
    assert await _planned(services, enrolled.id) == 0
    assert not await _on_journey(services, enrolled.id)
    assert not await _in_exports(services, enrolled.id)
    assert await patient.says("menu") == []

    # Audited, and visible to staff on the patient's page.
    async with services.sessions() as session:
        entries = await audit.recent(session, target=f"patient:{enrolled.id}")
        row = await session.get(Patient, enrolled.id)
        assert row is not None and row.status == "withdrawn"
        tl = await console_store.timeline(session, row, with_bodies=True)
    assert [(e.action, e.detail["scope"]) for e in entries] == [("consent.withdrawn", "data")]
    shown = [e for e in timeline.build(tl, show_bodies=True) if e.kind == "consent"]
    assert any(
        e.title == "Consent withdrawn: use of data for the program"
        and (e.text or "").startswith("Retirar consentimento")
        for e in shown
    )


async def test_an_arabic_patient_withdraws_consent_to_messages(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="wd-ar")
    await _enrol(patient, "ar")
    async with services.sessions() as session, session.begin():
        await plan_batch(session, services.programs, clock())

    (asked,) = await patient.says("سحب الموافقة")
    assert asked.startswith("أي موافقة تريدون سحبها؟") and "الرسائل: إيقاف جميع رسائل البرنامج" in asked
    assert "هل أنتم متأكدون؟" in (await patient.says("1"))[0]  # Messages
    done = await patient.says("1")
    assert done == ["لن تصلكم أي رسائل أخرى من هذا البرنامج. أرسلوا «ابدأ» إذا رغبتم في العودة."]

    enrolled = await _patient(services, "wd-ar")
    assert enrolled.status == "stopped"
    ((kind, granted, verbatim, _),) = await _withdrawals(services, enrolled.id)
    assert (kind, granted, verbatim) == ("messages", False, "سحب الموافقة / 1 / 1")
    assert await _planned(services, enrolled.id) == 0
    assert await patient.says("menu") == []


async def test_an_english_patient_can_change_their_mind_before_confirming(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="wd-en")
    await _enrol(patient, "en")
    await patient.says("revoke consent")
    await patient.says("My data: stop the use of my data for the program")
    assert await patient.says("Keep my consent") == ["Nothing has changed: your consent stays as it was."]

    enrolled = await _patient(services, "wd-en")
    assert enrolled.status == "active" and await _withdrawals(services, enrolled.id) == []
    assert await patient.says("menu") != []


async def test_after_a_data_withdrawal_start_enrols_again_and_brings_the_patient_back(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="wd-es")
    await _enrol(patient, "es")
    await patient.says("retirar mi consentimiento")
    await patient.says("2")
    done = await patient.says("1")
    assert "Envíe EMPEZAR si quiere volver a participar." in done[0]
    enrolled = await _patient(services, "wd-es")
    assert not await _in_exports(services, enrolled.id)
    again = await patient.says("EMPEZAR")
    assert "elija su idioma" in again[0]  # enrolment starts again, consent included
    for answer in ("2", "1", "DEMO-CZ-2026", "1"):  # Español, I agree, the code, the first city
        assert await patient.says(answer)
    assert await patient.says("9:00")
    row = await _patient(services, "wd-es")
    assert row.status == "active"
    assert await _in_exports(services, enrolled.id)
