"""Round 9 of issue #13: a very low score may clear a *soft* lexicon case (docs/safety.md, bot/safety/model).

A soft case is built on one plain symptom word and nothing else: no seriousness cue, care, special situation,
body-part pair, lost function, measurement, weak signal or second finding, in a message of at least
``SOFT_MIN_WORDS`` words ("this tax form is giving me a headache"). Only the model file's ``clear_soft`` bound
(chosen by the leave-one-set-out estimate) turns the rule on; every other case is never lowered by the score.
The sentences below are our own probes.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.safety.screener import SOFT_MIN_WORDS, Screener
from tests.safety.probes import FixedScore

LANGS = ("en", "es", "fr", "de", "pt", "ar")


_SCORE = FixedScore()


@lru_cache(maxsize=1)
def _built() -> tuple[Screener, Screener]:
    lexicon = Screener()
    scored = Screener(
        scorer=_SCORE,
        review_threshold=1.0,
        review_thresholds=dict.fromkeys(LANGS, 1.0),
        clear_soft=dict.fromkeys(LANGS, 0.1),
    )
    return lexicon, scored


def _screeners(score: float) -> tuple[Screener, Screener]:
    """The lexicon alone, and the lexicon with a scorer that returns ``score`` and a soft bound of 0.1 in
    every language (the review threshold is out of reach, so the score never adds a review)."""
    _SCORE.value = score
    return _built()


# One plain symptom word in a sentence about something else: soft.
SOFT = [
    ("This tax form is giving me a headache honestly", "en"),
    ("Seit gestern Abend habe ich echt Kopfschmerzen", "de"),
    ("J'ai des nausées depuis trois jours", "fr"),
    ("عندي صداع من امبارح بالليل", "ar"),
]

# Never soft: seriousness, special situations, two findings, a care word, a body-part pair, a message of
# fewer than SOFT_MIN_WORDS words, a finding tied to the treatment.
NEVER_SOFT = [
    ("I had a seizure after the injection yesterday", "en"),
    ("I'm pregnant and still on the tablets", "en"),
    ("I have a headache and nausea since the shot", "en"),
    ("I went to the GP about it this morning", "en"),
    ("my rash is back since the last injection", "en"),
    ("headache", "en"),
    ("mareos", "es"),
]


@pytest.mark.parametrize(("text", "lang"), SOFT)
def test_a_soft_case_clears_only_below_the_bound(text: str, lang: str) -> None:
    lexicon, low = _screeners(0.05)
    assert lexicon.screen(text, lang).tier == "case"
    assert low.screen(text, lang).tier == "clear"
    _, high = _screeners(0.2)
    assert high.screen(text, lang).tier == "case"


@pytest.mark.parametrize(("text", "lang"), NEVER_SOFT)
def test_other_cases_are_never_lowered(text: str, lang: str) -> None:
    lexicon, low = _screeners(0.0)
    assert lexicon.screen(text, lang).tier == "case"
    assert low.screen(text, lang).tier == "case"


def test_the_rule_is_off_without_a_bound() -> None:
    _, scored = _screeners(0.0)
    bounds, scored.clear_soft = scored.clear_soft, {}
    try:
        assert scored.screen(SOFT[0][0], "en").tier == "case"
    finally:
        scored.clear_soft = bounds


def test_a_short_message_is_never_soft() -> None:
    assert SOFT_MIN_WORDS >= 3


def test_the_packaged_model_clears_soft_cases_only_below_its_cap() -> None:
    from bot.safety.classifier import load_classifier

    bounds = load_classifier().clear_soft
    assert set(bounds) <= set(LANGS)
    assert all(0.0 <= bound <= 0.1 for bound in bounds.values())
