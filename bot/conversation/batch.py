"""One transaction for a batch of inbound messages, with each message's guarantees kept.

- Dedupe: one SELECT finds which messages of the batch are stored already (a redelivery); the
  (channel, direction, external_id) unique key still refuses anything that races past it.
- Look-ups: the batch's addresses with their patients, and those patients' conversation states, are read with
  one SELECT each before the messages are handled (in order, in one session: a later message of the same
  chat sees what an earlier one changed).
- Isolation: when message k fails, the transaction is rolled back; the messages before it are committed as a
  batch again, k is handled alone (the one-message path tells a duplicate from a race and raises what a
  poisoned message raises, for its caller only), then the messages after it as a batch. Order per chat holds.
- A second delivery of a message inside one batch is handled after the batch, alone (it is a duplicate if the
  first was stored, the message itself if the first failed).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import attributes as orm_attributes
from sqlalchemy.orm import object_session

from bot.core.messages import Inbound, Outcome
from bot.i18n import supported
from bot.storage import crypto, ids, queries, throttle
from bot.storage import inbound as inbound_rows
from bot.storage.models import Address, ContentDelivery, Message, OutboxItem, Patient

log = logging.getLogger(__name__)

Handle = Callable[[AsyncSession, Inbound, "Known | None"], Awaitable[Outcome]]
Alone = Callable[[Inbound], Awaitable[Outcome]]
Result = Outcome | BaseException


def reply_counter(address_id: int) -> str:
    """The throttle key that counts the typed messages of an address (the reply budget)."""
    return f"replies:{address_id}"


class Known:
    """The batch's addresses read up front (by channel and keyed hash), plus those created in the batch, and
    the messages stored up front (those from known addresses, in one INSERT).

    Their patients are held here too: the session's identity map keeps only weak references, so a patient
    nobody holds would be read again, one SELECT per message."""

    def __init__(self, found: Sequence[tuple[Address, Patient]]) -> None:
        self._by_key = {(a.channel, a.lookup): a for a, _ in found}
        self._patients = {p.id: p for _, p in found}
        self.new_patients: set[int] = set()  # created in this transaction, each with one address
        self._lookups: dict[tuple[str, str], str] = {}
        # id(inbound) -> its message, stored (a Core row) before it is handled
        self.stored: dict[int, inbound_rows.StoredMessage] = {}

    def stored_message(self, inbound: Inbound) -> inbound_rows.StoredMessage | None:
        return self.stored.pop(id(inbound), None)

    def add(self, address: Address, patient: Patient) -> None:
        """A first contact's new address and patient, created in this transaction."""
        self._by_key[(address.channel, address.lookup)] = address
        self._patients[patient.id] = patient
        self.new_patients.add(patient.id)

    async def find(self, session: AsyncSession, inbound: Inbound) -> tuple[Address, Patient] | None:
        """The address and its current patient; None for a new address. Falls back to a query when an
        earlier message of the batch changed or removed the address (linking moves and deletes them)."""
        lookup = self._lookups.get((inbound.channel, inbound.address))
        if lookup is None:  # a keyed hash (HMAC) per address, not per look-up: a message is looked up thrice
            lookup = self._lookups[(inbound.channel, inbound.address)] = crypto.lookup_hash(
                inbound.channel, inbound.address
            )
        address = self._by_key.get((inbound.channel, lookup))
        if address is None:
            return None
        if _gone(address, session):
            self._by_key.pop((inbound.channel, lookup), None)
            return await queries.find_address_with_patient(session, inbound.channel, inbound.address)
        patient = self._patients.get(address.patient_id)
        if patient is None or _gone(patient, session):
            patient = await session.get(Patient, address.patient_id)
        if patient is None:
            return await queries.find_address_with_patient(session, inbound.channel, inbound.address)
        self._patients[patient.id] = patient
        return address, patient


def _gone(row: Address | Patient, session: AsyncSession) -> bool:
    """Deleted, or no longer in this session (an earlier message of the batch removed it)."""
    state = orm_attributes.instance_state(row)
    return bool(state.deleted or state.was_deleted or object_session(row) is not session.sync_session)


class _Failed(Exception):
    """Message `index` of the transaction failed (None: the commit itself failed)."""

    def __init__(self, index: int | None, error: BaseException) -> None:
        super().__init__(f"message {index} failed: {type(error).__name__}")
        self.index, self.error = index, error


async def commit_group(
    sessions: async_sessionmaker[AsyncSession],
    inbounds: Sequence[Inbound],
    handle: Handle,
    alone: Alone,
    now: Callable[[], datetime],
) -> list[Result]:
    """Handle `inbounds` in as few transactions as their failures allow; one result per message, in order."""
    first: list[int] = []
    later: list[int] = []
    seen: set[tuple[str, str]] = set()
    for index, inbound in enumerate(inbounds):
        key = (inbound.channel, inbound.external_id) if inbound.external_id is not None else None
        if key is not None and key in seen:
            later.append(index)
            continue
        if key is not None:
            seen.add(key)
        first.append(index)
    results: list[Result | None] = [None] * len(inbounds)
    done = await _group(sessions, [inbounds[i] for i in first], handle, alone, now)
    for index, result in zip(first, done, strict=True):
        results[index] = result
    for index in later:
        results[index] = await _alone(alone, inbounds[index])
    return [r if r is not None else RuntimeError("not handled") for r in results]


async def _alone(alone: Alone, inbound: Inbound) -> Result:
    try:
        return await alone(inbound)
    except Exception as exc:  # noqa: BLE001 - the message's caller gets it; the batch goes on
        log.warning("inbound %s/%s failed on its own: %s", inbound.channel, inbound.external_id, exc)
        return exc


async def _group(
    sessions: async_sessionmaker[AsyncSession],
    items: Sequence[Inbound],
    handle: Handle,
    alone: Alone,
    now: Callable[[], datetime],
) -> list[Result]:
    if not items:
        return []
    if len(items) == 1:  # nothing to share a transaction with: the one-message path, as before group commit
        return [await _alone(alone, items[0])]
    try:
        return list(await _transaction(sessions, items, handle, now))
    except _Failed as failed:
        if failed.index is None:
            log.warning("a batch of %s inbound messages failed at commit; handling each alone", len(items))
            return [await _alone(alone, inbound) for inbound in items]
        k = failed.index
        log.info("inbound message %s of a batch of %s failed (%s); isolating it", k, len(items), failed.error)
        head = await _group(sessions, items[:k], handle, alone, now)
        middle = await _alone(alone, items[k])
        tail = await _group(sessions, items[k + 1 :], handle, alone, now)
        return [*head, middle, *tail]


async def _transaction(
    sessions: async_sessionmaker[AsyncSession],
    items: Sequence[Inbound],
    handle: Handle,
    now: Callable[[], datetime],
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    try:
        async with sessions() as session, session.begin():
            session.info[ids.BATCH] = True
            await ids.prepare(session, [Patient, Address, Message, OutboxItem, ContentDelivery])
            keys = [(i.channel, i.external_id) for i in items if i.external_id is not None]
            stored = await inbound_rows.inbound_stored(session, keys)
            fresh = [i for i in items if (i.channel, i.external_id) not in stored]
            found = await inbound_rows.find_addresses_with_patients(
                session, [(i.channel, i.address) for i in fresh]
            )
            known = Known(found)
            everyone = [*found, *await _store_up_front(session, known, fresh, now())]
            # The states and reply counters of the batch's patients, first contacts included, one SELECT each:
            # nothing is read per message (a read also flushes what the messages before it wrote).
            await queries.prefetch_states(session, {patient.id for _, patient in everyone})
            await throttle.prefetch(session, [reply_counter(address.id) for address, _ in everyone])
            for index, inbound in enumerate(items):
                if (inbound.channel, inbound.external_id) in stored:
                    log.info("duplicate inbound %s/%s", inbound.channel, inbound.external_id)
                    outcomes.append(Outcome(message_id=None, duplicate=True))
                    continue
                try:
                    outcomes.append(await handle(session, inbound, known))
                except Exception as exc:
                    raise _Failed(index, exc) from exc
    except _Failed:
        raise
    except Exception as exc:
        raise _Failed(None, exc) from exc
    return outcomes


async def _store_up_front(
    session: AsyncSession, known: Known, fresh: Sequence[Inbound], now: datetime
) -> list[tuple[Address, Patient]]:
    """Create the patients of first contacts and store every message up front, in order, with one INSERT per
    table; returns the first contacts' new addresses and patients. The pipeline then finds each message
    (`Known.stored_message`) and brings its language and patient up to date with what the messages before it
    changed."""
    first_contacts: dict[tuple[str, str], Inbound] = {}
    for inbound in fresh:
        if (inbound.channel, inbound.address) not in first_contacts and await known.find(
            session, inbound
        ) is None:
            first_contacts[(inbound.channel, inbound.address)] = inbound
    contacts = [(i.channel, i.address, i.received_at) for i in first_contacts.values()]
    created = await inbound_rows.create_patients_with_addresses(session, contacts, now)
    for address, patient in created:
        known.add(address, patient)
    rows = []
    keep = []
    for inbound in fresh:
        found = await known.find(session, inbound)
        if found is None:
            continue
        address, patient = found
        language = patient.locale or supported(inbound.language_hint)
        rows.append(
            (
                address,
                inbound.channel,
                inbound.text,
                inbound.option,
                inbound.external_id,
                inbound.received_at,
                language,
            )
        )
        keep.append(inbound)
    for inbound, message in zip(keep, await inbound_rows.store_inbound_many(session, rows), strict=True):
        known.stored[id(inbound)] = message
    return created
