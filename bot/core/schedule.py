"""A patient's reminder rhythm in one sentence: "Every Sunday at 10:00 AM (New York time)."

In the core because enrolment (the welcome) and reminders (the settings and their confirmations) both say it,
and a weekly program must never be described as "every day".
"""

from __future__ import annotations

from collections.abc import Sequence

from babel.dates import get_day_names
from babel.lists import format_list

from bot.i18n import t, tn

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def schedule_text(
    locale: str | None,
    kind: str,
    times: Sequence[str],
    zone_label: str,
    weekday: str | None = None,
    every_n_days: int | None = None,
) -> str:
    """ "Every day at 9:00 AM (Madrid time)." with times already formatted for the locale."""
    joined = format_list(list(times), locale=locale or "en")
    if kind == "weekly" and weekday in WEEKDAYS:
        day = get_day_names("wide", locale=locale or "en")[WEEKDAYS.index(weekday)]
        return t(
            locale, "Every {weekday} at {times} ({zone} time).", weekday=day, times=joined, zone=zone_label
        )
    if kind == "every_n_days" and every_n_days:
        return tn(
            locale,
            "Every {n} day at {times} ({zone} time).",
            "Every {n} days at {times} ({zone} time).",
            every_n_days,
            times=joined,
            zone=zone_label,
        )
    return t(locale, "Every day at {times} ({zone} time).", times=joined, zone=zone_label)
