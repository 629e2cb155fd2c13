"""Serving approved modules: only approved, unexpired, translated text reaches a patient."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.core.programs import Program
from bot.learn.modules import (
    Approval,
    Module,
    get_module_for,
    not_servable_reason,
    parse_translation,
    placeholder_values,
    servable,
)
from tests.content.helpers import EXPIRED, GOOD, LANGS, TODAY, module

DEMO_LINE = {
    "en": "Fictional demo material",
    "es": "Material de demostración ficticio",
    "fr": "Contenu de démonstration fictif",
    "de": "Fiktives Demo-Material",
    "pt": "Material de demonstração fictício",
    "ar": "مادة تجريبية خيالية",
}


def test_every_shipped_module_is_in_six_languages_and_marked_as_demo(modules: dict[str, Module]) -> None:
    assert len(modules) >= 13
    for m in modules.values():
        assert m.languages == tuple(sorted(LANGS)), m.id
        for t in m.translations:
            assert t.demo, t.path
            assert DEMO_LINE[t.lang] in t.body, t.path
            assert servable(m, t.lang, TODAY), t.path


def test_each_program_has_at_least_eight_modules_some_with_quizzes(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    for pid in programs:
        mine = [m for m in modules.values() if pid in m.programs]
        assert len(mine) >= 8, pid
        assert sum(m.has_quiz for m in mine) >= 2, pid


def test_arabic_modules_are_written_in_arabic_script(modules: dict[str, Module]) -> None:
    for m in modules.values():
        t = m.translation("ar")
        assert t is not None
        arabic = sum(1 for ch in t.body if "\u0600" <= ch <= "\u06ff")
        assert arabic > len(t.body) // 3, t.path


def test_quiz_answers_are_the_same_in_every_language(modules: dict[str, Module]) -> None:
    for m in modules.values():
        answers = {(len(t.quiz.options), t.quiz.correct) for t in m.translations if t.quiz}
        assert len(answers) <= 1, m.id


NOV = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("approval", "lang", "today", "reason"),
    [
        (GOOD, "en", NOV, None),
        (GOOD, "en", date(2027, 12, 31), None),  # the last day of the approval still counts
        (GOOD, "en", date(2028, 1, 1), "approval expired on 2027-12-31"),
        (EXPIRED, "en", NOV, "approval expired on 2026-06-30"),
        (None, "en", NOV, "no approval reference"),
        (replace(GOOD, reference=""), "en", NOV, "no approval reference"),
        (replace(GOOD, expires_on=None), "en", NOV, "approval has no expiry date"),
        (replace(GOOD, approved_on=date(2026, 12, 1)), "en", NOV, "approval only takes effect on 2026-12-01"),
        (GOOD, "fr", NOV, "no 'fr' translation"),
    ],
)
def test_servable(approval: Approval | None, lang: str, today: date, reason: str | None) -> None:
    m = module("m", {"en": approval})
    assert not_servable_reason(m, lang, today) == reason
    assert servable(m, lang, today) is (reason is None)


def test_a_delivery_records_what_was_sent_and_why(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    cz = programs["cardiozen-daily"]
    d = get_module_for(cz, "cz-missed-dose", "ar", TODAY, modules=modules, variant="sms", reason="day:5")
    assert d is not None
    assert (d.module_id, d.version, d.language, d.variant, d.reason) == (
        "cz-missed-dose",
        "1.1",
        "ar",
        "sms",
        "day:5",
    )
    assert d.approval_reference == "DEMO-MLR-2026-008-AR"
    assert (d.fallback, d.requested_language) == (False, "ar")
    assert d.text == modules["cz-missed-dose"].translation("ar").sms  # type: ignore[union-attr]
    assert d.quiz is not None and d.quiz.correct == 1
    full = get_module_for(cz, "cz-missed-dose", "ar", TODAY, modules=modules)
    assert full is not None and full.variant == "full" and "لا تتناولوا قرصين أبدًا" in full.text
    assert full.reason == "requested"


def test_placeholders_are_filled_from_the_program_for_the_patients_country(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    ox = programs["ostelix-weekly"]
    d = get_module_for(ox, "psp-reporting-side-effects", "de", TODAY, modules=modules, variant="sms")
    assert d is not None and "{support_phone}" in d.text
    text = d.render(placeholder_values(ox, "DE"))
    assert "+49 800 000 0001" in text and "Notruf: 112" in text
    assert "{" not in text
    us = d.render(placeholder_values(ox, "US"))
    assert "911" in us and "+1 555 0199" in us


def test_a_module_is_only_served_to_the_programs_it_was_approved_for(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    assert get_module_for(programs["ostelix-weekly"], "cz-how-to-take", "en", TODAY, modules=modules) is None
    assert get_module_for(programs["ostelix-weekly"], "no-such-module", "en", TODAY, modules=modules) is None


def _with_fallback(program: Program, fallback: str | None) -> Program:
    return replace(program, fallback_language=fallback)


def test_fallback_only_where_the_program_allows_it(programs: dict[str, Program]) -> None:
    untranslated = {"m": module("m", {"en": GOOD, "es": GOOD})}  # no Arabic yet
    cz = programs["cardiozen-daily"]

    d = get_module_for(cz, "m", "ar", TODAY, modules=untranslated)
    assert d is not None
    assert (d.language, d.fallback, d.requested_language) == ("en", True, "ar")

    strict = _with_fallback(cz, None)
    assert get_module_for(strict, "m", "ar", TODAY, modules=untranslated) is None
    es = get_module_for(strict, "m", "es", TODAY, modules=untranslated)
    assert es is not None and (es.language, es.fallback) == ("es", False)


def test_an_expired_translation_falls_back_and_an_expired_fallback_is_not_served(
    programs: dict[str, Program],
) -> None:
    cz = programs["cardiozen-daily"]
    half = {"m": module("m", {"en": GOOD, "fr": EXPIRED})}
    d = get_module_for(cz, "m", "fr", TODAY, modules=half)
    assert d is not None and (d.language, d.fallback, d.approval_reference) == ("en", True, "MLR-1")
    dead = {"m": module("m", {"en": EXPIRED, "fr": EXPIRED})}
    assert get_module_for(cz, "m", "fr", TODAY, modules=dead) is None


CHANGED_SINCE_APPROVAL = """---
id: m
version: "1.1"
demo: {demo}
title: "T"
approval:
  reference: MLR-1
  approved_on: 2026-01-01
  expires_on: 2027-12-31
  version: "1.0"
  pending: "1.1: one Arabic register; needs MLR re-approval"
programs: [p]
stage: onboarding
sms: "s"
---
Body
"""


@pytest.mark.parametrize(
    ("demo", "reason"),
    [
        ("false", "version 1.1 changed since the approved version 1.0: awaiting re-approval"),
        ("true", None),
    ],
)
def test_words_changed_after_review_wait_for_the_new_review(demo: str, reason: str | None) -> None:
    t = parse_translation(CHANGED_SINCE_APPROVAL.format(demo=demo), "m/ar.md", "ar")
    m = Module(id="m", translations=(t,))
    assert t.approval is not None and t.approval.pending.endswith("needs MLR re-approval")
    assert not_servable_reason(m, "ar", TODAY) == reason
