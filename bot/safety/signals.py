"""Adverse-event signals built from several terms: a body part near a problem word (strong), and the weak
signals (the patient's own body part, a revealing question, a feeling, a link to the treatment).

Pure functions over the hits of one message, grouped by category; no language words live here.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.safety.context import treatment_links
from bot.safety.lexicon import Hit
from bot.safety.normalise import Token

Span = tuple[int, int]
Check = Callable[[Hit], bool]


def body_problem_pairs(
    by_cat: dict[str, list[Hit]], is_negated: Check, in_question: Check, sentence_end: list[int], window: int
) -> list[Span]:
    """A body part (or a vital sign) and a problem word at most `window` words apart in one sentence:
    "hands tingle", "mal à la tête", "blood pressure through the roof"."""
    bodies = [
        h
        for cat in ("body", "vital")
        for h in by_cat.get(cat, [])
        if not is_negated(h) and not in_question(h)
    ]
    problems = [h for h in by_cat.get("problem", []) if not is_negated(h) and not in_question(h)]
    spans = []
    for b in bodies:
        for p in problems:
            first, second = (b, p) if b.start <= p.start else (p, b)
            if second.start < first.end:  # overlapping terms are not a pair
                continue
            if second.start - first.end > window:
                continue
            if sentence_end[first.start] < second.start:
                continue
            spans.append((first.start, second.end))
    return spans


def weak_signals(
    by_cat: dict[str, list[Hit]], tokens: list[Token], is_negated: Check, in_question: Check, link_window: int
) -> list[Span]:
    """Weak signals: the patient's own body part ("my ankles", "رجليا"), a revealing question, a feeling
    ("I'm so...", "me siento...") or a link to the treatment ("since the last shot"), each unless negated, in
    a general question or reassured in the same clause ("my back is fine", "I'm so excited")."""
    clause = []
    current = 0
    for tok in tokens:
        if tok.kind == "p":
            current += 1
        clause.append(current)
    revealing = by_cat.get("revealing", [])
    reassured = {
        clause[r.start]
        for r in by_cat.get("reassurance", [])
        if not any(h.start <= r.start < h.end for h in revealing)
    }  # "is it NORMAL" reassures nothing
    possessives = by_cat.get("possessive", [])
    spans = [(h.start, h.end) for h in revealing if not is_negated(h) and clause[h.start] not in reassured]
    for b in by_cat.get("body", []):
        if is_negated(b) or in_question(b) or clause[b.start] in reassured:
            continue
        for p in possessives:
            if p.end <= b.start and b.start - p.end <= 1 and clause[p.start] == clause[b.start]:
                spans.append((p.start, b.end))
                break
    for h in by_cat.get("own_body", []):
        if not is_negated(h) and not in_question(h) and clause[h.start] not in reassured:
            spans.append((h.start, h.end))
    links = [h for h in by_cat.get("link", []) if not is_negated(h) and clause[h.start] not in reassured]
    spans.extend(
        treatment_links(links, by_cat.get("treatment", []), by_cat.get("filler", []), clause, link_window)
    )
    return spans
