"""Round 11 of issue #13: every probe of the tests carries the verdict its tests assert, and the model's
clearing levers are bounded only by the probes asserted flagged (tests/safety/probe_tables.py).

Round 10's bound read every literal sentence of the tests, negatives included: an English history sentence
whose test asserts only that it is not serious set the English review bound to 0.02, and a clear probe can
never be a reason to keep a flag. Now a lever's bound counts a probe only when a test would fail if the screen
cleared it (case, review, or case-or-review); the three levers (a lexicon review, a soft case, a plain case
scored very low) are all bounded that way. The synthetic modules below are our own.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path

import pytest

from bot.safety import default_screener
from tests.safety.probe_tables import (
    CASE,
    CLEAR,
    FLAGGED,
    NOT_CASE,
    REVIEW,
    flagged_probes,
    probe_verdicts,
    table_probes,
)
from tests.safety.probes import lexicon
from tests.safety.pv_data import LANGUAGES

LANGS = ("en", "es", "fr", "de", "pt", "ar")


@lru_cache(maxsize=1)
def _verdicts() -> dict[str, frozenset[str]]:
    return probe_verdicts()


# Probes of the project's tests, with what their tests assert (module, test).
KNOWN = [
    # test_pv_context.py::test_first_person_states: (tier != "clear") is escalate, escalate True
    ("i'm so wonky today", {FLAGGED}, True),
    # test_pv_rules.py::test_everyday_families_in_every_language: tier == "case" and serious is serious
    ("ich verliere den Faden", {CASE}, True),
    # test_pv_rules.py::test_negation_is_scoped: escalate is escalate, escalate True
    ("mir geht es nicht gut", {CASE}, True),
    # test_pv_round6.py::test_round6_psytar_families: tier in (tier, "case"), the row's tier "review"
    ("these dreams are so intense I wake up exhausted", {FLAGGED}, True),
    # test_pv_rules.py::test_a_figure_of_speech_tied_to_the_treatment_does_not_mask: tier == "clear"
    ("my heart skipped a beat when I saw the bill", {CLEAR}, False),
    # test_pv_round7.py::test_a_value_well_inside_its_range_is_a_deliberate_clear: the row's tier "clear"
    ("blood pressure at the pharmacy 122/78", {CLEAR}, False),
    # ... and its tier "case" (if tier == "case": assert always == "case")
    ("bp 165/102 at the chemist", {CASE}, True),
    # test_pv_round8_serious.py::test_a_stay_long_ago_is_history_unless_treatment_is_named: only seriousness
    ("I had an operation on my knee ten years ago", set(), False),
    ("me operaron de la rodilla hace diez años", set(), False),
]


@pytest.mark.parametrize(("text", "verdicts", "counted"), KNOWN)
def test_a_probe_carries_the_verdict_its_test_asserts(text: str, verdicts: set[str], counted: bool) -> None:
    assert set(_verdicts().get(text, frozenset())) == verdicts, text
    assert (text in {t for t, _ in flagged_probes()}) is counted, text


def test_a_clear_probe_is_not_counted_and_a_case_probe_is() -> None:
    counted = {text for text, _ in flagged_probes()}
    every = {text for text, _ in table_probes()}
    assert "my heart skipped a beat when I saw the bill" in every - counted
    assert "I had an operation on my knee ten years ago" in every - counted
    assert {"ich verliere den Faden", "i'm so wonky today"} <= counted


def test_no_probe_asserted_clear_only_is_counted() -> None:
    verdicts = _verdicts()
    for text, _ in flagged_probes():
        assert verdicts[text] - {CLEAR, NOT_CASE}, text


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_flagged_probes(lang: str) -> None:
    detect = default_screener()
    langs = [lang_ or detect.screen(text).lang for text, lang_ in flagged_probes()]
    assert langs.count(lang) >= 50, (lang, langs.count(lang))


# Synthetic test modules: how each way of asserting a verdict is read.
SYNTHETIC = """
import pytest

ROWS = [("en", "first sentence here", "case"), ("en", "second sentence here", "clear")]
BOOLS = [("third sentence here", True), ("fourth sentence here", False)]
SERIOUS = [("en", "fifth sentence here", False)]
ONLY_TIER = [("en", "sixth sentence here", "review")]


@pytest.mark.parametrize(("lang", "text", "tier"), ROWS)
def test_rows(lang, text, tier):
    assert screen(text, lang).tier == tier


@pytest.mark.parametrize(("text", "escalate"), BOOLS)
def test_bools(text, escalate):
    assert (screen(text).tier != "clear") is escalate


@pytest.mark.parametrize(("lang", "text", "serious"), SERIOUS)
def test_serious(lang, text, serious):
    result = screen(text, lang)
    assert result.serious is serious
    if serious:
        assert result.tier == "case"


@pytest.mark.parametrize(("lang", "text", "tier"), ONLY_TIER)
def test_only_the_row(lang, text, tier):
    assert "pregnancy" in screen(text, lang).situations


@pytest.mark.parametrize("text", ["seventh sentence here", "eighth sentence here"])
def test_not_escalated(text):
    assert not screen(text).escalate


def test_literals():
    assert screen("ninth sentence here", "en").tier in ("case", "review")
    result = screen("tenth sentence here")
    assert result.escalate and result.serious
"""

EXPECTED = {
    "first sentence here": {CASE},
    "second sentence here": {CLEAR},
    "third sentence here": {FLAGGED},
    "fourth sentence here": {CLEAR},
    "fifth sentence here": set(),  # the condition is false: nothing asserted about the tier
    "sixth sentence here": {REVIEW},  # the tuple's own tier word
    "seventh sentence here": {NOT_CASE},
    "eighth sentence here": {NOT_CASE},
    "ninth sentence here": {FLAGGED},
    "tenth sentence here": {CASE},
}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("probes")
    (folder / "test_synthetic.py").write_text(textwrap.dedent(SYNTHETIC), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("text", "verdicts"), EXPECTED.items())
def test_the_verdict_rules_on_a_synthetic_module(synthetic: Path, text: str, verdicts: set[str]) -> None:
    assert set(probe_verdicts(synthetic).get(text, frozenset())) == verdicts, text
    assert (text in {t for t, _ in flagged_probes(synthetic)}) is bool(verdicts & {CASE, REVIEW, FLAGGED})


# Round 8's file (shipped since e7365cf, trained before any guard; round 11 kept it) clears one probe a test
# asserts flagged: a French lexicon review (test_pv_round9_recall.py, REVEALING) it scores under its French
# review bound (0.3). A file the script trains now bounds that lever by the flagged probes and clears none.
ROUND8_FILE_CLEARS = {("fr", "ça dure combien de temps les vertiges après l'injection ?")}


def test_the_packaged_model_clears_no_probe_a_test_asserts_flagged() -> None:
    """A lexicon review, soft case or plain case of a flagged probe stays flagged with the packaged file
    (but for the one review round 8's file is known to clear)."""
    screener = default_screener()
    detect = screener
    cleared = []
    for text, lang in flagged_probes():
        code = lang or detect.screen(text).lang
        if lexicon(text, code).tier != "clear" and screener.screen(text, code).tier == "clear":
            cleared.append((code, text))
    assert set(cleared) <= ROUND8_FILE_CLEARS, cleared


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_packaged_model_keeps_its_bounds_in_range(lang: str) -> None:
    from bot.safety.classifier import load_classifier

    model = load_classifier()
    assert 0.0 <= model.clear_below.get(lang, 0.0) <= 0.3
    assert 0.0 <= model.clear_soft.get(lang, 0.0) <= 0.2
    assert 0.0 <= model.clear_plain.get(lang, 0.0) <= 0.2


FIXED = """
import pytest
from bot.safety import Screener

def _strong():
    return Screener(scorer=lambda _t, _l: 1.0)

@pytest.mark.parametrize("text", ["eleventh sentence here"])
def test_a_strong_score_reopens(text):
    assert _strong().screen(text, "en").tier != "clear"
    assert Screener(scorer=lambda _t, _l: 1.0).screen(text, "en").tier == "review"
"""


def test_an_assert_under_a_fixed_score_says_nothing_of_the_sentence(tmp_path: Path) -> None:
    (tmp_path / "test_fixed.py").write_text(textwrap.dedent(FIXED), encoding="utf-8")
    assert not probe_verdicts(tmp_path).get("eleventh sentence here")
    assert not flagged_probes(tmp_path)
