"""Chart geometry for the dashboard: where the 80% line falls, what a suppressed group looks like."""

from __future__ import annotations

import math

import pytest

from bot.web.console.charts import Series, horizontal_chart, nice_max, vertical_chart

HIDDEN = "suppressed (fewer than 5)"


@pytest.mark.parametrize(
    ("value", "expected"), [(0, 1), (3, 5), (5, 5), (7, 10), (12, 20), (24, 25), (130, 200), (0.3, 0.5)]
)
def test_count_axes_end_on_a_round_number(value: float, expected: float) -> None:
    assert nice_max(value) == expected


def test_the_threshold_line_stands_at_80_percent_of_the_pdc_axis_after_the_eighth_tenth() -> None:
    bins = [f"{i / 10:.1f}" for i in range(10)]
    chart = vertical_chart(
        bins,
        [Series("subjects", "series-a", [5] * 10)],
        as_percent=False,
        suppressed=HIDDEN,
        mark="<5",
        threshold_x=(0.8, "80%"),
    )
    (line,) = [line for line in chart.lines if line.css == "threshold"]
    bars = [rect for rect in chart.rects if rect.css == "series-a"]
    assert line.x1 == line.x2 and bars[7].x + bars[7].width < line.x1 < bars[8].x


def test_a_suppressed_group_is_marked_not_drawn_as_a_bar_and_no_data_draws_nothing() -> None:
    chart = vertical_chart(
        ["2026-01", "2026-02", "2026-03"],
        [Series("mean PDC", "series-a", [0.5, None, math.nan])],
        as_percent=True,
        suppressed=HIDDEN,
        mark="<5",
        threshold_y=(0.8, "80%"),
    )
    assert [(r.css, r.title) for r in chart.rects] == [
        ("series-a", "2026-01, mean PDC: 50%"),
        ("suppressed", f"2026-02, mean PDC: {HIDDEN}"),
    ]
    assert [t.text for t in chart.texts if t.css == "mark"] == ["<5"]


def test_horizontal_bars_are_proportional_to_their_values() -> None:
    chart = horizontal_chart(
        [("started", 20, "20"), ("enrolled", 10, "10"), ("sms", None, "")], suppressed=HIDDEN, mark="<5"
    )
    started, enrolled, sms = chart.rects
    assert enrolled.width == pytest.approx(started.width / 2) and sms.css == "suppressed"
