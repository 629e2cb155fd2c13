"""Reminder occurrences as rows: plan a rolling horizon, move due rows into the outbox, close unanswered ones.

Each function works on one transaction and a bounded batch, so a job can call it in a loop and a crash loses
nothing: planning is idempotent (unique `(patient, slot_key)`, insert-or-ignore), claiming moves a row to
`sent` in the same transaction that writes its outbox message, and the sweep only touches rows past their
window. The planning rules themselves (DST, quiet hours, late sends) are `bot.reminders.plans`, documented in
`docs/reminders.md`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply
from bot.core.programs import Program
from bot.reminders import facts
from bot.reminders import store as rows
from bot.reminders.planning import FLOW, MAX_OPEN, answer_window, render
from bot.reminders.plans import (
    answer_deadline,
    late_decision,
)
from bot.storage import bulk, queries
from bot.storage.models import Address, ConversationState, Patient, Reminder

log = logging.getLogger(__name__)


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    missed: int = 0
    cancelled: int = 0
    outbox_ids: list[int] = field(default_factory=list)


def choose_address(patient: Patient, addresses: Sequence[Address]) -> Address | None:
    """The address reminders go to: the patient's current one if still reachable, else the most recently
    used."""
    for address in addresses:
        if address.id == patient.reminder_address_id:
            return address
    return addresses[0] if addresses else None


async def dispatch_due(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime, limit: int = 200
) -> DispatchResult:
    """Move due reminders into the outbox (or record them as missed when too late), in this transaction."""
    return await dispatch_claimed(session, programs, now, await rows.claim_due(session, now, limit))


async def dispatch_one_or_set_aside(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime
) -> DispatchResult:
    """The oldest due reminder alone, in a savepoint: when even alone it cannot be written (the database
    refuses one of its rows), it is cancelled and logged, so the wave behind it goes on (the fallback of a
    failed batch, see `scheduler.jobs.ReminderJobs.tick`)."""
    due = await rows.claim_due(session, now, 1)
    try:
        async with session.begin_nested():
            return await dispatch_claimed(session, programs, now, due)
    except Exception:
        log.exception("reminder %s cannot be written; cancelled", due[0].id)
    due[0].status = "cancelled"
    return DispatchResult(claimed=1, cancelled=1)


# Over 60 lines on purpose: decide (send or missed) and enqueue one claimed batch in one transaction.
async def dispatch_claimed(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime, due: list[Reminder]
) -> DispatchResult:
    """Move claimed reminders into the outbox (or record them as missed when too late)."""
    result = DispatchResult()
    result.claimed = len(due)
    if not due:
        return result
    patient_ids = [r.patient_id for r in due]
    patients = await rows.patients_by_id(session, patient_ids)
    addresses = await rows.reachable_addresses(session, patient_ids)
    states = await rows.states_by_patient(session, patient_ids)
    to_send: list[tuple[Reminder, Patient, Address, Reply, timedelta | None]] = []
    missed: list[Reminder] = []
    unanswered: list[Reminder] = []
    for reminder in due:
        patient = patients.get(reminder.patient_id)
        program = programs.get(patient.program_id or "") if patient else None
        if (
            patient is None
            or program is None
            or patient.status != "active"
            or _paused(reminder, patient, now)
        ):
            reminder.status = "cancelled"
            result.cancelled += 1
            continue
        if late_decision(reminder.kind, reminder.due_at, now) == "missed_not_sent":  # type: ignore[arg-type]
            if reminder.sent_at is not None:
                # A snooze that came too late: the patient was reminded once and did not answer.
                reminder.status = "no_response"
                if reminder.kind == "dose":
                    unanswered.append(reminder)
            else:
                reminder.status = "missed_not_sent"
                if reminder.kind == "dose":
                    missed.append(reminder)
            result.missed += 1
            continue
        address = choose_address(patient, addresses.get(patient.id, []))
        if address is None:
            reminder.status = "cancelled"
            result.cancelled += 1
            continue
        try:
            reply = render(reminder, patient, program)
        except (ValueError, KeyError):  # a bad stored row must not block the rows behind it
            log.exception("cannot render reminder %s", reminder.id)
            reminder.status = "cancelled"
            result.cancelled += 1
            continue
        to_send.append((reminder, patient, address, reply, answer_window(reminder, program)))
    await facts.add_dose_events(session, missed, "missed_not_sent", now)
    await facts.add_dose_events(session, unanswered, "no_response", now)
    outbox_ids = await bulk.enqueue_many(
        session,
        [
            (address, reply.text, [{"key": o.key, "label": o.label} for o in reply.options], "reminder")
            for _, _, address, reply, _ in to_send
        ],
        now,
        templates=[reply.template.as_json() if reply.template else None for _, _, _, reply, _ in to_send],
    )
    for (reminder, patient, address, reply, window), outbox_id in zip(to_send, outbox_ids, strict=True):
        reminder.status = "sent"
        reminder.sent_at = reminder.sent_at or now
        reminder.outbox_id, reminder.address_id = outbox_id, address.id
        reminder.answer_by = (
            answer_deadline(max(reminder.due_at, now), int(window.total_seconds() // 60)) if window else None
        )
        if reply.options:
            states[patient.id] = _await_answer(
                session, states.get(patient.id), patient.id, reminder.id, reply, now
            )
        result.sent += 1
        result.outbox_ids.append(outbox_id)
    return result


def _paused(reminder: Reminder, patient: Patient, now: datetime) -> bool:
    if patient.paused_until is None or reminder.kind != "dose":
        return False
    return datetime.fromisoformat(reminder.local_slot).date() < patient.paused_until


def _await_answer(
    session: AsyncSession,
    state: ConversationState | None,
    patient_id: int,
    reminder_id: int,
    reply: Reply,
    now: datetime,
) -> ConversationState:
    """The patient's next message is read as an answer to this reminder (or to another one still open).

    A patient in the middle of describing a side effect keeps that question: the buttons still answer.
    """
    options = [{"key": o.key, "label": o.label} for o in reply.options]
    if state is not None and state.flow == "report":
        return state
    open_ids: list[int] = []
    if state is not None and state.flow == FLOW:
        open_ids = [int(i) for i in (state.data or {}).get("open", [])]
    open_ids = [*(i for i in open_ids if i != reminder_id), reminder_id][-MAX_OPEN:]
    if state is None:
        state = ConversationState(patient_id=patient_id)
        session.add(state)
    state.flow, state.step, state.data, state.options = FLOW, "answer", {"open": open_ids}, options
    state.attempts, state.updated_at = 0, now
    return state


# --- the sweep ----------------------------------------------------------------------------------------------


@dataclass
class SweepResult:
    no_response: int = 0
    nonresponders: list[int] = field(default_factory=list)


async def close_unanswered(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime, limit: int = 500
) -> SweepResult:
    """Reminders past their answer window become `no_response` facts; a silent streak opens a support task."""
    result = SweepResult()
    expired = await rows.expire_unanswered(session, now, limit)
    if not expired:
        return result
    result.no_response = len(expired)
    await facts.add_dose_events(session, [r for r in expired if r.kind == "dose"], "no_response", now)
    patients = await rows.patients_by_id(session, [r.patient_id for r in expired])
    states = await rows.states_by_patient(session, patients)
    outcomes = await rows.recent_outcomes(
        session, patients, max(_threshold(p) for p in programs.values()) + 1
    )
    closed = {r.id for r in expired}
    for patient in patients.values():
        state = states.get(patient.id)
        if state is not None and state.flow == FLOW:
            still_open = [i for i in (state.data or {}).get("open", []) if i not in closed]
            if still_open:
                state.data = {**state.data, "open": still_open}
            else:
                await session.delete(state)
        program = programs.get(patient.program_id or "")
        if program is not None and await _silent_streak(
            session, patient, program, outcomes.get(patient.id, []), now
        ):
            result.nonresponders.append(patient.id)
    return result


def _threshold(program: Program) -> int:
    return max(program.reminders.nonresponder_threshold, 1)


async def _silent_streak(
    session: AsyncSession, patient: Patient, program: Program, recent: list[Reminder], now: datetime
) -> bool:
    """Exactly K unanswered questions in a row (`recent`: newest first): open a task once, and try another
    address next time."""
    threshold = _threshold(program)
    silent = recent[:threshold]
    if len(silent) < threshold or any(r.status != "no_response" for r in silent):
        return False
    if len(recent) > threshold and recent[threshold].status == "no_response":
        return False  # the streak was already reported when it reached K
    last_address = silent[0].address_id
    others = [
        a
        for a in (await rows.reachable_addresses(session, [patient.id])).get(patient.id, [])
        if a.id != last_address
    ]
    detail = (
        f"{threshold} reminders in a row without an answer (last due {silent[0].due_at:%Y-%m-%d %H:%M} UTC)."
    )
    if others:
        patient.reminder_address_id = others[0].id
        detail += f" Next reminders go to the patient's {others[0].channel} address."
    else:
        detail += " The patient has no other address."
    await queries.open_support_task(session, patient.id, "nonresponder", detail, now)
    return True


async def archive(
    session: AsyncSession, now: datetime, keep: timedelta = timedelta(days=30), limit: int = 1000
) -> int:
    """Cancelled rows older than `keep` go; answered, unanswered and missed rows are facts and stay."""
    return await rows.archive_cancelled(session, now - keep, limit)
