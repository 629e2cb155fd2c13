"""A process killed with SIGKILL in the middle of a group commit (real processes, Telegram polling against the
Telegram double over HTTP, SQLite file and PostgreSQL).

What Telegram was told is stored (the offset confirmed by getUpdates) must be stored, exactly once; what it
was not told is delivered again to the next process and stored, once. Killed just before the batch's COMMIT,
the batch is lost and redelivered; killed just after it, the batch is stored but not confirmed, and the
redelivery must change nothing.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import close_services, open_services
from bot.channels.telegram_router import chat_ref
from bot.storage.models import Address, Message
from tests.conftest import ROOT, TEST_SECRET, make_settings
from tests.doubles import TelegramDouble

CHATS = 250  # three polled batches (getUpdates hands out 100 at a time)


class Worker:
    def __init__(self, url: str, double: TelegramDouble, workdir: Path, stall: str | None) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TELEGRAM_", "TWILIO_"))}
        self.env.update(
            PYTHONPATH=str(ROOT),
            PSP_DATABASE_URL=url,
            PSP_SECRET_KEY=TEST_SECRET,
            TELEGRAM_BOT_TOKEN=double.token,
            TELEGRAM_API_URL=double.base_url,
        )
        if stall:
            self.env["PSP_TEST_STALL"] = stall
        self.workdir = workdir
        workdir.mkdir(exist_ok=True)
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.inbound.worker",
            cwd=self.workdir,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(self.proc.stdout.readline(), timeout=120)
        if line.strip() != b"ready":
            raise AssertionError((line + await self.proc.stdout.read()).decode())
        self.output = asyncio.create_task(self.proc.stdout.read())

    async def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        await self.output


@pytest.fixture
def spawned() -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:
        if worker.proc is not None and worker.proc.returncode is None:
            worker.proc.send_signal(signal.SIGKILL)


async def _until(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.1)


async def _stored(url: str) -> tuple[Counter[str], Counter[int]]:
    """Inbound messages per external id, and outbound messages per patient."""
    services = await open_services(make_settings(url))
    try:
        async with services.sessions() as session:
            inbound = Counter(
                str(external_id)
                for external_id in (
                    await session.scalars(
                        select(Message.external_id).where(
                            Message.direction == "in", Message.channel == "telegram"
                        )
                    )
                ).all()
            )
            rows = await session.execute(
                select(Address.patient_id, func.count(Message.id))
                .outerjoin(Message, (Message.address_id == Address.id) & (Message.direction == "out"))
                .group_by(Address.patient_id)
            )
            replies = Counter({int(pid): int(n) for pid, n in rows.all()})
        return inbound, replies
    finally:
        await close_services(services)


def _confirmed_below(double: TelegramDouble) -> int:
    """The highest offset the bot sent to getUpdates: every update below it was confirmed to Telegram."""
    offsets = [c.params.get("offset") for c in double.calls_to("getUpdates")]
    return max((int(o) for o in offsets if isinstance(o, int)), default=0)


@pytest.mark.parametrize("when", ["before", "after"])
async def test_killed_in_the_middle_of_a_group_commit_every_message_is_stored_exactly_once(
    database_url: str, tmp_path: Path, spawned: list[Worker], when: str
) -> None:
    async with TelegramDouble() as double:
        updates = [double.push_update(double.make_message_update(50_000 + i, "/start")) for i in range(CHATS)]
        key = {
            u["update_id"]: f"{chat_ref(u['message']['chat']['id'])}:{u['message']['message_id']}"
            for u in updates
        }
        first = Worker(database_url, double, tmp_path / "first", stall=f"2:{when}")
        spawned.append(first)
        await first.start()
        stalled = first.workdir / "stalled"
        await _until(lambda: asyncio.sleep(0, stalled.exists()), timeout=120)
        await first.kill()

        confirmed = {uid for uid in key if uid < _confirmed_below(double)}
        inbound, _ = await _stored(database_url)
        assert 0 < len(confirmed) < CHATS, "the kill landed after one batch was confirmed and before the end"
        assert all(inbound[key[uid]] == 1 for uid in confirmed), "a confirmed message was lost"
        if when == "before":  # the stalled batch never committed: only what was confirmed is stored
            assert set(inbound) == {key[uid] for uid in confirmed}
        else:  # committed but not confirmed: stored, and Telegram will hand it out again
            assert len(inbound) > len(confirmed)

        second = Worker(database_url, double, tmp_path / "second", stall=None)
        spawned.append(second)
        await second.start()

        async def all_stored() -> bool:
            return len((await _stored(database_url))[0]) == CHATS

        await _until(all_stored, timeout=120)
        await asyncio.sleep(1.0)  # a redelivered batch (the "after" case) would be written by now
        await second.kill()

    inbound, replies = await _stored(database_url)
    assert set(inbound) == set(key.values())
    assert set(inbound.values()) == {1}, "a message was stored twice"
    assert len(replies) == CHATS
    assert len(set(replies.values())) == 1 and min(replies.values()) >= 1, (
        "every chat got the same answer once (a batch handled twice would answer twice)"
    )
