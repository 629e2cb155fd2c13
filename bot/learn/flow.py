"""Learn: approved modules reach patients, from the menu, in answer to a quiz, and from the journey job.

The pure layer (programs in `bot.core.programs`, modules, journeys and pacing here in `bot.learn`) decides what may be served and what comes next; this module writes it to the
outbox in the caller's transaction together with its `content_deliveries` row (module, version, language,
approval reference, variant, reason), asks the module's quiz, and tells staff once per module and language
when a missing translation made a patient get the program's fallback language.

Conversation states of flow "learn": `browse` (the Learn list), `more` ("Read more" under a short text),
`quiz` (the module's question). Option keys name what they stand for (`learn:quiz:<delivery>:<answer>`), so a
button pressed on an older message still means what it said.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.pipeline import Conversation, Turn
from bot.core import menu
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.core.programs import Program
from bot.i18n import t
from bot.learn import store as content
from bot.learn.delivery import (
    KIND_MODULE,
    KIND_QUIZ,
    PREFIX,
    module_text,
    more_option,
    parse_choice,
    quiz_options,
    read_option,
)
from bot.learn.journey import browse, next_module
from bot.learn.modules import (
    Delivery,
    Module,
    Variant,
    fill_placeholders,
    get_module_for,
    not_servable_reason,
    placeholder_values,
    servable,
)
from bot.learn.pacing import events, history, local_date, pushed_on
from bot.storage import outbox, queries
from bot.storage.models import Address, ContentDelivery, Patient

FLOW = "learn"
# A pending question of another flow (a reminder answer, a report) is not taken over by a journey module
# that needs an answer, unless it was left unanswered this long.
STALE_STATE = timedelta(hours=24)
# Rules whose module answers what the patient just did: sent at once after a quiz answer.
FOLLOW_UP_REASONS = ("after:", "advance:")


def register(conversation: Conversation, modules: Mapping[str, Module]) -> Learn:
    """Hook Learn into the conversation: the menu entry, the flow's answers, and its buttons."""
    learn = Learn(conversation, modules)
    conversation.flows["menu:learn"] = learn.show_list
    conversation.flows[FLOW] = learn.answer
    conversation.flows["option:" + PREFIX] = (
        learn.answer
    )  # used where the conversation routes buttons by prefix
    conversation.suggest_module = learn.suggestion
    return learn


def language_of(patient: Patient, program: Program) -> str:
    return patient.locale or program.fallback_language or program.languages[0]


def channel_variant(address: Address) -> Variant | None:
    """The SMS channel always gets the short text; elsewhere engagement (or the patient's request) decides."""
    return "sms" if address.channel == "sms" else None


def _options(options: tuple[Option, ...]) -> list[dict[str, str]]:
    return [{"key": o.key, "label": o.label} for o in options]


async def send_module(
    session: AsyncSession,
    *,
    patient: Patient,
    address: Address,
    program: Program,
    modules: Mapping[str, Module],
    delivery: Delivery,
    now: datetime,
) -> ContentDelivery:
    """Write the module (and its quiz question or "Read more") to the outbox and record the delivery.

    Only approved words are sent: the chosen variant's text, the title and quiz from the same reviewed file,
    placeholders filled from the program. The conversation state is set so a typed answer is understood."""
    values = placeholder_values(program, patient.country)
    locale = patient.locale
    item = await outbox.enqueue(
        session, address=address, text=module_text(delivery, values), options=[], kind=KIND_MODULE, now=now
    )
    await session.flush()
    row = await content.record_delivery(
        session,
        patient_id=patient.id,
        program_id=program.id,
        delivery=delivery,
        channel=address.channel,
        outbox_id=item.id,
        now=now,
    )
    follow: tuple[Option, ...] = ()
    if delivery.variant == "sms":
        follow, step = (more_option(row.id, t(locale, "Read more")),), "more"
        item.options = _options(follow)
    elif delivery.quiz is not None:
        follow, step = quiz_options(delivery.quiz, values, row.id), "quiz"
        await outbox.enqueue(
            session,
            address=address,
            text=fill_placeholders(delivery.quiz.question, values),
            options=_options(follow),
            kind=KIND_QUIZ,
            now=now,
        )
    if follow:
        await queries.set_state(
            session,
            patient.id,
            flow=FLOW,
            step=step,
            data={"delivery": row.id},
            options=_options(follow),
            attempts=0,
            now=now,
        )
    else:
        state = await queries.get_state(session, patient.id)
        if state is not None and state.flow == FLOW:
            await clear_learn_state(session, patient.id)  # an older question no longer stands
    if delivery.fallback:
        await _tell_staff_translation_missing(session, program, modules, delivery, now)
    return row


async def _tell_staff_translation_missing(
    session: AsyncSession, program: Program, modules: Mapping[str, Module], delivery: Delivery, now: datetime
) -> None:
    lang = delivery.requested_language
    module = modules.get(delivery.module_id)
    why = not_servable_reason(module, lang, now.date()) if module is not None else None
    await content.notify_once(
        session,
        kind="translation_missing",
        key=f"{delivery.module_id}:{lang}",
        detail=(
            f"Module {delivery.module_id} cannot be served in '{lang}' ({why or 'not available'}): patients of "
            f"{program.id} who read '{lang}' get the approved '{delivery.language}' text instead. Add or renew "
            f"the '{lang}' translation."
        ),
        now=now,
    )


async def journey_choice(
    session: AsyncSession,
    *,
    patient: Patient,
    program: Program,
    modules: Mapping[str, Module],
    address: Address,
    now: datetime,
    records: Sequence[ContentDelivery] | None = None,
) -> Delivery | None:
    """What the journey would send this patient now, from their stored history (`records`, read when not
    given) and events."""
    assert patient.enrolled_at is not None
    tz = patient.timezone
    if records is None:
        records = await content.deliveries_of(session, patient.id)
    reports = (await content.pv_cases_opened(session, [patient.id]))[patient.id]
    return next_module(
        program,
        modules,
        history(records, tz),
        local_date(now, tz),
        local_date(patient.enrolled_at, tz),
        language_of(patient, program),
        events(records, reports, tz),
        variant=channel_variant(address),
    )


async def push_journey_module(
    session: AsyncSession,
    patient_id: int,
    *,
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    now: datetime,
) -> ContentDelivery | None:
    """Send today's journey module to one patient, if one is due: the journey job's write step.

    The patient row is locked and everything is checked again inside the transaction, so two processes (or a
    quiz answer racing the job) never send two journey modules on one local day."""
    patient = await content.lock_patient(session, patient_id)
    if patient is None or patient.status != "active" or patient.enrolled_at is None:
        return None
    program = programs.get(patient.program_id or "")
    if program is None:
        return None
    tz = patient.timezone
    today = local_date(now, tz)
    if patient.paused_until is not None and patient.paused_until >= today:
        return None
    records = await content.deliveries_of(session, patient.id)
    if pushed_on(records, today, tz):
        return None
    address = await content.reachable_address(session, patient.id)
    if address is None:
        return None
    delivery = await journey_choice(
        session, patient=patient, program=program, modules=modules, address=address, now=now, records=records
    )
    if delivery is None:
        return None
    if (delivery.variant == "sms" or delivery.quiz is not None) and await _busy(session, patient.id, now):
        return None  # the patient is answering something else; try again at a later tick
    return await send_module(
        session,
        patient=patient,
        address=address,
        program=program,
        modules=modules,
        delivery=delivery,
        now=now,
    )


async def clear_learn_state(session: AsyncSession, patient_id: int) -> None:
    """Forget the pending Learn question now (flushed: a state set later in this turn must not be deleted)."""
    await queries.clear_state(session, patient_id)
    await session.flush()


async def _busy(session: AsyncSession, patient_id: int, now: datetime) -> bool:
    state = await queries.get_state(session, patient_id)
    return state is not None and state.flow != FLOW and state.updated_at > now - STALE_STATE


@dataclass
class Learn:
    """The Learn menu entry and the answers to what it asked (which module, read more, the quiz)."""

    conversation: Conversation
    modules: Mapping[str, Module]

    def _program(self, turn: Turn) -> Program | None:
        return self.conversation.programs.get(turn.patient.program_id or "")

    def suggestion(self, turn: Turn, module_id: str) -> Option | None:
        """A Learn-list entry for one module, if it may be served to this patient today (approved, in date)."""
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
        values = placeholder_values(program, patient.country)
        options = tuple(read_option(d, values) for d in items)
        await queries.set_state(
            turn.session,
            patient.id,
            flow=FLOW,
            step="browse",
            data={},
            options=_options(options),
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
            await self.conversation.show_menu(turn)
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
            await self.conversation.show_menu(turn)
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
            await self.conversation.show_menu(turn)
            return
        if not 0 <= answer < len(quiz.options):
            await self.conversation.show_menu(turn)
            return
        correct = answer == quiz.correct
        await content.record_quiz_answer(session, row.id, correct, turn.now)
        await clear_learn_state(session, patient.id)
        verdict = t(locale, "Correct!") if correct else t(locale, "Not quite.")
        today = local_date(turn.now, patient.timezone)
        if servable(module, row.language, today):
            values = placeholder_values(program, patient.country)
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
        await outbox.enqueue(
            turn.session,
            address=turn.address,
            text=reply.text,
            options=_options(reply.options),
            kind=reply.kind,
            now=turn.now,
        )

    async def _send(self, turn: Turn, program: Program, delivery: Delivery) -> None:
        await self._drain(turn)
        await send_module(
            turn.session,
            patient=turn.patient,
            address=turn.address,
            program=program,
            modules=self.modules,
            delivery=delivery,
            now=turn.now,
        )

    async def _drain(self, turn: Turn) -> None:
        """Replies gathered so far (a safety acknowledgement) go to the outbox first: a module row needs its
        outbox id, so module messages are enqueued here rather than by the conversation at the end."""
        for reply in turn.replies:
            await outbox.enqueue(
                turn.session,
                address=turn.address,
                text=reply.text,
                options=_options(reply.options),
                kind=reply.kind,
                now=turn.now,
            )
        turn.replies.clear()
