"""Refill nudges, quiet hours, snoozes, late sends and typed times: the rules around a single reminder."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.times import parse_local_time
from bot.reminders.plans import answer_deadline, apply_quiet_hours, late_decision, plan_refill, snooze

ZONES = {"BER": "Europe/Berlin", "LA": "America/Los_Angeles", "SYD": "Australia/Sydney", "TYO": "Asia/Tokyo"}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def at(zone: str, text: str, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone), fold=fold)


# --- refill -------------------------------------------------------------------------------------------------


REFILLS = [
    # last fill, days of supply, lead days, send time, zone, due date, due-soon send (UTC), check send (UTC)
    # 30 days from 1 March: due 31 March, Los Angeles already on PDT
    ("2026-03-01", 30, 3, "09:00", "LA", "2026-03-31", "2026-03-28T16:00", "2026-03-31T16:00"),
    # 90-day supply over a year end, Sydney on summer time (UTC+11)
    ("2025-10-15", 90, 7, "10:30", "SYD", "2026-01-13", "2026-01-05T23:30", "2026-01-12T23:30"),
    # no lead: only the check on the due day
    ("2026-03-01", 28, 0, "18:00", "TYO", "2026-03-29", None, "2026-03-29T09:00"),
    # a lead as long as the supply would nag on the fill day itself: dropped
    ("2026-03-01", 5, 5, "18:00", "TYO", "2026-03-06", None, "2026-03-06T09:00"),
    # due on the spring-forward day at a time in the gap: once, at 03:30 PDT
    ("2026-02-06", 30, 1, "02:30", "LA", "2026-03-08", "2026-03-07T10:30", "2026-03-08T10:30"),
]


@pytest.mark.parametrize(("fill", "supply", "lead", "send", "zone", "due", "soon_at", "check_at"), REFILLS)
def test_refill_nudges_land_on_the_right_local_days(
    fill: str, supply: int, lead: int, send: str, zone: str, due: str, soon_at: str | None, check_at: str
) -> None:
    plan = plan_refill(date.fromisoformat(fill), supply, lead, send, ZONES[zone])

    expected = [("refill_check", f"refill_check:due={due}", utc(check_at))]
    if soon_at is not None:
        expected.insert(0, ("refill_due_soon", f"refill_due_soon:due={due}", utc(soon_at)))
    assert [(r.kind, r.slot_key, r.due_at) for r in plan] == expected


def test_refill_keys_do_not_change_with_reminder_time_or_lead() -> None:
    """A patient moving their reminder time must not get a second nudge about the same supply."""
    before = plan_refill(date(2026, 3, 1), 30, 3, "09:00", "Europe/Berlin")
    after = plan_refill(date(2026, 3, 1), 30, 5, "19:30", "Europe/Berlin")

    assert [r.slot_key for r in before] == [r.slot_key for r in after]
    assert [r.due_at for r in before] != [r.due_at for r in after]


def test_refill_nudge_inside_quiet_hours_waits_for_the_morning() -> None:
    plan = plan_refill(
        date(2026, 6, 1), 30, 2, "22:30", "Europe/Berlin", quiet_start="22:00", quiet_end="08:00"
    )

    assert [(r.local_slot.isoformat(), r.due_at) for r in plan] == [
        ("2026-06-29T22:30:00+02:00", utc("2026-06-30T06:00")),
        ("2026-07-01T22:30:00+02:00", utc("2026-07-02T06:00")),
    ]


@pytest.mark.parametrize(("supply", "lead", "message"), [(0, 3, "days_supply"), (30, -1, "lead_days")])
def test_refill_with_impossible_numbers_is_refused(supply: int, lead: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_refill(date(2026, 3, 1), supply, lead, "09:00", "UTC")


# --- quiet hours --------------------------------------------------------------------------------------------

QUIET = [
    # zone, local send time, quiet hours, where the send lands (local)
    ("BER", "2026-06-01T23:30", "22:00-07:00", "2026-06-02T07:00+02:00"),  # evening -> next morning
    ("BER", "2026-06-01T22:00", "22:00-07:00", "2026-06-02T07:00+02:00"),  # the start is quiet
    ("BER", "2026-06-01T06:59", "22:00-07:00", "2026-06-01T07:00+02:00"),  # early morning -> same day
    ("BER", "2026-06-01T07:00", "22:00-07:00", "2026-06-01T07:00+02:00"),  # the end is allowed
    ("BER", "2026-06-01T21:59", "22:00-07:00", "2026-06-01T21:59+02:00"),  # before quiet hours: unchanged
    ("BER", "2026-06-01T14:00", "13:00-15:00", "2026-06-01T15:00+02:00"),  # siesta, no wrap
    ("BER", "2026-06-01T15:30", "13:00-15:00", "2026-06-01T15:30+02:00"),  # after the siesta
    ("BER", "2026-06-01T03:00", "07:00-07:00", "2026-06-01T03:00+02:00"),  # equal ends: no quiet hours
    ("BER", "2026-12-31T23:45", "23:00-06:00", "2027-01-01T06:00+01:00"),  # over a year end
    # DST days: the end stays on the local clock
    ("LA", "2026-03-07T23:30", "22:00-07:00", "2026-03-08T07:00-07:00"),  # spring forward overnight
    ("BER", "2026-10-24T23:00", "22:00-07:00", "2026-10-25T07:00+01:00"),  # fall back overnight
    ("SYD", "2026-10-03T23:00", "22:00-07:00", "2026-10-04T07:00+11:00"),  # Sydney springs forward in October
    ("LA", "2026-03-08T01:00", "23:00-02:30", "2026-03-08T03:30-07:00"),  # an end in the gap maps like a dose
]


@pytest.mark.parametrize(("zone", "local", "quiet", "expected"), QUIET)
def test_quiet_hours_move_a_send_to_their_end(zone: str, local: str, quiet: str, expected: str) -> None:
    quiet_start, quiet_end = quiet.split("-")

    moved = apply_quiet_hours(at(ZONES[zone], local), quiet_start, quiet_end)

    assert moved.isoformat(timespec="minutes") == expected


def test_quiet_hours_never_move_a_send_backwards_in_the_repeated_hour() -> None:
    second_pass = at("America/Los_Angeles", "2026-11-01T01:30", fold=1)  # 01:30 PST, 09:30 UTC

    moved = apply_quiet_hours(second_pass, "01:00", "01:45")

    assert moved.astimezone(UTC) == utc("2026-11-01T09:45")  # 01:45 PST, not the earlier 01:45 PDT


def test_no_quiet_hours_leaves_the_time_alone() -> None:
    send = at("Asia/Tokyo", "2026-06-01T03:00")

    assert apply_quiet_hours(send, None, None) == send


# --- snooze -------------------------------------------------------------------------------------------------


BERLIN_QUIET_NIGHTS = {"timezone": "Europe/Berlin", "quiet_start": "22:00", "quiet_end": "07:00"}


@pytest.mark.parametrize(
    ("due", "now", "count", "kwargs", "expected"),
    [
        ("2026-06-01T08:00", "2026-06-01T08:02", 0, {}, "2026-06-01T08:32"),  # 30 minutes from the tap
        ("2026-06-01T08:00", "2026-06-01T08:40", 1, {}, "2026-06-01T09:10"),  # second snooze allowed
        ("2026-06-01T08:00", "2026-06-01T09:20", 2, {}, None),  # a third is not
        ("2026-06-01T08:00", "2026-06-01T08:00", 0, {"minutes": 10, "max_snoozes": 1}, "2026-06-01T08:10"),
        ("2026-06-01T08:00", "2026-06-01T08:15", 1, {"max_snoozes": 1}, None),
        # 21:45 in Berlin (UTC+2) snoozed 30 min lands at 22:15, inside 22:00-07:00: sent at 07:00
        ("2026-06-01T19:45", "2026-06-01T19:45", 0, BERLIN_QUIET_NIGHTS, "2026-06-02T05:00"),
    ],
)
def test_snooze_delays_at_most_twice_and_respects_quiet_hours(
    due: str, now: str, count: int, kwargs: dict[str, object], expected: str | None
) -> None:
    result = snooze(utc(due), utc(now), count, **kwargs)  # type: ignore[arg-type]

    assert result == (utc(expected) if expected else None)


def test_a_patient_gets_exactly_two_snoozes() -> None:
    due, now, count = utc("2026-06-01T08:00"), utc("2026-06-01T08:00"), 0
    while (again := snooze(due, now, count)) is not None:
        due = now = again
        count += 1

    assert (count, due) == (2, utc("2026-06-01T09:00"))


# --- late sends after downtime ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "late_by", "decision"),
    [
        ("dose", timedelta(minutes=-5), "send"),  # not due yet
        ("dose", timedelta(0), "send"),
        ("dose", timedelta(minutes=60), "send"),
        ("dose", timedelta(minutes=61), "missed_not_sent"),
        ("dose", timedelta(hours=8), "missed_not_sent"),
        ("refill_due_soon", timedelta(hours=23), "send"),
        ("refill_due_soon", timedelta(days=1), "send"),
        ("refill_due_soon", timedelta(days=1, minutes=1), "missed_not_sent"),
        ("refill_check", timedelta(days=2), "send"),
        ("refill_check", timedelta(days=3), "send"),
        ("refill_check", timedelta(days=3, minutes=1), "missed_not_sent"),
    ],
)
def test_late_reminder_is_sent_only_while_still_useful(kind: str, late_by: timedelta, decision: str) -> None:
    due = utc("2026-06-01T08:00")

    assert late_decision(kind, due, due + late_by) == decision  # type: ignore[arg-type]


def test_unknown_reminder_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown reminder kind"):
        late_decision("birthday", utc("2026-06-01T08:00"), utc("2026-06-01T08:00"))  # type: ignore[arg-type]


def test_answer_deadline_is_the_window_after_the_send() -> None:
    assert answer_deadline(utc("2026-06-01T23:30"), 120) == utc("2026-06-02T01:30")


# --- typed reminder times -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", "09:00"),
        ("09", "09:00"),
        ("0", "00:00"),
        ("9:30", "09:30"),
        ("09:30", "09:30"),
        ("09.30", "09:30"),
        ("21:05", "21:05"),
        ("9am", "09:00"),
        ("9 AM", "09:00"),
        ("9 pm", "21:00"),
        ("9:30pm", "21:30"),
        ("9.30 p.m.", "21:30"),
        ("12am", "00:00"),
        ("12 pm", "12:00"),
        ("12:15 a.m.", "00:15"),
        ("21h", "21:00"),
        ("21h30", "21:30"),
        ("9h", "09:00"),
        ("9H30", "09:30"),
        ("9 h 30", "09:30"),
        ("8 Uhr", "08:00"),
        ("8.15 Uhr", "08:15"),
        ("930", "09:30"),
        ("2130", "21:30"),
        ("  7:45  ", "07:45"),
        ("٩:٣٠", "09:30"),  # Arabic-Indic digits
        ("٢١", "21:00"),
        # not clearly one time of day
        ("", None),
        ("24", None),
        ("25:00", None),
        ("9:60", None),
        ("9:5", None),
        ("13pm", None),
        ("0am", None),
        ("21h pm", None),
        ("morning", None),
        ("9 or 10", None),
        ("9-10", None),
        ("12345", None),
    ],
)
def test_parse_local_time(text: str, expected: str | None) -> None:
    assert parse_local_time(text) == expected


def test_parsed_time_round_trips_into_a_plan() -> None:
    reminder_time = parse_local_time("7.30pm")
    assert reminder_time is not None

    plan = plan_refill(date(2026, 6, 1), 30, 2, reminder_time, "Europe/Berlin")

    assert {r.local_slot.time() for r in plan} == {time(19, 30)}
