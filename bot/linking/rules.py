"""Linking another app to the same patient with a short one-time code (channel-neutral, pure).

On the app they already use, the patient sends LINK (or /link, or picks it in Telegram's command list) and
gets a six-character code valid for 15 minutes. From the new app they send `LINK CODE` (or just the code while
the new app is still at the start of enrolment, or open a Telegram deep link `/start CODE`). The new address
then belongs to the existing patient: one history, one consent record, one set of reminders.

The alphabet leaves out 0/O and 1/I so a code read aloud or copied by hand still works.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.core.messages import Reply
from bot.i18n import t

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
VALID_FOR = timedelta(minutes=15)
KEYWORD = "link"


@dataclass(frozen=True)
class LinkRequest:
    """`ask`: give me a code. `use`: here is a code (None when the word after LINK is not code-shaped).
    `bare`: a message that is only a code (or `/start CODE`): a code if one is active, else an ordinary
    message."""

    kind: Literal["ask", "use", "bare"]
    code: str | None = None


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(word: str) -> str | None:
    """ "abc-234" -> "ABC234"; None when it cannot be one of our codes."""
    code = word.strip().upper().replace("-", "").replace(" ", "")
    if len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code):
        return code
    return None


def parse(text: str) -> LinkRequest | None:
    """What a message asks about linking, if anything."""
    words = text.strip().split()
    if not words or len(words) > 2:
        return None
    head = words[0].lstrip("/").split("@", 1)[0].casefold()  # "/link@psp_bot" in a Telegram group menu
    if head == KEYWORD:
        return LinkRequest("ask") if len(words) == 1 else LinkRequest("use", normalise_code(words[1]))
    if head == "start" and words[0].startswith("/") and len(words) == 2:
        code = normalise_code(words[1])
        return LinkRequest("bare", code) if code else None
    if len(words) == 1:
        code = normalise_code(words[0])
        return LinkRequest("bare", code) if code else None
    return None


# --- replies ------------------------------------------------------------------------------------------------


def code_issued(locale: str | None, code: str) -> Reply:
    return Reply(
        t(
            locale,
            "Your code to connect another app is {code}. Within 15 minutes, send LINK {code} from the other "
            "app "
            "(Telegram or SMS). The code works once.",
            code=code,
        ),
        kind="link_code",
    )


def how_to_use(locale: str | None) -> Reply:
    return Reply(
        t(
            locale,
            "To connect this app to the account you already have, send LINK followed by the code you got in "
            "your "
            "other app, for example LINK K7Q2MX.",
        )
    )


def invalid_code(locale: str | None) -> Reply:
    return Reply(
        t(
            locale,
            "That code is not valid or has expired. Send LINK in the app you already use to get a new code.",
        )
    )


def same_app(locale: str | None) -> Reply:
    return Reply(t(locale, "Send this code from the other app, not from this one."))


def already_enrolled(locale: str | None) -> Reply:
    return Reply(
        t(
            locale,
            "This app is already enrolled on its own. To combine two accounts, the support team will "
            "contact you.",
        )
    )


def linked(locale: str | None) -> Reply:
    return Reply(
        t(locale, "This app is now connected to your account. Your history, consent and reminders are kept.")
    )


def linked_notice(locale: str | None) -> Reply:
    return Reply(
        t(locale, "Another app was just connected to your account. If this was not you, send HELP."),
        kind="link_notice",
    )
