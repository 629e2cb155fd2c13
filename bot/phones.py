"""Temporary minimal phone helpers (replaced by the SMS work)."""

from __future__ import annotations

import phonenumbers
from phonenumbers import timezone as pn_timezone


def region_of(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def suggest_timezone(e164: str) -> str | None:
    try:
        zones = pn_timezone.time_zones_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None
    return zones[0] if len(zones) == 1 and zones[0] != "Etc/Unknown" else None
