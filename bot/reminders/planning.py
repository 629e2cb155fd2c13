"""Reminder rows for one patient: plan a rolling horizon, replan after a change, cancel, render.

The pure rules (DST, quiet hours, late sends) are `bot.reminders.plans`; the time-driven sweeps that send due
rows and close unanswered ones are `scheduler.reminders`.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Reply
from bot.core.programs import Program
from bot.i18n import format_day, format_time
from bot.reminders import store as rows
from bot.reminders import words
from bot.reminders.plans import (
    LATE_GRACE,
    DoseSchedule,
    PlannedReminder,
    apply_quiet_hours,
    local_instant,
    plan_doses,
    plan_refill,
    zone,
)
from bot.storage.models import Patient, Reminder

log = logging.getLogger(__name__)

HORIZON = timedelta(hours=48)  # rows exist this far ahead
REPLAN_AHEAD = timedelta(hours=24)  # a patient is planned again when less than this is left
BACKFILL = timedelta(days=1)  # after downtime, slots missed up to this far back are still recorded
REFILL_ANSWER_WINDOW = timedelta(hours=24)  # "did you collect it?" may be answered later in the day
MAX_OPEN = 5  # reminders a typed answer may still refer to
FLOW = "reminder"
REFILL_KINDS = ("refill_due_soon", "refill_check")


# --- a patient's schedule -----------------------------------------------------------------------------------


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


# --- planning -----------------------------------------------------------------------------------------------


async def plan_batch(
    session: AsyncSession, programs: Mapping[str, Program], now: datetime, limit: int = 200
) -> int:
    """Extend the horizon of up to `limit` patients whose planned rows run out within a day; returns how
    many."""
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


async def replan_refills(
    session: AsyncSession, programs: Mapping[str, Program], patient_ids: Sequence[int], now: datetime
) -> int:
    """New dispensings on record (a pharmacy import): the unsent refill nudges of these patients are planned
    again from their latest fill, up to their current horizon; dose rows are left alone. Returns how many
    patients were re-planned.

    A patient not planned yet (or not active) is skipped: the next planning sweep reads the new fills anyway.
    """
    patients = await rows.patients_by_id(session, patient_ids)
    fills = await rows.latest_fills(session, sorted(patients))
    done = 0
    for patient in patients.values():
        program = programs.get(patient.program_id or "")
        until = patient.reminders_planned_until
        if program is None or patient.status != "active" or not patient.timezone or until is None:
            continue
        await rows.delete_unsent(session, patient.id, REFILL_KINDS)
        try:
            planned = plan_patient(patient, program, fills.get(patient.id), now, max(until, now))
        except ValueError:
            log.exception("cannot plan refill nudges for patient %s", patient.id)
            continue
        nudges = [_row(patient.id, p, now) for p in planned if p.kind in REFILL_KINDS]
        await rows.insert_planned(session, nudges)
        done += 1
    return done


def _slot_day(slot_key: str) -> str:
    return slot_key.split(":", 1)[1][:10]  # dose:2026-03-08T02:30 -> 2026-03-08


def _slot_time(slot_key: str) -> str:
    return slot_key[-5:]  # dose:2026-03-08T02:30 -> 02:30


async def cancel_patient(session: AsyncSession, patient_id: int) -> None:
    """STOP, consent withdrawn, or enrolment ended: nothing planned goes out; planning starts afresh after
    START."""
    await rows.delete_unsent(session, patient_id)
    await rows.cancel_snoozed(session, patient_id)
    await rows.set_planned_until(session, [patient_id], None)


# --- dispatch -----------------------------------------------------------------------------------------------


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
