"""A real sender process through a storm of Telegram 429s: nothing dead-lettered, each reminder delivered once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from bot.app import close_services, open_services
from bot.storage.models import OutboxItem
from tests.conftest import make_settings
from tests.doubles import TelegramDouble
from tests.reminders.test_processes import FIRST_CHAT, Worker, _chats, _seed, _until, spawned  # noqa: F401

STORM_SECONDS = (
    15  # with retry_after 1 every row is refused ~15 times: past the 10 attempts a failure may use
)


async def _outbox_statuses(url: str) -> dict[str, int]:
    services = await open_services(make_settings(url))
    try:
        async with services.sessions() as session:
            rows = await session.execute(select(OutboxItem.status, func.count()).group_by(OutboxItem.status))
            return {status: int(n) for status, n in rows.all()}
    finally:
        await close_services(services)


async def test_fifteen_seconds_of_429s_then_every_reminder_is_delivered_once(
    sqlite_url: str, tmp_path: Path, spawned: list[Worker]
) -> None:
    count = 30
    await _seed(sqlite_url, count)
    async with TelegramDouble() as double:
        double.flood(retry_after=1)
        worker = Worker(sqlite_url, double, tmp_path)
        spawned.append(worker)
        await worker.start()
        await asyncio.sleep(STORM_SECONDS)
        refused = sum(1 for c in double.calls_to("sendMessage") if c.status == 429)
        double.flood(None)
        await _until(lambda: len(_chats(double)) == count, timeout=60)
        await asyncio.sleep(0.5)  # anything sent twice would show up now
        await worker.stop()
    chats = _chats(double)
    delivered = len(chats)
    duplicated = sum(n - 1 for n in chats.values())
    lost = count - delivered
    print(f"429 storm: refused={refused} delivered={delivered} duplicated={duplicated} lost={lost}")
    assert refused > count * 10, "the storm refused each reminder more often than a failure may be retried"
    assert (delivered, duplicated, lost) == (count, 0, 0)
    assert set(chats) == {FIRST_CHAT + i for i in range(count)}
    assert await _outbox_statuses(sqlite_url) == {"sent": count}
