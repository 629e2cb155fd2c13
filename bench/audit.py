"""Cost of the staff console's security machinery: audit appends, chain verification, password hashing.

Run: python bench/audit.py [--entries 50000] [--database-url URL]
Default database: a temporary SQLite file. Prints appends per second (one entry per transaction, as the
console writes them, and 8 concurrent writers), verification time for the whole chain, and argon2id time per
sign-in.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.staff import passwords
from bot.storage import audit, crypto, db

T0 = datetime(2026, 3, 2, tzinfo=UTC)


# Over 60 lines on purpose: a benchmark's steps in the order they are timed.
async def main(entries: int, url: str) -> None:
    crypto.configure("bench-secret")
    engine = db.make_engine(url)
    await db.upgrade(engine)
    sessions = db.session_factory(engine)
    n = 0

    def now() -> datetime:
        return T0 + timedelta(milliseconds=n)

    started = time.perf_counter()
    single = 1000
    for _ in range(single):
        async with sessions() as session, session.begin():
            await audit.append(
                session,
                actor="bench",
                action="patient.view",
                target=f"patient:PSP-{n:06d}",
                now=now(),
                detail={"personal_data_shown": ["messages"]},
            )
        n += 1
    took = time.perf_counter() - started
    print(
        f"append, one entry per transaction: {single / took:,.0f} entries/s ({took / single * 1000:.2f} ms "
        f"each)"
    )

    async def writer(k: int) -> None:
        nonlocal n
        for _ in range(125):
            async with sessions() as session, session.begin():
                await audit.append(session, actor=f"w{k}", action="task.note", target="task:1", now=now())
            n += 1

    started = time.perf_counter()
    await asyncio.gather(*(writer(k) for k in range(8)))
    took = time.perf_counter() - started
    print(f"append, 8 concurrent writers:      {1000 / took:,.0f} entries/s")

    started = time.perf_counter()
    while n < entries:
        async with sessions() as session, session.begin():
            for _ in range(min(1000, entries - n)):
                await audit.append(
                    session, actor="bench", action="patient.view", target="patient:PSP-000001", now=now()
                )
                n += 1
    print(f"filled to {n:,} entries in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    async with sessions() as session:
        result = await audit.verify(session)
    took = time.perf_counter() - started
    assert result.ok and result.count == n, result
    print(f"verify {result.count:,} entries: {took:.2f} s ({result.count / took:,.0f} entries/s)")
    await engine.dispose()

    password = "correct horse battery staple"
    hashed = passwords.hash_password(password)
    started = time.perf_counter()
    for _ in range(5):
        passwords.verify_password(hashed, password)
    print(
        f"argon2id verify (t=3, m=64 MiB, p=4): {(time.perf_counter() - started) / 5 * 1000:.0f} ms per "
        f"sign-in"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        asyncio.run(main(args.entries, args.database_url or f"sqlite+aiosqlite:///{folder}/bench.db"))
