"""`receive(inbound)`: the one door every channel's messages come through.

Order matters and never changes: store verbatim (dedupe) -> resolve the patient -> screen for safety ->
keywords -> the pending question or the menu -> replies into the outbox, all in one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import phones
from bot.conversation import country, fallback
from bot.conversation.self_harm import self_harm_cue
from bot.core import menu
from bot.core.keywords import global_keyword
from bot.core.messages import Inbound, Option, Outcome, Reply
from bot.core.options import match_option
from bot.core.programs import Program
from bot.core.text import fold, is_blank
from bot.enrolment import rules as enrolment
from bot.i18n import supported
from bot.linking import rules as linking
from bot.linking import store as links
from bot.pv import followup as pv_followup
from bot.pv import store as pv
from bot.safety import screen
from bot.storage import outbox, queries
from bot.storage.models import Address, Patient

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Hook = Callable[["Turn"], Any]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Turn:
    """Everything one inbound message touches, handed to flow handlers."""

    session: AsyncSession
    inbound: Inbound
    patient: Patient
    address: Address
    message_id: int
    now: datetime
    replies: list[Reply] = field(default_factory=list)
    escalated: bool = False
    pv_case_id: int | None = None  # the case this message opened or joined
    self_harm: bool = False  # the message has a self-harm cue: crisis line and an urgent call-back


@dataclass
class Conversation:
    """The conversation service: programs, clock and database; channels call `receive`."""

    sessions: async_sessionmaker[AsyncSession]
    programs: dict[str, Program]
    clock: Clock = utcnow
    pv_due_hours: int = 24
    # Extra flows registered by other features: a state's flow name -> handler; "menu:<choice>" for menu entries;
    # "option:<key prefix>" for buttons pressed whatever the state; "on:stop" runs when a patient sends STOP.
    flows: dict[str, Hook] = field(default_factory=dict)
    # Learn's approved-module option for a patient (None when not servable), for the fallback's suggestions.
    suggest_module: Callable[[Turn, str], Option | None] | None = None

    async def receive(self, inbound: Inbound) -> Outcome:
        """Handle one inbound message in one transaction; a second delivery of it changes nothing.

        Duplicates are caught by the (channel, direction, external_id) unique key when the message is stored,
        not by a look-up first: the rollback undoes everything the transaction did (a new patient and address
        included). Only when that fails do we look, to tell a duplicate from a first message that raced another
        one from the same new address (then it runs again and finds the address).
        """
        for attempt in range(2):
            try:
                async with self.sessions() as session, session.begin():
                    return await self._receive(session, inbound)
            except IntegrityError:
                if inbound.external_id is not None:
                    async with self.sessions() as session:
                        duplicate = await queries.inbound_exists(
                            session, inbound.channel, inbound.external_id
                        )
                    if duplicate:
                        log.info("duplicate inbound %s/%s", inbound.channel, inbound.external_id)
                        return Outcome(message_id=None, duplicate=True)
                if attempt:
                    raise
        raise AssertionError("unreachable")

    async def _receive(self, session: AsyncSession, inbound: Inbound) -> Outcome:
        now = self.clock()
        found = await queries.find_address_with_patient(session, inbound.channel, inbound.address)
        if found is None:
            patient = await queries.create_patient(session, now, locale=None)
            address = await queries.add_address(
                session, patient, inbound.channel, inbound.address, now, last_inbound_at=inbound.received_at
            )
        else:
            address, patient = found
        message = await queries.store_inbound(
            session,
            channel=inbound.channel,
            address=address,
            text=inbound.text,
            option=inbound.option,
            external_id=inbound.external_id,
            received_at=inbound.received_at,
            language=patient.locale or supported(inbound.language_hint),
        )
        turn = Turn(session, inbound, patient, address, message.id, now)
        await self._handle(turn)
        # A message that chose the language ("Português") is in it; one from an unknown patient takes the first.
        message.language = message.language or turn.patient.locale
        if turn.pv_case_id is not None and not turn.self_harm and pv_followup.FLOW in self.flows:
            await pv_followup.offer(turn)  # approved follow-up questions, after whatever answered the message
        await self._send(turn)
        return Outcome(
            message_id=message.id,
            replies=tuple(turn.replies),
            escalated=turn.escalated,
            patient_ref=turn.patient.patient_ref,  # a link may have moved the address to another patient
        )

    # --- the pipeline ----------------------------------------------------------------------------------------

    async def _handle(self, turn: Turn) -> None:
        inbound, patient = turn.inbound, turn.patient
        if inbound.event == "stopped":
            turn.address.opted_out, turn.address.opted_out_at = True, turn.now
            turn.address.unreachable = True
            return
        await self._screen(turn)
        if await self._link(turn):
            return
        # A provider that recognised an opt-in/opt-out keyword itself (Twilio Advanced Opt-Out) says so.
        keyword = {"started": "start", "stop_requested": "stop"}.get(inbound.event or "")
        if inbound.option is None and keyword is None:
            keyword = global_keyword(inbound.text, patient.locale)
        if keyword is not None:
            await self._keyword(turn, keyword)
            return
        if turn.address.opted_out or patient.status in ("stopped", "declined"):
            return  # stored and screened; nothing is sent to someone who said STOP or declined
        state = await queries.get_state(turn.session, patient.id)
        if patient.status == "enrolling":
            await self._enrolment(turn, state)
            return
        if is_blank(inbound.text) and inbound.option is None:
            turn.replies.append(menu.empty_message(patient.locale))
            return
        if inbound.option and inbound.option.startswith("menu:"):
            await self._menu(
                turn
            )  # a menu entry chosen from the menu on screen, even if a reminder came since
            return
        if (
            inbound.option
            and (pressed := self.flows.get("option:" + inbound.option.split(":", 1)[0])) is not None
        ):
            await pressed(turn)  # a button belongs to the flow that made it, whatever was asked since
            return
        if state is not None and state.flow == fallback.FLOW:
            await self._fallback_choice(turn, state.options)
            return
        if state is not None and state.flow in self.flows:
            await self.flows[state.flow](turn)
            return
        if state is not None and state.flow == "report":
            await self._report(turn)
            return
        if state is not None and state.flow == "settings":
            await self._change_language(turn, state.options)
            return
        await self._menu(turn)

    async def _screen(self, turn: Turn) -> None:
        """Safety first: every message, in every state, before anything else reads it."""
        text = turn.inbound.text
        if is_blank(text) or turn.inbound.option is not None:
            return  # a pressed button carries our words, not the patient's
        if await self._echoes_an_offered_option(turn):
            return
        result = screen(text, turn.patient.locale)
        cue = self_harm_cue(text)
        if not result.escalate and cue is None:
            return
        turn.self_harm = cue is not None
        kind = result.kind if result.escalate else "adverse_event"
        evidence = list(result.evidence) or ([cue] if cue else [])
        await self._escalate(turn, kind, list(result.situations), result.serious or turn.self_harm, evidence)

    async def _echoes_an_offered_option(self, turn: Turn) -> bool:
        """True when the message is exactly the label of an option we just offered (an SMS or typed answer).

        Such a message repeats approved words ("Dos veces por semana" as a quiz answer) and holds nothing the
        patient said about themselves; anything more than the label is screened as usual.
        """
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is None or not state.options:
            return False
        said = fold(turn.inbound.text)
        return any(said == fold(str(option.get("label", ""))) for option in state.options)

    async def _escalate(
        self, turn: Turn, kind: str, situations: list[str], serious: bool, evidence: list[str]
    ) -> None:
        program = self.programs.get(turn.patient.program_id or "")
        case, _ = await pv.open_or_extend_case(
            turn.session,
            patient_id=turn.patient.id,
            program_id=program.id if program else None,
            product=program.product.brand if program else None,
            message_id=turn.message_id,
            kind=kind,
            situations=situations,
            serious=serious,
            evidence=evidence,
            received_at=turn.inbound.received_at,
            due_hours=self.pv_due_hours,
        )
        turn.escalated, turn.pv_case_id = True, case.id
        if turn.self_harm:
            await self._self_harm(turn, program, case.id)
            return
        if not turn.address.opted_out:
            # Before the patient chose a language, answer in the one their app reports (else English).
            locale = turn.patient.locale or supported(turn.inbound.language_hint)
            turn.replies.append(menu.safety_reply(locale, serious, self._emergency_number(turn)))

    async def _self_harm(self, turn: Turn, program: Program | None, case_id: int) -> None:
        """The country's crisis line beside the emergency number, and an urgent task: a person calls back."""
        await queries.open_support_task(
            turn.session,
            turn.patient.id,
            "self_harm",
            f"Possible self-harm cue in message #{turn.message_id} (PV case #{case_id}): call the patient now.",
            turn.now,
            urgent=True,
        )
        if turn.address.opted_out:
            return
        locale = turn.patient.locale or supported(turn.inbound.language_hint)
        program = program or next(iter(self.programs.values()), None)
        crisis = program.crisis_line(country.known_country(turn.patient, turn.address)) if program else None
        turn.replies.append(menu.crisis_reply(locale, crisis, self._emergency_number(turn)))

    def _emergency_number(self, turn: Turn) -> str:
        """The number for the patient's country; an SMS patient's country is known from the number itself,
        even on their very first message (before enrolment records it)."""
        program = self.programs.get(turn.patient.program_id or "") or next(iter(self.programs.values()), None)
        where = country.known_country(turn.patient, turn.address)
        return program.emergency_number(where) if program else "112"

    def _support_contact(self, patient: Patient) -> str:
        program = self.programs.get(patient.program_id or "") or next(iter(self.programs.values()), None)
        return program.support_contact(country.known_country(patient)) if program else ""

    async def _keyword(self, turn: Turn, keyword: str) -> None:
        patient, locale = turn.patient, turn.patient.locale
        if keyword == "stop":
            already = turn.address.opted_out
            await queries.set_opt_out(turn.session, patient.id, True, turn.now)
            await queries.cancel_pending_outbox(turn.session, patient.id)
            await queries.clear_state(turn.session, patient.id)
            if (on_stop := self.flows.get("on:stop")) is not None:
                await on_stop(turn)  # e.g. planned reminders are cancelled
            if patient.status != "declined":
                patient.status, patient.stopped_at = "stopped", turn.now
            # The withdrawal, with the patient's own words and its time (the message itself is stored too).
            await self._record_messaging_choice(turn, granted=False)
            turn.replies = (
                [] if already else [menu.stop_confirmation(locale)]
            )  # one confirmation, not one per STOP
            return
        if keyword == "start":
            if turn.address.opted_out:
                await self._record_messaging_choice(turn, granted=True)
            await queries.set_opt_out(turn.session, patient.id, False, turn.now)
            turn.address.unreachable = False
            if patient.status in ("stopped",) and patient.enrolled_at is not None:
                patient.status, patient.stopped_at = "active", None
                turn.replies.append(menu.start_again(locale))
                return
            if patient.status in ("stopped", "declined", "enrolling"):
                patient.status = "enrolling"
                await self._begin_enrolment(turn)
                return
            turn.replies.append(menu.menu(locale))
            return
        if turn.address.opted_out or patient.status in ("declined", "stopped"):
            return
        if keyword == "help":
            turn.replies.append(menu.help_reply(locale, self._support_contact(patient)))
            state = await queries.get_state(turn.session, patient.id)
            if state is not None and state.flow == enrolment.FLOW:
                turn.replies.append(
                    enrolment.help_for(state.step, locale or "en", self._enrolment_context(turn))
                )
            return
        if patient.status == "enrolling":
            await self._enrolment(turn, await queries.get_state(turn.session, patient.id))
            return
        await queries.clear_state(turn.session, patient.id)
        turn.replies.append(menu.menu(locale))

    async def _record_messaging_choice(self, turn: Turn, granted: bool) -> None:
        """STOP and START as consent records (type "messages"): time, channel and the verbatim wording."""
        await queries.record_consent(
            turn.session,
            turn.patient.id,
            granted=granted,
            version=enrolment.CONSENT_VERSION,
            channel=turn.address.channel,
            verbatim=turn.inbound.text,
            now=turn.now,
            kind="messages",
        )

    # --- one identity across channels ----------------------------------------------------------------------

    async def _link(self, turn: Turn) -> bool:
        """LINK asks for a one-time code; `LINK CODE` from a new address joins it to the code's patient.

        Runs after screening (a link message is screened like any other) and before keywords. Returns True when
        the message was about linking and has been answered.
        """
        request = linking.parse(turn.inbound.text) if turn.inbound.option is None else None
        if request is None:
            return False
        patient, session, locale = turn.patient, turn.session, turn.patient.locale
        if turn.address.opted_out or patient.status in ("stopped", "declined"):
            return False
        if request.kind == "bare" and patient.status != "enrolling":
            return False
        if request.kind == "ask":
            if patient.enrolled_at is None:
                turn.replies.append(linking.how_to_use(locale))
                return True
            code = await links.issue_code(session, patient.id, turn.now, linking.VALID_FOR, linking.new_code)
            turn.replies.append(linking.code_issued(locale, code))
            return True
        found = await links.find_active(session, request.code, turn.now) if request.code else None
        if found is None:
            if request.kind == "bare":
                return False  # an ordinary answer that happens to look like a code
            turn.replies.append(linking.invalid_code(locale))
            return True
        if found.patient_id == patient.id:
            turn.replies.append(linking.same_app(locale))
            return True
        if patient.enrolled_at is not None:
            await queries.open_support_task(
                session,
                patient.id,
                "merge_request",
                f"Patient used a link code of patient #{found.patient_id} from an address that is enrolled on its own",
                turn.now,
            )
            turn.replies.append(linking.already_enrolled(locale))
            return True
        existing = await queries.get_patient(session, found.patient_id)
        assert existing is not None
        # The temporary patient's unsent enrolment prompts are moot; its rows move to the existing patient.
        await outbox.cancel_address(session, turn.address.id, "address linked to an existing patient")
        turn.address.patient_id = existing.id
        await links.merge_patient(session, patient, existing)
        links.mark_used(found, turn.address.id, turn.now)
        turn.patient = existing
        for other in await queries.patient_addresses(session, existing.id):
            if other.id != turn.address.id and not (other.opted_out or other.unreachable):
                notice = linking.linked_notice(existing.locale)
                await outbox.enqueue(
                    session, address=other, text=notice.text, options=[], kind=notice.kind, now=turn.now
                )
        turn.replies.append(linking.linked(existing.locale))
        if existing.status == "active":
            turn.replies.append(menu.menu(existing.locale))
        return True

    # --- enrolment -------------------------------------------------------------------------------------------

    def _enrolment_context(self, turn: Turn) -> enrolment.Context:
        suggested = None
        if turn.address.channel == "sms":
            try:
                suggested = phones.suggest_timezone(turn.address.value)
            except phones.InvalidPhoneNumber:
                suggested = None
        return enrolment.Context(
            locale=turn.patient.locale,
            programs=self.programs,
            program_id=turn.patient.program_id,
            suggested_timezone=suggested,
            support_contact=self._support_contact(turn.patient),
        )

    async def _begin_enrolment(self, turn: Turn) -> None:
        from bot.i18n import supported

        ctx = self._enrolment_context(turn)
        hint = turn.patient.locale or supported(turn.inbound.language_hint)
        step = enrolment.begin(enrolment.Context(hint, ctx.programs))
        await self._apply_step(turn, step)

    async def _enrolment(self, turn: Turn, state: Any) -> None:
        if state is None or state.flow != enrolment.FLOW:
            await self._begin_enrolment(turn)
            return
        options = tuple(Option(o["key"], o["label"]) for o in state.options)
        step = enrolment.advance(
            state.step,
            turn.inbound.text,
            turn.inbound.option,
            options,
            dict(state.data),
            state.attempts,
            self._enrolment_context(turn),
        )
        if turn.escalated and step.step == state.step and step.attempts > state.attempts:
            # The message was a safety report, not a wrong answer: re-ask without counting it.
            step.attempts = state.attempts
            step.replies = [r for r in step.replies[1:]]
        await self._apply_step(turn, step)

    async def _apply_step(self, turn: Turn, step: enrolment.Step) -> None:
        patient, fx, session = turn.patient, step.effects, turn.session
        if fx.locale:
            patient.locale = fx.locale
        if fx.consent:
            granted, version, verbatim = fx.consent
            await queries.record_consent(
                session,
                patient.id,
                granted=granted,
                version=version,
                channel=turn.address.channel,
                verbatim=verbatim,
                now=turn.now,
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
            program = self.programs.get(patient.program_id or "")
            await country.settle_country(session, patient, program, turn.now)
        turn.replies.extend(step.replies)
        if step.step is None:
            await queries.clear_state(session, patient.id)
            if fx.enrolled:
                turn.replies.append(menu.menu(patient.locale))
            return
        await queries.set_state(
            session,
            patient.id,
            flow=enrolment.FLOW,
            step=step.step,
            data=step.data,
            options=[{"key": o.key, "label": o.label} for o in step.options],
            attempts=step.attempts,
            now=turn.now,
        )

    # --- after enrolment -------------------------------------------------------------------------------------

    async def show_menu(self, turn: Turn) -> None:
        """Answer `turn` as the main menu would: a flow hands back an answer that is not one of its options."""
        await self._menu(turn)

    async def _menu(self, turn: Turn) -> None:
        locale = turn.patient.locale
        choice = match_option(turn.inbound.text, turn.inbound.option, menu.menu_options(locale), locale)
        session, patient = turn.session, turn.patient
        if choice == "menu:report":
            await queries.set_state(
                session,
                patient.id,
                flow="report",
                step="describe",
                data={},
                options=[],
                attempts=0,
                now=turn.now,
            )
            turn.replies.append(menu.report_prompt(locale))
        elif choice == "menu:person":
            await queries.open_support_task(
                session, patient.id, "callback", "Patient asked to talk to a person", turn.now
            )
            turn.replies.append(menu.callback_requested(locale))
        elif choice == "menu:language":
            step = enrolment.ask_language(locale)
            await queries.set_state(
                session,
                patient.id,
                flow="settings",
                step="language",
                data={},
                options=[{"key": o.key, "label": o.label} for o in step.options],
                attempts=0,
                now=turn.now,
            )
            turn.replies.extend(step.replies)
        elif choice == "menu:reminders" and "menu:reminders" in self.flows:
            await self.flows["menu:reminders"](turn)
        elif choice == "menu:reminders":
            turn.replies.append(
                menu.reminders_summary(locale, list(patient.reminder_times or []), patient.timezone)
            )
        elif choice == "menu:learn" and "menu:learn" in self.flows:
            await self.flows["menu:learn"](turn)
        elif choice == "menu:learn":
            turn.replies.append(menu.nothing_to_learn(locale))
        elif turn.escalated:
            return  # the safety reply already answered this message
        elif not await self._suggest(turn):
            turn.replies.append(menu.menu(locale, not_understood=True))

    async def _suggest(self, turn: Turn) -> bool:
        """For a message the menu cannot place: offer what fits it (the approved missed-dose guide)."""
        program = self.programs.get(turn.patient.program_id or "")
        if program is None or not program.missed_dose_module or self.suggest_module is None:
            return False
        if not fallback.about_a_missed_dose(turn.inbound.text):
            return False
        guide = self.suggest_module(turn, program.missed_dose_module)
        if guide is None:
            return False
        reply = fallback.missed_dose_offer(turn.patient.locale, guide)
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=fallback.FLOW,
            step="offer",
            data={},
            options=[{"key": o.key, "label": o.label} for o in reply.options],
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(reply)
        return True

    async def _fallback_choice(self, turn: Turn, options: list[Any]) -> None:
        """An answer to the fallback's offer: the guide (Learn), a person (the menu's entry), or anything else."""
        offered = tuple(Option(o["key"], o["label"]) for o in options)
        chosen = match_option(turn.inbound.text, turn.inbound.option, offered, turn.patient.locale)
        await queries.clear_state(turn.session, turn.patient.id)
        if chosen is not None:
            turn.inbound = replace(turn.inbound, option=chosen)
        learn = self.flows.get("option:learn")
        if chosen is not None and chosen.startswith("learn:") and learn is not None:
            await learn(turn)
            return
        await self._menu(turn)

    async def answer_from_menu(self, turn: Turn) -> None:
        """For a flow that finds a message is not for it (e.g. its question expired): answer as the menu does."""
        await self._menu(turn)

    async def _report(self, turn: Turn) -> None:
        """A patient-volunteered report is an adverse-event report whatever the screener says."""
        await queries.clear_state(turn.session, turn.patient.id)
        if turn.escalated:
            return
        result = screen(turn.inbound.text, turn.patient.locale)
        kind = result.kind if result.kind != "none" else "adverse_event"
        await self._escalate(turn, kind, list(result.situations), result.serious, list(result.evidence))
        turn.replies[-1:] = [menu.report_received(turn.patient.locale)]

    async def _change_language(self, turn: Turn, options: list[Any]) -> None:
        from bot.core.keywords import language_named

        opts = tuple(Option(o["key"], o["label"]) for o in options)
        chosen = match_option(turn.inbound.text, turn.inbound.option, opts, turn.patient.locale)
        lang = chosen.split(":", 1)[1] if chosen else language_named(turn.inbound.text)
        await queries.clear_state(turn.session, turn.patient.id)
        if lang:
            turn.patient.locale = lang
        turn.replies.append(menu.menu(turn.patient.locale))

    # --- replies ---------------------------------------------------------------------------------------------

    async def _send(self, turn: Turn) -> None:
        """Write the replies to the outbox in this transaction; nothing goes to an opted-out address but the STOP confirmation."""
        for reply in turn.replies:
            if turn.address.opted_out and reply.kind != "stop_confirmation":
                continue
            await outbox.enqueue(
                turn.session,
                address=turn.address,
                text=reply.text,
                options=[{"key": o.key, "label": o.label} for o in reply.options],
                kind=reply.kind,
                now=turn.now,
            )
