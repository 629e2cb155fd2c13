"""How a chosen module becomes messages (pure): the approved words, only reformatted for a chat screen.

A module's full text is Markdown. Channels show plain text, so the Markdown markers (`**`, `_`, `#`, link
brackets) are taken out and every word is kept exactly as reviewed; the messages carry `kind="module"` so a
channel that renders rich text can tell them apart. The quiz question, its answers and its explanation are
approved words too; only the short framing ("Correct!", "Read more") comes from the gettext catalogs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.messages import Option
from bot.learn.modules import Delivery, Quiz, fill_placeholders

PREFIX = "learn"
READ = f"{PREFIX}:read:"  # + module id: a module chosen from the Learn list
MORE = f"{PREFIX}:more:"  # + delivery id: "Read more" under a short variant
QUIZ = f"{PREFIX}:quiz:"  # + delivery id + ":" + answer index
KIND_MODULE = "module"
KIND_QUIZ = "quiz"

_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", re.DOTALL)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


def plain_text(markdown: str) -> str:
    """Readable plain text from the module Markdown: markers removed, words and line breaks kept.

    `**bold**`/`__bold__`/`*em*`/`_em_` lose their markers, `# Heading` its hashes, `[text](url)` becomes
    `text (url)`, backslash escapes their backslash. Lists (`- `, `1. `) read well as they are."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    text = _HEADING.sub("", text)
    text = _BOLD.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _ESCAPE.sub(r"\1", text)


def module_text(delivery: Delivery, values: Mapping[str, str]) -> str:
    """The message a patient reads: the short text as it is, or the title and the full text."""
    if delivery.variant == "sms":
        return delivery.render(values)
    title = fill_placeholders(delivery.title, values)
    return f"{title}\n\n{plain_text(delivery.render(values))}"


def more_option(delivery_id: int, label: str) -> Option:
    return Option(f"{MORE}{delivery_id}", label)


def quiz_options(quiz: Quiz, values: Mapping[str, str], delivery_id: int) -> tuple[Option, ...]:
    """The approved answers as options; each key names the delivery, so a button works without state."""
    return tuple(
        Option(f"{QUIZ}{delivery_id}:{i}", fill_placeholders(o, values)) for i, o in enumerate(quiz.options)
    )


def read_option(delivery: Delivery, values: Mapping[str, str]) -> Option:
    """A Learn-list entry: the module's approved title."""
    return Option(f"{READ}{delivery.module_id}", fill_placeholders(delivery.title, values))


@dataclass(frozen=True)
class Choice:
    """An option key read back: what the patient chose."""

    action: str  # read | more | quiz
    module_id: str | None = None
    delivery_id: int | None = None
    answer: int | None = None


def parse_choice(key: str | None) -> Choice | None:
    """The Learn choice an option key stands for, or None when the key is not one of ours (or malformed)."""
    if not key:
        return None
    if key.startswith(READ) and len(key) > len(READ):
        return Choice("read", module_id=key[len(READ) :])
    if key.startswith(MORE) and key[len(MORE) :].isdigit():
        return Choice("more", delivery_id=int(key[len(MORE) :]))
    if key.startswith(QUIZ):
        delivery, _, answer = key[len(QUIZ) :].partition(":")
        if delivery.isdigit() and answer.isdigit():
            return Choice("quiz", delivery_id=int(delivery), answer=int(answer))
    return None
