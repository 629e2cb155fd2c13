"""STOP, START, HELP and MENU in every language: honoured at once, on every channel of the patient."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.core.keywords import global_keyword, small_word
from bot.storage import queries
from bot.storage.models import Address, OutboxItem, Patient
from tests.dialogue import ConsolePatient, run_dialogue

STOP_WORDS = {"en": "STOP", "es": "parar", "fr": "arrêt", "de": "Stopp", "pt": "PARAR", "ar": "توقف"}
START_WORDS = {"en": "start", "es": "Empezar", "fr": "démarrer", "de": "START", "pt": "começar", "ar": "ابدأ"}
COME_BACK_WORD = {
    "en": "START",
    "es": "EMPEZAR",
    "fr": "DEMARRER",
    "de": "START",
    "pt": "COMECAR",
    "ar": "«ابدأ»",
}
LANG_NUMBER = {"en": "1", "es": "2", "fr": "3", "de": "4", "pt": "5", "ar": "6"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("STOP", "stop"),
        ("stop.", "stop"),
        ("Unsubscribe", "stop"),
        ("QUIT", "stop"),
        ("/stop", "stop"),
        ("Parar", "stop"),
        ("ARRÊT", "stop"),
        ("stopp", "stop"),
        ("توقف", "stop"),
        ("إيقاف", "stop"),
        ("START", "start"),
        ("unstop", "start"),
        ("/start", "start"),
        ("ابدأ", "start"),
        ("HELP", "help"),
        ("info", "help"),
        ("ayuda", "help"),
        ("Aide", "help"),
        ("Hilfe", "help"),
        ("ajuda", "help"),
        ("مساعدة", "help"),
        ("menu", "menu"),
        ("Menü", "menu"),
        ("القائمة", "menu"),
        ("stop the nausea please", None),
        ("I can't stop coughing", None),
        ("help me I fainted", None),
        ("", None),
    ],
)
def test_whole_message_keywords_in_every_language(text: str, expected: str | None) -> None:
    assert global_keyword(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", "yes"),
        ("Sí", "yes"),
        ("oui", "yes"),
        ("ja", "yes"),
        ("sim", "yes"),
        ("نعم", "yes"),
        ("no", "no"),
        ("non", "no"),
        ("nein", "no"),
        ("não", "no"),
        ("لا", "no"),
        ("back", "back"),
        ("atrás", "back"),
        ("maybe", None),
    ],
)
def test_yes_no_back_in_every_language(text: str, expected: str | None) -> None:
    assert small_word(text) == expected


async def _enrol(patient: ConsolePatient, lang: str) -> None:
    await patient.says("hello")
    await patient.says(LANG_NUMBER[lang])
    await patient.says("1")  # I agree
    await patient.says("DEMO-CZ-2026")
    await patient.says("1")  # first suggested city
    replies = await patient.says("9:00")
    assert replies, "enrolment finished with a welcome"


@pytest.mark.parametrize("lang", list(STOP_WORDS))
async def test_stop_and_start_in_each_language(services, lang: str) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address=f"kw-{lang}")
    await _enrol(patient, lang)

    confirmation = await patient.says(STOP_WORDS[lang])
    assert len(confirmation) == 1, "exactly one confirmation"
    assert COME_BACK_WORD[lang] in confirmation[0], (
        "the confirmation says, in the patient's language, how to come back"
    )

    # Nothing more is sent, whatever the patient writes, until START.
    assert await patient.says("menu") == []
    assert await patient.says("how are you?") == []

    async with services.sessions() as session:
        address = await queries.find_address(session, "console", f"kw-{lang}")
        assert address is not None and address.opted_out
        patient_row = await session.get(Patient, address.patient_id)
        assert patient_row is not None and patient_row.status == "stopped"

    back = await patient.says(START_WORDS[lang])
    assert len(back) == 1
    async with services.sessions() as session:
        address = await queries.find_address(session, "console", f"kw-{lang}")
        assert address is not None and not address.opted_out
        patient_row = await session.get(Patient, address.patient_id)
        assert patient_row is not None and patient_row.status == "active"
    assert await patient.says("menu") != []


async def test_stop_on_one_channel_stops_that_address_and_asks_the_others_to_confirm(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="multi-1")
    await _enrol(patient, "en")
    async with services.sessions() as session, session.begin():
        first = await queries.find_address(session, "console", "multi-1")
        assert first is not None
        row = await session.get(Patient, first.patient_id)
        assert row is not None
        second = await queries.add_address(session, row, "sms", "+14155550100", services.clock())
        from bot.storage import outbox

        await outbox.enqueue(
            session,
            address=second,
            text="pending reminder",
            options=[],
            kind="reminder",
            now=services.clock(),
        )
    await patient.says("STOP")
    async with services.sessions() as session:
        addresses = (
            await session.scalars(select(Address).where(Address.patient_id == first.patient_id))
        ).all()
        pending = (await session.scalars(select(OutboxItem).where(OutboxItem.address_id == second.id))).all()
    assert {a.value: a.opted_out for a in addresses} == {"multi-1": True, "+14155550100": False}
    # The phone keeps its reminder and is asked whether to stop there too (issue 15: never silently).
    assert [p.status for p in pending] == ["pending", "pending"]
    phone = ConsolePatient(services, address="+14155550100", channel_name="sms")
    await phone.says("STOP")
    async with services.sessions() as session:
        addresses = (
            await session.scalars(select(Address).where(Address.patient_id == first.patient_id))
        ).all()
        pending = (await session.scalars(select(OutboxItem).where(OutboxItem.address_id == second.id))).all()
    assert all(a.opted_out for a in addresses)
    # the reminder and the question are cancelled; only the STOP confirmation is still to go
    assert [p.status for p in pending] == ["cancelled", "cancelled", "pending"]


async def test_help_tells_how_to_reach_a_person_during_enrolment(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services)
    await run_dialogue(patient, [("hi", "language"), ("English", "agree"), ("yes", "code")])
    replies = "\n".join(await patient.says("HELP"))
    assert "+1 555 0100" in replies and "leaflet" in replies
    # HELP did not move the conversation on: the code is still expected.
    assert "time zone" in "\n".join(await patient.says("DEMO-CZ-2026"))


def test_a_lexicon_word_yaml_would_read_as_a_boolean_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from bot.core import keywords

    (tmp_path / "xx.yaml").write_text('language: xx\nnames: [xx]\n"yes": [yes, sure]\n', encoding="utf-8")
    monkeypatch.setattr(keywords, "LEXICON_DIR", tmp_path)
    keywords.lexicons.cache_clear()
    try:
        with pytest.raises(ValueError, match="quote every word"):
            keywords.lexicons()
    finally:
        keywords.lexicons.cache_clear()
