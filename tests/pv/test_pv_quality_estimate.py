"""The second look and the production quality estimate: sampled at the configured rate, estimated honestly."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from bot.pv.quality import LanguageCounts, estimate
from bot.pv.second_look import SecondLookPolicy, choose, draw_at_receipt, top_up_count, week_of


def test_the_draw_takes_the_configured_share_of_ten_thousand_messages() -> None:
    rng = random.Random(2026)
    policy = SecondLookPolicy(rate=0.05)
    drawn = sum(draw_at_receipt(policy, rng) for _ in range(10_000))
    # binomial(10000, 0.05): sd ~ 21.8; 4 sd either side
    assert 500 - 88 <= drawn <= 500 + 88


def test_a_small_language_is_topped_up_to_the_weekly_minimum() -> None:
    policy = SecondLookPolicy(rate=0.05, weekly_minimum=20)
    assert top_up_count(policy, sampled=3, clear=200) == 17
    assert top_up_count(policy, sampled=3, clear=12) == 9  # only 12 clear messages: all of them
    assert top_up_count(policy, sampled=25, clear=500) == 0
    assert sorted(choose([1, 2, 3], 5)) == [1, 2, 3]
    assert len(set(choose(list(range(100)), 10, random.Random(1)))) == 10


def test_a_policy_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        SecondLookPolicy(rate=1.5)


def test_week_runs_monday_to_monday() -> None:
    start, end = week_of(datetime(2026, 12, 10, 15, 0, tzinfo=UTC))  # a Thursday
    assert start == datetime(2026, 12, 7, tzinfo=UTC) and (end - start).days == 7


def test_recall_and_specificity_come_with_intervals_from_the_second_look() -> None:
    counts = LanguageCounts(
        lang="es",
        flagged_confirmed=90,
        flagged_dismissed=30,
        flagged_pending=4,
        clear=1000,
        second_look_misses=2,
        second_look_cleared=98,
    )
    result = estimate(counts)
    # 2% of 1,000 clear messages were misses: 20 missed against 90 found
    assert result["estimated_misses"] == 20
    assert result["recall"]["value"] == pytest.approx(90 / 110, abs=1e-4)
    assert result["recall"]["low"] < result["recall"]["value"] < result["recall"]["high"]
    assert result["specificity"]["value"] == pytest.approx(980 / 1010, abs=1e-4)
    assert result["specificity"]["low"] < result["specificity"]["value"] <= result["specificity"]["high"]


def test_without_a_second_look_recall_is_unknown_not_perfect() -> None:
    result = estimate(LanguageCounts("ar", 10, 1, 0, 300, 0, 0))
    assert result["recall"]["value"] is None
    assert result["recall"]["low"] == pytest.approx(10 / 310, abs=1e-4) and result["recall"]["high"] == 1.0
