"""The enrolment flow (language, consent, code, time zone, reminder time) and the menu's language change.

The rules are `bot.enrolment.rules` (pure: a step in, the next step and its effects out); this module applies
the effects to the patient in the conversation's transaction and keeps the conversation state.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import phones
from bot.conversation import country
from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.core.keywords import language_named
from bot.core.messages import Option
from bot.core.options import match_option
from bot.core.programs import Program, support_contact
from bot.enrolment import rules
from bot.i18n import supported
from bot.storage import guesses, queries

LANGUAGE_FLOW = "settings"  # the state name of the menu's "Change language" question


def register(router: Router, programs: dict[str, Program]) -> Enrolment:
    enrolment = Enrolment(programs)
    router.enrolment = enrolment
    router.menu("language", enrolment.ask_language)
    router.state(LANGUAGE_FLOW, enrolment.change_language)
    return enrolment


@dataclass
class Enrolment:
    programs: dict[str, Program]

    def context(self, turn: Turn) -> rules.Context:
        suggested = None
        if turn.address.channel in phones.PHONE_CHANNELS:
            try:
                suggested = phones.suggest_timezone(turn.address.value)
            except phones.InvalidPhoneNumber:
                suggested = None
        return rules.Context(
            locale=turn.patient.locale,
            programs=self.programs,
            program_id=turn.patient.program_id,
            suggested_timezone=suggested,
            support_contact=support_contact(
                self.programs, turn.patient.program_id, country.known_country(turn.patient, turn.address)
            ),
        )

    async def begin(self, turn: Turn) -> None:
        hint = turn.patient.locale or supported(turn.inbound.language_hint)
        step = rules.begin(rules.Context(hint, self.programs))
        await self._apply(turn, step)

    async def answer(self, turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is None or state.flow != rules.FLOW:
            await self.begin(turn)
            return
        guess = state.step == "code" and turn.inbound.option is None and bool(turn.inbound.text.strip())
        if guess:
            wait = await guesses.before(turn.session, "enrolment", turn.address.id, turn.now)
            if wait is not None:
                turn.replies.append(menu.too_many_codes(turn.patient.locale, wait.total_seconds()))
                return
        options = tuple(Option(o["key"], o["label"]) for o in state.options)
        step = rules.advance(
            state.step,
            turn.inbound.text,
            turn.inbound.option,
            options,
            dict(state.data),
            state.attempts,
            self.context(turn),
        )
        if turn.escalated and step.step == state.step and step.attempts > state.attempts:
            # The message was a safety report, not a wrong answer: re-ask without counting it.
            step.attempts = state.attempts
            step.replies = [r for r in step.replies[1:]]
        if guess:
            failed = None if turn.escalated else step.step == "code"
            await guesses.after(turn.session, "enrolment", turn.address.id, turn.now, failed=failed)
        await self._apply(turn, step)

    async def help(self, turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is not None and state.flow == rules.FLOW:
            turn.replies.append(rules.help_for(state.step, turn.patient.locale or "en", self.context(turn)))

    async def _apply(self, turn: Turn, step: rules.Step) -> None:
        patient, fx, session = turn.patient, step.effects, turn.session
        if fx.locale:
            patient.locale = fx.locale
        if fx.consent:
            await queries.record_consent(
                session,
                patient.id,
                granted=fx.consent.granted,
                version=fx.consent.version,
                channel=turn.address.channel,
                verbatim=fx.consent.verbatim,
                now=turn.now,
                text_hash=fx.consent.text_hash,
                language=fx.consent.language,
            )
        if fx.program_id:
            patient.program_id = fx.program_id
        if fx.timezone:
            patient.timezone = fx.timezone
        if fx.reminder_times is not None:
            patient.reminder_times = fx.reminder_times
        country.learn_country(patient, turn.address)
        if fx.declined:
            patient.status = "declined"
        if fx.enrolled:
            patient.status, patient.enrolled_at = "active", turn.now
            await country.settle_country(
                session, patient, self.programs.get(patient.program_id or ""), turn.now
            )
        turn.replies.extend(step.replies)
        if step.step is None:
            await queries.clear_state(session, patient.id)
            if fx.enrolled:
                turn.replies.append(menu.menu(patient.locale))
            return
        await queries.set_state(
            session,
            patient.id,
            flow=rules.FLOW,
            step=step.step,
            data=step.data,
            options=[{"key": o.key, "label": o.label} for o in step.options],
            attempts=step.attempts,
            now=turn.now,
        )

    async def ask_language(self, turn: Turn) -> None:
        """The menu's "Change language": ask, and remember the options offered."""
        step = rules.ask_new_language(turn.patient.locale or "en")
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=LANGUAGE_FLOW,
            step="language",
            data={},
            options=[{"key": o.key, "label": o.label} for o in step.options],
            attempts=0,
            now=turn.now,
        )
        turn.replies.extend(step.replies)

    async def change_language(self, turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        opts = tuple(Option(o["key"], o["label"]) for o in (state.options if state else []))
        chosen = match_option(turn.inbound.text, turn.inbound.option, opts, turn.patient.locale)
        lang = chosen.split(":", 1)[1] if chosen else language_named(turn.inbound.text)
        await queries.clear_state(turn.session, turn.patient.id)
        if lang:
            turn.patient.locale = lang
        turn.replies.append(menu.menu(turn.patient.locale))
