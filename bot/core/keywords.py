"""STOP, START, HELP, MENU and the small words of a conversation, in every supported language.

The words live in `wordlists/<lang>.yaml` (data a reviewer can read); a message is a keyword only when the
whole message is one, after folding case, accents and punctuation, so "stop the nausea" is never an opt-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.core.text import fold

LEXICON_DIR = Path(__file__).resolve().parent / "wordlists"
GLOBAL_KEYWORDS = ("stop", "start", "help", "menu")
SMALL_WORDS = ("back", "yes", "no")
WITHDRAW = "withdraw"  # withdrawing consent (bot.enrolment.withdrawal), apart from STOP


@dataclass(frozen=True)
class Lexicon:
    language: str
    names: frozenset[str]
    words: dict[str, frozenset[str]]
    timezones: tuple[str, ...]


@lru_cache(maxsize=1)
def lexicons() -> dict[str, Lexicon]:
    found: dict[str, Lexicon] = {}
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, words in data.items():
            if isinstance(words, list) and not all(isinstance(w, str) for w in words):
                # YAML reads a bare yes/no/on/off as a boolean: a word would silently vanish.
                raise ValueError(f"{path}: {kind}: quote every word (found {words!r})")
        words = {
            kind: frozenset(fold(str(w)) for w in data.get(kind, []))
            for kind in (*GLOBAL_KEYWORDS, *SMALL_WORDS, WITHDRAW)
        }
        found[data["language"]] = Lexicon(
            language=data["language"],
            names=frozenset(fold(str(n)) for n in data.get("names", [])),
            words=words,
            timezones=tuple(data.get("timezones", [])),
        )
    return found


def _lookup(text: str, kinds: tuple[str, ...], prefer: str | None) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    # A slash command or a keyword: the patient's own language first, then every other language.
    order = [prefer] if prefer in lexicons() else []
    order += [lang for lang in lexicons() if lang != prefer]
    for lang in order:
        for kind in kinds:
            if folded in lexicons()[lang].words[kind] or folded.lstrip("/") in lexicons()[lang].words[kind]:
                return kind
    return None


def global_keyword(text: str, locale: str | None = None) -> str | None:
    """ "stop" | "start" | "help" | "menu" when the whole message is one of them in any language."""
    return _lookup(text, GLOBAL_KEYWORDS, locale)


def small_word(text: str, locale: str | None = None) -> str | None:
    """ "back" | "yes" | "no" when the whole message is one of them."""
    return _lookup(text, SMALL_WORDS, locale)


def withdraw_keyword(text: str, locale: str | None = None) -> bool:
    """True when the whole message asks to withdraw consent ("withdraw consent", "retirar consentimiento")."""
    return _lookup(text, (WITHDRAW,), locale) == WITHDRAW


def language_named(text: str) -> str | None:
    """The language code a patient named ("Español", "arabic", "عربي"), or None."""
    folded = fold(text)
    for lang, lex in lexicons().items():
        if folded in lex.names:
            return lang
    return None
