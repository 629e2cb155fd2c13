"""The journey tick writes whole chunks of patients per transaction (bot.learn.wave): every patient still gets
exactly one module per day, across concurrent ticks, a process killed mid-wave, and a patient whose row the
database refuses."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from bot.channels.base import OutboundMessage
from bot.storage import crypto
from bot.storage.models import Address, ContentDelivery, Message, OutboxItem, Patient
from scheduler.content_jobs import journey_tick
from scheduler.dispatch import Dispatcher
from tests.conftest import ROOT

ENROLLED = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
TEN_AM = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # London: inside the journey window
WELCOME = "Welcome to your CardioZen support program"


class Recorder:
    """A console channel that remembers what each address was sent."""

    name = "console"

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.first_lines: set[str] = set()

    async def send(self, message: OutboundMessage) -> str | None:
        self.sent[message.address] += 1
        self.first_lines.add(message.text.splitlines()[0])
        return None


async def _seed(services: Any, count: int) -> list[int]:
    """`count` active CardioZen patients in London, each with a console address `wave-<i>`."""
    async with services.sessions() as session, session.begin():
        await session.execute(
            Patient.__table__.insert(),
            [
                {
                    "status": "active",
                    "program_id": "cardiozen-daily",
                    "timezone": "Europe/London",
                    "locale": "en",
                    "reminder_times": ["09:00"],
                    "created_at": ENROLLED,
                    "enrolled_at": ENROLLED,
                }
                for _ in range(count)
            ],  # fmt: skip
        )
        ids = list((await session.scalars(select(Patient.id).order_by(Patient.id))).all())
        await session.execute(
            Address.__table__.insert(),
            [
                {
                    "patient_id": pid,
                    "channel": "console",
                    "lookup": crypto.lookup_hash("console", f"wave-{pid}"),
                    "value": f"wave-{pid}",
                    "opted_out": False,
                    "unreachable": False,
                    "created_at": ENROLLED,
                }
                for pid in ids
            ],  # fmt: skip
        )
    return ids


async def _per_patient(services: Any) -> tuple[Counter[int], Counter[int]]:
    """(journey deliveries, module messages in the outbox) per patient."""
    per_patient = select(ContentDelivery.patient_id, func.count()).group_by(ContentDelivery.patient_id)
    module_rows = (
        select(Message.patient_id, func.count())
        .join(OutboxItem, OutboxItem.message_id == Message.id)
        .where(Message.kind == "module")
        .group_by(Message.patient_id)
    )
    async with services.sessions() as session:
        deliveries = Counter(dict((await session.execute(per_patient)).all()))
        modules = Counter(dict((await session.execute(module_rows)).all()))
    return deliveries, modules


def _tick(services: Any, now: datetime, wave: int = 100) -> Any:
    return journey_tick(services.sessions, services.programs, services.modules, lambda: now, wave=wave)


async def test_a_wave_for_many_patients_sends_each_one_module_once(services) -> None:  # type: ignore[no-untyped-def]
    ids = await _seed(services, 600)
    first, second = await asyncio.gather(_tick(services, TEN_AM), _tick(services, TEN_AM))  # two processes
    again = await _tick(services, TEN_AM + timedelta(minutes=10))
    assert first.sent + second.sent == 600 and again.sent == 0
    deliveries, modules = await _per_patient(services)
    assert deliveries == Counter(dict.fromkeys(ids, 1)) and modules == deliveries
    channel = Recorder()
    await Dispatcher(services.sessions, {"console": channel}, clock=lambda: TEN_AM, batch=200).drain()
    assert channel.sent == Counter({f"wave-{pid}": 1 for pid in ids})
    assert channel.first_lines == {WELCOME}
    nothing_new = await _tick(services, TEN_AM + timedelta(hours=5))
    assert nothing_new.sent == 0, "one journey module per local day"


async def test_a_patient_whose_row_is_refused_does_not_hold_back_the_others(services) -> None:  # type: ignore[no-untyped-def]
    ids = await _seed(services, 120)
    refused = ids[57]
    sqlite = services.engine.dialect.name == "sqlite"
    refuse = f"NEW.patient_id = {refused}"
    ddl = (
        [
            f"CREATE TRIGGER refuse_one BEFORE INSERT ON content_deliveries WHEN {refuse} "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
        if sqlite
        else [
            "CREATE OR REPLACE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
            f"IF {refuse} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END "
            "$$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_one BEFORE INSERT ON content_deliveries "
            "FOR EACH ROW EXECUTE FUNCTION refuse_one()",
        ]
    )
    async with services.engine.begin() as conn:
        for statement in ddl:
            await conn.execute(text(statement))
    stats = await _tick(services, TEN_AM, wave=50)
    assert stats.sent == 119
    deliveries, modules = await _per_patient(services)
    assert deliveries == Counter({pid: 1 for pid in ids if pid != refused}) and modules == deliveries
    async with services.engine.begin() as conn:
        await conn.execute(
            text("DROP TRIGGER refuse_one" if sqlite else "DROP TRIGGER refuse_one ON content_deliveries")
        )
    later = await _tick(services, TEN_AM + timedelta(minutes=10), wave=50)
    assert later.sent == 1, "the refused patient gets the module at the next tick, nobody else a second one"
    deliveries, _ = await _per_patient(services)
    assert deliveries == Counter(dict.fromkeys(ids, 1))


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_process_killed_mid_wave_leaves_whole_chunks_and_the_rerun_sends_the_rest_once(  # type: ignore[no-untyped-def]
    services, database_url
) -> None:
    ids = await _seed(services, 3000)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.learn.wave_worker", database_url, TEN_AM.isoformat(), "5",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        assert (await asyncio.wait_for(proc.stdout.readline(), timeout=120)).strip() == b"ready"
        written = 0
        while written < 200:  # some chunks committed, most of the wave still to go
            await asyncio.sleep(0.005)
            async with services.sessions() as session:
                written = await session.scalar(select(func.count()).select_from(ContentDelivery)) or 0
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
    deliveries, modules = await _per_patient(services)
    assert 200 <= sum(deliveries.values()) < 3000, "killed mid-wave"
    assert modules == deliveries and set(deliveries.values()) == {1}, "each committed chunk is whole"
    stats = await _tick(services, TEN_AM + timedelta(minutes=10))
    assert stats.sent == 3000 - sum(deliveries.values())
    deliveries, modules = await _per_patient(services)
    assert deliveries == Counter(dict.fromkeys(ids, 1)) and modules == deliveries
