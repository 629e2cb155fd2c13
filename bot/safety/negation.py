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
    ) -> None:
        self._cues = cues
        self._answers = answers  # "no", "nein", "لا" as answers: they negate symptoms, not "no, I feel well"
        self._post = post
        self._cancels = cancels
        self._breaker = breaker
        self._primary = primary
        self._window = window
        self._post_window = post_window

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
        """Start of the cue that negates `hit`, or None. For wellness phrases, answer particles don't count."""
        if any(hit.end <= c <= hit.end + 1 for c in self._cancels):
            return None
        for cue in self._cues if wellness else self._cues + self._answers:
            if (
                cue.end <= hit.start
                and hit.start - cue.end < self._window
                and self._applies(cue, hit)
                and self._clear(cue.end, hit.start)
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
