"""The screener on sets written by a second author: what a PV officer can expect on phrasings nobody tuned
for.

- `blind_<lang>`: written before the second author read any lexicon; the lexicons were then broadened by
  general means. Asserted at the product thresholds so that a regression shows.
- `families_<lang>`: the second author's development probes (symptom families, idioms, special situations),
  tuned on. Same thresholds.
- `families2_<lang>`: round-2 development probes (seriousness in everyday and dialect wording, Arabic everyday
  vocabulary, hard negatives), written before the round's changes, then tuned on. Same thresholds.
- `holdout*_<lang>`: the first author's five holdout rounds, tuned on after their first runs. Same thresholds.
- `blind2_<lang>`: written after the tuning, run once, never tuned on. Its first-run figures are the
  generalisation estimate in docs/safety.md; the floor below only catches a regression below them.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.safety import SITUATIONS, screen
from tests.safety.pv_data import LANGUAGES, TUNED_SETS, load_set, tier_rates


def _rates(rows: list[dict[str, Any]]) -> tuple[float, float, list[str], list[str]]:
    """Recall of case+review and specificity (negatives clear), with the texts behind each shortfall."""
    rates = tier_rates(rows)
    return rates.recall, rates.specificity, rates.missed, rates.false_alarms


@pytest.mark.parametrize("prefix", [*TUNED_SETS, "blind2_"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_holdout_sets_are_well_formed(prefix: str, lang: str) -> None:
    rows = load_set(prefix + lang)
    assert len(rows) >= (15 if prefix.startswith("holdout") else 40)
    assert any(r["escalate"] for r in rows) and any(not r["escalate"] for r in rows)
    for row in rows:
        assert set(row) == {"text", "escalate", "kind", "situations", "serious", "note"}
        assert set(row["situations"]) <= set(SITUATIONS)
        assert row["escalate"] == (row["kind"] != "none")


@pytest.mark.parametrize("prefix", TUNED_SETS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_second_author_sets_keep_product_thresholds(prefix: str, lang: str) -> None:
    """Positives are case or review, serious ones are case, negatives are clear."""
    rates = tier_rates(load_set(prefix + lang))
    assert not rates.serious_not_case, f"serious events not a case: {rates.serious_not_case}"
    assert rates.recall >= 0.95, f"missed: {rates.missed}"
    assert rates.specificity >= 0.90, f"false alarms: {rates.false_alarms}"


# First-run figures of blind2 (docs/safety.md), rounded down: recall 0.700-0.833, specificity 0.929-1.000.
BLIND2_FLOOR = {"en": 0.83, "es": 0.76, "fr": 0.73, "de": 0.83, "pt": 0.70, "ar": 0.70}
BLIND2_SPECIFICITY_FLOOR = 0.78


@pytest.mark.parametrize("lang", LANGUAGES)
def test_untuned_blind_set_does_not_regress(lang: str) -> None:
    recall, specificity, missed, false_alarms = _rates(load_set("blind2_" + lang))
    assert recall >= BLIND2_FLOOR[lang], f"missed: {missed}"
    # Specificity now counts review as flagged (an officer looks): with the statistical second opinion blind2
    # is at 0.786-1.000 (docs/safety.md); the floor only catches a regression below that.
    assert specificity >= BLIND2_SPECIFICITY_FLOOR, f"false alarms: {false_alarms}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_blind_set_special_situations_are_named(lang: str) -> None:
    rows = [r for r in load_set("blind_" + lang) if r["situations"]]
    named = sum(set(r["situations"]) <= set(screen(r["text"]).situations) for r in rows)
    assert named / len(rows) >= 0.9
