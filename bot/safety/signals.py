"""Adverse-event signals built from several terms: a body part near a problem word (strong), and the weak
signals (the patient's own body part, a revealing question, a feeling, a link to the treatment).

Pure functions over the hits of one message, grouped by category; no language words live here.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.safety.context import treatment_links
from bot.safety.lexicon import Hit
from bot.safety.normalise import SENTENCE_PUNCT, Token

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
    # Round 10: a problem word that is itself a vital-sign word ("pulse" is also a stem of "pulsing", "pulso"
    # of "pulsar") is that vital sign: "BP 122/78, pulse 70" pairs nothing.
    vitals = {(h.start, h.end) for h in by_cat.get("vital", [])}
    problems = [
        h
        for h in by_cat.get("problem", [])
        if not is_negated(h) and not in_question(h) and (h.start, h.end) not in vitals
    ]
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


def judged_values(
    by_cat: dict[str, list[Hit]], is_negated: Check, in_question: Check, sentence_end: list[int], reach: int
) -> list[Span]:
    """Round 11: a value judged by someone who measured it ("Hb 15.8 ... the nephrologist said it was very
    high", "BP 142/95, she said that's high for his age"): a problem word at most `reach` words after a
    reporting word ("said", "dijo que", "a dit"), with a vital sign or test word before it in its sentence or
    the one before. The vital sign's span and the judgement's span."""
    reporting = by_cat.get("reporting", [])
    vitals = [
        h
        for cat in ("vital", "measure")
        for h in by_cat.get(cat, [])
        if not is_negated(h) and not in_question(h)
    ]
    if not reporting or not vitals:
        return []
    vital_spans = {(h.start, h.end) for h in vitals}
    spans: list[Span] = []
    for p in by_cat.get("problem", []):
        if is_negated(p) or in_question(p) or (p.start, p.end) in vital_spans:
            continue
        said = [
            r
            for r in reporting
            if r.end <= p.start and p.start - r.end <= reach and sentence_end[r.start] >= p.start
        ]
        if not said:
            continue
        here = sentence_end[p.start]
        for v in vitals:
            if v.end > said[0].start:
                continue
            there = sentence_end[v.start]
            if there == here or (there + 1 < len(sentence_end) and sentence_end[there + 1] == here):
                spans.extend([(v.start, v.end), (said[0].start, p.end)])
                break
    return spans


def weak_signals(
    by_cat: dict[str, list[Hit]], tokens: list[Token], is_negated: Check, in_question: Check, link_window: int
) -> list[Span]:
    """Weak signals: the patient's own body part ("my ankles", "رجليا"), a revealing question, a feeling
    ("I'm so...", "me siento...") or a link to the treatment ("since the last shot"), each unless negated, in
    a general question or reassured in the same clause ("my back is fine", "I'm so excited")."""
    clause = []
    sentence = []
    current = here = 0
    for tok in tokens:
        if tok.kind == "p":
            current += 1
            here += tok.forms[0][:1] in SENTENCE_PUNCT
        clause.append(current)
        sentence.append(here)
    revealing = by_cat.get("revealing", [])
    reassured = {
        clause[r.start]
        for r in by_cat.get("reassurance", [])
        if not any(h.start <= r.start < h.end for h in revealing)
    }  # "is it NORMAL" reassures nothing
    possessives = by_cat.get("possessive", [])
    # Round 11: good news later in the sentence of a body part named alone ("my period came today, all good",
    # "mes règles sont arrivées, pas enceinte donc", "جلدي صفى") settles it, unless a contrast word stands
    # between; a body part with a problem word is a pair, a finding, and never reaches this.
    calm = [
        r
        for cat in ("reassurance", "all_clear", "improvement")
        for r in by_cat.get(cat, [])
        if not is_negated(r) and not any(h.start <= r.start < h.end for h in revealing)
    ]
    contrasts = [c.start for c in by_cat.get("contrast", [])]

    def settled(b: Hit) -> bool:
        return any(
            r.start >= b.end
            and sentence[r.start] == sentence[b.start]
            and not any(b.end <= k < r.start for k in contrasts)
            for r in calm
        )

    # Round 11: a revealing phrase inside a general question ("stimmt es, dass man VON DEN TABLETTEN ...?")
    # is part of that question.
    spans = [
        (h.start, h.end)
        for h in revealing
        if not is_negated(h) and not in_question(h) and clause[h.start] not in reassured
    ]
    for b in by_cat.get("body", []):
        if is_negated(b) or in_question(b) or clause[b.start] in reassured or settled(b):
            continue
        for p in possessives:
            if p.end <= b.start and b.start - p.end <= 1 and clause[p.start] == clause[b.start]:
                spans.append((p.start, b.end))
                break
    for h in by_cat.get("own_body", []):
        if not is_negated(h) and not in_question(h) and clause[h.start] not in reassured and not settled(h):
            spans.append((h.start, h.end))
    # A link inside a general or practical question ("kann ich nach dem Pen in die Sauna?") tells of no
    # experience (round 8).
    links = [
        h
        for h in by_cat.get("link", [])
        if not is_negated(h) and not in_question(h) and clause[h.start] not in reassured
    ]
    spans.extend(
        treatment_links(links, by_cat.get("treatment", []), by_cat.get("filler", []), clause, link_window)
    )
    return spans


def loss_of_function(
    by_cat: dict[str, list[Hit]], is_negated: Check, in_question: Check, breaker: list[bool], window: int
) -> list[Span]:
    """A normal function lost: a loss cue ("no", "lost", "can't", "trouble", "sin", "plus de", "kein", "sem",
    "ما") at most `window` words before a function word ("appetite", "sleep", "sex drive", "orgasm",
    "walk", "concentrate") in the same clause, or a function word followed by a trailing cue ("appetite is
    gone", "libido is zero"). The closest cue decides: "no trouble sleeping" is not a loss."""
    functions = [h for h in by_cat.get("function", []) if not in_question(h)]
    if not functions:
        return []
    cues = by_cat.get("loss_cue", [])
    after = by_cat.get("loss_after", [])
    spans: list[Span] = []
    for f in functions:
        before = [
            c
            for c in cues
            if c.end <= f.start and f.start - c.end <= window and not any(breaker[c.end : f.start + 1])
        ]
        if before:
            closest = max(before, key=lambda c: c.end)
            if not is_negated(closest):
                spans.append((closest.start, f.end))
                continue
        for a in after:
            if (
                a.start >= f.end
                and a.start - f.end <= window
                and not any(breaker[f.end : a.start + 1])
                and not is_negated(a)
            ):
                spans.append((f.start, a.end))
                break
    return spans
