"""What the PV tests share: patients on the console or SMS channel, and the texts they send.

The texts are plain enough that any screener escalates them (or not): the lexicon-based screener replaces
the placeholder without these tests changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.storage import queries
from bot.storage.models import Patient, PvCase, PvCaseMessage
from scheduler.dispatch import Dispatcher
from tests.dialogue import ConsolePatient, run_dialogue

MILD = "I have a headache and feel dizzy since I started the tablets"
MILD_AGAIN = "the headache is back today"
SERIOUS = "I was taken to hospital last night, I could not breathe after the tablet"
NEUTRAL = "what time is it"


@dataclass
class PvPatient(ConsolePatient):
    """A patient on any channel; what the bot sends to either channel is delivered to `received`."""

    def __post_init__(self) -> None:
        super().__post_init__()
        channels = {"console": self.channel, "sms": self.channel}
        self.dispatcher = Dispatcher(self.services.sessions, channels, clock=self.services.clock)

    async def enrol(self, script: list[tuple[str, Any]] | None = None, *, locale: str = "en") -> None:
        """Enrol through the dialogue `script`, or (without one) straight in the database, which is quicker
        where enrolment is not what the test is about."""
        if script is not None:
            await run_dialogue(self, script)
            return
        now = self.services.clock()
        async with self.services.sessions() as session, session.begin():
            patient = await queries.create_patient(session, now, locale=locale)
            patient.status, patient.program_id, patient.timezone = (
                "active",
                "cardiozen-daily",
                "Europe/London",
            )
            patient.reminder_times, patient.enrolled_at = ["09:00"], now
            await queries.add_address(session, patient, self.channel_name, self.address, now)

    async def row(self) -> Patient:
        async with self.services.sessions() as session:
            address = await queries.find_address(session, self.channel_name, self.address)
            assert address is not None
            patient = await queries.get_patient(session, address.patient_id)
            assert patient is not None
            return patient


async def cases_of(services: Any, patient_id: int) -> list[PvCase]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(PvCase).where(PvCase.patient_id == patient_id).order_by(PvCase.id)
        )
        return list(rows.all())


async def linked_message_ids(services: Any, case_id: int) -> list[int]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(PvCaseMessage.message_id)
            .where(PvCaseMessage.case_id == case_id)
            .order_by(PvCaseMessage.message_id)
        )
        return list(rows.all())
