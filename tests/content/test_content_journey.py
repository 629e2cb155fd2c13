"""Journeys: what a patient gets, day by day, read like a script.

Each script runs the journey the way the conversation core does: every day it asks for the next module,
then the patient acts (opens a module, answers a quiz, reports a side effect) and the core asks again.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from bot.core.programs import Program
from bot.learn.journey import PatientEvent, Sent, browse, next_module
from bot.learn.modules import Module, load_modules
from tests.content.helpers import SHIPPED

ENROLLED = date(2026, 11, 2)
Action = tuple[str, str | None]  # (event kind, module id)


def run(
    program: Program,
    modules: dict[str, Module],
    lang: str,
    days: int,
    actions: dict[int, list[Action]] | None = None,
    *,
    opens_everything: bool = True,
) -> list[tuple[int, str, str, str, str]]:
    """(day, module, reason, variant, language) for every delivery over `days` days."""
    history: list[Sent] = []
    events: list[PatientEvent] = []
    log: list[tuple[int, str, str, str, str]] = []

    def ask(today: date, day: int) -> None:
        for _ in range(5):
            d = next_module(program, modules, history, today, ENROLLED, lang, events)
            if d is None:
                return
            history.append(Sent(d.module_id, today, d.variant, d.reason))
            log.append((day, d.module_id, d.reason, d.variant, d.language))
            if opens_everything:
                events.append(PatientEvent("opened", today, d.module_id))

    for day in range(days):
        today = ENROLLED + timedelta(days=day)
        ask(today, day)
        for kind, module_id in (actions or {}).get(day, []):
            events.append(PatientEvent(kind, today, module_id))
        ask(today, day)
    return log


def test_cardiozen_in_spanish_an_engaged_patient_follows_the_calendar(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    log = run(programs["cardiozen-daily"], modules, "es", days=25)
    assert [(day, mid, reason) for day, mid, reason, _, _ in log] == [
        (0, "psp-welcome", "day:0"),
        (1, "cz-how-to-take", "day:1"),
        (3, "psp-reporting-side-effects", "day:3"),
        (5, "cz-missed-dose", "day:5"),
        (8, "cz-blood-pressure-basics", "day:8"),
        (12, "psp-talking-to-your-doctor", "day:12"),
        (20, "psp-refills", "day:20"),
    ]
    assert {(variant, lang) for _, _, _, variant, lang in log} == {("full", "es")}


def test_cardiozen_a_correct_answer_moves_the_patient_on_at_once(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    log = run(
        programs["cardiozen-daily"], modules, "es", days=6, actions={1: [("quiz_correct", "cz-how-to-take")]}
    )
    assert [(day, mid, reason) for day, mid, reason, _, _ in log] == [
        (0, "psp-welcome", "day:0"),
        (1, "cz-how-to-take", "day:1"),
        (1, "psp-reporting-side-effects", "advance:quiz_correct:cz-how-to-take"),
        (5, "cz-missed-dose", "day:5"),
    ]


def test_ostelix_in_arabic_a_wrong_answer_brings_the_recap_and_a_report_brings_next_steps(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    log = run(
        programs["ostelix-weekly"],
        modules,
        "ar",
        days=8,
        actions={1: [("quiz_wrong", "ox-using-the-pen")], 7: [("side_effect_report", None)]},
    )
    assert [(day, mid, reason, lang) for day, mid, reason, _, lang in log] == [
        (0, "psp-welcome", "day:0", "ar"),
        (1, "ox-using-the-pen", "day:1", "ar"),
        (1, "ox-pen-recap", "after:quiz_wrong:ox-using-the-pen", "ar"),
        (3, "ox-storing-pens", "day:3", "ar"),
        (6, "psp-reporting-side-effects", "day:6", "ar"),
        (7, "psp-after-side-effect-report", "after:side_effect_report", "ar"),
    ]


def test_a_second_report_a_week_later_brings_next_steps_again_but_an_old_one_does_not(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    ox = programs["ostelix-weekly"]
    today = ENROLLED + timedelta(days=30)
    sent = [
        Sent("psp-after-side-effect-report", today - timedelta(days=12), reason="after:side_effect_report")
    ]
    sent += [
        Sent(step.module, ENROLLED + timedelta(days=step.day), reason=step.rule)
        for step in ox.journey
        if step.day is not None
    ]
    old = [PatientEvent("side_effect_report", today - timedelta(days=12))]
    assert next_module(ox, modules, sent, today, ENROLLED, "en", old) is None  # answered already
    stale = [PatientEvent("side_effect_report", today - timedelta(days=8))]
    assert next_module(ox, modules, [], today, today, "en", stale) is not None
    assert next_module(ox, modules, sent, today, ENROLLED, "en", stale) is None  # outside the 7-day window
    new = old + [PatientEvent("side_effect_report", today)]
    d = next_module(ox, modules, sent, today, ENROLLED, "en", new)
    assert d is not None and d.module_id == "psp-after-side-effect-report"


def test_a_patient_who_never_opens_gets_short_variants_until_they_open_one(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    cz = programs["cardiozen-daily"]
    log = run(cz, modules, "fr", days=13, opens_everything=False, actions={6: [("opened", "cz-missed-dose")]})
    assert [(day, mid, variant) for day, mid, _, variant, _ in log] == [
        (0, "psp-welcome", "full"),
        (1, "cz-how-to-take", "full"),
        (3, "psp-reporting-side-effects", "full"),
        (5, "cz-missed-dose", "sms"),  # three in a row never opened
        (8, "cz-blood-pressure-basics", "full"),  # opened the short one on day 6: full text again
        (12, "psp-talking-to-your-doctor", "full"),
    ]
    first = next_module(cz, modules, [], ENROLLED, ENROLLED, "fr", [])
    assert first is not None
    assert first.text.startswith("**Bienvenue")
    short = next_module(cz, modules, [], ENROLLED, ENROLLED, "fr", [], variant="sms")  # the SMS channel
    assert short is not None and short.variant == "sms" and short.text.startswith("DEMO: Bienvenue")


def _expire(content_dir: Path, module_id: str) -> None:
    for path in (content_dir / "modules" / module_id).glob("*.md"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"expires_on: \S+", "expires_on: 2026-10-31", text), encoding="utf-8")


def test_an_expired_module_is_never_sent_even_when_a_rule_points_at_it(
    programs: dict[str, Program], content_copy: Path
) -> None:
    _expire(content_copy, "cz-how-to-take")
    _expire(content_copy, "cz-how-to-take-recap")
    modules = load_modules(content_copy)
    log = run(
        programs["cardiozen-daily"],
        modules,
        "de",
        days=9,
        actions={5: [("quiz_wrong", "cz-missed-dose")], 3: [("quiz_correct", "psp-reporting-side-effects")]},
    )
    sent = [mid for _, mid, _, _, _ in log]
    assert "cz-how-to-take" not in sent
    assert "cz-how-to-take-recap" not in sent  # the remedial rule fired, but its module has expired
    assert [(day, mid, reason) for day, mid, reason, _, _ in log] == [
        (0, "psp-welcome", "day:0"),
        (3, "psp-reporting-side-effects", "day:3"),
        (3, "cz-missed-dose", "advance:quiz_correct:psp-reporting-side-effects"),  # skips the expired step
        (8, "cz-blood-pressure-basics", "day:8"),
    ]


def test_a_new_approval_brings_a_skipped_module_back(
    programs: dict[str, Program], content_copy: Path
) -> None:
    _expire(content_copy, "cz-how-to-take")
    cz = programs["cardiozen-daily"]
    today = ENROLLED + timedelta(days=4)
    history = [
        Sent("psp-welcome", ENROLLED, reason="day:0"),
        Sent("psp-reporting-side-effects", ENROLLED + timedelta(days=3), reason="day:3"),
    ]
    assert next_module(cz, load_modules(content_copy), history, today, ENROLLED, "en", []) is None
    renewed = load_modules(SHIPPED)  # the shipped files carry the current approval
    d = next_module(cz, renewed, history, today, ENROLLED, "en", [])
    assert d is not None and (d.module_id, d.reason) == ("cz-how-to-take", "day:1")


def test_untranslated_module_falls_back_only_where_allowed(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    no_arabic = dict(modules)
    welcome = modules["psp-welcome"]
    no_arabic["psp-welcome"] = replace(
        welcome, translations=tuple(t for t in welcome.translations if t.lang != "ar")
    )
    cz = programs["cardiozen-daily"]
    d = next_module(cz, no_arabic, [], ENROLLED, ENROLLED, "ar", [])
    assert d is not None and (d.module_id, d.language, d.fallback, d.requested_language) == (
        "psp-welcome",
        "en",
        True,
        "ar",
    )
    strict = replace(cz, fallback_language=None)
    assert next_module(strict, no_arabic, [], ENROLLED, ENROLLED, "ar", []) is None
    tomorrow = ENROLLED + timedelta(days=1)
    d = next_module(strict, no_arabic, [], tomorrow, ENROLLED, "ar", [])
    assert d is not None and (d.module_id, d.language, d.fallback) == ("cz-how-to-take", "ar", False)


def test_learn_menu_lists_the_programs_modules_by_stage(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    items = browse(programs["ostelix-weekly"], modules, "pt", date(2026, 11, 25))
    assert [d.module_id for d in items] == [
        "psp-welcome",
        "ox-using-the-pen",
        "psp-reporting-side-effects",
        "ox-pen-recap",
        "ox-storing-pens",
        "ox-missed-injection",
        "psp-talking-to-your-doctor",
        "psp-refills",
        "psp-after-side-effect-report",
    ]
    assert items[1].title == "Usar a sua caneta Ostelix"
    assert {(d.language, d.variant, d.reason, d.fallback) for d in items} == {("pt", "full", "browse", False)}


def test_learn_menu_leaves_out_what_may_not_be_shown(
    programs: dict[str, Program], content_copy: Path
) -> None:
    _expire(content_copy, "cz-missed-dose")
    items = browse(programs["cardiozen-daily"], load_modules(content_copy), "es", date(2026, 11, 25))
    ids = [d.module_id for d in items]
    assert "cz-missed-dose" not in ids
    assert not any(i.startswith("ox-") for i in ids)
    assert len(ids) == 8


def test_asking_for_a_module_counts_as_reading_again(
    programs: dict[str, Program], modules: dict[str, Module]
) -> None:
    cz = programs["cardiozen-daily"]
    unopened = [
        Sent("psp-welcome", ENROLLED, reason="day:0"),
        Sent("cz-how-to-take", ENROLLED + timedelta(days=1), reason="day:1"),
        Sent("psp-reporting-side-effects", ENROLLED + timedelta(days=3), reason="day:3"),
    ]
    day5 = ENROLLED + timedelta(days=5)
    d = next_module(cz, modules, unopened, day5, ENROLLED, "pt", [])
    assert d is not None and d.variant == "sms"
    browsed = [*unopened, Sent("psp-refills", ENROLLED + timedelta(days=4), reason="browse")]
    d = next_module(cz, modules, browsed, day5, ENROLLED, "pt", [])
    assert d is not None and (d.module_id, d.variant) == ("cz-missed-dose", "full")
