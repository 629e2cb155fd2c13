"""Adherence numbers an analyst, payer or regulator would recompute by hand.

Unless a case says otherwise the period is Q1 2026: 1 Jan - 31 Mar 2026 = 31 + 28 + 31 = 90 days.
A fill covers its fill date and the following days_supply - 1 days.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.analytics.adherence import (
    Persistence,
    covered_days,
    dose_adherence,
    mpr,
    on_time_refill_rate,
    pdc,
    period_days,
    persistence,
    persistence_days,
    refill_delays,
    supply_intervals,
)

JAN1, MAR31 = date(2026, 1, 1), date(2026, 3, 31)


def d(month: int, day: int, year: int = 2026) -> date:
    return date(year, month, day)


PDC_CASES = [
    pytest.param(
        # Jan 1-30 (30) + Jan 31-Mar 1 (1 + 28 + 1 = 30) + Mar 2-31 (30) = 90 of 90.
        [(d(1, 1), 30), (d(1, 31), 30), (d(3, 2), 30)],
        JAN1,
        MAR31,
        90,
        id="refilled exactly when supply ran out",
    ),
    pytest.param(
        # Jan 21 arrives with 10 days left (Jan 21-30), so its supply starts Jan 31: Jan 31-Mar 1.
        # Covered: Jan 1-30 (30) + Jan 31-Mar 1 (30) = 60. Without the shift it would be Jan 1-Feb 19 = 50.
        [(d(1, 1), 30), (d(1, 21), 30)],
        JAN1,
        MAR31,
        60,
        id="overlapping early refill is shifted forward",
    ),
    pytest.param(
        # Same fills as above, listed out of order: same answer.
        [(d(1, 21), 30), (d(1, 1), 30)],
        JAN1,
        MAR31,
        60,
        id="fills in any order",
    ),
    pytest.param(
        # Period Jan 1-31 (31 days). Dec 20 + 30 days covers Dec 20-Jan 18: 18 days fall in the period.
        # Jan 25 + 30 covers Jan 25-Feb 23: Jan 25-31 = 7 days in the period. 18 + 7 = 25.
        [(d(12, 20, 2025), 30), (d(1, 25), 30)],
        JAN1,
        d(1, 31),
        25,
        id="fill before the period counts for its days inside",
    ),
    pytest.param(
        # Dec 1 + 60 covers Dec 1-Jan 29; Dec 15 + 30 is shifted to Jan 30-Feb 28.
        # In Q1: Jan 1-29 (29) + Jan 30-Feb 28 (2 + 28 = 30) = 59.
        [(d(12, 1, 2025), 60), (d(12, 15, 2025), 30)],
        JAN1,
        MAR31,
        59,
        id="carry-over from before the period is shifted too",
    ),
    pytest.param(
        # Jan 1-30 (30); Mar 15 + 90 covers Mar 15-Jun 12, cut at Mar 31: Mar 15-31 = 17. 30 + 17 = 47.
        [(d(1, 1), 30), (d(3, 15), 90)],
        JAN1,
        MAR31,
        47,
        id="supply past the end is cut off",
    ),
    pytest.param(
        # Jan 1-30 (30), nothing in February, Mar 1-30 (30): 60 covered, Jan 31 - Feb 28 and Mar 31 are gaps.
        [(d(1, 1), 30), (d(3, 1), 30)],
        JAN1,
        MAR31,
        60,
        id="a gap",
    ),
    pytest.param(
        # Two 30-day fills on Jan 1 are stacked: Jan 1-30 and Jan 31-Mar 1 = 60.
        [(d(1, 1), 30), (d(1, 1), 30)],
        JAN1,
        MAR31,
        60,
        id="two fills on one day are stacked",
    ),
    pytest.param(
        # A fill dated after the period covers nothing in it.
        [(d(4, 1), 30)],
        JAN1,
        MAR31,
        0,
        id="fill after the period",
    ),
    pytest.param([], JAN1, MAR31, 0, id="no fills"),
    pytest.param([(d(1, 1), 1)], JAN1, JAN1, 1, id="one-day period, covered"),
    pytest.param([(d(1, 2), 1)], JAN1, JAN1, 0, id="one-day period, not covered"),
]


@pytest.mark.parametrize(("fills", "start", "end", "covered"), PDC_CASES)
def test_pdc_matches_hand_arithmetic(fills: list, start: date, end: date, covered: int) -> None:
    assert covered_days(fills, start, end) == covered
    assert pdc(fills, start, end) == pytest.approx(covered / period_days(start, end))


def test_pdc_is_a_proportion_even_when_oversupplied() -> None:
    # 12 fills of 90 days in a 90-day period: covered every day, never more than every day.
    fills = [(d(1, 1), 90)] * 12
    assert pdc(fills, JAN1, MAR31) == 1.0


def test_period_includes_both_ends() -> None:
    assert period_days(JAN1, MAR31) == 90
    assert period_days(JAN1, JAN1) == 1


def test_supply_intervals_show_the_shift() -> None:
    assert supply_intervals([(d(1, 21), 30), (d(1, 1), 30), (d(4, 1), 10)]) == [
        (d(1, 1), d(1, 30)),
        (d(1, 31), d(3, 1)),
        (d(4, 1), d(4, 10)),
    ]


@pytest.mark.parametrize(
    ("fills", "start", "end", "error"),
    [
        pytest.param([], MAR31, JAN1, ValueError, id="end before start"),
        pytest.param([(d(1, 1), 0)], JAN1, MAR31, ValueError, id="zero days supply"),
        pytest.param([(d(1, 1), -30)], JAN1, MAR31, ValueError, id="negative days supply"),
        pytest.param([(d(1, 1), 30.0)], JAN1, MAR31, TypeError, id="days supply not an int"),
        pytest.param([(datetime(2026, 1, 1, 9), 30)], JAN1, MAR31, TypeError, id="fill date with a time"),
        pytest.param([], datetime(2026, 1, 1), MAR31, TypeError, id="start with a time"),
    ],
)
def test_pdc_refuses_bad_input(fills: list, start: date, end: date, error: type[Exception]) -> None:
    with pytest.raises(error):
        pdc(fills, start, end)


@pytest.mark.parametrize(
    ("fills", "capped", "uncapped"),
    [
        # 30 + 30 + 30 + 30 = 120 days dispensed in a 90-day period: 120 / 90 = 1.333, capped to 1.
        ([(d(1, 1), 30), (d(1, 21), 30), (d(2, 20), 30), (d(3, 20), 30)], 1.0, 120 / 90),
        # Jan 1 and Mar 1, 30 days each: 60 / 90.
        ([(d(1, 1), 30), (d(3, 1), 30)], 60 / 90, 60 / 90),
        # Mar 15, 90 days: all 90 count although 73 fall after Mar 31 (PDC would say 17 / 90).
        ([(d(3, 15), 90)], 1.0, 1.0),
        # A fill dated before the period does not count at all (PDC would count Jan 1-18).
        ([(d(12, 20, 2025), 30)], 0.0, 0.0),
        ([], 0.0, 0.0),
    ],
)
def test_mpr(fills: list, capped: float, uncapped: float) -> None:
    assert mpr(fills, JAN1, MAR31) == pytest.approx(capped)
    assert mpr(fills, JAN1, MAR31, cap=False) == pytest.approx(uncapped)


def test_mpr_refuses_end_before_start() -> None:
    with pytest.raises(ValueError):
        mpr([], MAR31, JAN1)


@pytest.mark.parametrize(
    ("fills", "grace", "end", "expected"),
    [
        pytest.param(
            # Continuous Jan 1-Mar 31: 90 days, still on therapy.
            [(d(1, 1), 30), (d(1, 31), 30), (d(3, 2), 30)],
            60,
            None,
            Persistence(90, d(1, 1), d(3, 31), False),
            id="no gap",
        ),
        pytest.param(
            # Jan 1-30, then nothing until Apr 1: gap Jan 31-Mar 31 = 1 + 28 + 31 = 60 days > 30.
            # Persistence stops at the last supplied day, Jan 30: 30 days.
            [(d(1, 1), 30), (d(4, 1), 30)],
            30,
            None,
            Persistence(30, d(1, 1), d(1, 30), True),
            id="gap longer than the grace",
        ),
        pytest.param(
            # Same fills with a 60-day grace: the 60-day gap is not longer than the grace.
            # Jan 1 to the end of the Apr 1 supply (Apr 30): 31 + 28 + 31 + 30 = 120 days.
            [(d(1, 1), 30), (d(4, 1), 30)],
            60,
            None,
            Persistence(120, d(1, 1), d(4, 30), False),
            id="gap exactly the grace does not end persistence",
        ),
        pytest.param(
            # Jan 21 shifted to Jan 31-Mar 1: continuous Jan 1-Mar 1 = 31 + 28 + 1 = 60 days.
            [(d(1, 1), 30), (d(1, 21), 30)],
            60,
            None,
            Persistence(60, d(1, 1), d(3, 1), False),
            id="early refill shifted",
        ),
        pytest.param(
            # Supply Jan 1-30; observed to Mar 31: Jan 31-Mar 31 without supply = 60 days > 30.
            [(d(1, 1), 30)],
            30,
            MAR31,
            Persistence(30, d(1, 1), d(1, 30), True),
            id="final gap up to end longer than the grace",
        ),
        pytest.param(
            # Supply Jan 1-30; observed to Feb 15: Jan 31-Feb 15 = 16 days <= 30, persistent to
            # Feb 15 = 46 days.
            [(d(1, 1), 30)],
            30,
            d(2, 15),
            Persistence(46, d(1, 1), d(2, 15), False),
            id="final gap within the grace is censored at end",
        ),
        pytest.param(
            # Jan 1 + 90 runs to Mar 31, observation ends Jan 31: 31 days.
            [(d(1, 1), 90)],
            60,
            d(1, 31),
            Persistence(31, d(1, 1), d(1, 31), False),
            id="supply past end not counted",
        ),
        pytest.param(
            # The Apr 1 fill is after end and is ignored; the Jan 1 fill's gap to Feb 28 (29 days) <= 60.
            [(d(1, 1), 30), (d(4, 1), 30)],
            60,
            d(2, 28),
            Persistence(59, d(1, 1), d(2, 28), False),
            id="fills after end ignored",
        ),
        pytest.param([], 60, None, Persistence(0, None, None, False), id="no fills"),
        pytest.param(
            [(d(4, 1), 30)], 60, MAR31, Persistence(0, None, None, False), id="first fill after end"
        ),
    ],
)
def test_persistence(fills: list, grace: int, end: date | None, expected: Persistence) -> None:
    assert persistence(fills, grace, end) == expected
    assert persistence_days(fills, grace, end) == expected.days


def test_persistence_refuses_negative_grace() -> None:
    with pytest.raises(ValueError):
        persistence_days([(d(1, 1), 30)], grace_days=-1)


def test_refill_delays_and_on_time_rate() -> None:
    fills = [
        (d(1, 1), 30),  # supply Jan 1-30, runs out Jan 31
        (d(1, 28), 30),  # 3 days early (-3): on time; supply shifted to Jan 31-Mar 1, runs out Mar 2
        (d(3, 9), 30),  # 7 days without supply (Mar 2-8): on time with a 7-day grace; supply to Apr 7
        (d(4, 20), 30),  # runs out Apr 8, filled Apr 20: 12 days late
    ]
    assert refill_delays(fills) == [-3, 7, 12]
    assert on_time_refill_rate(fills, grace_days=7) == pytest.approx(2 / 3)
    assert on_time_refill_rate(fills, grace_days=6) == pytest.approx(1 / 3)
    assert on_time_refill_rate(fills, grace_days=12) == 1.0


@pytest.mark.parametrize("fills", [[], [(d(1, 1), 30)]])
def test_on_time_refill_rate_without_refills_is_unknown(fills: list) -> None:
    assert on_time_refill_rate(fills) is None


@pytest.mark.parametrize(
    ("taken", "scheduled", "expected"),
    [(25, 30, 25 / 30), (30, 30, 1.0), (0, 30, 0.0), (0, 0, None)],
)
def test_dose_adherence(taken: int, scheduled: int, expected: float | None) -> None:
    assert dose_adherence(taken, scheduled) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("taken", "scheduled"), [(31, 30), (-1, 30), (1, -1)])
def test_dose_adherence_refuses_impossible_counts(taken: int, scheduled: int) -> None:
    with pytest.raises(ValueError):
        dose_adherence(taken, scheduled)


def test_on_time_refill_rate_in_a_period_uses_earlier_fills_as_supply() -> None:
    fills = [
        (d(12, 1, 2025), 60),  # supply Dec 1 - Jan 29, runs out Jan 30
        (d(2, 3), 30),  # 4 days without supply (Jan 30 - Feb 2): on time; supply Feb 3 - Mar 4
        (d(3, 20), 30),  # runs out Mar 5, filled Mar 20: 15 days late
        (d(4, 18), 30),  # after the period: not judged
    ]
    assert on_time_refill_rate(fills, 7, start=JAN1, end=MAR31) == 0.5
    assert on_time_refill_rate(fills, 7, start=d(3, 1), end=MAR31) == 0.0
    assert on_time_refill_rate(fills, 7, start=d(4, 1), end=d(4, 17)) is None
