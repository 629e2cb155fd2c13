"""The audit log: every staff action leaves an entry; the chain shows any change; writers never fork it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bot.storage import audit
from bot.storage.models.staff import AuditEntry


async def _write(services: Any, n: int, actor: str = "ann") -> None:
    for i in range(n):
        async with services.sessions() as session, session.begin():
            await audit.append(
                session,
                actor=actor,
                action="patient.view",
                target=f"patient:PSP-{i:06d}",
                now=services.clock(),
                detail={"i": i},
            )
        services.clock.advance(seconds=1)


async def _raw(services: Any, *statements: str) -> None:
    """What someone with the database password could do, bypassing the application (and the triggers)."""
    async with services.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            await conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
            await conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
        for statement in statements:
            await conn.execute(text(statement))
        if postgres:
            await conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only"))


async def _verify(services: Any) -> audit.Verification:
    async with services.sessions() as session:
        return await audit.verify(session)


async def test_an_untouched_chain_verifies_with_its_count_and_head(services: Any) -> None:
    assert (await _verify(services)).ok and (await _verify(services)).count == 0
    await _write(services, 5)
    result = await _verify(services)
    async with services.sessions() as session:
        last = await session.get(AuditEntry, 5)
    assert result == audit.Verification(True, 5, last.hash)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("tampering", "broken", "reason"),
    [
        ("UPDATE audit_log SET actor = 'mallory' WHERE id = 3", 3, "content does not match"),
        ("UPDATE audit_log SET detail = '{\"i\": 99}' WHERE id = 2", 2, "content does not match"),
        ("DELETE FROM audit_log WHERE id = 3", 4, "missing or inserted"),
        ("UPDATE audit_log SET hash = '" + "a" * 64 + "' WHERE id = 4", 4, "content does not match"),
    ],
    ids=["actor changed", "detail changed", "entry deleted", "hash replaced"],
)
async def test_a_tampered_entry_is_named(services: Any, tampering: str, broken: int, reason: str) -> None:
    await _write(services, 6)
    await _raw(services, tampering)
    result = await _verify(services)
    assert not result.ok
    assert result.broken_id == broken and reason in (result.reason or "")


async def test_rewriting_an_entry_with_a_fresh_hash_still_breaks_the_next_link(services: Any) -> None:
    await _write(services, 4)
    async with services.sessions() as session:
        entry = await session.get(AuditEntry, 2)
        assert entry is not None
        entry.actor = "mallory"
        forged = audit.hash_of(entry)
    await _raw(services, f"UPDATE audit_log SET actor = 'mallory', hash = '{forged}' WHERE id = 2")
    result = await _verify(services)
    assert (result.broken_id, result.reason) == (3, "prev_hash does not match the previous entry's hash")


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"])
async def test_the_database_itself_refuses_to_change_or_delete_entries(services: Any, statement: str) -> None:
    await _write(services, 2)
    with pytest.raises(DBAPIError, match="append-only"):
        async with services.engine.begin() as conn:
            await conn.execute(text(statement))
    assert (await _verify(services)).count == 2


async def test_concurrent_writers_never_fork_the_chain(services: Any) -> None:
    async def writer(n: int) -> None:
        for i in range(5):
            async with services.sessions() as session, session.begin():
                await audit.append(
                    session, actor=f"w{n}", action="task.note", target=f"task:{i}", now=services.clock()
                )

    await asyncio.gather(*(writer(n) for n in range(8)))
    result = await _verify(services)
    assert result.ok and result.count == 40


async def test_a_chain_rebuilt_without_the_secret_key_fails_verification(services: Any) -> None:
    """Someone with database access edits an entry and recomputes every hash as the old scheme did (plain
    SHA-256): without PSP_SECRET_KEY the rebuilt chain does not verify."""
    import hashlib

    await _write(services, 3)
    async with services.sessions() as session:
        entries = [e async for e in audit._entries(session)]
    statements, prev = [], audit.GENESIS
    for entry in entries:
        actor = "mallory" if entry.id == 2 else entry.actor
        body = audit.canonical(
            entry.id, entry.at, actor, entry.action, entry.target, dict(entry.detail), prev
        )
        forged = hashlib.sha256((prev + body).encode()).hexdigest()
        statements.append(
            f"UPDATE audit_log SET actor = '{actor}', prev_hash = 'tmp{entry.id}', hash = '{forged}' "
            f"WHERE id = {entry.id}"
        )
        statements.append(f"UPDATE audit_log SET prev_hash = '{prev}' WHERE id = {entry.id}")
        prev = forged
    await _raw(services, *statements)
    result = await _verify(services)
    assert (result.ok, result.broken_id) == (False, 1)
