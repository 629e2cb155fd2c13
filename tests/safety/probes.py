"""The screeners the rounds' probe tests (test_pv_round6.py onwards) judge their families with."""

from __future__ import annotations

from functools import lru_cache

from bot.safety import Screener, ScreenResult


@lru_cache(maxsize=1)
def lexicon_screener() -> Screener:
    """The lexicon and rules alone, no score: what a family's words decide by themselves."""
    return Screener()


@lru_cache(maxsize=1)
def always_scored() -> Screener:
    """A screener whose score always lifts an openable clear: shows whether a clear is deliberate."""
    return Screener(scorer=lambda _text, _lang: 1.0, review_threshold=0.5)


def lexicon(text: str, lang: str) -> ScreenResult:
    return lexicon_screener().screen(text, lang)


class FixedScore:
    """A scorer whose score a test sets (one screener serves every test: building one takes seconds)."""

    value = 0.0

    def __call__(self, _text: str, _lang: str) -> float:
        return self.value


@lru_cache(maxsize=8)
def fixed_score_screener(score: float, **bounds: float) -> Screener:
    """A screener whose score is always ``score``, an openable clear reopening at 0.5 in every language;
    ``bounds`` are the model file's other bounds (``reopen_denied``, ``reopen_relative``...)."""
    return Screener(
        scorer=lambda _text, _lang: score,
        review_threshold=0.5,
        review_thresholds=dict.fromkeys(("en", "es", "fr", "de", "pt", "ar"), 0.5),
        **bounds,
    )
