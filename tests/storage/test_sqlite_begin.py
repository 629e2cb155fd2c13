"""SQLite: every transaction takes the write lock when it begins, so writers queue instead of failing."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.storage import db


async def test_a_transaction_holds_the_write_lock_from_its_begin_and_a_second_writer_waits(
    tmp_path: Path,
) -> None:
    path = tmp_path / "psp.db"
    first, second = (db.make_engine(f"sqlite+aiosqlite:///{path}") for _ in range(2))
    try:
        async with first.begin() as conn:
            await conn.execute(text("CREATE TABLE notes (body TEXT)"))
        async with first.begin() as conn:
            await conn.execute(text("SELECT count(*) FROM notes"))  # only a read so far, and yet:
            probe = sqlite3.connect(path, timeout=0)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                probe.execute("BEGIN IMMEDIATE")
            probe.close()

            async def other_process_writes() -> None:  # another `psp serve` on the same file
                async with second.begin() as other:
                    await other.execute(text("INSERT INTO notes VALUES ('second')"))

            waiting = asyncio.ensure_future(other_process_writes())
            await asyncio.sleep(0.3)
            assert not waiting.done()  # queued on the lock, not failed with "database is locked"
            await conn.execute(text("INSERT INTO notes VALUES ('first')"))
        await asyncio.wait_for(waiting, 10)
        async with first.connect() as conn:
            rows = (await conn.execute(text("SELECT body FROM notes ORDER BY rowid"))).scalars().all()
        assert rows == ["first", "second"]
    finally:
        await first.dispose()
        await second.dispose()
