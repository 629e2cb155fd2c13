"""SMS delivery records: the parts of each outbound message and Twilio's status callbacks.

Twilio's status for one message (SID) is a state machine that only moves forward: accepted/queued -> sending
-> sent -> delivered | undelivered | failed. Callbacks may arrive twice, out of order, or before we have
recorded the SID they are about; every one is kept in `sms_status_events` (unique on SID + status) and the
furthest status wins. A Message's own status and error code summarise its parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage.models import Address, Message, OutboxItem, Patient, SmsPart, SmsStatusEvent

RANK: dict[str, int] = {
    "accepted": 1,
    "scheduled": 1,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "canceled": 4,
    "read": 5,
}
FAILED = frozenset({"undelivered", "failed", "canceled"})
# Outcomes our outbox sets when it gives up on a message; a late callback for an earlier part never undoes
# them.
OUTBOX_FINAL = frozenset({"failed", "undeliverable", "cancelled"})
OPTED_OUT_CODE = "21610"


def rank(status: str | None) -> int:
    """How far along a status is; unknown statuses rank 0 and never replace a known one."""
    return RANK.get(status or "", 0)


def furthest(current: str, new: str) -> str:
    """The status a message is in after `new` was reported while it was in `current`."""
    return new if rank(new) > rank(current) else current


@dataclass(frozen=True)
class SendContext:
    """What the SMS channel reads before a send: may it send, in which language, which parts already went."""

    opted_out: bool
    locale: str | None
    sent_parts: dict[int, str]  # part index -> SID


async def _lock_sid(session: AsyncSession, sid: str) -> None:
    """Serialise the recording of a part and the callbacks about it, so a callback that races the create
    response is never lost. SQLite transactions are serialised already (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:sid))"), {"sid": sid})


async def send_context(session: AsyncSession, message_id: int, address_id: int) -> SendContext:
    row = (
        await session.execute(
            select(Address.opted_out, Patient.locale)
            .join(Patient, Patient.id == Address.patient_id)
            .where(Address.id == address_id)
        )
    ).first()
    parts = (
        await session.execute(select(SmsPart.part, SmsPart.sid).where(SmsPart.message_id == message_id))
    ).all()
    return SendContext(
        opted_out=bool(row.opted_out) if row else False,
        locale=row.locale if row else None,
        sent_parts={part: sid for part, sid in parts},
    )


async def record_part(
    session: AsyncSession,
    *,
    message_id: int,
    part: int,
    total_parts: int,
    sid: str,
    status: str,
    segments: int,
    total_segments: int,
    now: datetime,
) -> SmsPart:
    """Record a part Twilio accepted, with the first status from the create response (Twilio sends no callback
    for it) advanced by any callback that already arrived for this SID."""
    await _lock_sid(session, sid)
    events = (await session.execute(select(SmsStatusEvent).where(SmsStatusEvent.sid == sid))).scalars().all()
    row = SmsPart(
        message_id=message_id,
        part=part,
        total_parts=total_parts,
        sid=sid,
        status=status,
        error_code=None,
        segments=segments,
        created_at=now,
        updated_at=now,
    )
    for event in sorted(events, key=lambda e: e.id):
        _advance(row, event.status, event.error_code, now)
    session.add(row)
    await session.flush()
    message = await session.get(Message, message_id)
    if message is not None:
        message.segments = total_segments
        if part == 0:
            message.external_id = sid
        await _summarise(session, message)
    return row


def _advance(part: SmsPart, status: str, error_code: str | None, now: datetime) -> bool:
    if rank(status) <= rank(part.status):
        return False
    part.status, part.updated_at = status, now
    if error_code:
        part.error_code = error_code
    return True


async def _summarise(session: AsyncSession, message: Message) -> None:
    """A message is as far along as its least advanced part; any failed part makes it failed."""
    parts = list(
        (
            await session.execute(
                select(SmsPart).where(SmsPart.message_id == message.id).order_by(SmsPart.part)
            )
        )
        .scalars()
        .all()
    )
    if not parts:
        return
    failed = [p for p in parts if p.status in FAILED]
    if failed:
        status, error_code = failed[0].status, failed[0].error_code
    else:
        statuses = [p.status for p in parts]
        if len(parts) < parts[0].total_parts:
            statuses.append("queued")  # the rest are still in our outbox
        status, error_code = min(statuses, key=rank), None
    if message.status in OUTBOX_FINAL | FAILED and status not in FAILED:
        return
    message.status = status
    if error_code:
        message.error_code = error_code


@dataclass(frozen=True)
class StatusOutcome:
    duplicate: bool
    known: bool = False  # the SID is one of our parts
    status: str | None = None  # the part's status afterwards
    opted_out: bool = False  # the callback said the recipient unsubscribed (21610)


async def apply_status(
    session: AsyncSession, *, sid: str, status: str, error_code: str | None, now: datetime
) -> StatusOutcome:
    """Apply one status callback. A (sid, status) pair seen before changes nothing."""
    status = status.strip().lower()
    await _lock_sid(session, sid)
    seen = await session.scalar(
        select(SmsStatusEvent.id).where(SmsStatusEvent.sid == sid, SmsStatusEvent.status == status)
    )
    if seen is not None:
        return StatusOutcome(duplicate=True)
    session.add(SmsStatusEvent(sid=sid, status=status, error_code=error_code, received_at=now))
    part = await session.scalar(select(SmsPart).where(SmsPart.sid == sid))
    if part is None:
        await session.flush()  # kept for record_part; a unique clash here means a concurrent duplicate
        return StatusOutcome(duplicate=False)
    _advance(part, status, error_code, now)
    message = await session.get(Message, part.message_id)
    opted_out = False
    if message is not None:
        await _summarise(session, message)
        if error_code == OPTED_OUT_CODE and message.address_id is not None:
            await opt_out_address(session, message.address_id, now)
            opted_out = True
    await session.flush()
    return StatusOutcome(duplicate=False, known=True, status=part.status, opted_out=opted_out)


async def record_status(
    sessions: async_sessionmaker[AsyncSession],
    *,
    sid: str,
    status: str,
    error_code: str | None,
    now: datetime,
) -> StatusOutcome:
    """`apply_status` in its own transaction; the loser of two concurrent deliveries of one callback is a
    duplicate."""
    try:
        async with sessions() as session, session.begin():
            return await apply_status(session, sid=sid, status=status, error_code=error_code, now=now)
    except IntegrityError:
        return StatusOutcome(duplicate=True)


async def opt_out_address(session: AsyncSession, address_id: int, now: datetime) -> None:
    """The carrier says the patient unsubscribed: nothing more goes to this number until they send START.
    The time of an earlier opt-out (the patient's STOP) is kept; pending replies are cancelled."""
    address = await session.get(Address, address_id)
    if address is None:
        return
    if not address.opted_out:
        address.opted_out, address.opted_out_at = True, now
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.address_id == address_id, OutboxItem.status == "pending")
        .values(status="cancelled", last_error="recipient unsubscribed (21610)")
    )


async def record_error_code(session: AsyncSession, message_id: int, code: str) -> None:
    """Keep the provider's error code on a message that could not be sent (staff see why)."""
    await session.execute(update(Message).where(Message.id == message_id).values(error_code=code))


async def parts_of(session: AsyncSession, message_id: int) -> list[SmsPart]:
    rows = await session.execute(
        select(SmsPart).where(SmsPart.message_id == message_id).order_by(SmsPart.part)
    )
    return list(rows.scalars().all())
