"""Atomic reserve-then-settle throttling in the database, identical on SQLite and PostgreSQL.

`reserve` claims a key with one conditional UPDATE (or an INSERT that ignores a conflict) in the caller's
transaction: of many parallel tries only one holds the key until `settle` says how it went, and a key whose
backoff has not expired is refused with the time left. The expensive part (a password hash) runs only after
the
reservation is committed, so concurrency cannot multiply the attempts an attacker gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, case, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from bot.storage import pending
from bot.storage.models import Throttle

BUSY_FOR = timedelta(seconds=30)  # a reservation nobody settled (a crash) is released after this
WINDOW = timedelta(minutes=15)  # failures older than this are forgotten


async def reserve(session: AsyncSession, key: str, now: datetime) -> timedelta | None:
    """Hold `key` for one try: None when held, else how long until it may try (backoff or a try in flight)."""
    held = await session.execute(
        update(Throttle)
        .where(
            Throttle.key == key,
            Throttle.allowed_at <= now,
            or_(Throttle.busy_until.is_(None), Throttle.busy_until <= now),
        )
        .values(busy_until=now + BUSY_FOR, updated_at=now)
    )
    if held.rowcount == 1:  # type: ignore[attr-defined]
        return None
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    created = await session.execute(
        insert(Throttle)
        .values(
            key=key, failures=0, allowed_at=now, busy_until=now + BUSY_FOR, window_start=now, updated_at=now
        )
        .on_conflict_do_nothing(index_elements=["key"])
    )
    if created.rowcount == 1:  # type: ignore[attr-defined]
        return None
    row = await session.get(Throttle, key, populate_existing=True)
    if row is None:  # deleted between the two statements: treat as busy for a moment
        return timedelta(seconds=1)
    if row.allowed_at <= now:  # only another try in flight: come back in a moment
        return timedelta(seconds=1)
    return max(row.allowed_at - now, timedelta(seconds=1))


async def settle(
    session: AsyncSession,
    key: str,
    now: datetime,
    *,
    failed: bool,
    backoff: Callable[[int], timedelta],
    reset_on_success: bool = True,
    window: timedelta = WINDOW,
) -> None:
    """Release `key`: a failure counts and makes the key wait `backoff(failures)`; a success clears the count
    (unless `reset_on_success` is False: a source's count only decays). Counts older than `window` start
    over."""
    row = await session.get(Throttle, key, populate_existing=True)
    if row is None:
        return
    if row.window_start < now - window:
        row.failures, row.window_start = 0, now
    if failed:
        row.failures += 1
        row.allowed_at = now + backoff(row.failures)
    elif reset_on_success:
        row.failures, row.allowed_at, row.window_start = 0, now, now
    row.busy_until, row.updated_at = None, now


def exponential(
    free: int, cap: timedelta, base: timedelta = timedelta(seconds=1)
) -> Callable[[int], timedelta]:
    """No wait for the first `free` failures, then `base`, twice that ... up to `cap`: slows guessing,
    locks nobody
    out for longer than `cap`."""

    def delay(failures: int) -> timedelta:
        if failures <= free:
            return timedelta(0)
        return min(base * 2 ** min(failures - free - 1, 20), cap)

    return delay


_COUNTERS = "psp_counters"


@dataclass
class _Counter:
    """A counter read by `prefetch`: counted in memory, written once at commit."""

    failures: int
    window_start: datetime
    stored: bool  # a row exists (UPDATE) or not yet (INSERT)
    updated_at: datetime | None = None  # set when counted in this transaction


def _counters(session: AsyncSession) -> dict[str, _Counter | None] | None:
    """Counters read up front for this transaction by `prefetch` (None: nothing was)."""
    cached = session.info.get(_COUNTERS)
    if cached is None or cached[0] is not session.sync_session.get_transaction():
        return None
    counters: dict[str, _Counter | None] = cached[1]
    return counters


_TABLE = cast(Table, Throttle.__table__)
_UPDATE = (
    update(_TABLE)
    .where(_TABLE.c.key == bindparam("k"))
    .values(failures=bindparam("f"), window_start=bindparam("w"), updated_at=bindparam("u"))
)


def _write_counters(session: Session) -> None:
    """The counters `count_since` counted in memory: one executemany UPDATE, one INSERT (at commit)."""
    cached = session.info.get(_COUNTERS)
    if cached is None or cached[0] is not session.get_transaction():
        return
    changed = [(key, c) for key, c in cached[1].items() if c is not None and c.updated_at is not None]
    updates = [
        {"k": key, "f": c.failures, "w": c.window_start, "u": c.updated_at} for key, c in changed if c.stored
    ]
    inserts = [
        {
            "key": key,
            "failures": c.failures,
            "allowed_at": c.window_start,
            "busy_until": None,
            "window_start": c.window_start,
            "updated_at": c.updated_at,
        }
        for key, c in changed
        if not c.stored
    ]
    connection = session.connection()
    if updates:
        connection.execute(_UPDATE, updates)
    if inserts:  # another process may have counted a new key first: add to its count (as `count_since` does)
        upsert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(_TABLE)
        connection.execute(
            upsert.on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "failures": _TABLE.c.failures + upsert.excluded.failures,
                    "updated_at": upsert.excluded.updated_at,
                },
            ),
            inserts,
        )
    for _, counter in changed:
        counter.stored, counter.updated_at = True, None


async def prefetch(session: AsyncSession, keys: list[str]) -> None:
    """Read many counters in one SELECT (a batch of inbound messages), locked on PostgreSQL until commit, so
    `count_since` counts them in memory; they are written at commit, one statement for all of them."""
    known = _counters(session)
    if known is None:
        known = {}
        session.info[_COUNTERS] = (session.sync_session.get_transaction(), known)
        pending.at_commit(session, _COUNTERS, _write_counters)
    missing = sorted(set(keys) - set(known))
    if not missing:
        return
    rows = await session.execute(
        select(Throttle.key, Throttle.failures, Throttle.window_start)
        .where(Throttle.key.in_(missing))
        .order_by(Throttle.key)
        .with_for_update()
    )
    found = {key: _Counter(failures, window_start, stored=True) for key, failures, window_start in rows.all()}
    for key in missing:
        known[key] = found.get(key)


async def count_since(session: AsyncSession, key: str, since: datetime, now: datetime) -> int:
    """Add one to `key`'s count in a window starting at `since` (a new window resets it); returns the count.

    For counters with no reservation (a code space's guesses overall), one UPDATE-or-INSERT each; a counter
    read by `prefetch` in this transaction is counted in memory (the same arithmetic).
    """
    known = _counters(session)
    if known is not None and key in known:
        counter = known[key]
        if counter is None:
            counter = known[key] = _Counter(failures=0, window_start=now, stored=False)
        if counter.window_start < since:
            counter.failures, counter.window_start = 1, now
        else:
            counter.failures += 1
        counter.updated_at = now
        return counter.failures
    bumped = await session.execute(
        update(Throttle)
        .where(Throttle.key == key)
        .values(
            failures=case((Throttle.window_start < since, 1), else_=Throttle.failures + 1),
            window_start=case((Throttle.window_start < since, now), else_=Throttle.window_start),
            updated_at=now,
        )
        .returning(Throttle.failures)
    )
    found = bumped.scalar_one_or_none()
    if found is not None:
        return int(found)
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    await session.execute(
        insert(Throttle)
        .values(key=key, failures=1, allowed_at=now, busy_until=None, window_start=now, updated_at=now)
        .on_conflict_do_update(
            index_elements=["key"], set_={"failures": Throttle.failures + 1, "updated_at": now}
        )
    )
    return 1
