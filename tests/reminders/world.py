"""A small world for reminder tests: patients on a real database, the real jobs and dispatcher, channels that
record what they were given, and a clock the test moves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count
from typing import Any

from sqlalchemy import select

from bot.core.messages import Inbound
from bot.storage import queries
from bot.storage.models import DoseEvent, Patient, Refill, Reminder, SupportTask
from bot.storage.outbox import Claimed
from scheduler.dispatch import Dispatcher
from scheduler.jobs import ReminderJobs

_ids = count(1)


@dataclass
class Recorder:
    """A channel that accepts everything and remembers it."""

    name: str
    sent: list[Claimed] = field(default_factory=list)

    async def send(self, message: Claimed) -> str | None:
        self.sent.append(message)
        return f"recorded-{self.name}-{message.outbox_id}"


class World:
    def __init__(self, services: Any) -> None:
        self.services = services
        self.clock = services.clock
        self.jobs = ReminderJobs(services.sessions, services.programs, services.clock)
        self.channels = {"console": Recorder("console"), "sms": Recorder("sms")}
        self.dispatcher = Dispatcher(services.sessions, self.channels, clock=services.clock)

    # --- set-up --------------------------------------------------------------------------------------------

    async def enrol(
        self,
        address: str,
        *,
        tz: str = "Europe/Madrid",
        times: tuple[str, ...] = ("09:00",),
        locale: str = "en",
        channel: str = "console",
        quiet: tuple[str, str] | None = None,
        enrolled_at: datetime | None = None,
    ) -> int:
        """An active patient, as enrolment leaves one; returns the patient id."""
        now = self.clock()
        async with self.services.sessions() as session, session.begin():
            patient = await queries.create_patient(session, now, locale=locale)
            patient.status, patient.program_id, patient.timezone = "active", "cardiozen-daily", tz
            patient.reminder_times, patient.enrolled_at = list(times), enrolled_at or now
            if quiet:
                patient.quiet_start, patient.quiet_end = quiet
            await queries.add_address(session, patient, channel, address, now)
            return patient.id

    async def add_address(self, patient_id: int, channel: str, address: str) -> None:
        async with self.services.sessions() as session, session.begin():
            patient = await session.get(Patient, patient_id)
            await queries.add_address(session, patient, channel, address, self.clock())

    async def add_fill(self, patient_id: int, fill_date: date, days_supply: int) -> None:
        async with self.services.sessions() as session, session.begin():
            session.add(
                Refill(patient_id=patient_id, fill_date=fill_date, days_supply=days_supply, source="pharmacy")
            )

    # --- time passes ---------------------------------------------------------------------------------------

    async def run(self) -> list[Claimed]:
        """One round of every reminder job, then everything due leaves through the outbox."""
        before = self._marks()
        await self.jobs.run_all()
        await self.dispatcher.drain()
        return self._since(before)

    async def at(self, moment: datetime) -> list[Claimed]:
        self.clock.now = moment
        return await self.run()

    async def says(
        self, address: str, text: str = "", *, option: str | None = None, channel: str = "console"
    ) -> list[str]:
        before = self._marks()
        inbound = Inbound(
            channel=channel,
            address=address,
            text=text,
            option=option,
            received_at=self.clock(),
            external_id=f"in-{next(_ids)}",
        )
        await self.services.conversation.receive(inbound)
        await self.dispatcher.drain()
        return [m.text for m in self._since(before)]

    def _marks(self) -> dict[str, int]:
        return {name: len(ch.sent) for name, ch in self.channels.items()}

    def _since(self, marks: dict[str, int]) -> list[Claimed]:
        return [m for name, ch in self.channels.items() for m in ch.sent[marks[name] :]]

    def inbox(self, address: str) -> list[Claimed]:
        return [m for ch in self.channels.values() for m in ch.sent if m.address == address]

    def last_options(self, address: str) -> list[dict[str, str]]:
        return list(self.inbox(address)[-1].options)

    # --- what is stored ------------------------------------------------------------------------------------

    async def reminders(self, patient_id: int) -> list[Reminder]:
        async with self.services.sessions() as session:
            rows = await session.scalars(
                select(Reminder)
                .where(Reminder.patient_id == patient_id)
                .order_by(Reminder.due_at, Reminder.id)
            )
            return list(rows.all())

    async def dose_events(self, patient_id: int) -> list[DoseEvent]:
        async with self.services.sessions() as session:
            rows = await session.scalars(
                select(DoseEvent).where(DoseEvent.patient_id == patient_id).order_by(DoseEvent.scheduled_at)
            )
            return list(rows.all())

    async def tasks(self, patient_id: int) -> list[SupportTask]:
        async with self.services.sessions() as session:
            rows = await session.scalars(select(SupportTask).where(SupportTask.patient_id == patient_id))
            return list(rows.all())

    async def patient(self, patient_id: int) -> Patient:
        async with self.services.sessions() as session:
            found = await session.get(Patient, patient_id)
            assert found is not None
            return found

    async def refills(self, patient_id: int) -> list[Refill]:
        async with self.services.sessions() as session:
            rows = await session.scalars(
                select(Refill).where(Refill.patient_id == patient_id).order_by(Refill.id)
            )
            return list(rows.all())
