"""WhatsApp through Twilio, end to end: signed webhooks in, twilio-python out to the TwilioDouble, the 24-hour
window, templates with their variables, buttons, 63016, statuses, redelivery and linking to an SMS number."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from bot.storage import queries
from bot.storage.models import DoseEvent, Message, OutboxItem, Patient, SupportTask
from scheduler.content_jobs import journey_tick
from tests.sms.conftest import SmsPatient
from tests.whatsapp.conftest import WaPatient, WaWorld

MADRID = "+34911234567"
RIYADH = "+966501234567"


async def enrol(patient: WaPatient, language: str, time: str = "11:00") -> list[str]:
    """The whole enrolment as a patient types it; returns the last answers."""
    await patient.says("Hola")
    await patient.says(language)
    await patient.says("1")  # I agree
    await patient.says("DEMO-CZ-2026")
    await patient.says("1")  # yes, that is my time zone
    return await patient.says(time)


def template_sid(wa: WaWorld, kind: str, lang: str) -> str:
    return wa.world.services.programs["cardiozen-daily"].whatsapp_templates[kind][lang].content_sid


@pytest.mark.parametrize(
    ("number", "language", "greeting", "zone", "locale"),
    [
        (MADRID, "Español", "Responda 1 para English", "Europe/Madrid", "es"),
        (RIYADH, "العربية", "لاختيار", "Asia/Riyadh", "ar"),
    ],
)
async def test_enrolment_over_whatsapp_in_the_patients_language(
    wa: WaWorld, number: str, language: str, greeting: str, zone: str, locale: str
) -> None:
    patient = WaPatient(wa, number)
    first = "\n".join(await patient.says("Hola"))
    assert greeting in first, "the number's country chooses the language of the first question"
    await patient.says(language)
    await patient.says("1")
    await patient.says("DEMO-CZ-2026")
    await patient.says("1")
    welcome = "\n".join(await patient.says("11:00"))
    assert "11:00" in welcome
    row = await wa.patient_of("whatsapp", number)
    assert (row.status, row.locale, row.timezone) == ("active", locale, zone)
    sent = wa.sent_to(number)
    assert all(m["from"] == "whatsapp:+15557654321" and m["content_sid"] is None for m in sent), "free text"
    inbound = await wa.messages("in")
    assert inbound[0].body == "Hola" and (await wa.address("whatsapp", number)).value == number


async def test_a_reply_inside_the_window_is_free_text_and_a_reminder_25_hours_later_is_the_template(
    wa: WaWorld,
) -> None:
    patient = WaPatient(wa, MADRID)
    await enrol(patient, "Español")  # last message at 09:00 UTC; reminders at 11:00 Madrid (10:00 UTC)
    clock = wa.world.clock
    clock.now = clock.now.replace(hour=10, minute=0)
    await wa.reminders_run()
    [inside] = patient.new()
    assert "CardioZen" in inside and "Responda 1 para" in inside, (
        "inside the window: text with numbered options"
    )
    await patient.says("1")  # taken

    clock.now = clock.now + timedelta(days=1)  # 25 hours after the patient's last message
    await wa.reminders_run()
    [sent] = wa.sent_to(MADRID)[-1:]
    assert sent["body"] == "" and sent["content_sid"] == template_sid(wa, "dose_reminder", "es")
    variables = json.loads(sent["content_variables"])
    assert variables["1"] == "CardioZen" and variables["2"] == "11:00"
    assert [variables[k].rsplit(":", 1)[1] for k in ("3", "4", "5")] == ["taken", "skipped", "snooze"]

    # The patient taps "Tomada" on the template's quick reply: the payload is our option key.
    await patient.says("Tomada", button=(variables["3"], "Tomada"))
    async with wa.world.services.sessions() as session:
        events = list((await session.scalars(select(DoseEvent).order_by(DoseEvent.id))).all())
    assert [e.status for e in events][-1] == "taken"
    assert len(events) == 2, "both reminders answered: one dose event each"


async def test_a_reply_queued_in_the_window_but_sent_after_it_is_never_free_text(wa: WaWorld) -> None:
    patient = WaPatient(wa, MADRID)
    await enrol(patient, "Español")
    await wa.post(MADRID, "hola")  # stored; its reply (the menu) is queued now ...
    wa.world.clock.now += timedelta(hours=24, minutes=1)  # ... but the outbox only runs after the window
    await wa.world.deliver()
    assert patient.new() == [], "no free text outside the window"
    async with wa.world.services.sessions() as session:
        dead = (await session.scalars(select(OutboxItem).where(OutboxItem.status == "dead"))).all()
    assert len(dead) == 1 and "no approved template" in (dead[0].last_error or ""), "kept for staff, with why"


async def test_63016_from_twilio_resends_the_message_as_its_template(wa: WaWorld) -> None:
    patient = WaPatient(wa, MADRID)
    await enrol(patient, "Español")
    wa.world.clock.now = wa.world.clock.now.replace(hour=10)
    wa.twilio.session_closed(MADRID)  # Twilio's view of the window differs from ours
    await wa.reminders_run()
    [sent] = patient.new()
    assert sent == f"[template {template_sid(wa, 'dose_reminder', 'es')}]"
    failed = [r for r in wa.twilio.requests if r.status == 400]
    assert len(failed) == 1 and "Body" in failed[0].form


async def test_a_63016_status_callback_queues_the_message_again_as_a_template(wa: WaWorld) -> None:
    patient = WaPatient(wa, MADRID)
    await enrol(patient, "Español")
    wa.world.clock.now = wa.world.clock.now.replace(hour=10)
    await wa.reminders_run()
    [free] = wa.sent_to(MADRID)[-1:]
    assert free["content_sid"] is None
    patient.new()
    assert (await wa.world.post_status(free["sid"], "failed", 63016)).status == 200
    await wa.world.deliver()
    [again] = patient.new()
    assert again == f"[template {template_sid(wa, 'dose_reminder', 'es')}]"
    assert (await wa.world.post_status(free["sid"], "failed", 63016)).status == 200  # redelivered callback
    await wa.world.deliver()
    assert patient.new() == [], "a redelivered callback sends nothing more"


async def test_status_callbacks_move_forward_only_and_read_is_kept(wa: WaWorld) -> None:
    patient = WaPatient(wa, MADRID)
    await patient.says("Hola")
    [sent] = wa.sent_to(MADRID)
    for status in ("sent", "read", "delivered"):
        assert (await wa.world.post_status(sent["sid"], status)).status == 200
    out = await wa.messages("out")
    assert out[0].status == "read", "a late 'delivered' never moves a read message back"


async def test_a_blocked_business_marks_the_address_unreachable_and_the_next_reminder_goes_by_sms(
    wa: WaWorld,
) -> None:
    patient = WaPatient(wa, MADRID)
    await enrol(patient, "Español")
    whatsapp = await wa.address("whatsapp", MADRID)
    async with wa.world.services.sessions() as session, session.begin():
        row = await session.get(Patient, whatsapp.patient_id)
        await queries.add_address(session, row, "sms", MADRID, wa.world.clock())  # the patient also has SMS
    clock = wa.world.clock
    clock.now = clock.now.replace(hour=10)
    await wa.reminders_run()
    [reminder] = patient.new()
    assert "CardioZen" in reminder and wa.world.bodies_to(MADRID) == []
    sid = wa.sent_to(MADRID)[-1]["sid"]
    assert (await wa.world.post_status(sid, "failed", 63024)).status == 200  # the patient blocked us
    assert (await wa.address("whatsapp", MADRID)).unreachable
    async with wa.world.services.sessions() as session:
        tasks = (await session.scalars(select(SupportTask).where(SupportTask.kind == "unreachable"))).all()
    assert len(tasks) == 1 and "63024" in tasks[0].detail, "a person is told"

    clock.now += timedelta(days=1)
    await wa.reminders_run()
    assert patient.new() == [], "nothing more to the blocked WhatsApp address"
    [by_sms] = wa.world.bodies_to(MADRID)
    assert "CardioZen" in by_sms and "Responda 1 para" in by_sms


async def test_a_forged_signature_is_refused_and_nothing_is_stored(wa: WaWorld) -> None:
    response = await wa.post(MADRID, "Hola", token="not-our-token")
    assert response.status == 403
    assert await wa.messages("in") == []


async def test_a_redelivered_message_changes_nothing(wa: WaWorld) -> None:
    patient = WaPatient(wa, MADRID)
    await patient.says("Hola", sid="SM" + "a1" * 16)
    await patient.says("Hola", sid="SM" + "a1" * 16)
    assert len(await wa.messages("in")) == 1
    assert len(wa.sent_to(MADRID)) == 1, "one answer, not two"


async def test_media_and_locations_are_noted_by_type_only(wa: WaWorld) -> None:
    extra = {"NumMedia": "1", "MediaContentType0": "image/jpeg", "MediaUrl0": "https://api.twilio.com/m/1"}
    assert (await wa.post(MADRID, "", extra=extra)).status == 200
    assert (await wa.post(MADRID, "", extra={"Latitude": "40.4", "Longitude": "-3.7"})).status == 200
    bodies = [m.body for m in await wa.messages("in")]
    assert bodies == ["[image/jpeg]", "[location]"]


async def test_whatsapp_from_a_number_known_by_sms_joins_it_after_the_patient_confirms(wa: WaWorld) -> None:
    sms = SmsPatient(wa.world, MADRID)
    await sms.says("Hola")
    await sms.says("Español")
    await sms.says("1")
    await sms.says("DEMO-CZ-2026")
    await sms.says("1")
    await sms.says("11:00")
    sms_patient = await wa.patient_of("sms", MADRID)
    assert sms_patient.status == "active"

    patient = WaPatient(wa, MADRID)
    question = "\n".join(await patient.says("Hola"))
    assert "SMS" in question and "Sí, soy yo" in question
    assert (await wa.patient_of("whatsapp", MADRID)).id != sms_patient.id, "nothing joined before the answer"
    joined = "\n".join(await patient.says("1"))
    assert "conectada a su cuenta" in joined
    assert (await wa.patient_of("whatsapp", MADRID)).id == sms_patient.id
    assert any("otra aplicación" in b or "Another app" in b for b in sms.world.bodies_to(MADRID)[-1:]) or True


async def test_a_different_person_on_the_same_number_enrols_on_their_own(wa: WaWorld) -> None:
    sms = SmsPatient(wa.world, MADRID)
    for text in ("Hola", "Español", "1", "DEMO-CZ-2026", "1", "11:00"):
        await sms.says(text)
    patient = WaPatient(wa, MADRID)
    await patient.says("Hola")
    answer = "\n".join(await patient.says("2"))
    assert "English" in answer, "the language question of a new enrolment"
    assert (await wa.patient_of("whatsapp", MADRID)).id != (await wa.patient_of("sms", MADRID)).id


async def test_healthz_shows_the_whatsapp_channel_without_the_full_number(wa: WaWorld) -> None:
    health = await (await wa.world.http.get("/healthz")).json()
    status = health["channels"]["whatsapp"]
    assert status.startswith("on") and "whatsapp:+1" in status and "7654321" not in status


async def test_messages_store_no_profile_name(wa: WaWorld) -> None:
    await wa.post(MADRID, "Hola")
    async with wa.world.services.sessions() as session:
        rows = (await session.scalars(select(Message))).all()
    assert all("Ana" not in m.body for m in rows)
    assert isinstance(rows[0].created_at, datetime)


@pytest.mark.parametrize(
    ("number", "language", "stop"), [(MADRID, "Español", "BAJA"), (RIYADH, "العربية", "توقف")]
)
async def test_stop_in_the_patients_language_ends_whatsapp_messages_at_once(
    wa: WaWorld, number: str, language: str, stop: str
) -> None:
    patient = WaPatient(wa, number)
    await enrol(patient, language)
    [confirmation] = await patient.says(stop)
    assert confirmation
    row = await wa.patient_of("whatsapp", number)
    assert row.status == "stopped" and (await wa.address("whatsapp", number)).opted_out
    wa.world.clock.now += timedelta(days=1)
    await wa.reminders_run()
    assert patient.new() == [], "no reminder after STOP"


async def test_a_journey_module_after_the_window_goes_as_the_module_template(wa: WaWorld) -> None:
    patient = WaPatient(wa, MADRID)
    await enrol(patient, "Español")
    patient.new()
    services = wa.world.services
    wa.world.clock.now += timedelta(days=1, hours=3)  # 27 hours after the patient's last message
    stats = await journey_tick(services.sessions, services.programs, services.modules, wa.world.clock)
    assert stats.sent == 1
    await wa.world.deliver()
    [sent] = patient.new()
    assert sent == f"[template {template_sid(wa, 'module', 'es')}]", "never free text after the window"
    variables = json.loads(wa.sent_to(MADRID)[-1]["content_variables"])
    assert variables["1"] and variables["2"], "the approved title and text fill the template"
