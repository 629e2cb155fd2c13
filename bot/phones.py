"""Phone numbers: normalise to E.164, find the country and a likely time zone, mask for logs.

Built on ``phonenumbers`` (Google's libphonenumber metadata). Its time-zone table is coarse in places: it
gives Algeria Europe/Paris, Morocco Atlantic/Canary, Nicaragua America/Chicago, Libya and Palestine
Europe/Bucharest, zones whose daylight-saving rules differ from the country's and would move a patient's
reminders by an hour for half the year. So every zone it suggests is checked against the number's own country
(CLDR's zone-to-territory data, shipped with Babel) and replaced by that country's zones when it does not
belong there.
"""

from __future__ import annotations

from functools import cache

import phonenumbers
from babel.core import get_global
from phonenumbers import NumberParseException, PhoneNumberFormat, timezone

_UNKNOWN_ZONE = "Etc/Unknown"
_BULLETS = "•••"


class InvalidPhoneNumber(ValueError):
    """The text is not a phone number we can send to; the message says why (without repeating the number)."""


_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "unknown country calling code",
    NumberParseException.NOT_A_NUMBER: "not a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "too short",
    NumberParseException.TOO_LONG: "too long",
}


def _parse(raw: str, default_region: str | None, *, strict: bool = True) -> phonenumbers.PhoneNumber:
    """Parse or raise InvalidPhoneNumber. Strict: a valid number (an assigned range) without extension.
    Lenient (for look-ups on numbers already stored): any number of a possible length."""
    if default_region is not None:
        default_region = default_region.upper()
        if default_region not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError(
                f"unknown default region {default_region!r}: use an ISO 3166 alpha-2 code such as 'ES'"
            )
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise InvalidPhoneNumber("phone number is empty")
    if default_region is None and text.startswith("00"):
        text = "+" + text[2:]  # the international prefix used in most of the world
    try:
        number = phonenumbers.parse(text, default_region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and not text.startswith(("+", "00")):
            reason = "no country code: start with + and the country code (+34 for Spain)"
        else:
            reason = _PARSE_REASONS.get(exc.error_type, "not a phone number")
        raise InvalidPhoneNumber(f"invalid phone number: {reason}") from None
    if not strict:
        if not phonenumbers.is_possible_number(number):
            raise InvalidPhoneNumber("invalid phone number: wrong number of digits")
        return number
    if number.extension:
        raise InvalidPhoneNumber("invalid phone number: an extension cannot receive messages")
    if not phonenumbers.is_valid_number(number):
        region = phonenumbers.region_code_for_country_code(number.country_code)  # type: ignore[arg-type]
        if region == phonenumbers.UNKNOWN_REGION:
            raise InvalidPhoneNumber(
                f"invalid phone number: unknown country calling code +{number.country_code}"
            )
        reason = {
            phonenumbers.ValidationResult.TOO_SHORT: "too short",
            phonenumbers.ValidationResult.TOO_LONG: "too long",
            phonenumbers.ValidationResult.INVALID_LENGTH: "wrong number of digits",
        }.get(phonenumbers.is_possible_number_with_reason(number), "not an assigned number range")
        raise InvalidPhoneNumber(f"invalid phone number for +{number.country_code} ({region}): {reason}")
    return number


def to_e164(raw: str, default_region: str | None = None) -> str:
    """Normalise what a patient or staff member typed ("+34 612 34 56 78", "07400 123456" with region "GB")
    to E.164 ("+34612345678"). Without ``default_region`` the number must carry its country code
    (+ or 00). Only valid numbers (assigned ranges, no extension) pass."""
    return phonenumbers.format_number(_parse(raw, default_region), PhoneNumberFormat.E164)


def region_of(e164: str) -> str | None:
    """ISO 3166 alpha-2 region of a number ("GB" for +44 20…, "CA" for +1 416…); None for non-geographic
    numbers such as +800 and for numbers outside any assigned range. Raises InvalidPhoneNumber for text
    that cannot be a phone number."""
    region = phonenumbers.region_code_for_number(_parse(e164, None, strict=False))
    return None if region in (None, phonenumbers.UNKNOWN_REGION, "001") else region


@cache
def _zone_territories() -> dict[str, str]:
    return dict(get_global("zone_territories"))


@cache
def _zone_aliases() -> dict[str, str]:
    return dict(get_global("zone_aliases"))


def _canonical(zone: str) -> str:
    """Current IANA name for a legacy one (phonenumbers still says Asia/Calcutta, newer tzdata may drop
    it)."""
    return _zone_aliases().get(zone, zone)


def timezones_for(e164: str) -> list[str]:
    """Time zones the number may be in, sorted, for offering a choice; [] when nothing is known.

    Zones come from the number's prefix (area code where there is one); those outside the number's country
    are replaced by the country's own zones.
    """
    number = _parse(e164, None, strict=False)
    zones = {_canonical(z) for z in timezone.time_zones_for_number(number) if z != _UNKNOWN_ZONE}
    region = phonenumbers.region_code_for_number(number)
    if region and region not in (phonenumbers.UNKNOWN_REGION, "001"):
        territories = _zone_territories()
        local = {z for z in zones if territories.get(z) == region}
        if not local:
            country_zones = get_global("territory_zones").get(region, [])
            local = {_canonical(z) for z in country_zones if z != _UNKNOWN_ZONE}
        zones = local
    return sorted(zones)


def suggest_timezone(e164: str) -> str | None:
    """The IANA zone when the number points at exactly one (+81… -> Asia/Tokyo, +1 212… -> America/New_York),
    else None (a Spanish mobile may be on the Canaries, a US toll-free number could be anywhere)."""
    zones = timezones_for(e164)
    return zones[0] if len(zones) == 1 else None


def mask(e164: str) -> str:
    """A number as staff without permission and logs may see it: "+44 ••• ••• 0123".

    Keeps the country code and the last 2 to 4 digits (fewer for short numbers, never more than half of them).
    Never raises: text that is not a number is masked to its last two digits at most.
    """
    try:
        number = phonenumbers.parse(e164.strip(), None)
    except (NumberParseException, AttributeError):
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        digits = [ch for ch in str(e164) if ch.isdigit()]
        return f"{_BULLETS} {''.join(digits[-2:])}" if len(digits) >= 6 else _BULLETS
    national = phonenumbers.national_significant_number(number)
    keep = 4 if len(national) >= 10 else 3 if len(national) >= 8 else 2
    keep = min(keep, len(national) // 2)
    hidden = len(national) - keep
    groups = [_BULLETS] * (hidden // 3) + (["•" * (hidden % 3)] if hidden % 3 else [])
    return " ".join([f"+{number.country_code}", *groups, national[-keep:] if keep else ""]).rstrip()
