"""Honest lexicons: a lexicon term of three or more words that appears word for word in a labelled message was
probably copied from it. Such terms make the figures look better than the screen is on new messages.

The labelled sets are loaded by glob, so any set added under tests/data (a new blind set included) is checked
automatically. The share is printed and kept under a small ceiling; a phrase that is genuinely general
("is it normal") may stay, a sentence copied from a test may not.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.safety.lexicon import COMPOUND, GAP, LEXICON_DIR, load_lexicon
from bot.safety.normalise import Tokeniser

DATA = Path(__file__).resolve().parents[1] / "data"
# Every labelled set: the dev sets and holdouts (pv_dev) and any later blind set directory (pv_blind3...).
# blind2 is excluded: it is kept unread so that its first-run figures stay a generalisation estimate.
SET_GLOBS = ("pv_dev/*.jsonl", "pv_blind*/*.jsonl")
EXCLUDED_PREFIXES = ("blind2_",)
# Training corpora written by authors who read no lexicon and no labelled set (round 6): nobody wrote lexicon
# terms from them, so an overlap there is two authors choosing the same words, as in the blind sets.
UNREAD_PREFIXES = ("corpus_",)
CEILING = 0.10


def labelled_texts(
    patterns: tuple[str, ...] = SET_GLOBS, excluded: tuple[str, ...] = EXCLUDED_PREFIXES
) -> list[str]:
    texts: list[str] = []
    for pattern in patterns:
        for path in sorted(DATA.glob(pattern)):
            if path.name.startswith(excluded):
                continue
            with path.open(encoding="utf-8") as fh:
                texts.extend(json.loads(line)["text"] for line in fh if line.strip())
    return texts


def long_terms() -> dict[tuple[str, ...], str]:
    """Distinct literal terms of 3+ words (no gap, stem or compound part), with their language."""
    terms: dict[tuple[str, ...], str] = {}
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        lexicon = load_lexicon(path)
        for parts, _ in lexicon.entries:
            if len(parts) < 3 or GAP in parts:
                continue
            if any(p.endswith("*") or p.startswith(COMPOUND) for p in parts):
                continue
            terms.setdefault(tuple(parts), lexicon.lang)
    return terms


def _verbatim(texts: list[str], terms: dict[tuple[str, ...], str]) -> list[str]:
    tokeniser = Tokeniser()
    folded = [" " + " ".join(t.forms[0] for t in tokeniser.tokenise(text)) + " " for text in texts]
    haystack = "\n".join(folded)
    return sorted(
        f"{lang}: {' '.join(parts)}" for parts, lang in terms.items() if f" {' '.join(parts)} " in haystack
    )


def test_few_long_lexicon_terms_are_copied_from_labelled_messages() -> None:
    """Asserted on the sets the lexicons were tuned on (copying is possible there); reported for the blind
    sets,
    which nobody read while writing lexicons (an overlap there is two authors choosing the same words)."""
    terms = long_terms()
    tuned = labelled_texts(("pv_dev/*.jsonl",), EXCLUDED_PREFIXES + UNREAD_PREFIXES)
    copied = _verbatim(tuned, terms)
    share = len(copied) / len(terms)
    blind = _verbatim(labelled_texts(("pv_blind*/*.jsonl",)), terms)
    unread = _verbatim(labelled_texts(tuple(f"pv_dev/{p}*.jsonl" for p in UNREAD_PREFIXES)), terms)
    print(
        f"\n{len(copied)} of {len(terms)} lexicon terms of 3+ words ({share:.1%}) appear verbatim in "
        "the tuned "
        f"sets; {len(blind)} ({len(blind) / len(terms):.1%}) in the blind sets; {len(unread)} "
        f"({len(unread) / len(terms):.1%}) in the training corpora"
    )
    assert len(tuned) > 1000
    assert share < CEILING, copied
