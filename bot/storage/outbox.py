"""The durable outbox: replies are rows first, sent later, retried with backoff, never silently dropped."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy import Integer, Select, Table, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from bot.storage import ids
from bot.storage.models import Address, Message, OutboxItem

LEASE = timedelta(seconds=30)  # renewed while a batch is still sending (`renew_lease`)


@dataclass(frozen=True)
class Claimed:
    """One outbox row handed to a dispatcher, with what it needs to send it."""

    outbox_id: int
    message_id: int
    channel: str
    address: str
    address_id: int
    patient_id: int
    text: str
    options: list[Any]
    kind: str | None
    attempts: int
    template: dict[str, Any] | None = None  # see OutboxItem.template
    created_at: datetime | None = None  # when the row was committed (commit-to-acceptance latency)


class Recipient(Protocol):
    """Where a reply goes: an Address row or any row with these columns."""

    @property
    def id(self) -> int: ...
    @property
    def patient_id(self) -> int | None: ...
    @property
    def channel(self) -> str: ...


def reply_columns(
    to: Recipient,
    *,
    text: str,
    options: list[dict[str, str]],
    kind: str | None,
    now: datetime,
    template: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The columns of a reply: its queued outbound message and its pending outbox row, without their ids.

    One definition for every way a reply is written (an ORM row here, Core rows in a batch or a wave)."""
    message = {
        "patient_id": to.patient_id,
        "address_id": to.id,
        "channel": to.channel,
        "direction": "out",
        "body": text,
        "kind": kind,
        "status": "queued",
        "created_at": now,
    }
    row = {
        "address_id": to.id,
        "channel": to.channel,
        "options": options,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "template": template,
    }
    return message, row


async def enqueue(
    session: AsyncSession,
    *,
    address: Address,
    text: str,
    options: list[dict[str, str]],
    kind: str | None,
    now: datetime,
    template: dict[str, Any] | None = None,
) -> OutboxItem:
    """Store an outbound message and its outbox row in the caller's transaction.

    `template`: how the message reads as an approved template (see OutboxItem.template)."""
    message_columns, row_columns = reply_columns(
        address, text=text, options=options, kind=kind, now=now, template=template
    )
    message = Message(id=await ids.take(session, Message), **message_columns)
    item = OutboxItem(id=await ids.take(session, OutboxItem), message=message, **row_columns)
    session.add(item)  # flushed with the rest of the transaction: one round trip for all replies
    return item


_OUTBOX = cast(Table, OutboxItem.__table__)
_MESSAGES = cast(Table, Message.__table__)
_ADDRESSES = cast(Table, Address.__table__)

# A session, or a bare connection (the dispatcher's own transactions: no unit of work, no autoflush).
Executor = AsyncSession | AsyncConnection


@functools.cache
def _claim_query(by_channel: bool, by_address: bool, after: bool) -> Select[Any]:
    """The claim's SELECT, built once per shape (its values are bound parameters): building a statement
    with a dozen columns and joins on every round cost more than running it."""
    query = (
        select(
            _OUTBOX.c.id,
            _OUTBOX.c.message_id,
            _OUTBOX.c.channel,
            _OUTBOX.c.address_id,
            _OUTBOX.c.options,
            _OUTBOX.c.attempts,
            _OUTBOX.c.template,
            _OUTBOX.c.created_at,
            _MESSAGES.c.body,
            _MESSAGES.c.kind,
            _ADDRESSES.c.value,
            _ADDRESSES.c.patient_id,
        )
        .join(_MESSAGES, _MESSAGES.c.id == _OUTBOX.c.message_id)
        .join(_ADDRESSES, _ADDRESSES.c.id == _OUTBOX.c.address_id)
        .where(
            or_(
                (_OUTBOX.c.status == "pending") & (_OUTBOX.c.next_attempt_at <= bindparam("c_now")),
                (_OUTBOX.c.status == "sending") & (_OUTBOX.c.lease_until < bindparam("c_now")),
            )
        )
        .order_by(_OUTBOX.c.next_attempt_at, _OUTBOX.c.id)
        .limit(bindparam("c_limit", type_=Integer))
        .with_for_update(skip_locked=True, of=_OUTBOX)
    )
    if by_channel:
        query = query.where(_OUTBOX.c.channel.in_(bindparam("c_channels", expanding=True)))
    if by_address:
        query = query.where(_OUTBOX.c.address_id.in_(bindparam("c_addresses", expanding=True)))
    if after:
        query = query.where(_OUTBOX.c.id > bindparam("c_after", type_=Integer))
    return query


_LEASE_ROWS = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("c_ids", expanding=True)))
    .values(status="sending", lease_until=bindparam("c_lease"), attempts=_OUTBOX.c.attempts + 1)
)


async def claim_due(
    session: Executor,
    now: datetime,
    limit: int,
    channels: list[str] | None = None,
    address_ids: list[int] | None = None,
    *,
    after: int | None = None,
) -> list[Claimed]:
    """Take up to `limit` due rows under a lease (`after`: only rows with a greater id).

    On PostgreSQL rows are locked with SKIP LOCKED so several processes share the work; on SQLite the
    write transaction is already exclusive. An expired lease (a crashed sender) makes a row due again.
    """
    params: dict[str, Any] = {"c_now": now, "c_limit": limit}
    if channels is not None:
        params["c_channels"] = channels
    if address_ids is not None:
        params["c_addresses"] = address_ids
    if after is not None:
        params["c_after"] = after
    query = _claim_query(channels is not None, address_ids is not None, after is not None)
    rows = (await session.execute(query, params)).all()
    if not rows:
        return []
    # One UPDATE for the whole batch (the rows are locked, or the SQLite write lock is held, since the
    # SELECT).
    await session.execute(_LEASE_ROWS, {"c_ids": [row.id for row in rows], "c_lease": now + LEASE})
    return [
        Claimed(
            outbox_id=row.id,
            message_id=row.message_id,
            channel=row.channel,
            address=row.value,
            address_id=row.address_id,
            patient_id=row.patient_id,
            text=row.body,
            options=list(row.options or []),
            kind=row.kind,
            attempts=row.attempts + 1,
            template=row.template,
            created_at=row.created_at,
        )
        for row in rows
    ]


async def renew_lease(session: Executor, outbox_ids: Sequence[int], now: datetime) -> None:
    """Extend the lease of rows this process still holds: a long batch never outlives it, so the lease can
    be short
    and a row left by a killed process is sent again within `LEASE` instead of minutes later."""
    if outbox_ids:
        await session.execute(
            update(_OUTBOX)
            .where(_OUTBOX.c.id.in_(list(outbox_ids)), _OUTBOX.c.status == "sending")
            .values(lease_until=now + LEASE)
        )


@dataclass(frozen=True)
class SentRow:
    """A provider accepted this row at `sent_at`; `status=None` leaves Message.status to the channel."""

    outbox_id: int
    message_id: int
    provider_id: str | None
    sent_at: datetime
    status: str | None = "sent"


@dataclass(frozen=True)
class RetryRow:
    """A row to try again at `next_attempt_at`; `refund` gives back the attempt its claim took (a rate
    limit)."""

    outbox_id: int
    error: str
    next_attempt_at: datetime
    address_id: int | None = None
    refund: bool = False


async def record_sent(session: Executor, rows: Sequence[SentRow]) -> None:
    """Many `mark_sent`s as two or three executemany UPDATEs (no read first: a vanished row updates
    nothing)."""
    if not rows:
        return
    await session.execute(
        update(_OUTBOX)  # type: ignore[arg-type]
        .where(_OUTBOX.c.id == bindparam("b_id"))
        .values(
            status="sent", provider_id=bindparam("b_provider"), sent_at=bindparam("b_at"), lease_until=None
        ),
        [{"b_id": r.outbox_id, "b_provider": r.provider_id, "b_at": r.sent_at} for r in rows],
    )
    with_status = [r for r in rows if r.status is not None]
    if with_status:
        await session.execute(
            update(_MESSAGES)  # type: ignore[arg-type]
            .where(_MESSAGES.c.id == bindparam("b_id"))
            .values(external_id=bindparam("b_provider"), status=bindparam("b_status")),
            [{"b_id": r.message_id, "b_provider": r.provider_id, "b_status": r.status} for r in with_status],
        )
    without_status = [r for r in rows if r.status is None]
    if without_status:
        await session.execute(
            update(_MESSAGES)  # type: ignore[arg-type]
            .where(_MESSAGES.c.id == bindparam("b_id"))
            .values(external_id=bindparam("b_provider")),
            [{"b_id": r.message_id, "b_provider": r.provider_id} for r in without_status],
        )


async def record_retries(session: Executor, rows: Sequence[RetryRow]) -> None:
    """Many `mark_retry`s as one executemany UPDATE; then later rows of the same chat are moved behind each
    retry.

    A throttled row gets its attempt back (the claim counted one). Moving the chat's later pending rows to no
    earlier than the retried one keeps replies in order per chat: the claim orders by (next_attempt_at, id).
    """
    if not rows:
        return
    await session.execute(
        update(_OUTBOX)  # type: ignore[arg-type]
        .where(_OUTBOX.c.id == bindparam("b_id"))
        .values(
            status="pending",
            last_error=bindparam("b_error"),
            next_attempt_at=bindparam("b_at"),
            lease_until=None,
            attempts=_OUTBOX.c.attempts - bindparam("b_refund"),
        ),
        [
            {"b_id": r.outbox_id, "b_error": r.error, "b_at": r.next_attempt_at, "b_refund": int(r.refund)}
            for r in rows
        ],
    )
    first: dict[int, RetryRow] = {}
    for row in rows:
        if row.address_id is not None and (
            row.address_id not in first or row.outbox_id < first[row.address_id].outbox_id
        ):
            first[row.address_id] = row
    if first:
        await session.execute(
            update(_OUTBOX)
            .where(
                _OUTBOX.c.address_id == bindparam("b_address"),
                _OUTBOX.c.status == "pending",
                _OUTBOX.c.id > bindparam("b_id"),
                _OUTBOX.c.next_attempt_at < bindparam("b_at"),
            )
            .values(next_attempt_at=bindparam("b_at")),
            [
                {"b_address": r.address_id, "b_id": r.outbox_id, "b_at": r.next_attempt_at}
                for r in first.values()
            ],
        )


async def mark_sent(
    session: AsyncSession, outbox_id: int, provider_id: str | None, now: datetime, status: str | None = "sent"
) -> None:
    """The provider accepted the row. `status=None` leaves Message.status to a channel that records it
    itself."""
    item = await session.get(OutboxItem, outbox_id)
    if item is None:
        return
    item.status, item.provider_id, item.sent_at, item.lease_until = "sent", provider_id, now, None
    values: dict[str, Any] = {"external_id": provider_id}
    if status is not None:
        values["status"] = status
    await session.execute(update(Message).where(Message.id == item.message_id).values(**values))


async def mark_retry(session: AsyncSession, outbox_id: int, error: str, next_attempt_at: datetime) -> None:
    item = await session.get(OutboxItem, outbox_id)
    if item is None:
        return
    item.status, item.last_error, item.next_attempt_at, item.lease_until = (
        "pending",
        error,
        next_attempt_at,
        None,
    )


async def mark_dead(session: AsyncSession, outbox_id: int, error: str) -> None:
    """Give up on a row: staff see it in the dead-letter list and can retry it."""
    item = await session.get(OutboxItem, outbox_id)
    if item is None:
        return
    item.status, item.last_error, item.lease_until = "dead", error, None
    await session.execute(update(Message).where(Message.id == item.message_id).values(status="failed"))


async def mark_cancelled(session: AsyncSession, outbox_id: int, reason: str) -> None:
    item = await session.get(OutboxItem, outbox_id)
    if item is None:
        return
    item.status, item.last_error, item.lease_until = "cancelled", reason, None
    await session.execute(update(Message).where(Message.id == item.message_id).values(status="undeliverable"))


async def cancel_address(session: AsyncSession, address_id: int, reason: str) -> None:
    """Nothing more goes to an address that cannot be reached."""
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.address_id == address_id, OutboxItem.status == "pending")
        .values(status="cancelled", last_error=reason)
    )


async def requeue_dead(session: AsyncSession, outbox_id: int, now: datetime) -> bool:
    item = await session.get(OutboxItem, outbox_id)
    if item is None or item.status != "dead":
        return False
    item.status, item.attempts, item.next_attempt_at = "pending", 0, now
    return True


async def count_by_status(session: AsyncSession) -> dict[str, int]:
    from sqlalchemy import func

    rows = await session.execute(select(OutboxItem.status, func.count()).group_by(OutboxItem.status))
    return {status: int(n) for status, n in rows.all()}
