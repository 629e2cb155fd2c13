"""Adverse-event screening: throughput on one core, and (with --quality) the per-language figures.

    python bench/screening.py                 # messages/second, dev sets repeated
    python bench/screening.py --quality       # recall / specificity / tier table, every set
    python bench/screening.py --quality --sets dev,blind_ --psytar PATH/binary-dev.tsv

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

from bot.safety import Screener

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


def tier_of(result: Any) -> str:
    """The result's tier ("case", "review", "clear"); results without tiers count escalations as cases."""
    return str(getattr(result, "tier", "case" if result.escalate else "clear"))


def figures(screener: Screener, rows: list[dict[str, Any]]) -> dict[str, float]:
    """Recall of case+review, share of positives in case, serious positives in case, specificity (negatives
    clear), and the share of all messages sent to review."""
    pos = neg = found = cased = clear_neg = review = serious = serious_case = 0
    for row in rows:
        tier = tier_of(screener.screen(row["text"]))
        review += tier == "review"
        if row["escalate"]:
            pos += 1
            found += tier != "clear"
            cased += tier == "case"
            if row.get("serious"):
                serious += 1
                serious_case += tier == "case"
        else:
            neg += 1
            clear_neg += tier == "clear"
    return {
        "messages": len(rows),
        "positives": pos,
        "recall": found / pos if pos else 1.0,
        "case": cased / pos if pos else 1.0,
        "serious_case": serious_case / serious if serious else 1.0,
        "specificity": clear_neg / neg if neg else 1.0,
        "review": review / len(rows) if rows else 0.0,
    }


def load_psytar(path: Path) -> list[dict[str, Any]]:
    """PsyTAR binary sentences (M. Zolnoori et al., Data in Brief 24 (2019) 103838, CC BY 4.0): positive =
    ADR, WD or INF; negative = none of ADR, WD, INF, SSI; rows with only SSI are left out."""
    rows = []
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
        for line in fh:
            cells = line.rstrip("\n").split("\t")
            if len(cells) != len(header):
                continue
            rec = dict(zip(header, cells))
            flags = {k: rec[k] == "1" for k in ("ADR", "WD", "INF", "SSI")}
            if flags["ADR"] or flags["WD"] or flags["INF"]:
                rows.append({"text": rec["sentences"], "escalate": True})
            elif not flags["SSI"]:
                rows.append({"text": rec["sentences"], "escalate": False})
    return rows


def quality(prefixes: list[str] | None, psytar: list[Path]) -> None:
    screener = Screener()
    print(
        "| set | lang | messages | positives | recall (case+review) | positives in case | serious in case "
        "| specificity (clear) | review share |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    chosen = [(label, prefix) for label, prefix in SETS if prefixes is None or prefix in prefixes]
    for label, prefix in chosen:
        for lang in LANGUAGES:
            _row(label, lang, figures(screener, load(prefix + lang)))
    for path in psytar:
        _row(f"PsyTAR {path.stem}", "en", figures(screener, load_psytar(path)))


def _row(label: str, lang: str, f: dict[str, float]) -> None:
    print(
        f"| {label} | {lang} | {f['messages']:.0f} | {f['positives']:.0f} | {f['recall']:.3f} | {f['case']:.3f} "
        f"| {f['serious_case']:.3f} | {f['specificity']:.3f} | {f['review']:.3f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20, help="passes over each dev set (default 20)")
    parser.add_argument("--quality", action="store_true", help="print the recall/specificity/tier table")
    parser.add_argument(
        "--sets",
        help="comma-separated set prefixes for --quality ('' or 'dev' = dev sets, 'blind_', 'holdout2_'...; "
        "default: all)",
    )
    parser.add_argument(
        "--psytar", type=Path, action="append", default=[], help="a PsyTAR binary-*.tsv file to measure too"
    )
    args = parser.parse_args()
    if args.quality:
        prefixes = None
        if args.sets is not None:
            prefixes = ["" if p in ("", "dev") else p for p in args.sets.split(",")]
        quality(prefixes, args.psytar)
    else:
        throughput(args.repeat)


if __name__ == "__main__":
    main()
