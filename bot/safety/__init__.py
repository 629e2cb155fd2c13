"""Placeholder screening (replaced by the lexicon-based screener of the pharmacovigilance work)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScreenResult:
    escalate: bool
    kind: str
    situations: list[str] = field(default_factory=list)
    serious: bool = False
    evidence: list[str] = field(default_factory=list)
    lang: str = "en"


_WORDS = ("pain", "nausea", "dizzy", "hospital", "pregnant", "rash", "vomit", "headache", "dolor", "mareo")


def screen(text: str, lang: str | None = None) -> ScreenResult:
    low = text.casefold()
    hits = [w for w in _WORDS if w in low]
    return ScreenResult(bool(hits), "adverse_event" if hits else "none", [], "hospital" in hits, hits, lang or "en")
