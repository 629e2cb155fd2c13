"""The labelled PV development sets (tests/data/pv_dev), shared by the safety tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.safety import screen

DATA = Path(__file__).resolve().parents[1] / "data" / "pv_dev"
LANGUAGES = ("en", "es", "fr", "de", "pt", "ar")


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
    missed: list[str] = []
    false_alarms: list[str] = []
    serious_not_case: list[str] = []
    positives = serious = 0
    for row in rows:
        tier = screen(row["text"]).tier
        if row["escalate"]:
            positives += 1
            if tier == "clear":
                missed.append(row["text"])
            if row["serious"]:
                serious += 1
                if tier != "case":
                    serious_not_case.append(row["text"])
        elif tier != "clear":
            false_alarms.append(row["text"])
    negatives = len(rows) - positives
    return Rates(
        1 - len(missed) / positives if positives else 1.0,
        1 - len(false_alarms) / negatives if negatives else 1.0,
        1 - len(serious_not_case) / serious if serious else 1.0,
        missed,
        false_alarms,
        serious_not_case,
    )
