"""Updates per second through our whole Telegram path, beside a bare aiogram echo bot, on the same Bot API
double.

    python bench/telegram.py [--chats 1000] [--rate 50] [--seconds 10]

Each bot runs in this process against its own Bot API double in a separate process
(tests/doubles/telegram_api.py plus two control routes), so the double does not eat the bot's CPU. Both bots
use long polling.

- ours: `psp` wiring on a fresh SQLite file: our poll loop (one update at a time, stored before it is
  confirmed), Conversation.receive (store, screen, enrolment step, reply into the outbox) and the outbox
  dispatcher sending through the double, woken as soon as replies are queued. Rate limits are raised out of
  the way (the double does not enforce Telegram's, and the echo bot has none).
- bare: aiogram's Dispatcher.start_polling with one handler, `message.answer(message.text)` (handled as
  tasks).

Workload: each chat sends "/start", then "English" (the language question's first answer), two replies per
chat. Throughput: every update pushed at once; updates per second until the last reply. Latency: a paced load
at `--rate` updates per second; time from the update entering the double to its reply arriving there (one
clock).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRIPT = ["/start", "English"]


# --- the double, in its own process -------------------------------------------------------------------------


def serve_double() -> None:
    """`--double`: a TelegramDouble with /control/push and /control/sent; prints its base URL and serves
    forever."""
    from aiohttp import web

    from tests.doubles.telegram_api import TelegramDouble

    class BenchDouble(TelegramDouble):
        def __init__(self) -> None:
            super().__init__(max_poll_wait=1.0)
            self.sends: list[tuple[int, float]] = []  # (chat_id, arrival) of every delivered message
            self.pushed: dict[int, list[float]] = defaultdict(list)  # chat_id -> push times, in order
            self.app.router.add_post("/control/push", self._control_push)
            self.app.router.add_get("/control/sent", self._control_sent)

        async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
            result = await super()._send_message(params)
            self.sends.append((int(params["chat_id"]), time.monotonic()))
            return result

        async def _control_push(self, request: web.Request) -> web.Response:
            for chat, text in await request.json():
                self.pushed[chat].append(time.monotonic())
                self.push_message(chat, text, language_code="en")
            return web.json_response({"ok": True})

        async def _control_sent(self, request: web.Request) -> web.Response:
            if request.query.get("detail"):
                return web.json_response({"sends": self.sends, "pushed": self.pushed})
            return web.json_response({"count": len(self.sends)})

    async def main() -> None:
        double = BenchDouble()
        await double.start()
        print(double.base_url, flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


# --- measuring ----------------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    updates: int
    seconds: float
    latencies: list[float]
    cpu: float = 0.0  # CPU seconds this process (the bot) used, all threads
    statements: int = 0  # SQL statements executed (ours)

    @property
    def per_second(self) -> float:
        return self.updates / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


class Double:
    """A double process and the HTTP client that drives it."""

    async def __aenter__(self) -> Self:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(Path(__file__).resolve()),
            "--double",
            stdout=asyncio.subprocess.PIPE,
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        self.url = (await self.proc.stdout.readline()).decode().strip()
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.close()
        self.proc.terminate()
        await self.proc.wait()

    async def push(self, messages: list[tuple[int, str]]) -> None:
        async with self.http.post(self.url + "/control/push", json=messages) as response:
            response.raise_for_status()

    async def sent(self) -> int:
        async with self.http.get(self.url + "/control/sent") as response:
            return int((await response.json())["count"])

    async def wait_for(self, count: int, timeout: float = 600) -> float:
        deadline = time.monotonic() + timeout
        while (done := await self.sent()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {done} of {count} replies")
            await asyncio.sleep(0.01)
        return time.monotonic()

    async def latencies(self) -> list[float]:
        """Update-to-reply delays: the k-th reply to a chat answers the k-th update pushed to it."""
        async with self.http.get(self.url + "/control/sent", params={"detail": "1"}) as response:
            detail = json.loads(await response.text())
        pushed = {int(chat): times for chat, times in detail["pushed"].items()}
        seen: dict[int, int] = defaultdict(int)
        delays = []
        for chat, at in detail["sends"]:
            index = seen[chat]
            seen[chat] += 1
            if index < len(pushed.get(chat, [])):
                delays.append(at - pushed[chat][index])
        return delays


async def measure(
    name: str,
    start_bot: Callable[[str], Awaitable[Callable[[], Awaitable[None]]]],
    chats: int,
    rate: float,
    seconds: float,
) -> tuple[Result, Result]:
    """Burst throughput, then paced latency, each on a fresh double."""
    async with Double() as double:
        stop = await start_bot(double.url)
        try:
            await double.push([(1, "/start")])  # warm up: connections, first queries
            await double.wait_for(1)
            base = await double.sent()
            burst = [(10_000 + chat, text) for text in SCRIPT for chat in range(chats)]
            began, cpu, statements = time.monotonic(), time.process_time(), SQL_STATEMENTS[0]
            await double.push(burst)
            finished = await double.wait_for(base + len(burst))
            throughput = Result(
                name,
                len(burst),
                finished - began,
                [],
                time.process_time() - cpu,
                SQL_STATEMENTS[0] - statements,
            )
        finally:
            await stop()
    async with Double() as double:
        stop = await start_bot(double.url)
        try:
            total = int(rate * seconds)
            began, cpu, statements = time.monotonic(), time.process_time(), SQL_STATEMENTS[0]
            for n in range(total):
                chat = 50_000 + n // len(SCRIPT)
                await double.push([(chat, SCRIPT[n % len(SCRIPT)])])
                await asyncio.sleep(max(0.0, began + (n + 1) / rate - time.monotonic()))
            await double.wait_for(total)
            paced = Result(
                name,
                total,
                time.monotonic() - began,
                await double.latencies(),
                time.process_time() - cpu,
                SQL_STATEMENTS[0] - statements,
            )
        finally:
            await stop()
    return throughput, paced


# --- the two bots -------------------------------------------------------------------------------------------

TOKEN = "123456789:TEST-token-for-the-telegram-double"
SQL_STATEMENTS = [0]
DATABASE: list[str | None] = [None]  # --database: another URL than a fresh SQLite file


async def start_ours(url: str) -> Callable[[], Awaitable[None]]:
    from sqlalchemy import event

    from bot.app import close_services, open_services, settle_after_start_up
    from bot.channels import telegram
    from bot.config import load_settings

    workdir = Path(tempfile.mkdtemp(prefix="psp-bench-"))
    settings = load_settings(
        psp_database_url=DATABASE[0] or f"sqlite+aiosqlite:///{workdir / 'psp.db'}",
        psp_secret_key="bench-secret-key-not-for-production",
        telegram_bot_token=TOKEN,
        telegram_api_url=url,
        telegram_rate_per_chat=1e6,
        telegram_rate_global=1e6,
        _env_file=None,
    )
    if DATABASE[0]:
        await _fresh_postgres(DATABASE[0])
    services = await open_services(settings)

    def count(*_: Any) -> None:
        SQL_STATEMENTS[0] += 1

    event.listen(services.engine.sync_engine, "before_cursor_execute", count)
    if services.engine.dialect.name == "sqlite":  # BEGIN IMMEDIATE bypasses the cursor (bot.storage.db)
        event.listen(services.engine.sync_engine, "begin", count)
    await telegram.enable(services)
    settle_after_start_up()  # as `psp serve` does once it has started

    async def stop() -> None:
        await close_services(services)

    return stop


async def _fresh_postgres(url: str) -> None:
    """Migrate the given PostgreSQL database and empty every table, so each run starts alike."""
    from sqlalchemy import text

    from bot.storage import db
    from bot.storage.models import Base

    engine = db.make_engine(url, null_pool=True)
    await db.upgrade(engine)
    async with engine.begin() as conn:
        tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


async def start_bare(url: str) -> Callable[[], Awaitable[None]]:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(url)))
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, close_bot_session=True))

    async def stop() -> None:
        await dp.stop_polling()
        await task

    return stop


async def adapter_intake(chats: int) -> tuple[float, float]:
    """Our intake with the core stubbed out (no storage, no replies): the Telegram adapter's own cost.

    Returns (updates per second, CPU ms per update) for the poll loop, aiogram's parsing and routing, and
    Inbound.
    """
    from bot.channels import telegram
    from bot.core.messages import Inbound, Outcome

    class StubConversation:
        received = 0

        async def receive(self, inbound: Inbound) -> Outcome:
            StubConversation.received += 1
            return Outcome(message_id=None)

    async with Double() as double:
        channel = telegram.TelegramChannel(
            telegram.make_bot(TOKEN, double.url),
            None,  # type: ignore[arg-type]  # no database
            StubConversation(),  # type: ignore[arg-type]
            clock=time.time,  # type: ignore[arg-type]  # unused without a core
            limiter=None,  # type: ignore[arg-type]  # nothing is sent
            mode="polling",
        )
        await channel.start()
        burst = [(10_000 + chat, text) for text in SCRIPT for chat in range(chats)]
        began, cpu = time.monotonic(), time.process_time()
        await double.push(burst)
        while StubConversation.received < len(burst):
            await asyncio.sleep(0.005)
        seconds, cpu = time.monotonic() - began, time.process_time() - cpu
        await channel.close()
    return len(burst) / seconds, cpu / len(burst) * 1000


async def main(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.ERROR)
    rows = []
    for name, starter in (("bare aiogram echo", start_bare), ("psp-bot (ours)", start_ours)):
        rows.append(await measure(name, starter, args.chats, args.rate, args.seconds))
    backend = "PostgreSQL" if args.database else "SQLite"
    print(
        f"{args.chats * len(SCRIPT)} updates in a burst ({args.chats} chats x {SCRIPT}), polling, {backend}"
    )
    print(
        f"{'bot':<20} {'updates/s':>10} {'CPU ms/upd':>11} {'SQL/upd':>8}   paced {args.rate:g}/s: "
        f"{'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'CPU ms/upd':>11} {'SQL/upd':>8}"
    )
    for burst, paced in rows:
        sql = f"{burst.statements / burst.updates:.1f}" if burst.statements else "-"
        print(
            f"{burst.name:<20} {burst.per_second:>10.0f} {burst.cpu / burst.updates * 1000:>11.2f} {sql:>8} "
            f"  "
            f"{'':>11}{paced.pct(0.5):>7.1f} {paced.pct(0.99):>7.1f} {max(paced.latencies) * 1000:>7.1f}"
            f" {paced.cpu / paced.updates * 1000:>11.2f}"
            f" {(f'{paced.statements / paced.updates:.1f}' if paced.statements else '-'):>8}"
        )
    print(f"ratio ours/bare: {rows[1][0].per_second / rows[0][0].per_second:.2f} (goal >= 0.5)")
    per_second, cpu = await adapter_intake(args.chats)
    print(
        f"our Telegram intake alone (core stubbed, nothing stored or sent): {per_second:.0f} updates/s, "
        f"{cpu:.2f} CPU ms/update"
    )


if __name__ == "__main__":
    if "--double" in sys.argv:
        serve_double()
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--chats", type=int, default=1000)
        parser.add_argument("--rate", type=float, default=50.0)
        parser.add_argument("--seconds", type=float, default=10.0)
        parser.add_argument(
            "--database",
            default=None,
            help="a PostgreSQL URL (postgresql+asyncpg://...) to use instead of SQLite; its tables are "
            "emptied",
        )
        arguments = parser.parse_args()
        DATABASE[0] = arguments.database
        asyncio.run(main(arguments))
