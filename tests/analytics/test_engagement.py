"""Engagement numbers as an analyst reads them, and small groups hidden from aggregate tables."""

from __future__ import annotations

import pytest

from bot.analytics.engagement import (
    AnswerTimes,
    Funnel,
    answer_times,
    enrolment_funnel,
    module_completion_rate,
    opt_out_rate,
    percentile,
    response_rate,
    suppress_small_groups,
)


@pytest.mark.parametrize(
    ("answered", "sent", "failed", "expected"),
    [
        (5, 10, 0, 0.5),
        (8, 10, 2, 1.0),  # 2 failed sends are not held against the patient: 8 / (10 - 2)
        (0, 10, 0, 0.0),
        (0, 0, 0, None),  # nothing asked: unknown, not 0 %
        (0, 3, 3, None),  # everything failed: unknown
    ],
)
def test_response_rate(answered: int, sent: int, failed: int, expected: float | None) -> None:
    assert response_rate(answered, sent, failed) == expected


@pytest.mark.parametrize(("answered", "sent", "failed"), [(9, 10, 2), (1, 0, 0), (0, 1, 2), (-1, 1, 0)])
def test_response_rate_refuses_impossible_counts(answered: int, sent: int, failed: int) -> None:
    with pytest.raises(ValueError):
        response_rate(answered, sent, failed)


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        # Even count: median is the mean of 20 and 30; p90 is the ceil(0.9 * 4) = 4th value.
        ([40, 10, 30, 20], AnswerTimes(4, 25.0, 40.0)),
        # 1..10: median (5 + 6) / 2; p90 is the ceil(0.9 * 10) = 9th value.
        (list(range(1, 11)), AnswerTimes(10, 5.5, 9.0)),
        ([300], AnswerTimes(1, 300.0, 300.0)),
        ([], AnswerTimes(0, None, None)),
    ],
)
def test_answer_times(seconds: list[int], expected: AnswerTimes) -> None:
    assert answer_times(seconds) == expected


def test_answer_times_refuse_negative_durations() -> None:
    with pytest.raises(ValueError):
        answer_times([10, -5])


def test_percentile_is_nearest_rank() -> None:
    values = [15, 20, 35, 40, 50]
    assert percentile(values, 30) == 20  # ceil(1.5) = 2nd
    assert percentile(values, 40) == 20  # ceil(2.0) = 2nd
    assert percentile(values, 100) == 50
    assert percentile([], 50) is None
    with pytest.raises(ValueError):
        percentile(values, 0)


def test_module_completion_and_opt_out_rates() -> None:
    assert module_completion_rate(3, 4) == 0.75
    assert module_completion_rate(0, 0) is None
    assert opt_out_rate(3, 40) == 0.075
    assert opt_out_rate(0, 0) is None
    with pytest.raises(ValueError):
        module_completion_rate(5, 4)


def test_enrolment_funnel_counts_distinct_subjects_per_stage() -> None:
    events = [
        ("a", "started"),
        ("a", "consented"),
        ("a", "enrolled"),
        ("a", "started"),  # a second /start does not count twice
        ("b", "started"),  # dropped out before consent
        ("c", "started"),
        ("c", "consented"),  # consented, never finished enrolment
        ("d", "enrolled"),  # enrolled by staff import: counts in every earlier stage
        ("e", "opted_out"),  # not a funnel stage
    ]
    funnel = enrolment_funnel(events)
    assert funnel == Funnel(started=4, consented=3, enrolled=2)
    assert funnel.consent_rate == 0.75
    assert funnel.enrolment_rate == 0.5
    assert enrolment_funnel([]).enrolment_rate is None


ROWS = [
    {"program_id": "p1", "language": "en", "month": "2026-01", "patients": 10, "mean_pdc": 0.81},
    {"program_id": "p1", "language": "en", "month": "2026-02", "patients": 12, "mean_pdc": 0.78},
    {"program_id": "p1", "language": "ar", "month": "2026-01", "patients": 2, "mean_pdc": 0.95},
    {"program_id": "p1", "language": "ar", "month": "2026-02", "patients": 2, "mean_pdc": 0.90},
    {"program_id": "p1", "language": "de", "month": "2026-01", "patients": 5, "mean_pdc": 0.70},
    {"program_id": "p1", "language": "pt", "month": "2026-01", "patients": 0, "mean_pdc": None},
]


def test_small_groups_are_blanked_not_zeroed() -> None:
    # Groups are (program, language) over all months: en = 22, ar = 2 + 2 = 4 < 5, de = 5 (not < 5), pt = 0.
    out = suppress_small_groups(ROWS, ("program_id", "language"), "patients", k=5)
    assert out[:2] == ROWS[:2]
    assert out[2] == {"program_id": "p1", "language": "ar", "month": None, "patients": None, "mean_pdc": None}
    assert out[3] == {"program_id": "p1", "language": "ar", "month": None, "patients": None, "mean_pdc": None}
    assert out[4] == ROWS[4]
    assert out[5] == ROWS[5]  # an empty group discloses nobody
    assert ROWS[2]["patients"] == 2  # the input is left alone


def test_small_groups_can_be_dropped_and_grouped_per_row() -> None:
    out = suppress_small_groups(ROWS, ["program_id", "language", "month"], "patients", k=6, drop=True)
    assert [(r["language"], r["month"]) for r in out] == [
        ("en", "2026-01"),
        ("en", "2026-02"),
        ("pt", "2026-01"),
    ]


def test_suppression_names_a_missing_column() -> None:
    with pytest.raises(ValueError, match="'patients'"):
        suppress_small_groups([{"language": "en"}], "language", "patients")
