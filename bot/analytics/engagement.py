"""Engagement arithmetic: response rate, time to answer, module completion, enrolment funnel, opt-outs,
and small-group suppression for aggregate tables.

Pure functions over counts and simple tuples. A rate whose denominator is zero is None (unknown), never 0.0:
"nobody was asked" and "nobody answered" must not look the same in an export.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


def _count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must be >= 0, got {value}")
    return value


def _ratio(part_name: str, part: int, whole_name: str, whole: int) -> float | None:
    _count(part_name, part)
    _count(whole_name, whole)
    if part > whole:
        raise ValueError(f"{part_name} ({part}) is more than {whole_name} ({whole})")
    return None if whole == 0 else part / whole


def response_rate(answered: int, sent: int, failed: int = 0) -> float | None:
    """Answered prompts / prompts sent that the channel did not report as failed.

    Counts only prompts that expect an answer (dose and refill reminders, questions). The denominator does
    not wait for delivery receipts, which some SMS carriers never send.
    """
    _count("failed", failed)
    _count("sent", sent)
    if failed > sent:
        raise ValueError(f"failed ({failed}) is more than sent ({sent})")
    return _ratio("answered", answered, "sent - failed", sent - failed)


def percentile(values: Iterable[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest observed value with at least p% of values at or below it.

    Always one of the observed values (reproducible by sorting by hand); None for no values.
    """
    if not 0 < p <= 100:
        raise ValueError(f"p must be in (0, 100], got {p}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = math.ceil(p / 100 * len(ordered))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class AnswerTimes:
    """Seconds from a reminder being sent to the patient's answer."""

    count: int
    median_seconds: float | None
    """The usual median (mean of the two middle values for an even count)."""
    p90_seconds: float | None
    """Nearest-rank 90th percentile."""


def answer_times(seconds: Iterable[float]) -> AnswerTimes:
    """Median and 90th percentile of answer times; unanswered prompts are not in `seconds`."""
    values = list(seconds)
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"seconds to answer must be a finite number, got {value!r}")
        if value < 0:
            raise ValueError(f"seconds to answer must be >= 0, got {value}")
    if not values:
        return AnswerTimes(count=0, median_seconds=None, p90_seconds=None)
    return AnswerTimes(
        count=len(values),
        median_seconds=float(statistics.median(values)),
        p90_seconds=percentile(values, 90),
    )


def module_completion_rate(completed: int, delivered: int) -> float | None:
    """Educational modules completed (last page reached, quiz answered if any) / modules delivered."""
    return _ratio("completed", completed, "delivered", delivered)


def opt_out_rate(opted_out: int, enrolled: int) -> float | None:
    """Enrolled patients who opted out (STOP on any channel) / enrolled patients."""
    return _ratio("opted_out", opted_out, "enrolled", enrolled)


FUNNEL_STAGES: tuple[str, ...] = ("started", "consented", "enrolled")


@dataclass(frozen=True)
class Funnel:
    """Distinct subjects that reached each enrolment stage."""

    started: int
    consented: int
    enrolled: int

    @property
    def consent_rate(self) -> float | None:
        """Consented / started."""
        return None if self.started == 0 else self.consented / self.started

    @property
    def enrolment_rate(self) -> float | None:
        """Enrolled / started."""
        return None if self.started == 0 else self.enrolled / self.started


def enrolment_funnel(events: Iterable[tuple[Hashable, str]]) -> Funnel:
    """Count distinct subjects per stage from `(subject, event)` tuples.

    Events other than the stages in `FUNNEL_STAGES` are ignored. A subject who reached a later stage is
    counted in every earlier one too (a patient enrolled by staff import has no "started" event), so the
    funnel never widens.
    """
    furthest: dict[Hashable, int] = {}
    for subject, event in events:
        if event in FUNNEL_STAGES:
            stage = FUNNEL_STAGES.index(event)
            if stage > furthest.get(subject, -1):
                furthest[subject] = stage
    counts = [0] * len(FUNNEL_STAGES)
    for stage in furthest.values():
        for reached in range(stage + 1):
            counts[reached] += 1
    return Funnel(started=counts[0], consented=counts[1], enrolled=counts[2])


def suppress_small_groups(
    rows: Iterable[Mapping[str, Any]],
    group_key: str | Sequence[str],
    count_key: str,
    k: int = 5,
    *,
    drop: bool = False,
) -> list[dict[str, Any]]:
    """Hide aggregate rows of groups with fewer than `k` subjects (but more than none).

    `group_key` names the column(s) that identify a group; a group's size is the sum of `count_key` over
    its rows (a group may span several rows, e.g. one per month). For a small group every column except the
    group key columns becomes None (so the count reads as "suppressed", not as zero), or the rows are left
    out with `drop=True`. Groups of size 0 are kept: they disclose nobody. Complementary suppression (a
    small group recoverable from a total) is the report author's concern.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be an int >= 1, got {k!r}")
    keys: tuple[str, ...] = (group_key,) if isinstance(group_key, str) else tuple(group_key)
    materialised = [dict(row) for row in rows]
    sizes: dict[tuple[Any, ...], int] = {}
    for index, row in enumerate(materialised):
        for key in (*keys, count_key):
            if key not in row:
                raise ValueError(f"row {index + 1}: missing column '{key}'")
        group = tuple(row[key] for key in keys)
        sizes[group] = sizes.get(group, 0) + _count(f"row {index + 1}: {count_key}", row[count_key])
    result: list[dict[str, Any]] = []
    for row in materialised:
        size = sizes[tuple(row[key] for key in keys)]
        if 0 < size < k:
            if drop:
                continue
            row = {name: (value if name in keys else None) for name, value in row.items()}
        result.append(row)
    return result
