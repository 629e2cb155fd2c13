"""Rows a batch of inbound messages writes with Core `executemany` instead of the ORM unit of work.

A batch (bot.conversation.batch) writes the same kinds of rows for every message: a reply (an outbound message
and its outbox row), a reply counter. As ORM objects each costs construction, instrumentation, the identity
map and its share of every flush; here they are plain dicts, written with one statement per table:

- replies (`enqueue_reply`) are written before the next statement of the session that reads or writes the
  messages or outbox tables, so whatever reads or updates the outbox later in the transaction (STOP cancels
  pending replies) sees them, exactly as with ORM objects and autoflush; before a flush that inserts rows of
  the same chat into them (see "Order" below); and at the latest before the commit. A flush of other chats'
  rows leaves them waiting: in a batch most replies go in with one statement per table at the commit;
- other writers (`at_commit`, e.g. the reply counters of bot.storage.throttle) run once, before the commit;
- rows nobody needs the id of (`insert_later`, e.g. a batch's PV review items) go in with one executemany per
  table before the next statement on their table, at the latest before the commit.
- a row that refers to a reply's outbox row (`enqueue_reply(..., then=...)`: a Learn module's content
  delivery) goes in like those, after its reply; on PostgreSQL, where the outbox row is numbered when it is
  inserted, it waits for that id (the outbox INSERT returns the ids in parameter order).

Nothing is written inside a savepoint (a rolled-back savepoint would take the rows with it): the rows wait
for the next statement outside it. A rolled-back transaction drops what waits (the buffer belongs to one
transaction). Outside a batch (`ids.BATCH` not set) replies go through `bot.storage.outbox.enqueue` as before.

Order of outbox ids: a chat's replies leave in (`next_attempt_at`, id) order, so a message's rows must get
ids in the order they were enqueued, ORM rows (a module sent by Learn) and buffered ones alike. On SQLite
every id is taken when the row is enqueued (bot.storage.ids). On PostgreSQL the sequence numbers rows when
they are inserted: `enqueue_reply` flushes the chat's ORM outbox rows that are pending before buffering, and
the buffer is written before a later ORM flush of that chat's rows, so a chat's insertion order is its
enqueue order (other chats' rows may go in between: their order with ours does not matter).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql import util as sql_util

from bot.storage import ids, outbox
from bot.storage.models import Address, Message, OutboxItem

_KEY = "psp_pending"
_MESSAGES = cast(Table, Message.__table__)
_INSERT_MESSAGES = insert(_MESSAGES)
_INSERT_MESSAGES_RETURNING = insert(_MESSAGES).returning(_MESSAGES.c.id, sort_by_parameter_order=True)
_OUTBOX = cast(Table, OutboxItem.__table__)
_INSERT_OUTBOX = insert(_OUTBOX)
_INSERT_OUTBOX_RETURNING = insert(_OUTBOX).returning(_OUTBOX.c.id, sort_by_parameter_order=True)

Writer = Callable[[Session], None]


@dataclass
class _Pending:
    transaction: object
    replies: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    at_commit: dict[str, Writer] = field(default_factory=dict)
    eager: dict[str, Writer] = field(default_factory=dict)  # run wherever replies are written
    rows: dict[str, tuple[Table, list[dict[str, Any]]]] = field(default_factory=dict)  # see `insert_later`
    # rows that refer to a buffered reply's outbox row, waiting for its id (PostgreSQL): see `enqueue_reply`
    after_replies: list[tuple[dict[str, Any], Table, dict[str, Any]]] = field(default_factory=list)
    writing: bool = False

    def waiting_tables(self) -> frozenset[str]:
        """The tables a statement must not read before what waits is written."""
        return _OURS.union(self.rows, (table.name for _, table, _ in self.after_replies))


def _current(session: Session, create: bool = False) -> _Pending | None:
    transaction = session.get_transaction()
    pending: _Pending | None = session.info.get(_KEY)
    if pending is not None and pending.transaction is transaction:
        return pending
    if not create or transaction is None:
        return None
    pending = _Pending(transaction)
    session.info[_KEY] = pending
    return pending


def eager(session: AsyncSession, name: str, writer: Writer) -> None:
    """Run `writer(sync_session)` before a statement on messages or the outbox and before the commit (not
    before a flush: nothing a flush writes depends on it); it writes only what changed."""
    pending = _current(session.sync_session, create=True)
    assert pending is not None, "inside a transaction"
    pending.eager.setdefault(name, writer)


def at_commit(session: AsyncSession, name: str, writer: Writer) -> None:
    """Run `writer(sync_session)` once just before this transaction commits (registered once per name)."""
    pending = _current(session.sync_session, create=True)
    assert pending is not None, "inside a transaction"
    pending.at_commit.setdefault(name, writer)


def insert_later(session: AsyncSession, table: Table, row: dict[str, Any]) -> None:
    """Insert `row` (every column but the id) with this transaction's other rows of `table`: one executemany
    before the next statement that reads or writes the table, at the latest before the commit. For rows
    whose id nobody needs and that nothing else in the transaction refers to (a batch's review items)."""
    pending = _current(session.sync_session, create=True)
    assert pending is not None, "inside a transaction"
    pending.rows.setdefault(table.name, (table, []))[1].append(row)


def buffering(session: AsyncSession) -> bool:
    """Whether this is a batch's session: its replies (and rows given here) wait, one statement per table."""
    return bool(session.info.get(ids.BATCH))


async def enqueue_reply(
    session: AsyncSession,
    *,
    address: Address,
    text: str,
    options: list[dict[str, str]],
    kind: str | None,
    now: datetime,
    template: dict[str, Any] | None = None,
    then: tuple[Table, dict[str, Any]] | None = None,
) -> None:
    """The rows `outbox.enqueue` writes (a queued outbound message and its pending outbox row), written with
    the other replies of the batch in one statement per table.

    `then`: a row of another table that refers to this reply's outbox row (a module's content delivery);
    its `outbox_id` is set to the reply's outbox id and it is inserted after the reply, with the others of its
    table (`insert_later`). In a batch only."""
    if not session.info.get(ids.BATCH):
        assert then is None, "rows that wait for a reply's id: in a batch only"
        await outbox.enqueue(
            session, address=address, text=text, options=options, kind=kind, now=now, template=template
        )
        return
    sync = session.sync_session
    message_id = await ids.take(session, Message)
    if message_id is None and _new_rows_of(sync, {address.id}):
        await session.flush()  # this chat's ORM outbox rows enqueued before go in first (see the docstring)
    pending = _current(sync, create=True)
    assert pending is not None, "inside a transaction"
    message, row = outbox.reply_columns(
        address, text=text, options=options, kind=kind, now=now, template=template
    )
    message["id"] = message_id
    row["id"] = await ids.take(session, OutboxItem)
    row["message_id"] = None
    pending.replies.append((message, row))
    if then is None:
        return
    table, values = then
    if row["id"] is not None:  # numbered already (SQLite)
        pending.rows.setdefault(table.name, (table, []))[1].append(values | {"outbox_id": row["id"]})
    else:  # numbered by the database when the replies are written
        pending.after_replies.append((row, table, values))


def _write_replies(session: Session, pending: _Pending) -> None:
    replies, pending.replies = pending.replies, []
    connection = session.connection()
    messages = [message for message, _ in replies]
    if all(message["id"] is not None for message in messages):
        connection.execute(_INSERT_MESSAGES, messages)
        message_ids = [message["id"] for message in messages]
    else:  # PostgreSQL: the sequence numbers them, in parameter order
        for message in messages:
            del message["id"]
        found = connection.execute(_INSERT_MESSAGES_RETURNING, messages)
        message_ids = list(found.scalars().all())
    rows = []
    for message_id, (_, row) in zip(message_ids, replies, strict=True):
        row["message_id"] = message_id
        rows.append(row)
    if all(row["id"] is not None for row in rows):
        connection.execute(_INSERT_OUTBOX, rows)
        return
    for row in rows:
        del row["id"]
    if not pending.after_replies:
        connection.execute(_INSERT_OUTBOX, rows)
        return
    # PostgreSQL, with rows waiting for their reply's outbox id: the ids come back in parameter order
    numbered = connection.execute(_INSERT_OUTBOX_RETURNING, rows).scalars()
    for row, outbox_id in zip(rows, numbered, strict=True):
        row["id"] = outbox_id
    after, pending.after_replies = pending.after_replies, []
    for row, table, values in after:
        pending.rows.setdefault(table.name, (table, []))[1].append(values | {"outbox_id": row["id"]})


def write(session: Session, *, commit: bool = False, replies_only: bool = False) -> None:
    """Write what waits (the replies, then the eager writers unless `replies_only`; at `commit`, the commit
    writers too). Runs in SQLAlchemy's sync context (an event of the session), so it may execute
    statements."""
    pending = _current(session)
    if pending is None or pending.writing or session.in_nested_transaction():
        return
    if not pending.replies and not pending.eager and not pending.rows and not (commit and pending.at_commit):
        return
    pending.writing = True
    try:
        if pending.replies:
            _write_replies(session, pending)
        if replies_only:
            return
        rows, pending.rows = pending.rows, {}
        for table, values in rows.values():
            session.connection().execute(insert(table), values)
        for writer in pending.eager.values():
            writer(session)
        if commit:
            writers, pending.at_commit = pending.at_commit, {}
            for writer in writers.values():
                writer(session)
    finally:
        pending.writing = False


_OURS = frozenset({"messages", "outbox"})


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    """Before a statement that reads or writes messages, the outbox or a table with rows waiting (ours wait
    for nothing else)."""
    pending = _current(state.session)
    if pending is None or not (pending.replies or pending.eager or pending.rows):
        return
    tables = pending.waiting_tables() if pending.rows or pending.after_replies else _OURS
    if any(
        getattr(table, "name", None) in tables
        for table in sql_util.find_tables(
            cast(ClauseElement, state.statement), check_columns=True, include_crud=True
        )
    ):
        write(state.session)


def _new_rows_of(session: Session, addresses: set[int | None]) -> bool:
    """Whether the session holds new ORM messages or outbox rows of these addresses (or of no address)."""
    return any(
        isinstance(row, (OutboxItem, Message)) and (row.address_id is None or row.address_id in addresses)
        for row in session.new
    )


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Before a flush that inserts messages or outbox rows of a chat with replies waiting: those go first (a
    chat's rows are numbered in the order they were enqueued, see the docstring). Rows of other chats need
    no order with ours, so a flush of them (Learn's module, one per message in a batch) writes nothing of
    ours: the replies wait for the commit, one statement per table for the whole batch."""
    pending = _current(session)
    if pending is None or not pending.replies:
        return
    if _new_rows_of(session, {message["address_id"] for message, _ in pending.replies}):
        write(session, replies_only=True)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    write(session, commit=True)
