"""Pure reminder planning: a patient's schedule and time zone in, UTC send times out.

Nothing here reads a clock, a file or a database: ``now`` and the planning window are always passed in, so
every rule can be checked with a table. APScheduler's ``CronTrigger`` walks the calendar (wall-clock times in
the patient's IANA zone) and ``zoneinfo`` places single local times; we never add hours by hand. The rules
(DST, quiet hours, late sends, snoozes, slot keys) are written down in ``docs/reminders.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

ScheduleKind = Literal["daily", "weekly", "every_n_days"]
ReminderKind = Literal["dose", "refill_due_soon", "refill_check"]
LateDecision = Literal["send", "missed_not_sent"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: How late a reminder may still go out after downtime, per kind (inclusive).
#: A dose nudge hours after the dose time invites a double dose or a muddled day; a refill nudge stays useful.
LATE_GRACE: dict[str, timedelta] = {
    "dose": timedelta(minutes=60),
    "refill_due_soon": timedelta(days=1),
    "refill_check": timedelta(days=3),
}

DEFAULT_SNOOZE_MINUTES = 30
MAX_SNOOZES = 2

# The cron search starts this far before the window so a slot whose instant lies in the window is found even
# when the window opens just after a DST jump (the longest real-world shift is 2 hours); slots before the
# window are then filtered out by instant.
_SEARCH_MARGIN = timedelta(hours=3)
_ONE_MICROSECOND = timedelta(microseconds=1)
_HHMM = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@dataclass(frozen=True, slots=True)
class DoseSchedule:
    """When a patient takes their medicine, in their own time zone.

    ``kind`` picks which of ``weekday`` (weekly) or ``every_n_days`` + ``anchor_date`` (every N days counted
    from the anchor, which is a dose day) applies. Quiet hours may wrap midnight; reminders resume on
    ``paused_until`` (the pause covers the days before it).
    """

    kind: ScheduleKind
    times: tuple[str, ...]
    timezone: str
    weekday: str | None = None
    every_n_days: int | None = None
    anchor_date: date | None = None
    quiet_start: str | None = None
    quiet_end: str | None = None
    paused_until: date | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("daily", "weekly", "every_n_days"):
            raise ValueError(f"unknown schedule kind {self.kind!r}")
        if not self.times:
            raise ValueError("a dose schedule needs at least one time")
        for text in self.times:
            _parse_hhmm(text, "times")
        zone(self.timezone)
        if (self.kind == "weekly") != (self.weekday is not None):
            raise ValueError("weekday is required for, and only for, a weekly schedule")
        if self.weekday is not None and self.weekday not in WEEKDAYS:
            raise ValueError(f"weekday must be one of {', '.join(WEEKDAYS)}, got {self.weekday!r}")
        if self.kind == "every_n_days":
            if self.every_n_days is None or self.every_n_days < 1 or self.anchor_date is None:
                raise ValueError("every_n_days needs every_n_days >= 1 and an anchor_date")
        elif self.every_n_days is not None or self.anchor_date is not None:
            raise ValueError("every_n_days and anchor_date apply only to an every_n_days schedule")
        _check_quiet(self.quiet_start, self.quiet_end)


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    """One reminder to store as a row; ``(patient, slot_key)`` is unique, so re-planning never sends twice.

    ``local_slot`` is the instant the schedule names, in the patient's zone (a slot in a spring-forward gap
    shows the real local time it maps to); ``slot_key`` keeps the nominal wall time. ``due_at`` (UTC) is when
    to send, after quiet hours.
    """

    kind: ReminderKind
    slot_key: str
    local_slot: datetime
    due_at: datetime


def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; a bad name fails here rather than at send time."""
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValueError(f"unknown time zone {name!r}") from exc


def plan_doses(
    schedule: DoseSchedule, window_start_utc: datetime, window_end_utc: datetime
) -> list[PlannedReminder]:
    """Dose reminders whose slot instant falls in ``[window_start_utc, window_end_utc)``, by send time.

    Slots follow the wall clock in the patient's zone (08:00 stays 08:00 across DST). A slot in a
    spring-forward gap is kept once, at the instant given by the offset before the gap (02:30 -> 03:30); a
    slot in a fall-back repeated hour is kept at its first occurrence only (RFC 5545, section 3.3.5).
    """
    _require_aware(window_start_utc, "window_start_utc")
    _require_aware(window_end_utc, "window_end_utc")
    # Compare instants in UTC: aware datetimes sharing one tzinfo compare by wall time, which lies around DST.
    window_start_utc, window_end_utc = window_start_utc.astimezone(UTC), window_end_utc.astimezone(UTC)
    tz = zone(schedule.timezone)
    search_from = window_start_utc - _SEARCH_MARGIN
    planned: dict[str, PlannedReminder] = {}
    for text in schedule.times:
        hour, minute = _parse_hhmm(text, "times")
        trigger = _dose_trigger(schedule.weekday, hour, minute, schedule.timezone)
        fire = trigger.get_next_fire_time(None, search_from)
        while fire is not None and fire < window_end_utc:
            if (
                fire >= window_start_utc
                and _is_first_occurrence(fire)
                and _is_dose_day(schedule, fire.date())
            ):
                key = f"dose:{fire:%Y-%m-%dT%H:%M}"
                # Via UTC: astimezone() to the same tzinfo is a no-op and would keep a gap time (02:30) as is.
                local_slot = fire.astimezone(UTC).astimezone(tz)
                due = apply_quiet_hours(local_slot, schedule.quiet_start, schedule.quiet_end)
                planned[key] = PlannedReminder("dose", key, local_slot, due.astimezone(UTC))
            fire = trigger.get_next_fire_time(fire, fire)
    return sorted(planned.values(), key=lambda r: (r.due_at, r.slot_key))


def plan_refill(
    last_fill: date,
    days_supply: int,
    lead_days: int,
    reminder_time: str,
    timezone: str,
    quiet_start: str | None = None,
    quiet_end: str | None = None,
) -> list[PlannedReminder]:
    """The refill nudges for one dispensing: "due soon" ``lead_days`` before the supply runs out, and "did you
    collect it?" on the due day (``last_fill + days_supply``).

    Keys name the due date, not the send time, so changing the reminder time or lead days never sends a second
    nudge about the same supply. A due-soon nudge that would fall on or before the fill day is dropped.
    """
    if days_supply < 1:
        raise ValueError(f"days_supply must be at least 1, got {days_supply}")
    if lead_days < 0:
        raise ValueError(f"lead_days must not be negative, got {lead_days}")
    send_time = time(*_parse_hhmm(reminder_time, "reminder_time"))
    _check_quiet(quiet_start, quiet_end)
    tz = zone(timezone)
    due_date = last_fill + timedelta(days=days_supply)
    nudges: list[tuple[ReminderKind, date]] = [("refill_check", due_date)]
    soon_date = due_date - timedelta(days=lead_days)
    if lead_days > 0 and soon_date > last_fill:
        nudges.insert(0, ("refill_due_soon", soon_date))
    planned = []
    for kind, day in nudges:
        local_slot = local_instant(day, send_time, tz)
        due = apply_quiet_hours(local_slot, quiet_start, quiet_end)
        planned.append(
            PlannedReminder(kind, f"{kind}:due={due_date.isoformat()}", local_slot, due.astimezone(UTC))
        )
    return planned


def apply_quiet_hours(local_dt: datetime, quiet_start: str | None, quiet_end: str | None) -> datetime:
    """``local_dt`` (aware, in the patient's zone), moved to the end of quiet hours if it falls inside them.

    Quiet hours are wall-clock ``[quiet_start, quiet_end)``; ``quiet_start > quiet_end`` wraps midnight, equal
    values or None mean no quiet hours. The end is placed on the right calendar day with zoneinfo, so it stays
    07:00 local on a DST day (and an end inside a spring-forward gap maps like any gap time).
    """
    _require_aware(local_dt, "local_dt")
    _check_quiet(quiet_start, quiet_end)
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return local_dt
    start = time(*_parse_hhmm(quiet_start, "quiet_start"))
    end = time(*_parse_hhmm(quiet_end, "quiet_end"))
    wall = local_dt.time()
    day = local_dt.date()
    if start < end:
        if not start <= wall < end:
            return local_dt
    elif wall >= start:
        day += timedelta(days=1)
    elif wall >= end:
        return local_dt
    tz = local_dt.tzinfo
    assert tz is not None
    naive_end = datetime.combine(day, end)
    sent_at = local_dt.astimezone(UTC)  # compare instants: same-zone datetimes compare by wall time
    # In a fall-back repeated hour the first occurrence of the end may precede local_dt: take the later one.
    for fold in (0, 1):
        candidate = naive_end.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if candidate >= sent_at:
            return candidate.astimezone(tz)
    return local_dt


def snooze(
    due_at_utc: datetime,
    now: datetime,
    count: int,
    minutes: int = DEFAULT_SNOOZE_MINUTES,
    max_snoozes: int = MAX_SNOOZES,
    *,
    timezone: str = "UTC",
    quiet_start: str | None = None,
    quiet_end: str | None = None,
) -> datetime | None:
    """The new UTC send time when a patient snoozes a reminder, or None once ``count`` (snoozes already taken)
    has reached ``max_snoozes``.

    The delay runs from the later of the due time and ``now`` (a snooze never lands in the past), then moves
    out of the patient's quiet hours in ``timezone``.
    """
    _require_aware(due_at_utc, "due_at_utc")
    _require_aware(now, "now")
    if minutes < 1:
        raise ValueError(f"snooze minutes must be at least 1, got {minutes}")
    if count >= max_snoozes:
        return None
    again = max(due_at_utc, now) + timedelta(minutes=minutes)
    local = again.astimezone(zone(timezone))
    return apply_quiet_hours(local, quiet_start, quiet_end).astimezone(UTC)


def late_decision(kind: ReminderKind, due_at_utc: datetime, now: datetime) -> LateDecision:
    """Whether a reminder found unsent at ``now`` (after downtime) still goes out, or is recorded as missed.

    It is sent while ``now <= due_at_utc + LATE_GRACE[kind]``; a reminder not yet due is simply "send".
    """
    _require_aware(due_at_utc, "due_at_utc")
    _require_aware(now, "now")
    try:
        grace = LATE_GRACE[kind]
    except KeyError:
        raise ValueError(f"unknown reminder kind {kind!r}") from None
    return "send" if now - due_at_utc <= grace else "missed_not_sent"


def answer_deadline(due_at_utc: datetime, window_minutes: int) -> datetime:
    """Until when an answer ("taken", a button) still closes the reminder; later answers are just messages."""
    _require_aware(due_at_utc, "due_at_utc")
    if window_minutes < 0:
        raise ValueError(f"window_minutes must not be negative, got {window_minutes}")
    return (due_at_utc + timedelta(minutes=window_minutes)).astimezone(UTC)


def local_instant(day: date, at: time, tz: ZoneInfo) -> datetime:
    """Wall time ``at`` on ``day`` in ``tz`` as a real instant: a gap time takes the offset before the gap
    (02:30 -> 03:30), a repeated time its first occurrence — zoneinfo's fold=0, as RFC 5545 prescribes."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC).astimezone(tz)


@lru_cache(maxsize=8192)
def _dose_trigger(weekday: str | None, hour: int, minute: int, tz_name: str) -> CronTrigger:
    """One cron trigger per (weekday, time, zone), shared by every patient with that pattern (triggers hold
    no state between calls)."""
    return CronTrigger(day_of_week=weekday, hour=hour, minute=minute, timezone=ZoneInfo(tz_name))


def _is_first_occurrence(fire: datetime) -> bool:
    """False for the second pass of a wall time repeated by a fall-back transition."""
    return fire.fold == 0 or fire.replace(fold=0).utcoffset() == fire.utcoffset()


def _is_dose_day(schedule: DoseSchedule, day: date) -> bool:
    if schedule.paused_until is not None and day < schedule.paused_until:
        return False
    if schedule.kind == "every_n_days":
        assert schedule.anchor_date is not None and schedule.every_n_days is not None
        offset = (day - schedule.anchor_date).days
        return offset >= 0 and offset % schedule.every_n_days == 0
    return True


@lru_cache(maxsize=2048)
def _parse_hhmm(text: str, field: str) -> tuple[int, int]:
    match = _HHMM.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{field}: expected a 24-hour HH:MM time, got {text!r}")
    return int(match[1]), int(match[2])


def _check_quiet(quiet_start: str | None, quiet_end: str | None) -> None:
    if (quiet_start is None) != (quiet_end is None):
        raise ValueError("quiet_start and quiet_end go together (both or neither)")
    if quiet_start is not None and quiet_end is not None:
        _parse_hhmm(quiet_start, "quiet_start")
        _parse_hhmm(quiet_end, "quiet_end")


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (UTC), got a naive one")
