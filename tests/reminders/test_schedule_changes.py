"""Late sends after downtime, STOP, pause and resume, a new time: each re-plans without sending anything
twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.storage.models import OutboxItem
from tests.dialogue import ConsolePatient, run_dialogue
from tests.reminders.world import World


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("late", "sent", "event"),
    [
        (timedelta(minutes=0), True, None),
        (timedelta(minutes=60), True, None),  # inclusive
        (timedelta(minutes=61), False, "missed_not_sent"),
        (timedelta(hours=5), False, "missed_not_sent"),
    ],
)
async def test_after_downtime_a_dose_reminder_goes_out_only_within_an_hour(
    world: World, late: timedelta, sent: bool, event: str | None
) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    # The process was down from 07:00 until now.
    out = await world.at(utc(2026, 3, 2, 8) + late)
    assert bool(out) is sent
    events = [e.status for e in await world.dose_events(pid)]
    assert events == ([event] if event else [])
    row = (await world.reminders(pid))[0]
    assert row.status == ("sent" if sent else "missed_not_sent")


async def test_after_downtime_a_refill_check_is_still_asked_two_days_late(world: World) -> None:
    world.clock.now = utc(2026, 3, 1, 12)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.add_fill(pid, date(2026, 2, 2), 28)  # check due 2 March 09:00
    await world.run()
    out = await world.at(utc(2026, 3, 4, 7, 59))  # down for two days
    assert [m.text for m in out if "collect" in m.text], "the refill question still goes out"
    statuses = {
        r.kind: r.status for r in await world.reminders(pid) if r.slot_key.endswith("T09:00") is False
    }
    assert statuses["refill_check"] == "sent"


async def test_stop_cancels_planned_reminders_and_start_plans_them_again(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00", "21:00"))
    await world.run()
    assert len(await world.reminders(pid)) == 4
    assert "will not receive any more messages" in (await world.says("p1", "STOP"))[0]
    assert await world.reminders(pid) == []
    for hour in (8, 20, 32):
        assert await world.at(utc(2026, 3, 2, 7) + timedelta(hours=hour)) == []
    assert await world.reminders(pid) == [], "the planner leaves a stopped patient alone"
    world.clock.now = utc(2026, 3, 3, 19)
    assert "Welcome back" in (await world.says("p1", "START"))[0]
    out = await world.at(utc(2026, 3, 3, 20))
    assert [m.text[:20] for m in out] == ["It is time for your "]


async def test_a_snoozed_reminder_is_cancelled_by_stop(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    await world.at(utc(2026, 3, 2, 8))
    await world.says("p1", "later")
    await world.says("p1", "stop")
    assert await world.at(utc(2026, 3, 2, 8, 30)) == []
    assert [r.status for r in await world.reminders(pid)] == ["cancelled"]


async def test_pause_for_a_week_then_resume_early_from_the_menu(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    await world.says("p1", "menu")
    shown = "\n".join(await world.says("p1", "My reminders"))
    assert "Every day at 9:00\u202fAM (Madrid time)." in shown
    assert "Next reminder: Mar 2, 2026 at 9:00\u202fAM." in shown
    assert "Pause reminders" in [o["label"] for o in world.last_options("p1")]
    assert "how many days" in (await world.says("p1", "2"))[0]
    paused = await world.says("p1", "1 week")
    assert "start again on Mar 9, 2026" in paused[0]
    for day in range(2, 9):
        assert await world.at(utc(2026, 3, day, 8)) == [], f"reminded on {day} March during the pause"
    world.clock.now = utc(2026, 3, 5, 12)
    await world.says("p1", "menu")
    shown = "\n".join(await world.says("p1", "1"))
    assert "paused until Mar 9, 2026" in shown
    assert "Resume reminders" in [o["label"] for o in world.last_options("p1")]
    assert "on again" in (await world.says("p1", "Resume reminders"))[0]
    assert len(await world.at(utc(2026, 3, 6, 8))) == 1
    assert (await world.patient(pid)).paused_until is None


async def test_a_new_time_after_todays_reminder_waits_until_tomorrow(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    await world.at(utc(2026, 3, 2, 8))
    await world.says("p1", "taken")
    world.clock.now = utc(2026, 3, 2, 8, 30)
    await world.says("p1", "menu")
    await world.says("p1", "my reminders")
    assert "What time" in (await world.says("p1", "1"))[0]
    assert "9:30\u202fPM (Madrid time)" in (await world.says("p1", "21:30"))[0]
    assert await world.at(utc(2026, 3, 2, 20, 30)) == [], "today's dose was already reminded"
    assert len(await world.at(utc(2026, 3, 3, 20, 30))) == 1
    assert (await world.patient(pid)).reminder_times == ["21:30"]
    keys = [r.slot_key for r in await world.reminders(pid) if r.sent_at]
    assert keys == ["dose:2026-03-02T09:00", "dose:2026-03-03T21:30"]


async def test_changing_the_time_twice_before_the_reminder_sends_it_once_at_the_new_time(
    world: World,
) -> None:
    world.clock.now = utc(2026, 3, 2, 6)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    for new in ("8:00", "10:00"):
        await world.says("p1", "menu")
        await world.says("p1", "1")
        await world.says("p1", "1")
        await world.says("p1", new)
    sent: list[str] = []
    moment = utc(2026, 3, 2, 6)
    while moment <= utc(2026, 3, 2, 12):
        sent += [m.text for m in await world.at(moment)]
        moment += timedelta(minutes=30)
    assert sent == ["It is time for your 10:00\u202fAM dose of CardioZen. Did you take it?"]
    async with world.services.sessions() as session:
        reminder_rows = (await session.scalars(select(OutboxItem).where(OutboxItem.status == "sent"))).all()
    assert len([r for r in reminder_rows if r.options]) >= 1
    assert [r.slot_key for r in await world.reminders(pid) if r.sent_at] == ["dose:2026-03-02T10:00"]


async def test_an_enrolment_finished_in_the_chat_gets_its_reminders_planned(world: World, services) -> None:  # type: ignore[no-untyped-def]
    services.clock.now = utc(2026, 3, 2, 6)
    patient = ConsolePatient(services, address="new-1")
    await run_dialogue(
        patient,
        [
            ("hi", "language"),
            ("English", "agree"),
            ("yes", "code"),
            ("DEMO-CZ-2026", "time zone"),
            ("Tokyo", "what time"),
            ("8 pm", "You are enrolled"),
        ],
    )
    await world.jobs.plan()
    out = await world.at(utc(2026, 3, 2, 11))  # 20:00 in Tokyo
    assert [m.address for m in out] == ["new-1"]
    assert "8:00\u202fPM" in out[0].text


async def test_moving_the_time_away_and_back_never_repeats_a_slot_already_sent(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    assert len(await world.at(utc(2026, 3, 2, 8))) == 1
    for new in ("10:00", "9:00", "9:30"):
        await world.says("p1", "menu")
        await world.says("p1", "1")
        await world.says("p1", "1")
        await world.says("p1", new)
    for minutes in range(0, 180, 15):
        assert await world.at(utc(2026, 3, 2, 8, 15) + timedelta(minutes=minutes)) == []
    assert [r.slot_key for r in await world.reminders(pid) if r.sent_at] == ["dose:2026-03-02T09:00"]
    assert len(await world.at(utc(2026, 3, 3, 8, 30))) == 1  # 9:30 from tomorrow on


async def test_a_snooze_that_comes_too_late_is_recorded_as_unanswered_not_as_never_reminded(
    world: World,
) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    await world.at(utc(2026, 3, 2, 8))
    await world.says("p1", "later")  # due again at 08:30 UTC; the process is down until 10:00
    assert await world.at(utc(2026, 3, 2, 10)) == []
    assert [e.status for e in await world.dose_events(pid)] == ["no_response"]


async def test_old_cancelled_rows_are_archived_and_facts_stay(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 7)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.run()
    await world.at(utc(2026, 3, 2, 8))
    await world.says("p1", "taken")
    await world.says("p1", "later")  # nothing open: not an answer
    await world.at(utc(2026, 3, 3, 8))
    await world.says("p1", "snooze")
    await world.says("p1", "stop")  # the snoozed reminder is cancelled
    statuses = sorted(r.status for r in await world.reminders(pid))
    assert statuses == ["answered", "cancelled"]
    await world.at(utc(2026, 4, 10))
    assert [r.status for r in await world.reminders(pid)] == ["answered"]
    assert [e.status for e in await world.dose_events(pid)] == ["taken"]


async def test_moving_the_morning_dose_after_it_was_sent_keeps_the_evening_dose_today(world: World) -> None:
    world.clock.now = utc(2026, 3, 2, 6)
    pid = await world.enrol("p1", tz="UTC", times=("08:00", "20:00"))
    await world.run()
    assert len(await world.at(utc(2026, 3, 2, 8))) == 1
    world.clock.now = utc(2026, 3, 2, 9)
    await world.says("p1", "menu")
    await world.says("p1", "1")
    assert "Which reminder time" in (await world.says("p1", "1"))[0]
    await world.says("p1", "1")  # the 8:00 AM one
    assert "10:00\u202fAM and 8:00\u202fPM" in (await world.says("p1", "10:00"))[0]
    sent = [m for hour in range(10, 21) for m in await world.at(utc(2026, 3, 2, hour))]
    assert len(sent) == 1 and "8:00\u202fPM" in sent[0].text
    assert [r.slot_key for r in await world.reminders(pid) if r.sent_at] == [
        "dose:2026-03-02T08:00",
        "dose:2026-03-02T20:00",
    ]
    assert len(await world.at(utc(2026, 3, 3, 10))) == 1
