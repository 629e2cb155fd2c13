"""The screener on sets written by a second author: what a PV officer can expect on phrasings nobody tuned
for.

- `blind_<lang>`: written before the second author read any lexicon; the lexicons were then broadened by
  general means. Asserted at the product thresholds so that a regression shows.
- `families_<lang>`: the second author's development probes (symptom families, idioms, special situations),
  tuned on. Same thresholds.
- `blind2_<lang>`: written after the tuning, run once, never tuned on. Its first-run figures are the
  generalisation estimate in docs/safety.md; the floor below only catches a regression below them.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.safety import SITUATIONS, screen
from tests.safety.pv_data import LANGUAGES, load_set

TUNED_SETS = ("blind_", "families_")


def _rates(rows: list[dict[str, Any]]) -> tuple[float, float, list[str], list[str]]:
    missed = [r["text"] for r in rows if r["escalate"] and not screen(r["text"]).escalate]
    false_alarms = [r["text"] for r in rows if not r["escalate"] and screen(r["text"]).escalate]
    positives = sum(r["escalate"] for r in rows)
    negatives = len(rows) - positives
    return 1 - len(missed) / positives, 1 - len(false_alarms) / negatives, missed, false_alarms


@pytest.mark.parametrize("prefix", [*TUNED_SETS, "blind2_"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_holdout_sets_are_well_formed(prefix: str, lang: str) -> None:
    rows = load_set(prefix + lang)
    assert len(rows) >= 40
    assert any(r["escalate"] for r in rows) and any(not r["escalate"] for r in rows)
    for row in rows:
        assert set(row) == {"text", "escalate", "kind", "situations", "serious", "note"}
        assert set(row["situations"]) <= set(SITUATIONS)
        assert row["escalate"] == (row["kind"] != "none")


@pytest.mark.parametrize("prefix", TUNED_SETS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_second_author_sets_keep_product_thresholds(prefix: str, lang: str) -> None:
    recall, specificity, missed, false_alarms = _rates(load_set(prefix + lang))
    assert recall >= 0.95, f"missed: {missed}"
    assert specificity >= 0.90, f"false alarms: {false_alarms}"


# First-run figures of blind2 (docs/safety.md), rounded down: recall 0.700-0.833, specificity 0.929-1.000.
BLIND2_FLOOR = {"en": 0.83, "es": 0.76, "fr": 0.73, "de": 0.83, "pt": 0.70, "ar": 0.70}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_untuned_blind_set_does_not_regress(lang: str) -> None:
    recall, specificity, missed, false_alarms = _rates(load_set("blind2_" + lang))
    assert recall >= BLIND2_FLOOR[lang], f"missed: {missed}"
    assert specificity >= 0.90, f"false alarms: {false_alarms}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_blind_set_special_situations_are_named(lang: str) -> None:
    rows = [r for r in load_set("blind_" + lang) if r["situations"]]
    named = sum(set(r["situations"]) <= set(screen(r["text"]).situations) for r in rows)
    assert named / len(rows) >= 0.9
