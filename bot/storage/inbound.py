"""Queries for a batch of inbound messages (bot.conversation.batch): one statement for many messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, and_, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.storage import crypto, ids, pending, queries
from bot.storage.models import Address, ConversationState, Message, Patient


async def find_addresses_with_patients(
    session: AsyncSession, pairs: list[tuple[str, str]]
) -> list[tuple[Address, Patient]]:
    """Many (channel, address) pairs with their patients in one SELECT (a batch of inbound messages); the
    patients' conversation states come with them (`queries.get_state` reads them no more)."""
    lookups: dict[str, set[str]] = {}
    for channel, address in pairs:
        lookups.setdefault(channel, set()).add(crypto.lookup_hash(channel, address))
    if not lookups:
        return []
    rows = (
        await session.execute(
            select(Address, Patient, ConversationState)
            .join(Patient, Patient.id == Address.patient_id)
            .outerjoin(ConversationState, ConversationState.patient_id == Patient.id)
            .where(
                or_(*(and_(Address.channel == c, Address.lookup.in_(sorted(k))) for c, k in lookups.items()))
            )
        )
    ).all()
    queries.remember_states(session, {row[1].id: row[2] for row in rows})
    return [(row[0], row[1]) for row in rows]


async def inbound_stored(session: AsyncSession, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which (channel, external_id) of a batch are stored already as inbound messages (redeliveries)."""
    ids: dict[str, set[str]] = {}
    for channel, external_id in keys:
        ids.setdefault(channel, set()).add(external_id)
    if not ids:
        return set()
    rows = await session.execute(
        select(Message.channel, Message.external_id).where(
            Message.direction == "in",
            or_(*(and_(Message.channel == c, Message.external_id.in_(sorted(e))) for c, e in ids.items())),
        )
    )
    return {(str(channel), str(external_id)) for channel, external_id in rows.all()}


async def create_patients_with_addresses(
    session: AsyncSession, first_contacts: list[tuple[str, str, datetime]], now: datetime
) -> list[tuple[Address, Patient]]:
    """New patients (status `enrolling`) with one address each, for a batch's first contacts: (channel,
    address, last_inbound_at). One INSERT per table (SQLite: ids chosen here; PostgreSQL: RETURNING)."""
    if not first_contacts:
        return []
    first = await ids.take(session, Patient, len(first_contacts))
    patients = [
        Patient(
            id=None if first is None else first + n,
            status="enrolling",
            locale=None,
            created_at=now,
            reminder_times=[],
        )
        for n in range(len(first_contacts))
    ]
    for patient in patients:
        if patient.id is not None:
            patient.patient_ref = f"PSP-{patient.id:06d}"
    session.add_all(patients)
    await session.flush()  # before their addresses: the models declare no relationships to order them by
    start = await ids.take(session, Address, len(first_contacts))
    addresses = []
    for n, (patient, (channel, value, last_inbound_at)) in enumerate(
        zip(patients, first_contacts, strict=True)
    ):
        patient.patient_ref = f"PSP-{patient.id:06d}"
        addresses.append(
            Address(
                id=None if start is None else start + n,
                patient_id=patient.id,
                channel=channel,
                lookup=crypto.lookup_hash(channel, value),
                value=value,
                created_at=now,
                opted_out=False,
                unreachable=False,
                last_inbound_at=last_inbound_at,
            )
        )
    session.add_all(addresses)
    await session.flush()
    queries.remember_states(session, {patient.id: None for patient in patients})  # new: none yet
    return list(zip(addresses, patients, strict=True))


@dataclass(eq=False)
class StoredMessage:
    """An inbound message a batch stored up front (a Core row, not an ORM object). What the pipeline changes
    afterwards (its patient after a link, its language, the screen's tier) is written with the other messages
    of the batch in one executemany UPDATE (see `_write_changes`)."""

    id: int
    patient_id: int | None
    language: str | None
    created_at: datetime
    screen_tier: str | None = None
    written: tuple[int | None, str | None, str | None] = (None, None, None)

    def changes(self) -> tuple[int | None, str | None, str | None]:
        return self.patient_id, self.language, self.screen_tier


_MESSAGES = cast(Table, Message.__table__)
_INSERT = insert(_MESSAGES)
_INSERT_RETURNING = insert(_MESSAGES).returning(_MESSAGES.c.id, sort_by_parameter_order=True)
_UPDATE = (
    update(_MESSAGES)
    .where(_MESSAGES.c.id == bindparam("i"))
    .values(patient_id=bindparam("p"), language=bindparam("l"), screen_tier=bindparam("t"))
)
_STORED = "psp_stored_messages"


def _write_changes(session: Session) -> None:
    cached = session.info.get(_STORED)
    if cached is None or cached[0] is not session.get_transaction():
        return
    stored: list[StoredMessage] = cached[1]
    changed = [m for m in stored if m.changes() != m.written]
    if not changed:
        return
    session.connection().execute(
        _UPDATE,
        [{"i": m.id, "p": m.patient_id, "l": m.language, "t": m.screen_tier} for m in changed],
    )
    for message in changed:
        message.written = message.changes()


async def store_inbound_many(
    session: AsyncSession, rows: list[tuple[Address, str, str, str | None, str | None, datetime, str | None]]
) -> list[StoredMessage]:
    """Store a batch's messages from known addresses with one INSERT (and one executemany UPDATE of the
    addresses at the next flush): (address, channel, text, option, external_id, received_at, language) each.
    Verbatim and encrypted as `queries.store_inbound` stores one (the same columns)."""
    if not rows:
        return []
    first = await ids.take(session, Message, len(rows))
    values = []
    for n, (address, channel, text, option, external_id, received_at, language) in enumerate(rows):
        address.last_inbound_at = received_at
        values.append(
            {
                "id": None if first is None else first + n,
                "patient_id": address.patient_id,
                "address_id": address.id,
                "channel": channel,
                "direction": "in",
                "external_id": external_id,
                "body": text,
                "option": option,
                "kind": None,
                "screen_tier": None,
                "status": "received",
                "segments": None,
                "error_code": None,
                "created_at": received_at,
                "language": language,
            }
        )
    if first is not None:
        await session.execute(_INSERT, values)
        message_ids = list(range(first, first + len(values)))
    else:  # PostgreSQL: numbered by the sequence, returned in parameter order
        for value in values:
            del value["id"]
        message_ids = list((await session.scalars(_INSERT_RETURNING, values)).all())
    stored = [
        StoredMessage(
            id=message_id,
            patient_id=address.patient_id,
            language=language,
            created_at=received_at,
            written=(address.patient_id, language, None),
        )
        for message_id, (address, _, _, _, _, received_at, language) in zip(message_ids, rows, strict=True)
    ]
    transaction = session.sync_session.get_transaction()
    cached: tuple[object, list[StoredMessage]] | None = session.info.get(_STORED)
    if cached is None or cached[0] is not transaction:
        cached = session.info[_STORED] = (transaction, [])
    cached[1].extend(stored)
    pending.eager(session, _STORED, _write_changes)
    return stored
