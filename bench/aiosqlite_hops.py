"""What one statement costs through aiosqlite (a hand-off to its thread and back) against sqlite3 directly.

    python bench/aiosqlite_hops.py [--statements 20000]

Three ways to run the same indexed single-row SELECT on one SQLite file (WAL), each timed in wall time and in
CPU time of the process (both threads): sqlite3 in the calling thread; aiosqlite's connection (`execute`
and `fetchall`: each a hop); and SQLAlchemy's async engine on aiosqlite (what the bot uses). The difference
per statement is what each hop to aiosqlite's thread costs; `executemany` of the same rows shows why a batch
of rows in one call matters.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiosqlite
from sqlalchemy import text

from bot.storage import db


def _timed(label: str, count: int, wall: float, cpu: float) -> None:
    print(f"{label:<48}{wall / count * 1e6:>9.1f} µs{cpu / count * 1e6:>9.1f} µs CPU")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--statements", type=int, default=20000)
    n = parser.parse_args().statements
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/hops.db"
        setup = sqlite3.connect(path)
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        setup.executemany("INSERT INTO t (v) VALUES (?)", [(f"row {i}",) for i in range(1000)])
        setup.commit()
        setup.close()
        print(f"{'per statement (single-row SELECT by key)':<48}{'wall':>12}{'':>3}{'CPU':>9}")

        conn = sqlite3.connect(path)
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(n):
            conn.execute("SELECT v FROM t WHERE id = ?", (i % 1000 + 1,)).fetchall()
        _timed("sqlite3, same thread", n, time.perf_counter() - wall, time.process_time() - cpu)
        conn.close()

        async with aiosqlite.connect(path) as aconn:
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                cursor = await aconn.execute("SELECT v FROM t WHERE id = ?", (i % 1000 + 1,))
                await cursor.fetchall()
                await cursor.close()
            _timed(
                "aiosqlite (execute, fetchall, close: 3 hops)",
                n,
                time.perf_counter() - wall,
                time.process_time() - cpu,
            )
            rows = [(f"new {i}",) for i in range(n)]
            wall, cpu = time.perf_counter(), time.process_time()
            for row in rows[: n // 10]:
                await aconn.execute("INSERT INTO t (v) VALUES (?)", row)
            _timed(
                "aiosqlite INSERT, one call per row",
                n // 10,
                time.perf_counter() - wall,
                time.process_time() - cpu,
            )
            wall, cpu = time.perf_counter(), time.process_time()
            await aconn.executemany("INSERT INTO t (v) VALUES (?)", rows[: n // 10])
            _timed(
                "aiosqlite INSERT, one executemany (per row)",
                n // 10,
                time.perf_counter() - wall,
                time.process_time() - cpu,
            )
            await aconn.rollback()

        engine = db.make_engine(f"sqlite+aiosqlite:///{path}")
        async with engine.connect() as sconn:
            statement = text("SELECT v FROM t WHERE id = :id")
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(n):
                (await sconn.execute(statement, {"id": i % 1000 + 1})).all()
            _timed(
                "SQLAlchemy async engine on aiosqlite",
                n,
                time.perf_counter() - wall,
                time.process_time() - cpu,
            )
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
