"""`psp pv suggest`: lexicon entries proposed from confirmed misses, for a person to accept.

A miss is a message the screen left clear (or only doubted) that an officer confirmed as reportable. Phrases
of one to three words that recur in misses, that the screen does not already catch on their own, and that
never occur in messages officers judged clear are the candidates. Nothing is added automatically: lexicons are
reviewed data (docs/safety.md says how to add an entry and check it).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
MIN_WORD = 3  # a one-word phrase shorter than this is a function word in every language we serve


@dataclass(frozen=True, slots=True)
class Labelled:
    lang: str
    text: str
    label: str  # case | clear


@dataclass(slots=True)
class Suggestion:
    lang: str
    phrase: str
    misses: int = 0
    examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"lang": self.lang, "phrase": self.phrase, "misses": self.misses, "examples": self.examples}


def phrases(text: str, longest: int = 3) -> set[str]:
    """Every run of one to `longest` words, lower-cased; short single words left out."""
    words = [w.lower() for w in _WORD.findall(text)]
    found: set[str] = set()
    for size in range(1, longest + 1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if size == 1 and len(run[0]) < MIN_WORD:
                continue
            found.add(" ".join(run))
    return found


def suggest(
    misses: Iterable[Labelled],
    cleared: Iterable[Labelled],
    caught: Callable[[str, str], bool],
    *,
    min_misses: int = 2,
    limit: int = 50,
) -> list[Suggestion]:
    """Candidates per language, most misses first; `caught(phrase, lang)` says whether the screen already
    flags the phrase on its own (those need no entry)."""
    seen_clear: dict[str, set[str]] = defaultdict(set)
    for item in cleared:
        seen_clear[item.lang] |= phrases(item.text)
    found: dict[tuple[str, str], Suggestion] = {}
    for item in misses:
        for phrase in phrases(item.text):
            if phrase in seen_clear[item.lang]:
                continue
            entry = found.setdefault((item.lang, phrase), Suggestion(item.lang, phrase))
            entry.misses += 1
            if len(entry.examples) < 3:
                entry.examples.append(item.text)
    ranked = sorted(
        (s for s in found.values() if s.misses >= min_misses),
        key=lambda s: (-s.misses, -len(s.phrase.split()), s.lang, s.phrase),
    )
    kept: list[Suggestion] = []
    for candidate in ranked:
        if caught(candidate.phrase, candidate.lang):
            continue
        if any(candidate.lang == k.lang and candidate.phrase in k.phrase for k in kept):
            continue  # a longer phrase with the same support already says it
        kept.append(candidate)
        if len(kept) >= limit:
            break
    return kept
