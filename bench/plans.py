"""How long planning one day of reminders takes for a large program, and how much memory it holds.

Run: python bench/plans.py [--patients 100000] [--seed 7]
Prints wall time per phase, cost per patient and per reminder, and peak traced memory (tracemalloc, measured
in a second pass because tracing slows the code down).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.reminders.plans import (
    WEEKDAYS,
    DoseSchedule,
    PlannedReminder,
    _dose_trigger,
    plan_doses,
    plan_refill,
)

ZONES = [
    "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "America/Mexico_City", "Europe/Berlin",
    "Europe/Madrid", "Europe/Paris", "Europe/Lisbon", "Europe/London", "Africa/Cairo", "Asia/Riyadh",
    "Asia/Dubai", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland",
]  # fmt: skip
DOSE_TIMES = [
    "06:30", "07:00", "07:30", "08:00", "08:15", "09:00", "12:00", "13:30", "18:00", "19:00", "20:00",
    "21:00", "21:30", "22:00", "23:00", "02:30",
]  # fmt: skip
QUIET = [None, None, ("22:00", "07:00"), ("23:00", "06:30"), ("21:30", "08:00"), ("13:00", "15:00")]


def make_schedules(count: int, rng: random.Random, today: date) -> list[DoseSchedule]:
    """A mixed program: mostly daily (one to three doses), some weekly and every-N-days, a few paused."""
    schedules = []
    for _ in range(count):
        roll = rng.random()
        quiet = rng.choice(QUIET)
        fields: dict[str, Any] = {
            "kind": "daily",
            "times": tuple(sorted(rng.sample(DOSE_TIMES, k=rng.choice((1, 1, 1, 2, 2, 3))))),
            "timezone": rng.choice(ZONES),
            "quiet_start": quiet[0] if quiet else None,
            "quiet_end": quiet[1] if quiet else None,
            "paused_until": today + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.05 else None,
        }
        if 0.65 <= roll < 0.85:
            fields.update(kind="weekly", weekday=rng.choice(WEEKDAYS))
        elif roll >= 0.85:
            anchor = today - timedelta(days=rng.randint(0, 60))
            fields.update(kind="every_n_days", every_n_days=rng.choice((2, 3, 7, 14, 28)), anchor_date=anchor)
        schedules.append(DoseSchedule(**fields))
    return schedules


def plan_day(schedules: list[DoseSchedule], start: datetime) -> list[list[PlannedReminder]]:
    end = start + timedelta(hours=24)
    return [plan_doses(schedule, start, end) for schedule in schedules]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime(2026, 3, 8, 0, 0, tzinfo=UTC)  # a US spring-forward day, to include the DST path
    today = start.date()

    t0 = time.perf_counter()
    schedules = make_schedules(args.patients, rng, today)
    t_build = time.perf_counter() - t0
    kinds = dict(Counter(s.kind for s in schedules))
    print(f"patients: {args.patients:,}  zones: {len(ZONES)}  kinds: {kinds}")
    print(f"building schedules (validation included): {t_build:.2f} s")

    _dose_trigger.cache_clear()
    t0 = time.perf_counter()
    plans = plan_day(schedules, start)
    t_plan = time.perf_counter() - t0
    reminders = sum(len(p) for p in plans)
    cache = _dose_trigger.cache_info()
    print(f"plan_doses, 24 h window from {start:%Y-%m-%d %H:%M} UTC: {t_plan:.2f} s")
    print(f"  reminders planned: {reminders:,}  ({reminders / args.patients:.2f} per patient)")
    per_patient, per_reminder = t_plan / args.patients * 1e6, t_plan / reminders * 1e6
    print(f"  per patient: {per_patient:.1f} us   per reminder: {per_reminder:.1f} us")
    print(f"  cron triggers built: {cache.misses:,} (shared by pattern; {cache.hits:,} cache hits)")

    fills = [(today - timedelta(days=rng.randint(0, 80)), rng.choice((28, 30, 84, 90))) for _ in schedules]
    t0 = time.perf_counter()
    refills = [
        plan_refill(fill, supply, 3, "10:00", s.timezone, s.quiet_start, s.quiet_end)
        for (fill, supply), s in zip(fills, schedules, strict=True)
    ]
    t_refill = time.perf_counter() - t0
    refill_count = sum(len(r) for r in refills)
    print(f"plan_refill for every patient: {t_refill:.2f} s  ({refill_count:,} reminders, "
          f"{t_refill / args.patients * 1e6:.1f} us per patient)")  # fmt: skip

    del plans, refills
    _dose_trigger.cache_clear()
    tracemalloc.start()
    plans = plan_day(schedules, start)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory while planning the day (tracemalloc, schedules excluded): peak {peak / 2**20:.1f} MiB, "
          f"held by the {sum(len(p) for p in plans):,} results {current / 2**20:.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
