"""Telegram's send limits, kept on our side so that 429s are the exception, not the rhythm.

Telegram asks bots to stay around one message per second per chat (short bursts are tolerated) and about
thirty per second overall. Both are GCRA buckets ("virtual scheduling": each key has a theoretical arrival
time).

- Overall: the sender sleeps until the next slot. Every send is subject to it, so deferring would not help
  anyone.
- Per chat: a burst of `burst` messages goes at once; past it the message is *deferred* (the dispatcher
  retries it after `retry_after`) instead of sleeping, so one chatty patient never holds up everybody else's
  messages. A deferred message keeps the slot reserved for it, so it is deferred at most once and keeps its
  place in line.

Both limits are per process; with several processes Telegram's own 429 (honoured through the outbox) is the
backstop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field

PER_CHAT_BURST = 3
GLOBAL_BURST_SECONDS = 1.0
RESERVATION_TTL = 600.0  # a reservation nobody came back for (row sent elsewhere, cancelled) is forgotten


class Deferred(Exception):
    """This chat's budget is spent: send again in `retry_after` seconds (the slot is reserved)."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"per-chat rate limit: retry in {retry_after:.2f} s")
        self.retry_after = retry_after


@dataclass
class Bucket:
    """GCRA: `rate` per second with up to `burst` at once. `tat` holds each key's theoretical arrival time."""

    rate: float
    burst: float
    tat: dict[Hashable, float] = field(default_factory=dict)

    @property
    def interval(self) -> float:
        return 1.0 / self.rate

    @property
    def tolerance(self) -> float:
        return max(self.burst - 1.0, 0.0) * self.interval

    def wait(self, key: Hashable, now: float) -> float:
        """Seconds until `key` may send (0 when it may send now)."""
        tat = max(self.tat.get(key, now), now)
        return max(tat - self.tolerance - now, 0.0)

    def take(self, key: Hashable, now: float) -> float:
        """Book the next slot for `key`; returns when that slot is (>= now)."""
        tat = max(self.tat.get(key, now), now)
        slot = max(tat - self.tolerance, now)
        self.tat[key] = tat + self.interval
        return slot

    def hold(self, key: Hashable, until: float) -> None:
        """Telegram said "retry after": nothing for `key` before `until`."""
        self.tat[key] = max(self.tat.get(key, until), until + self.tolerance)

    def forget_idle(self, now: float) -> None:
        for key in [k for k, tat in self.tat.items() if tat < now]:
            del self.tat[key]


class SendLimiter:
    """Gate every Telegram send: `await limiter.acquire(chat_id, ticket)` before the API call.

    `ticket` identifies the message (outbox row and part) so a deferred message finds its reserved slot again.
    """

    def __init__(
        self,
        per_chat: float,
        overall: float,
        *,
        per_chat_burst: float = PER_CHAT_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.chats = Bucket(per_chat, per_chat_burst)
        self.overall = Bucket(overall, max(overall * GLOBAL_BURST_SECONDS, 1.0))
        self._clock = clock
        self._sleep = sleep
        self._reserved: dict[Hashable, float] = {}
        self._lock = asyncio.Lock()
        self._sweep_at = 0.0

    async def acquire(self, chat_id: int, ticket: Hashable) -> None:
        """Return when this send may go; raise Deferred when the chat's burst is spent."""
        now = self._clock()
        self._sweep(now)
        slot = self._reserved.pop(ticket, None)
        if slot is None:
            if self.chats.wait(chat_id, now) > 0:
                slot = self.chats.take(chat_id, now)
                self._reserved[ticket] = slot
                raise Deferred(slot - now)
            self.chats.take(chat_id, now)
        elif slot > now:  # came back early (a clock jump, a manual retry): keep the reservation
            self._reserved[ticket] = slot
            raise Deferred(slot - now)
        async with self._lock:  # the overall bucket: wait our turn
            delay = self.overall.take("*", self._clock()) - self._clock()
            if delay > 0:
                await self._sleep(delay)

    def retry_after(self, chat_id: int, seconds: float) -> None:
        """Telegram answered 429 for this chat: hold it back for `seconds`."""
        self.chats.hold(chat_id, self._clock() + seconds)

    def _sweep(self, now: float) -> None:
        if now < self._sweep_at:
            return
        self._sweep_at = now + 60.0
        self.chats.forget_idle(now)
        for ticket in [k for k, slot in self._reserved.items() if slot < now - RESERVATION_TTL]:
            del self._reserved[ticket]
