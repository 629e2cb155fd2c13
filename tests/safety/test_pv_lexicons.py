"""The lexicon files: every language is complete, and a malformed file is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import SITUATIONS, LexiconError, Screener
from bot.safety.lexicon import LEXICON_DIR, load_lexicon
from tests.safety.pv_data import LANGUAGES

REQUIRED = (
    "symptom",
    "body",
    "problem",
    "care",
    "serious",
    "neg_before",
    "breaker",
    "benign",
    "question",
    "detect",
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_lexicon_covers_every_category_and_situation(lang: str) -> None:
    lexicon = load_lexicon(LEXICON_DIR / f"{lang}.yaml")
    categories = {label.category for _, label in lexicon.entries}
    assert set(REQUIRED) <= categories
    situations = {label.payload for _, label in lexicon.entries if label.category == "situation"}
    assert situations == set(SITUATIONS)


def _write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("language: xx\nsymptomz: [a]\n", "unknown keys ['symptomz']"),
        ("language: yy\n", "'language' must be 'xx'"),
        ("language: xx\nsituations:\n  pregnant: [a]\n", "unknown situation 'pregnant'"),
        ("language: xx\nnegation:\n  before: [nie, null]\n", "None is not a word"),
        ("language: xx\nadverse_event:\n  symptoms: [~schmerz weh]\n", "must be a single word"),
        ("language: xx\nadverse_event:\n  symptoms: ['... weh']\n", "bad term"),
        ("language: xx\nserious: [a\n", "not valid YAML"),
    ],
)
def test_malformed_lexicon_is_refused_naming_the_problem(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(LexiconError) as info:
        load_lexicon(_write(tmp_path, "xx.yaml", body))
    assert "xx.yaml" in str(info.value) and message in str(info.value)


def test_yes_and_no_are_words_not_booleans(tmp_path: Path) -> None:
    lexicon = load_lexicon(_write(tmp_path, "xx.yaml", "language: xx\nnegation:\n  before: [no, off]\n"))
    assert [parts for parts, _ in lexicon.entries] == [["no"], ["off"]]


def test_adding_a_language_is_adding_a_lexicon(tmp_path: Path) -> None:
    _write(tmp_path, "common.yaml", (LEXICON_DIR / "common.yaml").read_text(encoding="utf-8"))
    _write(
        tmp_path,
        "it.yaml",
        """
language: it
detect:
  words: [ho, il, la, mi, sono]
adverse_event:
  symptoms: [nausea, mal di testa, vertigin*]
serious: [svenut*]
situations:
  pregnancy: [incinta]
negation:
  before: [non, niente]
  breakers: [ma]
""",
    )
    screener = Screener(tmp_path)
    assert screener.screen("ho un mal di testa terribile").to_dict()["evidence"] == ["mal di testa"]
    assert screener.screen("non ho nausea").escalate is False
    assert screener.screen("non ho nausea ma sono svenuta").serious is True
    assert screener.screen("sono incinta").situations == ("pregnancy",)
    assert screener.screen("sono incinta").lang == "it"
