"""Times of day as patients type them."""

from __future__ import annotations

import re

_TIME_TEXT = re.compile(
    r"""
    (?P<hour>\d{1,2})
    (?:
        \s*(?:[:.]|h|uhr)\s*(?P<minute>\d{2})      # 9:30  09.30  21h30  9 h 30  9uhr30
      | (?P<compact>\d{2})                          # 930  2130
    )?
    \s*(?:h|uhr)?\.?                                # 21h  9 uhr  9:30 h
    \s*(?:(?P<am>a\.?\s?m\.?)|(?P<pm>p\.?\s?m\.?))?  # 9am  9 pm  9:30 p.m.
    """,
    re.VERBOSE,
)


def parse_local_time(text: str) -> str | None:
    """A patient-typed time of day ("9", "9:30", "09.30", "9am", "9 pm", "21h", "21h30", "2130") as
    ``"HH:MM"``, or None when it is not clearly one time. Any script's decimal digits count (Arabic-Indic
    too).
    """
    match = _TIME_TEXT.fullmatch(text.strip().casefold())
    if match is None:
        return None
    hour = int(match["hour"])
    minute_text = match["minute"] or match["compact"]
    minute = int(minute_text) if minute_text else 0
    if minute > 59:
        return None
    if match["am"] or match["pm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["pm"] else 0)
    elif hour > 23:
        return None
    return f"{hour:02d}:{minute:02d}"


_BARE_NUMBER = re.compile(r"\d{1,2}")


def typed_time_among_options(text: str) -> str | None:
    """A time typed where numbered options are on offer: "1" or "2" is an option's number, never 01:00.

    A time there needs a separator, am/pm or "h" ("9:00", "9am", "21h"), or four digits ("2130"); a bare
    one- or two-digit number is left to the options (and is not understood when no option has that number).
    """
    if _BARE_NUMBER.fullmatch(text.strip()):
        return None
    return parse_local_time(text)
