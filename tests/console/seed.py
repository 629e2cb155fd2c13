"""A patient with a real history, made by talking to the bot (enrolment, a side effect, a call-back
request)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.channels.console import ConsoleChannel
from bot.storage import queries
from bot.storage.models import DoseEvent, Refill, Reminder
from scheduler.dispatch import Dispatcher
from tests.dialogue import ConsolePatient, run_dialogue

PHONE = "+14155550123"
SIDE_EFFECT = "Since Tuesday I get a pounding headache after the pill"
PRIVATE_REMARK = "Please call after 6pm, my daughter Zoraida answers otherwise"


class SmsPatient(ConsolePatient):
    """A patient on the SMS channel; replies are delivered through the console channel as if by Twilio."""

    def __post_init__(self) -> None:
        self.channel = ConsoleChannel(self.received.append)
        self.dispatcher = Dispatcher(
            self.services.sessions, {self.channel_name: self.channel}, clock=self.services.clock
        )


async def patient_with_history(services: Any, phone: str = PHONE) -> str:
    """Enrol over SMS, report a side effect (a PV case), ask for a call-back (a support task); the patient
    ref."""
    patient = SmsPatient(services, address=phone, channel_name="sms")
    await run_dialogue(
        patient,
        [
            ("hi", "choose your language"),
            ("1", "Do you agree?"),
            ("yes", "enrolment code"),
            ("DEMO-CZ-2026", "time zone"),
            ("Los Angeles", "what time"),
            ("8:30 pm", "You are enrolled"),
        ],
    )
    services.clock.advance(hours=1)
    await patient.says(SIDE_EFFECT)
    services.clock.advance(minutes=5)
    await patient.says("Talk to a person")
    services.clock.advance(minutes=1)
    await patient.says(PRIVATE_REMARK)
    ref = patient.last_outcome.patient_ref
    assert ref is not None
    async with services.sessions() as session, session.begin():
        row = await queries.get_patient_by_ref(session, ref)
        assert row is not None
        due = services.clock() - timedelta(hours=20)
        reminder = Reminder(
            patient_id=row.id,
            kind="dose",
            slot_key="dose:2026-03-01T20:30",
            local_slot="2026-03-01T20:30",
            due_at=due,
            status="answered",
            answer="taken",
            answered_at=due + timedelta(minutes=3),
        )
        session.add(reminder)
        await session.flush()
        session.add(
            DoseEvent(
                patient_id=row.id,
                reminder_id=reminder.id,
                scheduled_at=due,
                local_slot="2026-03-01T20:30",
                status="taken",
                answered_at=due + timedelta(minutes=3),
                channel="sms",
            )
        )
        session.add(
            Refill(
                patient_id=row.id,
                fill_date=due.date(),
                days_supply=30,
                pharmacy="Main St Pharmacy",
                source="pharmacy",
            )
        )
    return ref
