"""Today's journey module for a chunk of patients in one transaction: the journey job's batched write step.

`push_journey_module` (bot.learn.send) does the same for one patient; a wave of thousands of patients written
that way costs a whole write transaction each (about 30 patients/s). Here one transaction per chunk locks
the chunk's patients (PostgreSQL, in id order, so two processes never deadlock), re-reads everything the
choice depends on, decides per patient exactly as `push_journey_module` does, and writes all deliveries,
messages, outbox rows and conversation states with a handful of multi-row statements.

Guarantees kept: a crash before commit leaves nothing of the chunk (the next tick sends it again, once); the
delivery row is written with its outbox row, so `pushed_on` sees it and no patient gets two journey modules
on one local day; only approved, servable text is chosen (`next_module`). A patient whose decision raises
is left out and reported in `WaveResult.failed`; the caller retries a chunk whose write failed patient by
patient.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Option
from bot.core.programs import Program
from bot.i18n import t
from bot.learn import store as content
from bot.learn.delivery import KIND_MODULE, KIND_QUIZ, module_text, more_option, quiz_options
from bot.learn.modules import Delivery, Module, fill_placeholders, placeholder_values
from bot.learn.pacing import due_module
from bot.learn.send import FLOW, STALE_STATE, option_dicts, tell_staff_translation_missing
from bot.storage import bulk
from bot.storage.models import Address, ContentDelivery, ConversationState, Patient

log = logging.getLogger(__name__)


@dataclass
class WaveResult:
    sent: list[int] = field(default_factory=list)  # patient ids that got a module
    failed: list[int] = field(default_factory=list)  # patient ids whose decision raised


@dataclass(frozen=True)
class _Who:
    id: int
    status: str
    program_id: str | None
    locale: str | None
    timezone: str | None
    country: str | None
    enrolled_at: datetime | None
    paused_until: date | None


@dataclass(frozen=True)
class _To:
    """The address columns a send needs (no decryption of the address value)."""

    id: int
    patient_id: int
    channel: str


@dataclass(frozen=True)
class _State:
    flow: str
    updated_at: datetime


@dataclass
class _Send:
    who: _Who
    to: _To
    program: Program
    delivery: Delivery
    values: dict[str, str]
    delivery_id: int = 0


async def send_wave(
    session: AsyncSession,
    patient_ids: Sequence[int],
    *,
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    now: datetime,
) -> WaveResult:
    """Send today's journey module to each of `patient_ids` for whom one is due, in the caller's
    transaction."""
    result = WaveResult()
    ids = sorted(set(patient_ids))
    if not ids:
        return result
    who = await _lock(session, ids)
    records = await content.deliveries_for(session, ids)
    reports = await content.pv_cases_opened(session, ids)
    addresses = await _addresses(session, ids)
    states = await _states(session, ids)
    sends: list[_Send] = []
    for patient in who:
        try:
            chosen = _decide(patient, programs, modules, records[patient.id], reports[patient.id],
                             addresses.get(patient.id), states.get(patient.id), now)  # fmt: skip
        except Exception:  # one bad record must not hold back the rest of the wave
            log.exception("journey: cannot decide for patient %s", patient.id)
            result.failed.append(patient.id)
            continue
        if chosen is not None:
            sends.append(chosen)
    if sends:
        await _write(session, sends, states, modules, now)
    result.sent = [s.who.id for s in sends]
    return result


async def _lock(session: AsyncSession, ids: list[int]) -> list[_Who]:
    """The patients, locked until commit on PostgreSQL (SQLite's write transaction is exclusive already)."""
    rows = await session.execute(
        select(
            Patient.id,
            Patient.status,
            Patient.program_id,
            Patient.locale,
            Patient.timezone,
            Patient.country,
            Patient.enrolled_at,
            Patient.paused_until,
        )
        .where(Patient.id.in_(ids))
        .order_by(Patient.id)
        .with_for_update()
    )
    return [_Who(*row) for row in rows.all()]


async def _addresses(session: AsyncSession, ids: list[int]) -> dict[int, _To]:
    """Each patient's address for the journey: as `content.reachable_address`, for a whole chunk."""
    rows = await session.execute(
        select(Address.id, Address.patient_id, Address.channel, Address.last_inbound_at, Address.created_at)
        .where(Address.patient_id.in_(ids), Address.opted_out.is_(False), Address.unreachable.is_(False))
        .order_by(Address.patient_id)
    )
    best: dict[int, tuple[Any, _To]] = {}
    for row in rows.all():
        rank = (row.last_inbound_at is not None, row.last_inbound_at or row.created_at, row.id)
        if row.patient_id not in best or rank > best[row.patient_id][0]:
            best[row.patient_id] = (rank, _To(row.id, row.patient_id, row.channel))
    return {pid: to for pid, (_, to) in best.items()}


async def _states(session: AsyncSession, ids: list[int]) -> dict[int, _State]:
    rows = await session.execute(
        select(ConversationState.patient_id, ConversationState.flow, ConversationState.updated_at).where(
            ConversationState.patient_id.in_(ids)
        )
    )
    return {row.patient_id: _State(row.flow, row.updated_at) for row in rows.all()}


def _decide(
    who: _Who,
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    records: Sequence[ContentDelivery],
    reports: Sequence[datetime],
    to: _To | None,
    state: _State | None,
    now: datetime,
) -> _Send | None:
    """The checks of `push_journey_module`, in its order, on rows read for the whole chunk."""
    if who.status != "active" or who.enrolled_at is None or to is None:
        return None
    program = programs.get(who.program_id or "")
    if program is None:
        return None
    delivery = due_module(
        program,
        modules,
        records,
        reports,
        now,
        tz=who.timezone,
        locale=who.locale,
        enrolled_at=who.enrolled_at,
        paused_until=who.paused_until,
        variant="sms" if to.channel == "sms" else None,
    )
    if delivery is None:
        return None
    needs_answer = delivery.variant == "sms" or delivery.quiz is not None
    if needs_answer and state is not None and state.flow != FLOW and state.updated_at > now - STALE_STATE:
        return None  # the patient is answering something else; try again at a later tick
    return _Send(who, to, program, delivery, placeholder_values(program, who.country, delivery.language))


def _follow(send: _Send) -> tuple[tuple[Option, ...], str]:
    """The options under the module (and the conversation step they answer), as `send_module` sets them."""
    if send.delivery.variant == "sms":
        return (more_option(send.delivery_id, t(send.who.locale, "Read more")),), "more"
    if send.delivery.quiz is not None:
        return quiz_options(send.delivery.quiz, send.values, send.delivery_id), "quiz"
    return (), ""


# Over 60 lines on purpose: every row of the chunk, table by table, in the order the foreign keys need.
async def _write(
    session: AsyncSession,
    sends: list[_Send],
    states: Mapping[int, _State],
    modules: Mapping[str, Module],
    now: datetime,
) -> None:
    """Delivery rows first (their ids go into the option keys), then messages and outbox rows, then the
    deliveries' outbox ids and the conversation states."""
    delivery_ids = await bulk.insert_ids(
        session,
        ContentDelivery,
        [
            {
                "patient_id": s.who.id,
                "program_id": s.program.id,
                "module_id": s.delivery.module_id,
                "version": s.delivery.version,
                "language": s.delivery.language,
                "requested_language": s.delivery.requested_language,
                "fallback": s.delivery.fallback,
                "approval_reference": s.delivery.approval_reference,
                "variant": s.delivery.variant,
                "reason": s.delivery.reason,
                "channel": s.to.channel,
                "sent_at": now,
                "outbox_id": None,
            }
            for s in sends
        ],
    )
    items: list[tuple[_To, str, list[dict[str, str]], str]] = []
    templates: list[dict[str, Any] | None] = []
    first_item: list[int] = []  # index in `items` of each send's module message
    new_states: list[dict[str, Any]] = []
    cleared: list[int] = []
    for send, delivery_id in zip(sends, delivery_ids, strict=True):
        send.delivery_id = delivery_id
        follow, step = _follow(send)
        text = module_text(send.delivery, send.values)
        title = fill_placeholders(send.delivery.title, send.values)
        first_item.append(len(items))
        # Outside WhatsApp's 24-hour window the module goes as the program's approved "module" template.
        templates.append(
            {"key": "module", "values": {"title": title, "text": text.removeprefix(title).strip()}}
        )
        options = option_dicts(follow) if send.delivery.variant == "sms" else []
        items.append((send.to, text, options, KIND_MODULE))
        if send.delivery.variant != "sms" and send.delivery.quiz is not None:
            question = fill_placeholders(send.delivery.quiz.question, send.values)
            items.append((send.to, question, option_dicts(follow), KIND_QUIZ))
            templates.append({"key": "quiz", "values": {"question": question}})
        if follow:
            new_states.append(
                {
                    "patient_id": send.who.id,
                    "flow": FLOW,
                    "step": step,
                    "data": {"delivery": delivery_id},
                    "options": option_dicts(follow),
                    "attempts": 0,
                    "updated_at": now,
                }  # fmt: skip
            )
        elif (state := states.get(send.who.id)) is not None and state.flow == FLOW:
            cleared.append(send.who.id)  # an older question no longer stands
    outbox_ids = await bulk.enqueue_many(session, items, now, templates=templates)
    await session.execute(  # ORM bulk UPDATE by primary key: one executemany
        update(ContentDelivery),
        [{"id": s.delivery_id, "outbox_id": outbox_ids[i]} for s, i in zip(sends, first_item, strict=True)],
    )
    await _store_states(session, new_states, cleared, states)
    told: set[tuple[str, str]] = set()
    for send in sends:
        key = (send.delivery.module_id, send.delivery.requested_language)
        if send.delivery.fallback and key not in told:
            told.add(key)
            await tell_staff_translation_missing(session, send.program, modules, send.delivery, now)


async def _store_states(
    session: AsyncSession, new: list[dict[str, Any]], cleared: list[int], known: Mapping[int, _State]
) -> None:
    """Replace the states of patients who now owe an answer; delete stale Learn questions."""
    gone = cleared + [row["patient_id"] for row in new if row["patient_id"] in known]
    if gone:
        await session.execute(
            delete(ConversationState)
            .where(ConversationState.patient_id.in_(gone))
            .execution_options(synchronize_session=False)
        )
    if new:
        await session.execute(insert(ConversationState), new)
