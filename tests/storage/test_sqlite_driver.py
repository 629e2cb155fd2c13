"""SQLite statements as one hand-off to aiosqlite's thread (bot.storage.sqlite_driver): the same results as
SQLAlchemy's own aiosqlite adapter, statement for statement, and errors as before."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, bindparam, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage import db, sqlite_driver

NOTES = Table(
    "notes",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("body", String, unique=True),
    Column("n", Integer),
)


async def _script(engine: AsyncEngine) -> list[Any]:
    """Every kind of statement the bot runs, and what SQLAlchemy hands back from each."""
    seen: list[Any] = []
    async with engine.begin() as conn:
        await conn.run_sync(NOTES.metadata.create_all)
    async with engine.begin() as conn:
        one = await conn.execute(insert(NOTES).values(body="first — é مرحبا", n=1))
        seen.append(one.inserted_primary_key)
        many = await conn.execute(insert(NOTES), [{"body": f"row {i}", "n": i} for i in range(5)])
        seen.append(many.rowcount)
        back = await conn.execute(insert(NOTES).values(body="returned", n=9).returning(NOTES.c.id, NOTES.c.n))
        seen.append(back.all())
        changed = await conn.execute(update(NOTES).where(NOTES.c.n < 3).values(n=NOTES.c.n + 10))
        seen.append(changed.rowcount)
        bulk = await conn.execute(
            update(NOTES).where(NOTES.c.id == bindparam("b_id")).values(n=bindparam("b_n")),
            [{"b_id": 2, "b_n": 100}, {"b_id": 3, "b_n": 101}],
        )
        seen.append(bulk.rowcount)
        rows = await conn.execute(select(NOTES).order_by(NOTES.c.id))
        seen.append((list(rows.keys()), rows.all()))
        seen.append((await conn.execute(select(NOTES.c.body).where(NOTES.c.n == -1))).all())
        seen.append((await conn.execute(text("SELECT count(*), max(n) FROM notes"))).one())
        partial = await conn.execute(select(NOTES.c.id).order_by(NOTES.c.id))
        seen.append((partial.fetchmany(2), partial.fetchone(), len(partial.fetchall())))
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(insert(NOTES).values(body="row 1", n=0))
    async with engine.connect() as conn:  # the failed transaction changed nothing
        seen.append((await conn.execute(select(NOTES.c.n).where(NOTES.c.body == "row 1"))).scalar_one())
        streamed = await conn.stream(select(NOTES.c.id).order_by(NOTES.c.id))  # a server-side cursor
        seen.append([row async for row in streamed])
    return seen


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    ours = db.make_engine(f"sqlite+aiosqlite:///{tmp_path / 'ours.db'}")
    stock = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'stock.db'}")
    yield ours, stock
    await ours.dispose()
    await stock.dispose()


async def test_each_statement_gives_what_sqlalchemy_s_own_adapter_gives(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    ours, stock = engines
    assert isinstance(ours.dialect.dbapi, sqlite_driver.OneHopDbapi)
    assert not isinstance(stock.dialect.dbapi, sqlite_driver.OneHopDbapi)
    assert await _script(ours) == await _script(stock)


async def test_a_statement_is_one_hand_off_to_aiosqlite_s_thread(
    engines: tuple[AsyncEngine, AsyncEngine], monkeypatch: pytest.MonkeyPatch
) -> None:
    ours, _ = engines
    async with ours.begin() as conn:
        await conn.run_sync(NOTES.metadata.create_all)
    calls: list[Any] = []
    real = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(fn)
        return await real(self, fn, *args, **kwargs)

    async with ours.begin() as conn:
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        await conn.execute(insert(NOTES).values(body="a", n=1))
        await conn.execute(select(NOTES))
        await conn.execute(insert(NOTES), [{"body": "b", "n": 2}, {"body": "c", "n": 3}])
        monkeypatch.undo()
    assert len(calls) == 3  # SQLAlchemy's adapter: cursor, execute, (fetchall,) close for each
