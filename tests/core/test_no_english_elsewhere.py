"""No English in another language: the first screen greets in all six languages, an enrolled patient who
changes language is asked (not welcomed again) in their language, the terminal hint is in the patient's
language, and the program is named in the patient's language."""

from __future__ import annotations

import pytest

from bot.channels.console import prompt_hint
from bot.core.programs import ProgramError, parse_program
from bot.i18n import LANGUAGES, t
from tests.dialogue import ConsolePatient, run_dialogue

ENGLISH_WORDS = ("Welcome", "Type your answer", "to leave", "Support Program", "Please")


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH_WORDS if word in text]


async def test_the_first_screen_greets_in_every_language_before_one_is_known(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="first-screen")
    [greeting] = await patient.says("/start", event="started")
    lines = greeting.split("\n")
    assert lines[:6] == [t(lang, "Welcome! Please choose your language.") for lang in LANGUAGES]
    assert len({line for line in lines[:6]}) == 6  # six different languages, not English six times
    assert max(len(line) for line in lines[:6]) <= 45  # briefly


@pytest.mark.parametrize("lang", ["es", "pt", "ar"])
def test_the_terminal_hint_is_in_the_patients_language(lang: str) -> None:
    hint = prompt_hint(lang)
    assert _english_in(hint) == [] and "Ctrl-D" in hint


def test_the_terminal_hint_before_a_language_is_known_is_in_every_language() -> None:
    lines = prompt_hint(None).split("\n")
    assert lines[0] == "Type your answer and press Enter. Press Ctrl-D to leave."
    assert lines[4] == "Digite a sua resposta e pressione Enter. Pressione Ctrl-D para sair."
    assert len(lines) == 6


async def test_change_language_asks_an_enrolled_patient_in_their_language(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="pt-change")
    await run_dialogue(
        patient,
        [
            ("hello", []),
            ("portugues", []),
            ("sim", []),
            ("demo-cz-2026", []),
            ("São Paulo", []),
            ("21:00", "Programa de Apoio CardioZen (demonstração fictícia)"),
        ],
    )
    menu = "\n".join(await patient.says("MENU"))
    number = next(i for i, o in enumerate(patient.last_options, 1) if o["key"] == "menu:language")
    assert menu
    [question] = await patient.says(str(number))
    assert question.startswith("Qual idioma você prefere?")
    assert _english_in(question) == [] and "Boas-vindas" not in question


def test_a_program_names_itself_in_each_of_its_languages_or_not_at_all() -> None:
    base = {
        "id": "p",
        "name": "P Support Program",
        "product": {"brand": "B", "active_ingredient": "b", "form": "tablet"},
        "enrolment_codes": ["X-1"],
        "languages": ["en", "ar"],
        "consent": {"version": "1"},
    }
    program = parse_program({**base, "names": {"en": "P Support Program", "ar": "برنامج دعم P"}}, "p.yaml")
    assert (program.name_in("ar"), program.name_in("en"), program.name) == (
        "برنامج دعم P",
        "P Support Program",
        "P Support Program",
    )
    with pytest.raises(ProgramError, match="no name for ar"):
        parse_program({**base, "names": {"en": "P Support Program"}}, "p.yaml")
