"""A tiny SMS segment counter, so content validation can hold SMS variants to their budget.

This is deliberately small: it answers "how many segments will this text cost?" the way carriers count
(GSM 03.38 septets, or UCS-2 code units as soon as one character is outside GSM-7). The SMS channel has its
own, fuller implementation; this one only has to agree with it on the count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

# GSM 03.38 basic character set (the escape character itself excluded).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs two septets (escape + character).
_GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True)
class SmsCount:
    """What a text costs: its encoding, its length in that encoding's units, and the segments."""

    encoding: Encoding
    units: int
    segments: int

    @property
    def per_segment(self) -> int:
        """Units that fit in one segment at this length (single messages carry no split header)."""
        if self.encoding == "GSM-7":
            return 160 if self.segments <= 1 else 153
        return 70 if self.segments <= 1 else 67


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC or ch in _GSM_EXTENSION for ch in text)


def count_sms(text: str) -> SmsCount:
    """Segments for `text`: GSM-7 160 single / 153 split; UCS-2 70 single / 67 split (UTF-16 units)."""
    if is_gsm7(text):
        units = sum(2 if ch in _GSM_EXTENSION else 1 for ch in text)
        single, split, encoding = 160, 153, "GSM-7"
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, split, encoding = 70, 67, "UCS-2"
    if units == 0:
        segments = 0
    elif units <= single:
        segments = 1
    else:
        segments = math.ceil(units / split)
    return SmsCount(encoding=encoding, units=units, segments=segments)  # type: ignore[arg-type]
