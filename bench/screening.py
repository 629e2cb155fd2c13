"""Adverse-event screening: throughput on one core, and (with --quality) the per-language figures.

    python bench/screening.py                 # messages/second, dev sets repeated
    python bench/screening.py --quality       # precision / recall / specificity table

Throughput is reported per CPU-second of this process (robust when other jobs share the machine) and per
wall-clock second. The process is pinned to one core where the OS allows it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.safety import Screener  # noqa: E402 (after the sys.path line above)

DATA = ROOT / "tests" / "data" / "pv_dev"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")
SETS = (
    ("dev", ""),
    ("holdout v1", "holdout_"),
    ("holdout v2", "holdout2_"),
    ("holdout v3", "holdout3_"),
    ("holdout v4", "holdout4_"),
    ("holdout v5", "holdout5_"),
    ("blind", "blind_"),
    ("families", "families_"),
    ("blind2 (never tuned on)", "blind2_"),
)


def load(name: str) -> list[dict[str, Any]]:
    with (DATA / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def throughput(repeat: int) -> None:
    pinned = pin_one_core()
    started = time.perf_counter()
    screener = Screener()
    print(f"lexicons loaded and compiled in {(time.perf_counter() - started) * 1000:.0f} ms ({pinned})")
    print(f"{'lang':<6}{'messages':>10}{'msg/s (CPU)':>14}{'msg/s (wall)':>14}")
    total_n = 0
    total_cpu = total_wall = 0.0
    for lang in LANGUAGES:
        texts = [row["text"] for row in load(lang)]
        for text in texts:  # warm the per-token caches, as a running service has them
            screener.screen(text)
        cpu0, wall0 = time.process_time(), time.perf_counter()
        for _ in range(repeat):
            for text in texts:
                screener.screen(text)
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        n = len(texts) * repeat
        total_n, total_cpu, total_wall = total_n + n, total_cpu + cpu, total_wall + wall
        print(f"{lang:<6}{n:>10}{n / cpu:>14,.0f}{n / wall:>14,.0f}")
    print(f"{'total':<6}{total_n:>10}{total_n / total_cpu:>14,.0f}{total_n / total_wall:>14,.0f}")


def quality() -> None:
    screener = Screener()
    print("| set | lang | messages | positives | precision | recall | specificity |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for label, prefix in SETS:
        for lang in LANGUAGES:
            rows = load(prefix + lang)
            tp = fp = tn = fn = 0
            for row in rows:
                said = screener.screen(row["text"]).escalate
                if row["escalate"]:
                    tp, fn = tp + said, fn + (not said)
                else:
                    fp, tn = fp + said, tn + (not said)
            precision = tp / (tp + fp) if tp + fp else 1.0
            print(
                f"| {label} | {lang} | {len(rows)} | {tp + fn} | {precision:.3f} | {tp / (tp + fn):.3f} "
                f"| {tn / (tn + fp):.3f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="passes over each dev set (default 20)")
    parser.add_argument("--quality", action="store_true", help="print the precision/recall/specificity table")
    args = parser.parse_args()
    if args.quality:
        quality()
    else:
        throughput(args.repeat)


if __name__ == "__main__":
    main()
