"""Dose planning as a patient would see it: the right local time, once, across zones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.reminders.plans import DoseSchedule, PlannedReminder, plan_doses


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def local_day_window(zone: str, day: date, days: int = 1) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=days), time(), tzinfo=tz).astimezone(UTC)
    return start, end


def daily(zone: str, *times: str, **extra: object) -> DoseSchedule:
    return DoseSchedule(kind="daily", times=times, timezone=zone, **extra)  # type: ignore[arg-type]


def keys_and_due(plan: list[PlannedReminder]) -> list[tuple[str, datetime]]:
    return [(r.slot_key, r.due_at) for r in plan]


# --- DST ----------------------------------------------------------------------------------------------------

SPRING_FORWARD = [
    # zone, transition day, dose time in the gap, the one UTC send instant (= 03:30 local, offset before
    # the gap)
    ("America/Los_Angeles", date(2026, 3, 8), "02:30", "2026-03-08T10:30"),
    ("Europe/Berlin", date(2026, 3, 29), "02:30", "2026-03-29T01:30"),
    ("Australia/Sydney", date(2026, 10, 4), "02:30", "2026-10-03T16:30"),
]


@pytest.mark.parametrize(("zone", "day", "dose", "sent_at"), SPRING_FORWARD)
def test_dose_in_spring_forward_gap_is_sent_once_at_0330(
    zone: str, day: date, dose: str, sent_at: str
) -> None:
    plan = plan_doses(daily(zone, dose), *local_day_window(zone, day))

    assert keys_and_due(plan) == [(f"dose:{day.isoformat()}T{dose}", utc(sent_at))]
    slot = plan[0].local_slot
    assert slot.time() == time(3, 30)  # a real local time, with the summer-time offset
    assert slot.utcoffset() == slot.astimezone(UTC).astimezone(ZoneInfo(zone)).utcoffset()


FALL_BACK = [
    # zone, transition day, dose time in the repeated hour, UTC instant of its first occurrence
    ("America/Los_Angeles", date(2026, 11, 1), "01:30", "2026-11-01T08:30"),
    ("Europe/Berlin", date(2026, 10, 25), "02:30", "2026-10-25T00:30"),
    ("Australia/Sydney", date(2026, 4, 5), "02:30", "2026-04-04T15:30"),
]


@pytest.mark.parametrize(("zone", "day", "dose", "first_at"), FALL_BACK)
def test_dose_in_repeated_hour_is_sent_once_at_first_occurrence(
    zone: str, day: date, dose: str, first_at: str
) -> None:
    plan = plan_doses(daily(zone, dose), *local_day_window(zone, day))

    assert keys_and_due(plan) == [(f"dose:{day.isoformat()}T{dose}", utc(first_at))]


@pytest.mark.parametrize(("zone", "day", "dose", "first_at"), FALL_BACK)
def test_window_opening_between_the_two_occurrences_does_not_plan_the_second(
    zone: str, day: date, dose: str, first_at: str
) -> None:
    between = utc(first_at) + timedelta(minutes=30)  # the second occurrence is one hour after the first

    plan = plan_doses(daily(zone, dose), between, between + timedelta(hours=6))

    assert plan == []


@pytest.mark.parametrize(
    ("zone", "day"),
    [(z, d) for z, d, _, _ in SPRING_FORWARD] + [(z, d) for z, d, _, _ in FALL_BACK],
)
def test_sliding_windows_over_a_dst_weekend_plan_every_slot_once_with_one_send_time(
    zone: str, day: date
) -> None:
    """The rolling planner re-plans overlapping windows every few minutes; the keys (and so the unique index)
    must make that harmless: every slot always gets the same key and the same send time, and every window
    plans exactly the slots whose instant it contains (also one opening just after a DST jump)."""
    schedule = daily(zone, "01:30", "02:30", "03:30", "08:00", "21:15")
    start, end = local_day_window(zone, day - timedelta(days=1), days=3)
    plan = plan_doses(schedule, start, end)
    whole = {r.slot_key: r.due_at for r in plan}

    seen: dict[str, set[datetime]] = {}
    cursor = start
    while cursor + timedelta(hours=24) <= end:
        window_end = cursor + timedelta(hours=24)
        keys = []
        for r in plan_doses(schedule, cursor, window_end):
            seen.setdefault(r.slot_key, set()).add(r.due_at)
            keys.append(r.slot_key)
        assert keys == [r.slot_key for r in plan if cursor <= r.local_slot < window_end], cursor
        cursor += timedelta(minutes=15)

    assert {key: due for key, (due,) in seen.items()} == whole  # one send time per key, nothing extra
    assert len(whole) == 3 * 5  # five doses a day for three days: none lost, none doubled


def test_daily_time_stays_on_the_local_clock_across_dst() -> None:
    plan = plan_doses(daily("America/Los_Angeles", "08:00"), utc("2026-03-07T00:00"), utc("2026-03-10T00:00"))

    assert keys_and_due(plan) == [
        ("dose:2026-03-07T08:00", utc("2026-03-07T16:00")),  # PST, UTC-8
        ("dose:2026-03-08T08:00", utc("2026-03-08T15:00")),  # PDT, UTC-7
        ("dose:2026-03-09T08:00", utc("2026-03-09T15:00")),
    ]
    assert {r.local_slot.time() for r in plan} == {time(8, 0)}


def test_tokyo_and_los_angeles_in_the_same_window() -> None:
    window = (utc("2026-03-08T00:00"), utc("2026-03-09T00:00"))

    tokyo = plan_doses(daily("Asia/Tokyo", "08:00", "20:00"), *window)
    los_angeles = plan_doses(daily("America/Los_Angeles", "08:00", "20:00"), *window)

    assert keys_and_due(tokyo) == [
        ("dose:2026-03-08T20:00", utc("2026-03-08T11:00")),
        ("dose:2026-03-09T08:00", utc("2026-03-08T23:00")),
    ]
    assert keys_and_due(los_angeles) == [
        ("dose:2026-03-07T20:00", utc("2026-03-08T04:00")),  # still PST: UTC-8
        ("dose:2026-03-08T08:00", utc("2026-03-08T15:00")),  # PDT since 02:00 local
    ]


# --- quiet hours inside planning ----------------------------------------------------------------------------


def test_doses_inside_quiet_hours_wrapping_midnight_wait_for_the_morning() -> None:
    schedule = daily("Europe/Berlin", "06:00", "12:00", "23:00", quiet_start="22:00", quiet_end="07:00")

    plan = plan_doses(schedule, utc("2026-06-01T00:00"), utc("2026-06-02T00:00"))  # Berlin is UTC+2 in June

    assert [(r.slot_key, r.local_slot.time(), r.due_at) for r in plan] == [
        ("dose:2026-06-01T06:00", time(6, 0), utc("2026-06-01T05:00")),  # sent at 07:00 local
        ("dose:2026-06-01T12:00", time(12, 0), utc("2026-06-01T10:00")),  # outside quiet hours: on time
        ("dose:2026-06-01T23:00", time(23, 0), utc("2026-06-02T05:00")),  # sent at 07:00 the next morning
    ]


def test_quiet_hours_end_stays_local_on_spring_forward_morning() -> None:
    schedule = daily("America/Los_Angeles", "23:30", quiet_start="22:00", quiet_end="07:00")

    plan = plan_doses(schedule, utc("2026-03-07T12:00"), utc("2026-03-08T12:00"))

    assert keys_and_due(plan) == [("dose:2026-03-07T23:30", utc("2026-03-08T14:00"))]  # 07:00 PDT


# --- weekly, every N days, pause ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "weekday", "dose", "expected_keys"),
    [
        ("Europe/Berlin", "mon", "09:00", ["dose:2026-03-02T09:00", "dose:2026-03-09T09:00"]),
        ("Asia/Tokyo", "mon", "07:00", ["dose:2026-03-02T07:00", "dose:2026-03-09T07:00"]),  # Sunday in UTC
        # Sunday evening in Los Angeles is Monday in UTC
        ("America/Los_Angeles", "sun", "20:00", ["dose:2026-03-01T20:00", "dose:2026-03-08T20:00"]),
    ],
)
def test_weekly_dose_falls_on_the_local_weekday(
    zone: str, weekday: str, dose: str, expected_keys: list[str]
) -> None:
    schedule = DoseSchedule(kind="weekly", times=(dose,), weekday=weekday, timezone=zone)

    plan = plan_doses(schedule, *local_day_window(zone, date(2026, 3, 1), days=14))

    assert [r.slot_key for r in plan] == expected_keys
    assert {r.local_slot.strftime("%a").lower() for r in plan} == {weekday}


@pytest.mark.parametrize(
    ("every", "anchor", "window_from", "days", "expected_dates"),
    [
        (3, date(2026, 3, 1), date(2026, 3, 1), 10, ["2026-03-01", "2026-03-04", "2026-03-07", "2026-03-10"]),
        # over a month end (not day-of-month arithmetic)
        (2, date(2026, 1, 30), date(2026, 1, 29), 7, ["2026-01-30", "2026-02-01", "2026-02-03"]),
        # nothing before the anchor
        (7, date(2026, 3, 5), date(2026, 3, 1), 14, ["2026-03-05", "2026-03-12"]),
        (14, date(2025, 12, 1), date(2026, 3, 1), 14, ["2026-03-09"]),  # anchor long ago
        (2, date(2026, 3, 7), date(2026, 3, 7), 4, ["2026-03-07", "2026-03-09"]),  # across LA spring-forward
    ],
)
def test_every_n_days_counts_calendar_days_from_the_anchor(
    every: int, anchor: date, window_from: date, days: int, expected_dates: list[str]
) -> None:
    zone = "America/Los_Angeles"
    schedule = DoseSchedule(
        kind="every_n_days", times=("09:00",), every_n_days=every, anchor_date=anchor, timezone=zone
    )

    plan = plan_doses(schedule, *local_day_window(zone, window_from, days=days))

    assert [r.slot_key for r in plan] == [f"dose:{d}T09:00" for d in expected_dates]
    assert {r.local_slot.time() for r in plan} == {time(9, 0)}


def test_pause_skips_days_before_paused_until_and_resumes_on_it() -> None:
    schedule = daily("Europe/Berlin", "08:00", "20:00", paused_until=date(2026, 3, 10))

    plan = plan_doses(schedule, *local_day_window("Europe/Berlin", date(2026, 3, 8), days=3))

    assert [r.slot_key for r in plan] == ["dose:2026-03-10T08:00", "dose:2026-03-10T20:00"]


def test_window_is_half_open_so_back_to_back_windows_share_no_slot() -> None:
    schedule = daily("UTC", "12:00")

    first = plan_doses(schedule, utc("2026-03-01T00:00"), utc("2026-03-01T12:00"))
    second = plan_doses(schedule, utc("2026-03-01T12:00"), utc("2026-03-02T00:00"))

    assert (first, [r.slot_key for r in second]) == ([], ["dose:2026-03-01T12:00"])


# --- bad schedules are refused where they are made ----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "hourly", "times": ("08:00",)}, "unknown schedule kind"),
        ({"kind": "daily", "times": ()}, "at least one time"),
        ({"kind": "daily", "times": ("8:00",)}, "HH:MM"),
        ({"kind": "daily", "times": ("24:00",)}, "HH:MM"),
        ({"kind": "daily", "times": ("08:00",), "timezone": "Mars/Olympus"}, "unknown time zone"),
        ({"kind": "weekly", "times": ("08:00",)}, "weekday is required"),
        ({"kind": "weekly", "times": ("08:00",), "weekday": "monday"}, "weekday must be one of"),
        ({"kind": "daily", "times": ("08:00",), "weekday": "mon"}, "weekday is required"),
        (
            {"kind": "every_n_days", "times": ("08:00",), "every_n_days": 0, "anchor_date": date(2026, 1, 1)},
            ">=",
        ),
        ({"kind": "every_n_days", "times": ("08:00",), "every_n_days": 2}, "anchor_date"),
        ({"kind": "daily", "times": ("08:00",), "quiet_start": "22:00"}, "both or neither"),
    ],
)
def test_bad_schedule_is_refused_with_a_reason(fields: dict[str, object], message: str) -> None:
    fields.setdefault("timezone", "Europe/Berlin")
    with pytest.raises(ValueError, match=message):
        DoseSchedule(**fields)  # type: ignore[arg-type]


def test_naive_window_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        plan_doses(daily("UTC", "08:00"), datetime(2026, 3, 1), utc("2026-03-02T00:00"))
