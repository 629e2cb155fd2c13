"""Approved WhatsApp templates of a program (`whatsapp_templates:` in content/programs/*.yaml), pure.

WhatsApp allows free text only within 24 hours of the patient's last message; anything later must be a
template approved by WhatsApp, sent by reference (Twilio Content `ContentSid`) with its variables
(`ContentVariables`).
A program names one template per message kind and language, with the approval reference beside it:

    whatsapp_templates:
      dose_reminder:
        variables: [medicine, time]      # {{1}}, {{2}} in the approved text
        buttons: 3                       # quick replies whose ids are variables {{3}}..{{5}}: our option keys
        en: {content_sid: HX0123..., approval: DEMO-WA-2026-001-EN}

Message kinds a program may send outside the window are `PROACTIVE_KINDS` (plus the journey's when it has
one); `psp content validate` requires a template for each of them in each of the program's languages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
# What reminders send unprompted; `JOURNEY_KINDS` join them when the program has an education journey.
PROACTIVE_KINDS: tuple[str, ...] = ("dose_reminder", "refill_due_soon", "refill_check")
JOURNEY_KINDS: tuple[str, ...] = ("module", "quiz")
# The values each kind's messages carry (a template may use any of them, in any order).
KNOWN_VALUES: dict[str, tuple[str, ...]] = {
    "dose_reminder": ("medicine", "time"),
    "refill_due_soon": ("medicine", "date"),
    "refill_check": ("medicine",),
    "module": ("title", "text"),
    "quiz": ("question",),
}
MAX_BUTTONS = 10


class TemplateError(ValueError):
    """A template entry is malformed; `field` is where in the program file."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class Template:
    """One approved template in one language."""

    kind: str
    language: str
    content_sid: str
    approval: str
    variables: tuple[str, ...] = ()
    buttons: int = 0

    def content_variables(self, values: Mapping[str, str], option_keys: Sequence[str]) -> str:
        """The ContentVariables JSON: named values as {{1}}.., then one option key per quick-reply button.

        A value the message did not carry becomes "-" (Twilio refuses an empty variable); buttons beyond the
        offered options repeat the last one so the template never carries an empty id.
        """
        filled = {str(i): values.get(name) or "-" for i, name in enumerate(self.variables, 1)}
        keys = list(option_keys)[: self.buttons]
        for n in range(self.buttons):
            filled[str(len(self.variables) + n + 1)] = (
                keys[n] if n < len(keys) else (keys[-1] if keys else "-")
            )
        return json.dumps(filled, ensure_ascii=False, separators=(",", ":"))


Templates = dict[str, dict[str, Template]]  # kind -> language -> template


def required_kinds(has_journey: bool) -> tuple[str, ...]:
    return PROACTIVE_KINDS + (JOURNEY_KINDS if has_journey else ())


def parse_templates(raw: Any) -> Templates:
    """`whatsapp_templates:` as Templates; TemplateError names the field that is wrong."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise TemplateError("whatsapp_templates", "must map message kinds to templates")
    found: Templates = {}
    for kind, entry in raw.items():
        where = f"whatsapp_templates.{kind}"
        if not isinstance(entry, dict):
            raise TemplateError(where, "must map languages to {content_sid, approval}")
        variables = tuple(str(v) for v in entry.get("variables") or ())
        unknown = [v for v in variables if v not in KNOWN_VALUES.get(str(kind), variables)]
        if unknown:
            raise TemplateError(f"{where}.variables", f"{unknown} are not values a {kind} message carries")
        buttons = entry.get("buttons", 0)
        if not isinstance(buttons, int) or isinstance(buttons, bool) or not 0 <= buttons <= MAX_BUTTONS:
            raise TemplateError(f"{where}.buttons", f"'{buttons}' is not a number of buttons from 0 to 10")
        by_language: dict[str, Template] = {}
        for lang, ref in entry.items():
            if lang in ("variables", "buttons"):
                continue
            field = f"{where}.{lang}"
            if not isinstance(ref, dict):
                raise TemplateError(field, "must be {content_sid: HX..., approval: REFERENCE}")
            sid, approval = str(ref.get("content_sid") or ""), str(ref.get("approval") or "")
            if not CONTENT_SID.match(sid):
                raise TemplateError(
                    f"{field}.content_sid", f"'{sid}' is not a Content SID (HX + 32 hex digits)"
                )
            if not approval:
                raise TemplateError(f"{field}.approval", "missing approval reference: not reviewed")
            by_language[str(lang)] = Template(str(kind), str(lang), sid, approval, variables, buttons)
        found[str(kind)] = by_language
    return found


def missing(templates: Templates, languages: Sequence[str], has_journey: bool) -> list[tuple[str, str]]:
    """(kind, language) pairs the program may send outside the window but has no template for."""
    return [
        (kind, lang)
        for kind in required_kinds(has_journey)
        for lang in languages
        if lang not in templates.get(kind, {})
    ]


def choose(templates: Templates, kind: str, locale: str | None, fallback: str | None) -> Template | None:
    """The template for a message kind in the patient's language, else in the program's fallback language."""
    by_language = templates.get(kind, {})
    return by_language.get(locale or "") or by_language.get(fallback or "")
