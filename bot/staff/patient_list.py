"""The Patients list: every patient, newest activity first, a page at a time, narrowed by program, status,
channel and last activity. Only pseudonymous facts are listed (program patient ID, never a phone number)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, exists, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Address, Patient

PAGE_SIZE = 25
# Last-activity filter: key -> (label, days, within). within=True: a message in the last N days; False: none.
ACTIVITY: dict[str, tuple[str, int, bool]] = {
    "1d": ("in the last 24 hours", 1, True),
    "7d": ("in the last 7 days", 7, True),
    "30d": ("in the last 30 days", 30, True),
    "quiet30": ("nothing for 30 days or more", 30, False),
}


@dataclass(frozen=True)
class PatientFilter:
    """What staff chose on the page; empty strings mean "any". Unknown values are ignored, never an error."""

    program: str = ""
    status: str = ""
    channel: str = ""
    activity: str = ""


@dataclass(frozen=True)
class ListedPatient:
    patient_ref: str
    status: str
    program_id: str | None
    locale: str | None
    channels: tuple[str, ...]
    last_activity: datetime | None
    enrolled_at: datetime | None


@dataclass(frozen=True)
class PatientPage:
    rows: list[ListedPatient]
    total: int
    page: int
    pages: int
    per_page: int


def _filtered(query: Select, chosen: PatientFilter, now: datetime) -> Select:  # type: ignore[type-arg]
    if chosen.program:
        query = query.where(Patient.program_id == chosen.program)
    if chosen.status:
        query = query.where(Patient.status == chosen.status)
    if chosen.channel:
        query = query.where(
            exists().where(and_(Address.patient_id == Patient.id, Address.channel == chosen.channel))
        )
    if chosen.activity in ACTIVITY:
        _, days, within = ACTIVITY[chosen.activity]
        recent = exists().where(
            and_(Address.patient_id == Patient.id, Address.last_inbound_at >= now - timedelta(days=days))
        )
        query = query.where(recent if within else not_(recent))
    return query


async def list_patients(
    session: AsyncSession, chosen: PatientFilter, now: datetime, page: int = 1, per_page: int = PAGE_SIZE
) -> PatientPage:
    """One page of patients matching `chosen`, the most recently active first (never-active ones last)."""
    last = (
        select(func.max(Address.last_inbound_at))
        .where(Address.patient_id == Patient.id)
        .correlate(Patient)
        .scalar_subquery()
    )
    base = _filtered(select(Patient.id).where(Patient.patient_ref.is_not(None)), chosen, now)
    total = int(await session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = (
        await session.execute(
            _filtered(
                select(Patient, last.label("last")).where(Patient.patient_ref.is_not(None)), chosen, now
            )
            .order_by(last.desc().nulls_last(), Patient.id.desc())
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    ).all()
    ids = [patient.id for patient, _ in rows]
    channels: dict[int, set[str]] = {}
    if ids:
        for patient_id, channel in await session.execute(
            select(Address.patient_id, Address.channel).where(Address.patient_id.in_(ids))
        ):
            channels.setdefault(patient_id, set()).add(channel)
    listed = [
        ListedPatient(
            patient_ref=str(p.patient_ref),
            status=p.status,
            program_id=p.program_id,
            locale=p.locale,
            channels=tuple(sorted(channels.get(p.id, ()))),
            last_activity=at,
            enrolled_at=p.enrolled_at,
        )
        for p, at in rows
    ]
    return PatientPage(listed, total, page, pages, per_page)


async def choices(session: AsyncSession) -> tuple[list[str], list[str]]:
    """The statuses and channels that exist, for the filter menus."""
    statuses = await session.scalars(select(Patient.status).distinct().order_by(Patient.status))
    channels = await session.scalars(select(Address.channel).distinct().order_by(Address.channel))
    return list(statuses), list(channels)
