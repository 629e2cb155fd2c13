"""Time zones as patients name them: "Madrid", "Ciudad de México", "القاهرة", "Wien", "UTC+2".

City names come from CLDR through Babel, in every supported language, so a patient types the city the way
their language writes it and reads it back the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import available_timezones

from babel.core import get_global
from babel.dates import get_timezone_location

from bot.core.text import fold

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})$")
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")


def city_name(zone: str, locale: str | None) -> str:
    """The zone's exemplar city in the patient's language ("America/Mexico_City" -> "Ciudad de México")."""
    try:
        return str(get_timezone_location(zone, locale=locale or "en", return_city=True))
    except (LookupError, ValueError):
        return zone.rsplit("/", 1)[-1].replace("_", " ")


@lru_cache(maxsize=1)
def _zones_by_name() -> dict[str, str]:
    """Folded city names in every language (and the IANA city part) -> zone; first zone wins."""
    table: dict[str, str] = {}
    for zone in sorted(available_timezones()):
        if "/" not in zone or zone.startswith(("Etc/", "SystemV/", "US/")):
            continue
        names = {zone.rsplit("/", 1)[1].replace("_", " ")}
        names.update(city_name(zone, lang) for lang in LANGUAGES)
        for name in names:
            table.setdefault(fold(name), zone)
    return table


def find_zone(text: str) -> str | None:
    """An IANA zone from a zone name, a city in any supported language, or a UTC offset."""
    raw = text.strip()
    if raw in available_timezones():
        return raw
    offset = _OFFSET.match(raw.lower().replace(" ", ""))
    if offset:
        hours = int(offset.group(2))
        if hours <= 14:
            # Etc/GMT signs are inverted by POSIX convention: UTC+2 is Etc/GMT-2.
            return "UTC" if hours == 0 else f"Etc/GMT{'-' if offset.group(1) == '+' else '+'}{hours}"
        return None
    folded = fold(raw)
    if not folded:
        return None
    table = _zones_by_name()
    if folded in table:
        return table[folded]
    # "el cairo", "le caire": try without a leading article-like word
    parts = folded.split(" ", 1)
    return table.get(parts[1]) if len(parts) == 2 else None


def country_of_zone(zone: str | None) -> str | None:
    """The country (ISO 3166 alpha-2) a time zone belongs to, from CLDR; None for "UTC" or "Etc/GMT-2".

    A patient who chose "Ciudad de México" lives in Mexico: their emergency number and support line follow.
    """
    if not zone:
        return None
    territory = get_global("zone_territories").get(zone)
    return str(territory) if territory and territory != "ZZ" else None
