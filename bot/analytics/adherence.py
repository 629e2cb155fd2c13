"""Adherence arithmetic on dispensing records: PDC, MPR, persistence, on-time refills, dose adherence.

Pure functions over `(fill_date, days_supply)` pairs for ONE patient and ONE product, so that analysts,
payers and regulators can recompute every number by hand. The definitions below are the ones printed in
`docs/exports.md`; change them only together.

Conventions shared by every function:
- Dates are `datetime.date` (a `datetime` is refused: a time of day has no meaning in a day count).
- A period `[start, end]` includes both ends: 1 January to 31 January is 31 days.
- A fill covers its fill date and the following `days_supply - 1` days.
- Overlap (PQA method): when a fill arrives while earlier supply remains, its supply starts the day after the
  earlier supply runs out. Fills dated the same day are therefore stacked, one after the other. Callers must
  de-duplicate records of the same dispensing (e.g. a pharmacy record and the patient's own report of it)
  before calling, or the supply is counted twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

Fill = tuple[date, int]
"""One dispensing: the date it was filled and its days of supply (an integer > 0)."""

_ONE_DAY = timedelta(days=1)


def _day(value: object, name: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")
    return value


def period_days(start: date, end: date) -> int:
    """Number of days in `[start, end]`, both included. ValueError when end is before start."""
    _day(start, "start")
    _day(end, "end")
    if end < start:
        raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
    return (end - start).days + 1


def _sorted_fills(fills: Iterable[Fill]) -> list[Fill]:
    checked: list[Fill] = []
    for index, fill in enumerate(fills):
        try:
            fill_date, days_supply = fill
        except (TypeError, ValueError) as exc:
            raise TypeError(f"fill {index}: expected a (fill_date, days_supply) pair, got {fill!r}") from exc
        _day(fill_date, f"fill {index}: fill_date")
        if isinstance(days_supply, bool) or not isinstance(days_supply, int):
            raise TypeError(f"fill {index}: days_supply must be an int, not {type(days_supply).__name__}")
        if days_supply <= 0:
            raise ValueError(f"fill {index}: days_supply must be > 0, got {days_supply}")
        checked.append((fill_date, days_supply))
    checked.sort(key=lambda f: f[0])
    return checked


def supply_intervals(fills: Iterable[Fill]) -> list[tuple[date, date]]:
    """The days each fill is on hand after the PQA shift, as `(first_day, last_day)` in fill-date order.

    The intervals never overlap and never go backwards: each one starts on its fill date or on the day after
    the previous supply runs out, whichever is later.
    """
    intervals: list[tuple[date, date]] = []
    next_free: date | None = None
    for fill_date, days_supply in _sorted_fills(fills):
        first = fill_date if next_free is None or fill_date >= next_free else next_free
        last = first + timedelta(days=days_supply - 1)
        intervals.append((first, last))
        next_free = last + _ONE_DAY
    return intervals


def covered_days(fills: Iterable[Fill], start: date, end: date) -> int:
    """How many days of `[start, end]` the patient had supply on hand (PQA shift; each day counted once)."""
    period_days(start, end)
    total = 0
    for first, last in supply_intervals(fills):
        lo, hi = max(first, start), min(last, end)
        if lo <= hi:
            total += (hi - lo).days + 1
    return total


def pdc(fills: Iterable[Fill], start: date, end: date) -> float:
    """Proportion of days covered, PQA method: covered days in `[start, end]` / days in `[start, end]`.

    Supply from a fill dated before `start` counts for the days that fall inside the period; supply past
    `end` is cut off; no fills gives 0.0. The result is in [0, 1].
    """
    days = period_days(start, end)
    return covered_days(fills, start, end) / days


def mpr(fills: Iterable[Fill], start: date, end: date, *, cap: bool = True) -> float:
    """Medication possession ratio: days supply of the fills dated in `[start, end]` / days in the period.

    Unlike PDC there is no shift and no cut-off: a fill dated inside the period counts with all its days,
    even those past `end`; a fill dated before `start` does not count. Early refills therefore push MPR above
    1; with `cap=True` (the default, and what the exports use) the result is capped at 1.0.
    """
    days = period_days(start, end)
    supply = sum(s for d, s in _sorted_fills(fills) if start <= d <= end)
    ratio = supply / days
    return min(ratio, 1.0) if cap else ratio


@dataclass(frozen=True)
class Persistence:
    """Time on therapy from the first fill, and why it stopped being counted."""

    days: int
    """Days from the first fill to `last_day`, both included; 0 without fills."""
    first_fill: date | None
    last_day: date | None
    """The last supplied day before the first gap longer than the grace (discontinued), else the last day
    observed: `end`, or the end of the last supply when no `end` was given."""
    discontinued: bool
    """True when a gap longer than the grace was seen; False means still persistent when observation ended."""


def _grace(grace_days: int) -> int:
    if isinstance(grace_days, bool) or not isinstance(grace_days, int):
        raise TypeError(f"grace_days must be an int, not {type(grace_days).__name__}")
    if grace_days < 0:
        raise ValueError(f"grace_days must be >= 0, got {grace_days}")
    return grace_days


def persistence(fills: Iterable[Fill], grace_days: int = 60, end: date | None = None) -> Persistence:
    """Persistence from the first fill until the first gap in supply longer than `grace_days`.

    Supply is laid out with the PQA shift. A gap is a run of days without supply between the end of one
    supply and the start of the next; a gap of exactly `grace_days` days does not end persistence. When it
    ends, the last counted day is the last day of supply before the gap (the grace is not added).
    With `end`, fills dated after `end` are ignored, supply past `end` is not counted, and a final run of
    days without supply up to `end` that is longer than the grace also ends persistence; otherwise the
    patient is persistent through `end` (censored). Without `end`, counting stops at the end of the last
    supply.
    """
    grace = _grace(grace_days)
    if end is not None:
        _day(end, "end")
    intervals = supply_intervals(fills)
    if end is not None:
        intervals = [iv for iv in intervals if iv[0] <= end]
    if not intervals:
        return Persistence(days=0, first_fill=None, last_day=None, discontinued=False)
    first = intervals[0][0]
    run_end = intervals[0][1]
    discontinued = False
    for next_first, next_last in intervals[1:]:
        gap = (next_first - run_end).days - 1
        if gap > grace:
            discontinued = True
            break
        run_end = next_last
    if discontinued or end is None:
        last = run_end
    elif run_end >= end:
        last = end
    elif (end - run_end).days > grace:
        discontinued, last = True, run_end
    else:
        last = end
    return Persistence(
        days=(last - first).days + 1, first_fill=first, last_day=last, discontinued=discontinued
    )


def persistence_days(fills: Iterable[Fill], grace_days: int = 60, end: date | None = None) -> int:
    """Days from the first fill to the first gap longer than the grace; see `persistence` for the rules."""
    return persistence(fills, grace_days, end).days


def _refills(fills: Iterable[Fill]) -> list[tuple[date, int]]:
    """(fill_date, days without supply before it) for every fill after the first, in date order."""
    refills: list[tuple[date, int]] = []
    supplied_through: date | None = None
    for fill_date, days_supply in _sorted_fills(fills):
        if supplied_through is not None:
            runs_out = supplied_through + _ONE_DAY  # first day without supply
            refills.append((fill_date, (fill_date - runs_out).days))
            first = max(fill_date, runs_out)
        else:
            first = fill_date
        supplied_through = first + timedelta(days=days_supply - 1)
    return refills


def refill_delays(fills: Iterable[Fill]) -> list[int]:
    """For each refill (every fill after the first, in date order): days the patient went without supply
    before it. 0 means filled on the first day without supply; negative means filled early, with that many
    days of earlier supply still on hand.
    """
    return [delay for _, delay in _refills(fills)]


def on_time_refill_rate(
    fills: Iterable[Fill], grace_days: int = 7, *, start: date | None = None, end: date | None = None
) -> float | None:
    """Share of refills that were on time; None when there is no refill to judge.

    A refill is on time when it is filled no later than `grace_days` days after the previous supply runs
    out, i.e. when the patient went at most `grace_days` days without supply before it (early refills are on
    time). "Previous supply" is everything dispensed before, laid out with the PQA shift. With `start` and/or
    `end`, only refills dated inside `[start, end]` are judged; earlier fills still count as supply.
    """
    grace = _grace(grace_days)
    if start is not None and end is not None:
        period_days(start, end)
    for bound, name in ((start, "start"), (end, "end")):
        if bound is not None:
            _day(bound, name)
    delays = [
        delay
        for fill_date, delay in _refills(fills)
        if (start is None or fill_date >= start) and (end is None or fill_date <= end)
    ]
    if not delays:
        return None
    return sum(1 for d in delays if d <= grace) / len(delays)


def dose_adherence(taken: int, scheduled: int) -> float | None:
    """Doses the patient reported taken / doses scheduled; None when nothing was scheduled.

    Self-reported: an unanswered or unsent reminder counts as not taken.
    """
    for name, value in (("taken", taken), ("scheduled", scheduled)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if value < 0:
            raise ValueError(f"{name} must be >= 0, got {value}")
    if taken > scheduled:
        raise ValueError(f"taken ({taken}) is more than scheduled ({scheduled})")
    if scheduled == 0:
        return None
    return taken / scheduled
