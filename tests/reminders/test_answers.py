"""Answering reminders: taken / skipped / snooze in six languages, refill yes / no and why, silence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.storage.models import PvCase
from tests.reminders.world import World


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


MONDAY_9_MADRID = utc(2026, 3, 2, 8)  # 09:00 in Madrid (CET)


async def _reminded(world: World, address: str = "p1", **kwargs) -> int:  # type: ignore[no-untyped-def]
    world.clock.now = MONDAY_9_MADRID - timedelta(hours=1)
    pid = await world.enrol(address, **kwargs)
    await world.run()
    sent = await world.at(MONDAY_9_MADRID)
    assert len(sent) == 1 and sent[0].kind == "reminder"
    return pid


@pytest.mark.parametrize(
    ("locale", "answer", "reply", "status"),
    [
        ("en", "taken", "noted that you took", "taken"),
        ("en", "2", "skipped this dose", "skipped"),
        ("es", "ya la tomé", "", "taken"),
        ("fr", "pas pris", "", "skipped"),
        ("de", "genommen", "", "taken"),
        ("pt", "tomei", "", "taken"),
        ("ar", "أخذتها", "", "taken"),
        ("ar", "١", "", "taken"),  # Arabic-Indic digit one
    ],
)
async def test_an_answer_in_the_patients_language_becomes_a_dose_event(
    world: World, locale: str, answer: str, reply: str, status: str
) -> None:
    pid = await _reminded(world, locale=locale)
    world.clock.advance(minutes=10)
    replies = await world.says("p1", answer)
    assert len(replies) == 1 and reply in replies[0]
    events = await world.dose_events(pid)
    assert [(e.status, e.scheduled_at, e.channel, e.answered_at) for e in events] == [
        (status, MONDAY_9_MADRID, "console", world.clock())
    ]
    assert (await world.reminders(pid))[0].status == "answered"
    assert await world.says("p1", answer) != replies, "a second answer is not recorded again"
    assert len(await world.dose_events(pid)) == 1


async def test_the_reminder_is_in_the_patients_language_with_three_options(world: World) -> None:
    await _reminded(world, locale="en")
    message = world.inbox("p1")[-1]
    assert message.text == "It is time for your 9:00\u202fAM dose of CardioZen. Did you take it?"
    assert [o["label"] for o in message.options] == ["Taken", "Skipped", "Remind me in 30 minutes"]


async def test_a_button_on_an_old_reminder_still_answers_it(world: World) -> None:
    pid = await _reminded(world)
    key = world.last_options("p1")[1]["key"]
    await world.says("p1", "menu")  # the patient wandered off to the menu
    await world.says("p1", "1")  # "My reminders"
    replies = await world.says("p1", "Skipped", option=key)
    assert "skipped this dose" in replies[0]
    assert [e.status for e in await world.dose_events(pid)] == ["skipped"]


async def test_taken_but_dizzy_is_both_an_answer_and_a_safety_report(world: World) -> None:
    pid = await _reminded(world)
    replies = await world.says("p1", "taken, but I feel dizzy")
    assert any("drug safety team" in r for r in replies)
    assert any("noted that you took" in r for r in replies)
    assert [e.status for e in await world.dose_events(pid)] == ["taken"]
    async with world.services.sessions() as session:
        cases = (await session.scalars(select(PvCase).where(PvCase.patient_id == pid))).all()
    assert len(cases) == 1


async def test_a_safety_report_alone_keeps_the_reminder_open(world: World) -> None:
    pid = await _reminded(world)
    replies = await world.says("p1", "I feel very dizzy since this morning")
    assert "drug safety team" in replies[0]
    assert "When did it start?" in replies[1]  # the follow-up questions come first, whatever the state
    assert await world.dose_events(pid) == []
    for _ in range(10):  # answer every question; the thanks says the questions are over
        if "Thank you" in (await world.says("p1", "1"))[-1]:
            break
    assert await world.dose_events(pid) == []
    assert "noted that you took" in (await world.says("p1", "1"))[0]  # the reminder is still open


async def test_snooze_twice_then_the_reminder_must_be_answered(world: World) -> None:
    pid = await _reminded(world)
    assert "again at 9:30\u202fAM" in (await world.says("p1", "later"))[0]
    assert await world.at(utc(2026, 3, 2, 8, 29)) == []
    again = await world.at(utc(2026, 3, 2, 8, 30))
    assert len(again) == 1 and "9:00\u202fAM dose" in again[0].text
    world.clock.advance(minutes=5)
    assert "again at 10:05\u202fAM" in (await world.says("p1", "3"))[0]
    await world.at(utc(2026, 3, 2, 9, 5))
    refused = await world.says("p1", "snooze")
    assert "cannot be postponed again" in refused[0]
    assert [o["label"] for o in world.last_options("p1")] == ["Taken", "Skipped"]
    await world.says("p1", "1")
    rows = await world.reminders(pid)
    assert (rows[0].status, rows[0].snooze_count, rows[0].answer) == ("answered", 2, "taken")
    assert len([m for m in world.inbox("p1") if m.kind == "reminder"]) == 3


async def test_no_answer_within_the_window_is_recorded_as_no_response(world: World) -> None:
    pid = await _reminded(world)  # answer window: 120 minutes
    await world.at(MONDAY_9_MADRID + timedelta(minutes=119))
    assert await world.dose_events(pid) == []
    await world.at(MONDAY_9_MADRID + timedelta(minutes=121))
    assert [e.status for e in await world.dose_events(pid)] == ["no_response"]
    replies = await world.says("p1", "taken")
    assert "has closed" in replies[0] or "did not understand" in replies[0].lower()
    assert [e.status for e in await world.dose_events(pid)] == ["no_response"]


async def test_three_silent_reminders_open_one_task_and_the_next_goes_to_the_other_address(
    world: World,
) -> None:
    pid = await _reminded(world, address="chat-1")
    await world.add_address(pid, "sms", "+34600000001")
    for day in (3, 4):
        await world.at(utc(2026, 3, day, 8))
    await world.at(utc(2026, 3, 4, 11))  # the third window closes
    tasks = await world.tasks(pid)
    assert [(t.kind, t.status) for t in tasks] == [("nonresponder", "open")]
    assert "sms" in tasks[0].detail
    fourth = await world.at(utc(2026, 3, 5, 8))
    assert [(m.channel, m.address) for m in fourth] == [("sms", "+34600000001")]
    await world.at(utc(2026, 3, 5, 11))
    assert len(await world.tasks(pid)) == 1, "the same silent streak is reported once"
    # The patient answers on the console the next day: reminders follow them back there.
    await world.at(utc(2026, 3, 6, 8))
    await world.says("chat-1", "", option=world.inbox("+34600000001")[-1].options[0]["key"])
    assert [m.channel for m in await world.at(utc(2026, 3, 7, 8))] == ["console"]


async def test_refill_check_yes_records_the_refill_and_plans_the_next_one(world: World) -> None:
    world.clock.now = utc(2026, 3, 1, 12)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",))
    await world.add_fill(pid, date(2026, 2, 2), 28)  # runs out 2 March
    await world.run()
    sent = await world.at(MONDAY_9_MADRID)
    texts = sorted(m.text for m in sent)
    assert len(texts) == 2 and any("Did you collect your new pack?" in t for t in texts)
    replies = await world.says("p1", "yes")  # the refill question was sent last: yes/no answers it
    assert "new pack" in replies[0] and "Mar 29, 2026" in replies[0]  # 30 days from 2 March, 3 days ahead
    refills = await world.refills(pid)
    assert [(r.fill_date, r.days_supply, r.source) for r in refills][-1] == (date(2026, 3, 2), 30, "patient")
    rows = {r.slot_key: r.status for r in await world.reminders(pid) if r.kind != "dose"}
    assert rows["refill_check:due=2026-03-02"] == "answered"
    assert "refill_due_soon:due=2026-04-01" not in rows  # 29 March is beyond the 48-hour horizon
    assert "taken" not in [e.status for e in await world.dose_events(pid)], "the dose is still open"
    assert "noted that you took" in (await world.says("p1", "taken"))[0]


@pytest.mark.parametrize(
    ("reason", "task"),
    [
        ("2", "out of stock"),
        ("My prescription has expired", "prescription has expired"),
        ("1", "cost"),
        ("4", None),
    ],
)
async def test_refill_check_no_asks_why_and_a_blocking_reason_reaches_the_support_team(
    world: World, reason: str, task: str | None
) -> None:
    world.clock.now = utc(2026, 3, 1, 12)
    pid = await world.enrol("p1", tz="Europe/Madrid", times=("09:00",), locale="en")
    await world.add_fill(pid, date(2026, 2, 2), 28)
    await world.run()
    await world.at(MONDAY_9_MADRID)
    check = next(m for m in world.inbox("p1") if "collect" in m.text)
    asked = await world.says("p1", "No, not yet", option=check.options[1]["key"])
    assert "What is keeping you" in asked[0]
    assert len(world.last_options("p1")) == 4
    answered = await world.says("p1", reason)
    tasks = await world.tasks(pid)
    if task is None:
        assert tasks == [] and "send HELP" in answered[0]
    else:
        assert [t.kind for t in tasks] == ["refill_problem"] and task in tasks[0].detail
        assert "support team will contact you" in answered[0]
    row = next(r for r in await world.reminders(pid) if r.kind == "refill_check")
    assert row.answer.startswith("no:")
