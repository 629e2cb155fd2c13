"""When the journey may write to a patient, and the patient's record as the journey reads it (pure).

Journey modules are not urgent: they go out in the patient's local daytime (JOURNEY_WINDOW), never inside the
program's quiet hours, and at most one a day. Dates are the patient's local dates, so "day 3" and "today"
mean what they mean to the patient, whatever the server's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.programs import Program, ReminderDefaults
from bot.learn.journey import ON_REQUEST_REASONS, PatientEvent, Sent, next_module
from bot.learn.modules import Delivery, Module, Variant

JOURNEY_WINDOW: tuple[time, time] = (time(10, 0), time(19, 0))  # local time, start included, end excluded


class DeliveryRecord(Protocol):
    """The stored delivery fields the journey reads back (bot.storage.models.ContentDelivery)."""

    module_id: str
    sent_at: datetime
    variant: str
    reason: str
    opened_at: datetime | None
    quiz_answer: str | None
    quiz_answered_at: datetime | None


def zone(name: str | None) -> ZoneInfo:
    """The patient's zone; UTC when it is unknown or not a zone name."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(moment: datetime, tz: str | None) -> date:
    return moment.astimezone(zone(tz)).date()


def _hhmm(value: str) -> time:
    hour, minute = value.split(":")
    return time(int(hour), int(minute))


def in_quiet_hours(local: time, quiet_start: str, quiet_end: str) -> bool:
    """True inside [start, end), which may run over midnight (21:00-08:00)."""
    start, end = _hhmm(quiet_start), _hhmm(quiet_end)
    if start == end:
        return False
    if start < end:
        return start <= local < end
    return local >= start or local < end


def may_push_at(moment: datetime, tz: str | None, reminders: ReminderDefaults) -> bool:
    """Whether a journey module may be sent now: local daytime and outside the program's quiet hours."""
    local = moment.astimezone(zone(tz)).time().replace(tzinfo=None)
    start, end = JOURNEY_WINDOW
    return start <= local < end and not in_quiet_hours(local, reminders.quiet_start, reminders.quiet_end)


def history(records: Iterable[DeliveryRecord], tz: str | None) -> list[Sent]:
    return [
        Sent(r.module_id, local_date(r.sent_at, tz), _variant(r.variant), r.reason)
        for r in sorted(records, key=lambda r: r.sent_at)
    ]


def events(
    records: Iterable[DeliveryRecord], pv_opened: Iterable[datetime], tz: str | None
) -> list[PatientEvent]:
    """What the patient did: opened a short text, answered a quiz, reported a side effect (a PV case)."""
    found: list[PatientEvent] = []
    for r in records:
        if r.opened_at is not None:
            found.append(PatientEvent("opened", local_date(r.opened_at, tz), r.module_id))
        if r.quiz_answer in ("correct", "wrong") and r.quiz_answered_at is not None:
            found.append(
                PatientEvent(f"quiz_{r.quiz_answer}", local_date(r.quiz_answered_at, tz), r.module_id)
            )
    found.extend(PatientEvent("side_effect_report", local_date(at, tz)) for at in pv_opened)
    return found


def pushed_on(records: Sequence[DeliveryRecord], day: date, tz: str | None) -> bool:
    """True when a journey module (not one the patient asked for) went out on the patient's local `day`."""
    return any(r.reason not in ON_REQUEST_REASONS and local_date(r.sent_at, tz) == day for r in records)


def due_module(
    program: Program,
    modules: Mapping[str, Module],
    records: Sequence[DeliveryRecord],
    pv_opened: Iterable[datetime],
    now: datetime,
    *,
    tz: str | None,
    locale: str | None,
    enrolled_at: datetime,
    paused_until: date | None,
    variant: Variant | None = None,
) -> Delivery | None:
    """Today's journey module for one patient, or None (paused, a journey module already went out today, or
    nothing is due): the one rule the journey job's pre-check and its batched write both apply."""
    today = local_date(now, tz)
    if (paused_until is not None and paused_until >= today) or pushed_on(records, today, tz):
        return None
    return next_module(
        program,
        modules,
        history(records, tz),
        today,
        local_date(enrolled_at, tz),
        locale or program.fallback_language or program.languages[0],
        events(records, pv_opened, tz),
        variant=variant,
    )


def _variant(value: str) -> Variant:
    return "sms" if value == "sms" else "full"
