"""Checks of the gettext catalogs (`locales/<lang>/LC_MESSAGES/messages.po`) that hold the bot's prompts.

A prompt that is untranslated or fuzzy would reach a patient in the wrong language or unreviewed; one whose
placeholders differ from English would fail or leak `{braces}` at render time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from bot.learn.problem import Problem, describe_difference

_CATALOG_VAR = re.compile(r"\{(\w+)\}|%\((\w+)\)[sdfr]")


def _catalog_vars(strings: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for s in strings:
        for a, b in _CATALOG_VAR.findall(s):
            found.add(a or b)
    return found


SOURCE_LANGUAGE = "en"  # msgids are English sentences, reviewed as the source text


def _forms(string: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if string is None:
        return ("",)
    return (string,) if isinstance(string, str) else tuple(string)


def check_catalogs(locales_dir: Path, languages: Iterable[str]) -> list[Problem]:
    """Untranslated, fuzzy, missing or placeholder-mismatched entries in every catalog of `locales/`.

    Each language has `messages.po` and may have one catalog per feature (`reminders.po`, ...); each domain is
    checked across the languages on its own. A locales directory with no catalog at all is not checked."""
    languages = list(languages)
    domains = sorted({p.stem for p in locales_dir.glob("*/LC_MESSAGES/*.po")}) if locales_dir.is_dir() else []
    problems: list[Problem] = []
    for domain in domains:
        problems += _check_domain(locales_dir, languages, domain)
    return problems


# Over 60 lines on purpose: one pass over a gettext domain that reports every kind of problem it finds.
def _check_domain(locales_dir: Path, languages: list[str], domain: str) -> list[Problem]:
    paths = sorted(locales_dir.glob(f"*/LC_MESSAGES/{domain}.po"))
    problems: list[Problem] = []
    catalogs: dict[str, tuple[Catalog, str]] = {}
    for path in paths:
        lang = path.parent.parent.name
        try:
            with path.open("rb") as fh:
                catalogs[lang] = (read_po(fh, locale=lang, abort_invalid=True), str(path))
        except (PoFileError, UnknownLocaleError, ValueError, UnicodeDecodeError) as exc:
            problems.append(Problem("error", str(path), "", f"cannot be read: {exc}"))
    for lang in languages:
        if lang not in catalogs and not (locales_dir / lang / "LC_MESSAGES" / f"{domain}.po").exists():
            problems.append(
                Problem(
                    "error",
                    str(locales_dir / lang / "LC_MESSAGES" / f"{domain}.po"),
                    "",
                    f"missing catalog for '{lang}'",
                )
            )
    holders: dict[str, set[str]] = {}
    for lang, (c, _) in catalogs.items():
        for m in c:
            if m.id:
                holders.setdefault(m.id if isinstance(m.id, str) else m.id[0], set()).add(lang)
    reference = catalogs.get("en")
    for lang, (catalog, file) in catalogs.items():
        if catalog.fuzzy:
            problems.append(
                Problem("error", file, "header", "the catalog is marked fuzzy: it would not be compiled")
            )
        present = set()
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            present.add(key)
            where = f"{file}:{message.lineno}"
            forms = _forms(message.string)
            if message.fuzzy:
                problems.append(Problem("error", where, key, "fuzzy: needs review before it can be shown"))
            if any(not f.strip() for f in forms):
                if lang == SOURCE_LANGUAGE:
                    continue  # the msgid is the English text itself: gettext shows it as written
                problems.append(Problem("error", where, key, "untranslated"))
                continue
            if reference is None or lang == "en":
                continue
            ref_message = reference[0].get(message.id)
            if ref_message is None or not all(f.strip() for f in _forms(ref_message.string)):
                continue
            ref_vars = _catalog_vars(_forms(ref_message.string))
            my_vars = _catalog_vars(forms)
            if message.pluralizable:
                if my_vars - ref_vars:  # a plural form may leave the number out, never add a variable
                    problems.append(
                        Problem(
                            "error", where, key, describe_difference("placeholders", ref_vars, my_vars, "en")
                        )
                    )
            elif my_vars != ref_vars:
                problems.append(
                    Problem("error", where, key, describe_difference("placeholders", ref_vars, my_vars, "en"))
                )
        for key in sorted(set(holders) - present):
            problems.append(
                Problem("error", file, key, f"missing entry (present in {', '.join(sorted(holders[key]))})")
            )
    return problems
