"""`psp content validate`: everything that would stop approved words from reaching a patient intact.

Each problem names the file and the field, so a content manager can fix it without reading code. Errors
block a release (expired or unreviewed text, a missing translation, a broken reference, an SMS that would
cost more than its budget, an untranslated prompt); warnings are things to act on soon (expiry within
EXPIRY_WARNING_DAYS).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from bot.core.programs import Program, ProgramError, normalise_code, parse_program, read_program_file
from bot.learn.catalogs import check_catalogs
from bot.learn.modules import (
    KNOWN_PLACEHOLDERS,
    PLACEHOLDER,
    ContentError,
    Module,
    Translation,
    fill_placeholders,
    group_modules,
    module_files,
    read_translation,
)
from bot.learn.problem import Problem, Severity, describe_difference
from bot.learn.smscount import count_sms

__all__ = ["Problem", "Severity", "check_catalogs", "validate_content"]

EXPIRY_WARNING_DAYS = 30
_MD_LINK = re.compile(r"\]\(([^)\s]+)[^)]*\)")
_BARE_URL = re.compile(r"(?<![(\w])(?:https?://|mailto:|tel:)[^\s)>\]]+")


def validate_content(content_dir: Path, locales_dir: Path, today: date) -> list[Problem]:
    """Every problem in the programs, modules and catalogs, sorted by file and field."""
    problems: list[Problem] = []
    programs = _check_programs(content_dir, problems)
    modules = _read_modules(content_dir, problems)
    for program, path in programs.values():
        _check_journey(program, path, modules, problems)
    for module in modules.values():
        _check_module(module, {pid: p for pid, (p, _) in programs.items()}, content_dir, today, problems)
    languages = sorted({lang for p, _ in programs.values() for lang in p.languages})
    problems.extend(check_catalogs(locales_dir, languages))
    return sorted(problems, key=lambda p: (p.file, p.field, p.severity, p.message))


# --- programs ---------------------------------------------------------------------------------------------


def _check_programs(content_dir: Path, problems: list[Problem]) -> dict[str, tuple[Program, str]]:
    """Programs that parse, by id, with their file; parse errors, duplicate ids and codes become problems."""
    programs: dict[str, tuple[Program, str]] = {}
    codes: dict[str, str] = {}
    paths = sorted((content_dir / "programs").glob("*.yaml"))
    if not paths:
        problems.append(Problem("error", str(content_dir / "programs"), "", "no program definitions found"))
    for path in paths:
        file = str(path)
        try:
            program = parse_program(read_program_file(path), file)
        except ProgramError as exc:
            problems.append(Problem("error", exc.file or file, exc.field, exc.detail))
            continue
        if program.id in programs:
            problems.append(
                Problem(
                    "error",
                    file,
                    "id",
                    f"program id '{program.id}' is also used by {programs[program.id][1]}",
                )
            )
            continue
        for code in program.enrolment_codes:
            key = normalise_code(code)
            if key in codes:
                problems.append(
                    Problem("error", file, "enrolment_codes", f"'{code}' is also used by '{codes[key]}'")
                )
            codes[key] = program.id
        programs[program.id] = (program, file)
    return programs


def _check_journey(program: Program, file: str, modules: dict[str, Module], problems: list[Problem]) -> None:
    last_day = -1
    for i, step in enumerate(program.journey):
        field = f"journey[{i}]"
        module = modules.get(step.module)
        if module is None:
            problems.append(
                Problem("error", file, f"{field}.module", f"no module '{step.module}' in content/modules")
            )
        elif program.id not in module.programs:
            problems.append(
                Problem(
                    "error",
                    file,
                    f"{field}.module",
                    f"module '{step.module}' is not approved for '{program.id}' (its programs: "
                    f"{', '.join(module.programs)})",
                )
            )
        elif module.reference.demo and not program.demo:
            problems.append(
                Problem(
                    "error", file, f"{field}.module", f"'{step.module}' is demo material in a real program"
                )
            )
        target = step.trigger_module
        if target is not None:
            watched = modules.get(target)
            if watched is None:
                problems.append(
                    Problem("error", file, f"{field}.after", f"no module '{target}' in content/modules")
                )
            elif not watched.has_quiz:
                problems.append(Problem("error", file, f"{field}.after", f"module '{target}' has no quiz"))
        if step.day is not None:
            if step.day < last_day:
                problems.append(
                    Problem(
                        "warning",
                        file,
                        f"{field}.day",
                        f"day {step.day} comes after day {last_day}; steps are sent in journey order",
                    )
                )
            last_day = max(last_day, step.day)


# --- modules ----------------------------------------------------------------------------------------------


def _read_modules(content_dir: Path, problems: list[Problem]) -> dict[str, Module]:
    """The modules whose files parse; each file that does not becomes a problem."""
    translations: list[Translation] = []
    for path in module_files(content_dir):
        try:
            translations.append(read_translation(path))
        except ContentError as exc:
            problems.append(Problem("error", exc.file, exc.field, exc.detail))
    return group_modules(translations)


def _used(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _links(text: str) -> set[str]:
    return set(_MD_LINK.findall(text)) | set(_BARE_URL.findall(text))


def _texts(t: Translation) -> Iterable[str]:
    yield t.title
    yield t.sms
    yield t.body
    if t.quiz:
        yield t.quiz.question
        yield t.quiz.explanation
        yield from t.quiz.options


def _check_module(
    module: Module, programs: dict[str, Program], content_dir: Path, today: date, problems: list[Problem]
) -> None:
    ref = module.reference
    mine = [p for pid, p in programs.items() if pid in module.programs]
    for t in module.translations:
        _check_references(t, programs, problems)
        _check_approval(t, today, problems)
        _check_placeholders(t, mine, problems)
        _check_sms(t, mine, problems)
        if t is not ref:
            _check_against_reference(t, ref, problems)
    needed: dict[str, list[str]] = {}
    for program in mine:
        for lang in program.languages:
            needed.setdefault(lang, []).append(program.id)
    folder = str(content_dir / "modules" / module.id)
    for lang, pids in needed.items():
        if module.translation(lang) is None:
            problems.append(
                Problem(
                    "error",
                    f"{folder}/{lang}.md",
                    "language",
                    f"missing '{lang}' translation (needed by {', '.join(pids)})",
                )
            )


def _check_references(t: Translation, programs: dict[str, Program], problems: list[Problem]) -> None:
    for pid in t.programs:
        if pid not in programs:
            problems.append(Problem("error", t.path, "programs", f"no program '{pid}' in content/programs"))
    # `related` is checked against the module folders that exist on disk.
    modules_dir = Path(t.path).parent.parent
    for rid in t.related:
        if not (modules_dir / rid).is_dir():
            problems.append(Problem("error", t.path, "related", f"no module '{rid}' in content/modules"))
        elif rid == t.module_id:
            problems.append(Problem("error", t.path, "related", "a module cannot be related to itself"))


def _check_approval(t: Translation, today: date, problems: list[Problem]) -> None:
    a = t.approval
    if a is None or not a.reference:
        problems.append(
            Problem(
                "error",
                t.path,
                "approval.reference",
                "missing approval reference: this text has not passed review",
            )
        )
        return
    if a.approved_on is None:
        problems.append(Problem("error", t.path, "approval.approved_on", "missing approval date"))
    elif a.approved_on > today:
        problems.append(
            Problem(
                "warning",
                t.path,
                "approval.approved_on",
                f"approval only takes effect on {a.approved_on.isoformat()}; not served before",
            )
        )
    if a.expires_on is None:
        problems.append(Problem("error", t.path, "approval.expires_on", "missing expiry date"))
    elif a.expires_on < today:
        problems.append(
            Problem(
                "error",
                t.path,
                "approval.expires_on",
                f"expired on {a.expires_on.isoformat()}; it is not served",
            )
        )
    elif (a.expires_on - today).days <= EXPIRY_WARNING_DAYS:
        days = (a.expires_on - today).days
        problems.append(
            Problem(
                "warning",
                t.path,
                "approval.expires_on",
                f"expires on {a.expires_on.isoformat()} (in {days} days): renew the review",
            )
        )


def _check_placeholders(t: Translation, programs: list[Program], problems: list[Problem]) -> None:
    used: set[str] = set()
    for text in _texts(t):
        used |= _used(text)
    declared = set(t.placeholders)
    for name in sorted(used - declared):
        problems.append(Problem("error", t.path, "placeholders", f"{{{name}}} is used but not declared"))
    for name in sorted(declared - set(KNOWN_PLACEHOLDERS)):
        problems.append(
            Problem(
                "error",
                t.path,
                "placeholders",
                f"{{{name}}} is not a known placeholder ({', '.join(KNOWN_PLACEHOLDERS)})",
            )
        )
    if "support_phone" in used:
        for program in programs:
            if not program.support_contact(None):
                problems.append(
                    Problem(
                        "error",
                        t.path,
                        "placeholders",
                        f"{{support_phone}} is used but '{program.id}' has no default support_phone",
                    )
                )


def _longest_values(programs: list[Program]) -> dict[str, str]:
    """For each placeholder, the longest value any patient of these programs could get (worst-case SMS)."""
    candidates: dict[str, list[str]] = {name: [] for name in KNOWN_PLACEHOLDERS}
    for p in programs:
        candidates["support_phone"] += list(p.support_phone.values())
        candidates["emergency_number"] += list(p.emergency_numbers.values()) or ["112"]
        candidates["brand"].append(p.product.brand)
        candidates["active_ingredient"].append(p.product.active_ingredient)
        candidates["program_name"].append(p.name)
    return {k: max(v, key=lambda s: count_sms(s).units) for k, v in candidates.items() if v}


def _check_sms(t: Translation, programs: list[Program], problems: list[Problem]) -> None:
    budget = min((p.sms_segment_budget for p in programs), default=2)
    text = fill_placeholders(t.sms, _longest_values(programs))
    count = count_sms(text)
    if count.segments > budget:
        problems.append(
            Problem(
                "error",
                t.path,
                "sms",
                f"{count.segments} segments ({count.encoding}, {count.units} characters with placeholders "
                f"filled); "
                f"the budget is {budget}",
            )
        )


# Over 60 lines on purpose: one check per field a translation shares with its reference file.
def _check_against_reference(t: Translation, ref: Translation, problems: list[Problem]) -> None:
    for name in ("programs", "stage", "related"):
        if getattr(t, name) != getattr(ref, name):
            problems.append(
                Problem("error", t.path, name, f"differs from the '{ref.lang}' file ({getattr(ref, name)!r})")
            )
    if set(t.placeholders) != set(ref.placeholders):
        problems.append(
            Problem(
                "error",
                t.path,
                "placeholders",
                describe_difference(
                    "declared placeholders", set(ref.placeholders), set(t.placeholders), ref.lang
                ),
            )
        )
    for name, mine, theirs in (
        ("sms", t.sms, ref.sms),
        ("body", t.body, ref.body),
        ("title", t.title, ref.title),
    ):
        if _used(mine) != _used(theirs):
            problems.append(
                Problem(
                    "error",
                    t.path,
                    name,
                    describe_difference("placeholders", _used(theirs), _used(mine), ref.lang),
                )
            )
    if _links(t.body) != _links(ref.body):
        problems.append(
            Problem(
                "error",
                t.path,
                "body",
                describe_difference("links", _links(ref.body), _links(t.body), ref.lang),
            )
        )
    if (t.quiz is None) != (ref.quiz is None):
        problems.append(
            Problem("error", t.path, "quiz", f"the '{ref.lang}' file {'has' if ref.quiz else 'has no'} quiz")
        )
    elif t.quiz and ref.quiz:
        if len(t.quiz.options) != len(ref.quiz.options):
            problems.append(
                Problem(
                    "error",
                    t.path,
                    "quiz.options",
                    f"{len(t.quiz.options)} answers; the '{ref.lang}' file has {len(ref.quiz.options)}",
                )
            )
        if t.quiz.correct != ref.quiz.correct:
            problems.append(
                Problem(
                    "error",
                    t.path,
                    "quiz.correct",
                    f"answer {t.quiz.correct} is marked correct; the '{ref.lang}' file says "
                    f"{ref.quiz.correct}",
                )
            )
