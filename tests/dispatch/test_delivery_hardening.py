"""Rate limits cost no attempt, and a batch that takes long keeps its lease (so the lease can be short)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot.channels.base import OutboundMessage, Throttled
from bot.storage import outbox, queries
from bot.storage.models import OutboxItem
from scheduler import dispatch
from scheduler.dispatch import Dispatcher


async def _queue(services, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, services.clock())
        addr = await queries.add_address(session, patient, "console", "p1", services.clock())
        for text in texts:
            await outbox.enqueue(
                session, address=addr, text=text, options=[], kind=None, now=services.clock()
            )


@dataclass
class SlowProvider:
    """Takes 20 (simulated) seconds per send and notes the lease the last row holds meanwhile."""

    services: object
    clock: object
    leases: list[datetime | None] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str | None:
        self.clock.advance(seconds=20)  # type: ignore[attr-defined]
        async with self.services.sessions() as session:  # type: ignore[attr-defined]
            last = max((await session.scalars(select(OutboxItem.id))).all())
            self.leases.append((await session.get(OutboxItem, last)).lease_until)  # type: ignore[union-attr]
        self.delivered.append(message.text)
        return None


async def test_a_long_batch_renews_the_lease_of_the_rows_it_still_holds(services, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(dispatch, "RENEW_EVERY", 0.0)
    await _queue(services, ["one", "two", "three"])
    provider = SlowProvider(services, clock)
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock)
    await dispatcher.run_once()
    assert provider.delivered == ["one", "two", "three"]
    # Each lease was renewed from the time of the send before it: never expired while the batch still held it.
    assert all(lease is not None for lease in provider.leases)
    assert provider.leases[-1].replace(tzinfo=None) >= clock.now.replace(tzinfo=None)  # type: ignore[union-attr]


@dataclass
class FloodedProvider:
    """Answers 429 until `open` is set."""

    open: bool = False
    delivered: list[str] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str | None:
        if not self.open:
            raise Throttled("429 Too Many Requests")
        self.delivered.append(message.text)
        return None


async def test_an_hour_of_provider_429s_dead_letters_nothing_and_keeps_the_order(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, ["first", "second", "third"])
    provider = FloodedProvider()
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock, max_attempts=3)
    for _ in range(180):  # an hour of 429s, tried every 20 seconds: far past max_attempts
        clock.advance(seconds=20)
        await dispatcher.run_once()
    assert dispatcher.stats.dead == 0
    provider.open = True
    clock.advance(seconds=2)
    await dispatcher.drain()
    assert provider.delivered == ["first", "second", "third"]
