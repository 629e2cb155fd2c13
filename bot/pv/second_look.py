"""The second look: a random share of the messages the screen left clear goes to an officer anyway.

Without it nobody ever learns what the screen misses. The draw is blind to the text (a Bernoulli draw at the
configured rate when the message arrives, plus a weekly top-up drawn uniformly from the rest), so the misses
found in the sample estimate the misses among all clear messages (`bot.pv.quality`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True, slots=True)
class SecondLookPolicy:
    """Per language: `rate` of clear free-text messages, and at least `weekly_minimum` a week where there are
    that many (small languages would otherwise never be measured)."""

    rate: float = 0.05
    weekly_minimum: int = 20

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"second-look rate must be between 0 and 1, not {self.rate}")
        if self.weekly_minimum < 0:
            raise ValueError("second-look weekly minimum must not be negative")


def draw_at_receipt(policy: SecondLookPolicy, rng: random.Random | None = None) -> bool:
    """Whether this clear message goes to the second look now."""
    return (rng or _RNG).random() < policy.rate


def top_up_count(policy: SecondLookPolicy, sampled: int, clear: int) -> int:
    """How many more of a week's clear, unsampled messages to draw so the week reaches its minimum."""
    target = min(policy.weekly_minimum, clear)
    return max(0, target - sampled)


def choose(candidates: list[int], count: int, rng: random.Random | None = None) -> list[int]:
    """`count` of the candidate message ids, uniformly at random (all of them when there are fewer)."""
    if count >= len(candidates):
        return list(candidates)
    return (rng or _RNG).sample(candidates, count)


def week_of(moment: datetime) -> tuple[datetime, datetime]:
    """The ISO week (Monday 00:00 UTC to the next Monday) a moment falls in: the unit of the minimum."""
    day: date = moment.date() - timedelta(days=moment.weekday())
    start = datetime(day.year, day.month, day.day, tzinfo=moment.tzinfo)
    return start, start + timedelta(days=7)


_RNG = random.SystemRandom()
