"""`validate_content` on the shipped content and on broken copies of it.

Each case breaks one thing the way a content manager might, and checks the problem is reported with the
file and field a person would open to fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.learn.validate import Problem, validate_content
from tests.content.helpers import REPO, TODAY


def edit(path: Path, old: str, new: str, *, last: bool = False) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    if last:
        head, _, tail = text.rpartition(old)
        text = head + new + tail
    else:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def mod(root: Path, module_id: str, lang: str) -> Path:
    return root / "modules" / module_id / f"{lang}.md"


def prog(root: Path, program_id: str) -> Path:
    return root / "programs" / f"{program_id}.yaml"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def test_the_shipped_content_has_no_problem(no_locales: Path) -> None:
    assert validate_content(REPO / "content", no_locales, TODAY) == []


def test_the_shipped_content_with_the_real_catalogs_if_there_are_any() -> None:
    locales = REPO / "locales"
    if not any(locales.glob("*/LC_MESSAGES/messages.po")):
        pytest.skip("the real catalogs are not in this tree yet")
    assert errors(validate_content(REPO / "content", locales, TODAY)) == []


Breaker = Callable[[Path], None]
CASES: list[tuple[str, Breaker, str, str, str, str]] = [
    # (case, break it, severity, file ends with, field, words in the message)
    (
        "missing translation",
        lambda c: mod(c, "cz-missed-dose", "pt").unlink(),
        "error",
        "modules/cz-missed-dose/pt.md",
        "language",
        "missing 'pt' translation (needed by cardiozen-daily)",
    ),
    (
        "placeholder dropped in a translation",
        lambda c: edit(mod(c, "psp-refills", "fr"), "{support_phone}", "le service patients", last=True),
        "error",
        "modules/psp-refills/fr.md",
        "body",
        "placeholders differ from the 'en' text: missing support_phone",
    ),
    (
        "placeholder used but not declared",
        lambda c: edit(mod(c, "cz-how-to-take", "es"), "ayuda.", "ayuda. Urgencias: {emergency_number}."),
        "error",
        "modules/cz-how-to-take/es.md",
        "placeholders",
        "{emergency_number} is used but not declared",
    ),
    (
        "unknown placeholder",
        lambda c: edit(
            mod(c, "psp-welcome", "en"),
            "placeholders: [brand, support_phone]",
            "placeholders: [brand, support_phone, clinic]",
        ),
        "error",
        "modules/psp-welcome/en.md",
        "placeholders",
        "{clinic} is not a known placeholder",
    ),
    (
        "link changed in a translation",
        lambda c: edit(mod(c, "psp-reporting-side-effects", "de"), "psp-demo/reporting", "psp-demo/meldung"),
        "error",
        "modules/psp-reporting-side-effects/de.md",
        "body",
        "links differ from the 'en' text: missing https://example.org/psp-demo/reporting",
    ),
    (
        "journey points at no module",
        lambda c: edit(
            prog(c, "cardiozen-daily"), "cz-blood-pressure-basics, day: 8", "cz-blood-pressure, day: 8"
        ),
        "error",
        "programs/cardiozen-daily.yaml",
        "journey[4].module",
        "no module 'cz-blood-pressure'",
    ),
    (
        "journey points at another program's module",
        lambda c: edit(prog(c, "ostelix-weekly"), "ox-missed-injection, day: 10", "cz-missed-dose, day: 10"),
        "error",
        "programs/ostelix-weekly.yaml",
        "journey[4].module",
        "'cz-missed-dose' is not approved for 'ostelix-weekly'",
    ),
    (
        "remedial rule watches a module without a quiz",
        lambda c: edit(prog(c, "cardiozen-daily"), "quiz_wrong:cz-missed-dose", "quiz_wrong:psp-refills"),
        "error",
        "programs/cardiozen-daily.yaml",
        "journey[8].after",
        "module 'psp-refills' has no quiz",
    ),
    (
        "related points at no module",
        lambda c: edit(
            mod(c, "cz-missed-dose", "en"), "related: [cz-how-to-take]", "related: [cz-how-to-tak]"
        ),
        "error",
        "modules/cz-missed-dose/en.md",
        "related",
        "no module 'cz-how-to-tak'",
    ),
    (
        "module names no program",
        lambda c: edit(
            mod(c, "ox-storing-pens", "es"),
            "programs: [ostelix-weekly]",
            "programs: [ostelix-weekly, ostelix-daily]",
        ),
        "error",
        "modules/ox-storing-pens/es.md",
        "programs",
        "no program 'ostelix-daily'",
    ),
    (
        "Spanish SMS over budget",
        lambda c: edit(
            mod(c, "cz-how-to-take", "es"),
            'aunque se encuentre bien."',
            'aunque se encuentre bien, todos los días."',
        ),
        "error",
        "modules/cz-how-to-take/es.md",
        "sms",
        "3 segments (UCS-2",
    ),
    (
        "one curly apostrophe makes English SMS UCS-2",
        lambda c: edit(mod(c, "cz-how-to-take", "en"), "Keep taking it", "Don’t stop: keep taking it"),
        "error",
        "modules/cz-how-to-take/en.md",
        "sms",
        "3 segments (UCS-2",
    ),
    (
        "placeholder values count towards the budget",
        lambda c: edit(
            prog(c, "ostelix-weekly"),
            'default: "+1 555 0199"',
            'default: "+1 555 0199 (Monday to Friday, 9:00 to 17:00)"',
        ),
        "error",
        "modules/ox-missed-injection/es.md",
        "sms",
        "the budget is 2",
    ),
    (
        "expired approval",
        lambda c: edit(mod(c, "psp-welcome", "ar"), "expires_on: 2027-12-31", "expires_on: 2026-11-01"),
        "error",
        "modules/psp-welcome/ar.md",
        "approval.expires_on",
        "expired on 2026-11-01",
    ),
    (
        "approval expiring within 30 days",
        lambda c: edit(mod(c, "psp-welcome", "de"), "expires_on: 2027-12-31", "expires_on: 2026-12-10"),
        "warning",
        "modules/psp-welcome/de.md",
        "approval.expires_on",
        "expires on 2026-12-10 (in 15 days)",
    ),
    (
        "no approval reference",
        lambda c: edit(mod(c, "ox-missed-injection", "fr"), "  reference: DEMO-MLR-2026-013-FR\n", ""),
        "error",
        "modules/ox-missed-injection/fr.md",
        "approval.reference",
        "missing approval reference",
    ),
    (
        "no approval at all",
        lambda c: edit(
            mod(c, "ox-missed-injection", "pt"),
            "approval:\n  reference: DEMO-MLR-2026-013-PT\n  approved_on: 2026-03-16\n  expires_on: "
            "2027-12-31\n",
            "",
        ),
        "error",
        "modules/ox-missed-injection/pt.md",
        "approval.reference",
        "has not passed review",
    ),
    (
        "approval not yet in effect",
        lambda c: edit(mod(c, "psp-refills", "es"), "approved_on: 2026-03-16", "approved_on: 2026-12-01"),
        "warning",
        "modules/psp-refills/es.md",
        "approval.approved_on",
        "approval only takes effect on 2026-12-01",
    ),
    (
        "demo module in a real program",
        lambda c: edit(prog(c, "ostelix-weekly"), "demo: true", "demo: false"),
        "error",
        "programs/ostelix-weekly.yaml",
        "journey[1].module",
        "'ox-using-the-pen' is demo material in a real program",
    ),
    (
        "support phone placeholder without a default number",
        lambda c: edit(prog(c, "ostelix-weekly"), '  default: "+1 555 0199"\n', ""),
        "error",
        "modules/psp-welcome/en.md",
        "placeholders",
        "{support_phone} is used but 'ostelix-weekly' has no default support_phone",
    ),
    (
        "quiz answer differs between translations",
        lambda c: edit(mod(c, "cz-missed-dose", "de"), "correct: 1", "correct: 0"),
        "error",
        "modules/cz-missed-dose/de.md",
        "quiz.correct",
        "answer 0 is marked correct; the 'en' file says 1",
    ),
    (
        "quiz answer out of range",
        lambda c: edit(mod(c, "ox-storing-pens", "fr"), "correct: 0", "correct: 3"),
        "error",
        "modules/ox-storing-pens/fr.md",
        "quiz.correct",
        "'3' is not the index of one of the 3 options",
    ),
    (
        "id does not match the folder",
        lambda c: edit(mod(c, "psp-refills", "pt"), "id: psp-refills", "id: psp-refill"),
        "error",
        "modules/psp-refills/pt.md",
        "id",
        "'psp-refill' does not match its directory 'psp-refills'",
    ),
    (
        "unknown stage",
        lambda c: edit(mod(c, "psp-refills", "de"), "stage: living_with", "stage: maintenance"),
        "error",
        "modules/psp-refills/de.md",
        "stage",
        "'maintenance' is not one of onboarding, understanding, living_with",
    ),
    (
        "broken front matter",
        lambda c: edit(mod(c, "psp-refills", "es"), "stage: living_with", "stage: [living_with"),
        "error",
        "modules/psp-refills/es.md",
        "",
        "front matter is not valid YAML",
    ),
    (
        "no SMS variant",
        lambda c: edit(mod(c, "cz-blood-pressure-basics", "fr"), "sms: ", "sms_text: "),
        "error",
        "modules/cz-blood-pressure-basics/fr.md",
        "sms",
        "missing",
    ),
    (
        "language file not supported",
        lambda c: mod(c, "psp-refills", "en").rename(mod(c, "psp-refills", "it")),
        "error",
        "modules/psp-refills/it.md",
        "language",
        "'it' is not a supported language",
    ),
    (
        "enrolment code used twice",
        lambda c: edit(prog(c, "ostelix-weekly"), "[DEMO-OX-2026]", "[DEMO-OX-2026, demo cz 2026]"),
        "error",
        "programs/ostelix-weekly.yaml",
        "enrolment_codes",
        "'demo cz 2026' is also used by 'cardiozen-daily'",
    ),
    (
        "program missing a field",
        lambda c: edit(prog(c, "ostelix-weekly"), "  active_ingredient: ostelimab\n", ""),
        "error",
        "programs/ostelix-weekly.yaml",
        "product.active_ingredient",
        "missing field 'active_ingredient'",
    ),
    (
        "program not valid YAML",
        lambda c: edit(prog(c, "ostelix-weekly"), "languages: [en,", "languages: [en,,]: ["),
        "error",
        "programs/ostelix-weekly.yaml",
        "",
        "not valid YAML",
    ),
]


@pytest.mark.parametrize(
    ("breaker", "severity", "file", "field", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_broken_copy_reports_the_file_and_field(
    content_copy: Path, no_locales: Path, breaker: Breaker, severity: str, file: str, field: str, words: str
) -> None:
    breaker(content_copy)
    problems = validate_content(content_copy, no_locales, TODAY)
    matching = [
        p
        for p in problems
        if p.severity == severity and p.file.endswith(file) and p.field == field and words in p.message
    ]
    assert matching, "\n".join(str(p) for p in problems) or "no problems reported"
    assert all(p.file.startswith(str(content_copy)) for p in problems)


def test_an_untouched_copy_is_clean(content_copy: Path, no_locales: Path) -> None:
    assert validate_content(content_copy, no_locales, TODAY) == []


def test_problems_come_sorted_by_file_and_field(content_copy: Path, no_locales: Path) -> None:
    edit(mod(content_copy, "psp-welcome", "ar"), "expires_on: 2027-12-31", "expires_on: 2026-11-01")
    mod(content_copy, "cz-missed-dose", "pt").unlink()
    problems = validate_content(content_copy, no_locales, TODAY)
    assert [p.file for p in problems] == sorted(p.file for p in problems)
    assert len(problems) == 2
