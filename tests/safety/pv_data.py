"""The labelled PV development sets (tests/data/pv_dev), shared by the safety tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.safety import screen
from bot.safety.evaluate import Tally, parse_example, verdict_of

DATA = Path(__file__).resolve().parents[1] / "data" / "pv_dev"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")
# The second author's set, the family tables and the holdouts (pv_dev/<prefix><lang>.jsonl): tuned on,
# asserted by the tests.
TUNED_SETS = (
    "blind_",
    "families_",
    "families2_",
    "holdout_",
    "holdout2_",
    "holdout3_",
    "holdout4_",
    "holdout5_",
)


def load_set(name: str) -> list[dict[str, Any]]:
    return load_path(DATA / f"{name}.jsonl")


def load_path(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass(frozen=True)
class Rates:
    """Tier figures of one labelled set: positives found (case or review), serious positives in case,
    negatives clear; with the texts behind each shortfall."""

    recall: float
    specificity: float
    serious_in_case: float
    missed: list[str]
    false_alarms: list[str]
    serious_not_case: list[str]


def tier_rates(rows: list[dict[str, Any]]) -> Rates:
    """The figures `psp pv evaluate` computes (bot.safety.evaluate), screening without a language as the
    tests always have; an empty side counts as perfect."""
    tally = Tally()
    for row in rows:
        tally.add(parse_example(row), verdict_of(screen(row["text"])))
    return Rates(
        tally.found / tally.positives if tally.positives else 1.0,
        tally.cleared / tally.negatives if tally.negatives else 1.0,
        tally.serious_in_case / tally.serious if tally.serious else 1.0,
        tally.misses,
        tally.false_alarms,
        tally.serious_not_case,
    )
