"""Catalog checks: a bot prompt that is untranslated, fuzzy or has the wrong placeholders never ships."""

from __future__ import annotations

from pathlib import Path

from bot.learn.validate import Problem, check_catalogs, validate_content
from tests.content.helpers import REPO, TODAY

FIXTURES = Path(__file__).parent / "fixtures"


def found(problems: list[Problem]) -> set[tuple[str, str, str]]:
    """(language, field, message) for each problem; the language is the catalog's folder."""
    out = set()
    for p in problems:
        lang = Path(p.file.split(":")[0]).parent.parent.name
        out.add((lang, p.field, p.message))
    return out


def test_complete_catalogs_pass_including_arabic_plural_forms_without_the_number() -> None:
    assert check_catalogs(FIXTURES / "locales_good", ["en", "es", "ar"]) == []


def test_every_catalog_mistake_is_reported_with_the_entry() -> None:
    problems = check_catalogs(FIXTURES / "locales_bad", ["en", "es", "fr", "ar"])
    assert all(p.severity == "error" for p in problems)
    assert found(problems) == {
        ("es", "reminder.dose", "placeholders differ from the 'en' text: missing brand, time; extra marca"),
        ("es", "menu.learn", "fuzzy: needs review before it can be shown"),
        ("es", "refill.days_left", "untranslated"),
        ("es", "stop.confirm", "missing entry (present in ar, en, fr)"),
        ("fr", "header", "the catalog is marked fuzzy: it would not be compiled"),
        ("fr", "menu.learn", "untranslated"),
        ("ar", "refill.days_left", "placeholders differ from the 'en' text: extra date"),
    }


def test_entries_are_located_by_line_so_an_editor_can_jump_there() -> None:
    problems = check_catalogs(FIXTURES / "locales_bad", ["es"])
    fuzzy = next(p for p in problems if p.field == "menu.learn" and "fuzzy" in p.message)
    assert fuzzy.file.endswith("locales_bad/es/LC_MESSAGES/messages.po:15")  # the msgid line


def test_a_program_language_without_a_catalog_is_reported() -> None:
    problems = validate_content(REPO / "content", FIXTURES / "locales_good", TODAY)
    assert found(problems) == {(lang, "", f"missing catalog for '{lang}'") for lang in ("fr", "de", "pt")}


def test_a_locales_folder_without_catalogs_is_not_checked(tmp_path: Path) -> None:
    assert check_catalogs(tmp_path, ["en"]) == []
    assert check_catalogs(tmp_path / "absent", ["en"]) == []


def test_an_unreadable_catalog_is_an_error(tmp_path: Path) -> None:
    po = tmp_path / "de" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "a"\nmsgstr "b"\nmsgid\n', encoding="utf-8")
    problems = check_catalogs(tmp_path, ["de"])
    assert [(p.severity, p.file) for p in problems] == [("error", str(po))]
    assert "cannot be read" in problems[0].message
