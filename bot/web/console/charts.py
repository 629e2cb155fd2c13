"""Charts for the dashboard as plain shapes (pure): rectangles, lines and text the template draws as SVG."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    css: str = "label"
    anchor: str = "middle"


@dataclass
class Chart:
    """What the template draws: a viewBox of `width` x `height` with rectangles, lines and texts."""

    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class Series:
    name: str
    css: str
    values: Sequence[float | None]
    """One value per group; None draws a "suppressed" mark instead of a bar, NaN (no data) nothing."""


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value` (1 for nothing)."""
    if value <= 0:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude  # pragma: no cover - the loop always returns


def _number(value: float) -> str:
    return f"{value:g}"


# Over 60 lines on purpose: chart geometry (axes, bars, labels) computed in drawing order.
def vertical_chart(
    groups: Sequence[str],
    series: Sequence[Series],
    *,
    as_percent: bool,
    suppressed: str,
    mark: str,
    threshold_x: tuple[float, str] | None = None,
    threshold_y: tuple[float, str] | None = None,
    width: int = 640,
    height: int = 260,
) -> Chart:
    """Bars per group (one per series, side by side), y axis from 0 to 100% or to a round count.

    `threshold_x` draws a dashed vertical line at that fraction of the x axis (the groups being equal
    slices of it, as tenths of PDC are); `threshold_y` a dashed horizontal line at that value.
    """
    left, right, top, bottom = 48, 12, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    known = [v for s in series for v in s.values if v is not None and not math.isnan(v)]
    y_max = 1.0 if as_percent else nice_max(max(known, default=0))
    chart = Chart(width, height)
    base = top + plot_h

    def y_of(value: float) -> float:
        return base - plot_h * min(value, y_max) / y_max

    ticks = [0, 0.25, 0.5, 0.75, 1.0] if as_percent else [0, y_max / 2, y_max]
    for tick in ticks:
        if not as_percent and tick != int(tick):
            continue
        y = y_of(tick)
        chart.lines.append(Line(left, y, left + plot_w, y, "grid" if tick else "axis"))
        chart.texts.append(
            Text(left - 6, y + 4, percent(tick) if as_percent else _number(tick), "tick", "end")
        )

    slot = plot_w / max(len(groups), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    label_every = max(1, math.ceil(len(groups) * 56 / plot_w))
    for g, group in enumerate(groups):
        x0 = left + g * slot + slot * 0.1
        if g % label_every == 0:
            chart.texts.append(Text(left + (g + 0.5) * slot, base + 16, group, "tick"))
        for s, one in enumerate(series):
            value = one.values[g]
            x = x0 + s * bar_w
            centre = x + bar_w / 2
            if value is None:
                chart.rects.append(
                    Rect(x + 1, top, bar_w - 2, plot_h, "suppressed", f"{group}, {one.name}: {suppressed}")
                )
                chart.texts.append(Text(centre, base - 6, mark, "mark"))
                continue
            if math.isnan(value):
                continue
            shown = percent(value) if as_percent else _number(value)
            y = y_of(value)
            chart.rects.append(Rect(x + 1, y, bar_w - 2, base - y, one.css, f"{group}, {one.name}: {shown}"))
            if bar_w >= 18:
                chart.texts.append(Text(centre, y - 4, shown, "value"))
    if threshold_x is not None:
        x = left + plot_w * threshold_x[0]
        chart.lines.append(Line(x, top - 20, x, base, "threshold"))
        chart.texts.append(Text(x + 4, top - 22, threshold_x[1], "threshold-label", "start"))
    if threshold_y is not None:
        y = y_of(threshold_y[0])
        chart.lines.append(Line(left, y, left + plot_w, y, "threshold"))
        chart.texts.append(Text(left + plot_w, y - 4, threshold_y[1], "threshold-label", "end"))
    return chart


def horizontal_chart(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    suppressed: str,
    mark: str,
    width: int = 640,
    row_height: int = 34,
) -> Chart:
    """One horizontal bar per (label, value, value text), scaled to the largest value."""
    left, right, top = 170, 150, 8
    plot_w = width - left - right
    height = top * 2 + row_height * max(len(rows), 1)
    top_value = max((v for _, v, _ in rows if v is not None), default=0) or 1
    chart = Chart(width, height)
    chart.lines.append(Line(left, top, left, height - top, "axis"))
    for i, (label, value, text) in enumerate(rows):
        y = top + i * row_height
        middle = y + row_height / 2 + 4
        chart.texts.append(Text(left - 8, middle, label, "tick", "end"))
        if value is None:
            chart.rects.append(
                Rect(left, y + 6, plot_w, row_height - 12, "suppressed", f"{label}: {suppressed}")
            )
            chart.texts.append(Text(left + plot_w + 8, middle, mark, "mark", "start"))
            continue
        length = plot_w * value / top_value
        chart.rects.append(Rect(left, y + 6, max(length, 1), row_height - 12, "bar", f"{label}: {text}"))
        chart.texts.append(Text(left + length + 8, middle, text, "value", "start"))
    return chart
