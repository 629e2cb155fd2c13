"""The statistical second opinion (bot/safety/classifier.py): speed on one core, and what it adds to the
screen.

    python bench/classifier.py                         # msg/s: classifier alone, lexicon alone, both
    python bench/classifier.py --evaluate FILE.jsonl…  # lexicon alone vs lexicon + score review, per file

Throughput uses the dev sets (tests/data/pv_dev/<lang>.jsonl) repeated, per CPU-second of this process (robust
when other jobs share the machine), pinned to one core where the OS allows it.

``--evaluate`` is the prepared keep-or-drop check of issue #13 for labelled JSON-lines files (``text``,
``escalate``, optional ``lang``; the language is otherwise taken from a ``_<lang>.jsonl`` file name). It
prints, per file and pooled, the lexicon's recall/specificity, the score's alone, and the union's (review
queue = lexicon escalations + messages the score flags); the classifier is worth keeping when the union raises
recall on the untouched sets while the score adds few negatives to review. The training data are never passed
here to judge it (they are in-sample for the model; see scripts/train_classifier.py for out-of-fold figures).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.safety import Screener
from bot.safety.classifier import REVIEW_THRESHOLD, load_classifier

ROOT = Path(__file__).resolve().parents[1]

DATA = ROOT / "tests" / "data" / "pv_dev"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
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
    clf = load_classifier()
    print(
        f"model loaded in {(time.perf_counter() - started) * 1000:.0f} ms ({pinned}); "
        f"{len(clf.features)} n-grams"
    )
    screener = Screener()
    msgs = [(r["text"], lang) for lang in LANGUAGES for r in load(DATA / f"{lang}.jsonl")] * repeat
    screener.screen("warm up", "en")
    mean_chars = sum(len(t) for t, _ in msgs) / len(msgs)
    print(f"{len(msgs)} messages, mean {mean_chars:.0f} characters")

    def both(text: str, lang: str) -> None:
        result = screener.screen(text, lang)
        if not result.escalate:
            clf.score(text, lang)

    def always_both(text: str, lang: str) -> None:
        screener.screen(text, lang)
        clf.score(text, lang)

    runs = (
        ("classifier alone", clf.score),
        ("lexicon alone", screener.screen),
        ("lexicon, classifier when not escalated", both),
        ("lexicon + classifier on every message", always_both),
    )
    for name, fn in runs:
        cpu, wall = time.process_time(), time.perf_counter()
        for text, lang in msgs:
            fn(text, lang)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(f"  {name:<40}{len(msgs) / cpu:>10,.0f} msg/s (CPU){len(msgs) / wall:>10,.0f} msg/s (wall)")


def rates(y: list[bool], flag: list[bool]) -> str:
    pos = [f for f, t in zip(flag, y, strict=True) if t]
    neg = [f for f, t in zip(flag, y, strict=True) if not t]
    recall = sum(pos) / len(pos) if pos else float("nan")
    spec = 1 - sum(neg) / len(neg) if neg else float("nan")
    return f"recall {recall:.3f} spec {spec:.3f}"


def evaluate(paths: list[Path], threshold: float) -> None:
    clf = load_classifier()
    screener = Screener()
    print(f"threshold {threshold}")
    pooled: tuple[list[bool], list[bool], list[bool]] = ([], [], [])
    for path in paths:
        stem = path.name.removesuffix(".jsonl")
        default_lang = stem.rsplit("_", 1)[-1] if stem.rsplit("_", 1)[-1] in LANGUAGES else None
        y, lex, score = [], [], []
        for row in load(path):
            lang = row.get("lang") or default_lang
            y.append(bool(row["escalate"]))
            lex.append(screener.screen(row["text"], lang).escalate)
            score.append(clf.score(row["text"], lang) >= threshold)
        for acc, part in zip(pooled, (y, lex, score), strict=True):
            acc.extend(part)
        report(path.name, y, lex, score)
    if len(paths) > 1:
        report("pooled", *pooled)


def report(name: str, y: list[bool], lex: list[bool], score: list[bool]) -> None:
    union = [a or b for a, b in zip(lex, score, strict=True)]
    added = sum(1 for t, a, b in zip(y, lex, score, strict=True) if b and not a and not t)
    caught = sum(1 for t, a, b in zip(y, lex, score, strict=True) if b and not a and t)
    print(
        f"{name:<22} n={len(y):4d}  lexicon {rates(y, lex)}  score {rates(y, score)}  "
        f"union {rates(y, union)}  (score adds {caught} missed positives, {added} negatives to review)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--evaluate", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--threshold", type=float, default=REVIEW_THRESHOLD)
    args = parser.parse_args()
    if args.evaluate:
        evaluate(args.evaluate, args.threshold)
    else:
        throughput(args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
