"""Adverse-event screening throughput on one core: the whole screen (lexicons and the statistical second
opinion).

    python bench/screening.py                   # messages/second, the six dev sets repeated
    python bench/screening.py --no-classifier   # the lexicon screen alone, for comparison

Throughput is reported per CPU-second of this process (robust when other jobs share the machine) and per
wall-clock second. The process is pinned to one core where the OS allows it. Recall, specificity and review
share per set are printed by `python bench/pv_quality.py` (the same arithmetic as `psp pv evaluate`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.safety import Screener, default_screener

ROOT = Path(__file__).resolve().parents[1]

DATA = ROOT / "tests" / "data" / "pv_dev"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")


def texts_of(lang: str) -> list[str]:
    with (DATA / f"{lang}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned"


def throughput(screener: Screener, repeat: int) -> None:
    print(f"{'lang':<6}{'messages':>10}{'msg/s (CPU)':>14}{'msg/s (wall)':>14}")
    total_n = 0
    total_cpu = total_wall = 0.0
    for lang in LANGUAGES:
        texts = texts_of(lang)
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


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="passes over each dev set (default 20)")
    parser.add_argument("--no-classifier", action="store_true", help="the lexicon screen alone")
    args = parser.parse_args()
    pinned = pin_one_core()
    started = time.perf_counter()
    screener = Screener() if args.no_classifier else default_screener()
    what = "lexicons" if args.no_classifier else "lexicons and classifier"
    print(f"{what} loaded in {(time.perf_counter() - started) * 1000:.0f} ms ({pinned})")
    throughput(screener, args.repeat)


if __name__ == "__main__":
    main()
