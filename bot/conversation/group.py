"""Group commit for inbound messages: what is waiting is handled together, in one transaction.

Every channel hands its messages to one `GroupWriter` per process (through `Conversation.receive`). While a
transaction is being written, new messages queue; the next transaction takes all of them (up to
`max_batch`). A caller's `submit` returns only once its message is committed (or has failed for good), so a
webhook still answers after its message is stored and a poll confirms its offset after the batch is stored.

A polled batch keeps its order and becomes one transaction: the poller opens `writer.ordered(n)` and runs
the i-th update's handler inside `slot(i)`. A handler enqueues only after the one before it has enqueued (or
finished without a message), and the writer waits until all of them have, so a batch of 100 updates is one
transaction and a chat's messages are handled in the order Telegram gave them.

The batch itself (dedupe, isolation of a failing message) is `Conversation._commit_group`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

CLOSE_GRACE = 10.0  # seconds a transaction being written may take to finish at shutdown
MAX_BATCH = (
    200  # messages per transaction: bounds a transaction's memory and the time the SQLite lock is held
)


@dataclass
class Slot:
    """The i-th place of an ordered intake: enqueue only after the place before it has enqueued."""

    before: Slot | None
    queued: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_turn(self) -> None:
        if self.before is not None:
            await self.before.queued.wait()


_SLOT: ContextVar[Slot | None] = ContextVar("psp_inbound_slot", default=None)


class Ordered:
    """The places of one polled batch (see the module docstring)."""

    def __init__(self, count: int) -> None:
        self.slots: list[Slot] = []
        for _ in range(count):
            self.slots.append(Slot(self.slots[-1] if self.slots else None))

    async def run(self, index: int, work: Awaitable[R]) -> R:
        """Run one update's handler in its place; the place counts as taken when the handler is done too."""
        slot = self.slots[index]
        token = _SLOT.set(slot)
        try:
            return await work
        finally:
            slot.queued.set()
            _SLOT.reset(token)

    async def all_queued(self) -> None:
        if self.slots:
            await self.slots[-1].queued.wait()


class GroupWriter(Generic[T, R]):
    """Queues items and hands them to `commit` in batches; one batch at a time per process.

    `commit(items)` returns one result per item, in order: a value, or the exception that item failed with
    (the others of the batch are committed regardless).
    """

    def __init__(
        self,
        commit: Callable[[Sequence[T]], Awaitable[list[R | BaseException]]],
        max_batch: int = MAX_BATCH,
        on_batch: Callable[[int, float], None] | None = None,
    ) -> None:
        self._commit = commit
        self.max_batch = max_batch
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._held = 0
        self._flusher: asyncio.Task[None] | None = None
        # Hooks for metrics (bot.web's /metrics can set them): a batch's size and the seconds from its start
        # to its commit; and per message, the seconds from `submit` (its receipt) to its commit.
        self.on_batch = on_batch
        self.on_committed: Callable[[float], None] | None = None

    async def submit(self, item: T) -> R:
        """Queue `item` and wait until its batch is committed; raises what the item failed with."""
        slot = _SLOT.get()
        if slot is not None:
            await slot.wait_turn()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        received = loop.time()
        self._waiting.append((item, future))
        if slot is not None:
            slot.queued.set()
        self._wake()
        result = await future
        if self.on_committed is not None:
            self.on_committed(loop.time() - received)
        return result

    @contextlib.asynccontextmanager
    async def ordered(self, count: int) -> AsyncIterator[Ordered]:
        """Places for a polled batch of `count` updates; the batch is written once every place is taken."""
        places = Ordered(count)
        self._held += 1
        released = False

        async def release() -> None:
            nonlocal released
            await places.all_queued()
            if not released:
                released = True
                self._held -= 1
                self._wake()

        waiter = asyncio.ensure_future(release())
        try:
            yield places
        finally:
            waiter.cancel()
            if not released:
                released = True
                self._held -= 1
                self._wake()

    async def close(self, grace: float = CLOSE_GRACE) -> None:
        """Let the transaction being written finish before the database goes away: its callers are waiting
        for it, and an engine disposed under a running transaction can leave them waiting for ever."""
        flusher = self._flusher
        if flusher is not None and not flusher.done():
            await asyncio.wait({flusher}, timeout=grace)

    def _wake(self) -> None:
        if self._flusher is None and self._waiting and not self._held:
            self._flusher = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._waiting and not self._held:
                batch, self._waiting = self._waiting[: self.max_batch], self._waiting[self.max_batch :]
                started = loop.time()
                try:
                    results = await self._commit([item for item, _ in batch])
                except BaseException as exc:  # the whole batch failed (the database is down): tell each
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc if isinstance(exc, Exception) else RuntimeError(exc))
                    if not isinstance(exc, Exception):
                        raise
                    continue
                if self.on_batch is not None:
                    self.on_batch(len(batch), loop.time() - started)
                for (_, future), result in zip(batch, results, strict=True):
                    if future.done():  # the caller was cancelled; its message is committed all the same
                        continue
                    if isinstance(result, BaseException):
                        future.set_exception(result)
                    else:
                        future.set_result(result)
        except BaseException:
            self._flusher = None
            raise
        self._flusher = None
        self._wake()  # a poll batch released while the last transaction was being written
