"""What every channel turns its traffic into (`Inbound`) and what the core answers (`Reply`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Option:
    """A choice offered to the patient: a button on Telegram, "Reply 1 for ..." on SMS."""

    key: str
    label: str


@dataclass(frozen=True)
class Reply:
    """Text plus options, rendered by each channel the way its medium does it."""

    text: str
    options: tuple[Option, ...] = ()
    kind: str | None = None  # e.g. "safety", "stop_confirmation", "reminder"
    # The approved template this message maps to when a channel cannot send free text (WhatsApp outside its
    # 24-hour window): the program's template kind and the values of its variables.
    template: TemplateRef | None = None


@dataclass(frozen=True)
class TemplateRef:
    """Which template kind (e.g. "dose_reminder") and the named values to fill it with."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "values": dict(self.values)}


@dataclass(frozen=True)
class Inbound:
    """One message from a patient, normalised by a channel adapter."""

    channel: str
    address: str
    text: str
    received_at: datetime
    external_id: str | None = None
    option: str | None = None  # the key of a pressed button
    language_hint: str | None = None  # e.g. Telegram's language_code
    event: str | None = None  # "started" (/start, SMS START) or "stopped" (blocked the bot, carrier opt-out)

    def __post_init__(self) -> None:
        # A lone surrogate ("x\ud800y" from a JSON escape) cannot be stored or sent: every channel's text is
        # made storable here, once, so no delivery fails on it (a pair would have been decoded already).
        for name in ("text", "address", "external_id", "option", "language_hint"):
            value = getattr(self, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                object.__setattr__(self, name, scrub(value))


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD (the replacement character)."""
    return _SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True)
class Outcome:
    """What `receive` did, for the channel and for tests."""

    message_id: int | None
    duplicate: bool = False
    replies: tuple[Reply, ...] = ()
    escalated: bool = False
    patient_ref: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
