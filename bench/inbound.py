"""Messages per second through `Conversation.receive` for enrolled patients, on SQLite and PostgreSQL.

Each message goes the whole way a real one does: dedupe, patient lookup by keyed hash, verbatim encrypted
store, safety screening, keywords, the menu flow, replies written to the outbox in the same transaction.

    python bench/inbound.py [--patients 500] [--messages 5000] [--concurrency 1,8] [--batch 0,100]
                            [--processes 1,2] [--memory 0] [--backends sqlite,postgresql] [--postgres URL]

- `--concurrency N`: N tasks each calling `receive` one message at a time (concurrent webhooks: what waits
  together is written together by the group-commit writer).
- `--batch N` (N > 0): messages handed over N at a time in order, as a polled Telegram batch is
  (`writer.ordered`); 0 means the `--concurrency` mode.
- `--processes P`: P processes on one database, each with its own patients and a 1/P share of the messages;
  the rate is all messages over the wall time from a common start (PostgreSQL; SQLite has one writer).
- `--memory N`: instead, N messages in the `--batch` mode (or one task) and the growth of the peak resident
  set (VmHWM) while they ran.

Columns: msg/s, p50/p99 of `receive` (ms), CPU ms per message of this process (PostgreSQL's own work is not
in it), SQL statements per message (SQLAlchemy's `before_cursor_execute`; an executemany counts once).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event

from bot.app import close_services, open_services
from bot.config import load_settings
from bot.core.messages import Inbound
from bot.storage import queries

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ["menu", "1", "thanks!", "what time is my reminder?", "ok 👍", "2"]


def _hwm_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def _prepare(services: Any, patients: int, prefix: str) -> list[str]:
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
            address = f"{prefix}-{i}"
            await queries.add_address(session, patient, "console", address, services.clock())
            addresses.append(address)
    return addresses


def _settings(url: str) -> Any:
    return load_settings(
        psp_database_url=url,
        psp_secret_key="bench-secret-key-not-for-production",
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
    )


async def run(
    url: str, patients: int, messages: int, concurrency: int, batch: int, start_at: float | None = None
) -> dict[str, float]:
    services = await open_services(_settings(url))
    statements = [0]

    @event.listens_for(services.engine.sync_engine, "before_cursor_execute")
    def _count(*_args: Any) -> None:
        statements[0] += 1

    if services.engine.dialect.name == "sqlite":  # BEGIN IMMEDIATE bypasses the cursor (bot.storage.db)
        event.listen(services.engine.sync_engine, "begin", _count)

    try:
        addresses = await _prepare(services, patients, f"bench-{uuid.uuid4().hex[:6]}")
        inbounds = [
            Inbound(
                channel="console",
                address=addresses[i % len(addresses)],
                # every patient goes through the six texts in order, from its own starting point, so the
                # workload per patient is the same whatever the number of patients (and of processes)
                text=TEXTS[(i // len(addresses) + i) % len(TEXTS)],
                received_at=datetime.now(UTC),
                external_id=f"b-{uuid.uuid4().hex}",
            )
            for i in range(messages)
        ]
        latencies: list[float] = []
        receive, writer = services.conversation.receive, services.conversation.writer

        async def timed(inbound: Inbound) -> None:
            began = time.perf_counter()
            await receive(inbound)
            latencies.append(time.perf_counter() - began)

        async def worker(queue: list[Inbound]) -> None:
            while queue:
                await timed(queue.pop())

        if start_at is not None:
            await asyncio.sleep(max(0.0, start_at - time.time()))
        hwm, cpu, began, counted = _hwm_kib(), time.process_time(), time.perf_counter(), statements[0]
        if batch:
            for first in range(0, messages, batch):
                chunk = inbounds[first : first + batch]
                async with writer.ordered(len(chunk)) as places:
                    await asyncio.gather(*(places.run(i, timed(m)) for i, m in enumerate(chunk)))
        else:
            queue = list(reversed(inbounds))
            await asyncio.gather(*(worker(queue) for _ in range(concurrency)))
        elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
        counted = statements[0] - counted
        growth = (_hwm_kib() - hwm) / 1024
    finally:
        await close_services(services)
    latencies.sort()
    return {
        "rate": messages / elapsed,
        "elapsed": elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000,
        "cpu_ms": cpu / messages * 1000,
        "sql": counted / messages,
        "hwm_growth_mib": growth,
    }


def _child(
    url: str, patients: int, messages: int, concurrency: int, batch: int, start_at: float, out: Any
) -> None:
    if os.environ.get("BENCH_LOG"):  # e.g. BENCH_LOG=1 to see a batch's isolated messages
        logging.basicConfig(level=logging.INFO)
        logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    out.put(asyncio.run(run(url, patients, messages, concurrency, batch, start_at)))


def run_processes(
    url: str, patients: int, messages: int, concurrency: int, batch: int, processes: int
) -> dict[str, float]:
    """`processes` children on one database; the rate is every message over the slowest child's time."""
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    start_at = time.time() + 25  # room for every child to import, connect and seed its patients
    children = [
        ctx.Process(
            target=_child,
            args=(url, patients // processes, messages // processes, concurrency, batch, start_at, out),
        )
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    results = [out.get() for _ in children]
    for child in children:
        child.join()
    total = sum(r["rate"] * r["elapsed"] for r in results)
    slowest = max(r["elapsed"] for r in results)
    return {
        "rate": total / slowest,
        "p50_ms": statistics.median(r["p50_ms"] for r in results),
        "p99_ms": max(r["p99_ms"] for r in results),
        "cpu_ms": statistics.mean(r["cpu_ms"] for r in results),
        "sql": statistics.mean(r["sql"] for r in results),
        "hwm_growth_mib": max(r["hwm_growth_mib"] for r in results),
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


def _line(backend: str, processes: int, mode: str, result: dict[str, float]) -> str:
    return (
        f"{backend:<12}{processes:>6} {mode:<10}{result['rate']:>8.0f}{result['p50_ms']:>9.1f}"
        f"{result['p99_ms']:>9.1f}{result['cpu_ms']:>8.2f}{result['sql']:>7.2f}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=500)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--batch", default="0", help="comma-separated batch sizes; 0 = the concurrency mode")
    parser.add_argument("--processes", default="1", help="comma-separated process counts (PostgreSQL)")
    parser.add_argument(
        "--memory", type=int, default=0, help="messages for the memory run (0: no memory run)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    backends = args.backends.split(",")
    batches = [int(b) for b in args.batch.split(",")]
    if args.memory:
        batch = max(batches)
        for backend in backends:
            with tempfile.TemporaryDirectory() as tmp:
                url, name = (
                    (f"sqlite+aiosqlite:///{tmp}/bench.db", "")
                    if backend == "sqlite"
                    else await _pg_url(args.postgres)
                )
                try:
                    result = await run(url, args.patients, args.memory, 1, batch)
                finally:
                    if name:
                        await _pg_drop(args.postgres, name)
            print(
                f"{backend}: {args.memory} messages (batch {batch or 'none, one task'})"
                f" in {result['elapsed']:.0f} s,"
                f" {result['rate']:.0f} msg/s; peak RSS grew by {result['hwm_growth_mib']:.1f} MiB"
            )
        return
    print(f"{args.messages} messages from {args.patients} enrolled patients")
    print(
        f"{'backend':<12}{'procs':>6} {'mode':<10}{'msg/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'CPU ms':>8}{'SQL':>7}"
    )
    modes = [(c, 0) for c in (int(c) for c in args.concurrency.split(","))] + [(1, b) for b in batches if b]
    for concurrency, batch in modes:
        mode = f"batch {batch}" if batch else f"{concurrency} tasks"
        for backend in backends:
            if backend == "sqlite":
                with tempfile.TemporaryDirectory() as tmp:
                    result = await run(
                        f"sqlite+aiosqlite:///{tmp}/bench.db",
                        args.patients,
                        args.messages,
                        concurrency,
                        batch,
                    )
                print(_line("sqlite", 1, mode, result))
                continue
            for processes in (int(p) for p in args.processes.split(",")):
                try:
                    url, name = await _pg_url(args.postgres)
                except Exception as exc:  # noqa: BLE001
                    print(f"postgresql skipped: {exc}")
                    break
                try:
                    if processes == 1:
                        result = await run(url, args.patients, args.messages, concurrency, batch)
                    else:
                        result = await asyncio.to_thread(
                            run_processes, url, args.patients, args.messages, concurrency, batch, processes
                        )
                    print(_line("postgresql", processes, mode, result))
                finally:
                    await _pg_drop(args.postgres, name)


if __name__ == "__main__":
    asyncio.run(main())
