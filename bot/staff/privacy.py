"""Showing personal data to staff: masking addresses for roles that may not see them."""

from __future__ import annotations

BULLET = "•"
ERASED = "[erased]"


def mask(value: str, keep: int = 2) -> str:
    """A phone number or chat id with all but its last `keep` characters hidden ("+•••••••••23").

    A leading "+" stays so staff can tell a phone number from a chat id; short values are hidden entirely.
    """
    if value == ERASED:
        return value
    sign = "+" if value.startswith("+") else ""
    body = value[len(sign) :]
    if len(body) <= keep + 2:
        return sign + BULLET * len(body)
    return sign + BULLET * (len(body) - keep) + body[-keep:]
