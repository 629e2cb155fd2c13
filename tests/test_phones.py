"""Phone numbers as enrolment staff, the scheduler and a log reader meet them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.phones import InvalidPhoneNumber, mask, region_of, suggest_timezone, timezones_for, to_e164


@pytest.mark.parametrize(
    ("raw", "region", "e164"),
    [
        ("+34 612 345 678", None, "+34612345678"),
        ("+34 612-34-56-78", None, "+34612345678"),
        ("  +44 20 7946 0123 ", None, "+442079460123"),
        ("0034 612 345 678", None, "+34612345678"),  # the usual international prefix
        ("612 345 678", "ES", "+34612345678"),
        ("612345678", "es", "+34612345678"),
        ("07400 123456", "GB", "+447400123456"),  # trunk 0 dropped
        ("+33 6 12 34 56 78", "DE", "+33612345678"),  # an explicit country code wins over the default
        ("(212) 555-0123", "US", "+12125550123"),
        ("tel:+1-212-555-0123", None, "+12125550123"),
        ("+49 30 123456", None, "+4930123456"),
        ("+351 912 345 678", None, "+351912345678"),
        ("+971 50 123 4567", None, "+971501234567"),
        ("+212 650 123456", None, "+212650123456"),
        ("+800 1234 5678", None, "+80012345678"),
    ],
)
def test_to_e164_normalises(raw: str, region: str | None, e164: str) -> None:
    assert to_e164(raw, region) == e164


@pytest.mark.parametrize(
    ("raw", "region", "reason"),
    [
        ("", None, "empty"),
        ("   ", "ES", "empty"),
        ("hello", None, "not a phone number"),
        ("+999", None, "unknown country calling code"),
        ("+999 123 4567", None, "unknown country calling code"),
        ("612 345 678", None, "no country code"),
        ("+44 12", None, "too short"),
        ("+44 20 7946 0123 4567", None, "too long"),
        ("+44 7700 900123", None, "not an assigned number range"),  # UK drama range
        ("0612 345 678", "ES", "too long"),  # Spain has no trunk 0
        ("+1 212 555 0123 ext. 12", None, "extension"),
    ],
)
def test_to_e164_refuses_with_a_reason(raw: str, region: str | None, reason: str) -> None:
    with pytest.raises(InvalidPhoneNumber, match=reason) as caught:
        to_e164(raw, region)
    assert isinstance(caught.value, ValueError)
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) > 4:
        assert digits not in str(caught.value).replace(" ", ""), (
            "the number itself stays out of error messages"
        )


def test_unknown_default_region_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown default region 'XX'") as caught:
        to_e164("612 345 678", "XX")
    assert not isinstance(caught.value, InvalidPhoneNumber)


@pytest.mark.parametrize(
    ("e164", "region"),
    [
        ("+34612345678", "ES"),
        ("+442079460123", "GB"),
        ("+12125550123", "US"),
        ("+14165550123", "CA"),  # shares +1 with the US
        ("+74951234567", "RU"),
        ("+77710009998", "KZ"),  # shares +7 with Russia
        ("+212650123456", "MA"),
        ("+966512345678", "SA"),
        ("+5511961234567", "BR"),
        ("+80012345678", None),  # international freephone: no country
        ("+447700900123", None),  # right length, unassigned range
    ],
)
def test_region_of(e164: str, region: str | None) -> None:
    assert region_of(e164) == region


@pytest.mark.parametrize("bad", ["hello", "", "+999", "+44 12"])
def test_lookups_refuse_text_that_cannot_be_a_number(bad: str) -> None:
    for lookup in (region_of, suggest_timezone, timezones_for):
        with pytest.raises(InvalidPhoneNumber):
            lookup(bad)


@pytest.mark.parametrize(
    ("e164", "zone"),
    [
        ("+81312345678", "Asia/Tokyo"),
        ("+34912345678", "Europe/Madrid"),  # Madrid landline
        ("+34922123456", "Atlantic/Canary"),  # Tenerife landline
        ("+34612345678", None),  # Spanish mobile: mainland or the Canaries, an hour apart
        ("+351912345678", None),  # Portuguese mobile: mainland or the Azores
        ("+12125550123", "America/New_York"),  # area code 212
        ("+13125550123", "America/Chicago"),
        ("+14155550123", "America/Los_Angeles"),
        ("+19075550100", None),  # Alaska: Anchorage or Adak
        ("+18005550199", None),  # toll-free: anywhere in North America
        ("+447400123456", "Europe/London"),  # UK mobile, not Jersey or the Isle of Man
        ("+33612345678", "Europe/Paris"),
        ("+4915123456789", "Europe/Berlin"),
        ("+966512345678", "Asia/Riyadh"),
        ("+971501234567", "Asia/Dubai"),
        ("+201001234567", "Africa/Cairo"),
        ("+919876543210", "Asia/Kolkata"),  # library says the legacy Asia/Calcutta
        ("+5491123456789", "America/Argentina/Buenos_Aires"),  # legacy America/Buenos_Aires
        # The library's zone is in another country with other daylight-saving rules: the country's own zone.
        ("+212650123456", "Africa/Casablanca"),  # library: Atlantic/Canary
        ("+213551234567", "Africa/Algiers"),  # library: Europe/Paris (Algeria has no DST)
        ("+50522345678", "America/Managua"),  # library: America/Chicago (Nicaragua has no DST)
        ("+218912345678", "Africa/Tripoli"),  # library: Europe/Bucharest
        ("+353850123456", "Europe/Dublin"),  # library: London, Guernsey, Isle of Man
        ("+970599123456", None),  # Palestine: Gaza or Hebron
        ("+80012345678", None),
        ("+447700900123", None),
    ],
)
def test_suggest_timezone(e164: str, zone: str | None) -> None:
    assert suggest_timezone(e164) == zone


@pytest.mark.parametrize(
    ("e164", "expected"),
    [
        ("+34612345678", ["Atlantic/Canary", "Europe/Madrid"]),
        ("+19075550100", ["America/Adak", "America/Anchorage"]),
        ("+77710009998", ["Asia/Almaty", "Asia/Aqtobe"]),
        ("+81312345678", ["Asia/Tokyo"]),
        ("+80012345678", []),
    ],
)
def test_timezones_for_offers_a_choice(e164: str, expected: list[str]) -> None:
    assert timezones_for(e164) == expected


def test_toll_free_choice_stays_in_the_country_and_every_zone_loads() -> None:
    zones = timezones_for("+18005550199")
    assert {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"} <= set(zones)
    assert "America/Toronto" not in zones and "America/Barbados" not in zones  # +1 is shared; 800 is US here
    for e164 in ["+18005550199", "+919876543210", "+5491123456789", "+212650123456", "+34612345678"]:
        for zone in timezones_for(e164):
            ZoneInfo(zone)


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+442079460123", "+44 ••• ••• 0123"),
        ("+12125550123", "+1 ••• ••• 0123"),
        ("+34612345678", "+34 ••• ••• 678"),
        ("+966512345678", "+966 ••• ••• 678"),
        ("+4930123456", "+49 ••• •• 456"),
        ("+80012345678", "+800 ••• •• 678"),
        ("+6837012", "+683 •• 12"),  # Niue, four digits: never more than half of them
        ("+29022158", "+290 ••• 58"),
        ("hello", "•••"),
        ("", "•••"),
        ("+999", "•••"),
        ("+999 1234 5678", "••• 78"),
    ],
)
def test_mask(e164: str, masked: str) -> None:
    assert mask(e164) == masked


@pytest.mark.parametrize(
    ("e164", "country_code"),
    [("+442079460123", "44"), ("+12125550123", "1"), ("+34612345678", "34"), ("+4930123456", "49"),
     ("+6837012", "683"), ("+5511961234567", "55"), ("+80012345678", "800")],
)  # fmt: skip
def test_mask_shows_at_most_four_digits_and_never_half_the_number(e164: str, country_code: str) -> None:
    masked = mask(e164)
    assert masked.startswith(f"+{country_code} ")
    national = e164[1 + len(country_code) :]
    shown = "".join(ch for ch in masked[len(country_code) + 2 :] if ch.isdigit())
    assert national.endswith(shown)
    assert len(shown) <= min(4, len(national) // 2)
