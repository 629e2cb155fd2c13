"""Primary keys chosen by us on SQLite, so a batch's rows go in with one executemany.

SQLite cannot tell which RETURNING row belongs to which parameter set of a multi-row INSERT, so SQLAlchemy
inserts rows that need their new id back one statement at a time (each one a thread hop in aiosqlite). Every
SQLite transaction here holds the write lock from its start (`BEGIN IMMEDIATE`, bot.storage.db), so the next
free id read once per transaction stays free until commit: rows given ids from it need no RETURNING.
Every insert of a table that uses this must use it (messages: bot.storage.inbound, queries.store_inbound,
outbox.enqueue, bot.storage.pending; content deliveries: bot.learn.store.record_delivery and
bot.learn.send.send_module_in_batch),
or an id SQLite picks itself could meet one given out here. PostgreSQL keeps its sequences (None).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

_NEXT = "psp_next_ids"
BATCH = "psp_batch"  # set in session.info by a writer of many rows (bot.conversation.batch); others keep
# SQLite's own ids: for one row, RETURNING costs less than the SELECT of the next free id


def _following(session: AsyncSession) -> dict[str, int]:
    """This transaction's next free id per table (read once per transaction)."""
    transaction = session.sync_session.get_transaction()
    cached = session.info.get(_NEXT)
    if cached is None or cached[0] is not transaction:
        cached = (transaction, {})
        session.info[_NEXT] = cached
    following: dict[str, int] = cached[1]
    return following


def _numbered(session: AsyncSession) -> bool:
    return bool(session.info.get(BATCH)) and session.get_bind().dialect.name == "sqlite"


async def prepare(session: AsyncSession, models: Sequence[Any]) -> None:
    """Read the next free id of several tables in one SELECT at the start of a batch, instead of one SELECT
    each when a row of that table is first added (a read mid-batch also flushes what is pending)."""
    if not _numbered(session):
        return
    following = _following(session)
    wanted = [m for m in models if str(m.__tablename__) not in following]
    if not wanted:
        return
    row = (
        await session.execute(
            select(*(select(func.max(m.id)).scalar_subquery() for m in wanted)),
            execution_options={"autoflush": False},
        )
    ).one()
    for model, highest in zip(wanted, row, strict=True):
        following[str(model.__tablename__)] = int(highest or 0) + 1


async def take(session: AsyncSession, model: Any, count: int = 1) -> int | None:
    """The first of `count` consecutive free ids of `model`'s table for this transaction (None: let the
    database choose)."""
    if not _numbered(session):
        return None
    following = _following(session)
    table = str(model.__tablename__)
    first = following.get(table)
    if first is None:
        first = int(await session.scalar(select(func.max(model.id))) or 0) + 1
    following[table] = first + count
    return first
