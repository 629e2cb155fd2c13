"""JSON webhook bodies read defensively: bounded nesting, no lone surrogates, one clear error for anything
else.

Providers send shallow JSON; a body nested thousands deep is an attack (Python's parser would raise
RecursionError,
a 500) and a lone surrogate escape ("\\ud800") makes a string that no database or provider accepts. Shared
by every
JSON webhook (Telegram today; any channel that posts JSON).
"""

from __future__ import annotations

import json
from typing import Any

from bot.core.messages import scrub

MAX_DEPTH = 32
MAX_BYTES = 1024 * 1024


class BadJson(ValueError):
    """The body is not acceptable JSON; the message says why and quotes nothing of the body."""


def parse(body: bytes) -> Any:
    """The decoded body with every string made storable; BadJson when it is not JSON or nests too deep."""
    if len(body) > MAX_BYTES:
        raise BadJson("body is too large")
    if _too_deep(body):
        raise BadJson(f"body nests deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        raise BadJson("body is not JSON") from None
    return _scrubbed(value)


def _too_deep(body: bytes) -> bool:
    """Count brackets outside strings before parsing, so the parser never recurses far."""
    depth, in_string, escaped = 0, False, False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def _scrubbed(value: Any) -> Any:
    """Replace lone surrogates in every key and string (depth is bounded already, so recursion is safe)."""
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if isinstance(value, dict):
        return {scrub(key): _scrubbed(item) for key, item in value.items()}
    return value
