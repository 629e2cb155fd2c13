"""The screener on the labelled development sets: what a PV officer relies on, per language."""

from __future__ import annotations

import pytest

from bot.safety import SITUATIONS, screen
from tests.safety.pv_data import LANGUAGES, load_set, tier_rates

KINDS = {"adverse_event", "special_situation", "none"}


def expected_kind(row: dict[str, object]) -> str:
    """The labelled kind; a product problem without harm is its own kind, quality_complaint."""
    if row["kind"] == "special_situation" and row["situations"] == ["quality_complaint"]:
        return "quality_complaint"
    return str(row["kind"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_dev_set_is_realistic_and_well_formed(lang: str) -> None:
    rows = load_set(lang)
    positives = [r for r in rows if r["escalate"]]
    assert len(rows) >= 100
    assert 0.35 <= len(positives) / len(rows) <= 0.65
    for row in rows:
        assert set(row) == {"text", "escalate", "kind", "situations", "serious", "note"}
        assert row["kind"] in KINDS and set(row["situations"]) <= set(SITUATIONS)
        assert row["escalate"] == (row["kind"] != "none")
    covered = {s for r in positives for s in r["situations"]}
    assert covered == set(SITUATIONS), "every special situation has examples"
    assert any(r["serious"] for r in positives)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_recall_and_specificity_per_language(lang: str) -> None:
    """Positives are case or review, serious ones are case, negatives are clear."""
    rates = tier_rates(load_set(lang))
    assert rates.recall >= 0.99, f"missed adverse events / special situations: {rates.missed}"
    assert not rates.serious_not_case, f"serious events not a case: {rates.serious_not_case}"
    assert rates.specificity >= 0.90, f"false alarms: {rates.false_alarms}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_special_situations_are_named(lang: str) -> None:
    for row in load_set(lang):
        if row["situations"]:
            found = screen(row["text"]).situations
            assert set(row["situations"]) <= set(found), (row["text"], found)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_kind_and_seriousness_on_positives(lang: str) -> None:
    positives = [r for r in load_set(lang) if r["escalate"]]
    results = [screen(r["text"]) for r in positives]
    kind_ok = sum(res.kind == expected_kind(r) for res, r in zip(results, positives))
    serious_missed = [r["text"] for res, r in zip(results, positives) if r["serious"] and not res.serious]
    serious_ok = sum(res.serious == r["serious"] for res, r in zip(results, positives))
    assert not serious_missed, f"serious events not flagged serious: {serious_missed}"
    assert kind_ok / len(positives) >= 0.95
    assert serious_ok / len(positives) >= 0.95


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_escalation_quotes_the_patients_words(lang: str) -> None:
    for row in load_set(lang):
        result = screen(row["text"])
        assert result.escalate == (result.tier == "case")
        if result.tier != "clear":
            assert result.evidence, row["text"]
            for quote in result.evidence:
                if quote.startswith("statistical score "):
                    continue  # a score-only review names its score, not a quote
                assert quote and quote in row["text"], (quote, row["text"])
        else:
            assert result.evidence == ()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_is_detected_on_messages_with_words(lang: str) -> None:
    rows = [r for r in load_set(lang) if len(r["text"].split()) >= 4]
    detected = sum(screen(r["text"]).lang == lang for r in rows)
    assert detected / len(rows) >= 0.9
