"""What a patient reads in every language: every prompt translated, the values we fill in kept, the keywords
we tell them to send understood by the bot, and the examples we give accepted when typed back."""

from __future__ import annotations

import re
import string
from gettext import c2py

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot import i18n
from bot.config import DEFAULT_LOCALES_DIR
from bot.core import menu
from bot.core.keywords import GLOBAL_KEYWORDS, SMALL_WORDS, lexicons
from bot.core.options import match_option
from bot.core.text import fold
from bot.core.times import parse_local_time
from bot.enrolment import rules as enrolment

LOCALES = DEFAULT_LOCALES_DIR
LANGS = tuple(i18n.LANGUAGES)


def _read(path: str, locale: str | None = None) -> Catalog:
    with (LOCALES / path).open("rb") as fh:
        return read_po(fh, locale=locale)


TEMPLATE = _read("messages.pot")
ENTRIES: list[Message] = [m for m in TEMPLATE if m.id]
CATALOGS = {lang: _read(f"{lang}/LC_MESSAGES/messages.po", lang) for lang in LANGS}

CONSENT = (
    "Before we start: this program sends you reminders and information about your treatment, and stores "
    "your messages to support you. Anything you tell us about side effects is passed to the drug safety team "
    "as the law requires. You can stop at any time by sending STOP. Do you agree?"
)
CONSENT_HELP = (
    "Answer yes if you agree to join the program, or no if you do not. Nothing is sent if you say no."
)
SERIOUS = (
    "This may need urgent medical attention. Please call {number} or go to the nearest emergency department "
    "now. We have passed your message to our drug safety team."
)
PLACE_NOT_FOUND = "I could not find that place. Please type a large city near you, for example Madrid."

# The words a patient reads, per language.
AGREE_QUESTION = {
    "en": "agree",
    "es": "acuerdo",
    "fr": "d'accord",
    "de": "einverstanden",
    "pt": "concorda",
    "ar": "توافقون",
}
YES_NO = {
    "en": ("yes", "no"),
    "es": ("sí", "no"),
    "fr": ("oui", "non"),
    "de": ("Ja", "Nein"),
    "pt": ("sim", "não"),
    "ar": ("نعم", "لا"),
}
EXAMPLE_CITY = {
    "en": "Madrid",
    "es": "Madrid",
    "fr": "Paris",
    "de": "Berlin",
    "pt": "São Paulo",
    "ar": "Cairo",
}

_CODE = re.compile(r"\b[A-Z0-9]+(?:-[A-Z0-9]+)+\b")  # e.g. DEMO-CZ-2026
_UPPER_WORD = re.compile(r"\b[A-ZÀ-ÖØ-Þ]{2,}\b")  # keywords in Latin script: MENU, ARRET, STOPP
_QUOTED = re.compile(r"«([^»]+)»")  # keywords in Arabic script: «توقف»
_TIME = re.compile(r"(?<![\w:-])\d{1,2}(?:[:h]\d{2}|h)(?![\w:])")  # 8:30, 21h30, 20h


def _forms(message: Message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, tuple | list) else (message.string,)


def _ids(message: Message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, tuple | list) else (message.id,)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _keyword_kind(token: str, lang: str) -> str | None:
    folded = fold(token)
    for source in (lang, "en"):
        for kind in GLOBAL_KEYWORDS + SMALL_WORDS:
            if folded in lexicons()[source].words[kind]:
                return kind
    return None


def _keyword_tokens(text: str) -> list[str]:
    text = _CODE.sub(" ", text)
    return _UPPER_WORD.findall(text) + _QUOTED.findall(text)


@pytest.fixture(scope="module", autouse=True)
def _catalogs_from_this_tree() -> None:
    i18n.configure(LOCALES)


def test_template_has_the_bot_prompts() -> None:
    assert len(ENTRIES) >= 40
    assert CONSENT in {m.id for m in ENTRIES}


@pytest.mark.parametrize("lang", LANGS)
def test_every_prompt_is_translated_and_none_is_fuzzy(lang: str) -> None:
    catalog = CATALOGS[lang]
    assert not catalog.fuzzy, f"{lang}: the catalog header is marked fuzzy"
    problems = []
    for entry in ENTRIES:
        message = catalog.get(entry.id)
        if message is None:
            problems.append(f"missing: {entry.id!r}")
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {entry.id!r}")
        forms = _forms(message)
        if not all(forms):
            problems.append(f"untranslated: {entry.id!r}")
        if entry.pluralizable and len(forms) != catalog.num_plurals:
            problems.append(f"{len(forms)} of {catalog.num_plurals} plural forms: {entry.id!r}")
    assert problems == []


def test_english_catalog_repeats_the_source_text() -> None:
    for entry in ENTRIES:
        assert _forms(CATALOGS["en"][entry.id]) == _ids(entry)


@pytest.mark.parametrize("lang", LANGS)
def test_values_filled_in_are_kept_in_every_translation(lang: str) -> None:
    problems = []
    for entry in ENTRIES:
        wanted = set().union(*(_placeholders(i) for i in _ids(entry)))
        for form in _forms(CATALOGS[lang][entry.id]):
            found = _placeholders(form)
            # A plural form may leave out {n} ("one day"), nothing else.
            if not (wanted - {"n"} <= found <= wanted):
                problems.append(f"{entry.id!r}: {sorted(found)} instead of {sorted(wanted)}")
            form.format(**{name: "X" for name in found})  # no stray braces
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_bot_sends_the_catalog_translation(lang: str) -> None:
    for entry in ENTRIES:
        if not entry.pluralizable:
            assert i18n.t(lang, entry.id) == CATALOGS[lang][entry.id].string
    assert AGREE_QUESTION[lang] in i18n.t(lang, CONSENT)
    if lang != "en":
        assert i18n.t(lang, CONSENT) != CONSENT


@pytest.mark.parametrize("lang", LANGS)
def test_urgent_safety_advice_names_the_emergency_number(lang: str) -> None:
    text = i18n.t(lang, SERIOUS, number="112")
    assert "112" in text
    assert "{" not in text


def test_arabic_catalog_has_six_reachable_plural_forms() -> None:
    catalog = CATALOGS["ar"]
    header = (LOCALES / "ar" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "nplurals=6;" in header
    assert catalog.num_plurals == 6
    plural = c2py(catalog.plural_expr)
    assert {plural(n) for n in (0, 1, 2, 3, 11, 100)} == set(range(6))


@pytest.mark.parametrize("lang", LANGS)
def test_keywords_patients_are_told_to_send_are_understood(lang: str) -> None:
    problems = []
    for entry in ENTRIES:
        told = {_keyword_kind(w, "en") for i in _ids(entry) for w in _keyword_tokens(i)} & set(
            GLOBAL_KEYWORDS
        )
        for form in _forms(CATALOGS[lang][entry.id]):
            tokens = _keyword_tokens(form)
            unknown = [w for w in tokens if _keyword_kind(w, lang) is None]
            kinds = {_keyword_kind(w, lang) for w in tokens} & set(GLOBAL_KEYWORDS)
            if unknown or kinds != told:
                problems.append(
                    f"{form!r}: keywords {sorted(kinds)} (wanted {sorted(told)}), unknown {unknown}"
                )
    assert problems == []


@pytest.mark.parametrize("lang", LANGS)
def test_buttons_typed_as_text_choose_that_button(lang: str) -> None:
    suggested = enrolment.Context(lang, {}, suggested_timezone="Europe/Madrid")
    for options in (
        enrolment.ask_consent(lang).options,
        enrolment.ask_timezone(suggested, lang).options,
        menu.menu_options(lang),
    ):
        for option in options:
            assert match_option(option.label, None, options, lang) == option.key
            assert match_option(fold(option.label), None, options, lang) == option.key


@pytest.mark.parametrize("lang", LANGS)
def test_consent_help_words_yes_and_no_answer_the_consent_question(lang: str) -> None:
    yes, no = YES_NO[lang]
    help_text = i18n.t(lang, CONSENT_HELP)
    assert yes in help_text and no in help_text
    options = enrolment.ask_consent(lang).options
    assert match_option(yes, None, options, lang) == "consent:yes"
    assert match_option(no, None, options, lang) == "consent:no"


@pytest.mark.parametrize("lang", LANGS)
def test_examples_we_give_work_when_typed(lang: str) -> None:
    for entry in ENTRIES:
        times_in_source = _TIME.findall(" ".join(_ids(entry)))
        for form in _forms(CATALOGS[lang][entry.id]):
            times = _TIME.findall(form)
            assert len(times) == len(times_in_source), form
            assert all(parse_local_time(t) for t in times), form
            for code in _CODE.findall(" ".join(_ids(entry))):
                assert code in form
    city = EXAMPLE_CITY[lang]
    assert city in i18n.t(lang, PLACE_NOT_FOUND)
    assert enrolment.parse_timezone(city) is not None


def _prompts_in_the_code() -> dict[str, str]:
    """Every msgid the code passes to t() / tn(), as `pybabel extract -k t:2 -k tn:2,3` finds it."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    root = LOCALES.parent
    with (root / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found: dict[str, str] = {}
    keywords = {"t": (2,), "tn": (2, 3)}
    for filename, lineno, message, _, _ in extract_from_dir(root, method_map, options_map, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple | list) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def test_every_prompt_the_code_sends_is_in_every_language() -> None:
    """The catalogs are the one source of truth: a prompt missing from one reaches that patient in English."""
    prompts = _prompts_in_the_code()
    assert len(prompts) >= 100
    for lang in LANGS:
        translations = i18n._translations(lang)
        missing = {
            msgid: where
            for msgid, where in prompts.items()
            if lang != "en" and translations.gettext(msgid) == msgid and msgid not in UNTRANSLATED_ON_PURPOSE
        }
        assert missing == {}, f"{lang}: prompts with no translation"


def test_every_catalog_is_complete_and_keeps_its_placeholders() -> None:
    """Every domain (messages, reminders, learn, pv, sms, telegram, ...) in every language: translated, not
    fuzzy, present in each language, with the same {placeholders} as English (as `psp content validate`)."""
    from bot.learn.catalogs import check_catalogs

    assert check_catalogs(LOCALES, LANGS) == []


# Msgids whose translation may equal the English text (names and symbols that read the same).
UNTRANSLATED_ON_PURPOSE: frozenset[str] = frozenset()
