"""How a core `Reply` looks on Telegram: text split to Telegram's limit, options as an inline keyboard.

Pure functions (plus aiogram's types): the runtime in `telegram.py` sends what these build.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.types import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import LANGUAGES, t

MAX_TEXT = 4096  # Telegram's limit for one message, counted here in UTF-16 units (the stricter reading)
ANSWER_MARK = "✅"
SHORT_LABEL = 14  # labels up to this many characters go two to a row


class Pick(CallbackData, prefix="o"):
    """A pressed option: `m` is our stored message id of the question, `i` the option's index in it.

    Option keys ("tz:Europe/Madrid") contain the factory's ":" separator and can be long, so the button
    carries only two integers (at most ~25 bytes, far under the 64-byte limit); the key and label are read
    back from the stored question, which also tells us whether the question is still open.
    """

    m: int
    i: int


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Split `text` into messages of at most `limit` UTF-16 units, on paragraph boundaries when possible.

    Paragraphs (blank-line separated) are packed greedily; a paragraph that is itself too long is split on
    line breaks, then on spaces, and only a single unbroken run longer than the limit is cut mid-word.
    """
    if utf16_len(text) <= limit:
        return [text]
    units: list[tuple[str, str]] = []  # (separator before the piece, piece)
    for paragraph in text.split("\n\n"):
        if utf16_len(paragraph) <= limit:
            units.append(("\n\n", paragraph))
            continue
        for index, piece in enumerate(_split_long(paragraph, limit)):
            units.append(("\n\n" if index == 0 else "\n", piece))
    chunks: list[str] = []
    current: str | None = None
    for separator, piece in units:
        if current is None:
            current = piece
        elif utf16_len(current + separator + piece) <= limit:
            current = current + separator + piece
        else:
            chunks.append(current)
            current = piece
    if current is not None:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()]


def _split_long(paragraph: str, limit: int) -> list[str]:
    """A paragraph over the limit: whole lines where they fit, else words, else hard cuts."""
    parts: list[str] = []
    for line in paragraph.split("\n"):
        if utf16_len(line) <= limit:
            parts.append(line)
            continue
        current = ""
        for word in line.split(" "):
            while utf16_len(word) > limit:  # one unbroken run longer than a message
                head = _cut(word, limit)
                if current:
                    parts.append(current)
                    current = ""
                parts.append(head)
                word = word[len(head) :]
            candidate = word if not current else current + " " + word
            if utf16_len(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = word
        if current:
            parts.append(current)
    # Re-join consecutive lines that fit together, so lines are not sent one message each.
    merged: list[str] = []
    for part in parts:
        if merged and utf16_len(merged[-1] + "\n" + part) <= limit:
            merged[-1] = merged[-1] + "\n" + part
        else:
            merged.append(part)
    return merged


def _cut(word: str, limit: int) -> str:
    """The longest prefix of `word` within `limit` UTF-16 units (never splitting a surrogate pair)."""
    size = 0
    for index, char in enumerate(word):
        size += 2 if ord(char) > 0xFFFF else 1
        if size > limit:
            return word[:index]
    return word


def keyboard(message_id: int, options: Sequence[dict[str, Any]]) -> InlineKeyboardMarkup | None:
    """Options as inline buttons: short labels two to a row, long ones (menu entries) one per row."""
    if not options:
        return None
    buttons = [
        InlineKeyboardButton(text=str(option["label"]), callback_data=Pick(m=message_id, i=index).pack())
        for index, option in enumerate(options)
    ]
    width = 2 if all(len(str(option["label"])) <= SHORT_LABEL for option in options) else 1
    rows = [buttons[start : start + width] for start in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def keyboard_json(message_id: int, options: Sequence[dict[str, Any]]) -> str | None:
    """`keyboard(...)` as the JSON text Telegram takes, built without aiogram's models.

    Every send carries its keyboard; building the buttons, packing `Pick` and dumping the models cost about a
    quarter of a send's CPU outside HTTP. The text is the one aiogram's models give (same keys, order and
    escaping: tests compare the two), so the form posted is unchanged.
    """
    if not options:
        return None
    labels = [str(option["label"]) for option in options]
    width = 2 if all(len(label) <= SHORT_LABEL for label in labels) else 1
    head = f"{Pick.__prefix__}{Pick.__separator__}{int(message_id)}{Pick.__separator__}"
    buttons = [{"text": label, "callback_data": f"{head}{index}"} for index, label in enumerate(labels)]
    rows = [buttons[start : start + width] for start in range(0, len(buttons), width)]
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False, separators=(",", ":"))


def answered_text(question: str, label: str) -> str | None:
    """The question as it reads once answered: its text and the choice. None when that would be too long."""
    text = f"{question}\n\n{ANSWER_MARK} {label}"
    return text if utf16_len(text) <= MAX_TEXT else None


COMMANDS = ("start", "menu", "help", "link", "stop")


def command_descriptions(locale: str) -> list[BotCommand]:
    """The bot's command list in one language (shown by Telegram's "/" menu)."""
    descriptions = {
        "start": t(locale, "Start or restart the program"),
        "menu": t(locale, "Show what you can do"),
        "help": t(locale, "Get help or talk to a person"),
        "link": t(locale, "Connect another app (Telegram or SMS)"),
        "stop": t(locale, "Stop all messages"),
    }
    return [BotCommand(command=name, description=descriptions[name]) for name in COMMANDS]


def command_languages() -> list[str]:
    return list(LANGUAGES)
