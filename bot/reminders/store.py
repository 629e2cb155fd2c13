"""Reminder rows: planned with an idempotency key, claimed when due, closed by an answer or a sweep.

Plain async functions on an AsyncSession. Every query is bounded (a batch of patients, a batch of due rows),
so nothing here ever loads the whole table. Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several
processes share the work without taking the same row; on SQLite the write transaction is exclusive anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import defer

from bot.storage.models import (
    Address,
    ConversationState,
    Patient,
    Refill,
    Reminder,
)

#: Kinds that ask the patient something; only these have an answer window and count towards a silent streak.
ANSWERED_KINDS = ("dose", "refill_check")
_INSERT_CHUNK = 1000


def _reachable(patient_id: Any) -> Any:
    return exists().where(
        Address.patient_id == patient_id, Address.opted_out.is_(False), Address.unreachable.is_(False)
    )


async def patients_to_plan(session: AsyncSession, plan_before: datetime, limit: int) -> list[Patient]:
    """Active patients, reachable somewhere, whose planned rows end before `plan_before` (or never planned):
    new patients first, then the ones whose rows run out soonest.

    Two queries that each walk the (status, reminders_planned_until) index instead of sorting every active
    patient; rows are locked with SKIP LOCKED on PostgreSQL so two planners take different patients.
    """

    def candidates(condition: Any, order: Any, count: int) -> Any:
        query = (
            select(Patient)
            .where(
                Patient.status == "active",
                condition,
                Patient.timezone.is_not(None),
                Patient.program_id.is_not(None),
                _reachable(Patient.id),
            )
            .limit(count)
            .with_for_update(skip_locked=True, of=Patient)
        )
        return query if order is None else query.order_by(order)

    # Never planned: any of them will do (ordering them would sort them all on every batch).
    found = list(
        (await session.scalars(candidates(Patient.reminders_planned_until.is_(None), None, limit))).all()
    )
    if len(found) < limit:
        due = candidates(
            Patient.reminders_planned_until < plan_before, Patient.reminders_planned_until, limit - len(found)
        )
        found += list((await session.scalars(due)).all())
    return found


async def latest_fills(session: AsyncSession, patient_ids: Sequence[int]) -> dict[int, tuple[date, int]]:
    """The most recent dispensing of each patient: (fill date, days of supply)."""
    if not patient_ids:
        return {}
    ranked = (
        select(
            Refill.patient_id,
            Refill.fill_date,
            Refill.days_supply,
            func.row_number()
            .over(partition_by=Refill.patient_id, order_by=(Refill.fill_date.desc(), Refill.id.desc()))
            .label("rank"),
        )
        .where(Refill.patient_id.in_(patient_ids))
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.patient_id, ranked.c.fill_date, ranked.c.days_supply).where(ranked.c.rank == 1)
    )
    return {int(pid): (fill_date, int(days)) for pid, fill_date, days in rows.all()}


async def insert_planned(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Insert planned rows; a (patient, slot_key) that exists already is left alone (ON CONFLICT DO NOTHING).

    Each row: patient_id, kind, slot_key, local_slot, due_at, created_at. One cached statement, executed with
    many parameter sets (SQLAlchemy batches them into multi-row INSERTs).
    """
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Reminder).on_conflict_do_nothing(index_elements=["patient_id", "slot_key"])
    for start in range(0, len(rows), _INSERT_CHUNK):
        chunk = [
            {**row, "status": "planned", "snooze_count": 0} for row in rows[start : start + _INSERT_CHUNK]
        ]
        await session.execute(statement, chunk)


async def set_planned_until(
    session: AsyncSession, patient_ids: Sequence[int], until: datetime | None
) -> None:
    if patient_ids:
        await session.execute(
            update(Patient).where(Patient.id.in_(patient_ids)).values(reminders_planned_until=until)
        )


async def delete_unsent(session: AsyncSession, patient_id: int, kinds: Sequence[str] | None = None) -> int:
    """Planned rows never sent are not facts: a re-plan deletes them and plans again (snoozed ones stay)."""
    statement = delete(Reminder).where(
        Reminder.patient_id == patient_id, Reminder.status == "planned", Reminder.sent_at.is_(None)
    )
    if kinds is not None:
        statement = statement.where(Reminder.kind.in_(kinds))
    result = await session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)


async def cancel_snoozed(session: AsyncSession, patient_id: int) -> int:
    """A snoozed reminder waiting to go out again is cancelled (it was sent once, so it is kept as a row)."""
    result = await session.execute(
        update(Reminder)
        .where(Reminder.patient_id == patient_id, Reminder.status == "planned", Reminder.sent_at.is_not(None))
        .values(status="cancelled")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def dose_slots_since(session: AsyncSession, patient_id: int, since: datetime) -> list[str]:
    """Slot keys of this patient's dose rows still standing (not cancelled) due from `since` on."""
    rows = await session.scalars(
        select(Reminder.slot_key).where(
            Reminder.patient_id == patient_id,
            Reminder.kind == "dose",
            Reminder.status != "cancelled",
            Reminder.due_at >= since,
        )
    )
    return list(rows.all())


async def claim_due(session: AsyncSession, now: datetime, limit: int) -> list[Reminder]:
    """Planned rows due by `now`, oldest first, locked for this transaction (SKIP LOCKED on PostgreSQL)."""
    query = (
        select(Reminder)
        .where(Reminder.status == "planned", Reminder.due_at <= now)
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Reminder)
    )
    return list((await session.scalars(query)).all())


async def patients_by_id(session: AsyncSession, patient_ids: Iterable[int]) -> dict[int, Patient]:
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    return {p.id: p for p in (await session.scalars(select(Patient).where(Patient.id.in_(ids)))).all()}


async def reachable_addresses(session: AsyncSession, patient_ids: Iterable[int]) -> dict[int, list[Address]]:
    """Addresses that may receive messages, most recently used first."""
    ids = sorted(set(patient_ids))
    found: dict[int, list[Address]] = defaultdict(list)
    if not ids:
        return found
    rows = await session.scalars(
        select(Address)
        .options(
            defer(Address.value, raiseload=True)
        )  # the phone number or chat id is not needed: not decrypted
        .where(Address.patient_id.in_(ids), Address.opted_out.is_(False), Address.unreachable.is_(False))
        .order_by(Address.patient_id, Address.last_inbound_at.desc().nulls_last(), Address.id)
    )
    for address in rows.all():
        found[address.patient_id].append(address)
    return found


async def states_by_patient(
    session: AsyncSession, patient_ids: Iterable[int]
) -> dict[int, ConversationState]:
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    rows = await session.scalars(select(ConversationState).where(ConversationState.patient_id.in_(ids)))
    return {s.patient_id: s for s in rows.all()}


async def expire_unanswered(session: AsyncSession, now: datetime, limit: int) -> list[Reminder]:
    """Sent rows whose answer window has passed become `no_response` (returned, still in this transaction)."""
    query = (
        select(Reminder)
        .where(Reminder.status == "sent", Reminder.answer_by.is_not(None), Reminder.answer_by < now)
        .order_by(Reminder.answer_by, Reminder.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Reminder)
    )
    rows = list((await session.scalars(query)).all())
    for row in rows:
        row.status = "no_response"
    return rows


async def recent_outcomes(
    session: AsyncSession, patient_ids: Iterable[int], count: int
) -> dict[int, list[Reminder]]:
    """Each patient's last `count` closed questions (answered or not), newest first, in one query."""
    ids = sorted(set(patient_ids))
    if not ids:
        return {}
    ranked = (
        select(
            Reminder.id,
            func.row_number()
            .over(partition_by=Reminder.patient_id, order_by=(Reminder.due_at.desc(), Reminder.id.desc()))
            .label("rank"),
        )
        .where(
            Reminder.patient_id.in_(ids),
            Reminder.kind.in_(ANSWERED_KINDS),
            Reminder.status.in_(("answered", "no_response")),
        )
        .subquery()
    )
    found = await session.scalars(
        select(Reminder)
        .join(ranked, ranked.c.id == Reminder.id)
        .where(ranked.c.rank <= count)
        .order_by(Reminder.patient_id, Reminder.due_at.desc(), Reminder.id.desc())
    )
    outcomes: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in found.all():
        outcomes[reminder.patient_id].append(reminder)
    return outcomes


async def get_reminders(session: AsyncSession, reminder_ids: Iterable[int]) -> dict[int, Reminder]:
    ids = sorted(set(reminder_ids))
    if not ids:
        return {}
    return {r.id: r for r in (await session.scalars(select(Reminder).where(Reminder.id.in_(ids)))).all()}


async def upcoming(
    session: AsyncSession, patient_id: int, now: datetime, kinds: Sequence[str], limit: int = 1
) -> list[Reminder]:
    """The patient's next planned rows of these kinds."""
    rows = await session.scalars(
        select(Reminder)
        .where(
            Reminder.patient_id == patient_id,
            Reminder.kind.in_(kinds),
            Reminder.status == "planned",
            Reminder.due_at >= now,
        )
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    return list(rows.all())


async def archive_cancelled(session: AsyncSession, older_than: datetime, limit: int) -> int:
    """Cancelled rows carry no fact: delete those older than `older_than`, a bounded batch at a time."""
    ids = (
        select(Reminder.id)
        .where(Reminder.status == "cancelled", Reminder.due_at < older_than)
        .order_by(Reminder.id)
        .limit(limit)
        .scalar_subquery()
    )
    result = await session.execute(delete(Reminder).where(Reminder.id.in_(ids)))
    return int(getattr(result, "rowcount", 0) or 0)


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status))
    return {status: int(n) for status, n in rows.all()}
