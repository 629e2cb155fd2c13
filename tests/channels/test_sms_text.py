"""What a patient reading us by SMS (and the budget paying for it) notices: encoding, segment count, clean
splits."""

from __future__ import annotations

import itertools
import random
import unicodedata

import pytest

from bot.channels.sms_text import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    MAX_MESSAGE_CHARS,
    SegmentCount,
    count_segments,
    encoding_for,
    fit_to_budget,
    fits,
    graphemes,
    non_gsm_characters,
)

# --- encoding -----------------------------------------------------------------------------------------------

GSM_LETTERS = "éèùìòÇØøÅåÄÖÑÜ§¿äöñüàÉßÆæΔΦΓΛΩΠΨΣΘΞ¡£¥¤@_"
NON_GSM_LETTERS = "çáíóúâêõãÁÍÓÚôîïëœ"


def test_gsm_alphabet_has_the_127_basic_and_10_extension_characters() -> None:
    assert len(GSM7_BASIC) == 127
    assert GSM7_EXTENSION == frozenset("\f^{}\\[~]|€")
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize("ch", list(GSM_LETTERS + "{}[]~\\|^€\f\n\r"))
def test_characters_of_the_gsm_table_keep_the_cheap_encoding(ch: str) -> None:
    assert encoding_for(f"Dose {ch} taken") == "GSM-7"


@pytest.mark.parametrize("ch", list(NON_GSM_LETTERS + "’“”–…\t\u00a0\u202f") + ["😀", "ع", "ü\u0308"])
def test_one_character_outside_the_gsm_table_makes_the_message_ucs2(ch: str) -> None:
    assert encoding_for(f"Dose {ch} taken") == "UCS-2"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Did you take your dose today? Reply 1 YES or 2 NO", "GSM-7"),
        ("¿Ha tomado su dosis? Responda SÍ o NO", "UCS-2"),  # Í is not GSM-7
        ("¿Tomó su dosis hoy?", "UCS-2"),  # ó
        ("¿Ha tomado la dosis de hoy? Responda 1 o 2", "GSM-7"),
        ("Avez-vous pris votre médicament ?", "GSM-7"),
        ("Avez-vous reçu votre colis ?", "UCS-2"),  # lowercase ç
        ("Haben Sie Übelkeit, Schwäche oder Größe?", "GSM-7"),
        ("Olá! Tomou a sua dose?", "UCS-2"),  # á
        ("Você tomou?", "UCS-2"),  # ê
        ("هل تناولت جرعتك اليوم؟", "UCS-2"),
        ("It’s time for your dose", "UCS-2"),  # curly apostrophe from a word processor
        ("Price: 5 € {approx}", "GSM-7"),
        ("", "GSM-7"),
    ],
)
def test_encoding_of_real_prompts(text: str, encoding: str) -> None:
    assert encoding_for(text) == encoding


def test_non_gsm_characters_names_what_to_fix_in_a_prompt() -> None:
    assert non_gsm_characters("It’s time – take it’s dose") == ["’", "–"]
    assert non_gsm_characters("Médicament pris ?") == []


# --- segment counts -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("GSM-7", 0, 0)),
        ("a", ("GSM-7", 1, 1)),
        ("a" * 160, ("GSM-7", 160, 1)),
        ("a" * 161, ("GSM-7", 161, 2)),
        ("a" * 306, ("GSM-7", 306, 2)),
        ("a" * 307, ("GSM-7", 307, 3)),
        ("a" * 1530, ("GSM-7", 1530, 10)),
        ("€" * 80, ("GSM-7", 160, 1)),  # escapes count two septets
        ("{" * 81, ("GSM-7", 162, 2)),
        ("a" * 159 + "€", ("GSM-7", 161, 2)),
        # An escape at the 153 boundary moves whole to the next segment: 152 + (2 + 151) -> 2 segments ...
        ("a" * 152 + "€" + "a" * 151, ("GSM-7", 305, 2)),
        # ... and one more septet then needs a third segment although 306 septets would fit two.
        ("a" * 152 + "€" + "a" * 152, ("GSM-7", 306, 3)),
        ("a" * 151 + "€" + "a" * 153, ("GSM-7", 306, 2)),
        ("\f", ("GSM-7", 2, 1)),
        ("ع" * 70, ("UCS-2", 70, 1)),
        ("ع" * 71, ("UCS-2", 71, 2)),
        ("ع" * 134, ("UCS-2", 134, 2)),
        ("ع" * 135, ("UCS-2", 135, 3)),
        ("😀", ("UCS-2", 2, 1)),
        ("😀" * 35, ("UCS-2", 70, 1)),
        ("😀" * 36, ("UCS-2", 72, 2)),
        ("Hello 😀", ("UCS-2", 8, 1)),
        ("a" * 69 + "ç", ("UCS-2", 70, 1)),
        ("a" * 70 + "ç", ("UCS-2", 71, 2)),
        # A surrogate pair is never split: 66 + (2 + 65) fits two segments, one more unit needs three.
        ("ع" * 66 + "😀" + "ع" * 65, ("UCS-2", 133, 2)),
        ("ع" * 66 + "😀" + "ع" * 66, ("UCS-2", 134, 3)),
        ("👨‍👩‍👧", ("UCS-2", 8, 1)),  # three emoji and two ZWJ
        ("🇪🇸", ("UCS-2", 4, 1)),
    ],
)
def test_segment_counts(text: str, expected: tuple[str, int, int]) -> None:
    assert count_segments(text) == SegmentCount(*expected)  # type: ignore[arg-type]


def test_twilio_body_limit_counts_towards_fitting() -> None:
    assert fits("a" * MAX_MESSAGE_CHARS, 20)
    assert not fits("a" * (MAX_MESSAGE_CHARS + 1), 20)
    assert count_segments("a" * 1601).segments == 11  # still counted, just not sendable as one body


# --- splitting: examples ------------------------------------------------------------------------------------


def test_text_that_fits_is_sent_unchanged() -> None:
    text = "  Time for your 8:00 dose.\nReply 1 when taken.  "
    assert fit_to_budget(text, 1) == [text]


def test_empty_text_gives_no_message() -> None:
    assert fit_to_budget("", 1) == []


def test_budget_below_one_segment_is_refused() -> None:
    with pytest.raises(ValueError, match="max_segments"):
        fit_to_budget("hello", 0)


def test_split_prefers_the_paragraph_break() -> None:
    first = "Your refill is due on 12 May. Your pharmacy has been told."
    second = "If you have run out, do not double the next dose. " * 2 + "Call us on 0800 123 456."
    text = f"{first}\n\n{second}"
    assert fit_to_budget(text, 1) == [first, second]


def test_split_prefers_a_sentence_end_to_the_middle_of_a_sentence() -> None:
    a = (
        "Take one tablet every morning with a full glass of water, before breakfast, and stay upright for "
        "half an hour."
    )
    b = (
        "If you feel dizzy or notice swelling of your face or lips, stop taking it and call your doctor at "
        "once."
    )
    assert fit_to_budget(f"{a} {b}", 1) == [a, b]


def test_split_keeps_menu_lines_whole() -> None:
    text = (
        "Your refill of CardioZen is due in 3 days. What would you like to do?\n1 I have ordered it\n"
        "2 Remind me tomorrow\n3 I stopped the treatment\n4 Talk to a nurse\n5 Something else"
    )
    assert len(text) > 160
    parts = fit_to_budget(text, 1)
    assert len(parts) == 2
    lines = text.split("\n")
    assert all(line in lines for part in parts for line in part.split("\n"))


def test_split_does_not_leave_a_lonely_last_word() -> None:
    text = " ".join(["reminder"] * 19)  # 170 characters: two messages either way
    parts = fit_to_budget(text, 1)
    assert len(parts) == 2
    assert min(len(p) for p in parts) > 60


def test_an_overlong_token_is_cut_hard_only_where_a_message_is_full() -> None:
    token = "x" * 500
    parts = fit_to_budget(f"Open {token} now", 1)
    assert "".join(parts).replace(" ", "") == f"Open{token}now"
    assert all(fits(p, 1) for p in parts)
    assert len(parts) == 4  # 4 + 1 + 500 + 1 + 3 characters: 509 > 3 * 160
    for part, following in itertools.pairwise(parts):
        if part[-1] == "x" and following[0] == "x":  # cut inside the token: only when the message is full
            assert not fits(part + "x", 1)


def test_a_token_that_fits_alone_is_moved_whole_rather_than_cut() -> None:
    url = "https://psp.example.org/modules/inhaler-technique?lang=en&step=" + "3" * 60
    text = "Watch the short video on how to use your inhaler, it takes two minutes: " + url
    parts = fit_to_budget(text, 1)
    assert parts == [text[: -len(url) - 1], url]


@pytest.mark.parametrize(
    ("unit", "budget"),
    [
        ("👨\u200d👩\u200d👧\u200d👦", 1),  # family: ZWJ sequence
        ("🇪🇸", 1),  # flag: a regional-indicator pair
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 1),  # England: tag sequence
        ("👍🏽", 1),  # skin-tone modifier
        ("1\ufe0f\u20e3", 1),  # keycap
        ("e\u0301", 1),  # decomposed é
        ("بِّ", 1),  # Arabic letter with shadda and kasra
        ("€", 1),  # GSM escape
        ("{", 2),
        ("😀", 2),
    ],
)
def test_hard_splits_never_break_a_character_someone_sees_as_one(unit: str, budget: int) -> None:
    text = unit * 400
    parts = fit_to_budget(text, budget)
    assert len(parts) > 1
    assert "".join(parts) == text
    for part in parts:
        assert fits(part, budget)
        assert part == unit * (len(part) // len(unit))


def test_each_part_is_billed_at_its_own_encoding() -> None:
    english = "Your next dose is at 8:00 tomorrow morning. Please keep the tablets in a dry place below 25 C."
    arabic = "موعد جرعتك التالية غدًا في الساعة الثامنة صباحًا. يرجى حفظ الأقراص في مكان جاف."
    parts = fit_to_budget(f"{english}\n\n{arabic}", 2)
    assert parts == [english, arabic]
    assert count_segments(parts[0]).encoding == "GSM-7"


def test_five_thousand_characters() -> None:
    rng = random.Random(5000)
    vocabulary = (
        "take",
        "your",
        "tablet",
        "with",
        "water",
        "each",
        "morning",
        "tell",
        "us",
        "side",
        "effect",
    )
    words = [rng.choice(vocabulary) for _ in range(1200)]
    text = " ".join(words)[:5000].rstrip()
    assert len(text) >= 4990
    for budget in (1, 3, 11, 40):
        parts = fit_to_budget(text, budget)
        assert all(fits(p, budget) for p in parts)
        assert all(len(p) <= MAX_MESSAGE_CHARS for p in parts)
        assert " ".join(parts) == text
        if budget <= 3:
            assert len(parts) == _greedy_word_count(text.split(" "), budget)
        else:  # 11 or 40 segments would hold 1,683 or all characters; Twilio's 1,600 limit says 4 messages
            assert len(parts) == 4


# --- splitting: properties over generated texts -------------------------------------------------------------

VOCABULARY = [
    "dose", "refill", "tablet", "médicament", "Übelkeit", "reçu", "¿dolor?", "{name}", "€12", "[1]", "a~b",
    "جرعة", "الدواء", "بِسْمِ", "😀", "👍🏽", "👨\u200d👩\u200d👧", "🇫🇷", "🇪🇸🇵🇹", "1\ufe0f\u20e3", "cafe\u0301",
    "Bonjour\u202f!", "x" * 90, "ع" * 40, "https://example.org/" + "p" * 180,
]  # fmt: skip
SEPARATORS = [" "] * 12 + [". ", "! ", "? ", "\n", "\n\n", "  ", " \n "]


def _generated(rng: random.Random) -> str:
    text = rng.choice(VOCABULARY)
    for _ in range(rng.randint(0, 120)):
        text += rng.choice(SEPARATORS) + rng.choice(VOCABULARY)
    return text


def _is_break_space(ch: str) -> bool:
    return ch.isspace() and ch not in "\u00a0\u2007\u202f"


def _attaches_to_previous(ch: str) -> bool:
    cp = ord(ch)
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or cp in (0x200C, 0x200D)
        or 0xFE00 <= cp <= 0xFE0F
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
    )


def _greedy_word_count(words: list[str], budget: int) -> int:
    """Reference: fewest messages when words (all fitting alone) are packed one after another."""
    count, current = 0, None
    for word in words:
        candidate = word if current is None else f"{current} {word}"
        if fits(candidate, budget):
            current = candidate
        else:
            count, current = count + 1, word
    return count + (current is not None)


@pytest.mark.parametrize("budget", [1, 2, 3, 10])
def test_generated_texts_split_cleanly(budget: int) -> None:
    rng = random.Random(20260401 + budget)
    for _ in range(80):
        text = _generated(rng)
        parts = fit_to_budget(text, budget)
        if fits(text, budget):
            assert parts == [text]
            continue
        pos = 0
        for index, part in enumerate(parts):
            assert part, "no empty message"
            assert fits(part, budget), f"part {index} over budget: {count_segments(part)}"
            assert not _is_break_space(part[0]) and not _is_break_space(part[-1])
            start = pos
            while start < len(text) and _is_break_space(text[start]):
                start += 1
            assert text.startswith(part, start), "parts keep the text, in order, dropping only break spaces"
            if index and start == pos:  # no whitespace between: a hard split inside a word
                word = _word_around(text, pos)
                assert not fits(word, budget), f"word {word[:30]!r} split although it fits one message"
            if index:
                assert not _attaches_to_previous(part[0]), "a mark or joiner torn from its character"
                assert not parts[index - 1].endswith("\u200d"), "a ZWJ sequence torn apart"
            pos = start + len(part)
        assert all(_is_break_space(ch) for ch in text[pos:])
        for part in parts:  # flags stay whole: every run of regional indicators has even length
            for run in _regional_indicator_runs(part):
                assert len(run) % 2 == 0, part


def _word_around(text: str, pos: int) -> str:
    start, end = pos, pos
    while start > 0 and not _is_break_space(text[start - 1]):
        start -= 1
    while end < len(text) and not _is_break_space(text[end]):
        end += 1
    return text[start:end]


def _regional_indicator_runs(text: str) -> list[str]:
    runs, current = [], ""
    for ch in text:
        if 0x1F1E6 <= ord(ch) <= 0x1F1FF:
            current += ch
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


@pytest.mark.parametrize("budget", [1, 2, 4])
def test_generated_texts_use_the_fewest_messages(budget: int) -> None:
    rng = random.Random(7 + budget)
    short_words = [w for w in VOCABULARY if fits(w, 1)]
    for _ in range(60):
        words = [rng.choice(short_words) for _ in range(rng.randint(1, 150))]
        text = " ".join(words)
        assert len(fit_to_budget(text, budget)) == _greedy_word_count(words, budget)


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("abc", ["a", "b", "c"]),
        ("e\u0301a", ["e\u0301", "a"]),
        ("🇪🇸🇫🇷", ["🇪🇸", "🇫🇷"]),
        ("🇪🇸🇫", ["🇪🇸", "🇫"]),
        ("👨\u200d👩\u200d👧 x", ["👨\u200d👩\u200d👧", " ", "x"]),
        ("👍🏽!", ["👍🏽", "!"]),
        ("a\r\nb", ["a", "\r\n", "b"]),
        ("بِسْمِ", ["بِ", "سْ", "مِ"]),
    ],
)
def test_grapheme_clusters(text: str, clusters: list[str]) -> None:
    assert graphemes(text) == clusters
