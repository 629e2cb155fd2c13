"""What a reminder says and how an answer to it is read, in six languages. Pure: no database, no clock.

A reminder's buttons carry keys `rem:<reminder id>:<choice>`, so a tap answers exactly that reminder even when
it is old or another question came in between. Typed answers are read from the options on offer (a number,
a label), then from the answer words in `bot/core/wordlists/<lang>.yaml` (`taken`, `skipped`, `snooze`),
matched on the whole message or on its first words ("taken, but I feel dizzy"), then from plain yes/no.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import yaml

from bot.core.keywords import LEXICON_DIR, small_word
from bot.core.messages import Option, Reply, TemplateRef
from bot.core.options import match_option
from bot.core.schedule import schedule_text as schedule_text  # the rhythm sentence lives in the core
from bot.core.text import fold
from bot.i18n import t, tn

ANSWER_WORDS = ("taken", "skipped", "snooze")
DOSE_CHOICES = ("taken", "skipped", "snooze")
REFILL_CHOICES = ("yes", "no")
REFILL_REASONS = ("cost", "out_of_stock", "prescription_expired", "other")
#: Reasons that keep a patient from getting their medicine: a person must help.
BLOCKING_REASONS = frozenset({"cost", "out_of_stock", "prescription_expired"})
CHOICES = frozenset(DOSE_CHOICES + REFILL_CHOICES + REFILL_REASONS)
PREFIX = "rem"
SETTINGS_PREFIX = "remset"
PAUSE_CHOICES = (3, 7, 14)
MAX_PAUSE_DAYS = 90
_DAYS = re.compile(r"(?P<n>\d{1,3})\s*(?P<unit>\w+)?")


# --- answer words -------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def answer_lexicon() -> dict[str, dict[str, tuple[str, ...]]]:
    """language -> answer kind -> folded phrases, longest first (so "not taken" wins over "taken")."""
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds: dict[str, tuple[str, ...]] = {}
        for kind in ANSWER_WORDS:
            words = data.get(kind) or []
            if not all(isinstance(w, str) for w in words):
                raise ValueError(f"{path}: {kind}: quote every word (found {words!r})")
            kinds[kind] = tuple(sorted({fold(w) for w in words if fold(w)}, key=len, reverse=True))
        table[str(data["language"])] = kinds
    return table


def answer_word(text: str, locale: str | None = None) -> str | None:
    """ "taken" | "skipped" | "snooze" when the message is, or starts with, an answer phrase of any language.

    The longest phrase wins ("no la tomé" is skipped, not taken); on a tie the patient's language wins.
    """
    folded = fold(text)
    if not folded:
        return None
    lexicon = answer_lexicon()
    order = ([locale] if locale in lexicon else []) + [lang for lang in lexicon if lang != locale]
    best: tuple[int, str] | None = None
    for lang in order:
        for kind in ANSWER_WORDS:
            for phrase in lexicon[lang][kind]:
                if folded == phrase or folded.startswith(phrase + " "):
                    if best is None or len(phrase) > best[0]:
                        best = (len(phrase), kind)
                    break
    return best[1] if best else None


# --- option keys --------------------------------------------------------------------------------------------


def option_key(reminder_id: int, choice: str) -> str:
    return f"{PREFIX}:{reminder_id}:{choice}"


@dataclass(frozen=True)
class Choice:
    """A patient's answer to one reminder."""

    reminder_id: int
    choice: str  # taken | skipped | snooze | yes | no | cost | out_of_stock | prescription_expired | other


def parse_option_key(key: str | None) -> Choice | None:
    """The reminder and choice a button key names; None for anything else (or a tampered key)."""
    if not key:
        return None
    parts = key.split(":")
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1].isdigit() or parts[2] not in CHOICES:
        return None
    return Choice(int(parts[1]), parts[2])


def read_typed(
    text: str, options: Sequence[Option], open_kinds: Sequence[tuple[int, str]], locale: str | None
) -> Choice | None:
    """A typed answer: a number or label of the options on offer, else an answer word or yes/no, applied to
    the newest open reminder it fits (`open_kinds`: (reminder id, kind), oldest first)."""
    key = match_option(text, None, options, locale)
    found = parse_option_key(key)
    if found is not None:
        return found
    word = answer_word(text, locale)
    if word is not None:
        for reminder_id, kind in reversed(open_kinds):
            if kind == "dose":
                return Choice(reminder_id, word)
        return None
    yes_no = small_word(text, locale)
    if yes_no in ("yes", "no"):
        for reminder_id, kind in reversed(open_kinds):
            if kind == "dose":
                return Choice(reminder_id, "taken" if yes_no == "yes" else "skipped")
            if kind == "refill_check":
                return Choice(reminder_id, yes_no)
    return None


def read_reason(text: str, pressed: str | None, options: Sequence[Option], locale: str | None) -> str | None:
    """Which refill problem the patient chose, from the reason options on offer."""
    found = parse_option_key(match_option(text, pressed, options, locale))
    return found.choice if found is not None and found.choice in REFILL_REASONS else None


# --- what reminders say -------------------------------------------------------------------------------------


def dose_options(locale: str | None, reminder_id: int, snooze_minutes: int = 30) -> tuple[Option, ...]:
    return (
        Option(option_key(reminder_id, "taken"), t(locale, "Taken")),
        Option(option_key(reminder_id, "skipped"), t(locale, "Skipped")),
        Option(
            option_key(reminder_id, "snooze"),
            t(locale, "Remind me in {minutes} minutes", minutes=snooze_minutes),
        ),
    )


def dose_reminder(locale: str | None, reminder_id: int, medicine: str, time_text: str) -> Reply:
    text = t(
        locale,
        "It is time for your {time} dose of {medicine}. Did you take it?",
        time=time_text,
        medicine=medicine,
    )
    template = TemplateRef("dose_reminder", (("medicine", medicine), ("time", time_text)))
    return Reply(text, dose_options(locale, reminder_id), kind="reminder", template=template)


def refill_due_soon(locale: str | None, medicine: str, date_text: str) -> Reply:
    text = t(
        locale,
        "Your {medicine} runs out on {date}. Please collect your next pack from the pharmacy before then.",
        medicine=medicine,
        date=date_text,
    )
    template = TemplateRef("refill_due_soon", (("medicine", medicine), ("date", date_text)))
    return Reply(text, kind="reminder", template=template)


def refill_check(locale: str | None, reminder_id: int, medicine: str) -> Reply:
    options = (
        Option(option_key(reminder_id, "yes"), t(locale, "Yes, I have it")),
        Option(option_key(reminder_id, "no"), t(locale, "No, not yet")),
    )
    text = t(
        locale, "Your supply of {medicine} runs out today. Did you collect your new pack?", medicine=medicine
    )
    return Reply(
        text, options, kind="reminder", template=TemplateRef("refill_check", (("medicine", medicine),))
    )


def refill_reasons(locale: str | None, reminder_id: int) -> Reply:
    labels = {
        "cost": t(locale, "It costs too much"),
        "out_of_stock": t(locale, "The pharmacy is out of stock"),
        "prescription_expired": t(locale, "My prescription has expired"),
        "other": t(locale, "Another reason"),
    }
    options = tuple(Option(option_key(reminder_id, reason), labels[reason]) for reason in REFILL_REASONS)
    return Reply(t(locale, "What is keeping you from getting your medicine?"), options)


# --- replies to answers -------------------------------------------------------------------------------------


def recorded(locale: str | None, choice: str) -> Reply:
    if choice == "taken":
        return Reply(t(locale, "Thank you. We have noted that you took your dose."))
    return Reply(t(locale, "Thank you for telling us. We have noted that you skipped this dose."))


def snoozed(locale: str | None, time_text: str) -> Reply:
    return Reply(t(locale, "All right. We will remind you again at {time}.", time=time_text))


def snooze_refused(locale: str | None, reminder_id: int) -> Reply:
    options = dose_options(locale, reminder_id)[:2]
    return Reply(t(locale, "This reminder cannot be postponed again. Did you take your dose?"), options)


def refill_recorded(locale: str | None, date_text: str) -> Reply:
    return Reply(
        t(
            locale,
            "Thank you. We have noted your new pack and will remind you before it runs out, around {date}.",
            date=date_text,
        )
    )


def refill_problem_noted(locale: str | None) -> Reply:
    return Reply(
        t(locale, "Thank you for telling us. A member of the support team will contact you to help.")
    )


def refill_other_noted(locale: str | None) -> Reply:
    return Reply(t(locale, "Thank you for telling us. If you need help, send HELP."))


def already_answered(locale: str | None) -> Reply:
    return Reply(t(locale, "You have already answered this reminder. Thank you."))


def reminder_closed(locale: str | None) -> Reply:
    return Reply(
        t(locale, "This reminder has closed, so your answer was not recorded. Thank you all the same.")
    )


def not_an_answer(locale: str | None, options: Sequence[Option]) -> Reply:
    return Reply(
        t(locale, "Sorry, I did not understand. Please choose one of the options, or send MENU."),
        tuple(options),
    )


# --- the patient's own settings -----------------------------------------------------------------------------


def paused_line(locale: str | None, date_text: str) -> str:
    return t(locale, "Your reminders are paused until {date}.", date=date_text)


def next_line(locale: str | None, day_text: str, time_text: str) -> str:
    return t(locale, "Next reminder: {day} at {time}.", day=day_text, time=time_text)


def refill_line(locale: str | None, date_text: str) -> str:
    return t(locale, "Your next refill is due on {date}.", date=date_text)


def settings_options(locale: str | None, paused: bool) -> tuple[Option, ...]:
    pause_or_resume = (
        Option(f"{SETTINGS_PREFIX}:resume", t(locale, "Resume reminders"))
        if paused
        else Option(f"{SETTINGS_PREFIX}:pause", t(locale, "Pause reminders"))
    )
    return (
        Option(f"{SETTINGS_PREFIX}:time", t(locale, "Change the time")),
        pause_or_resume,
        Option(f"{SETTINGS_PREFIX}:back", t(locale, "Back to the menu")),
    )


def settings_menu(locale: str | None, lines: Sequence[str], paused: bool) -> Reply:
    text = "\n".join([t(locale, "Your reminders:"), *lines])
    return Reply(text, settings_options(locale, paused))


def ask_which_time(locale: str | None, times: Sequence[tuple[str, str]]) -> Reply:
    """`times`: (HH:MM, formatted) pairs."""
    options = tuple(Option(f"{SETTINGS_PREFIX}:at:{i}", label) for i, (_, label) in enumerate(times))
    return Reply(t(locale, "Which reminder time do you want to change?"), options)


def ask_new_time(locale: str | None) -> Reply:
    return Reply(t(locale, "What time should we remind you? Type a time such as 8:30 or 20:00."))


def time_changed(locale: str | None, schedule: str) -> Reply:
    """The new schedule in full ("Every Sunday at 10:00"), so a weekly patient is never told "every day"."""
    return Reply(t(locale, "Done. Your reminders: {schedule}", schedule=schedule))


def ask_pause_days(locale: str | None) -> Reply:
    labels = {
        3: tn(locale, "{n} day", "{n} days", 3),
        7: tn(locale, "{n} week", "{n} weeks", 1),
        14: tn(locale, "{n} week", "{n} weeks", 2),
    }
    options = tuple(Option(f"{SETTINGS_PREFIX}:days:{n}", labels[n]) for n in PAUSE_CHOICES)
    return Reply(
        t(
            locale,
            "For how many days should we pause your reminders? Choose an option or type a number of days, "
            "for example 10 days.",
        ),
        options,
    )


def paused(locale: str | None, date_text: str) -> Reply:
    return Reply(
        t(
            locale,
            "Your reminders are paused. They start again on {date}. To resume earlier, send MENU.",
            date=date_text,
        )
    )


def resumed(locale: str | None) -> Reply:
    return Reply(t(locale, "Your reminders are on again."))


@lru_cache(maxsize=1)
def _units() -> dict[str, int]:
    """Folded day and week words of every language -> days."""
    units: dict[str, int] = {}
    for path in sorted(LEXICON_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for kind, days in (("days", 1), ("weeks", 7)):
            for word in data.get(kind) or []:
                units[fold(str(word))] = days
    return units


def parse_days(text: str) -> int | None:
    """A pause length typed by the patient: "10", "10 days", "2 weeks", "٣ أيام" (1 to 90 days), or None."""
    match = _DAYS.fullmatch(fold(text))
    if match is None:
        return None
    unit = match["unit"]
    factor = 1 if unit is None else _units().get(unit)
    if factor is None:
        return None
    days = int(match["n"]) * factor
    return days if 1 <= days <= MAX_PAUSE_DAYS else None
