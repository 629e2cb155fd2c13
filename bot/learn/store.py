"""Queries for approved-content delivery: the delivery record, a patient's reading history, the patients the
journey job looks at, and one-time staff notices about content (missing translation, approval expiring)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.learn.modules import Delivery
from bot.storage import ids, queries
from bot.storage.models import Address, ContentDelivery, ContentNotice, Patient, PvCase, SupportTask

DELIVERIES = cast(Table, ContentDelivery.__table__)


def delivery_columns(
    *, patient_id: int, program_id: str | None, delivery: Delivery, channel: str, now: datetime
) -> dict[str, Any]:
    """A delivery row's columns but its id and outbox id, every column given (one executemany for many)."""
    return {
        "patient_id": patient_id,
        "program_id": program_id,
        "module_id": delivery.module_id,
        "version": delivery.version,
        "language": delivery.language,
        "requested_language": delivery.requested_language,
        "fallback": delivery.fallback,
        "approval_reference": delivery.approval_reference,
        "variant": delivery.variant,
        "reason": delivery.reason,
        "channel": channel,
        "sent_at": now,
        "opened_at": None,
        "quiz_answer": None,
        "quiz_answered_at": None,
    }


async def record_delivery(
    session: AsyncSession,
    *,
    patient_id: int,
    program_id: str | None,
    delivery: Delivery,
    channel: str,
    outbox_id: int | None,
    now: datetime,
) -> ContentDelivery:
    """Store which approved text went to the patient and why, in the caller's transaction."""
    row = ContentDelivery(
        **delivery_columns(
            patient_id=patient_id, program_id=program_id, delivery=delivery, channel=channel, now=now
        ),
        outbox_id=outbox_id,
        id=await ids.take(session, ContentDelivery),
    )
    session.add(row)
    if row.id is None:  # numbered by the database: flushed now for its id (a batch on SQLite numbers it)
        await session.flush()
    return row


async def get_delivery(session: AsyncSession, delivery_id: int) -> ContentDelivery | None:
    return await session.get(ContentDelivery, delivery_id)


async def deliveries_of(session: AsyncSession, patient_id: int) -> list[ContentDelivery]:
    """A patient's deliveries, oldest first."""
    rows = await session.scalars(
        select(ContentDelivery)
        .where(ContentDelivery.patient_id == patient_id)
        .order_by(ContentDelivery.sent_at, ContentDelivery.id)
    )
    return list(rows.all())


async def deliveries_for(
    session: AsyncSession, patient_ids: Sequence[int]
) -> dict[int, list[ContentDelivery]]:
    """Deliveries of several patients at once (one query), oldest first, by patient id."""
    found: dict[int, list[ContentDelivery]] = {pid: [] for pid in patient_ids}
    if not patient_ids:
        return found
    rows = await session.scalars(
        select(ContentDelivery)
        .where(ContentDelivery.patient_id.in_(list(patient_ids)))
        .order_by(ContentDelivery.sent_at, ContentDelivery.id)
    )
    for row in rows.all():
        found[row.patient_id].append(row)
    return found


async def mark_opened(session: AsyncSession, delivery_id: int, now: datetime) -> None:
    """The patient asked for the full text of a short delivery: it was opened (first time only)."""
    row = await session.get(ContentDelivery, delivery_id)
    if row is not None and row.opened_at is None:
        row.opened_at = now


async def record_quiz_answer(session: AsyncSession, delivery_id: int, correct: bool, now: datetime) -> None:
    """Correct or wrong, never the patient's words; the first answer counts."""
    row = await session.get(ContentDelivery, delivery_id)
    if row is not None and row.quiz_answer is None:
        row.quiz_answer = "correct" if correct else "wrong"
        row.quiz_answered_at = now


async def pv_cases_opened(session: AsyncSession, patient_ids: Sequence[int]) -> dict[int, list[datetime]]:
    """When a PV case was opened for each patient: the journey answers a side-effect report."""
    found: dict[int, list[datetime]] = {pid: [] for pid in patient_ids}
    if not patient_ids:
        return found
    rows = await session.execute(
        select(PvCase.patient_id, PvCase.opened_at).where(PvCase.patient_id.in_(list(patient_ids)))
    )
    for patient_id, opened_at in rows.all():
        if patient_id is not None:
            found[patient_id].append(opened_at)
    return found


@dataclass(frozen=True)
class JourneyPatient:
    """What the journey job needs to know about an active patient to decide whether to look further."""

    id: int
    program_id: str
    locale: str | None
    timezone: str | None
    country: str | None
    enrolled_at: datetime
    paused_until: date | None


async def journey_patients(session: AsyncSession) -> list[JourneyPatient]:
    """Active, enrolled patients of a program (the journey job filters them by local time)."""
    rows = await session.execute(
        select(
            Patient.id,
            Patient.program_id,
            Patient.locale,
            Patient.timezone,
            Patient.country,
            Patient.enrolled_at,
            Patient.paused_until,
        )
        .where(Patient.status == "active", Patient.program_id.is_not(None), Patient.enrolled_at.is_not(None))
        .order_by(Patient.id)
    )
    return [JourneyPatient(*row) for row in rows.all()]  # type: ignore[arg-type]


async def lock_patient(session: AsyncSession, patient_id: int) -> Patient | None:
    """The patient row, locked until the transaction ends on PostgreSQL (SQLite writers are serialised
    already): two processes running the journey job cannot both send today's module."""
    return await session.scalar(select(Patient).where(Patient.id == patient_id).with_for_update())


async def reachable_address(session: AsyncSession, patient_id: int) -> Address | None:
    """The address the patient used last among those we may write to (not opted out, not unreachable)."""
    addresses = [
        a
        for a in await queries.patient_addresses(session, patient_id)
        if not a.opted_out and not a.unreachable
    ]
    if not addresses:
        return None
    return max(
        addresses, key=lambda a: (a.last_inbound_at is not None, a.last_inbound_at or a.created_at, a.id)
    )


async def notify_once(
    session: AsyncSession, *, kind: str, key: str, detail: str, now: datetime
) -> SupportTask | None:
    """Open a staff task of `kind` the first time `key` is seen; None when staff were already told.

    The notice row is inserted in a savepoint: when another process inserted the same key first, the unique
    constraint says so and this transaction carries on without a second task."""
    if await session.scalar(
        select(ContentNotice.id).where(ContentNotice.kind == kind, ContentNotice.key == key)
    ):
        return None
    try:
        async with session.begin_nested():
            notice = ContentNotice(kind=kind, key=key, created_at=now)
            session.add(notice)
            await session.flush()
    except IntegrityError:
        return None
    task = await queries.open_support_task(session, None, kind, detail, now)
    notice.support_task_id = task.id
    return task


async def tasks_of_kind(session: AsyncSession, kind: str) -> list[SupportTask]:
    rows = await session.scalars(select(SupportTask).where(SupportTask.kind == kind).order_by(SupportTask.id))
    return list(rows.all())
