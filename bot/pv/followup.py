"""The "pv_followup" conversation flow: approved questions after a safety report, one at a time.

After the safety reply, an enrolled patient is asked the first approved question the case has no answer to
(`offer`), whatever they were doing ("My reminders", a quiz, an open reminder: they are brought back there
after the last question); each answer is attached to the case verbatim and the next
question follows (`FollowUpFlow`). MENU or STOP skips (they are keywords, handled before any flow); not
answering skips too: a question left unanswered for `TTL` no longer claims the patient's next message, and
choosing a menu entry by name ("Talk to a person") leaves the questions for the menu.
Screening runs before this flow, so a new safety message during follow-up still escalates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.core.messages import Option
from bot.core.options import match_option
from bot.pv import questions, store
from bot.storage import queries

FLOW = "pv_followup"
KEEP_FLOWS = frozenset({FLOW, "enrolment"})  # states the questions never interrupt
TTL = timedelta(hours=12)
PATIENT = "patient"


async def set_question(
    session: AsyncSession,
    patient_id: int,
    case_id: int,
    question: questions.Question,
    locale: str | None,
    now: datetime,
    *,
    single: bool = False,
    then: dict[str, Any] | None = None,
) -> None:
    """Remember that the patient's next message answers `question` for `case_id` (and what to go back to)."""
    await queries.set_state(
        session,
        patient_id,
        flow=FLOW,
        step=question.key,
        data={"case_id": case_id, "single": single, **({"then": then} if then else {})},
        options=[{"key": o.key, "label": o.label} for o in question.localized_options(locale)],
        attempts=0,
        now=now,
    )


async def offer(turn: Turn) -> None:
    """After an escalation: ask the first unanswered approved question, if nothing else awaits an answer."""
    case_id, patient = turn.pv_case_id, turn.patient
    if case_id is None or patient.status != "active" or turn.address.opted_out:
        return
    state = await queries.get_state(turn.session, patient.id)
    then: dict[str, Any] | None = None
    if state is not None and state not in turn.session.deleted:  # (a state cleared in this turn is gone)
        if state.flow in KEEP_FLOWS:
            return  # enrolment, or these very questions, are waiting for this patient's answer
        # "My reminders", a quiz, an open reminder: the questions come first, then the patient is back there.
        then = {"flow": state.flow, "step": state.step, "data": state.data, "options": state.options}
    question = questions.next_question(await store.answered_questions(turn.session, case_id))
    if question is None:
        return
    await set_question(turn.session, patient.id, case_id, question, patient.locale, turn.now, then=then)
    turn.replies.append(questions.ask(question, patient.locale, intro=True))


async def _raise_seriousness(session: AsyncSession, case_id: int, option: str, now: datetime) -> None:
    case = await store.get_case(session, case_id)
    if case is not None and not case.serious:
        case.serious = True
        await store.record_action(session, case_id, PATIENT, "seriousness_raised", {"option": option}, at=now)


def _menu_choice(turn: Turn) -> bool:
    """True when the message picks a menu entry by its name (or an old menu button), not by a number: the
    patient skipped the questions and wants something else."""
    text, pressed = turn.inbound.text, turn.inbound.option
    if pressed is None and text.strip().isdigit():
        return False
    return (
        match_option(text, pressed, menu.menu_options(turn.patient.locale), turn.patient.locale) is not None
    )


class FollowUpFlow:
    """The flow of the "pv_followup" state: takes the answer, attaches it, asks the next question."""

    def __init__(self, fallback: Callable[[Turn], Awaitable[None]]) -> None:
        self.fallback = fallback  # what handles a message once the question has expired (the menu)

    async def __call__(self, turn: Turn) -> None:
        session, patient, locale = turn.session, turn.patient, turn.patient.locale
        state = await queries.get_state(session, patient.id)
        if state is None or state.flow != FLOW or turn.now - state.updated_at > TTL:
            await queries.clear_state(session, patient.id)
            await self.fallback(turn)
            return
        case_id = int(state.data["case_id"])
        current = questions.BY_KEY.get(state.step)
        pressed = questions.question_of_option(turn.inbound.option)
        question = pressed or current
        if question is None:
            await queries.clear_state(session, patient.id)
            await self.fallback(turn)
            return
        if pressed is not None:
            chosen: str | None = turn.inbound.option
        else:
            offered = tuple(Option(o["key"], o["label"]) for o in state.options)
            chosen = match_option(turn.inbound.text, turn.inbound.option, offered, locale)
            if chosen is None and _menu_choice(turn):
                await queries.clear_state(session, patient.id)  # "Talk to a person": the patient moved on
                await self.fallback(turn)
                return
        answer = turn.inbound.text.strip() or (question.label(chosen, locale) if chosen else "") or ""
        await store.add_answer(
            session,
            case_id=case_id,
            question=question.key,
            answer=answer,
            option=chosen,
            message_id=turn.message_id,
            answered_at=turn.inbound.received_at,
        )
        await store.record_action(
            session,
            case_id,
            PATIENT,
            "followup_answered",
            {"question": question.key, "option": chosen, "message_id": turn.message_id},
            at=turn.now,
        )
        if chosen in questions.SERIOUS_OPTIONS:
            await _raise_seriousness(session, case_id, chosen, turn.now)
        answered = await store.answered_questions(session, case_id) | {question.key}
        following = None if state.data.get("single") else questions.next_question(answered)
        if following is None:
            await _back_to_where_they_were(session, patient.id, state.data.get("then"), turn.now)
            turn.replies.append(questions.thanks(locale))
            return
        await set_question(
            session, patient.id, case_id, following, locale, turn.now, then=state.data.get("then")
        )
        turn.replies.append(questions.ask(following, locale))


async def _back_to_where_they_were(
    session: AsyncSession, patient_id: int, then: dict[str, Any] | None, now: datetime
) -> None:
    """After the last question: the state the report interrupted (an open reminder still takes "taken")."""
    if not then:
        await queries.clear_state(session, patient_id)
        return
    await queries.set_state(
        session,
        patient_id,
        flow=str(then["flow"]),
        step=str(then["step"]),
        data=dict(then.get("data") or {}),
        options=list(then.get("options") or []),
        attempts=0,
        now=now,
    )


def install(router: Router) -> None:
    """Register the flow, and offer its questions after each escalation."""
    router.state(FLOW, FollowUpFlow(router.show_menu))
    router.after_escalation(offer)
