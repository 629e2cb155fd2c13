"""Negation scope: which lexicon terms a negation cue ("no", "sin", "pas de", "kein", "ما") applies to.

A cue negates terms starting within `window` words after it, up to a clause break; a trailing cue ("nulle
part", "dor nenhuma") negates terms ending just before it. "anymore"/"mehr" right after a term cancel the
negation (a past occurrence is reportable).
"""

from __future__ import annotations

from bot.safety.lexicon import COMMON, Hit


class Negation:
    """Answers "is this term negated?" for one message."""

    def __init__(
        self,
        cues: list[Hit],
        answers: list[Hit],
        post: list[Hit],
        cancels: list[int],
        breaker: list[bool],
        primary: str | None,
        window: int,
        post_window: int,
        joined: list[bool] | None = None,
    ) -> None:
        self._cues = cues
        self._answers = answers  # "no", "nein", "لا" as answers: they negate symptoms, not "no, I feel well"
        self._post = post
        self._cancels = cancels
        self._breaker = breaker
        self._primary = primary
        self._window = window
        self._post_window = post_window
        # Round 8: Arabic "و" glued to a new word ("ما قدرت اصحى وجابوني بالاسعاف") starts a new clause for
        # seriousness and care, the term's own first word included: the negation of the first verb does not
        # reach the ambulance (a denial told "ما عندي صداع وضيق تنفس" then escalates: the safe side).
        self._joined = joined or []

    def _applies(self, cue: Hit, hit: Hit) -> bool:
        """A cue negates terms of its own language and of the message's language; when the language is
        unknown, any cue counts (Portuguese has no "no", but "no nausea" is English)."""
        lang = hit.label.lang
        return self._primary is None or cue.label.lang in (lang, self._primary) or lang == COMMON

    def _clear(self, a: int, b: int) -> bool:
        """No clause break among tokens [a, b], the first word of the term included: a term that starts with a
        breaker word ("since I started", "desde que subieron") begins a new clause of its own."""
        return not any(self._breaker[a : b + 1])

    def cue_start(self, hit: Hit, wellness: bool = False) -> int | None:
        """Start of the cue that negates `hit`, or None. For wellness phrases, answer particles don't
        count."""
        if any(hit.end <= c <= hit.end + 1 for c in self._cancels):
            return None
        grave = hit.label.category in ("serious", "care")
        for cue in self._cues if wellness else self._cues + self._answers:
            if (
                cue.end <= hit.start
                and hit.start - cue.end < self._window
                and self._applies(cue, hit)
                and self._clear(cue.end, hit.start)
                and not (grave and any(self._joined[cue.end : hit.start + 1]))
            ):
                return cue.start
        for cue in self._post:
            if (
                hit.end <= cue.start
                and cue.start - hit.end <= self._post_window
                and self._applies(cue, hit)
                and self._clear(hit.end, cue.start)
            ):
                return hit.start
        return None

    def __call__(self, hit: Hit) -> bool:
        return self.cue_start(hit) is not None


def build_negation(
    by_cat: dict[str, list[Hit]],
    breaker: list[bool],
    primary: str | None,
    settings: dict[str, int],
    literal: bool = False,
    joined: list[bool] | None = None,
) -> Negation:
    """The negation scope of one message from its hits. `literal`: "no more", "anymore" and "but" lose their
    power to keep a term reportable (used when the message praises the treatment's effect)."""
    pseudo = by_cat.get("neg_pseudo", []) + ([] if literal else by_cat.get("neg_no_longer", []))
    covered = {i for p in pseudo for i in range(p.start, p.end)}
    # A cue that is part of a longer term belongs to it: "no effect", "sin querer", "keine Besserung".
    phrases = [
        h for cat in ("symptom", "serious", "care", "situation", "revealing") for h in by_cat.get(cat, [])
    ]

    def consumed(cue: Hit) -> bool:
        return any(
            h.start <= cue.start and cue.end <= h.end and h.end - h.start > cue.end - cue.start
            for h in phrases
        )

    before = by_cat.get("neg_before", [])
    cues = [c for c in before if c.start not in covered and not consumed(c)]
    answers = [c for c in by_cat.get("neg_answer", []) if c.start not in covered and not consumed(c)]
    # A term that is itself negative ("no effect", "مش بيجيب نتيجة") is only intensified by a trailing cue
    # ("no effect at all", "... خالص"), never negated by it.
    post_window = settings["post_negation_window"]
    negative_ends = [h.end for h in phrases if any(h.start <= c.start and c.end <= h.end for c in before)]
    post = [
        c
        for c in by_cat.get("neg_after", [])
        if c.start not in covered
        and not consumed(c)
        and not any(end <= c.start <= end + post_window for end in negative_ends)
    ]
    cancels = [] if literal else [c.start for c in by_cat.get("neg_cancel", [])]
    return Negation(
        cues, answers, post, cancels, breaker, primary, settings["negation_window"], post_window, joined
    )
