"""A reminder wave's starting point, shared by the wave tests and `bench/reminder_wave.py`: N Telegram
patients, each with one dose reminder due half a minute ago (everyone's 09:00 dose at once)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.reminders import store as rows
from bot.storage import crypto
from bot.storage.models import Address, Patient

NOW = datetime(2026, 11, 2, 9, 0, 30, tzinfo=UTC)


async def seed_wave(services: Any, count: int) -> list[int]:
    """`count` Telegram patients, each with one dose reminder due half a minute ago."""
    slot = NOW - timedelta(seconds=30)
    async with services.sessions() as session, session.begin():
        await session.execute(
            Patient.__table__.insert(),
            [
                {
                    "status": "active",
                    "program_id": "cardiozen-daily",
                    "timezone": "UTC",
                    "locale": "en",
                    "reminder_times": ["09:00"],
                    "created_at": NOW,
                    "enrolled_at": NOW,
                    "reminders_planned_until": NOW + timedelta(hours=48),
                }
                for _ in range(count)
            ],  # fmt: skip
        )
        ids = list((await session.scalars(select(Patient.id).order_by(Patient.id))).all())
        await session.execute(
            Address.__table__.insert(),
            [
                {
                    "patient_id": pid,
                    "channel": "telegram",
                    "lookup": crypto.lookup_hash("telegram", str(pid)),
                    "value": str(pid),
                    "opted_out": False,
                    "unreachable": False,
                    "created_at": NOW,
                }
                for pid in ids
            ],  # fmt: skip
        )
        await rows.insert_planned(
            session,
            [
                {
                    "patient_id": pid,
                    "kind": "dose",
                    "slot_key": f"dose:{slot:%Y-%m-%dT%H:%M}",
                    "local_slot": slot.isoformat(),
                    "due_at": slot,
                    "created_at": NOW,
                }
                for pid in ids
            ],  # fmt: skip
        )
    return ids
