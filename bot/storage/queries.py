"""Plain async query functions on an AsyncSession: patients, addresses, messages, consents, state, tasks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import crypto, ids
from bot.storage.models import (
    Address,
    Consent,
    ConversationState,
    Message,
    OutboxItem,
    Patient,
    Program,
    SupportTask,
)


async def sync_programs(session: AsyncSession, programs: dict[str, tuple[str, str]]) -> None:
    """Make the programs table match content/programs (id -> (name, product)).

    One upsert, so several `psp serve` processes starting together on one database never collide on a new
    program's primary key (a read-then-insert did, on PostgreSQL).
    """
    if not programs:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"id": key, "name": name, "product": product} for key, (name, product) in programs.items()]
    statement = insert(Program).values(rows)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[Program.id],
            set_={"name": statement.excluded.name, "product": statement.excluded.product},
        )
    )


async def find_address(session: AsyncSession, channel: str, address: str) -> Address | None:
    lookup = crypto.lookup_hash(channel, address)
    return await session.scalar(select(Address).where(Address.channel == channel, Address.lookup == lookup))


async def find_address_with_patient(
    session: AsyncSession, channel: str, address: str
) -> tuple[Address, Patient] | None:
    """The address and its patient in one round trip (the inbound hot path)."""
    lookup = crypto.lookup_hash(channel, address)
    row = (
        await session.execute(
            select(Address, Patient)
            .join(Patient, Patient.id == Address.patient_id)
            .where(Address.channel == channel, Address.lookup == lookup)
        )
    ).first()
    return None if row is None else (row[0], row[1])


async def create_patient(session: AsyncSession, now: datetime, locale: str | None = None) -> Patient:
    """A new patient in status `enrolling`, with its program patient ID (PSP-000123)."""
    patient = Patient(
        id=await ids.take(session, Patient),
        status="enrolling",
        locale=locale,
        created_at=now,
        reminder_times=[],
    )
    if patient.id is not None:
        patient.patient_ref = f"PSP-{patient.id:06d}"  # SQLite: in the INSERT, no UPDATE after it
    session.add(patient)
    await session.flush()  # before anything that refers to it: the models declare no relationships
    patient.patient_ref = f"PSP-{patient.id:06d}"
    return patient


async def add_address(
    session: AsyncSession,
    patient: Patient,
    channel: str,
    address: str,
    now: datetime,
    *,
    last_inbound_at: datetime | None = None,
) -> Address:
    row = Address(
        id=await ids.take(session, Address),
        patient_id=patient.id,
        channel=channel,
        lookup=crypto.lookup_hash(channel, address),
        value=address,
        created_at=now,
        opted_out=False,
        unreachable=False,
        last_inbound_at=last_inbound_at,  # set now, an inbound's first store needs no UPDATE
    )
    session.add(row)
    await session.flush()
    return row


async def get_patient(session: AsyncSession, patient_id: int) -> Patient | None:
    return await session.get(Patient, patient_id)


async def get_patient_by_ref(session: AsyncSession, patient_ref: str) -> Patient | None:
    return await session.scalar(select(Patient).where(Patient.patient_ref == patient_ref.strip().upper()))


async def patient_addresses(session: AsyncSession, patient_id: int) -> list[Address]:
    return list((await session.scalars(select(Address).where(Address.patient_id == patient_id))).all())


async def inbound_exists(session: AsyncSession, channel: str, external_id: str) -> bool:
    found = await session.scalar(
        select(Message.id).where(
            Message.channel == channel, Message.direction == "in", Message.external_id == external_id
        )
    )
    return found is not None


async def store_inbound(
    session: AsyncSession,
    *,
    channel: str,
    address: Address,
    text: str,
    option: str | None,
    external_id: str | None,
    received_at: datetime,
    language: str | None = None,
) -> Message:
    message = inbound_message(
        await ids.take(session, Message), address, channel, text, option, external_id, received_at, language
    )
    session.add(message)
    await session.flush()
    return message


def inbound_message(
    message_id: int | None,
    address: Address,
    channel: str,
    text: str,
    option: str | None,
    external_id: str | None,
    received_at: datetime,
    language: str | None,
) -> Message:
    """A received message's row (not yet added), and its address's last inbound time: one shape for the
    one-message path and a batch."""
    address.last_inbound_at = received_at
    return Message(
        id=message_id,
        language=language,
        patient_id=address.patient_id,
        address_id=address.id,
        channel=channel,
        direction="in",
        external_id=external_id,
        body=text,
        option=option,
        status="received",
        created_at=received_at,
    )


_STATES = "psp_states"


def _states(session: AsyncSession) -> dict[int, ConversationState | None]:
    """States this transaction has already looked up, including "none" (the identity map only remembers rows).

    The pipeline asks for a patient's state several times per message; this keeps it to one SELECT. Keyed by
    the transaction, so a later transaction on the same session looks again.
    """
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(_STATES)
    if cached is None or cached[0] is not transaction:
        cached = (transaction, {})
        session.info[_STATES] = cached
    states: dict[int, ConversationState | None] = cached[1]
    return states


def _gone(state: ConversationState) -> bool:
    found = inspect(state)
    return bool(found.deleted or found.was_deleted or found.detached)


async def get_state(session: AsyncSession, patient_id: int) -> ConversationState | None:
    known = _states(session)
    state = known[patient_id] if patient_id in known else await session.get(ConversationState, patient_id)
    if state is not None and _gone(state):
        state = None
    known[patient_id] = state
    return state


async def prefetch_states(session: AsyncSession, patient_ids: set[int]) -> None:
    """Read the states of many patients in one SELECT, so `get_state` needs none for them in this
    transaction."""
    if not patient_ids:
        return
    known = _states(session)
    missing = sorted(pid for pid in patient_ids if pid not in known)
    if not missing:
        return
    found = await session.scalars(select(ConversationState).where(ConversationState.patient_id.in_(missing)))
    rows = {state.patient_id: state for state in found.all()}
    for pid in missing:
        known[pid] = rows.get(pid)


def remember_states(session: AsyncSession, states: Mapping[int, ConversationState | None]) -> None:
    """States read along with other rows (a batch's patients), or known to be none (patients created in this
    transaction): `get_state` needs no SELECT for them in this transaction."""
    known = _states(session)
    for patient_id, state in states.items():
        known.setdefault(patient_id, state)


async def set_state(
    session: AsyncSession,
    patient_id: int,
    *,
    flow: str,
    step: str,
    data: dict[str, Any],
    options: list[Any],
    attempts: int,
    now: datetime,
) -> None:
    state = await get_state(session, patient_id)
    if state is None:
        state = ConversationState(patient_id=patient_id)
        session.add(
            state
        )  # after a clear_state in this transaction, the flush turns DELETE + INSERT into an UPDATE
        _states(session)[patient_id] = state
    state.flow, state.step, state.data, state.options, state.attempts = flow, step, data, options, attempts
    state.updated_at = now


async def clear_state(session: AsyncSession, patient_id: int) -> None:
    state = await get_state(session, patient_id)
    if state is not None:
        await session.delete(state)
        _states(session)[patient_id] = None


async def record_consent(
    session: AsyncSession,
    patient_id: int,
    *,
    granted: bool,
    version: str,
    channel: str,
    verbatim: str,
    now: datetime,
    kind: str = "program",
    text_hash: str | None = None,
    language: str | None = None,
) -> Consent:
    consent = Consent(
        text_hash=text_hash,
        language=language,
        patient_id=patient_id,
        type=kind,
        text_version=version,
        granted=granted,
        channel=channel,
        verbatim=verbatim,
        recorded_at=now,
    )
    session.add(consent)
    return consent


async def consents_of(session: AsyncSession, patient_id: int) -> list[Consent]:
    rows = await session.scalars(select(Consent).where(Consent.patient_id == patient_id).order_by(Consent.id))
    return list(rows.all())


async def set_opt_out(session: AsyncSession, patient_id: int, opted_out: bool, now: datetime) -> None:
    """STOP and START act on every address of the patient at once, whatever channel the word came from."""
    await session.execute(
        update(Address)
        .where(Address.patient_id == patient_id)
        .values(opted_out=opted_out, opted_out_at=now if opted_out else None)
    )


async def cancel_pending_outbox(session: AsyncSession, patient_id: int) -> int:
    """Pending replies to a patient who just said STOP are cancelled, not sent."""
    address_ids = select(Address.id).where(Address.patient_id == patient_id)
    result = await session.execute(
        update(OutboxItem)
        .where(OutboxItem.address_id.in_(address_ids), OutboxItem.status == "pending")
        .values(status="cancelled", last_error="patient opted out")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def open_support_task(
    session: AsyncSession,
    patient_id: int | None,
    kind: str,
    detail: str,
    now: datetime,
    *,
    urgent: bool = False,
) -> SupportTask:
    """One open task per patient and kind: a second trigger adds to the detail instead of a duplicate."""
    if patient_id is not None:
        existing = await session.scalar(
            select(SupportTask).where(
                SupportTask.patient_id == patient_id, SupportTask.kind == kind, SupportTask.status == "open"
            )
        )
        if existing is not None:
            existing.detail = (existing.detail + "\n" + detail).strip()
            existing.urgent = existing.urgent or urgent
            return existing
    task = SupportTask(
        patient_id=patient_id, kind=kind, detail=detail, status="open", created_at=now, urgent=urgent
    )
    session.add(task)
    await session.flush()
    return task


async def messages_of(session: AsyncSession, patient_id: int) -> list[Message]:
    rows = await session.scalars(
        select(Message).where(Message.patient_id == patient_id).order_by(Message.created_at, Message.id)
    )
    return list(rows.all())
