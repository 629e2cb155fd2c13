"""Normalising what patients type, so "Español", "espanol " and "ESPAÑOL!" are the same answer."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

_PUNCT = re.compile(r"[^\w\s+:]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
MAX_MATCH_CHARS = 200


def fold(text: str) -> str:
    """Case-folded, accent-free, punctuation-free, single-spaced; Arabic without diacritics or tatweel."""
    return _fold(text[:MAX_MATCH_CHARS])


@functools.lru_cache(maxsize=1024)
def _fold(text: str) -> str:
    """Remembered: a message is folded by every step that reads it (keywords, withdrawal, the open question,
    the menu, the fallback), and the options it is matched against are the same few labels every time; the
    cache is bounded (1,024 strings of at most MAX_MATCH_CHARS characters)."""
    text = _ARABIC_MARKS.sub("", text)
    text = text.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ى", "ي").replace("ة", "ه")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", _PUNCT.sub(" ", stripped)).strip()


def is_blank(text: str) -> bool:
    return not text.strip()


def has_words(text: str) -> bool:
    """False for messages made only of emoji, symbols and punctuation."""
    return any(ch.isalnum() for ch in text)


def close_match(answer: str, candidates: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The candidate a typo most likely meant ("englsh" -> "english"), or None."""
    folded = fold(answer)
    if not folded:
        return None
    pool = list(candidates)
    if folded in pool:
        return folded
    found = difflib.get_close_matches(folded, pool, n=1, cutoff=cutoff)
    return found[0] if found else None
