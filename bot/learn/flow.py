"""Learn: approved modules reach patients, from the menu, in answer to a quiz, and from the journey job.

The pure layer (programs in `bot.core.programs`, modules, journeys and pacing here in `bot.learn`) decides
what may be served and what comes next; this module writes it to the outbox in the caller's transaction
together with its `content_deliveries` row (module, version, language, approval reference, variant, reason),
asks the module's quiz, and tells staff once per module and language when a missing translation made a patient
get the program's fallback language.

Conversation states of flow "learn": `browse` (the Learn list), `more` ("Read more" under a short text),
`quiz` (the module's question). Option keys name what they stand for (`learn:quiz:<delivery>:<answer>`), so a
button pressed on an older message still means what it said.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.core.programs import Program
from bot.i18n import t
from bot.learn import store as content
from bot.learn.delivery import (
    KIND_QUIZ,
    PREFIX,
    parse_choice,
    read_option,
)
from bot.learn.journey import browse
from bot.learn.modules import (
    Delivery,
    Module,
    fill_placeholders,
    get_module_for,
    placeholder_values,
    servable,
)
from bot.learn.pacing import local_date
from bot.learn.send import (
    FLOW,
    clear_learn_state,
    journey_choice,
    language_of,
    option_dicts,
    send_module,
    send_module_in_batch,
)
from bot.storage import pending, queries

# Rules whose module answers what the patient just did: sent at once after a quiz answer.
FOLLOW_UP_REASONS = ("after:", "advance:")


def register(router: Router, programs: Mapping[str, Program], modules: Mapping[str, Module]) -> Learn:
    """Hook Learn into the conversation: the menu entry, the flow's answers, and its buttons."""
    learn = Learn(router, programs, modules)
    router.menu("learn", learn.show_list)
    router.state(FLOW, learn.answer)
    router.button(PREFIX, learn.answer)
    router.module_offer = learn.suggestion
    return learn


@dataclass
class Learn:
    """The Learn menu entry and the answers to what it asked (which module, read more, the quiz)."""

    router: Router
    programs: Mapping[str, Program]
    modules: Mapping[str, Module]

    def _program(self, turn: Turn) -> Program | None:
        return self.programs.get(turn.patient.program_id or "")

    def suggestion(self, turn: Turn, module_id: str) -> Option | None:
        """A Learn-list entry for one module, if it may be served to this patient today."""
        patient, program = turn.patient, self._program(turn)
        if program is None:
            return None
        today = local_date(turn.now, patient.timezone)
        found = get_module_for(
            program, module_id, language_of(patient, program), today, modules=self.modules, reason="browse"
        )
        return read_option(found, placeholder_values(program, patient.country)) if found else None

    async def show_list(self, turn: Turn) -> None:
        """The modules this patient may read today, by their approved titles."""
        patient, locale = turn.patient, turn.patient.locale
        program = self._program(turn)
        items = (
            browse(
                program, self.modules, language_of(patient, program), local_date(turn.now, patient.timezone)
            )
            if program is not None
            else []
        )
        if program is None or not items:
            turn.replies.append(menu.nothing_to_learn(locale))
            return
        values = placeholder_values(program, patient.country, locale)
        options = tuple(read_option(d, values) for d in items)
        await queries.set_state(
            turn.session,
            patient.id,
            flow=FLOW,
            step="browse",
            data={},
            options=option_dicts(options),
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(Reply(t(locale, "What would you like to read?"), options))

    async def answer(self, turn: Turn) -> None:
        """A choice from the list, "Read more", or a quiz answer; anything else goes to the menu."""
        session, patient = turn.session, turn.patient
        state = await queries.get_state(session, patient.id)
        offered = tuple(
            Option(o["key"], o["label"])
            for o in (state.options if state is not None and state.flow == FLOW else [])
        )
        pressed = turn.inbound.option
        key = pressed if pressed is not None and pressed.startswith(PREFIX + ":") else None
        key = key or match_option(turn.inbound.text, pressed, offered, patient.locale)
        choice = parse_choice(key)
        program = self._program(turn)
        if choice is None or program is None:
            if state is not None and state.flow == FLOW:
                await clear_learn_state(session, patient.id)
            await self.router.show_menu(turn)
            return
        if choice.action == "read" and choice.module_id is not None:
            await self._read(turn, program, choice.module_id)
        elif choice.action == "more" and choice.delivery_id is not None:
            await self._more(turn, program, choice.delivery_id)
        elif choice.action == "quiz" and choice.delivery_id is not None and choice.answer is not None:
            await self._quiz(turn, program, choice.delivery_id, choice.answer)

    async def _read(self, turn: Turn, program: Program, module_id: str) -> None:
        patient = turn.patient
        delivery = get_module_for(
            program,
            module_id,
            language_of(patient, program),
            local_date(turn.now, patient.timezone),
            modules=self.modules,
            variant="sms" if turn.address.channel == "sms" else "full",
            reason="browse",
        )
        if delivery is None:  # expired (or withdrawn) since the list was shown
            turn.replies.append(Reply(t(patient.locale, "This is no longer available.")))
            await self.show_list(turn)
            return
        await self._send(turn, program, delivery)

    async def _more(self, turn: Turn, program: Program, delivery_id: int) -> None:
        patient = turn.patient
        row = await content.get_delivery(turn.session, delivery_id)
        if row is None or row.patient_id != patient.id:
            await self.router.show_menu(turn)
            return
        await content.mark_opened(turn.session, row.id, turn.now)
        delivery = get_module_for(
            program,
            row.module_id,
            language_of(patient, program),
            local_date(turn.now, patient.timezone),
            modules=self.modules,
            variant="full",
            reason="read_more",
        )
        if delivery is None:
            turn.replies.append(Reply(t(patient.locale, "This is no longer available.")))
            await clear_learn_state(turn.session, patient.id)
            return
        await self._send(turn, program, delivery)

    async def _quiz(self, turn: Turn, program: Program, delivery_id: int, answer: int) -> None:
        session, patient, locale = turn.session, turn.patient, turn.patient.locale
        row = await content.get_delivery(session, delivery_id)
        module = self.modules.get(row.module_id) if row is not None else None
        translation = module.translation(row.language) if module is not None and row is not None else None
        quiz = translation.quiz if translation is not None else None
        if row is None or row.patient_id != patient.id or module is None or quiz is None:
            await self.router.show_menu(turn)
            return
        if not 0 <= answer < len(quiz.options):
            await self.router.show_menu(turn)
            return
        correct = answer == quiz.correct
        await content.record_quiz_answer(session, row.id, correct, turn.now)
        await clear_learn_state(session, patient.id)
        verdict = t(locale, "Correct!") if correct else t(locale, "Not quite.")
        today = local_date(turn.now, patient.timezone)
        if servable(module, row.language, today):
            values = placeholder_values(program, patient.country, row.language)
            verdict = f"{verdict} {fill_placeholders(quiz.explanation, values)}"
        await self._say(turn, Reply(verdict, kind=KIND_QUIZ))
        await session.flush()
        follow_up = await journey_choice(
            session,
            patient=patient,
            program=program,
            modules=self.modules,
            address=turn.address,
            now=turn.now,
        )
        if follow_up is not None and follow_up.reason.startswith(FOLLOW_UP_REASONS):
            await self._send(turn, program, follow_up)

    async def _say(self, turn: Turn, reply: Reply) -> None:
        """Enqueue now, after whatever this turn already answered, so the patient reads things in order."""
        await self._drain(turn)
        await pending.enqueue_reply(
            turn.session,
            address=turn.address,
            text=reply.text,
            options=option_dicts(reply.options),
            kind=reply.kind,
            now=turn.now,
        )

    async def _send(self, turn: Turn, program: Program, delivery: Delivery) -> None:
        await self._drain(turn)
        # In a batch, as plain rows with the batch's other replies (bot.storage.pending); else ORM rows.
        for send in (send_module_in_batch, send_module):
            if await send(
                turn.session,
                patient=turn.patient,
                address=turn.address,
                program=program,
                modules=self.modules,
                delivery=delivery,
                now=turn.now,
            ):
                return

    async def _drain(self, turn: Turn) -> None:
        """Replies gathered so far (a safety acknowledgement) go to the outbox first: a module row needs its
        outbox id, so module messages are enqueued here rather than by the conversation at the end."""
        for reply in turn.replies:
            await pending.enqueue_reply(  # in a batch, with the batch's other replies
                turn.session,
                address=turn.address,
                text=reply.text,
                options=option_dicts(reply.options),
                kind=reply.kind,
                now=turn.now,
            )
        turn.replies.clear()
