"""The education journey as patients live it: the right module on the right local day, in their language,
never in quiet hours, never twice a day, never an expired text — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from bot.learn.modules import placeholder_values
from tests.learn.helpers import (
    ALL_LANGS,
    LEARN,
    MODULES,
    approved_full_text,
    at,
    deliveries,
    enrol,
    number_of,
    program_text,
    set_field,
    tick,
)

DAY0 = date(2026, 11, 2)
ZONE = {"en": "Europe/London", "es": "Europe/Madrid"}
WRONG_STORAGE = {"en": "In the freezer", "es": "En el congelador"}
NOT_QUITE = {"en": "Not quite.", "es": "No exactamente."}


def day(n: int) -> date:
    return DAY0 + timedelta(days=n)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_ostelix_journey_day_0_day_1_day_3_and_remedial_after_a_wrong_answer(
    services, clock, lang
) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, f"journey-{lang}", lang, program="ostelix-weekly")
    zone = ZONE[lang]
    # The country follows the city chosen at enrolment (London: GB, Madrid: ES).
    values = placeholder_values(services.programs["ostelix-weekly"], {"en": "GB", "es": "ES"}[lang])

    clock.now = at(day(0), "10:30", zone)
    [welcome] = await _tick(services, patient)
    assert welcome == approved_full_text("psp-welcome", lang, values)
    clock.now = at(day(0), "15:00", zone)
    assert await _tick(services, patient) == []  # one journey module a day

    clock.now = at(day(1), "10:30", zone)
    pen, question = await _tick(services, patient)
    assert pen == approved_full_text("ox-using-the-pen", lang)
    assert question.startswith(MODULES["ox-using-the-pen"].translation(lang).quiz.question)  # type: ignore[union-attr]

    clock.now = at(day(2), "10:30", zone)
    assert await _tick(services, patient) == []  # nothing is due on day 2

    clock.now = at(day(3), "10:30", zone)
    storing, _question = await _tick(services, patient)
    assert storing == approved_full_text("ox-storing-pens", lang)
    clock.advance(minutes=4)
    explanation, recap = await patient.says(WRONG_STORAGE[lang])
    quiz = MODULES["ox-storing-pens"].translation(lang).quiz  # type: ignore[union-attr]
    assert explanation == f"{NOT_QUITE[lang]} {quiz.explanation}"  # type: ignore[union-attr]
    assert recap == approved_full_text("ox-pen-recap", lang)

    clock.now = at(day(3), "16:00", zone)
    assert await _tick(services, patient) == []
    rows = await deliveries(services, patient)
    assert [(r.module_id, r.reason, r.language, r.quiz_answer) for r in rows] == [
        ("psp-welcome", "day:0", lang, None),
        ("ox-using-the-pen", "day:1", lang, None),
        ("ox-storing-pens", "day:3", lang, "wrong"),
        ("ox-pen-recap", "after:quiz_wrong:ox-storing-pens", lang, None),
    ]
    assert {r.approval_reference.rsplit("-", 1)[1] for r in rows} == {lang.upper()}


async def _tick(services, patient) -> list[str]:  # type: ignore[no-untyped-def]
    before = len(patient.received)
    await tick(services, patient)
    return patient.received[before:]


@pytest.mark.content_edit(
    program_text("cardiozen-daily.yaml", 'start: "21:00", end: "08:00"', 'start: "09:00", end: "14:00"')
)
async def test_no_journey_message_inside_quiet_hours_or_outside_the_day_or_twice_a_day(
    services, clock
) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "quiet", "en")  # London; this program's quiet hours are 09:00-14:00
    for hhmm in ("07:00", "09:55", "11:00", "13:59"):
        clock.now = at(day(0), hhmm, "Europe/London")
        assert await _tick(services, patient) == [], hhmm
    clock.now = at(day(0), "14:00", "Europe/London")
    assert len(await _tick(services, patient)) == 1
    for hhmm in ("14:10", "18:50", "22:00", "23:59"):
        clock.now = at(day(0), hhmm, "Europe/London")
        assert await _tick(services, patient) == [], hhmm
    clock.now = at(day(1), "08:00", "Europe/London")
    assert await _tick(services, patient) == []
    clock.now = at(day(1), "19:00", "Europe/London")  # the window closes at 19:00
    assert await _tick(services, patient) == []
    assert [r.module_id for r in await deliveries(services, patient)] == ["psp-welcome"]


async def test_two_processes_ticking_at_once_send_one_module(services, clock) -> None:  # type: ignore[no-untyped-def]
    patients = [await enrol(services, f"race-{i}", "en") for i in range(3)]
    clock.now = at(day(0), "10:00", "Europe/London")
    await asyncio.gather(tick(services), tick(services), tick(services))
    for patient in patients:
        await patient.dispatcher.drain()
        assert [m.splitlines()[0] for m in patient.received] == ["Welcome to your CardioZen support program"]
    assert len(await deliveries(services)) == 3


async def test_sms_patients_get_the_short_text_and_can_read_more(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "+447700900124", "en", channel="sms")
    clock.now = at(day(0), "10:00", "Europe/London")
    [short] = await _tick(services, patient)
    welcome = MODULES["psp-welcome"].translation("en")
    assert welcome is not None
    values = placeholder_values(services.programs["cardiozen-daily"], "GB")
    assert short.startswith(
        welcome.sms.replace("{brand}", "CardioZen").replace("{support_phone}", values["support_phone"])
    )
    [row] = await deliveries(services, patient)
    assert (row.variant, row.reason, row.channel) == ("sms", "day:0", "sms")
    [full] = await patient.says("1")
    assert full == approved_full_text("psp-welcome", "en", values)


async def test_a_side_effect_report_brings_what_happens_next_the_following_day(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "reporter", "en")
    clock.now = at(day(0), "10:00", "Europe/London")
    await _tick(services, patient)
    clock.now = at(day(0), "11:00", "Europe/London")
    await patient.says("Report a side effect")
    await patient.says("My ankles are swollen since Sunday")  # a PV case is opened
    clock.now = at(day(0), "12:00", "Europe/London")
    assert await _tick(services, patient) == []  # today's journey module already went out
    clock.now = at(day(1), "10:00", "Europe/London")
    [after] = await _tick(services, patient)
    assert after == approved_full_text("psp-after-side-effect-report", "en", {"emergency_number": "999"})
    clock.now = at(day(2), "10:00", "Europe/London")
    await _tick(services, patient)
    assert [(r.module_id, r.reason) for r in await deliveries(services, patient)] == [
        ("psp-welcome", "day:0"),
        ("psp-after-side-effect-report", "after:side_effect_report"),
        ("cz-how-to-take", "day:1"),
    ]


EXPIRED = "2026-10-31"


@pytest.mark.content_edit(
    set_field("cz-how-to-take", ALL_LANGS, "expires_on", EXPIRED),
    set_field("cz-how-to-take-recap", ALL_LANGS, "expires_on", EXPIRED),
)
async def test_an_expired_module_is_never_sent_even_when_the_journey_points_at_it(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "expired", "en")
    for n in range(5):
        clock.now = at(day(n), "10:00", "Europe/London")
        await _tick(services, patient)
    # day 1 (cz-how-to-take) is skipped: day 3 comes on its day; nothing on days 1, 2 and 4
    assert [(r.module_id, r.reason, r.sent_at.date()) for r in await deliveries(services, patient)] == [
        ("psp-welcome", "day:0", day(0)),
        ("psp-reporting-side-effects", "day:3", day(3)),
    ]
    patient.received.clear()
    # Not in the Learn list, not by a button from an older list, not as the remedial after a wrong answer.
    await patient.says(LEARN["en"])
    labels = [o["label"] for o in patient.last_options]
    assert "How to take CardioZen" not in labels and "CardioZen in three steps" not in labels
    stale = await patient.says("", option="learn:read:cz-how-to-take")
    assert stale[0] == "This is no longer available."
    await patient.says(number_of(patient.last_options, "If you forget a dose"))
    [explanation] = await patient.says("Take two tablets")  # wrong: the remedial (expired) is not sent
    assert explanation.startswith("Not quite.")
    sent = {r.module_id for r in await deliveries(services, patient)}
    assert sent == {"psp-welcome", "psp-reporting-side-effects", "cz-missed-dose"}
