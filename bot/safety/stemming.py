"""Word stems, so that one lexicon entry covers its inflections ("gain weight" ~ "gained weight", "tremor" ~
"tremors", "adormecida" ~ "adormecido").

The Snowball algorithms (`snowballstemmer`, pure Python) for the languages a lexicon names in its `stemmer`
key. A stem is kept as a form of its own, prefixed with the lexicon's language ("en|gain"), so a stem only
meets terms of the lexicon whose algorithm produced it. Stems are cached per word.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import snowballstemmer

STEM_MARK = "|"  # never inside a token: "en|gain"
MIN_WORD = 5  # shorter words are matched exactly ("sick", "coma", "mal" are never stemmed)
MIN_STEM = 4  # a stem shorter than this would join unrelated words ("latidos" -> "lat" ~ "later")


class _Algorithm(Protocol):
    def stemWord(self, word: str) -> str: ...  # the library's name


class Stemmers:
    """The stemming algorithms of the lexicons, with a per-word cache."""

    def __init__(self, algorithms: dict[str, str]) -> None:
        """`algorithms`: lexicon language -> Snowball algorithm name ("en" -> "english")."""
        self._algorithms: dict[str, _Algorithm] = {
            lang: snowballstemmer.stemmer(name) for lang, name in algorithms.items()
        }
        self._arabic = {lang for lang, name in algorithms.items() if name == "arabic"}
        self._cache: dict[str, tuple[str, ...]] = {}

    def __bool__(self) -> bool:
        return bool(self._algorithms)

    def stem(self, lang: str, word: str) -> str | None:
        """The stem form ("en|gain") of a lexicon word, or None when the word is kept exact."""
        algorithm = self._algorithms.get(lang)
        if algorithm is None or len(word) < MIN_WORD or not word.isalpha():
            return None
        stem = algorithm.stemWord(word)
        return f"{lang}{STEM_MARK}{stem}" if len(stem) >= MIN_STEM else None

    def forms(self, words: Iterable[str], arabic: bool) -> tuple[str, ...]:
        """Stem forms of a token's spellings under every algorithm of the matching script (only its own
        spellings: forms derived by elision or correction are not stemmed again)."""
        out: list[str] = []
        for word in words:
            found = self._cache.get(word)
            if found is None:
                found = tuple(
                    dict.fromkeys(
                        s
                        for lang in self._algorithms
                        if (lang in self._arabic) == arabic
                        for s in (self.stem(lang, word),)
                        if s is not None
                    )
                )
                if len(self._cache) > 200_000:
                    self._cache.clear()
                self._cache[word] = found
            out.extend(found)
        return tuple(out)
