"""The dispatcher: claims due outbox rows, sends them through their channel, records what happened.

Rows are claimed in one short transaction and sent outside it, so a slow provider never holds a database
lock. A crash between claim and result leaves a lease that expires, and the row is sent again: at-least-once
towards the provider, with the provider id recorded the first time it succeeds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import (
    AddressOptedOut,
    AddressUnreachable,
    Channel,
    PermanentSendError,
    RetryableSendError,
)
from bot.storage import outbox, queries
from bot.storage.models import Address
from bot.storage.outbox import Claimed

log = logging.getLogger(__name__)

BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=30)
MAX_ATTEMPTS = 10


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 30 minutes: ten attempts span about two hours."""
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    unreachable: int = 0
    opted_out: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)


@dataclass
class Dispatcher:
    sessions: async_sessionmaker[AsyncSession]
    channels: Mapping[str, Channel]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    batch: int = 50
    max_attempts: int = MAX_ATTEMPTS
    address_ids: list[int] | None = None  # restrict to these addresses (a `psp chat` terminal)
    stats: DispatchStats = field(default_factory=DispatchStats)

    async def run_once(self) -> int:
        """Send what is due now; returns how many rows were handled."""
        async with self.sessions() as session, session.begin():
            claimed = await outbox.claim_due(
                session, self.clock(), self.batch, channels=list(self.channels), address_ids=self.address_ids
            )
        unreachable: set[int] = set()
        for item in claimed:
            if item.address_id in unreachable:
                async with self.sessions() as session, session.begin():
                    await outbox.mark_cancelled(session, item.outbox_id, "address unreachable")
                continue
            if not await self._deliver(item):
                unreachable.add(item.address_id)
        return len(claimed)

    async def drain(self, rounds: int = 100) -> int:
        """Run until nothing is due (tests, `psp chat`)."""
        total = 0
        for _ in range(rounds):
            handled = await self.run_once()
            total += handled
            if handled == 0:
                break
        return total

    async def _deliver(self, item: Claimed) -> bool:
        """Send one row; False when its address turned out to be unreachable."""
        channel = self.channels[item.channel]
        try:
            provider_id = await channel.send(item)
        except RetryableSendError as exc:
            await self._retry(item, str(exc), exc.retry_after)
        except AddressOptedOut as exc:
            await self._opted_out(item, str(exc))
            return False
        except AddressUnreachable as exc:
            await self._unreachable(item, str(exc))
            return False
        except PermanentSendError as exc:
            await self._dead(item, str(exc))
        except Exception as exc:  # noqa: BLE001 - an adapter bug must not lose the row
            log.exception("unexpected error sending outbox row %s", item.outbox_id)
            await self._retry(item, f"{type(exc).__name__}: {exc}", None)
        else:
            # A channel that records delivery status itself (SMS) keeps it; the others' messages become "sent".
            status = None if getattr(channel, "records_status", False) else "sent"
            async with self.sessions() as session, session.begin():
                await outbox.mark_sent(session, item.outbox_id, provider_id, self.clock(), status=status)
            self.stats.sent += 1
            self.stats.by_channel[item.channel] = self.stats.by_channel.get(item.channel, 0) + 1
        return True

    async def _retry(self, item: Claimed, error: str, retry_after: float | None) -> None:
        if item.attempts >= self.max_attempts:
            await self._dead(item, f"gave up after {item.attempts} attempts: {error}")
            return
        delay = timedelta(seconds=retry_after) if retry_after is not None else backoff(item.attempts)
        async with self.sessions() as session, session.begin():
            await outbox.mark_retry(session, item.outbox_id, error, self.clock() + delay)
        self.stats.retried += 1

    async def _dead(self, item: Claimed, error: str) -> None:
        async with self.sessions() as session, session.begin():
            await outbox.mark_dead(session, item.outbox_id, error)
        self.stats.dead += 1
        log.warning("outbox row %s dead-lettered: %s", item.outbox_id, error)

    async def _unreachable(self, item: Claimed, error: str) -> None:
        """The patient blocked us or unsubscribed: stop this address and tell a person."""
        now = self.clock()
        async with self.sessions() as session, session.begin():
            address = await session.get(Address, item.address_id)
            if address is not None:
                address.unreachable, address.opted_out, address.opted_out_at = True, True, now
            await outbox.mark_cancelled(session, item.outbox_id, error)
            await outbox.cancel_address(session, item.address_id, error)
            await queries.open_support_task(
                session, item.patient_id, "unreachable", f"{item.channel} address unreachable: {error}", now
            )
        self.stats.unreachable += 1

    async def _opted_out(self, item: Claimed, error: str) -> None:
        """The patient unsubscribed at the provider: their choice, so record it quietly (no task, no dead letter).

        An earlier opt-out time (the patient's own STOP) is kept; nothing queued for the address is sent.
        """
        now = self.clock()
        async with self.sessions() as session, session.begin():
            address = await session.get(Address, item.address_id)
            if address is not None and not address.opted_out:
                address.opted_out, address.opted_out_at = True, now
            await outbox.mark_cancelled(session, item.outbox_id, error)
            await outbox.cancel_address(session, item.address_id, error)
        self.stats.opted_out += 1
        log.info("outbox row %s not sent: %s address opted out (%s)", item.outbox_id, item.channel, error)
