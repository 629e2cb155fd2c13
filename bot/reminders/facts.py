"""Adherence facts from reminders: dose events (taken, skipped, no response, missed) and reported refills."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    DoseEvent,
    Refill,
    Reminder,
)


def _dose_event(
    reminder: Reminder, status: str, now: datetime, answered_at: datetime | None, channel: str | None
) -> dict[str, Any]:
    return {
        "patient_id": reminder.patient_id,
        "reminder_id": reminder.id,
        "scheduled_at": datetime.fromisoformat(reminder.local_slot),  # the slot's instant, before quiet hours
        "local_slot": reminder.local_slot,
        "status": status,
        "answered_at": answered_at,
        "channel": channel,
        "recorded_at": now,
    }


async def add_dose_event(
    session: AsyncSession,
    reminder: Reminder,
    status: str,
    now: datetime,
    *,
    answered_at: datetime | None = None,
    channel: str | None = None,
) -> None:
    """The adherence fact for one dose slot (taken, skipped, no_response, missed_not_sent)."""
    await add_dose_events(session, [reminder], status, now, answered_at=answered_at, channel=channel)


async def add_dose_events(
    session: AsyncSession,
    reminders: Sequence[Reminder],
    status: str,
    now: datetime,
    *,
    answered_at: datetime | None = None,
    channel: str | None = None,
) -> None:
    """The same fact for many dose slots at once (a sweep, a late batch), in one executemany insert."""
    if reminders:
        await session.execute(
            insert(DoseEvent), [_dose_event(r, status, now, answered_at, channel) for r in reminders]
        )


async def record_refill(
    session: AsyncSession,
    patient_id: int,
    *,
    fill_date: date,
    days_supply: int,
    source: str,
    now: datetime,
    product: str | None = None,
) -> Refill:
    refill = Refill(
        patient_id=patient_id,
        fill_date=fill_date,
        days_supply=days_supply,
        source=source,
        product=product,
        recorded_at=now,
    )
    session.add(refill)
    await session.flush()
    return refill
