"""Context rules around the lexicon terms: who the message is about, and links to the treatment.

Pure functions over token positions; the words themselves come from the lexicons (`other_subjects`,
`first_person`, `link_words`, `treatment_words`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.safety.lexicon import Hit

Span = tuple[int, int]


def treatment_links(
    links: Sequence[Hit],
    treatments: Sequence[Hit],
    fillers: Sequence[Hit],
    clause: Sequence[int],
    window: int,
) -> list[Span]:
    """A link word followed closely by a treatment word in the same clause ("since the last shot",
    "depuis la dernière piqûre", "seit der Spritze", "من بعد الحبة"): a change the patient ties to the
    medicine. Only filler words may stand between them ("the", "my", "last", "2nd"): "after lunch I took the
    pill" is a reminder answer, not a link."""
    filled = {i for f in fillers for i in range(f.start, f.end)}
    spans: list[Span] = []
    for link in links:
        for treatment in treatments:
            if (
                treatment.start >= link.end
                and treatment.start - link.end <= window
                and clause[link.start] == clause[treatment.start]
                and all(i in filled for i in range(link.end, treatment.start))
            ):
                spans.append((link.start, treatment.end))
                break
    return spans


def other_subject_scope(
    others: Sequence[Hit], first_person: Sequence[Hit], breaker: Sequence[bool], window: int
) -> Callable[[int, int], bool]:
    """Returns `about_other(start, end)`: is the span [start, end) said about someone who is plainly not the
    patient ("the dog threw up on the carpet")? True when such a subject comes before it in the same clause,
    within `window` words, with no word of the patient's own ("me", "my", "je") in between or inside."""
    if not others:
        return lambda start, end: False
    mine = sorted(f.start for f in first_person)

    def about_other(start: int, end: int) -> bool:
        for other in others:
            if other.end > start or start - other.end > window:
                continue
            if any(breaker[other.end : start]):
                continue
            if any(other.end <= m < end for m in mine):
                continue
            return True
        return False

    return about_other


def exposures(
    subjects: Sequence[Hit],
    verbs: Sequence[Hit],
    objects: Sequence[Hit],
    sentence: Sequence[int],
    clause: Sequence[int],
    is_negated: Callable[[Hit], bool],
) -> list[Span]:
    """Someone else (a child, a pet) in the sentence + an ingestion or contact verb and the medicine in one
    clause ("my grandson got into my pills, he chewed one", "mi nene se tomó unas pastillas", "ابني بلع
    حباية"): an accidental exposure, whatever the order of the words. "My son ate a cookie and the pills are
    in the cupboard" is not one: the verb and the medicine are in different clauses."""
    spans: list[Span] = []
    for verb in verbs:
        if is_negated(verb):
            continue
        where = sentence[verb.start]
        subject = next((s for s in subjects if sentence[s.start] == where), None)
        thing = next((o for o in objects if clause[o.start] == clause[verb.start]), None)
        if subject is not None and thing is not None:
            spans.extend([(subject.start, subject.end), (verb.start, verb.end), (thing.start, thing.end)])
    return spans


def gifts(
    gives: Sequence[Hit],
    treatments: Sequence[Hit],
    possessives: Sequence[Hit],
    owner_marks: Sequence[Hit],
    clause: Sequence[int],
    is_negated: Callable[[Hit], bool],
    window: int,
) -> list[Span]:
    """Round 10: the patient's own medicine given, sold or lent to someone else, or taken by them: a giving
    phrase that names the other person ("gave him", "le di", "lui ai donné", "ihm gegeben", "dei pra ele",
    "اديته", "nicked") and, in the same clause within `window` words either side, a treatment word the
    patient calls their own ("two of MY Xyz pens", "de mis plumas"), whatever stands between them. A
    caregiver giving the patient THEIR dose ("gave him his injection") is no gift: the medicine is not
    "mine"."""
    spans: list[Span] = []
    for give in gives:
        if is_negated(give):
            continue
        for thing in treatments:
            if clause[thing.start] != clause[give.start]:
                continue
            if not (0 <= thing.start - give.end <= window or 0 <= give.start - thing.end <= window):
                continue
            # "my Xyz pens", "mis plumas"; Arabic marks it after: "الدوا بتاعي".
            if any(0 <= thing.start - p.end <= 1 for p in possessives) or any(
                m.start == thing.end for m in owner_marks
            ):
                spans.extend([(give.start, give.end), (thing.start, thing.end)])
                break
    return spans
