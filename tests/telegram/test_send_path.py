"""What a send costs us besides the HTTP request: aiogram's models are built once, not per send."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from aiogram import Bot
from aiogram.methods import GetUpdates, Response

from bot.channels.telegram_limits import SendLimiter
from bot.channels.telegram_render import keyboard, keyboard_json
from bot.channels.telegram_router import chat_ref
from bot.channels.telegram_send import SendReply, markup_json, send_part
from bot.i18n import LANGUAGES
from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import Chat, labels


async def test_a_garbage_collection_between_replies_does_not_make_aiogram_rebuild_its_answer_model(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    # aiogram parses each Bot API answer with a pydantic generic model that pydantic caches only while
    # something refers to it; a collection used to free it, and the next send spent ~4 ms building it again.
    await chat.says("/start")
    models = [weakref.ref(Response[m.__returning__]) for m in (SendReply, GetUpdates)]  # type: ignore[name-defined]
    gc.collect()
    assert all(model() is not None for model in models)

    [consent] = await chat.says("English")

    assert labels(consent) == ["I agree", "I do not agree"]
    assert Response[SendReply.__returning__] is models[0]()  # type: ignore[name-defined]


LANGUAGE_BUTTONS = [{"key": f"lang:{code}", "label": label} for code, label in LANGUAGES.items()]
MENU = [{"key": "menu:learn", "label": "Learn about my treatment"}, {"key": "menu:help", "label": "Help"}]


@pytest.mark.parametrize("options", [[], LANGUAGE_BUTTONS, MENU], ids=["text", "languages", "menu"])
async def test_a_reply_posts_what_aiogram_s_send_message_posts(
    telegram_double: TelegramDouble, telegram_bot: Bot, options: list[dict[str, str]]
) -> None:
    text = "Welcome — ¿qué idioma? مرحبا\n\nChoose one."
    markup = keyboard(41, options)
    by_aiogram = await telegram_bot.send_message(5001, text, reply_markup=markup)

    markup_text = keyboard_json(41, options)
    ours = await send_part(telegram_bot, SendLimiter(1e6, 1e6), 5001, (1, 0), text, markup_text)

    stock, mine = telegram_double.calls_to("sendMessage")
    assert mine.params == stock.params  # the same form: chat, text, the same buttons and rows
    assert ours == f"{chat_ref(5001)}:{by_aiogram.message_id + 1}"
    assert telegram_double.sent_messages(5001)[-1]["text"] == text


TRICKY_LABELS = [
    "English",
    "Español",
    "العربية",
    'He said "no" \\ then left',
    "line\nbreak\ttab\x01\x1f\x7f",
    "\u2028\u2029 separators",
    "🙂 emoji and 中文",
    "exactly fourteen",
    "fourteen chars",
    "",
]


@pytest.mark.parametrize(
    "options",
    [
        LANGUAGE_BUTTONS,
        MENU,
        [{"key": "a", "label": label} for label in TRICKY_LABELS],
        [{"key": "a", "label": label} for label in TRICKY_LABELS if len(label) <= 14],
        [{"key": "n", "label": 7}],
        [{"key": "x", "label": "Yes"}, {"key": "y", "label": "No"}, {"key": "z", "label": "Later"}],
    ],
    ids=["languages", "menu", "tricky", "short-tricky", "number", "odd-count"],
)
@pytest.mark.parametrize("message_id", [1, 41, 2**40])
def test_the_keyboard_s_json_is_the_one_aiogram_s_models_give(
    options: list[dict[str, object]], message_id: int
) -> None:
    # Sends build the keyboard's JSON directly (bot.channels.telegram_render.keyboard_json); Telegram must get
    # the same buttons, rows and callback data as from aiogram's models.
    assert keyboard_json(message_id, options) == markup_json(keyboard(message_id, options))
    assert keyboard_json(message_id, []) is None
