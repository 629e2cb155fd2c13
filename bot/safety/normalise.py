"""Text normalisation and tokenisation for screening.

Patients text without accents, with typos, elongated words ("sooo"), emoji, Arabic script with or without
diacritics, and Arabic in Latin letters. Every lexicon term and every message token goes through the same
`fold` so that spelling variants meet in one form. Tokens keep their character offsets in the original
message, so evidence can quote the patient's own words.

No language words live here: elisions and clitic prefixes come from the lexicon files.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.safety.stemming import Stemmers

# Word characters: letters, digits, combining marks (accents written separately, Arabic diacritics) and the
# Arabic tatweel; inner apostrophes keep "can't" and "l'estomac" together as one token.
_WORD = r"[\w\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
_APOS = "'’ʼ`´"
_LL_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "that", "there", "who", "u"})
_TOKEN_RE = re.compile(rf"{_WORD}+(?:[{_APOS}]{_WORD}+)*|\n|[^\s]")
_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

# Punctuation that ends a clause (negation scope, pairing) and that ends a sentence (question zones).
CLAUSE_PUNCT = frozenset(",;:.!?¿¡…()[]\n–—/|؟،؛")
SENTENCE_PUNCT = frozenset(".!?;…\n؟؛")

# Characters that carry no meaning for screening: emoji variation selectors, joiners, skin tones.
# The hyphen is dropped too: "light-headed" and "pronto-socorro" become two words.
_INVISIBLE = {0xFE0F, 0xFE0E, 0x200D, 0x200C, 0x200B, 0x2060, 0x2D, *range(0x1F3FB, 0x1F400)}

# Spelling variants ("ue" for "ü") are tried only on words at least this long.
VARIANT_MIN_LENGTH = 5

# The Arabic tanween of the accusative (fathatan), written on or beside a final alef.
_TANWEEN_FATH = "\u064b"

# A French-style elision ("l'", "d'", "j'") is only written before a vowel or a mute h.
_ELIDING = frozenset("aeiouyh")

# Arabic letter variants folded to one form (alef, ya, ta marbuta, Persian/Urdu letters, digits).
_ARABIC_FOLD = {
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",
    "ک": "ك",
    "ۀ": "ه",
    "ہ": "ه",
    "ـ": "",
    # Round 9: the letters Iraqi, Gulf and Maghrebi writers add for sounds of their dialect: the "g" of a
    # standard qaf ("وگع" = "وقع", "حلگ" = "حلق", Tunisian "ڨ"), and the Persian letters for v, p, ch, zh.
    "گ": "ق",
    "ڨ": "ق",
    "ڤ": "ف",
    "پ": "ب",
    "چ": "ج",
    "ژ": "ز",
    # Round 8: the French ligatures ("sœur", "cœur", "œil") as the lexicons spell them ("soeur", "coeur").
    "œ": "oe",
    "æ": "ae",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}


def _fold_chars(text: str) -> str:
    """Casefold, strip accents and Arabic diacritics, fold letter variants, drop apostrophes."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFKD", text.casefold()):
        if ch in _APOS or unicodedata.combining(ch):
            continue
        out.append(_ARABIC_FOLD.get(ch, ch))
    return "".join(out)


def _collapse_repeats(text: str, keep: int = 1) -> str:
    """Shorten runs of three or more of the same letter to `keep` letters: "sooo" -> "so",
    "dizzzy" -> "dizy"/"dizzy". Runs of two are real spelling ("feel" is not "fel") and digits stay."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        j = i
        while j < len(text) and text[j] == ch:
            j += 1
        run = j - i
        out.append(ch * (keep if run >= 3 and ch.isalpha() else run))
        i = j
    return "".join(out)


def fold(text: str) -> str:
    """The canonical form of one word: what lexicon terms and message tokens are compared in."""
    return _collapse_repeats(_fold_chars(text))


def fold_variants(text: str) -> tuple[str, ...]:
    """`fold`, plus the form with elongations kept as double letters ("nauseee" -> "nause", "nausee")."""
    chars = _fold_chars(text)
    main = _collapse_repeats(chars)
    double = _collapse_repeats(chars, keep=2)
    return (main,) if double == main else (main, double)


def is_arabic(text: str) -> bool:
    return _ARABIC_RE.search(text) is not None


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a message: its folded forms (first is the main one), kind and original offsets."""

    forms: tuple[str, ...]
    kind: str  # "w" word, "p" punctuation, "s" symbol or emoji
    start: int
    end: int
    stems: tuple[str, ...] = ()  # language-marked stems ("en|gain"), matched only where a term has stems


class Tokeniser:
    """Splits messages into tokens with folded forms; caches the work per distinct raw token."""

    def __init__(
        self,
        elisions: frozenset[str] = frozenset(),
        arabic_prefixes: tuple[str, ...] = (),
        latin_prefixes: tuple[str, ...] = (),
        spelling_variants: tuple[tuple[str, str], ...] = (),
        glued_elisions: tuple[str, ...] = (),
        stemmers: Stemmers | None = None,
        clitic_suffixes: frozenset[str] = frozenset(),
    ) -> None:
        self._stemmers = stemmers
        self._suffixes = clitic_suffixes
        self._variants = spelling_variants
        self._glued = tuple(sorted(glued_elisions, key=len, reverse=True))
        self._elisions = elisions
        self._arabic_prefixes = tuple(sorted(arabic_prefixes, key=len, reverse=True))
        self._latin_prefixes = tuple(sorted(latin_prefixes, key=len, reverse=True))
        self._cache: dict[str, tuple[tuple[str, ...], str, tuple[str, ...]]] = {}
        self.corrector: SpellingCorrector | None = None

    def tokenise(self, text: str) -> list[Token]:
        tokens: list[Token] = []
        cache = self._cache
        for m in _TOKEN_RE.finditer(text):
            raw = m.group()
            entry = cache.get(raw)
            if entry is None:
                entry = self._analyse(raw)
                if len(cache) > 100_000:
                    cache.clear()
                cache[raw] = entry
            forms, kind, stems = entry
            if forms:
                tokens.append(Token(forms, kind, m.start(), m.end(), stems))
        return tokens

    def _analyse(self, raw: str) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
        if len(raw) == 1 and not _is_wordchar(raw):
            if ord(raw) in _INVISIBLE:
                return (), "s", ()
            if raw in CLAUSE_PUNCT or unicodedata.category(raw).startswith("P"):
                return (raw,), "p", ()
            return (raw,), "s", ()
        variants = fold_variants(raw)
        main = variants[0]
        if not main:
            return (), "s", ()
        forms = list(variants)
        # An English "'ll" contraction is its pronoun: "I'll" is not "ill", "we'll" not "well", "he'll" not
        # "hell".
        head, found, rest = raw.replace("’", "'").rpartition("'")
        if found and rest.lower() == "ll" and fold(head) in _LL_PRONOUNS:
            return (fold(head),), "w", ()
        # Round 10: an English "'s" ("my hair's coming out", "the tumour's grown", "Dad's gums") is also read
        # without it: "hairs" is neither "hair" nor its stem, so the body part was lost.
        if found and len(head) >= 2 and fold(rest) in self._suffixes:
            forms.append(fold(head))
        # French-style elision: "l'estomac" is also looked up as "estomac".
        for sep in _APOS:
            head, found, rest = raw.partition(sep)
            if found and rest and fold(head) in self._elisions:
                forms.append(fold(rest))
                break
        else:
            # The same elision typed without its apostrophe ("jallaite", "lestomac",
            # "dappetit"): only before a vowel or h, only for a word no lexicon knows as it is
            # ("dolor" stays "dolor", never "olor").
            for head in self._glued:
                rest = main[len(head) :]
                if (
                    main.startswith(head)
                    and len(rest) >= 4
                    and rest[0] in _ELIDING
                    and (self.corrector is None or not self.corrector.knows(main))
                ):
                    forms.append(rest)
                    break
        # Alternative spellings ("uebel" typed for "übel"): a correction too, so never for a short word or a
        # word some lexicon knows as it is (Spanish "pues" is not German "püs" = "pus").
        if len(main) >= VARIANT_MIN_LENGTH and (self.corrector is None or not self.corrector.knows(main)):
            for old, new in self._variants:
                if old in main:
                    forms.append(main.replace(old, new))
        # Clitic prefixes glued to the word: Arabic "والصداع" is also looked up as "صداع".
        arabic = is_arabic(main)
        # Round 10: the accusative ending written with its tanween ("دماً", "ألماً") carries an alef that is
        # no letter of the word: "تقيأت دماً" is also looked up as "تقيأت دم". Only when the mark is written.
        if arabic and _TANWEEN_FATH in raw and main.endswith("ا") and len(main) >= 3:
            forms.append(main[:-1])
        for prefix in self._arabic_prefixes if arabic else self._latin_prefixes:
            if main.startswith(prefix) and len(main) - len(prefix) >= (2 if arabic else 3):
                forms.append(main[len(prefix) :])
        if self.corrector is not None and not arabic:
            fixed = self.corrector.correct(main)
            if fixed is not None:
                forms.append(fixed)
        stems = self._stemmers.forms(variants, arabic) if self._stemmers else ()
        return tuple(dict.fromkeys(forms)), "w", stems


def _is_wordchar(ch: str) -> bool:
    return re.fullmatch(_WORD, ch) is not None


class SpellingCorrector:
    """Light fuzzy matching: a token one edit away from a lexicon word (symmetric deletes) gets that word
    as an extra form. Only long words, same first letter, and never a word the lexicons already know."""

    def __init__(self, vocabulary: set[str], known_words: set[str], min_length: int) -> None:
        self._min = min_length
        self._known = known_words | vocabulary
        self._index: dict[str, set[str]] = {}
        for word in vocabulary:
            if len(word) >= min_length:
                for variant in _deletes(word) | {word}:
                    self._index.setdefault(variant, set()).add(word)

    def knows(self, word: str) -> bool:
        """Is this exact word part of some lexicon term?"""
        return word in self._known

    def correct(self, token: str) -> str | None:
        if len(token) < self._min or token in self._known or not token.isalpha():
            return None
        candidates: set[str] = set()
        for variant in _deletes(token) | {token}:
            candidates |= self._index.get(variant, set())
        candidates = {c for c in candidates if c[0] == token[0] and abs(len(c) - len(token)) <= 1}
        return candidates.pop() if len(candidates) == 1 else None


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}
