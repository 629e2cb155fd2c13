"""Matching lexicon terms in a tokenised message.

All terms of all languages go into one token trie, so one pass over the message finds every term of
every category at every position (overlapping matches included), each labelled with its language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.safety.lexicon import COMPOUND, GAP, Hit, Label, Lexicon
from bot.safety.normalise import SpellingCorrector, Token, Tokeniser
from bot.safety.stemming import STEM_MARK, Stemmers

# Categories whose exact words also match their inflections (by stem). Function words, negation cues and
# language-detection words stay exact: a stem would join unrelated short words.
# Seriousness cues, special situations and care seeking stay exact: their verbs change meaning with tense
# ("kill me" is not "killing me", "esqueci" is not "esquecer", "consultei" is not "consulta").
STEMMED_CATEGORIES = frozenset(
    {
        "symptom",
        "problem",
        "body",
        "vital",
        "negated_symptom",
        "negated_serious",
        "benign",
        "treatment",
        "own_body",
        "loss_cue",
        "function",
        "review_symptom",
        "quality",
    }
)


@dataclass(slots=True)
class _Node:
    exact: dict[str, _Node] = field(default_factory=dict)
    stems: dict[str, _Node] = field(default_factory=dict)
    stem_lens: tuple[int, ...] = ()
    gap: _Node | None = None
    labels: list[Label] = field(default_factory=list)
    stem_min: int = (
        0  # shortest stem here; `stem_heads` holds every stem cut to that length (a fast pre-check)
    )
    stem_heads: frozenset[str] = frozenset()
    stem_keys: bool = False  # some child is a language-marked stem ("en|gain")


class TermMatcher:
    """A token trie over the terms of every lexicon; `find` returns all matches with their labels."""

    def __init__(self, lexicons: list[Lexicon], gap_max: int, stemmers: Stemmers | None = None) -> None:
        self._root = _Node()
        self._gap_max = gap_max
        # Single-word terms matched inside compounds: "*schmerz*" (anywhere), "*gestürzt" (at the end).
        self._inside: dict[str, list[Label]] = {}
        self._ending: dict[str, list[Label]] = {}
        for lex in lexicons:
            for parts, label in lex.entries:
                if parts[0].startswith(COMPOUND):
                    table = self._inside if parts[0].endswith("*") else self._ending
                    labels = table.setdefault(parts[0].lstrip(COMPOUND).rstrip("*"), [])
                    if label not in labels:
                        labels.append(label)
                else:
                    self._insert(parts, label)
                    if stemmers and label.category in STEMMED_CATEGORIES:
                        stemmed = [
                            p
                            if p == GAP or p.endswith("*") or p in lex.not_stemmed
                            else (stemmers.stem(lex.lang, p) or p)
                            for p in parts
                        ]
                        if stemmed != parts:
                            self._insert(stemmed, label)
        self._freeze(self._root)
        parts_re = "|".join(
            re.escape(p) for p in sorted({*self._inside, *self._ending}, key=len, reverse=True)
        )
        self._compound_re = re.compile(parts_re) if parts_re else None

    def _insert(self, parts: list[str], label: Label) -> None:
        node = self._root
        for part in parts:
            if part == GAP:
                node.gap = node.gap or _Node()
                node = node.gap
            elif part.endswith("*"):
                node = node.stems.setdefault(part[:-1], _Node())
            else:
                node = node.exact.setdefault(part, _Node())
        if label not in node.labels:
            node.labels.append(label)

    def _freeze(self, node: _Node) -> None:
        node.stem_keys = any(STEM_MARK in key for key in node.exact)
        node.stem_lens = tuple(sorted({len(s) for s in node.stems}, reverse=True))
        if node.stems:
            node.stem_min = min(node.stem_lens)
            node.stem_heads = frozenset(s[: node.stem_min] for s in node.stems)
        for child in (*node.exact.values(), *node.stems.values(), *([node.gap] if node.gap else [])):
            self._freeze(child)

    def find(self, tokens: list[Token]) -> list[Hit]:
        found: dict[tuple[int, int, int], _Node] = {}
        n = len(tokens)
        gap_max = self._gap_max

        def walk(node: _Node, j: int, start: int) -> None:
            if node.labels:
                found[(start, j, id(node))] = node
            if j >= n:
                return
            tok = tokens[j]
            if tok.kind == "p":  # punctuation only matches literally ("side effects ?")
                child = node.exact.get(tok.forms[0])
                if child is not None:
                    walk(child, j + 1, start)
            else:
                for form in tok.forms:
                    child = node.exact.get(form)
                    if child is not None:
                        walk(child, j + 1, start)
                    if node.stem_min and form[: node.stem_min] in node.stem_heads:
                        for length in node.stem_lens:
                            if len(form) >= length:
                                child = node.stems.get(form[:length])
                                if child is not None:
                                    walk(child, j + 1, start)
                if node.stem_keys:
                    for stem in tok.stems:
                        child = node.exact.get(stem)
                        if child is not None:
                            walk(child, j + 1, start)
            if node.gap is not None:
                for k in range(j, min(n, j + gap_max) + 1):
                    if k > j and tokens[k - 1].kind == "p":
                        break
                    walk_gap(node.gap, k, start)

        def walk_gap(node: _Node, j: int, start: int) -> None:
            # After a gap the next word must match (a term never ends on a gap).
            if j >= n:
                return
            tok = tokens[j]
            if tok.kind == "p":
                return
            for form in tok.forms:
                child = node.exact.get(form)
                if child is not None:
                    walk(child, j + 1, start)
                if node.stem_min and form[: node.stem_min] in node.stem_heads:
                    for length in node.stem_lens:
                        if len(form) >= length:
                            child = node.stems.get(form[:length])
                            if child is not None:
                                walk(child, j + 1, start)
            if node.stem_keys:
                for stem in tok.stems:
                    child = node.exact.get(stem)
                    if child is not None:
                        walk(child, j + 1, start)

        root = self._root
        compound: list[Hit] = []
        for i in range(n):
            if tokens[i].kind != "p":
                walk(root, i, i)
            if (
                tokens[i].kind == "w"
                and self._compound_re is not None
                and any(self._compound_re.search(f) for f in tokens[i].forms)
            ):
                labels: list[Label] = []
                for form in tokens[i].forms:
                    for part, labs in self._inside.items():
                        if part in form:
                            labels.extend(labs)
                    for part, labs in self._ending.items():
                        if form.endswith(part):
                            labels.extend(labs)
                compound.extend(Hit(i, i + 1, lab) for lab in dict.fromkeys(labels))
        hits = [Hit(s, e, label) for (s, e, _), node in found.items() for label in node.labels]
        hits.extend(compound)
        hits.sort(key=lambda h: (h.start, h.end))
        return hits


def build_corrector(lexicons: list[Lexicon], min_length: int) -> SpellingCorrector:
    """Vocabulary = single Latin words of the adverse-event and situation terms."""
    vocabulary: set[str] = set()
    known: set[str] = set()
    fuzzy_categories = {"symptom", "serious"}
    for lex in lexicons:
        known |= lex.not_typos
        for parts, label in lex.entries:
            for part in parts:
                if part != GAP:
                    known.add(part.lstrip(COMPOUND).rstrip("*"))
            word = parts[0].rstrip("*")
            if (
                label.category in fuzzy_categories
                and len(parts) == 1
                and not parts[0].startswith(COMPOUND)
                and word.isalpha()
                and word.isascii()
            ):
                vocabulary.add(word)
    return SpellingCorrector(vocabulary, known, min_length)


def make_stemmers(lexicons: list[Lexicon]) -> Stemmers:
    return Stemmers({lex.lang: lex.stemmer for lex in lexicons if lex.stemmer})


def make_tokeniser(lexicons: list[Lexicon], stemmers: Stemmers | None = None) -> Tokeniser:
    elisions: set[str] = set()
    arabic: list[str] = []
    latin: list[str] = []
    for lex in lexicons:
        elisions |= lex.elisions
        for prefix in lex.clitic_prefixes:
            (arabic if re.search(r"[\u0600-\u06ff]", prefix) else latin).append(prefix)
    variants = tuple(dict.fromkeys(v for lex in lexicons for v in lex.spelling_variants))
    glued = tuple(dict.fromkeys(g for lex in lexicons for g in lex.glued_elisions))
    suffixes = frozenset(c for lex in lexicons for c in lex.clitic_suffixes)
    return Tokeniser(
        frozenset(elisions),
        tuple(dict.fromkeys(arabic)),
        tuple(dict.fromkeys(latin)),
        variants,
        glued,
        stemmers,
        suffixes,
    )
