"""Queries of the enrolment funnel: who started, consented, enrolled, by month and program."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.analytics.store import FunnelRecord
from bot.storage.models import (
    Address,
    Consent,
    Patient,
)


async def funnel_page(
    session: AsyncSession,
    *,
    after_id: int,
    limit: int,
    created_from: datetime | None,
    created_before: datetime,
    program_id: str | None = None,
) -> list[FunnelRecord]:
    """Patients who first wrote in the window: did they consent, enrol, opt out since?"""
    consented = exists().where(Consent.patient_id == Patient.id, Consent.granted.is_(True))
    opted_out = exists().where(Address.patient_id == Patient.id, Address.opted_out.is_(True))
    query = (
        select(
            Patient.id,
            Patient.program_id,
            consented,
            Patient.enrolled_at.is_not(None),
            opted_out,
            Patient.status,
        )
        .where(Patient.id > after_id, Patient.created_at < created_before)
        .order_by(Patient.id)
        .limit(limit)
    )
    if created_from is not None:
        query = query.where(Patient.created_at >= created_from)
    if program_id is not None:
        query = query.where(Patient.program_id == program_id)
    return [
        FunnelRecord(int(pid), program, bool(c), bool(e), bool(o) or status == "stopped")
        for pid, program, c, e, o, status in (await session.execute(query)).all()
    ]
