"""`receive(inbound)`: the one door every channel's messages come through.

Order matters and never changes: store verbatim (dedupe) -> resolve the patient -> screen for safety ->
steps before keywords (linking) -> keywords -> the pending question, a button's flow or the menu -> replies
into the outbox, all in one transaction. The pipeline only orders the steps: what answers a message is
registered on its `Router` by the features (see `bot.conversation.router`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.conversation import batch, country, fallback
from bot.conversation.group import GroupWriter
from bot.conversation.menu import MainMenu
from bot.conversation.router import Enrolment, Router
from bot.conversation.self_harm import self_harm_cue
from bot.conversation.turn import Clock, Turn, utcnow
from bot.core import menu
from bot.core.consent import CONSENT_VERSION
from bot.core.keywords import global_keyword
from bot.core.messages import Inbound, Outcome
from bot.core.programs import Program, program_or_default, support_contact
from bot.core.text import fold, is_blank
from bot.i18n import supported
from bot.safety import ScreenResult, screen
from bot.storage import outbox, pending, queries, throttle
from bot.storage.inbound import StoredMessage
from bot.storage.models import Message

log = logging.getLogger(__name__)
# How long an offered question counts as open for the echo rule: the shortest life of any flow's question.
ECHO_WINDOW = timedelta(hours=12)

__all__ = ["Conversation", "Turn"]

REPLY_BUDGET = (
    20  # typed messages answered per address and window; the rest are stored and screened, not answered
)
REPLY_WINDOW = timedelta(minutes=5)


# The screen's results for our own words typed back: an open question's option label ("English", "Taken")
# or a keyword ("/start", "STOP"). The screen is a pure function of (text, language), so a result read here
# is the result `screen` would give; only these texts are kept (our words, not a patient's), short ones
# only, and at most `OWN_WORDS_KEPT` of them (the set is emptied when full).
OWN_WORDS_KEPT = 2048
OWN_WORDS_LONGEST = 100
_own_words: dict[tuple[str, str | None], ScreenResult] = {}


def _screen_own_words(text: str, locale: str | None) -> ScreenResult:
    """`screen(text, locale)`, remembered for the texts `_screen` knows to be our own words."""
    if len(text) > OWN_WORDS_LONGEST:
        return screen(text, locale)
    key = (text, locale)
    result = _own_words.get(key)
    if result is None:
        if len(_own_words) >= OWN_WORDS_KEPT:
            _own_words.clear()
        result = _own_words[key] = screen(text, locale)
    return result


@dataclass
class Conversation:
    """The conversation service: sessions, programs, clock and the router; channels call `receive`."""

    sessions: async_sessionmaker[AsyncSession]
    programs: Mapping[str, Program]
    clock: Clock = utcnow
    router: Router = field(default_factory=Router)

    def __post_init__(self) -> None:
        self.router.menu_flow = MainMenu(self.router, self.programs)
        self.router.state(fallback.FLOW, fallback.OfferAnswer(self.router))
        # Group commit: messages that wait together are written together (bot.conversation.group).
        self.writer: GroupWriter[Inbound, Outcome] = GroupWriter(self._commit_group)

    async def receive(self, inbound: Inbound) -> Outcome:
        """Handle one inbound message; returns once it is committed (with whatever waited alongside it).

        A second delivery of it changes nothing. A message that fails raises here, for its caller only: the
        other messages of its batch are committed and answered (bot.conversation.batch).
        """
        return await self.writer.submit(inbound)

    async def _commit_group(self, inbounds: Sequence[Inbound]) -> list[Outcome | BaseException]:
        return await batch.commit_group(
            self.sessions, inbounds, self._receive, self.receive_alone, self.clock
        )

    async def receive_alone(self, inbound: Inbound) -> Outcome:
        """Handle one inbound message in its own transaction; a second delivery of it changes nothing.

        Duplicates are caught by the (channel, direction, external_id) unique key when the message is stored,
        not by a look-up first: the rollback undoes everything the transaction did (a new patient and address
        included). Only when that fails do we look, to tell a duplicate from a first message that raced
        another one from the same new address (then it runs again and finds the address).
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

    async def _receive(
        self, session: AsyncSession, inbound: Inbound, known: batch.Known | None = None
    ) -> Outcome:
        now = self.clock()
        if known is not None:
            found = await known.find(session, inbound)
        else:
            found = await queries.find_address_with_patient(session, inbound.channel, inbound.address)
        if found is None:
            patient = await queries.create_patient(session, now, locale=None)
            address = await queries.add_address(
                session, patient, inbound.channel, inbound.address, now, last_inbound_at=inbound.received_at
            )
            if known is not None:
                known.add(address, patient)  # a second message from this new address in the batch finds it
        else:
            address, patient = found
        message: Message | StoredMessage | None = known.stored_message(inbound) if known is not None else None
        if message is None:
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
        else:  # stored with its batch: as it would read stored now, after the messages before it
            message.patient_id = address.patient_id
            message.language = patient.locale or supported(inbound.language_hint)
        new_patient = found is None or (known is not None and patient.id in known.new_patients)
        turn = Turn(
            session, inbound, patient, address, message.id, now, new_patient=new_patient, message=message
        )
        await self._handle(turn)
        # A message that chose the language ("Português") is in it: an unknown patient's takes the first.
        message.language = message.language or turn.patient.locale
        if turn.pv_case_id is not None and not turn.self_harm:  # no questionnaire after a self-harm cue
            for hook in self.router.escalation_hooks:
                await hook(turn)  # e.g. approved follow-up questions, after whatever answered the message
        await self._send(turn)
        return Outcome(
            message_id=message.id,
            replies=tuple(turn.replies),
            escalated=turn.escalated,
            patient_ref=turn.patient.patient_ref,  # a link may have moved the address to another patient
        )

    # --- the pipeline ---------------------------------------------------------------------------------------

    async def _handle(self, turn: Turn) -> None:
        inbound, patient, router = turn.inbound, turn.patient, self.router
        if inbound.event == "stopped":
            turn.address.opted_out, turn.address.opted_out_at = True, turn.now
            turn.address.unreachable = True
            return
        await self._screen(turn)
        for step in router.steps:
            if await step(turn):
                return
        # A provider that recognised an opt-in/opt-out keyword itself (Twilio Advanced Opt-Out) says so.
        keyword = {"started": "start", "stop_requested": "stop"}.get(inbound.event or "")
        if inbound.option is None and keyword is None:
            keyword = global_keyword(inbound.text, patient.locale)
        if keyword is not None:
            await self._keyword(turn, keyword)
            return
        if turn.address.opted_out or patient.status in ("stopped", "declined", "withdrawn"):
            return  # stored and screened; nothing is sent to someone who said STOP or declined
        if patient.status == "enrolling":
            await self._enrolment().answer(turn)
            return
        if is_blank(inbound.text) and inbound.option is None:
            turn.replies.append(menu.empty_message(patient.locale))
            return
        if inbound.option and inbound.option.startswith("menu:"):
            await router.show_menu(turn)  # chosen from the menu on screen, even if a reminder came since
            return
        if (pressed := router.for_button(inbound.option)) is not None:
            await pressed(turn)  # a button belongs to the flow that made it, whatever was asked since
            return
        state = await queries.get_state(turn.session, patient.id)
        if state is not None and (flow := router.states.get(state.flow)) is not None:
            await flow(turn)
            return
        await router.show_menu(turn)

    def _enrolment(self) -> Enrolment:
        assert self.router.enrolment is not None, "bot.enrolment registers the enrolment flow"
        return self.router.enrolment

    async def _screen(self, turn: Turn) -> None:
        """Safety first: every message, in every state, before anything else reads it."""
        text = turn.inbound.text
        if is_blank(text) or turn.inbound.option is not None:
            return  # a pressed button carries our words, not the patient's
        echo = await self._echoes_an_open_option(turn)
        own = echo or global_keyword(text, turn.patient.locale) is not None
        result = _screen_own_words(text, turn.patient.locale) if own else screen(text, turn.patient.locale)
        if echo and not (result.tier == "case" and result.kind == "adverse_event"):
            return  # issue #13's echo rule: an open question's harmless option, typed back
        cue = self_harm_cue(text)
        if cue is not None:  # a self-harm cue is always a serious case, whatever the screen's tier
            turn.self_harm = True
            result = replace(
                result,
                escalate=True,
                tier="case",
                kind=result.kind if result.escalate else "adverse_event",
                serious=True,
                evidence=tuple(result.evidence) or (cue,),
            )
        assert self.router.escalation is not None, "bot.pv registers the PV intake"
        await self.router.escalation(turn, result)  # a case, a review item, a second look, or nothing

    async def _echoes_an_open_option(self, turn: Turn) -> bool:
        """True when the message is exactly the label of an option of a question still open (an SMS or typed
        answer).

        Such a message repeats approved words ("Dos veces por semana" as a quiz answer) and holds nothing the
        patient said about themselves, unless the label itself names an adverse event ("I went to hospital"):
        `_screen` exempts it only when the screen finds none. A question that expired gets no exemption: the
        message is screened like any other.
        """
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is None or not state.options or turn.now - state.updated_at > ECHO_WINDOW:
            return False
        said = fold(turn.inbound.text)
        return any(said == fold(str(option.get("label", ""))) for option in state.options)

    # --- keywords: STOP, START, HELP, MENU -----------------------------------------------------------------

    async def _keyword(self, turn: Turn, keyword: str) -> None:
        patient, locale = turn.patient, turn.patient.locale
        if keyword == "stop":
            await self._stop(turn)
            return
        if keyword == "start":
            await self._start(turn)
            return
        if turn.address.opted_out or patient.status in ("declined", "stopped", "withdrawn"):
            return
        if keyword == "help":
            contact = support_contact(self.programs, patient.program_id, country.known_country(patient))
            turn.replies.append(menu.help_reply(locale, contact))
            await self._enrolment().help(turn)
            return
        if patient.status == "enrolling":
            await self._enrolment().answer(turn)
            return
        await queries.clear_state(turn.session, patient.id)
        turn.replies.append(menu.menu(locale))

    async def _stop(self, turn: Turn) -> None:
        patient = turn.patient
        already = turn.address.opted_out
        if await self._stop_this_address_only(turn):
            return
        await queries.set_opt_out(turn.session, patient.id, True, turn.now)
        await queries.cancel_pending_outbox(turn.session, patient.id)
        await queries.clear_state(turn.session, patient.id)
        for hook in self.router.stop_hooks:
            await hook(turn)  # e.g. planned reminders are cancelled
        if patient.status != "declined":
            patient.status, patient.stopped_at = "stopped", turn.now
        # The withdrawal, with the patient's own words and its time (the message itself is stored too).
        await self._record_messaging_choice(turn, granted=False)
        # one confirmation, not one per STOP
        turn.replies = [] if already else [menu.stop_confirmation(patient.locale)]

    async def _stop_this_address_only(self, turn: Turn) -> bool:
        """STOP from one of several linked apps stops that app; each other app is asked to confirm with its
        own STOP.

        One address must not silently silence the others (a shared or lost phone): they keep their messages
        until
        the patient says STOP there too. True when other reachable addresses remain (the patient stays
        active).
        """
        session, address = turn.session, turn.address
        others = [
            other
            for other in await queries.patient_addresses(session, turn.patient.id)
            if other.id != address.id and not (other.opted_out or other.unreachable)
        ]
        if not others:
            return False
        already = address.opted_out
        address.opted_out, address.opted_out_at = True, turn.now
        await outbox.cancel_address(session, address.id, "address opted out")
        await self._record_messaging_choice(turn, granted=False)
        turn.replies = [] if already else [menu.stop_confirmation(turn.patient.locale)]
        if not already:
            for other in others:
                notice = menu.stopped_elsewhere(turn.patient.locale)
                await outbox.enqueue(
                    session, address=other, text=notice.text, options=[], kind=notice.kind, now=turn.now
                )
        return True

    async def _start(self, turn: Turn) -> None:
        patient = turn.patient
        if turn.address.opted_out:
            await self._record_messaging_choice(turn, granted=True)
        if turn.new_patient:  # created for this message: its one address is this one, nothing else to clear
            if turn.address.opted_out:
                turn.address.opted_out, turn.address.opted_out_at = False, None
        else:
            await queries.set_opt_out(turn.session, patient.id, False, turn.now)
        turn.address.unreachable = False
        if patient.status in ("stopped",) and patient.enrolled_at is not None:
            patient.status, patient.stopped_at = "active", None
            turn.replies.append(menu.start_again(patient.locale))
            return
        if patient.status in ("stopped", "declined", "enrolling", "withdrawn"):
            patient.status = "enrolling"
            await self._enrolment().begin(turn)
            return
        turn.replies.append(menu.menu(patient.locale))

    def _consent_version(self, turn: Turn) -> str:
        """The consent text version of the patient's program (the generic text's before they gave a code)."""
        program = program_or_default(self.programs, turn.patient.program_id)
        return program.consent_version if program else CONSENT_VERSION

    async def _record_messaging_choice(self, turn: Turn, granted: bool) -> None:
        """STOP and START as consent records (type "messages"): time, channel and the verbatim wording."""
        await queries.record_consent(
            turn.session,
            turn.patient.id,
            granted=granted,
            version=self._consent_version(turn),
            channel=turn.address.channel,
            verbatim=turn.inbound.text,
            now=turn.now,
            kind="messages",
        )

    # --- replies --------------------------------------------------------------------------------------------

    async def _over_reply_budget(self, turn: Turn) -> bool:
        """One sender cannot make us send (and pay for) a reply to every message of a flood: past
        `REPLY_BUDGET` typed messages in `REPLY_WINDOW` per address, messages get no reply until the window
        ends.
        Button presses are not counted (they come from our own messages)."""
        since = turn.now - REPLY_WINDOW
        count = await throttle.count_since(
            turn.session, batch.reply_counter(turn.address.id), since, turn.now
        )
        if count == REPLY_BUDGET + 1:
            log.warning(
                "address #%s: more than %s messages within %s; replies paused",
                turn.address.id,
                REPLY_BUDGET,
                REPLY_WINDOW,
            )
        return count > REPLY_BUDGET

    async def _send(self, turn: Turn) -> None:
        """Write the replies to the outbox in this transaction; nothing goes to an opted-out address but the
        STOP confirmation."""
        if turn.replies and turn.inbound.option is None and await self._over_reply_budget(turn):
            return  # the message is stored and was screened; only the reply is held back
        for reply in turn.replies:
            if turn.address.opted_out and reply.kind != "stop_confirmation":
                continue
            await pending.enqueue_reply(  # in a batch, with the batch's other replies (one INSERT each)
                turn.session,
                address=turn.address,
                text=reply.text,
                options=[{"key": o.key, "label": o.label} for o in reply.options],
                kind=reply.kind,
                now=turn.now,
                template=reply.template.as_json() if reply.template else None,
            )
