"""The dispatcher: claims due outbox rows, sends them through their channel, records what happened.

Rows are claimed in one short transaction and sent outside it, so a slow provider never holds a database
lock. A crash between claim and result leaves a lease that expires, and the row is sent again: at-least-once
towards the provider, with the provider id recorded the first time it succeeds. The lease is short (30 s) and
renewed while a long batch is still sending, so a killed process's rows go out again within half a minute.

What remains (docs/hardening.md): the requests sent and not yet recorded when a process is killed (at most
`PARALLEL`) may have reached the provider without being recorded; they are sent again when the lease expires.
Telegram has no idempotency key, so these duplicates cannot be reconciled away; Twilio's status callbacks
would show both SIDs.

Rate limits (a provider's 429, our limiter's deferral) reschedule a row without using an attempt; a chat's
later rows wait behind a rescheduled one, so replies keep their order per chat.

Rows are claimed in bulk (one SELECT and one UPDATE) and sent through a window of `PARALLEL` sends not yet
recorded, a chat's rows one after another, in order. Results are recorded together, in one transaction that
also claims rows queued since, while the next rows are already being sent: a reply does not wait for the
previous one's record (which, on SQLite, waits for the one connection), and a crash repeats at most the
`PARALLEL` rows of the window. A cancelled task still records what it sent before it stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.base import (
    AddressOptedOut,
    AddressUnreachable,
    Channel,
    PermanentSendError,
    RetryableSendError,
)
from bot.metrics import Metrics
from bot.storage import outbox, queries
from bot.storage.models import Address
from bot.storage.outbox import Claimed, RetryRow, SentRow

log = logging.getLogger(__name__)

BASE_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(minutes=30)
MAX_ATTEMPTS = 10
THROTTLE_DELAY = timedelta(seconds=2)  # a rate limit without a stated retry_after (Twilio 429 / 20429)
RENEW_EVERY = (
    outbox.LEASE.total_seconds() / 3
)  # seconds of sending before the rest of a batch's lease is renewed
PARALLEL = 8  # rows sent and not yet recorded (the window); a crash can repeat at most this many
FOLLOW = 500  # rows a round may take on with its waves' results before it ends and a fresh round starts


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 30 minutes: ten attempts span about two hours."""
    return min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)


@contextlib.asynccontextmanager
async def _session_transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession | AsyncConnection]:
    async with sessions() as session, session.begin():
        yield session


@dataclass
class _Round:
    """A round's rows on their way: claimed and waiting, being sent, sent and not yet recorded."""

    pending: list[Claimed]
    last: int  # the highest outbox id the round has claimed
    handled: int = 0
    sending: dict[asyncio.Future[Result], Claimed] = field(default_factory=dict)
    busy: set[int] = field(default_factory=set)  # addresses with a row being sent
    unrecorded: list[tuple[Result, bool]] = field(default_factory=list)  # (result, was it sent)
    recording: asyncio.Future[list[Claimed]] | None = None
    recording_sent: int = 0  # rows sent among those being recorded
    window: int = 0  # rows sent or being sent and not yet recorded: at most `parallel`
    unreachable: set[int] = field(default_factory=set)
    held: dict[int, Result] = field(default_factory=dict)  # address -> its throttled row (later ones wait)


@dataclass(frozen=True)
class Result:
    """What happened to one claimed row, recorded later with the rest of its batch."""

    kind: str  # sent | retry | throttled | dead | cancelled | unreachable | opted_out
    item: Claimed
    error: str = ""
    sent: SentRow | None = None
    next_attempt_at: datetime | None = None


@dataclass
class DispatchStats:
    sent: int = 0
    retried: int = 0
    throttled: int = 0
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
    parallel: int = PARALLEL
    follow: int = FOLLOW  # rows one round may handle, counting those claimed with its waves' results
    stats: DispatchStats = field(default_factory=DispatchStats)
    metrics: Metrics = field(default_factory=Metrics)  # commit-to-acceptance latency (the app's registry)

    async def run_once(self, fresh: Callable[[], bool] | None = None) -> int:
        """Send what is due now; returns how many rows were handled.

        Rows go out through a window of `parallel` sends (each to a different chat) not yet recorded: a row
        starts as soon as there is room and its chat has nothing on its way, and results are recorded in one
        transaction while the next rows are already being sent. That transaction also claims what has become
        due since (a reply committed while this round was sending), so a steady trickle of replies costs one
        transaction per batch of results instead of a claim and a record; up to `follow` rows per round, then
        the round ends and the next one claims everything due again (retries included). `fresh()`, when
        given, says whether rows were queued since it was last asked: without any, a transaction only records.
        """
        async with self._transaction() as session:
            claimed = await self._claim(session, self.batch)
        state = _Round(list(claimed), last=max((c.outbox_id for c in claimed), default=0))
        state.handled = len(claimed)
        renewed = time.monotonic()
        try:
            while state.pending or state.sending or state.unrecorded or state.recording:
                if time.monotonic() - renewed >= RENEW_EVERY:
                    await self._renew([c.outbox_id for c in state.pending + list(state.sending.values())])
                    renewed = time.monotonic()
                self._start(state)
                # Results wait for the sends still on their way (one transaction for all of them), unless
                # the window is full and half of it is done: recording those is what lets the next rows go.
                if (
                    state.recording is None
                    and state.unrecorded
                    and (
                        not state.sending
                        or (
                            state.window >= self.parallel
                            and len(state.unrecorded) >= max(self.parallel // 2, 1)
                        )
                    )
                ):
                    self._start_record(state, fresh)
                waiting: set[asyncio.Future[Any]] = set(state.sending)
                if state.recording is not None:
                    waiting.add(state.recording)
                if not waiting:
                    continue
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task is state.recording:
                        self._recorded(state, task.result())
                    else:
                        item = state.sending.pop(task)
                        state.busy.discard(item.address_id)
                        self._finished(state, task.result())
        except BaseException:
            await self._stop(state)
            raise
        return state.handled

    def _start(self, state: _Round) -> None:
        """Start every pending row that may go now; settle those that wait behind their chat's failure."""
        later: list[Claimed] = []
        for item in state.pending:
            if item.address_id in state.busy:
                later.append(item)  # its chat has a row on its way: one after another, in order
            elif item.address_id in state.unreachable:
                state.unrecorded.append((Result("cancelled", item, error="address unreachable"), False))
            elif (first := state.held.get(item.address_id)) is not None:
                result = Result("throttled", item, first.error, next_attempt_at=first.next_attempt_at)
                state.unrecorded.append((result, False))
            elif state.window < self.parallel:
                task = asyncio.ensure_future(self._deliver(item))
                state.sending[task] = item
                state.busy.add(item.address_id)
                state.window += 1
            else:
                later.append(item)  # the window is full
        state.pending = later

    def _finished(self, state: _Round, result: Result) -> None:
        state.unrecorded.append((result, True))
        if result.kind in ("unreachable", "opted_out"):
            state.unreachable.add(result.item.address_id)
        elif result.kind in ("throttled", "retry"):
            state.held.setdefault(result.item.address_id, result)

    def _start_record(self, state: _Round, fresh: Callable[[], bool] | None) -> None:
        """Record what has finished (in the background), claiming more when there is room and reason."""
        batch, state.unrecorded = state.unrecorded, []
        # Claim more only while the window would not be full anyway, and only newer rows (ids above the
        # round's last): a row this round rescheduled is never claimed again by the same round.
        room = 0
        if len(state.pending) < self.parallel and state.handled < self.follow and (fresh is None or fresh()):
            room = min(self.batch - len(state.pending), self.follow - state.handled)
        state.recording_sent = sum(1 for _, sent in batch if sent)
        state.recording = asyncio.ensure_future(
            self._record([result for result, _ in batch], claim=room, after=state.last)
        )

    def _recorded(self, state: _Round, more: list[Claimed]) -> None:
        state.recording = None
        state.window -= state.recording_sent  # recorded: they no longer count against the window
        state.recording_sent = 0
        if more:
            state.pending.extend(more)
            state.handled += len(more)
            state.last = max(state.last, *(c.outbox_id for c in more))

    async def _stop(self, state: _Round) -> None:
        """Cancelled (or the database failed): stop sending, and record what was sent before stopping.

        Rows whose send was cut short keep their lease and go out again when it expires."""
        for task in state.sending:
            task.cancel()
        await asyncio.gather(*state.sending, return_exceptions=True)
        for task in state.sending:
            if not task.cancelled() and task.exception() is None:
                state.unrecorded.append((task.result(), True))
        if state.recording is not None:
            await asyncio.gather(state.recording, return_exceptions=True)
        if state.unrecorded:
            await self._record([result for result, _ in state.unrecorded])

    def _transaction(self) -> AbstractAsyncContextManager[AsyncSession | AsyncConnection]:
        """A write transaction for claims and results: a bare connection when the sessions are bound to an
        engine (no unit of work to set up, flush and tear down), else a session."""
        bind = self.sessions.kw.get("bind")
        if isinstance(bind, AsyncEngine):
            return bind.begin()
        return _session_transaction(self.sessions)

    async def _claim(
        self, session: AsyncSession | AsyncConnection, limit: int, after: int | None = None
    ) -> list[Claimed]:
        return await outbox.claim_due(
            session,
            self.clock(),
            limit,
            channels=list(self.channels),
            address_ids=self.address_ids,
            after=after,
        )

    async def _renew(self, outbox_ids: list[int]) -> None:
        async with self._transaction() as session:
            await outbox.renew_lease(session, outbox_ids, self.clock())

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
            if exc.throttled:
                return self._throttled(item, str(exc), exc.retry_after)
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
        accepted = self.clock()
        if item.created_at is not None:
            self.metrics.observe_commit_to_accept(item.channel, (accepted - item.created_at).total_seconds())
        return Result(
            "sent", item, sent=SentRow(item.outbox_id, item.message_id, provider_id, accepted, status)
        )

    def _throttled(self, item: Claimed, error: str, retry_after: float | None) -> Result:
        """A rate limit is not a failure: wait as long as asked, and give the attempt back (see
        `record_retries`)."""
        delay = timedelta(seconds=retry_after) if retry_after is not None else THROTTLE_DELAY
        return Result("throttled", item, error=error, next_attempt_at=self.clock() + delay)

    def _retry(self, item: Claimed, error: str, retry_after: float | None) -> Result:
        if item.attempts >= self.max_attempts:
            return Result("dead", item, error=f"gave up after {item.attempts} attempts: {error}")
        delay = timedelta(seconds=retry_after) if retry_after is not None else backoff(item.attempts)
        return Result("retry", item, error=error, next_attempt_at=self.clock() + delay)

    async def _record(self, results: list[Result], *, claim: int = 0, after: int = 0) -> list[Claimed]:
        """Write a batch of results in one transaction: bulk UPDATEs for sent and retried rows, the rare rest
        one by one; then claim up to `claim` more due rows with ids above `after`, returned.

        Retries are written before the per-address cancellations, as they happened: a row of an address that
        later turned out unreachable is cancelled with the rest of its address's pending rows.
        """
        if not results and not claim:
            return []
        sent = [r.sent for r in results if r.sent is not None]
        retries = [
            RetryRow(r.item.outbox_id, r.error, r.next_attempt_at, r.item.address_id, r.kind == "throttled")
            for r in results
            if r.kind in ("retry", "throttled") and r.next_attempt_at is not None
        ]
        claimed: list[Claimed] = []
        if all(r.kind in ("sent", "retry", "throttled") for r in results):
            async with self._transaction() as conn:
                await outbox.record_sent(conn, sent)
                await outbox.record_retries(conn, retries)
                if claim:
                    claimed = await self._claim(conn, claim, after)
        else:
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
                if claim:
                    claimed = await self._claim(session, claim, after)
        for result in results:
            self._count(result)
        return claimed

    def _count(self, result: Result) -> None:
        item = result.item
        if result.kind == "sent":
            self.stats.sent += 1
            self.stats.by_channel[item.channel] = self.stats.by_channel.get(item.channel, 0) + 1
        elif result.kind == "retry":
            self.stats.retried += 1
        elif result.kind == "throttled":
            self.stats.throttled += 1
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
