"""Multi-row writes for the waves (reminders, journey modules): one statement per table per chunk.

Why: a wave of a few hundred patients written row by row costs a round trip (and, on aiosqlite, a thread
hand-off) per row; these helpers write the same rows with executemany and return their ids in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import outbox
from bot.storage.models import Base, Message, OutboxItem


class Target(Protocol):
    """Where a message goes: an Address row or any row with these columns."""

    @property
    def id(self) -> int: ...
    @property
    def patient_id(self) -> int: ...
    @property
    def channel(self) -> str: ...


async def enqueue_many(
    session: AsyncSession,
    items: Sequence[tuple[Target, str, list[dict[str, str]], str]],
    now: datetime,
    templates: Sequence[dict[str, Any] | None] | None = None,
) -> list[int]:
    """Outbound messages and their outbox rows for a whole batch, in two multi-row inserts; returns the outbox
    ids in the order of `items`.

    Writes exactly the rows `bot.storage.outbox.enqueue` writes (a queued message, a pending outbox row);
    `items` are (address, text, options, kind); `templates`, when given, the template form of each
    (see OutboxItem.template).
    """
    if not items:
        return []
    columns = [
        outbox.reply_columns(address, text=text, options=options, kind=kind, now=now, template=template)
        for (address, text, options, kind), template in zip(
            items, templates or [None] * len(items), strict=True
        )
    ]
    message_ids = await insert_ids(session, Message, [message for message, _ in columns])
    rows = [
        row | {"message_id": message_id} for message_id, (_, row) in zip(message_ids, columns, strict=True)
    ]
    return await insert_ids(session, OutboxItem, rows)


async def insert_ids(session: AsyncSession, model: type[Base], values: list[dict[str, Any]]) -> list[int]:
    """Insert many rows and return their ids in order.

    PostgreSQL: one batched INSERT ... RETURNING, sorted by parameter order. SQLite cannot sort RETURNING
    rows, and SQLAlchemy would fall back to one statement per row; but our SQLite transactions hold the
    database's only write lock (BEGIN IMMEDIATE), so the next ids are known and are given explicitly.
    """
    if not values:
        return []
    key = model.id  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "sqlite":
        first = int(await session.scalar(select(func.max(key))) or 0) + 1
        ids = list(range(first, first + len(values)))
        await session.execute(insert(model), [{"id": i, **row} for i, row in zip(ids, values, strict=True)])
        return ids
    found = await session.scalars(insert(model).returning(key, sort_by_parameter_order=True), values)
    return list(found.all())
