"""`psp pv evaluate`: the figures every safety claim quotes are computed right and refuse bad files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.safety.evaluate import Verdict, evaluate, read_examples, run_evaluate_command, wilson


def test_wilson_interval_matches_the_textbook_values() -> None:
    low, high = wilson(81, 263)  # a classic worked example: 0.308 [0.255, 0.366]
    assert (round(low, 3), round(high, 3)) == (0.255, 0.366)
    assert wilson(0, 10)[0] == pytest.approx(0.0) and wilson(10, 10)[1] == pytest.approx(1.0)
    assert wilson(0, 0) == (0.0, 1.0)


def _screen(tier_by_text: dict[str, str]):  # type: ignore[no-untyped-def]
    def screen(text: str, lang: str | None) -> Verdict:
        tier = tier_by_text[text]
        return Verdict(tier, "adverse_event" if tier != "clear" else "none", False)

    return screen


def test_review_counts_as_found_and_a_flagged_negative_as_a_false_alarm() -> None:
    lines = [
        json.dumps({"text": "a", "lang": "en", "label": "case", "kind": "adverse_event", "serious": True}),
        json.dumps({"text": "b", "lang": "en", "label": "case"}),
        json.dumps({"text": "c", "lang": "en", "label": "case"}),
        json.dumps({"text": "d", "lang": "en", "label": "clear"}),
        json.dumps({"text": "e", "lang": "en", "label": "clear"}),
    ]
    tiers = {"a": "case", "b": "review", "c": "clear", "d": "review", "e": "clear"}
    tallies = evaluate(read_examples(lines), _screen(tiers))
    rates = tallies["en"].rates()
    assert rates["recall"]["value"] == pytest.approx(2 / 3, abs=1e-4)
    assert rates["recall_case"]["value"] == pytest.approx(1 / 3, abs=1e-4)
    assert rates["specificity"]["value"] == 0.5
    assert rates["serious_in_case"]["value"] == 1.0
    assert rates["review_share"] == 0.4
    assert tallies["en"].misses == ["c"] and tallies["en"].false_alarms == ["d"]


def test_the_older_escalate_format_is_read() -> None:
    (example,) = read_examples([json.dumps({"text": "x", "escalate": True})], "fr")
    assert example.positive and example.lang == "fr"


def test_a_bad_line_is_named_and_nothing_is_scored(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    path.write_text('{"text": "ok", "label": "case"}\n{"text": "x", "label": "maybe"}\n', encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_evaluate_command(str(path), None, False, False, out, err) == 2
    assert "line 2" in err.getvalue() and out.getvalue() == ""
    assert run_evaluate_command(str(tmp_path / "missing.jsonl"), None, False, False, out, err) == 2


def test_the_command_prints_per_language_rates_with_intervals(tmp_path: Path) -> None:
    path = tmp_path / "set.jsonl"
    rows = [
        {"text": "I have a terrible headache since the pill", "lang": "en", "label": "case"},
        {"text": "thanks, see you tomorrow", "lang": "en", "label": "clear"},
        {"text": "tengo náuseas desde ayer", "lang": "es", "label": "case"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = io.StringIO()
    assert run_evaluate_command(str(path), None, True, True, out, io.StringIO()) == 0
    doc = json.loads(out.getvalue())
    assert set(doc) == {"en", "es", "all"}
    assert doc["en"]["recall"]["value"] == 1.0 and doc["en"]["specificity"]["value"] == 1.0
    assert doc["all"]["recall"]["low"] < 1.0 <= doc["all"]["recall"]["high"]
