"""The audit log: append-only, hash-chained, written in the same transaction as the action it records.

Each entry's hash is HMAC-SHA256(audit key, prev_hash + canonical JSON of the entry), the audit key derived
from
PSP_SECRET_KEY: someone with database access but not the key (drop the trigger, edit, recompute) cannot
rebuild a
chain that `psp audit verify` accepts. Chains written before this keying (plain SHA-256) no longer verify; the
canonical JSON covering id, at,
actor, action, target, detail and prev_hash (sorted keys, no spaces, UTF-8). The first entry's prev_hash is
64 zeros. Changing, inserting, deleting or reordering any entry breaks the chain at that entry; only cutting
entries off the end is invisible to the chain alone, which is why `verify` reports the count and head hash
(write them down elsewhere to anchor the log).

Writers are serialised so two concurrent actions can never both extend the same entry: on PostgreSQL a
transaction-scoped advisory lock, on SQLite the write lock every transaction takes (`BEGIN IMMEDIATE`).
The unique `prev_hash` column is the last line of defence. Append last in a transaction: the lock is held
until commit.

Never put personal data (phone numbers, message text) in `detail`: the log cannot be erased.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import crypto
from bot.storage.models.staff import AuditEntry

GENESIS = "0" * 64
_LOCK_KEY = 0x5053_5041_5544  # "PSPAUD": the advisory lock that serialises audit writers on PostgreSQL


def canonical(
    entry_id: int, at: datetime, actor: str, action: str, target: str, detail: dict[str, Any], prev_hash: str
) -> str:
    """The exact text that is hashed; stable across databases (UTC, ISO 8601 with microseconds)."""
    body = {
        "id": entry_id,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": target,
        "detail": detail,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(prev_hash: str, canonical_json: str) -> str:
    return crypto.audit_mac((prev_hash + canonical_json).encode("utf-8"))


def hash_of(entry: AuditEntry) -> str:
    """What `entry.hash` must be, recomputed from the stored fields."""
    return entry_hash(
        entry.prev_hash,
        canonical(
            entry.id,
            entry.at,
            entry.actor,
            entry.action,
            entry.target,
            dict(entry.detail or {}),
            entry.prev_hash,
        ),
    )


async def _serialise_writers(session: AsyncSession) -> None:
    if (await session.connection()).dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


async def append(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    target: str,
    now: datetime,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry at the end of the chain (in the caller's transaction)."""
    await _serialise_writers(session)
    last = (
        await session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    ).first()
    entry_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = now.astimezone(UTC)
    clean = json.loads(
        json.dumps(detail or {}, sort_keys=True)
    )  # exactly what the JSON column will give back
    entry = AuditEntry(
        id=entry_id, at=at, actor=actor, action=action, target=target, detail=clean, prev_hash=prev
    )
    entry.hash = hash_of(entry)
    session.add(entry)
    await session.flush()
    return entry


@dataclass(frozen=True)
class Verification:
    """The result of walking the chain: ok, how many entries, the head hash, or the first broken entry."""

    ok: bool
    count: int
    head: str
    broken_id: int | None = None
    reason: str | None = None


async def _entries(session: AsyncSession, batch: int = 1000) -> AsyncIterator[AuditEntry]:
    """Every entry in id order, a batch at a time (keyset pagination, works the same on both databases)."""
    after = 0
    while True:
        rows = (
            await session.scalars(
                select(AuditEntry).where(AuditEntry.id > after).order_by(AuditEntry.id).limit(batch)
            )
        ).all()
        if not rows:
            return
        for row in rows:
            yield row
        after = rows[-1].id
        session.expunge_all()


async def verify(session: AsyncSession) -> Verification:
    """Recompute every hash and link; name the first entry that does not fit."""
    prev, expected_id, count = GENESIS, 1, 0
    async for entry in _entries(session):
        if entry.id != expected_id:
            return Verification(
                False,
                count,
                prev,
                entry.id,
                f"expected entry #{expected_id} here (missing or inserted entries)",
            )
        if entry.prev_hash != prev:
            return Verification(
                False, count, prev, entry.id, "prev_hash does not match the previous entry's hash"
            )
        if hash_of(entry) != entry.hash:
            return Verification(
                False, count, prev, entry.id, "content does not match its hash (entry was changed)"
            )
        prev, expected_id, count = entry.hash, expected_id + 1, count + 1
    return Verification(True, count, prev)


async def head(session: AsyncSession) -> tuple[int, str]:
    """The last entry's id and hash (0 and the genesis hash for an empty log): logged at each start to
    anchor it."""
    last = (
        await session.execute(select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


async def recent(
    session: AsyncSession, *, limit: int = 100, target: str | None = None, actor: str | None = None
) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if target is not None:
        query = query.where(AuditEntry.target == target)
    if actor is not None:
        query = query.where(AuditEntry.actor == actor)
    return list((await session.scalars(query)).all())
