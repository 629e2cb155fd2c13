"""Fill the gettext catalogs in locales/<lang>/LC_MESSAGES/messages.po from the reviewed table in
locales/translations.yaml.

Why a script: the headers and the entry layout are Babel's (read_po/write_po), so a later
`pybabel update` merges cleanly; the words themselves are in translations.yaml, one block per source string
with every language side by side, so a reviewer can compare them.

Usage (from the repository root):
    python locales/fill_catalogs.py               # fill entries that are empty or fuzzy
    python locales/fill_catalogs.py --overwrite   # also replace translations that differ from the table
It prints every catalog entry the table does not cover yet and exits 1 when there is one.

Conventions for translators:
- Formal address: usted (es), vous (fr), Sie (de), você (pt); Arabic: Modern Standard Arabic, polite plural
  (أنتم), which is also gender-neutral.
- Keywords a patient must type are written as the bot's keyword lists accept them (bot/core/wordlists/*.yaml):
  es PARAR / EMPEZAR / MENU / AYUDA, fr ARRET / DEMARRER / MENU / AIDE, de STOPP / START / MENU / HILFE,
  pt PARAR / COMECAR / MENU / AJUDA, ar «توقف» / «ابدأ» / «القائمة» / «مساعدة»
  (STOP and START work everywhere).
- Straight apostrophes and no typographic spaces in Latin-script languages: an SMS stays in the GSM-7
  alphabet where the language allows it (cheaper, 160 characters a segment).
- Example times and cities are ones the bot understands when typed (see tests/test_catalogs.py).
- Plural entries: a list with one string per form, in the order of the catalog's Plural-Forms
  (Arabic: six forms).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

LOCALES_DIR = Path(__file__).resolve().parent
LANGS = ("en", "es", "fr", "de", "pt", "ar")

TEAMS = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "ar": "Arabic",
}

Translation = str | tuple[str, ...]

# msgid -> {lang: msgstr}, from locales/translations.yaml. English is the msgid itself and is not listed.
TRANSLATIONS: dict[str, dict[str, Translation]] = {
    msgid: {lang: tuple(text) if isinstance(text, list) else text for lang, text in by_lang.items()}
    for msgid, by_lang in yaml.safe_load(
        (LOCALES_DIR / "translations.yaml").read_text(encoding="utf-8")
    ).items()
}


def _is_empty(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not all(strings)


def _wanted(message: Message, lang: str) -> Translation | None:
    """The table's translation for one entry, or None when the table has none yet."""
    if lang == "en":
        return tuple(message.id) if message.pluralizable else str(message.id)
    entry = TRANSLATIONS.get(message.id if isinstance(message.id, str) else message.id[0], {})
    return entry.get(lang)


def _set_header(catalog: Catalog, lang: str) -> None:
    team = TEAMS[lang]
    catalog.fuzzy = False
    catalog.header_comment = (
        f"# {team} translations for psp-bot.\n"
        "# Copyright (C) 2026 the psp-bot contributors\n"
        "# This file is distributed under the same license as psp-bot (Apache-2.0).\n"
        "# Filled from locales/fill_catalogs.py; edit the table there and re-run it.\n"
        "#"
    )
    catalog.last_translator = "psp-bot translators"
    catalog.language_team = f"{team} (psp-bot translators)"
    catalog.revision_date = datetime.now(UTC).replace(microsecond=0)


def fill(lang: str, overwrite: bool = False) -> list[str]:
    """Fill one catalog in place; returns the msgids the table does not cover."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing: list[str] = []
    changed = False
    for message in catalog:
        if not message.id:
            continue
        wanted = _wanted(message, lang)
        if wanted is None:
            if _is_empty(message) or message.fuzzy:
                missing.append(str(message.id))
            continue
        if message.pluralizable:
            if not isinstance(wanted, tuple) or len(wanted) != catalog.num_plurals:
                raise SystemExit(f"{lang}: {message.id!r} needs {catalog.num_plurals} plural forms")
        elif not isinstance(wanted, str):
            raise SystemExit(f"{lang}: {message.id!r} is not a plural entry")
        current = tuple(message.string) if message.pluralizable else message.string
        if _is_empty(message) or message.fuzzy or (overwrite and current != wanted):
            message.string = wanted
            message.flags.discard("fuzzy")
            message.previous_id = []
            changed = True
    if changed or catalog.fuzzy:
        _set_header(catalog, lang)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=76, include_previous=True)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--overwrite", action="store_true", help="replace translations that differ from the table"
    )
    parser.add_argument("langs", nargs="*", default=list(LANGS))
    args = parser.parse_args(argv)
    status = 0
    for lang in args.langs:
        missing = fill(lang, overwrite=args.overwrite)
        for msgid in missing:
            print(f"{lang}: no translation yet for {msgid!r}", file=sys.stderr)
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
