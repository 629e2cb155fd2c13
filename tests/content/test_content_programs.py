"""Program definitions: the two demo programs, their codes, and the journey schema."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core.programs import JourneyStep, Program, ProgramError, find_by_code, parse_program


def test_both_demo_programs_are_found_by_their_enrolment_codes(programs: dict[str, Program]) -> None:
    assert find_by_code(programs, "demo cz 2026") is programs["cardiozen-daily"]
    assert find_by_code(programs, "demo-ox-2026") is programs["ostelix-weekly"]
    assert find_by_code(programs, "DEMO-XX-2026") is None


def test_cardiozen_keeps_the_values_the_conversation_core_relies_on(programs: dict[str, Program]) -> None:
    cz = programs["cardiozen-daily"]
    assert cz.enrolment_codes == ("DEMO-CZ-2026",)
    assert cz.consent_version == "PSP-CONSENT-2026-1"
    assert (cz.reminders.schedule, cz.reminders.dose_times, cz.reminders.days_supply) == (
        "daily",
        ("09:00",),
        30,
    )
    assert (cz.reminders.quiet_start, cz.reminders.quiet_end) == ("21:00", "08:00")
    assert cz.emergency_number("us") == "911"
    assert cz.emergency_number("SA") == "997"
    assert cz.emergency_number("IT") == "112"  # a country the program does not list: the default
    assert cz.default_country == "US"
    assert cz.emergency_number(None) == "911"  # unknown country: the program's default country
    assert cz.fallback_language == "en"


def test_ostelix_is_a_weekly_pre_filled_pen(programs: dict[str, Program]) -> None:
    ox = programs["ostelix-weekly"]
    assert ox.demo
    assert (ox.product.brand, ox.product.active_ingredient, ox.product.form) == (
        "Ostelix",
        "ostelimab",
        "pre-filled pen",
    )
    assert (ox.reminders.schedule, ox.reminders.weekday) == ("weekly", "sun")
    assert ox.languages == ("en", "es", "fr", "de", "pt", "ar")
    assert ox.support_contact("DE") == "+49 800 000 0001"
    assert ox.support_contact("JP") == "+1 555 0199"


def test_journeys_start_with_the_welcome_and_have_remedial_steps(programs: dict[str, Program]) -> None:
    for program in programs.values():
        assert program.journey[0] == JourneyStep(module="psp-welcome", day=0)
        assert (
            JourneyStep(module="psp-after-side-effect-report", after="side_effect_report") in program.journey
        )
        assert any(step.trigger == "quiz_wrong" for step in program.journey)
    recap = JourneyStep(module="cz-how-to-take-recap", after="quiz_wrong:cz-how-to-take")
    assert (recap.trigger, recap.trigger_module, recap.rule) == (
        "quiz_wrong",
        "cz-how-to-take",
        "after:quiz_wrong:cz-how-to-take",
    )


def _program(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "p",
        "name": "P",
        "product": {"brand": "B", "active_ingredient": "b", "form": "tablet"},
        "enrolment_codes": ["P-1"],
        "languages": ["en", "ar"],
        "consent": {"version": "C1"},
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"journey": [{"module": "m"}]}, "journey[0]", "exactly one of 'day' or 'after'"),
        (
            {"journey": [{"module": "m", "day": 1, "after": "side_effect_report"}]},
            "journey[0]",
            "exactly one",
        ),
        ({"journey": [{"module": "m", "day": -1}]}, "journey[0].day", ">= 0"),
        ({"journey": [{"module": "m", "after": "quiz_wrong"}]}, "journey[0].after", "quiz_wrong:<module>"),
        ({"journey": [{"module": "m", "after": "birthday"}]}, "journey[0].after", "is not one of"),
        ({"journey": [{"day": 1}]}, "journey[0]", "needs a 'module'"),
        ({"fallback_language": "fr"}, "fallback_language", "not one of the program's languages"),
        ({"sms_segment_budget": 0}, "sms_segment_budget", "from 1 to 10"),
        ({"product": {"brand": "B", "form": "tablet"}}, "product.active_ingredient", "missing field"),
    ],
)
def test_a_bad_program_names_the_field(changes: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(ProgramError) as info:
        parse_program(_program(**changes), "programs/p.yaml")
    assert info.value.file == "programs/p.yaml"
    assert info.value.field == field
    assert words in str(info.value)


def test_a_null_fallback_means_no_fallback() -> None:
    assert parse_program(_program(fallback_language=None), "p.yaml").fallback_language is None
