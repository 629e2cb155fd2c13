"""What the staff console reads and changes: work queues, patient search, the patient timeline, task work.

Personal data is only selected when the caller says the viewer may see it (`with_bodies`), so an
analyst's page never even decrypts a message body or a consent's verbatim answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import crypto
from bot.storage.models import (
    Address,
    Consent,
    DoseEvent,
    Message,
    OutboxItem,
    Patient,
    PvCase,
    PvCaseMessage,
    Refill,
    Reminder,
    SupportTask,
)
from bot.storage.models.staff import SupportTaskNote

TASK_KINDS = (
    "self_harm",
    "nonresponder",
    "unreachable",
    "refill_problem",
    "callback",
    "country_unknown",
)


# --- work queues --------------------------------------------------------------------------------------------


async def open_pv_cases(session: AsyncSession, limit: int = 50) -> list[tuple[PvCase, str | None]]:
    """Open cases, the one due soonest first."""
    rows = await session.execute(
        select(PvCase, Patient.patient_ref)
        .outerjoin(Patient, Patient.id == PvCase.patient_id)
        .where(PvCase.status == "open")
        .order_by(PvCase.due_at, PvCase.id)
        .limit(limit)
    )
    return [(case, ref) for case, ref in rows.all()]


async def count_pv_cases(session: AsyncSession, status: str = "open") -> int:
    return int(
        await session.scalar(select(func.count()).select_from(PvCase).where(PvCase.status == status)) or 0
    )


async def pv_case(session: AsyncSession, case_id: int) -> tuple[PvCase, str | None] | None:
    found = (
        await session.execute(
            select(PvCase, Patient.patient_ref)
            .outerjoin(Patient, Patient.id == PvCase.patient_id)
            .where(PvCase.id == case_id)
        )
    ).first()
    return (found[0], found[1]) if found else None


async def pv_cases(
    session: AsyncSession, *, status: str | None = None, limit: int = 500
) -> list[tuple[PvCase, str | None]]:
    query = select(PvCase, Patient.patient_ref).outerjoin(Patient, Patient.id == PvCase.patient_id)
    if status is not None:
        query = query.where(PvCase.status == status)
    rows = await session.execute(query.order_by(PvCase.due_at, PvCase.id).limit(limit))
    return [(case, ref) for case, ref in rows.all()]


async def pv_queue(
    session: AsyncSession,
    *,
    status: str | None = "open",
    serious_only: bool = False,
    assigned_to: str | None = None,
    limit: int = 500,
) -> list[tuple[PvCase, str | None]]:
    """The PV queue with its filters, earliest due first (so overdue cases come before the soonest due)."""
    query = select(PvCase, Patient.patient_ref).outerjoin(Patient, Patient.id == PvCase.patient_id)
    if status is not None:
        query = query.where(PvCase.status == status)
    if serious_only:
        query = query.where(PvCase.serious.is_(True))
    if assigned_to is not None:
        query = query.where(PvCase.assigned_to == assigned_to)
    rows = await session.execute(query.order_by(PvCase.due_at, PvCase.id).limit(limit))
    return [(case, ref) for case, ref in rows.all()]


async def pv_case_messages(session: AsyncSession, case_id: int, *, with_bodies: bool) -> list[Row[Any]]:
    """The messages that raised or extended a case, with their evidence; bodies only when allowed."""
    columns: list[Any] = [Message.id, Message.created_at, Message.channel, PvCaseMessage.evidence]
    if with_bodies:
        columns.append(Message.body)
    rows = await session.execute(
        select(*columns)
        .join(PvCaseMessage, PvCaseMessage.message_id == Message.id)
        .where(PvCaseMessage.case_id == case_id)
        .order_by(Message.created_at, Message.id)
    )
    return list(rows.all())


async def tasks(
    session: AsyncSession, *, status: str | None = "open", kind: str | None = None, limit: int = 200
) -> list[tuple[SupportTask, str | None]]:
    query = select(SupportTask, Patient.patient_ref).outerjoin(Patient, Patient.id == SupportTask.patient_id)
    if status is not None:
        query = query.where(SupportTask.status == status)
    if kind is not None:
        query = query.where(SupportTask.kind == kind)
    ordered = query.order_by(SupportTask.urgent.desc(), SupportTask.created_at, SupportTask.id)
    rows = await session.execute(ordered.limit(limit))
    return [(task, ref) for task, ref in rows.all()]


async def count_tasks(session: AsyncSession, status: str = "open") -> dict[str, int]:
    rows = await session.execute(
        select(SupportTask.kind, func.count()).where(SupportTask.status == status).group_by(SupportTask.kind)
    )
    return {kind: int(n) for kind, n in rows.all()}


async def task(session: AsyncSession, task_id: int) -> tuple[SupportTask, str | None] | None:
    found = (
        await session.execute(
            select(SupportTask, Patient.patient_ref)
            .outerjoin(Patient, Patient.id == SupportTask.patient_id)
            .where(SupportTask.id == task_id)
        )
    ).first()
    return (found[0], found[1]) if found else None


async def task_notes(session: AsyncSession, task_id: int) -> list[SupportTaskNote]:
    rows = await session.scalars(
        select(SupportTaskNote).where(SupportTaskNote.task_id == task_id).order_by(SupportTaskNote.id)
    )
    return list(rows.all())


async def add_task_note(
    session: AsyncSession, task_id: int, *, author: str, body: str, now: datetime
) -> SupportTaskNote:
    note = SupportTaskNote(task_id=task_id, author=author, body=body, at=now)
    session.add(note)
    await session.flush()
    return note


@dataclass(frozen=True)
class DeadLetter:
    outbox_id: int
    channel: str
    patient_ref: str | None
    kind: str | None
    attempts: int
    last_error: str | None
    created_at: datetime


async def dead_letters(session: AsyncSession, limit: int = 200) -> list[DeadLetter]:
    rows = await session.execute(
        select(
            OutboxItem.id,
            OutboxItem.channel,
            Patient.patient_ref,
            Message.kind,
            OutboxItem.attempts,
            OutboxItem.last_error,
            OutboxItem.created_at,
        )
        .join(Message, Message.id == OutboxItem.message_id)
        .outerjoin(Patient, Patient.id == Message.patient_id)
        .where(OutboxItem.status == "dead")
        .order_by(OutboxItem.created_at, OutboxItem.id)
        .limit(limit)
    )
    return [DeadLetter(*row) for row in rows.all()]


async def count_dead(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "dead"))
        or 0
    )


async def outbox_target(session: AsyncSession, outbox_id: int) -> str | None:
    """The patient ref an outbox row goes to (for the audit entry of a retry)."""
    return await session.scalar(
        select(Patient.patient_ref)
        .join(Message, Message.patient_id == Patient.id)
        .join(OutboxItem, OutboxItem.message_id == Message.id)
        .where(OutboxItem.id == outbox_id)
    )


# --- patients -----------------------------------------------------------------------------------------------


async def search_patients(session: AsyncSession, query: str, limit: int = 50) -> list[Patient]:
    """Patients whose program ID contains `query` (case-insensitive): "PSP-000123", "000123", "123"."""
    needle = query.strip().upper()
    if not needle:
        return []
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = await session.scalars(
        select(Patient)
        .where(Patient.patient_ref.like(f"%{escaped}%", escape="\\"))
        .order_by(Patient.patient_ref)
        .limit(limit)
    )
    return list(rows.all())


async def patient_by_address(session: AsyncSession, channel: str, value: str) -> Patient | None:
    """Find a patient from a phone number or chat id through the keyed hash (no clear text is searched)."""
    address = await session.scalar(
        select(Address).where(
            Address.channel == channel, Address.lookup == crypto.lookup_hash(channel, value)
        )
    )
    return None if address is None else await session.get(Patient, address.patient_id)


@dataclass
class Timeline:
    """Everything about one patient the console shows, newest rows last per kind (limited per kind)."""

    patient: Patient
    program_name: str | None
    addresses: list[Address]
    consents: list[Row[Any]]
    messages: list[Row[Any]]
    case_of_message: dict[int, int]
    reminders: list[Reminder]
    dose_events: list[DoseEvent]
    refills: list[Refill]
    cases: list[PvCase]
    tasks: list[SupportTask]
    truncated: list[str] = field(default_factory=list)


async def _last(session: AsyncSession, query: Any, order: Any, limit: int) -> tuple[list[Any], bool]:
    rows = list((await session.execute(query.order_by(*order).limit(limit + 1))).all())
    truncated = len(rows) > limit
    return list(reversed(rows[:limit])), truncated


# Over 60 lines on purpose: one query per kind of event on the patient's timeline, gathered on one session.
async def timeline(
    session: AsyncSession, patient: Patient, *, with_bodies: bool, limit: int = 300
) -> Timeline:
    from bot.storage.models import Program

    program_name = (
        await session.scalar(select(Program.name).where(Program.id == patient.program_id))
        if patient.program_id
        else None
    )
    addresses = list(
        (
            await session.scalars(
                select(Address).where(Address.patient_id == patient.id).order_by(Address.id)
            )
        ).all()
    )
    consent_cols: list[Any] = [
        Consent.id,
        Consent.type,
        Consent.text_version,
        Consent.granted,
        Consent.channel,
        Consent.recorded_at,
    ]
    if with_bodies:
        consent_cols.append(Consent.verbatim)
    consents = list(
        (
            await session.execute(
                select(*consent_cols).where(Consent.patient_id == patient.id).order_by(Consent.id)
            )
        ).all()
    )
    message_cols: list[Any] = [
        Message.id,
        Message.created_at,
        Message.direction,
        Message.channel,
        Message.kind,
        Message.status,
        Message.option,
    ]
    if with_bodies:
        message_cols.append(Message.body)
    truncated: list[str] = []
    messages, cut = await _last(
        session,
        select(*message_cols).where(Message.patient_id == patient.id),
        (Message.created_at.desc(), Message.id.desc()),
        limit,
    )
    if cut:
        truncated.append("messages")
    links = await session.execute(
        select(PvCaseMessage.message_id, PvCaseMessage.case_id)
        .join(PvCase, PvCase.id == PvCaseMessage.case_id)
        .where(PvCase.patient_id == patient.id)
    )
    reminders, cut = await _last(
        session,
        select(Reminder).where(Reminder.patient_id == patient.id),
        (Reminder.due_at.desc(), Reminder.id.desc()),
        limit,
    )
    if cut:
        truncated.append("reminders")
    doses, cut = await _last(
        session,
        select(DoseEvent).where(DoseEvent.patient_id == patient.id),
        (DoseEvent.scheduled_at.desc(), DoseEvent.id.desc()),
        limit,
    )
    if cut:
        truncated.append("dose events")
    refills = list(
        (
            await session.scalars(
                select(Refill).where(Refill.patient_id == patient.id).order_by(Refill.fill_date)
            )
        ).all()
    )
    cases = list(
        (
            await session.scalars(
                select(PvCase).where(PvCase.patient_id == patient.id).order_by(PvCase.opened_at)
            )
        ).all()
    )
    patient_tasks = list(
        (
            await session.scalars(
                select(SupportTask)
                .where(SupportTask.patient_id == patient.id)
                .order_by(SupportTask.created_at)
            )
        ).all()
    )
    return Timeline(
        patient=patient,
        program_name=program_name,
        addresses=addresses,
        consents=consents,
        messages=messages,
        case_of_message={message_id: case_id for message_id, case_id in links.all()},
        reminders=[row[0] for row in reminders],
        dose_events=[row[0] for row in doses],
        refills=refills,
        cases=cases,
        tasks=patient_tasks,
        truncated=truncated,
    )
