"""Queries for a batch of inbound messages (bot.conversation.batch): one statement for many messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import crypto, ids
from bot.storage.models import Address, Message, Patient
from bot.storage.queries import inbound_message


async def find_addresses_with_patients(
    session: AsyncSession, pairs: list[tuple[str, str]]
) -> list[tuple[Address, Patient]]:
    """Many (channel, address) pairs with their patients in one SELECT (a batch of inbound messages)."""
    lookups: dict[str, set[str]] = {}
    for channel, address in pairs:
        lookups.setdefault(channel, set()).add(crypto.lookup_hash(channel, address))
    if not lookups:
        return []
    rows = await session.execute(
        select(Address, Patient)
        .join(Patient, Patient.id == Address.patient_id)
        .where(or_(*(and_(Address.channel == c, Address.lookup.in_(sorted(k))) for c, k in lookups.items())))
    )
    return [(row[0], row[1]) for row in rows.all()]


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
    return list(zip(addresses, patients, strict=True))


async def store_inbound_many(
    session: AsyncSession, rows: list[tuple[Address, str, str, str | None, str | None, datetime, str | None]]
) -> list[Message]:
    """Store a batch's messages from known addresses with one flush (one INSERT, one executemany UPDATE of
    the addresses): (address, channel, text, option, external_id, received_at, language) each."""
    messages = []
    first = await ids.take(session, Message, len(rows)) if rows else None
    for n, (address, channel, text, option, external_id, received_at, language) in enumerate(rows):
        message_id = None if first is None else first + n
        messages.append(
            inbound_message(message_id, address, channel, text, option, external_id, received_at, language)
        )
    session.add_all(messages)
    await session.flush()
    return messages
