"""The console channel: a patient in a terminal (`psp chat`), on the same engine and database."""

from __future__ import annotations

from collections.abc import Callable

from bot.channels.base import OutboundMessage
from bot.i18n import LANGUAGES, t

NAME = "console"


def render(message: OutboundMessage, locale: str | None = None) -> str:
    """Plain text, options as a numbered list the patient can answer with the number or the word."""
    lines = [message.text]
    for number, option in enumerate(message.options, start=1):
        lines.append(f"  {number}. {option['label']}")
    return "\n".join(lines)


class ConsoleChannel:
    """Hands each outbound message to `write` (print in `psp chat`, a list in tests)."""

    name = NAME

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write
        self.sent: list[OutboundMessage] = []

    async def send(self, message: OutboundMessage) -> str | None:
        self.sent.append(message)
        self._write(render(message))
        return f"console-{message.message_id}"


def prompt_hint(locale: str | None) -> str:
    """How to use the terminal, in the patient's language; in every language while it is not known yet."""
    if locale:
        return t(locale, "Type your answer and press Enter.") + " " + t(locale, "Press Ctrl-D to leave.")
    return "\n".join(prompt_hint(lang) for lang in LANGUAGES)
