"""The screeners the rounds' probe tests (test_pv_round6.py, test_pv_round7.py) judge their families with."""

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
