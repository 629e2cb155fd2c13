"""The dispatcher: claims due outbox rows, sends them through their channel, records what happened.

Rows are claimed in one short transaction and sent outside it, so a slow provider never holds a database
lock. A crash between claim and result leaves a lease that expires, and the row is sent again: at-least-once
towards the provider, with the provider id recorded the first time it succeeds.

Rows are claimed in bulk (one SELECT and one UPDATE per batch). Each result is recorded as soon as it is known
(`RECORD_EVERY = 0`): batching the records is cheaper, but a process killed mid-batch would then send every
unrecorded row again after the lease expires. Recording at once keeps the promise that a crash repeats at most
the one message that was in flight. A cancelled task still records what it sent before it stops.
"""

from __future__ import annotations

import logging
import time
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
from bot.storage.outbox import Claimed, RetryRow, SentRow

log = logging.getLogger(__name__)

BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=30)
MAX_ATTEMPTS = 10
RECORD_EVERY = 0.0  # seconds of sending between records; 0: record each result at once (a crash repeats <= 1)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 30 minutes: ten attempts span about two hours."""
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


@dataclass(frozen=True)
class Result:
    """What happened to one claimed row, recorded later with the rest of its batch."""

    kind: str  # sent | retry | dead | cancelled | unreachable | opted_out
    item: Claimed
    error: str = ""
    sent: SentRow | None = None
    next_attempt_at: datetime | None = None


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
        results: list[Result] = []
        since = time.monotonic()
        try:
            for item in claimed:
                if item.address_id in unreachable:
                    results.append(Result("cancelled", item, error="address unreachable"))
                    continue
                result = await self._deliver(item)
                results.append(result)
                if result.kind in ("unreachable", "opted_out"):
                    unreachable.add(item.address_id)
                if time.monotonic() - since >= RECORD_EVERY:
                    await self._record(results)
                    results, since = [], time.monotonic()
        finally:
            if results:
                await self._record(results)
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

    async def _deliver(self, item: Claimed) -> Result:
        """Send one row and say what happened; nothing is written here (see `_record`)."""
        channel = self.channels[item.channel]
        try:
            provider_id = await channel.send(item)
        except RetryableSendError as exc:
            return self._retry(item, str(exc), exc.retry_after)
        except AddressOptedOut as exc:
            return Result("opted_out", item, error=str(exc))
        except AddressUnreachable as exc:
            return Result("unreachable", item, error=str(exc))
        except PermanentSendError as exc:
            return Result("dead", item, error=str(exc))
        except Exception as exc:
            log.exception("unexpected error sending outbox row %s", item.outbox_id)
            return self._retry(item, f"{type(exc).__name__}: {exc}", None)
        # A channel that records delivery status itself (SMS) keeps it; the others' messages become "sent".
        status = None if getattr(channel, "records_status", False) else "sent"
        return Result(
            "sent", item, sent=SentRow(item.outbox_id, item.message_id, provider_id, self.clock(), status)
        )

    def _retry(self, item: Claimed, error: str, retry_after: float | None) -> Result:
        if item.attempts >= self.max_attempts:
            return Result("dead", item, error=f"gave up after {item.attempts} attempts: {error}")
        delay = timedelta(seconds=retry_after) if retry_after is not None else backoff(item.attempts)
        return Result("retry", item, error=error, next_attempt_at=self.clock() + delay)

    async def _record(self, results: list[Result]) -> None:
        """Write a batch of results in one transaction: bulk UPDATEs for sent and retried rows, the rare rest
        one by one.

        Retries are written before the per-address cancellations, as they happened: a row of an address that
        later turned out unreachable is cancelled with the rest of its address's pending rows.
        """
        sent = [r.sent for r in results if r.sent is not None]
        retries = [
            RetryRow(r.item.outbox_id, r.error, r.next_attempt_at)
            for r in results
            if r.kind == "retry" and r.next_attempt_at is not None
        ]
        async with self.sessions() as session, session.begin():
            await outbox.record_sent(session, sent)
            await outbox.record_retries(session, retries)
            for result in results:
                if result.kind == "dead":
                    await outbox.mark_dead(session, result.item.outbox_id, result.error)
                elif result.kind == "cancelled":
                    await outbox.mark_cancelled(session, result.item.outbox_id, result.error)
                elif result.kind == "unreachable":
                    await self._unreachable(session, result.item, result.error)
                elif result.kind == "opted_out":
                    await self._opted_out(session, result.item, result.error)
        for result in results:
            self._count(result)

    def _count(self, result: Result) -> None:
        item = result.item
        if result.kind == "sent":
            self.stats.sent += 1
            self.stats.by_channel[item.channel] = self.stats.by_channel.get(item.channel, 0) + 1
        elif result.kind == "retry":
            self.stats.retried += 1
        elif result.kind == "dead":
            self.stats.dead += 1
            log.warning("outbox row %s dead-lettered: %s", item.outbox_id, result.error)
        elif result.kind == "unreachable":
            self.stats.unreachable += 1
        elif result.kind == "opted_out":
            self.stats.opted_out += 1
            log.info(
                "outbox row %s not sent: %s address opted out (%s)",
                item.outbox_id,
                item.channel,
                result.error,
            )

    async def _unreachable(self, session: AsyncSession, item: Claimed, error: str) -> None:
        """The patient blocked us or unsubscribed: stop this address and tell a person."""
        now = self.clock()
        address = await session.get(Address, item.address_id)
        if address is not None:
            address.unreachable, address.opted_out, address.opted_out_at = True, True, now
        await outbox.mark_cancelled(session, item.outbox_id, error)
        await outbox.cancel_address(session, item.address_id, error)
        await queries.open_support_task(
            session, item.patient_id, "unreachable", f"{item.channel} address unreachable: {error}", now
        )

    async def _opted_out(self, session: AsyncSession, item: Claimed, error: str) -> None:
        """The patient unsubscribed at the provider: their choice, so record it quietly (no task, no dead
        letter).

        An earlier opt-out time (the patient's own STOP) is kept; nothing queued for the address is sent.
        """
        address = await session.get(Address, item.address_id)
        if address is not None and not address.opted_out:
            address.opted_out, address.opted_out_at = True, self.clock()
        await outbox.mark_cancelled(session, item.outbox_id, error)
        await outbox.cancel_address(session, item.address_id, error)
