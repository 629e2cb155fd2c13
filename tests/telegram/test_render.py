"""What a reply looks like on Telegram: split texts, keyboards, answered questions (pure functions,
tables)."""

from __future__ import annotations

import pytest

from bot.channels.telegram_render import ANSWER_MARK, Pick, answered_text, keyboard, split_text, utf16_len


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, ["short"]),
        ("exactly10!", 10, ["exactly10!"]),
        ("aaaa\n\nbbbb\n\ncccc", 10, ["aaaa\n\nbbbb", "cccc"]),  # paragraphs packed greedily
        ("aaaa\n\nbbbbbbbb", 10, ["aaaa", "bbbbbbbb"]),  # never a paragraph cut when it fits alone
        ("aaa bbb ccc ddd", 8, ["aaa bbb", "ccc ddd"]),  # a long paragraph: on spaces
        ("line one\nline two", 9, ["line one", "line two"]),  # ... or on line breaks first
        ("x" * 25, 10, ["x" * 10, "x" * 10, "x" * 5]),  # one unbroken run: hard cuts
        ("ab\n\n" + "c" * 12 + "\n\nde", 10, ["ab", "c" * 10, "cc\n\nde"]),
        ("😀" * 6, 10, ["😀" * 5, "😀"]),  # an emoji is two UTF-16 units, never split in half
        ("مرحبا بك\n\nفي البرنامج", 10, ["مرحبا بك", "في", "البرنامج"]),  # Arabic: words too
    ],
)
def test_split_text(text: str, limit: int, expected: list[str]) -> None:
    parts = split_text(text, limit)
    assert parts == expected
    assert all(utf16_len(part) <= limit for part in parts)


def test_a_long_module_loses_nothing_but_the_separators() -> None:
    paragraphs = [f"Section {n}: " + "take the tablet with water. " * (n * 13) for n in range(1, 12)]
    text = "\n\n".join(paragraphs)
    parts = split_text(text)
    assert len(parts) > 1 and all(utf16_len(p) <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_buttons_carry_two_small_numbers_and_long_labels_get_their_own_row() -> None:
    short = keyboard(
        123456789, [{"key": "consent:yes", "label": "I agree"}, {"key": "consent:no", "label": "No"}]
    )
    long = keyboard(
        7, [{"key": "menu:learn", "label": "Learn about my treatment"}, {"key": "menu:x", "label": "Talk"}]
    )
    assert short is not None and long is not None
    assert [[b.text for b in row] for row in short.inline_keyboard] == [["I agree", "No"]]
    assert [[b.text for b in row] for row in long.inline_keyboard] == [["Learn about my treatment"], ["Talk"]]
    data = short.inline_keyboard[0][1].callback_data
    assert data == "o:123456789:1" and Pick.unpack(data) == Pick(m=123456789, i=1)
    assert len(Pick(m=2**62, i=99).pack().encode()) <= 64
    assert keyboard(1, []) is None


def test_an_answered_question_shows_the_choice_unless_that_would_be_too_long() -> None:
    assert answered_text("Do you agree?", "I agree") == f"Do you agree?\n\n{ANSWER_MARK} I agree"
    assert answered_text("x" * 4090, "I agree") is None
