"""The SQL behind the analytics exports, the dashboard and the refill import.

Every read takes a bounded batch of patients (or cases), so an export never holds a year of doses for every
patient at once. Counts are aggregated in the database; per-patient lower bounds (each subject's measurement
period starts at the later of the export's first day and their enrolment day) are sent as a few
`patient_id IN (...) AND time >= start` groups, which works the same on SQLite and PostgreSQL.
Only code columns, dates and counts leave this module: never a message body, phone number or chat id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.storage.models import (
    Address,
    Consent,
    DoseEvent,
    Message,
    OutboxItem,
    Patient,
    Program,
    PvCase,
    Refill,
    Reminder,
)

PROMPT_KINDS: tuple[str, ...] = ("dose", "refill_check")
"""Reminder kinds that ask the patient something (a `refill_due_soon` nudge expects no answer)."""
MODULE_MESSAGE_KINDS: tuple[str, ...] = ("module",)
"""Outbound message kinds that deliver an educational module."""
DOSE_STATUSES: tuple[str, ...] = ("taken", "skipped", "no_response", "missed_not_sent")
"""The fates of a scheduled dose; a row with any other status is not a dose fact and is not counted."""


@dataclass(frozen=True)
class CohortPatient:
    """An enrolled patient as the exports see them: identifiers and codes only."""

    id: int
    patient_ref: str
    program_id: str
    product: str
    locale: str | None
    enrolled_at: datetime


@dataclass(frozen=True)
class FillRecord:
    fill_date: date
    days_supply: int
    source: str
    product: str | None


@dataclass(frozen=True)
class DoseRecord:
    patient_id: int
    scheduled_at: datetime
    local_slot: str
    status: str
    answered_at: datetime | None
    channel: str | None
    """The channel the reminder went out on (else the one the answer came from)."""
    sent_at: datetime | None


@dataclass(frozen=True)
class PromptRecord:
    patient_id: int
    sent_at: datetime
    answered_at: datetime | None
    message_status: str | None
    channel: str | None


@dataclass(frozen=True)
class PvCaseRecord:
    id: int
    patient_ref: str
    program_id: str | None
    product: str | None
    opened_at: datetime
    due_at: datetime
    status: str
    kind: str
    situations: list[Any]
    serious: bool
    forwarded_reference: str | None
    closed_reason: str | None


@dataclass(frozen=True)
class FunnelRecord:
    patient_id: int
    program_id: str | None
    consented: bool
    enrolled: bool
    opted_out: bool


# --- helpers ----------------------------------------------------------------------------------------------


def _since(pid: Any, moment: Any, since: Mapping[int, datetime]) -> ColumnElement[bool]:
    """`moment >= since[patient]` for every patient, as one OR over groups of patients sharing a bound."""
    groups: dict[datetime, list[int]] = defaultdict(list)
    for patient_id, start in since.items():
        groups[start].append(patient_id)
    return or_(*[and_(pid.in_(sorted(ids)), moment >= start) for start, ids in groups.items()])


def _bin(moment: Any, edges: Sequence[datetime] | None) -> ColumnElement[Any]:
    """Index of the interval `[edges[i], edges[i + 1])` that `moment` falls in (0 without edges)."""
    if not edges or len(edges) < 3:
        return literal(0)
    return case(*[(moment < edges[i + 1], i) for i in range(len(edges) - 2)], else_=len(edges) - 2)


# --- the cohort -------------------------------------------------------------------------------------------


def data_consent_withdrawn() -> Any:
    """Patients whose latest word on their data is a withdrawal: a `data` consent refused after their last
    program consent (re-enrolling grants it again). Their rows are left out of every analytics export,
    all of them, not only those after the withdrawal: rows from before it are their data too."""
    withdrawn = func.max(case((and_(Consent.type == "data", Consent.granted.is_(False)), Consent.id)))
    granted = func.max(case((and_(Consent.type == "program", Consent.granted.is_(True)), Consent.id)))
    return (
        select(Consent.patient_id).group_by(Consent.patient_id).having(withdrawn > func.coalesce(granted, 0))
    )


async def cohort_page(
    session: AsyncSession,
    *,
    after_id: int,
    limit: int,
    enrolled_before: datetime,
    program_id: str | None = None,
) -> list[CohortPatient]:
    """The next `limit` enrolled patients (id order, after `after_id`) enrolled before `enrolled_before`."""
    query = (
        select(
            Patient.id,
            Patient.patient_ref,
            Patient.program_id,
            Program.product,
            Patient.locale,
            Patient.enrolled_at,
        )
        .join(Program, Program.id == Patient.program_id)
        .where(
            Patient.id > after_id,
            Patient.enrolled_at.is_not(None),
            Patient.enrolled_at < enrolled_before,
            Patient.patient_ref.is_not(None),
            Patient.id.not_in(data_consent_withdrawn()),
        )
        .order_by(Patient.id)
        .limit(limit)
    )
    if program_id is not None:
        query = query.where(Patient.program_id == program_id)
    rows = (await session.execute(query)).all()
    return [CohortPatient(int(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]  # type: ignore[arg-type]


async def preferred_channels(
    session: AsyncSession, patient_ids: Sequence[int], before: datetime
) -> dict[int, str]:
    """Each patient's channel at `before`: the one they last wrote from, else their first address's."""
    if not patient_ids:
        return {}
    last_inbound = (
        select(Message.channel)
        .where(Message.patient_id == Patient.id, Message.direction == "in", Message.created_at < before)
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
        .correlate(Patient)
        .scalar_subquery()
    )
    first_address = (
        select(Address.channel)
        .where(Address.patient_id == Patient.id)
        .order_by(Address.id)
        .limit(1)
        .correlate(Patient)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Patient.id, func.coalesce(last_inbound, first_address)).where(
            Patient.id.in_(list(patient_ids))
        )
    )
    return {int(pid): channel for pid, channel in rows.all() if channel is not None}


async def fills_through(
    session: AsyncSession, patient_ids: Sequence[int], through: date
) -> dict[int, list[FillRecord]]:
    """Every dispensing on record dated on or before `through`, per patient, in date order."""
    found: dict[int, list[FillRecord]] = defaultdict(list)
    if not patient_ids:
        return found
    rows = await session.execute(
        select(Refill.patient_id, Refill.fill_date, Refill.days_supply, Refill.source, Refill.product)
        .where(Refill.patient_id.in_(list(patient_ids)), Refill.fill_date <= through)
        .order_by(Refill.patient_id, Refill.fill_date, Refill.id)
    )
    for pid, fill_date, days, source, product in rows.all():
        found[int(pid)].append(FillRecord(fill_date, int(days), source, product))
    return found


# --- doses ------------------------------------------------------------------------------------------------


async def dose_counts(
    session: AsyncSession,
    since: Mapping[int, datetime],
    until: datetime,
    edges: Sequence[datetime] | None = None,
) -> dict[tuple[int, int], tuple[int, int]]:
    """(scheduled, taken) dose events per (patient, interval) with `since[patient] <= scheduled_at < until`.

    With `edges` (ascending instants), the interval index is that of `[edges[i], edges[i + 1])`; else 0.
    """
    if not since:
        return {}
    inner = (
        select(
            DoseEvent.patient_id.label("pid"),
            _bin(DoseEvent.scheduled_at, edges).label("bin"),
            DoseEvent.status.label("status"),
        )
        .where(
            _since(DoseEvent.patient_id, DoseEvent.scheduled_at, since),
            DoseEvent.scheduled_at < until,
            DoseEvent.status.in_(DOSE_STATUSES),
        )
        .subquery()
    )
    taken = func.sum(case((inner.c.status == "taken", 1), else_=0))
    rows = await session.execute(
        select(inner.c.pid, inner.c.bin, func.count(), taken).group_by(inner.c.pid, inner.c.bin)
    )
    return {(int(pid), int(b)): (int(n), int(t or 0)) for pid, b, n, t in rows.all()}


async def dose_records(
    session: AsyncSession, since: Mapping[int, datetime], until: datetime
) -> list[DoseRecord]:
    """The dose events of these patients in their periods, in patient and time order."""
    if not since:
        return []
    sent_on = Address.channel.label("sent_on")
    rows = await session.execute(
        select(
            DoseEvent.patient_id,
            DoseEvent.scheduled_at,
            DoseEvent.local_slot,
            DoseEvent.status,
            DoseEvent.answered_at,
            func.coalesce(sent_on, DoseEvent.channel),
            Reminder.sent_at,
        )
        .outerjoin(Reminder, Reminder.id == DoseEvent.reminder_id)
        .outerjoin(Address, Address.id == Reminder.address_id)
        .where(
            _since(DoseEvent.patient_id, DoseEvent.scheduled_at, since),
            DoseEvent.scheduled_at < until,
            DoseEvent.status.in_(DOSE_STATUSES),
        )
        .order_by(DoseEvent.patient_id, DoseEvent.scheduled_at, DoseEvent.id)
    )
    return [DoseRecord(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows.all()]


# --- engagement -------------------------------------------------------------------------------------------


async def prompt_records(
    session: AsyncSession, since: Mapping[int, datetime], until: datetime
) -> list[PromptRecord]:
    """Reminders that asked something and were sent in the patients' periods, with the fate of the message."""
    if not since:
        return []
    rows = await session.execute(
        select(
            Reminder.patient_id,
            Reminder.sent_at,
            case((Reminder.status == "answered", Reminder.answered_at), else_=None),
            Message.status,
            Message.channel,
        )
        .outerjoin(OutboxItem, OutboxItem.id == Reminder.outbox_id)
        .outerjoin(Message, Message.id == OutboxItem.message_id)
        .where(
            Reminder.kind.in_(PROMPT_KINDS),
            Reminder.sent_at.is_not(None),
            _since(Reminder.patient_id, Reminder.sent_at, since),
            Reminder.sent_at < until,
        )
        .order_by(Reminder.patient_id, Reminder.sent_at)
    )
    return [PromptRecord(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows.all()]


async def module_counts(
    session: AsyncSession,
    since: Mapping[int, datetime],
    until: datetime,
    edges: Sequence[datetime] | None = None,
) -> dict[tuple[int, int], int]:
    """Educational modules sent per (patient, interval)."""
    if not since:
        return {}
    inner = (
        select(Message.patient_id.label("pid"), _bin(Message.created_at, edges).label("bin"))
        .where(
            Message.direction == "out",
            Message.kind.in_(MODULE_MESSAGE_KINDS),
            _since(Message.patient_id, Message.created_at, since),
            Message.created_at < until,
        )
        .subquery()
    )
    rows = await session.execute(
        select(inner.c.pid, inner.c.bin, func.count()).group_by(inner.c.pid, inner.c.bin)
    )
    return {(int(pid), int(b)): int(n) for pid, b, n in rows.all()}


# --- PV cases ---------------------------------------------------------------------------------------------


async def pv_case_page(
    session: AsyncSession, *, after_id: int, limit: int, opened_from: datetime | None, opened_before: datetime
) -> list[PvCaseRecord]:
    """Cases opened in the window (id order), with the patient reference and program to pseudonymise them."""
    query = (
        select(PvCase, Patient.patient_ref, Patient.program_id)
        .join(Patient, Patient.id == PvCase.patient_id)
        .where(PvCase.id > after_id, PvCase.opened_at < opened_before, Patient.patient_ref.is_not(None))
        .order_by(PvCase.id)
        .limit(limit)
    )
    if opened_from is not None:
        query = query.where(PvCase.opened_at >= opened_from)
    records = []
    for case_row, ref, patient_program in (await session.execute(query)).all():
        records.append(
            PvCaseRecord(
                id=case_row.id,
                patient_ref=ref,  # type: ignore[arg-type]
                program_id=case_row.program_id or patient_program,
                product=case_row.product,
                opened_at=case_row.opened_at,
                due_at=case_row.due_at,
                status=case_row.status,
                kind=case_row.kind,
                situations=list(case_row.situations or []),
                serious=bool(case_row.serious),
                forwarded_reference=case_row.forwarded_reference,
                closed_reason=case_row.closed_reason,
            )
        )
    return records


async def program_products(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(Program.id, Program.product))
    return {pid: product for pid, product in rows.all()}
