"""Enrolment as a pure state machine: language -> consent -> code -> time zone -> reminder time -> welcome.

Each step takes the patient's answer and returns replies, the next step and the facts to record (effects). The
conversation service applies the effects in the same transaction, so a restart in the middle resumes at the
step.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from bot.core.consent import CONSENT_VERSION
from bot.core.keywords import language_named, lexicons, small_word
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.core.places import city_name, find_zone
from bot.core.programs import Program, find_by_code, program_or_default
from bot.core.schedule import schedule_text
from bot.core.times import typed_time_among_options
from bot.i18n import LANGUAGES, format_clock, t

FLOW = "enrolment"
MAX_ATTEMPTS = 3
STEPS = ("language", "consent", "code", "timezone", "reminder_time")


@dataclass(frozen=True)
class Consent:
    """A consent answer as recorded: the program's text version, and a hash of the exact words shown."""

    granted: bool
    version: str
    verbatim: str
    text_hash: str
    language: str


@dataclass
class Effects:
    """Facts the service must store; None means unchanged."""

    locale: str | None = None
    consent: Consent | None = None
    program_id: str | None = None
    timezone: str | None = None
    reminder_times: list[str] | None = None
    declined: bool = False
    enrolled: bool = False


@dataclass
class Step:
    replies: list[Reply]
    step: str | None  # None: enrolment is over (enrolled or declined)
    data: dict[str, object] = field(default_factory=dict)
    options: tuple[Option, ...] = ()
    effects: Effects = field(default_factory=Effects)
    attempts: int = 0


@dataclass(frozen=True)
class Context:
    """What the flow may know about the patient and the program catalogue."""

    locale: str | None
    programs: dict[str, Program]
    program_id: str | None = None
    suggested_timezone: str | None = None
    support_contact: str = ""


def parse_timezone(text: str) -> str | None:
    return find_zone(text)


# --- prompts ------------------------------------------------------------------------------------------------


def ask_language(locale: str | None) -> Step:
    """The first question. Before any language is known, it greets in every language, one short line each."""
    options = tuple(Option(f"lang:{code}", name) for code, name in LANGUAGES.items())
    if locale:
        text = t(locale, "Welcome to the patient support program. Please choose your language.")
    else:
        text = "\n".join(t(lang, "Welcome! Please choose your language.") for lang in LANGUAGES)
    return Step([Reply(text, options)], "language", options=options)


def ask_new_language(locale: str) -> Step:
    """ "Change language" from the menu: an enrolled patient is not welcomed again, only asked."""
    options = tuple(Option(f"lang:{code}", name) for code, name in LANGUAGES.items())
    return Step([Reply(t(locale, "Which language would you like?"), options)], "language", options=options)


def consent_text(locale: str) -> str:
    """The exact consent text shown in this language (its hash is recorded with the patient's answer)."""
    return t(
        locale,
        "Before we start: this program sends you reminders and information about your treatment, and stores "
        "your messages to support you. Anything you tell us about side effects is passed to the drug safety "
        "team "
        "as the law requires. You can stop at any time by sending STOP. Do you agree?",
    )


def text_hash(text: str) -> str:
    """SHA-256 of the words a patient was shown: which translation, exactly, they agreed to."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ask_consent(locale: str, program_hint: str | None = None) -> Step:
    options = (Option("consent:yes", t(locale, "I agree")), Option("consent:no", t(locale, "I do not agree")))
    return Step([Reply(consent_text(locale), options)], "consent", options=options)


def ask_code(locale: str) -> Step:
    text = t(locale, "Please type the enrolment code you received from your doctor or pharmacy.")
    return Step([Reply(text)], "code")


def ask_timezone(ctx: Context, locale: str) -> Step:
    if ctx.suggested_timezone:
        options = (Option("tz:yes", t(locale, "Yes")), Option("tz:no", t(locale, "No, choose another")))
        text = t(locale, "Is your time zone {zone}?", zone=city_name(ctx.suggested_timezone, locale))
        return Step(
            [Reply(text, options)], "timezone", data={"suggested": ctx.suggested_timezone}, options=options
        )
    zones = lexicons()[locale].timezones if locale in lexicons() else ()
    options = tuple(Option(f"tz:{zone}", city_name(zone, locale)) for zone in zones)  # type: ignore[assignment]
    text = t(locale, "Which time zone are you in? Choose a city or type the name of a city near you.")
    return Step([Reply(text, options)], "timezone", options=options)


def ask_reminder_time(ctx: Context, locale: str, program: Program | None) -> Step:
    default = program.reminders.dose_times[0] if program else "09:00"
    options = (Option(f"time:{default}", default),)
    text = t(
        locale,
        "At what time of day would you like your reminder? Type a time such as 8:30 or 20:00.",
    )
    return Step([Reply(text, options)], "reminder_time", options=options)


def welcome(locale: str, program: Program | None, zone: str, time: str) -> Reply:
    """The enrolment confirmation, with the program's real rhythm: "every Sunday" for a weekly program."""
    name = program.name_in(locale) if program else ""
    rhythm = program.reminders if program else None
    schedule = schedule_text(
        locale,
        rhythm.schedule if rhythm else "daily",
        [format_clock(time, locale)],
        city_name(zone, locale),
        weekday=rhythm.weekday if rhythm else None,
        every_n_days=rhythm.every_n_days if rhythm else None,
    )
    return Reply(
        t(
            locale,
            "You are enrolled in {program}. Your reminders: {schedule} "
            "Send MENU at any time to see what you can do, or HELP to reach a person.",
            program=name,
            schedule=schedule,
        )
    )


def help_for(step: str, locale: str, ctx: Context) -> Reply:
    texts = {
        "language": t(locale, "Choose your language by pressing a button or typing its number."),
        "consent": t(
            locale,
            "Answer yes if you agree to join the program, or no if you do not. "
            "Nothing is sent if you say no.",
        ),
        "code": t(
            locale,
            "The enrolment code is printed on the leaflet from your doctor or pharmacy, for example "
            "ABCD-XY-1234.",
        ),
        "timezone": t(
            locale, "We need your time zone to send reminders at the right local time. Type a city near you."
        ),
        "reminder_time": t(locale, "Type the time you want your daily reminder, for example 9:00 or 21:30."),
    }
    text = texts.get(step, "")
    if ctx.support_contact:
        text += " " + t(locale, "To talk to a person, call {phone}.", phone=ctx.support_contact)
    return Reply(text.strip())


# --- the step function --------------------------------------------------------------------------------------


def _prompt(step: str, ctx: Context, locale: str, data: dict[str, object]) -> Step:
    program = ctx.programs.get(str(data.get("program_id") or ctx.program_id or ""))
    if step == "language":
        return ask_language(locale)
    if step == "consent":
        return ask_consent(locale)
    if step == "code":
        return ask_code(locale)
    if step == "timezone":
        return ask_timezone(ctx, locale)
    return ask_reminder_time(ctx, locale, program)


def _retry(step: str, ctx: Context, locale: str, data: dict[str, object], attempts: int, why: str) -> Step:
    prompt = _prompt(step, ctx, locale, data)
    replies = [Reply(why)]
    if attempts >= MAX_ATTEMPTS:
        replies.append(help_for(step, locale, ctx))
    prompt.replies = replies + prompt.replies
    prompt.data = {**data, **prompt.data}
    prompt.attempts = attempts
    return prompt


def begin(ctx: Context) -> Step:
    return ask_language(ctx.locale)


# Over 60 lines on purpose: the enrolment dialogue's state machine, a short branch per step.
def advance(
    step: str,
    text: str,
    pressed: str | None,
    options: tuple[Option, ...],
    data: dict[str, object],
    attempts: int,
    ctx: Context,
) -> Step:
    """Handle one answer at `step`; returns the next prompt (or the end) and what to record."""
    locale = ctx.locale or "en"
    word = small_word(text, locale) if pressed is None else None
    if word == "back" and step != "language":
        previous = STEPS[STEPS.index(step) - 1]
        if previous == "consent":
            previous = "consent" if data.get("program_id") is None else "code"
        return _with_data(_prompt(previous, ctx, locale, data), data)
    chosen = match_option(text, pressed, options, locale)
    not_understood = t(locale, "Sorry, I did not understand that.")

    if step == "language":
        lang = chosen.split(":", 1)[1] if chosen else language_named(text)
        if lang is None:
            return _retry(
                step, ctx, locale, data, attempts + 1, t(locale, "Sorry, I did not understand that.")
            )
        nxt = ask_consent(lang)
        nxt.effects.locale = lang
        return _with_data(nxt, data)

    if step == "consent":
        shown = {"verbatim": text or chosen, "hash": text_hash(consent_text(locale)), "lang": locale}
        if chosen == "consent:yes":
            # Recorded with the program's own consent version once the code says which program it is.
            return _with_data(ask_code(locale), {**data, "consent": shown})
        if chosen == "consent:no":
            bye = Reply(
                t(
                    locale,
                    "Understood. You will not receive any messages from this program. If you change your "
                    "mind, send START.",
                )
            )
            default = program_or_default(ctx.programs, ctx.program_id)
            version = default.consent_version if default else CONSENT_VERSION
            declined = Consent(False, version, str(shown["verbatim"]), str(shown["hash"]), locale)
            return Step([bye], None, effects=Effects(consent=declined, declined=True))
        return _retry(step, ctx, locale, data, attempts + 1, not_understood)

    if step == "code":
        program = find_by_code(ctx.programs, text) if text.strip() else None
        if program is None:
            why = t(locale, "That code is not valid. Please check it and type it again.")
            return _retry(step, ctx, locale, data, attempts + 1, why)
        if locale not in program.languages and program.fallback_language is None:
            why = t(locale, "This program is not available in your language yet. Please call your pharmacy.")
            return Step([Reply(why)], "code", data=data)
        new_data = {**data, "program_id": program.id}
        nxt = ask_timezone(ctx, locale)
        nxt.effects.program_id = program.id
        agreed = data.get("consent")
        if isinstance(agreed, dict):
            verbatim, digest, lang = str(agreed["verbatim"]), str(agreed["hash"]), str(agreed["lang"])
            nxt.effects.consent = Consent(True, program.consent_version, verbatim, digest, lang)
            new_data.pop("consent")
        return _with_data(nxt, new_data)

    if step == "timezone":
        zone: str | None = None
        if chosen == "tz:yes":
            zone = str(data.get("suggested") or ctx.suggested_timezone or "")
        elif chosen == "tz:no":
            return _with_data(ask_timezone(Context(locale, ctx.programs, ctx.program_id), locale), data)
        elif chosen:
            zone = chosen.split(":", 1)[1]
        else:
            zone = parse_timezone(text)
            if zone is None and word == "yes" and data.get("suggested"):
                zone = str(data["suggested"])
        if not zone:
            why = t(
                locale, "I could not find that place. Please type a large city near you, for example Madrid."
            )
            return _retry(step, ctx, locale, data, attempts + 1, why)
        program = ctx.programs.get(str(data.get("program_id") or ctx.program_id or ""))
        nxt = ask_reminder_time(ctx, locale, program)
        nxt.effects.timezone = zone
        return _with_data(nxt, {**data, "timezone": zone})

    # reminder_time
    # A typed time wins over the suggested option: "20:00" is one typo away from "09:00" for a fuzzy match.
    # But "1" is the option's number (SMS shows "Reply 1 for 09:00"), not one o'clock.
    typed = typed_time_among_options(text) if pressed is None else None
    time = typed or (chosen.split(":", 1)[1] if chosen else None)
    if time is None:
        return _retry(step, ctx, locale, data, attempts + 1, not_understood)
    program = ctx.programs.get(str(data.get("program_id") or ctx.program_id or ""))
    zone = str(data.get("timezone") or "UTC")
    done = Step([welcome(locale, program, zone, time)], None)
    done.effects.reminder_times = [time]
    done.effects.enrolled = True
    return done


def _with_data(step: Step, data: dict[str, object]) -> Step:
    step.data = {**data, **step.data}
    return step
