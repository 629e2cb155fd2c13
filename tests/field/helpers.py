"""Patients on the console, Telegram-like or SMS channel for the field-trial tests; replies come back as
text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.storage import queries
from bot.storage.models import Patient, SupportTask
from scheduler.dispatch import Dispatcher
from tests.dialogue import ConsolePatient

SERIOUS = "I was taken to hospital last night, I could not breathe after the tablet"


@dataclass
class FieldPatient(ConsolePatient):
    """A patient on any channel; the outbox is delivered to `received` whatever the channel's name."""

    def __post_init__(self) -> None:
        super().__post_init__()
        channels = {name: self.channel for name in ("console", "sms", "telegram")}
        self.dispatcher = Dispatcher(self.services.sessions, channels, clock=self.services.clock)

    async def row(self) -> Patient:
        async with self.services.sessions() as session:
            address = await queries.find_address(session, self.channel_name, self.address)
            assert address is not None
            patient = await queries.get_patient(session, address.patient_id)
            assert patient is not None
            return patient

    async def enrol(self, *answers: str) -> list[str]:
        """Say each answer in turn; return everything the bot said (one string per message)."""
        said: list[str] = []
        for answer in answers:
            said += await self.says(answer)
        return said


async def tasks_of(services: Any, patient_id: int) -> list[SupportTask]:
    async with services.sessions() as session:
        rows = await session.scalars(select(SupportTask).where(SupportTask.patient_id == patient_id))
        return list(rows.all())
