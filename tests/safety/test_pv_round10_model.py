"""Round 10 of issue #13: the model's case-clearing levers, bounded by the rule and family tables.

- A *plain* lexicon case (findings only: symptom words, a body part with a problem, a lost function, weak
  signals; more than one plain symptom word; nothing serious, no special situation, measured value or care,
  and no treatment or link word; at least ``SOFT_MIN_WORDS`` words) may be cleared by a very low score, like a
  soft case (round 9): the model file's ``clear_plain`` bound turns the rule on. Every other case is never
  lowered by the score.
- Neither lever may clear a sentence the project's tables assert as a case: the positives of the dev,
  second-author and holdout sets, and the probes of tests/safety a test asserts flagged (``probe_tables.py``;
  round 11: each probe carries its tests' verdict).
  ``scripts/train_classifier.py`` keeps each bound at or below the lowest score of those rows; the last test
  checks the packaged file.

The sentences below are our own probes.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.safety import default_screener
from bot.safety.screener import Screener
from tests.safety.probe_tables import flagged_probes
from tests.safety.probes import FixedScore, lexicon
from tests.safety.pv_data import LANGUAGES, TUNED_SETS, load_set

LANGS = ("en", "es", "fr", "de", "pt", "ar")


_SCORE = FixedScore()


@lru_cache(maxsize=1)
def _plain_screener() -> Screener:
    return Screener(
        scorer=_SCORE,
        review_threshold=1.0,
        review_thresholds=dict.fromkeys(LANGS, 1.0),
        clear_plain=dict.fromkeys(LANGS, 0.1),
    )


def _scored(score: float) -> Screener:
    """The lexicon with a scorer that returns ``score`` and a plain bound of 0.1 in every language (the
    review threshold is out of reach, so the score never adds a review)."""
    _SCORE.value = score
    return _plain_screener()


# Findings only, not tied to the treatment: plain.
PLAIN = [
    ("en", "coughing and a runny nose all week, so annoying"),
    ("es", "toda la semana con tos y mocos en casa"),
    ("fr", "de la toux et le nez qui coule toute la semaine"),
    ("de", "die ganze Woche Husten und Schnupfen bei uns"),
    ("pt", "tosse e nariz escorrendo a semana inteira aqui em casa"),
    ("ar", "الاسبوع ده كله كحه ورشح في البيت"),
]

# Never plain: tied to the treatment, serious, a special situation, care, a measured value, or short.
NEVER_PLAIN = [
    ("en", "cough and a runny nose since the last injection"),
    ("en", "I had a seizure and a headache at work yesterday"),
    ("en", "I'm pregnant and have had nausea and headaches all week"),
    ("en", "cough and fever all week, went to the doctor this morning"),
    ("en", "headache all week and my blood pressure was 190/120"),
    ("en", "cough and fever"),
    ("es", "tos y fiebre desde la inyección de la semana pasada"),
    ("fr", "toux et fièvre depuis la piqûre de lundi"),
    ("de", "Husten und Fieber seit der letzten Spritze am Montag"),
    ("pt", "tosse e febre desde a injeção da semana passada"),
    ("ar", "كحه وسخونيه من بعد الحقنه اللي فاتت"),
]


@pytest.mark.parametrize(("lang", "text"), PLAIN)
def test_a_plain_case_clears_only_below_the_bound(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "case", text
    assert _scored(0.05).screen(text, lang).tier == "clear", text
    assert _scored(0.2).screen(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NEVER_PLAIN)
def test_other_cases_are_never_lowered_as_plain(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "case", text
    assert _scored(0.0).screen(text, lang).tier == "case", text


def test_the_packaged_model_bounds_its_case_levers_by_a_cap() -> None:
    from bot.safety.classifier import load_classifier

    model = load_classifier()
    for bounds in (model.clear_soft, model.clear_plain):
        assert set(bounds) <= set(LANGS)
        assert all(0.0 <= bound <= 0.2 for bound in bounds.values())


TABLES = ("", *TUNED_SETS)  # the dev sets, then the tuned tables


def _table_cases() -> list[tuple[str, str]]:
    rows = [
        (row["text"], lang)
        for prefix in TABLES
        for lang in LANGUAGES
        for row in load_set(prefix + lang)
        if row["escalate"]
    ]
    detect = default_screener()
    return rows + [(text, lang or detect.screen(text).lang) for text, lang in flagged_probes()]


def test_no_table_case_is_cleared_by_the_packaged_model() -> None:
    """Soft or plain: a case the lexicon makes of a table's positive or a rule probe is never cleared."""
    screener = default_screener()
    cleared = [
        (lang, text)
        for text, lang in _table_cases()
        if lexicon(text, lang).tier == "case" and screener.screen(text, lang).tier == "clear"
    ]
    assert not cleared, cleared
