"""Planning reminder rows on a real database: local times across DST, quiet hours, the rolling horizon."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.reminders.world import World


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


DST_CASES = [
    # zone, dose time, clock when planning, expected (slot key, UTC send time) over the next 48 hours
    pytest.param(
        "America/Los_Angeles",
        "02:30",
        utc(2026, 3, 7, 12),
        [
            ("dose:2026-03-08T02:30", utc(2026, 3, 8, 10, 30)),
            ("dose:2026-03-09T02:30", utc(2026, 3, 9, 9, 30)),
        ],
        id="los-angeles-spring-gap-sent-once-at-03:30",
    ),
    pytest.param(
        "America/Los_Angeles",
        "01:30",
        utc(2026, 10, 31, 12),
        [
            ("dose:2026-11-01T01:30", utc(2026, 11, 1, 8, 30)),
            ("dose:2026-11-02T01:30", utc(2026, 11, 2, 9, 30)),
        ],
        id="los-angeles-fall-repeated-hour-sent-once-first-pass",
    ),
    pytest.param(
        "Europe/Berlin",
        "02:30",
        utc(2026, 3, 28, 12),
        [
            ("dose:2026-03-29T02:30", utc(2026, 3, 29, 1, 30)),
            ("dose:2026-03-30T02:30", utc(2026, 3, 30, 0, 30)),
        ],
        id="berlin-spring-gap",
    ),
    pytest.param(
        "Europe/Berlin",
        "02:30",
        utc(2026, 10, 24, 12),
        [
            ("dose:2026-10-25T02:30", utc(2026, 10, 25, 0, 30)),
            ("dose:2026-10-26T02:30", utc(2026, 10, 26, 1, 30)),
        ],
        id="berlin-fall-repeated-hour",
    ),
    pytest.param(
        "Europe/Berlin",
        "09:00",
        utc(2026, 3, 28, 12),
        [("dose:2026-03-29T09:00", utc(2026, 3, 29, 7)), ("dose:2026-03-30T09:00", utc(2026, 3, 30, 7))],
        id="berlin-09:00-stays-09:00-local",
    ),
]


@pytest.mark.parametrize(("tz", "at", "now", "expected"), DST_CASES)
async def test_dose_rows_follow_the_local_clock_across_dst(
    world: World, tz: str, at: str, now: datetime, expected: list
) -> None:  # type: ignore[type-arg]
    world.clock.now = now
    pid = await world.enrol("p1", tz=tz, times=(at,))
    await world.jobs.plan()
    await world.jobs.plan()  # planning again changes nothing
    doses = [(r.slot_key, r.due_at) for r in await world.reminders(pid) if r.kind == "dose"]
    assert doses == expected


async def test_a_dst_slot_is_sent_once_at_its_instant_through_rolling_replans(world: World) -> None:
    world.clock.now = utc(2026, 10, 30, 12)
    pid = await world.enrol("p1", tz="America/Los_Angeles", times=("01:30",))
    sent: list[str] = []
    moment = world.clock.now
    while moment < utc(2026, 11, 3):
        sent += [m.text for m in await world.at(moment)]
        moment += timedelta(minutes=30)
    assert len(sent) == 3  # 31 October, 1 November (once, though 01:30 happened twice), 2 November
    slots = [(r.slot_key, r.sent_at) for r in await world.reminders(pid) if r.sent_at]
    assert ("dose:2026-11-01T01:30", utc(2026, 11, 1, 8, 30)) in slots
    assert len({key for key, _ in slots}) == len(slots) == 3


async def test_tokyo_and_los_angeles_are_reminded_in_the_same_tick_each_at_their_local_time(
    world: World,
) -> None:
    world.clock.now = utc(2026, 3, 2, 23, 0)
    tokyo = await world.enrol("tokyo", tz="Asia/Tokyo", times=("09:00",))  # 00:00 UTC on 3 March
    la = await world.enrol("la", tz="America/Los_Angeles", times=("16:00",))  # 00:00 UTC (PST)
    assert await world.run() == []
    assert await world.at(utc(2026, 3, 2, 23, 59)) == []
    sent = await world.at(utc(2026, 3, 3, 0, 0))
    assert sorted(m.address for m in sent) == ["la", "tokyo"]
    by_address = {m.address: m.text for m in sent}
    assert "9:00\u202fAM" in by_address["tokyo"] and "4:00\u202fPM" in by_address["la"]
    assert {r.slot_key for r in await world.reminders(tokyo) if r.sent_at} == {"dose:2026-03-03T09:00"}
    assert {r.slot_key for r in await world.reminders(la) if r.sent_at} == {"dose:2026-03-02T16:00"}


async def test_rows_exist_only_for_the_next_48_hours_and_each_patient_is_planned_about_once_a_day(
    world: World,
) -> None:
    world.clock.now = utc(2026, 3, 2, 6)
    pid = await world.enrol("p1", tz="UTC", times=("08:00", "20:00"))
    assert await world.jobs.plan() == 1
    assert await world.jobs.plan() == 0  # nothing to do until less than a day is planned
    rows = await world.reminders(pid)
    assert [r.due_at for r in rows] == [utc(2026, 3, d, h) for d in (2, 3) for h in (8, 20)]
    world.clock.advance(hours=25)
    assert await world.jobs.plan() == 1
    assert [r.due_at for r in await world.reminders(pid)][-2:] == [utc(2026, 3, 4, 8), utc(2026, 3, 4, 20)]
    assert max(r.due_at for r in await world.reminders(pid)) < world.clock() + timedelta(hours=48)


async def test_quiet_hours_move_refill_nudges_and_snoozes_but_not_a_dose_time_the_patient_chose(
    world: World,
) -> None:
    world.clock.now = utc(2026, 3, 2, 12)
    # Program quiet hours 21:00-08:00. The patient takes the tablet at 22:30 Madrid time (21:30 UTC).
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("22:30",))
    await world.add_fill(pid, date(2026, 2, 4), 30)  # runs out on 6 March; due-soon nudge on 3 March
    await world.jobs.plan()
    rows = {r.kind: r for r in reversed(await world.reminders(pid))}  # the first row of each kind
    assert rows["dose"].due_at == utc(2026, 3, 2, 21, 30)
    assert rows["refill_due_soon"].slot_key == "refill_due_soon:due=2026-03-06"
    assert rows["refill_due_soon"].due_at == utc(2026, 3, 4, 7)  # 3 March 22:30 -> 4 March 08:00 Madrid
    sent = await world.at(utc(2026, 3, 2, 21, 30))
    assert len(sent) == 1
    replies = await world.says("p1", "remind me later")
    assert "8:00\u202fAM" in replies[0]  # 23:00 would be quiet: the snooze waits for 08:00


async def test_the_patients_own_quiet_hours_replace_the_programs(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 12)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("22:30",), quiet=("23:30", "06:00"))
    await world.add_fill(pid, date(2026, 2, 4), 30)
    await world.jobs.plan()
    rows = {r.kind: r for r in await world.reminders(pid)}
    assert rows["refill_due_soon"].due_at == utc(2026, 3, 3, 21, 30)  # 22:30 is not quiet for this patient
