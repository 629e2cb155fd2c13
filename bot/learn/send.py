"""Sending approved modules: what the Learn flow and the journey job share.

A module goes to the outbox in the caller's transaction with its `content_deliveries` row (module, version,
language, approval reference, variant, reason); staff are told once per module and language when a missing
translation made a patient get the program's fallback language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Option
from bot.core.programs import Program
from bot.i18n import t
from bot.learn import store as content
from bot.learn.delivery import (
    KIND_MODULE,
    KIND_QUIZ,
    module_text,
    more_option,
    quiz_options,
)
from bot.learn.journey import next_module
from bot.learn.modules import (
    Delivery,
    Module,
    Variant,
    fill_placeholders,
    not_servable_reason,
    placeholder_values,
)
from bot.learn.pacing import events, history, local_date, pushed_on
from bot.storage import ids, outbox, pending, queries
from bot.storage.models import Address, ContentDelivery, Patient

FLOW = "learn"
# A pending question of another flow (a reminder answer, a report) is not taken over by a journey module
# that needs an answer, unless it was left unanswered this long.
STALE_STATE = timedelta(hours=24)


def language_of(patient: Patient, program: Program) -> str:
    return patient.locale or program.fallback_language or program.languages[0]


def channel_variant(address: Address) -> Variant | None:
    """The SMS channel always gets the short text; elsewhere engagement (or the patient's request) decides."""
    return "sms" if address.channel == "sms" else None


def option_dicts(options: tuple[Option, ...]) -> list[dict[str, str]]:
    return [{"key": o.key, "label": o.label} for o in options]


# Over 60 lines on purpose: one delivery (text, quiz or 'Read more', delivery row, outbox row).
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
    values = placeholder_values(program, patient.country, delivery.language)
    locale = patient.locale
    text = module_text(delivery, values)
    title = fill_placeholders(delivery.title, values)
    # Outside WhatsApp's 24-hour window the module goes as the program's approved "module" template.
    as_template = {"key": "module", "values": {"title": title, "text": text.removeprefix(title).strip()}}
    item = await outbox.enqueue(
        session, address=address, text=text, options=[], kind=KIND_MODULE, now=now, template=as_template
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
    step = ""
    if delivery.variant == "sms":
        follow, step = (more_option(row.id, t(locale, "Read more")),), "more"
        item.options = option_dicts(follow)
    elif delivery.quiz is not None:
        follow, step = quiz_options(delivery.quiz, values, row.id), "quiz"
        await outbox.enqueue(
            session,
            address=address,
            text=fill_placeholders(delivery.quiz.question, values),
            options=option_dicts(follow),
            kind=KIND_QUIZ,
            now=now,
            template={
                "key": "quiz",
                "values": {"question": fill_placeholders(delivery.quiz.question, values)},
            },
        )
    await _after_module(session, patient, program, modules, delivery, follow, step, row.id, now)
    return row


async def send_module_in_batch(
    session: AsyncSession,
    *,
    patient: Patient,
    address: Address,
    program: Program,
    modules: Mapping[str, Module],
    delivery: Delivery,
    now: datetime,
) -> bool:
    """`send_module` in a batch of inbound messages (bot.conversation.batch): the same rows and state, but
    the module's message, outbox row and delivery row wait as plain rows and go in with the batch's other
    replies, one statement per table (bot.storage.pending), instead of ORM objects and two flushes each.

    False (nothing written) outside a batch, or on PostgreSQL when the module asks a question ("Read more", a
    quiz): its options name the delivery, whose id the database gives only when the row is inserted."""
    if not pending.buffering(session):
        return False
    delivery_id = await ids.take(session, ContentDelivery)  # None on PostgreSQL
    if delivery_id is None and (delivery.variant == "sms" or delivery.quiz is not None):
        return False
    values = placeholder_values(program, patient.country, delivery.language)
    text = module_text(delivery, values)
    title = fill_placeholders(delivery.title, values)
    as_template = {"key": "module", "values": {"title": title, "text": text.removeprefix(title).strip()}}
    row = content.delivery_columns(
        patient_id=patient.id,
        program_id=program.id,
        delivery=delivery,
        channel=address.channel,
        now=now,
    )
    if delivery_id is not None:
        row["id"] = delivery_id
    follow: tuple[Option, ...] = ()
    module_options: list[dict[str, str]] = []
    step = ""
    if delivery_id is not None and delivery.variant == "sms":
        follow, step = (more_option(delivery_id, t(patient.locale, "Read more")),), "more"
        module_options = option_dicts(follow)
    elif delivery_id is not None and delivery.quiz is not None:
        follow, step = quiz_options(delivery.quiz, values, delivery_id), "quiz"
    await pending.enqueue_reply(
        session,
        address=address,
        text=text,
        options=module_options,
        kind=KIND_MODULE,
        now=now,
        template=as_template,
        then=(content.DELIVERIES, row),
    )
    if delivery.quiz is not None and step == "quiz":  # after the module, in the same chat's order
        question = fill_placeholders(delivery.quiz.question, values)
        await pending.enqueue_reply(
            session,
            address=address,
            text=question,
            options=option_dicts(follow),
            kind=KIND_QUIZ,
            now=now,
            template={"key": "quiz", "values": {"question": question}},
        )
    await _after_module(session, patient, program, modules, delivery, follow, step, delivery_id, now)
    return True


async def _after_module(
    session: AsyncSession,
    patient: Patient,
    program: Program,
    modules: Mapping[str, Module],
    delivery: Delivery,
    follow: tuple[Option, ...],
    step: str,
    delivery_id: int | None,
    now: datetime,
) -> None:
    """What follows a module, sent alone or in a batch: its question stands, or an older one no longer does;
    staff hear once when the patient's language had to fall back."""
    if follow:
        await queries.set_state(
            session,
            patient.id,
            flow=FLOW,
            step=step,
            data={"delivery": delivery_id},
            options=option_dicts(follow),
            attempts=0,
            now=now,
        )
    else:
        state = await queries.get_state(session, patient.id)
        if state is not None and state.flow == FLOW:
            await clear_learn_state(session, patient.id)  # an older question no longer stands
    if delivery.fallback:
        await tell_staff_translation_missing(session, program, modules, delivery, now)


async def tell_staff_translation_missing(
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
            f"Module {delivery.module_id} cannot be served in '{lang}' ({why or 'not available'}): patients "
            f"of "
            f"{program.id} who read '{lang}' get the approved '{delivery.language}' text instead. Add or "
            f"renew "
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
    """Forget the pending Learn question now (flushed: a state set later in this turn must not be deleted).

    In a batch no flush: `queries.get_state` remembers the state as gone for the whole transaction, so a
    state set later is a new row that the flush turns into an UPDATE of the deleted one (and a flush here,
    once per message, wrote everything else the batch had pending)."""
    await queries.clear_state(session, patient_id)
    if not pending.buffering(session):
        await session.flush()


async def _busy(session: AsyncSession, patient_id: int, now: datetime) -> bool:
    state = await queries.get_state(session, patient_id)
    return state is not None and state.flow != FLOW and state.updated_at > now - STALE_STATE
