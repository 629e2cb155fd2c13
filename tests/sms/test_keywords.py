"""STOP and START over SMS in each of our six languages: honoured at once, recorded with time and wording,
one confirmation, nothing more until START. Twilio's own keyword recognition (OptOutType) is honoured too."""

from __future__ import annotations

import pytest

from bot.core.keywords import global_keyword
from bot.storage import queries
from tests.sms.conftest import SmsPatient, SmsWorld

# language -> (a number in a country that speaks it, its place in the language list, STOP word, START word)
CASES = {
    "en": ("+14155550100", "1", "STOPALL", "UNSTOP"),
    "es": ("+34612345678", "2", "Baja", "empezar"),
    "fr": ("+33612345678", "3", "Arrêt", "Démarrer"),
    "de": ("+4915112345678", "4", "Stopp", "Starten"),
    "pt": ("+351912345678", "5", "PARAR", "começar"),
    "ar": ("+966501234567", "6", "إيقاف", "ابدأ"),
}


async def enrol(patient: SmsPatient, language_number: str) -> None:
    for text in ("hello", language_number, "1", "DEMO-CZ-2026", "1"):
        assert await patient.says(text), f"no answer to {text!r}"
    assert await patient.says("9:00")
    row = await patient.world.patient(patient.number)
    assert row.status == "active", "enrolled"


async def consents(world: SmsWorld, number: str) -> list[tuple[bool, str, str]]:
    patient = await world.patient(number)
    async with world.services.sessions() as session:
        rows = await queries.consents_of(session, patient.id)
    return [(c.granted, c.verbatim, c.channel) for c in rows if c.type == "messages"]


@pytest.mark.parametrize("lang", list(CASES))
async def test_stop_and_start_over_sms_in_each_language(sms_world: SmsWorld, lang: str) -> None:
    number, position, stop_word, start_word = CASES[lang]
    patient = SmsPatient(sms_world, number)
    await enrol(patient, position)
    assert (await sms_world.patient(number)).locale == lang

    stopped_at = sms_world.clock.advance(minutes=5)
    confirmation = await patient.says(stop_word)
    assert len(confirmation) == 1, "exactly one confirmation"
    assert await patient.says("menu") == [] and await patient.says("how are you?") == []
    assert await patient.says(stop_word) == [], "a second STOP gets no second confirmation"
    address = await sms_world.address(number)
    assert address.opted_out and address.opted_out_at == stopped_at
    assert (await sms_world.patient(number)).status == "stopped"
    assert (await consents(sms_world, number))[0] == (False, stop_word, "sms"), "withdrawal with its wording"

    back = await patient.says(start_word)
    assert len(back) == 1
    assert not (await sms_world.address(number)).opted_out
    assert (await sms_world.patient(number)).status == "active"
    assert (await consents(sms_world, number))[-1] == (True, start_word, "sms")
    assert await patient.says("menu") != []


@pytest.mark.parametrize(
    ("word", "keyword"),
    [
        (w, "stop")
        for w in ("STOP", "stop", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "Revoke", "OPTOUT")
    ]
    + [(w, "start") for w in ("START", "UNSTOP")]
    + [(w, "help") for w in ("HELP", "INFO")],
)
def test_twilios_compliance_keywords_are_ours_too(word: str, keyword: str) -> None:
    assert global_keyword(word) == keyword


async def test_help_and_info_answer_with_how_to_reach_a_person(sms_world: SmsWorld) -> None:
    patient = SmsPatient(sms_world, "+14155550100")
    await enrol(patient, "1")
    for word in ("HELP", "info"):
        replies = "\n".join(await patient.says(word))
        assert "STOP" in replies and "+1 555 0100" in replies


async def test_a_keyword_twilio_recognised_is_honoured_even_outside_our_lexicon(sms_world: SmsWorld) -> None:
    patient = SmsPatient(sms_world, "+14155550100")
    await enrol(patient, "1")
    # Advanced Opt-Out lets the program add keywords in Twilio's console; Twilio then says which one it saw.
    assert len(await patient.says("NOMORE", extra={"OptOutType": "STOP"})) == 1
    assert (await sms_world.patient("+14155550100")).status == "stopped"
    # Twilio also takes YES as an opt-in: the patient is subscribed again at Twilio, so they are here too.
    assert len(await patient.says("YES", extra={"OptOutType": "START"})) == 1
    assert (await sms_world.patient("+14155550100")).status == "active"
    assert not (await sms_world.address("+14155550100")).opted_out


async def test_start_after_twilio_blocked_the_number_reaches_the_patient(sms_world: SmsWorld) -> None:
    patient = SmsPatient(sms_world, "+14155550100")
    await enrol(patient, "1")
    sms_world.twilio.unsubscribed("+14155550100")
    assert await patient.says("STOP") == []  # the confirmation was refused (21610), quietly
    sms_world.twilio.resubscribed("+14155550100")
    assert len(await patient.says("START")) == 1
