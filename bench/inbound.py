"""Messages per second through `Conversation.receive` for enrolled patients, on SQLite and PostgreSQL.

Each message goes the whole way a real one does: dedupe check, patient lookup by keyed hash, verbatim
encrypted store, safety screening, keywords, the menu flow, replies written to the outbox in the same
transaction.

    python bench/inbound.py [--patients 500] [--messages 5000] [--concurrency 1,8] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import close_services, open_services
from bot.config import load_settings
from bot.core.messages import Inbound
from bot.storage import queries

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["menu", "1", "thanks!", "what time is my reminder?", "ok 👍", "2"]


async def _prepare(services, patients: int) -> list[str]:  # type: ignore[no-untyped-def]
    addresses = []
    async with services.sessions() as session, session.begin():
        for i in range(patients):
            patient = await queries.create_patient(session, services.clock(), locale="en")
            patient.status, patient.program_id, patient.timezone = (
                "active",
                "cardiozen-daily",
                "Europe/Madrid",
            )
            patient.reminder_times, patient.enrolled_at = ["09:00"], services.clock()
            address = f"bench-{i}"
            await queries.add_address(session, patient, "console", address, services.clock())
            addresses.append(address)
    return addresses


async def run(url: str, patients: int, messages: int, concurrency: int) -> dict[str, float]:
    settings = load_settings(
        psp_database_url=url,
        psp_secret_key="bench",
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
    )
    services = await open_services(settings)
    try:
        addresses = await _prepare(services, patients)
        latencies: list[float] = []
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(messages):
            queue.put_nowait(i)

        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                inbound = Inbound(
                    channel="console",
                    address=addresses[i % len(addresses)],
                    text=TEXTS[i % len(TEXTS)],
                    received_at=datetime.now(UTC),
                    external_id=f"b-{uuid.uuid4().hex}",
                )
                start = time.perf_counter()
                await services.conversation.receive(inbound)
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    finally:
        await close_services(services)
    latencies.sort()
    return {
        "rate": messages / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
    }


async def _pg_url(base: str) -> tuple[str, str]:
    import asyncpg

    name = f"psp_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(base.replace("+asyncpg", ""))
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = base.rsplit("/", 1)[0] + "/" + name
    from bot.storage import db

    engine = db.make_engine(url)
    await db.upgrade(engine)
    await engine.dispose()
    return url, name


async def _pg_drop(base: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(base.replace("+asyncpg", ""))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(f"{args.messages} messages from {args.patients} enrolled patients")
    print(f"{'backend':<12}{'tasks':>6}{'msg/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            result = await run(
                f"sqlite+aiosqlite:///{tmp}/bench.db", args.patients, args.messages, concurrency
            )
        print(
            f"{'sqlite':<12}{concurrency:>6}{result['rate']:>10.0f}{result['p50_ms']:>9.1f}{result['p99_ms']:>9.1f}"
        )
        try:
            url, name = await _pg_url(args.postgres)
        except Exception as exc:  # noqa: BLE001
            print(f"postgresql skipped: {exc}")
            continue
        try:
            result = await run(url, args.patients, args.messages, concurrency)
            print(
                f"{'postgresql':<12}{concurrency:>6}{result['rate']:>10.0f}{result['p50_ms']:>9.1f}{result['p99_ms']:>9.1f}"
            )
        finally:
            await _pg_drop(args.postgres, name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {peak:.0f} MiB")


if __name__ == "__main__":
    asyncio.run(main())
