"""The outbox dispatcher: retries with backoff, honours retry-after, dead-letters, never drops a row."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import select

from bot.channels.base import AddressUnreachable, OutboundMessage, PermanentSendError, RetryableSendError
from bot.storage import outbox, queries
from bot.storage.models import Address, Message, OutboxItem, SupportTask
from scheduler.dispatch import MAX_ATTEMPTS, Dispatcher, backoff


@dataclass
class ScriptedChannel:
    """A provider that fails as told, then accepts; records what it accepted."""

    name: str = "console"
    failures: list[Exception] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)
    delay: float = 0.0

    async def send(self, message: OutboundMessage) -> str | None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append(message.text)
        return f"prov-{message.outbox_id}"


async def _queue(services, texts: list[str], address: str = "disp-1") -> Address:  # type: ignore[no-untyped-def]
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, services.clock())
        addr = await queries.add_address(session, patient, "console", address, services.clock())
        for text in texts:
            await outbox.enqueue(
                session, address=addr, text=text, options=[], kind=None, now=services.clock()
            )
    return addr


async def _rows(services) -> list[OutboxItem]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return list((await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all())


async def test_a_failed_send_is_retried_after_backoff_and_delivered_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    channel = ScriptedChannel(failures=[RetryableSendError("503"), RetryableSendError("timeout")])
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    await _queue(services, ["hello"])

    await dispatcher.run_once()
    assert channel.delivered == [] and (await _rows(services))[0].status == "pending"
    await dispatcher.run_once()  # not due yet: backoff(1) = 5 s
    assert len(channel.failures) == 1
    clock.advance(seconds=backoff(1).total_seconds())
    await dispatcher.run_once()
    clock.advance(seconds=backoff(2).total_seconds() - 1)
    await dispatcher.run_once()
    assert channel.delivered == []
    clock.advance(seconds=1)
    await dispatcher.run_once()
    assert channel.delivered == ["hello"]
    row = (await _rows(services))[0]
    assert (row.status, row.attempts, row.provider_id) == ("sent", 3, f"prov-{row.id}")
    await dispatcher.drain()
    assert channel.delivered == ["hello"]


async def test_retry_after_from_the_provider_is_honoured(services, clock) -> None:  # type: ignore[no-untyped-def]
    channel = ScriptedChannel(failures=[RetryableSendError("429", retry_after=42)])
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    await _queue(services, ["x"])
    await dispatcher.run_once()
    clock.advance(seconds=41)
    await dispatcher.run_once()
    assert channel.delivered == []
    clock.advance(seconds=1)
    await dispatcher.run_once()
    assert channel.delivered == ["x"]


async def test_after_the_last_attempt_a_row_is_dead_lettered_and_can_be_retried_by_staff(
    services, clock
) -> None:  # type: ignore[no-untyped-def]
    channel = ScriptedChannel(failures=[RetryableSendError("down")] * MAX_ATTEMPTS)
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    await _queue(services, ["important"])
    for _ in range(MAX_ATTEMPTS):
        clock.advance(hours=1)
        await dispatcher.run_once()
    row = (await _rows(services))[0]
    assert row.status == "dead" and "gave up" in (row.last_error or "")
    async with services.sessions() as session:
        message = await session.get(Message, row.message_id)
        assert message is not None and message.status == "failed"
    async with services.sessions() as session, session.begin():
        assert await outbox.requeue_dead(session, row.id, clock())
    await dispatcher.run_once()
    assert channel.delivered == ["important"]


async def test_a_permanent_refusal_is_dead_lettered_at_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    channel = ScriptedChannel(failures=[PermanentSendError("invalid number")])
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    await _queue(services, ["x"])
    await dispatcher.run_once()
    assert [(r.status, r.last_error) for r in await _rows(services)] == [("dead", "invalid number")]


async def test_an_unreachable_address_stops_sending_and_opens_a_support_task(services, clock) -> None:  # type: ignore[no-untyped-def]
    channel = ScriptedChannel(failures=[AddressUnreachable("bot was blocked by the user")])
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    address = await _queue(services, ["one", "two", "three"])
    await dispatcher.drain()
    assert channel.delivered == []
    assert {r.status for r in await _rows(services)} == {"cancelled"}
    async with services.sessions() as session:
        addr = await session.get(Address, address.id)
        tasks = (await session.scalars(select(SupportTask))).all()
    assert addr is not None and addr.unreachable and addr.opted_out
    assert [(t.kind, t.status) for t in tasks] == [("unreachable", "open")]


async def test_an_adapter_bug_does_not_lose_the_row(services, clock) -> None:  # type: ignore[no-untyped-def]
    channel = ScriptedChannel(failures=[KeyError("oops")])
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    await _queue(services, ["kept"])
    await dispatcher.run_once()
    clock.advance(minutes=1)
    await dispatcher.run_once()
    assert channel.delivered == ["kept"]


async def test_a_row_claimed_by_a_crashed_process_is_sent_after_its_lease_expires(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, ["after crash"])
    async with services.sessions() as session, session.begin():
        claimed = await outbox.claim_due(session, clock(), 10)
    assert len(claimed) == 1  # ... and the process dies here
    channel = ScriptedChannel()
    dispatcher = Dispatcher(services.sessions, {"console": channel}, clock=clock)
    await dispatcher.run_once()
    assert channel.delivered == []
    clock.advance(seconds=outbox.LEASE.total_seconds() + 1)
    await dispatcher.run_once()
    assert channel.delivered == ["after crash"]


async def test_rows_for_a_channel_that_is_off_wait_instead_of_failing(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, ["for telegram"])
    dispatcher = Dispatcher(services.sessions, {"telegram": ScriptedChannel(name="telegram")}, clock=clock)
    await dispatcher.drain()
    assert [r.status for r in await _rows(services)] == ["pending"]


async def test_two_dispatchers_at_once_send_every_row_exactly_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, [f"m{i}" for i in range(60)])
    shared: list[str] = []
    one, two = ScriptedChannel(delivered=shared, delay=0.001), ScriptedChannel(delivered=shared, delay=0.001)
    first = Dispatcher(services.sessions, {"console": one}, clock=clock, batch=7)
    second = Dispatcher(services.sessions, {"console": two}, clock=clock, batch=7)
    await asyncio.gather(first.drain(), second.drain())
    assert sorted(shared) == sorted(f"m{i}" for i in range(60))
    assert {r.status for r in await _rows(services)} == {"sent"}
