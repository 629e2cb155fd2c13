"""The menu an enrolled patient sees, and the fixed replies around it (help, stop, safety)."""

from __future__ import annotations

from bot.core.messages import Option, Reply
from bot.core.places import city_name
from bot.i18n import format_clock, t, tn

FLOW = "menu"


def menu_options(locale: str | None) -> tuple[Option, ...]:
    return (
        Option("menu:reminders", t(locale, "My reminders")),
        Option("menu:learn", t(locale, "Learn about my treatment")),
        Option("menu:report", t(locale, "Report a side effect")),
        Option("menu:person", t(locale, "Talk to a person")),
        Option("menu:language", t(locale, "Change language")),
    )


def menu(locale: str | None, not_understood: bool = False) -> Reply:
    """The menu; after an answer we could not place, one message says so and offers the menu again."""
    question = t(locale, "What would you like to do?")
    if not_understood:
        question = t(locale, "Sorry, I did not understand that.") + " " + question
    return Reply(question, menu_options(locale))


def help_reply(locale: str | None, support_contact: str) -> Reply:
    text = t(
        locale,
        "This is your treatment support program: reminders, information about your medicine and a way to "
        "report "
        "side effects. Send MENU to see the options or STOP to stop all messages.",
    )
    if support_contact:
        text += " " + t(locale, "To talk to a person, call {phone}.", phone=support_contact)
    return Reply(text)


def stop_confirmation(locale: str | None) -> Reply:
    return Reply(
        t(
            locale,
            "You will not receive any more messages from this program. Send START if you want to come back.",
        ),
        kind="stop_confirmation",
    )


def stopped_elsewhere(locale: str | None) -> Reply:
    return Reply(
        t(
            locale,
            "Messages to another app connected to your account were stopped. You still get messages here: "
            "send STOP to stop them here too.",
        ),
        kind="stop_elsewhere",
    )


def too_many_codes(locale: str | None, wait_seconds: float) -> Reply:
    """Code guessing is slowed down (bot.storage.guesses): say when to try again, in whole minutes."""
    minutes = max(1, round(wait_seconds / 60))
    return Reply(
        tn(
            locale,
            "Too many wrong codes. Please wait {n} minute and try again.",
            "Too many wrong codes. Please wait {n} minutes and try again.",
            minutes,
        )
    )


def start_again(locale: str | None) -> Reply:
    return Reply(t(locale, "Welcome back. Your reminders are on again."))


def safety_reply(locale: str | None, serious: bool, emergency_number: str) -> Reply:
    if serious:
        text = t(
            locale,
            "This may need urgent medical attention. Please call {number} or go to the nearest emergency "
            "department "
            "now. We have passed your message to our drug safety team.",
            number=emergency_number,
        )
    else:
        text = t(
            locale,
            "Thank you for telling us. Our drug safety team will review your message and may contact you. "
            "If you "
            "feel very unwell, call {number} or see a doctor.",
            number=emergency_number,
        )
    return Reply(text, kind="safety")


def crisis_reply(locale: str | None, crisis_line: str | None, emergency_number: str) -> Reply:
    """For a self-harm cue: the country's crisis line beside the emergency number, and a person will call."""
    if crisis_line:
        text = t(
            locale,
            "We are sorry you are going through this. Help is available now: please call the crisis "
            "line {crisis}, or {number} if you are in immediate danger. A member of our team will contact "
            "you as soon as possible.",
            crisis=crisis_line,
            number=emergency_number,
        )
    else:
        text = t(
            locale,
            "We are sorry you are going through this. Help is available now: please call {number} if you "
            "are in immediate danger, or talk to someone you trust. A member of our team will contact you "
            "as soon as possible.",
            number=emergency_number,
        )
    return Reply(text, kind="safety")


def not_understood(locale: str | None) -> Reply:
    return Reply(t(locale, "Sorry, I did not understand that. Send MENU to see what you can do."))


def empty_message(locale: str | None) -> Reply:
    return Reply(t(locale, "Your message was empty. Send MENU to see what you can do."))


def report_prompt(locale: str | None) -> Reply:
    return Reply(
        t(
            locale,
            "Please describe what happened: what you felt, when it started and whether you saw a doctor.",
        )
    )


def report_received(locale: str | None) -> Reply:
    return Reply(t(locale, "Thank you. Your report has been passed to our drug safety team."), kind="safety")


def callback_requested(locale: str | None) -> Reply:
    return Reply(t(locale, "A member of the support team will contact you soon."))


def reminders_summary(locale: str | None, times: list[str], zone: str | None) -> Reply:
    if not times:
        return Reply(t(locale, "You have no reminders set."))
    return Reply(
        tn(
            locale,
            "Your reminder is set for {times} ({zone} time).",
            "Your {n} daily reminders are set for {times} ({zone} time).",
            len(times),
            times=", ".join(format_clock(time, locale) for time in times),
            zone=city_name(zone or "UTC", locale),
        )
    )


def nothing_to_learn(locale: str | None) -> Reply:
    return Reply(t(locale, "There is no new information for you right now."))


def declined_reminder(locale: str | None) -> Reply:
    return Reply(t(locale, "You did not join the program. Send START if you want to enrol."))
