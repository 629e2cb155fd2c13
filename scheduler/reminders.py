"""Reminder occurrences as rows: plan a rolling horizon, move due rows into the outbox, close unanswered ones.

Each function works on one transaction and a bounded batch, so a job can call it in a loop and a crash loses
nothing: planning is idempotent (unique `(patient, slot_key)`, insert-or-ignore), claiming moves a row to
`sent` in the same transaction that writes its outbox message, and the sweep only touches rows past their
window. The planning rules themselves (DST, quiet hours, late sends) are `scheduler.plans`, documented in
`docs/reminders.md`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.programs import Program
from bot.core import reminders as words
from bot.core.messages import Reply
from bot.i18n import format_day, format_time
from bot.storage import queries
from bot.storage import reminders as rows
from bot.storage.models import Address, ConversationState, Patient, Reminder
from scheduler.plans import (
    LATE_GRACE,
    DoseSchedule,
    PlannedReminder,
    answer_deadline,
    apply_quiet_hours,
    late_decision,
    local_instant,
    plan_doses,
    plan_refill,
    zone,
)

log = logging.getLogger(__name__)

HORIZON = timedelta(hours=48)  # rows exist this far ahead
REPLAN_AHEAD = timedelta(hours=24)  # a patient is planned again when less than this is left
BACKFILL = timedelta(days=1)  # after downtime, slots missed up to this far back are still recorded
REFILL_ANSWER_WINDOW = timedelta(hours=24)  # "did you collect it?" may be answered later in the day
MAX_OPEN = 5  # reminders a typed answer may still refer to
FLOW = "reminder"
REFILL_KINDS = ("refill_due_soon", "refill_check")


# --- a patient's schedule ------------------------------------------------------------------------------------


def dose_times(patient: Patient, program: Program) -> tuple[str, ...]:
    return tuple(sorted(patient.reminder_times or program.reminders.dose_times))


def quiet_hours(patient: Patient, program: Program) -> tuple[str | None, str | None]:
    """The patient's own quiet hours when set, else the program's."""
    if patient.quiet_start and patient.quiet_end:
        return patient.quiet_start, patient.quiet_end
    return program.reminders.quiet_start, program.reminders.quiet_end


def local_today(patient: Patient, now: datetime) -> date:
    return now.astimezone(zone(patient.timezone or "UTC")).date()


def dose_schedule(patient: Patient, program: Program) -> DoseSchedule:
    """The patient's dose schedule: program defaults, the patient's own times, time zone and pause.

    Dose times are the ones the patient chose (or the program's) and are not moved by quiet hours: a dose
    taken at 22:00 needs its reminder at 22:00. Quiet hours move refill nudges and snoozes.
    """
    defaults = program.reminders
    anchor = None
    if defaults.schedule == "every_n_days":
        since = patient.enrolled_at or patient.created_at
        anchor = since.astimezone(zone(patient.timezone or "UTC")).date()
    return DoseSchedule(
        kind=defaults.schedule,  # type: ignore[arg-type]
        times=dose_times(patient, program),
        timezone=patient.timezone or "UTC",
        weekday=defaults.weekday if defaults.schedule == "weekly" else None,
        every_n_days=defaults.every_n_days if defaults.schedule == "every_n_days" else None,
        anchor_date=anchor,
        paused_until=patient.paused_until,
    )


def current_supply(
    patient: Patient, program: Program, last_fill: tuple[date, int] | None
) -> tuple[date, int]:
    """The last dispensing, or — before any is known — a pack started on the enrolment day."""
    if last_fill is not None:
        return last_fill
    since = patient.enrolled_at or patient.created_at
    return since.astimezone(zone(patient.timezone or "UTC")).date(), program.reminders.days_supply


def plan_patient(
    patient: Patient,
    program: Program,
    last_fill: tuple[date, int] | None,
    start: datetime,
    end: datetime,
) -> list[PlannedReminder]:
    """Every reminder of this patient that belongs to `[start, end)`: doses by slot instant, refill nudges
    when their send time enters the window (and is not already too late to be useful)."""
    schedule = dose_schedule(patient, program)
    planned = plan_doses(schedule, start, end)
    quiet_start, quiet_end = quiet_hours(patient, program)
    fill_date, days_supply = current_supply(patient, program, last_fill)
    tz = zone(schedule.timezone)
    for nudge in plan_refill(
        fill_date,
        days_supply,
        program.reminders.refill_lead_days,
        schedule.times[0],
        schedule.timezone,
        quiet_start,
        quiet_end,
    ):
        due = nudge.due_at
        if patient.paused_until is not None and nudge.local_slot.date() < patient.paused_until:
            # Held back while the patient asked for silence, sent on the morning they come back instead.
            hh, mm = (int(x) for x in schedule.times[0].split(":"))
            resume = local_instant(patient.paused_until, time(hh, mm), tz)
            due = apply_quiet_hours(resume, quiet_start, quiet_end).astimezone(UTC)
            nudge = PlannedReminder(nudge.kind, nudge.slot_key, nudge.local_slot, due)
        if start - LATE_GRACE[nudge.kind] <= due < end:
            planned.append(nudge)
    return planned


def _row(patient_id: int, planned: PlannedReminder, now: datetime) -> dict[str, Any]:
    return {
        "patient_id": patient_id,
        "kind": planned.kind,
        "slot_key": planned.slot_key,
        "local_slot": planned.local_slot.isoformat(),
        "due_at": planned.due_at,
        "created_at": now,
    }


# --- planning ------------------------------------------------------------------------------------------------


async def plan_batch(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime, limit: int = 200
) -> int:
    """Extend the horizon of up to `limit` patients whose planned rows run out within a day; returns how many."""
    patients = await rows.patients_to_plan(session, now + REPLAN_AHEAD, limit)
    if not patients:
        return 0
    fills = await rows.latest_fills(session, [p.id for p in patients])
    end = now + HORIZON
    new_rows: list[dict[str, Any]] = []
    for patient in patients:
        program = programs.get(patient.program_id or "")
        if program is None:
            continue
        start = (
            now
            if patient.reminders_planned_until is None
            else max(patient.reminders_planned_until, now - BACKFILL)
        )
        try:
            planned = plan_patient(patient, program, fills.get(patient.id), start, end)
        except ValueError:
            # A bad stored schedule must not block everyone behind it: skip it until the next horizon.
            log.exception("cannot plan reminders for patient %s", patient.id)
            continue
        new_rows.extend(_row(patient.id, p, now) for p in planned)
    await rows.insert_planned(session, new_rows)
    await rows.set_planned_until(session, [p.id for p in patients], end)
    return len(patients)


async def replan(
    session: AsyncSession,
    patient: Patient,
    program: Program,
    now: datetime,
    previous_times: Sequence[str] | None = None,
) -> None:
    """After a schedule change, pause, resume or a new refill: delete unsent rows and plan again, in the
    caller's transaction.

    Rows already sent stay, and so do their keys, so no slot is sent twice. When dose times changed
    (`previous_times` given), a slot already reminded today under a time that is gone counts for its
    replacement: the new time starts tomorrow, and the other doses of the day are untouched.
    """
    await rows.delete_unsent(session, patient.id)
    if patient.status != "active" or not patient.timezone:
        await rows.set_planned_until(session, [patient.id], None)
        return
    end = now + HORIZON
    fills = await rows.latest_fills(session, [patient.id])
    planned = plan_patient(patient, program, fills.get(patient.id), now, end)
    current = set(dose_times(patient, program))
    before = set(previous_times) if previous_times is not None else current
    standing = set(await rows.dose_slots_since(session, patient.id, now - timedelta(days=2)))
    replaced = Counter(_slot_day(key) for key in standing if _slot_time(key) not in current)
    keep: list[PlannedReminder] = []
    for item in planned:
        key = item.slot_key
        if (
            item.kind == "dose"
            and key not in standing
            and _slot_time(key) not in before
            and replaced[_slot_day(key)]
        ):
            replaced[_slot_day(key)] -= 1
            continue
        keep.append(item)
    await rows.insert_planned(session, [_row(patient.id, p, now) for p in keep])
    await rows.set_planned_until(session, [patient.id], end)
    patient.reminders_planned_until = end


def _slot_day(slot_key: str) -> str:
    return slot_key.split(":", 1)[1][:10]  # dose:2026-03-08T02:30 -> 2026-03-08


def _slot_time(slot_key: str) -> str:
    return slot_key[-5:]  # dose:2026-03-08T02:30 -> 02:30


async def cancel_patient(session: AsyncSession, patient_id: int) -> None:
    """STOP, consent withdrawn, or enrolment ended: nothing planned goes out; planning starts afresh after START."""
    await rows.delete_unsent(session, patient_id)
    await rows.cancel_snoozed(session, patient_id)
    await rows.set_planned_until(session, [patient_id], None)


# --- dispatch ------------------------------------------------------------------------------------------------


@dataclass
class DispatchResult:
    claimed: int = 0
    sent: int = 0
    missed: int = 0
    cancelled: int = 0
    outbox_ids: list[int] = field(default_factory=list)


def choose_address(patient: Patient, addresses: Sequence[Address]) -> Address | None:
    """The address reminders go to: the patient's current one if still reachable, else the most recently used."""
    for address in addresses:
        if address.id == patient.reminder_address_id:
            return address
    return addresses[0] if addresses else None


def render(reminder: Reminder, patient: Patient, program: Program) -> Reply:
    """The reminder's text and options in the patient's language, times in their zone and locale."""
    locale, tz = patient.locale, patient.timezone or "UTC"
    medicine = program.product.brand
    slot = datetime.fromisoformat(reminder.local_slot)
    if reminder.kind == "dose":
        return words.dose_reminder(locale, reminder.id, medicine, format_time(slot, tz, locale))
    due_day = date.fromisoformat(reminder.slot_key.rsplit("=", 1)[1])
    if reminder.kind == "refill_due_soon":
        return words.refill_due_soon(locale, medicine, _format_date(due_day, tz, locale))
    return words.refill_check(locale, reminder.id, medicine)


def _format_date(day: date, tz: str, locale: str | None) -> str:
    return format_day(local_instant(day, time(12, 0), zone(tz)), tz, locale)


def answer_window(reminder: Reminder, program: Program) -> timedelta | None:
    if reminder.kind == "dose":
        return timedelta(minutes=program.reminders.answer_window_minutes)
    if reminder.kind == "refill_check":
        return max(REFILL_ANSWER_WINDOW, timedelta(minutes=program.reminders.answer_window_minutes))
    return None


async def dispatch_due(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime, limit: int = 200
) -> DispatchResult:
    """Move due reminders into the outbox (or record them as missed when too late), in this transaction."""
    result = DispatchResult()
    due = await rows.claim_due(session, now, limit)
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
    await rows.add_dose_events(session, missed, "missed_not_sent", now)
    await rows.add_dose_events(session, unanswered, "no_response", now)
    outbox_ids = await rows.enqueue_many(
        session,
        [
            (address, reply.text, [{"key": o.key, "label": o.label} for o in reply.options], "reminder")
            for _, _, address, reply, _ in to_send
        ],
        now,
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


# --- the sweep -----------------------------------------------------------------------------------------------


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
    await rows.add_dose_events(session, [r for r in expired if r.kind == "dose"], "no_response", now)
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
