"""Item 3: where numbered options and typed values compete, a bare number is the option's number."""

from __future__ import annotations

import pytest

from bot.core.times import typed_time_among_options
from tests.field.helpers import FieldPatient


@pytest.mark.parametrize(
    ("typed", "time"),
    [
        ("1", None),
        ("2", None),
        ("12", None),
        ("9:00", "09:00"),
        ("9am", "09:00"),
        ("21h", "21:00"),
        ("2130", "21:30"),
    ],
)
def test_a_time_among_options_needs_a_separator_am_pm_or_h(typed: str, time: str | None) -> None:
    assert typed_time_among_options(typed) == time


async def test_sms_patient_answering_1_at_the_time_question_gets_option_1(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="+12125550199", channel_name="sms")
    said = await patient.enrol("hi", "1", "yes", "DEMO-CZ-2026", "yes")
    assert "09:00" in said[-1] or "9:00" in said[-1]  # the question offers option 1: 09:00
    [welcome, _menu] = await patient.says("1")
    assert "9:00 AM" in welcome and "1:00 AM" not in welcome
    assert (await patient.row()).reminder_times == ["09:00"]


async def test_a_bare_number_that_is_no_option_is_asked_again_not_guessed(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="bare-number")
    await patient.enrol("hi", "English", "yes", "DEMO-CZ-2026", "Madrid")
    replies = "\n".join(await patient.says("7"))
    assert "did not understand" in replies and "what time" in replies.casefold()
    assert (await patient.row()).status == "enrolling"
    await patient.says("7:15")
    assert (await patient.row()).reminder_times == ["07:15"]
