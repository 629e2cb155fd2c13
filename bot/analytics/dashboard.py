"""Aggregated program metrics for a dashboard: adherence over time, the PDC distribution, the enrolment
funnel and the channel mix, with every group of fewer than `k` subjects suppressed.

Computed with the same subjects, periods and definitions as the exports (`bot.analytics.facts`), a chunk of
patients at a time, keeping only sums and counts: memory does not grow with the number of patients.
Figures are plain JSON-ready values (numbers, strings, None for "unknown or suppressed").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import Any

from bot.analytics import adherence, funnel_store, store
from bot.analytics.context import Analytics
from bot.analytics.engagement import Funnel, enrolment_funnel, suppress_small_groups
from bot.analytics.facts import Window, day_start, month_key, month_starts, subject_chunks

ADHERENT_PDC = 0.8
"""PQA's threshold: a subject with PDC >= 0.8 over the period is adherent."""
MIN_GROUP = 5
BINS = 10


def _month_end(first: date) -> date:
    return (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _bin_label(index: int) -> str:
    return f"{index / BINS:.1f}-{(index + 1) / BINS:.1f}"


def _small(count: int, k: int) -> bool:
    return 0 < count < k


class _Totals:
    """Running sums; nothing per subject is kept."""

    def __init__(self) -> None:
        self.pdc_month: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # subjects, sum of PDC
        self.dose_month: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])  # subjects, sum of adherence
        self.bins = [0] * BINS
        self.adherent = 0
        self.subjects = 0
        self.channels: Counter[str] = Counter()


async def _collect(services: Analytics, window: Window, program_id: str | None) -> _Totals:
    totals = _Totals()
    async for chunk in subject_chunks(services, window, program_id=program_id):
        months = month_starts(min(s.period_start for s in chunk), window.date_to)
        edges = [day_start(m) for m in months] + [window.end_at]
        async with services.sessions() as session, session.begin():
            doses = await store.dose_counts(
                session, {s.patient_id: s.since for s in chunk}, window.end_at, edges
            )
        index = {month_key(m): i for i, m in enumerate(months)}
        for subject in chunk:
            fills = subject.products()[subject.product]
            overall = adherence.pdc(fills, subject.period_start, subject.period_end)
            totals.subjects += 1
            totals.bins[min(int(overall * BINS), BINS - 1)] += 1
            totals.adherent += overall >= ADHERENT_PDC
            totals.channels[subject.channel] += 1
            for month in month_starts(subject.period_start, subject.period_end):
                key = month_key(month)
                lo, hi = max(month, subject.period_start), min(_month_end(month), subject.period_end)
                sums = totals.pdc_month[key]
                sums[0] += 1
                sums[1] += adherence.pdc(fills, lo, hi)
                scheduled, taken = doses.get((subject.patient_id, index[key]), (0, 0))
                rate = adherence.dose_adherence(taken, scheduled)
                if rate is not None:
                    dose_sums = totals.dose_month[key]
                    dose_sums[0] += 1
                    dose_sums[1] += rate
    return totals


async def _funnel(services: Analytics, window: Window, program_id: str | None) -> tuple[Funnel, int, int]:
    """The funnel of patients who first wrote in the window, and (enrolled, of whom opted out)."""
    started = consented = enrolled = opted_out = 0
    after_id = 0
    while True:
        async with services.sessions() as session, session.begin():
            page = await funnel_store.funnel_page(
                session,
                after_id=after_id,
                limit=5000,
                created_from=window.start_at,
                created_before=window.end_at,
                program_id=program_id,
            )
        if not page:
            return Funnel(started, consented, enrolled), enrolled, opted_out
        after_id = page[-1].patient_id
        events: list[tuple[int, str]] = []
        for record in page:
            events.append((record.patient_id, "started"))
            if record.consented:
                events.append((record.patient_id, "consented"))
            if record.enrolled:
                events.append((record.patient_id, "enrolled"))
                opted_out += record.opted_out
        funnel = enrolment_funnel(events)
        started, consented, enrolled = (
            started + funnel.started,
            consented + funnel.consented,
            enrolled + funnel.enrolled,
        )


def _series(sums: dict[str, list[float]], value: str, k: int) -> list[dict[str, Any]]:
    rows = [
        {"month": month, "subjects": int(n), value: (total / n if n else None)}
        for month, (n, total) in sorted(sums.items())
    ]
    return suppress_small_groups(rows, "month", "subjects", k)


# Over 60 lines on purpose: one query per figure of the page, in the page's order, on one session.
async def dashboard_data(
    services: Analytics,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    program_id: str | None = None,
    k: int = MIN_GROUP,
) -> dict[str, Any]:
    """Program metrics over the export window (same window rules as `export_to`).

    - `adherence_over_time`: per calendar month, the mean PDC of the subjects measured that month (each over
      the part of their period in the month) and their mean dose adherence (subjects with doses scheduled).
    - `pdc_distribution`: subjects per tenth of PDC over their whole period, and the share with PDC >= 0.8.
    - `enrolment_funnel`: patients who first wrote in the window, by the furthest stage they reached;
      `opt_out_rate`: of those who enrolled, the share who said STOP (on any channel).
    - `channel_mix`: subjects by preferred channel at the end of the window.
    Groups of fewer than `k` subjects (but not zero) are suppressed: their figures are None.
    """
    window = Window.make(date_from, date_to, services.clock())
    totals = await _collect(services, window, program_id)
    n = totals.subjects
    bins = suppress_small_groups(
        [{"bin": _bin_label(i), "lower": i / BINS, "subjects": c} for i, c in enumerate(totals.bins)],
        ("bin", "lower"),
        "subjects",
        k,
    )
    hide_share = n < k or _small(totals.adherent, k) or _small(n - totals.adherent, k)
    funnel, enrolled, opted_out = await _funnel(services, window, program_id)
    hide_opt_out = enrolled < k or _small(opted_out, k) or _small(enrolled - opted_out, k)
    return {
        "window": {
            "from": window.date_from.isoformat() if window.date_from else None,
            "to": window.date_to.isoformat(),
            "program_id": program_id,
        },
        "min_group_size": k,
        "subjects": n if not _small(n, k) else None,
        "adherence_over_time": {
            "pdc": _series(totals.pdc_month, "mean_pdc", k),
            "dose_adherence": _series(totals.dose_month, "mean_dose_adherence", k),
        },
        "pdc_distribution": {
            "bins": bins,
            "share_adherent": None if hide_share or n == 0 else totals.adherent / n,
            "threshold": ADHERENT_PDC,
        },
        "enrolment_funnel": suppress_small_groups(
            [
                {"stage": stage, "subjects": getattr(funnel, stage)}
                for stage in ("started", "consented", "enrolled")
            ],
            "stage",
            "subjects",
            k,
        ),
        "opt_out_rate": None if hide_opt_out or not enrolled else opted_out / enrolled,
        "channel_mix": suppress_small_groups(
            [
                {"channel": channel, "subjects": count, "share": count / n}
                for channel, count in sorted(totals.channels.items())
            ],
            "channel",
            "subjects",
            k,
        ),
    }
