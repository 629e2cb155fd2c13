"""The approved follow-up questions a patient is offered after a safety report, as data.

The wording is approved like every prompt (translations in `locales/<lang>/LC_MESSAGES/pv.po`); the option
keys are stable codes (`pv:<question>:<answer>`) that the case record and the E2B mapping rely on. A patient
may answer in their own words: the answer is kept verbatim whether or not it matches an option.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.messages import Option, Reply
from bot.i18n import t

OPTION_PREFIX = "pv:"


@dataclass(frozen=True)
class Question:
    key: str
    text: str  # English, the msgid
    options: tuple[tuple[str, str], ...]  # (option key, English label)

    def localized_options(self, locale: str | None) -> tuple[Option, ...]:
        return tuple(Option(key, t(locale, label)) for key, label in self.options)

    def label(self, option_key: str, locale: str | None = None) -> str | None:
        for key, label in self.options:
            if key == option_key:
                return t(locale, label)
        return None


QUESTIONS: tuple[Question, ...] = (
    Question(
        "onset",
        "When did it start?",
        (
            ("pv:onset:today", "Today"),
            ("pv:onset:yesterday", "Yesterday"),
            ("pv:onset:week", "In the last week"),
            ("pv:onset:earlier", "More than a week ago"),
        ),
    ),
    Question(
        "ongoing",
        "Is it still going on?",
        (
            ("pv:ongoing:yes", "Yes"),
            ("pv:ongoing:no", "No, it has stopped"),
            ("pv:ongoing:better", "It is getting better"),
        ),
    ),
    Question(
        "care",
        "Did you see a doctor or go to hospital because of it?",
        (
            ("pv:care:no", "No"),
            ("pv:care:doctor", "I saw a doctor"),
            ("pv:care:hospital", "I went to hospital"),
        ),
    ),
)
BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}

# E2B(R3) E.i.7 "Outcome of reaction at the time of last observation", from the "still going on?" answer.
OUTCOME_BY_OPTION: dict[str, str] = {
    "pv:ongoing:no": "1",  # recovered/resolved
    "pv:ongoing:better": "2",  # recovering/resolving
    "pv:ongoing:yes": "3",  # not recovered/not resolved/ongoing
}


# Answers that make a case possibly serious (hospitalisation is an ICH seriousness criterion); like every
# automatic suggestion this only raises seriousness, and the PV officer confirms or lowers it with a reason.
SERIOUS_OPTIONS: frozenset[str] = frozenset({"pv:care:hospital"})


def question_of_option(option_key: str | None) -> Question | None:
    """The question an option key belongs to (`pv:care:doctor` -> care), for a button pressed late."""
    if not option_key or not option_key.startswith(OPTION_PREFIX):
        return None
    parts = option_key.split(":")
    return BY_KEY.get(parts[1]) if len(parts) == 3 else None


def next_question(answered: set[str]) -> Question | None:
    """The first approved question without an answer, in the order a person would ask them."""
    return next((q for q in QUESTIONS if q.key not in answered), None)


def ask(question: Question, locale: str | None, *, intro: bool = False) -> Reply:
    """The question with its options; the first one says why we ask and how to skip."""
    text = t(locale, question.text)
    if intro:
        text = (
            t(
                locale,
                "When you can, please answer a few short questions for our drug safety team. Send MENU to "
                "skip.",
            )
            + "\n"
            + text
        )
    return Reply(text, question.localized_options(locale), kind="pv_followup")


def thanks(locale: str | None) -> Reply:
    return Reply(t(locale, "Thank you. Your answers have been added to your report."), kind="pv_followup")
