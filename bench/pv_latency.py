"""Time from receipt to a committed PV case row, on SQLite and PostgreSQL.

Every message escalates (a possible adverse event in plain words). `Conversation.receive` stores the message,
screens it, opens or extends the patient's case, answers (safety reply, follow-up question) and commits all of
it in one transaction; the case row is committed when `receive` returns, so the time of `receive` is the time
from receipt to a committed case. Each patient sends several messages: the first opens a case, the following
ones join it (72-hour grouping) and answer the follow-up questions, as a real conversation would.

    python bench/pv_latency.py [--patients 200] [--messages 2000] [--concurrency 1,8] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.inbound import _pg_drop, _pg_url, _prepare
from bot.app import close_services, open_services
from bot.config import load_settings
from bot.core.messages import Inbound
from bot.storage.models import PvCase, PvCaseMessage

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "I have a headache and feel dizzy since I started the tablets",
    "still dizzy today and a bad headache",
    "the rash on my arms is worse",
    "I was taken to hospital last night, I could not breathe",
]


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
                    text=TEXTS[(i // len(addresses)) % len(TEXTS)],
                    received_at=datetime.now(UTC),
                    external_id=f"pv-{uuid.uuid4().hex}",
                )
                start = time.perf_counter()
                outcome = await services.conversation.receive(inbound)
                latencies.append(time.perf_counter() - start)
                assert outcome.escalated

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
        async with services.sessions() as session:
            cases = await session.scalar(select(func.count()).select_from(PvCase))
            links = await session.scalar(select(func.count()).select_from(PvCaseMessage))
    finally:
        await close_services(services)
    assert links == messages, f"{links} case links for {messages} messages"
    latencies.sort()
    return {
        "rate": messages / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[max(int(len(latencies) * 0.99) - 1, 0)] * 1000,
        "cases": float(cases or 0),
    }


def _line(backend: str, concurrency: int, result: dict[str, float]) -> str:
    return (
        f"{backend:<12}{concurrency:>6}{result['rate']:>10.0f}{result['p50_ms']:>9.1f}{result['p99_ms']:>9.1f}"
        f"{int(result['cases']):>8}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=200)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", default="1,8")
    parser.add_argument("--postgres", default="postgresql+asyncpg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    print(
        f"{args.messages} escalating messages from {args.patients} enrolled patients: receipt -> committed "
        f"case"
    )
    print(f"{'backend':<12}{'tasks':>6}{'msg/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'cases':>8}")
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            print(
                _line(
                    "sqlite",
                    concurrency,
                    await run(
                        f"sqlite+aiosqlite:///{tmp}/bench.db", args.patients, args.messages, concurrency
                    ),
                )
            )
        try:
            url, name = await _pg_url(args.postgres)
        except Exception as exc:  # noqa: BLE001
            print(f"postgresql skipped: {exc}")
            continue
        try:
            print(_line("postgresql", concurrency, await run(url, args.patients, args.messages, concurrency)))
        finally:
            await _pg_drop(args.postgres, name)


if __name__ == "__main__":
    asyncio.run(main())
