"""How a patient's answer to a reminder is read: words in six languages, numbers, buttons (pure, tables)."""

from __future__ import annotations

import pytest

from bot.core.keywords import lexicons
from bot.core.messages import Option
from bot.core.text import fold
from bot.reminders import words


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("Taken", "en", "taken"),
        ("I took it!", "en", "taken"),
        ("taken, but I feel dizzy", "en", "taken"),
        ("I didn't take it", "en", "skipped"),
        ("not taken", "en", "skipped"),
        ("remind me later", "en", "snooze"),
        ("tomada", "es", "taken"),
        ("Ya la tomé", "es", "taken"),
        ("no la tomé", "es", "skipped"),
        ("más tarde", "es", "snooze"),
        ("Je l'ai prise", "fr", "taken"),
        ("pas pris", "fr", "skipped"),
        ("plus tard", "fr", "snooze"),
        ("genommen", "de", "taken"),
        ("nicht genommen", "de", "skipped"),
        ("später bitte", "de", "snooze"),
        ("tomei", "pt", "taken"),
        ("não tomei", "pt", "skipped"),
        ("mais tarde", "pt", "snooze"),
        ("أخذت", "ar", "taken"),
        ("أَخَذْتُ الدواء", "ar", "taken"),
        ("لم آخذ", "ar", "skipped"),
        ("لاحقاً", "ar", "snooze"),
        ("tomei", "en", "taken"),  # any language is understood, not only the patient's
        ("what is this medicine for?", "en", None),
        ("I have not", "en", None),
        ("", "en", None),
    ],
)
def test_answer_words_in_every_language(text: str, locale: str, expected: str | None) -> None:
    assert words.answer_word(text, locale) == expected


def test_no_answer_word_means_two_things_or_is_a_global_keyword() -> None:
    """An answer word must never also be STOP/START/HELP/MENU or another answer, in any language."""
    owner: dict[str, str] = {}
    for lang, kinds in words.answer_lexicon().items():
        for kind, phrases in kinds.items():
            assert phrases, f"{lang}: no {kind} words"
            for phrase in phrases:
                assert owner.setdefault(phrase, kind) == kind, (
                    f"{phrase!r} is both {owner[phrase]} and {kind}"
                )
    for lang, lex in lexicons().items():
        for keyword in ("stop", "start", "help", "menu"):
            clash = set(owner) & set(lex.words[keyword])
            assert not clash, f"{lang}: {clash} are also {keyword}"


DOSE = (
    Option("rem:7:taken", "Taken"),
    Option("rem:7:skipped", "Skipped"),
    Option("rem:7:snooze", "Remind me in 30 minutes"),
)


@pytest.mark.parametrize(
    ("text", "open_kinds", "expected"),
    [
        ("1", [(7, "dose")], words.Choice(7, "taken")),
        ("2", [(7, "dose")], words.Choice(7, "skipped")),
        ("3", [(7, "dose")], words.Choice(7, "snooze")),
        ("skipped", [(7, "dose")], words.Choice(7, "skipped")),
        ("remind me in 30 minutes", [(7, "dose")], words.Choice(7, "snooze")),
        ("yes", [(7, "dose")], words.Choice(7, "taken")),
        ("nein", [(7, "dose")], words.Choice(7, "skipped")),
        # a dose word goes to the newest open dose reminder, yes/no to the newest question it fits
        ("genommen", [(5, "dose"), (7, "refill_check")], words.Choice(5, "taken")),
        ("oui", [(5, "dose"), (7, "refill_check")], words.Choice(7, "yes")),
        ("4", [(7, "dose")], None),
        ("genommen", [(7, "refill_check")], None),
    ],
)
def test_typed_answers_are_applied_to_the_right_reminder(
    text: str, open_kinds: list[tuple[int, str]], expected: words.Choice | None
) -> None:
    options = DOSE if open_kinds[-1][1] == "dose" else ()
    assert words.read_typed(text, options, open_kinds, "en") == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("rem:12:taken", words.Choice(12, "taken")),
        ("rem:12:out_of_stock", words.Choice(12, "out_of_stock")),
        ("rem:12:delete", None),
        ("rem:x:taken", None),
        ("rem:12", None),
        ("menu:reminders", None),
        (None, None),
    ],
)
def test_button_keys_name_one_reminder_and_one_choice(key: str | None, expected: words.Choice | None) -> None:
    assert words.parse_option_key(key) == expected


def test_button_keys_fit_in_telegram_callback_data() -> None:
    assert len(words.option_key(2**31 - 1, "prescription_expired").encode()) <= 64


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("7", 7),
        ("14 days", 14),
        ("2 weeks", 14),
        ("1 week", 7),
        ("٣", 3),
        ("٣ أيام", 3),
        ("10 días", 10),
        ("2 semanas", 14),
        ("5 Tage", 5),
        ("1 semaine", 7),
        ("0", None),
        ("91", None),
        ("13 weeks", None),
        ("a week", None),
        ("3 or 4", None),
        ("3 months", None),
    ],
)
def test_pause_lengths_typed_by_patients(text: str, days: int | None) -> None:
    assert words.parse_days(text) == days


def test_schedule_sentences_use_the_patients_locale() -> None:
    assert words.schedule_text("en", "daily", ["9:00\u202fAM", "9:00\u202fPM"], "Madrid") == (
        "Every day at 9:00\u202fAM and 9:00\u202fPM (Madrid time)."
    )
    assert "Monday" in words.schedule_text("en", "weekly", ["8:00\u202fAM"], "Berlin", weekday="mon")
    assert "Every 3 days" in words.schedule_text(
        "en", "every_n_days", ["8:00\u202fAM"], "Berlin", every_n_days=3
    )
    assert fold(words.schedule_text("de", "weekly", ["08:00"], "Berlin", weekday="mon")).count("montag") == 1


LANGS = ("es", "fr", "de", "pt", "ar")


@pytest.mark.parametrize("lang", LANGS)
def test_every_reminder_string_is_translated_with_the_same_placeholders(lang: str) -> None:
    import re

    from babel.messages.pofile import read_po

    from tests.conftest import ROOT

    with open(ROOT / "locales" / lang / "LC_MESSAGES" / "reminders.po", "rb") as fh:
        catalog = read_po(fh, locale=lang)
    assert catalog.num_plurals == (6 if lang == "ar" else 2)
    messages = [m for m in catalog if m.id]
    assert len(messages) >= 40
    for message in messages:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, f"{lang}: {ids[0]!r} is not translated"
        expected = set(re.findall(r"\{\w+\}", " ".join(ids))) - {"{n}"}
        for text in strings:
            assert set(re.findall(r"\{\w+\}", text)) - {"{n}"} <= expected, f"{lang}: {text!r}"
            assert set(re.findall(r"\{\w+\}", text)) >= expected - {"{n}"}, (
                f"{lang}: {text!r} lost a placeholder"
            )


def test_reminders_read_naturally_in_arabic_and_spanish() -> None:
    reply = words.dose_reminder("ar", 5, "CardioZen", "9:00 ص")
    # values are bidi-isolated (U+2068 ... U+2069) so Latin names and times keep their order in
    # right-to-left text
    assert reply.text == "حان وقت جرعة \u2068CardioZen\u2069 المقررة الساعة \u20689:00 ص\u2069. هل تناولتها؟"
    assert [o.label for o in reply.options][:2] == ["أخذتها", "لم آخذها"]
    assert [o.label for o in words.ask_pause_days("ar").options] == ["3 أيام", "أسبوع واحد", "أسبوعان"]
    assert (
        words.refill_check("es", 5, "CardioZen").text
        == "Hoy se acaba su CardioZen. ¿Ha recogido el nuevo envase?"
    )
