"""Test constants and small builders for in-memory modules, so serving and journey tables read as data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from bot.learn.modules import Approval, Module, Quiz, Translation

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "content"
# The shipped demo approvals run from March 2026 to the end of 2027; tests pin "today" inside that window.
TODAY = date(2026, 11, 25)
LANGS = ("en", "es", "fr", "de", "pt", "ar")

GOOD = Approval(reference="MLR-1", approved_on=date(2026, 1, 1), expires_on=date(2027, 12, 31))
EXPIRED = Approval(reference="MLR-OLD", approved_on=date(2025, 1, 1), expires_on=date(2026, 6, 30))
QUIZ = Quiz(question="Q?", options=("a", "b"), correct=0, explanation="a.")


def translation(module_id: str, lang: str, approval: Approval | None = GOOD, **kw: object) -> Translation:
    base = Translation(
        module_id=module_id,
        lang=lang,
        version="1.0",
        title=f"{module_id} ({lang})",
        approval=approval,
        programs=("cardiozen-daily",),
        stage="onboarding",
        sms=f"short {module_id} {lang}",
        body=f"full {module_id} {lang}",
        quiz=None,
        related=(),
        placeholders=(),
        demo=True,
        path=f"modules/{module_id}/{lang}.md",
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def module(module_id: str, langs: dict[str, Approval | None], **kw: object) -> Module:
    return Module(
        id=module_id, translations=tuple(translation(module_id, lang, a, **kw) for lang, a in langs.items())
    )
