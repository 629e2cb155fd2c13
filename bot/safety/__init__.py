"""Safety: adverse-event and special-situation screening of every inbound message.

`screen(text, lang=None)` is the one entry point the conversation core calls before anything else.
"""

from __future__ import annotations

from functools import lru_cache

from bot.safety.classifier import load_classifier
from bot.safety.lexicon import SITUATIONS, LexiconError
from bot.safety.screener import Screener, ScreenResult

__all__ = ["SITUATIONS", "LexiconError", "ScreenResult", "Screener", "default_screener", "screen"]


@lru_cache(maxsize=1)
def default_screener() -> Screener:
    """The screener built from the packaged lexicons and the statistical second opinion, loaded once on
    first use (the score only ever moves a `clear` message to `review`)."""
    classifier = load_classifier()
    return Screener(
        scorer=classifier.score,
        review_threshold=classifier.threshold,
        review_thresholds=classifier.thresholds,
        clear_below=classifier.clear_below,
        reopen_denied=classifier.reopen_denied,
        reopen_relative=classifier.reopen_relative,
        clear_soft=classifier.clear_soft,
        clear_plain=classifier.clear_plain,
    )


def screen(text: str, lang: str | None = None) -> ScreenResult:
    """Screen one inbound message for a possible adverse event or special situation."""
    return default_screener().screen(text, lang)
