"""Seeding the facts the exports read, and reading export files back, for tests/exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from bot.analytics.pseudonym import derive_key, subject_id
from bot.storage import outbox, queries
from bot.storage.models import DoseEvent, Refill, Reminder
from tests.conftest import TEST_SECRET

PROGRAM = "cardiozen-daily"
PRODUCT = "CardioZen"
KEY = derive_key(TEST_SECRET, "analytics-export-v1")


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def subject_of(patient_ref: str) -> str:
    return subject_id(KEY, patient_ref)


async def enrolled_patient(
    services: Any,
    enrolled_on: date,
    *,
    address: str,
    channel: str = "telegram",
    locale: str = "en",
    program_id: str = PROGRAM,
) -> tuple[int, str]:
    """An active patient enrolled on `enrolled_on` with one address; returns (id, patient_ref)."""
    moment = at(enrolled_on, 10)
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, moment - timedelta(minutes=5), locale=locale)
        patient.status, patient.program_id, patient.enrolled_at = "active", program_id, moment
        patient.timezone, patient.reminder_times = "Europe/Madrid", ["09:00"]
        await queries.add_address(session, patient, channel, address, moment)
        assert patient.patient_ref is not None
        return patient.id, patient.patient_ref


async def add_fills(
    services: Any, patient_id: int, *fills: tuple[date, int], source: str = "pharmacy"
) -> None:
    async with services.sessions() as session, session.begin():
        for fill_date, days in fills:
            product = PRODUCT if source == "patient" else None
            session.add(
                Refill(
                    patient_id=patient_id,
                    fill_date=fill_date,
                    days_supply=days,
                    source=source,
                    product=product,
                    recorded_at=at(fill_date, 12),
                )
            )


async def add_doses(services: Any, patient_id: int, *doses: tuple[datetime, str]) -> None:
    """Dose events without a reminder row (status as given; answered at due time + 10 minutes when taken)."""
    async with services.sessions() as session, session.begin():
        for moment, status in doses:
            answered = moment + timedelta(minutes=10) if status in ("taken", "skipped") else None
            session.add(
                DoseEvent(
                    patient_id=patient_id,
                    reminder_id=None,
                    scheduled_at=moment,
                    local_slot=moment.astimezone(UTC).isoformat(),
                    status=status,
                    answered_at=answered,
                    channel="telegram" if answered else None,
                    recorded_at=moment + timedelta(hours=3),
                )
            )


async def sent_reminder(
    services: Any,
    patient_id: int,
    due: datetime,
    *,
    kind: str = "dose",
    message_status: str = "sent",
    answer_after: timedelta | None = None,
    answer: str = "taken",
    dose_status: str | None = None,
    local_slot: str | None = None,
) -> int:
    """A reminder sent at `due` through the outbox (message status as a channel would have left it),
    answered `answer_after` later or not at all; with `dose_status`, also its dose event."""
    async with services.sessions() as session, session.begin():
        address = (await queries.patient_addresses(session, patient_id))[0]
        item = await outbox.enqueue(
            session,
            address=address,
            text="Time for your CardioZen dose",
            options=[],
            kind="reminder",
            now=due,
        )
        await session.flush()
        item.status, item.sent_at = "sent", due
        item.message.status = message_status
        answered_at = due + answer_after if answer_after is not None else None
        reminder = Reminder(
            patient_id=patient_id,
            kind=kind,
            slot_key=f"{kind}:{due.isoformat()}",
            local_slot=local_slot or due.isoformat(),
            due_at=due,
            status="answered" if answered_at else "no_response",
            address_id=address.id,
            outbox_id=item.id,
            sent_at=due,
            answer=answer if answered_at else None,
            answered_at=answered_at,
            snooze_count=0,
            created_at=due - timedelta(days=1),
        )
        session.add(reminder)
        await session.flush()
        if dose_status is not None:
            session.add(
                DoseEvent(
                    patient_id=patient_id,
                    reminder_id=reminder.id,
                    scheduled_at=due,
                    local_slot=reminder.local_slot,
                    status=dose_status,
                    answered_at=answered_at,
                    channel=address.channel if answered_at else None,
                    recorded_at=due,
                )
            )
        return reminder.id


def read_export(fmt: str, path: Path) -> list[dict[str, Any]]:
    """Rows as an analyst's tool reads them (CSV values stay text)."""
    data = path.read_bytes()
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    if fmt == "json":
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return pq.read_table(path).to_pylist()
