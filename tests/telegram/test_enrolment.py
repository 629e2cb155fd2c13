"""A patient enrols by tapping buttons, in their Telegram language; answered questions stop being
pressable."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from bot.channels.telegram_render import ANSWER_MARK
from bot.core.keywords import lexicons
from bot.enrolment.rules import CONSENT_VERSION
from bot.i18n import LANGUAGES, t
from bot.storage import queries
from bot.storage.models import ConversationState, Message, Patient
from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import Chat, labels


async def _patient(services: Any, chat: Chat) -> Patient:
    async with services.sessions() as session:
        address = await queries.find_address(session, "telegram", str(chat.chat_id))
        assert address is not None
        patient = await queries.get_patient(session, address.patient_id)
        assert patient is not None
        return patient


async def test_english_enrolment_by_buttons(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    [question] = await chat.says("/start")
    assert question["text"] == t("en", "Welcome to the patient support program. Please choose your language.")
    assert labels(question) == ["English", "Español", "Français", "Deutsch", "Português", "العربية"]
    assert [len(row) for row in question["reply_markup"]["inline_keyboard"]] == [
        2,
        2,
        2,
    ]  # short labels pair up

    [consent] = await chat.presses("English")
    answered = chat.shown()[0]
    assert answered["text"].endswith(f"{ANSWER_MARK} English") and "reply_markup" not in answered
    assert labels(consent) == ["I agree", "I do not agree"]

    [code_prompt] = await chat.presses("I agree")
    assert "enrolment code" in code_prompt["text"] and "reply_markup" not in code_prompt
    [zone] = await chat.says("DEMO-CZ-2026")
    first_city = lexicons()["en"].timezones[0]
    city = first_city.rsplit("/", 1)[1].replace("_", " ")
    assert city in labels(zone)
    [time_prompt] = await chat.presses(city)
    assert labels(time_prompt) == ["09:00"]
    welcome, menu = await chat.presses("09:00")

    assert "You are enrolled" in welcome["text"]
    assert labels(menu) == [
        "My reminders",
        "Learn about my treatment",
        "Report a side effect",
        "Talk to a person",
        "Change language",
    ]
    assert [len(row) for row in menu["reply_markup"]["inline_keyboard"]] == [1] * 5  # long labels one per row
    patient = await _patient(services, chat)
    assert (patient.status, patient.locale, patient.timezone, patient.reminder_times) == (
        "active",
        "en",
        first_city,
        ["09:00"],
    )
    async with services.sessions() as session:
        consents = await queries.consents_of(session, patient.id)
    assert [(c.granted, c.text_version, c.verbatim, c.channel) for c in consents] == [
        (True, CONSENT_VERSION, "I agree", "telegram")
    ]
    # Every press was answered, and no answered question still shows buttons.
    assert set(chat.callback_ids) <= set(telegram_double.answered_callbacks)
    assert [m["text"][-len("09:00") :] for m in chat.shown() if ANSWER_MARK in m["text"]][-1] == "09:00"
    with_buttons = [m for m in chat.shown() if "reply_markup" in m]
    assert with_buttons == [menu]


async def test_spanish_enrolment_starts_in_the_telegram_language(chat: Chat, services: Any) -> None:
    chat.language_code = "es"
    [question] = await chat.says("/start")
    assert question["text"] == t("es", "Welcome to the patient support program. Please choose your language.")

    [consent] = await chat.presses("Español")
    assert consent["text"] == t(
        "es",
        "Before we start: this program sends you reminders and information about your treatment, and stores "
        "your messages to support you. Anything you tell us about side effects is passed to the drug safety "
        "team "
        "as the law requires. You can stop at any time by sending STOP. Do you agree?",
    )
    await chat.presses(t("es", "I agree"))
    [zone] = await chat.says("DEMO-CZ-2026")
    assert labels(zone)[0] == "Madrid"  # the Spanish list of cities
    await chat.presses("Madrid")
    _welcome, menu = await chat.presses("09:00")

    assert labels(menu)[0] == t("es", "My reminders")
    patient = await _patient(services, chat)
    assert (patient.status, patient.locale, patient.timezone) == ("active", "es", "Europe/Madrid")
    async with services.sessions() as session:
        [consent_row] = await queries.consents_of(session, patient.id)
    assert consent_row.verbatim == t("es", "I agree")


async def test_a_language_we_do_not_support_gets_the_greeting_in_every_language(chat: Chat) -> None:
    chat.language_code = "ja"
    [question] = await chat.says("/start")
    lines = question["text"].split("\n")
    assert lines == [t(lang, "Welcome! Please choose your language.") for lang in LANGUAGES]
    assert "Willkommen! Bitte wählen Sie Ihre Sprache." in lines and "أهلًا بكم! يُرجى اختيار لغتكم." in lines


async def test_a_stale_button_gets_a_polite_answer_and_changes_nothing(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    [language] = await chat.says("/start")
    _, spanish = chat.button("Español", language["message_id"])
    await chat.presses("English")
    [consent] = chat.shown()[1:]
    _, disagree = chat.button("I do not agree", consent["message_id"])
    await chat.presses("I agree")
    async with services.sessions() as session:
        before = await session.scalar(select(func.count()).select_from(Message))

    # An old client still shows the buttons: a press on the answered language question, then on the consent.
    assert await chat.presses_data(spanish, language["message_id"]) == []
    assert await chat.presses_data(disagree, consent["message_id"]) == []

    first, second = chat.callback_ids[-2:]
    for callback_id in (first, second):
        assert telegram_double.answered_callbacks[callback_id]["text"] in (
            t("en", "This question is no longer open."),
            t("en", "You already answered this question."),
        )
    patient = await _patient(services, chat)
    async with services.sessions() as session:
        after = await session.scalar(select(func.count()).select_from(Message))
        state = await session.get(ConversationState, patient.id)
        consents = await queries.consents_of(session, patient.id)
    assert (patient.locale, patient.status) == ("en", "enrolling")
    assert state is not None and state.step == "code" and state.attempts == 0
    # "I agree" is recorded with the program's consent version once the code names the program; the stale
    # "I do not agree" recorded no decline.
    assert [c.granted for c in consents] == []
    assert after == before  # nothing stored, nothing sent


async def test_a_double_tap_is_one_answer(chat: Chat, services: Any, telegram_double: TelegramDouble) -> None:
    """Two presses on one question delivered at once (webhook deliveries race): one answer, one refusal."""
    [language] = await chat.says("/start")
    message_id, english = chat.button("English", language["message_id"])
    _, french = chat.button("Français", language["message_id"])
    first = telegram_double.make_callback_update(chat.chat_id, english, message_id)
    second = telegram_double.make_callback_update(chat.chat_id, french, message_id)

    await asyncio.gather(chat.channel.feed_webhook(first), chat.channel.feed_webhook(second))
    await services.dispatcher.drain()

    answers = [
        telegram_double.answered_callbacks[u["callback_query"]["id"]].get("text") for u in (first, second)
    ]
    assert sorted(answers, key=str) == sorted(
        [None, t("en", "You already answered this question.")], key=str
    ) or sorted(answers, key=str) == sorted([None, t("en", "This question is no longer open.")], key=str)
    # Whichever press won, exactly one consent question follows, in that press's language.
    consent_labels = ([t(lang, "I agree"), t(lang, "I do not agree")] for lang in ("en", "fr"))
    wanted = list(consent_labels)
    consent_questions = [m for m in chat.new_messages() if labels(m) in wanted]
    assert len(consent_questions) == 1
    patient = await _patient(services, chat)
    assert patient.locale == ("en" if answers[0] is None else "fr")
