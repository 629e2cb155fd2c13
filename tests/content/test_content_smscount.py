"""The SMS variant budget depends on carriers' segment arithmetic; these are the cases patients pay for."""

from __future__ import annotations

import pytest

from bot.learn.smscount import count_sms

ARABIC = "مرحبا"  # 5 letters


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 0),
        ("a" * 160, "GSM-7", 160, 1),
        ("a" * 161, "GSM-7", 161, 2),
        ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3),
        ("é ñ ü ß à Ç", "GSM-7", 11, 1),  # accents that GSM-7 has
        ("€" * 80, "GSM-7", 160, 1),  # extension characters cost two septets
        ("{x}" + "a" * 157, "GSM-7", 162, 2),
        ("á" + "a" * 69, "UCS-2", 70, 1),  # one Spanish á makes the whole text UCS-2
        ("ç" + "a" * 70, "UCS-2", 71, 2),
        ("a" * 134 + "í", "UCS-2", 135, 3),
        (ARABIC * 14, "UCS-2", 70, 1),
        (ARABIC * 27, "UCS-2", 135, 3),
        ("💊" + "a" * 68, "UCS-2", 70, 1),  # an emoji is two UTF-16 units
        ("2–8 °C", "UCS-2", 6, 1),  # en dash and degree sign are not GSM-7
    ],
)
def test_segments(text: str, encoding: str, units: int, segments: int) -> None:
    count = count_sms(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)
