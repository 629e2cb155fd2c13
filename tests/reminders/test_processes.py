"""Real processes: a sender killed with SIGKILL in the middle of a large batch, a sender through a storm of
Telegram 429s, and two senders on one PostgreSQL database. Each process is `tests/reminders/worker.py` (what
`psp serve` wires for sending, with a Telegram channel pointed at the Telegram double served by this test)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.app import close_services, open_services
from bot.reminders import store as rows
from bot.storage import crypto
from bot.storage.models import Address, OutboxItem, Patient, Reminder
from scheduler import dispatch
from tests.conftest import ROOT, TEST_SECRET, make_settings
from tests.doubles import TelegramDouble

FIRST_CHAT = 10_000


async def _seed(url: str, count: int) -> None:
    """`count` enrolled Telegram patients, each with one dose reminder due half a minute ago."""
    services = await open_services(make_settings(url))
    now = datetime.now(UTC)
    try:
        async with services.sessions() as session, session.begin():
            patients = [
                {
                    "status": "active",
                    "program_id": "cardiozen-daily",
                    "timezone": "UTC",
                    "locale": "en",
                    "reminder_times": ["09:00"],
                    "created_at": now,
                    "enrolled_at": now,
                    "reminders_planned_until": now + timedelta(hours=48),
                }
                for _ in range(count)
            ]
            await session.execute(Patient.__table__.insert(), patients)
            ids = list((await session.scalars(select(Patient.id).order_by(Patient.id))).all())
            chats = {pid: str(FIRST_CHAT + i) for i, pid in enumerate(ids)}
            await session.execute(
                Address.__table__.insert(),
                [
                    {
                        "patient_id": pid,
                        "channel": "telegram",
                        "lookup": crypto.lookup_hash("telegram", chat),
                        "value": chat,
                        "opted_out": False,
                        "unreachable": False,
                        "created_at": now,
                    }
                    for pid, chat in chats.items()
                ],
            )
            slot = now - timedelta(seconds=30)
            await rows.insert_planned(
                session,
                [
                    {
                        "patient_id": pid,
                        "kind": "dose",
                        "slot_key": f"dose:{slot:%Y-%m-%dT%H:%M}",
                        "local_slot": slot.isoformat(),
                        "due_at": slot,
                        "created_at": now,
                    }
                    for pid in ids
                ],
            )
    finally:
        await close_services(services)


class Worker:
    def __init__(self, url: str, double: TelegramDouble, workdir: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TELEGRAM_", "TWILIO_"))}
        self.env.update(
            PYTHONPATH=str(ROOT),
            PSP_DATABASE_URL=url,
            PSP_SECRET_KEY=TEST_SECRET,
            PSP_TICK_SECONDS="0.05",
            TELEGRAM_BOT_TOKEN=double.token,
            TELEGRAM_API_URL=double.base_url,
        )
        self.workdir = workdir
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.reminders.worker",
            cwd=self.workdir,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        assert self.proc.stdout is not None
        line = await asyncio.wait_for(
            self.proc.stdout.readline(), timeout=120
        )  # importing aiogram takes a while
        if line.strip() != b"ready":
            rest = await self.proc.stdout.read()
            raise AssertionError((line + rest).decode())
        self.output = asyncio.create_task(self.proc.stdout.read())  # keep the pipe drained

    async def wait(self) -> str:
        assert self.proc is not None
        await self.proc.wait()
        return (await self.output).decode()

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)

    async def stop(self) -> int:
        """SIGTERM; returns how many messages this process sent."""
        assert self.proc is not None and self.proc.stdout is not None
        self.proc.send_signal(signal.SIGTERM)
        output = await asyncio.wait_for(self.wait(), timeout=30)
        sent = [line for line in output.splitlines() if line.startswith("sent=")]
        assert sent, output
        return int(sent[0].removeprefix("sent="))


@pytest.fixture
def spawned() -> Iterator[list[Worker]]:
    """Workers started by a test; any still running afterwards (a failed test) is killed."""
    started: list[Worker] = []
    yield started
    for worker in started:
        if worker.proc is not None and worker.proc.returncode is None:
            worker.kill()


def _chats(double: TelegramDouble) -> Counter[int]:
    return Counter(int(c.params["chat_id"]) for c in double.calls_to("sendMessage") if c.status == 200)


async def _until(predicate, timeout: float) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.01)


async def _outbox_rows_per_reminder(url: str) -> Counter[int]:
    services = await open_services(make_settings(url))
    try:
        async with services.sessions() as session:
            found = await session.execute(select(Reminder.id, Reminder.outbox_id, Reminder.status))
            per = Counter()
            for _, outbox_id, status in found.all():
                assert status == "sent" and outbox_id is not None
                per[outbox_id] += 1
            total = await session.scalar(select(func.count()).select_from(OutboxItem))
            assert total == len(per)
            return per
    finally:
        await close_services(services)


async def test_a_sender_killed_mid_batch_loses_nothing_and_repeats_at_most_the_wave_in_flight(
    sqlite_url: str, tmp_path: Path, spawned: list[Worker]
) -> None:
    count = 700
    await _seed(sqlite_url, count)
    async with TelegramDouble() as double:
        first = Worker(sqlite_url, double, tmp_path)
        spawned.append(first)
        await first.start()
        await _until(lambda: sum(_chats(double).values()) >= count // 3, timeout=60)
        first.kill()
        await first.wait()
        delivered_before = set(_chats(double))
        assert 0 < len(delivered_before) < count, "the kill landed in the middle of the batch"

        # Rows the dead process had claimed keep their lease (30 s); let that time pass.
        services = await open_services(make_settings(sqlite_url))
        async with services.sessions() as session, session.begin():
            claimed = list(
                (
                    await session.execute(
                        select(OutboxItem.id, Address.value)
                        .join(Address, Address.id == OutboxItem.address_id)
                        .where(OutboxItem.status == "sending")
                    )
                ).all()
            )
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.status == "sending")
                .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        await close_services(services)
        in_flight = {int(chat) for _, chat in claimed} & delivered_before
        assert len(in_flight) <= dispatch.PARALLEL, (
            "only the window (rows sent, not yet recorded) can have reached the provider unrecorded"
        )

        second = Worker(sqlite_url, double, tmp_path)
        spawned.append(second)
        await second.start()
        await _until(lambda: len(_chats(double)) == count, timeout=90)
        await asyncio.sleep(0.5)  # anything sent twice would show up now
        await second.stop()

    chats = _chats(double)
    duplicated = sum(n - 1 for n in chats.values())
    print(f"kill -9 burst: delivered={len(chats)} duplicated={duplicated} lost={count - len(chats)}")
    assert set(chats) == {FIRST_CHAT + i for i in range(count)}, "every due reminder was sent"
    twice = {chat for chat, n in chats.items() if n > 1}
    assert twice <= in_flight, f"sent twice: {sorted(twice)}"
    per_reminder = await _outbox_rows_per_reminder(sqlite_url)
    assert set(per_reminder.values()) == {1}, "each reminder was put in the outbox exactly once"


async def test_two_senders_on_one_postgresql_database_send_every_reminder_exactly_once(
    pg_database: str, tmp_path: Path, spawned: list[Worker]
) -> None:
    from tests.conftest import _truncate_pg

    await _truncate_pg(pg_database)
    count = 800
    async with TelegramDouble() as double:
        workers = [Worker(pg_database, double, tmp_path), Worker(pg_database, double, tmp_path)]
        spawned.extend(workers)
        await asyncio.gather(*(w.start() for w in workers))
        await _seed(pg_database, count)  # both are ticking when the reminders fall due
        await _until(lambda: len(_chats(double)) == count, timeout=120)
        await asyncio.sleep(0.5)
        sent = [await w.stop() for w in workers]
    chats = _chats(double)
    assert sorted(chats) == [FIRST_CHAT + i for i in range(count)]
    assert set(chats.values()) == {1}, "no reminder was sent twice"
    assert sum(sent) == count and min(sent) > 0, f"both processes took part: {sent}"
    assert set((await _outbox_rows_per_reminder(pg_database)).values()) == {1}


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
