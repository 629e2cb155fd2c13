"""Queries of the pharmacy refill import: patients by program ID, refills already stored, new ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Patient,
    Refill,
)


async def patients_by_ref(session: AsyncSession, refs: Iterable[str]) -> dict[str, tuple[int, str | None]]:
    """patient_ref -> (patient id, program id) for the references that exist."""
    wanted = sorted(set(refs))
    found: dict[str, tuple[int, str | None]] = {}
    for start in range(0, len(wanted), 500):
        rows = await session.execute(
            select(Patient.patient_ref, Patient.id, Patient.program_id).where(
                Patient.patient_ref.in_(wanted[start : start + 500])
            )
        )
        found.update({ref: (int(pid), program) for ref, pid, program in rows.all()})  # type: ignore[misc]
    return found


RefillKey = tuple[int, date, int, str | None]
"""(patient id, fill date, days of supply, pharmacy): one dispensing."""


async def refill_keys(session: AsyncSession, patient_ids: Iterable[int]) -> set[RefillKey]:
    ids = sorted(set(patient_ids))
    keys: set[RefillKey] = set()
    for start in range(0, len(ids), 500):
        rows = await session.execute(
            select(Refill.patient_id, Refill.fill_date, Refill.days_supply, Refill.pharmacy).where(
                Refill.patient_id.in_(ids[start : start + 500])
            )
        )
        keys.update((int(pid), d, int(days), pharmacy) for pid, d, days, pharmacy in rows.all())
    return keys


async def add_refills(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert dispensing records (executemany, in the caller's transaction)."""
    if rows:
        await session.execute(insert(Refill), list(rows))
