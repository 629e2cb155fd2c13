"""Our side of Telegram's limits: a short burst per chat goes at once, then one a second; 30 a second
overall."""

from __future__ import annotations

import pytest

from bot.channels.telegram_limits import Deferred, SendLimiter


class Time:
    """A clock and a sleep that only move together, so waits are exact and instant."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def limiter(time: Time, per_chat: float = 1.0, overall: float = 30.0) -> SendLimiter:
    return SendLimiter(per_chat, overall, clock=time, sleep=time.sleep)


async def outcome(lim: SendLimiter, chat: int, ticket: object) -> float | None:
    """None when the send may go now; else the deferral in seconds."""
    try:
        await lim.acquire(chat, ticket)
    except Deferred as exc:
        return round(exc.retry_after, 6)
    return None


# (seconds to advance before the send, chat, ticket, expected: None = goes now, number = deferred that long)
PER_CHAT = [
    (0, 1, "a", None),
    (0, 1, "b", None),
    (0, 1, "c", None),  # a burst of three
    (0, 1, "d", 1.0),  # the fourth waits one second ...
    (0, 1, "e", 2.0),  # ... and the fifth two: each keeps its own slot
    (0, 2, "x", None),  # another chat is not held up
    (1, 1, "d", None),  # "d" comes back at its slot and goes
    (0, 1, "f", 2.0),  # a new message queues after "e"
    (1, 1, "e", None),
    (10, 1, "g", None),  # after a quiet spell, a burst again
    (0, 1, "h", None),
]


async def test_per_chat_burst_then_one_a_second() -> None:
    time = Time()
    lim = limiter(time)
    for advance, chat, ticket, expected in PER_CHAT:
        time.now += advance
        assert await outcome(lim, chat, ticket) == expected, (advance, chat, ticket)


async def test_overall_rate_makes_senders_wait_their_turn() -> None:
    time = Time()
    lim = limiter(time, per_chat=1.0, overall=30.0)
    for chat in range(45):  # 45 different chats at once: 30 go, the rest are spaced 1/30 s apart
        await lim.acquire(chat, ("t", chat))
    assert time.slept[0] == pytest.approx(1 / 30, abs=1e-5)
    assert len(time.slept) == 15 and time.now == pytest.approx(100.0 + 15 / 30)


async def test_telegram_s_retry_after_holds_the_chat() -> None:
    time = Time()
    lim = limiter(time)
    await lim.acquire(1, "a")
    lim.retry_after(1, 20)
    assert await outcome(lim, 1, "b") == pytest.approx(20.0)
    assert await outcome(lim, 2, "c") is None
