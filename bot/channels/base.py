"""The small contract every channel implements, and the one error hierarchy sends are translated into.

Like httpx's transports: one method, several implementations. Provider exceptions never leave an adapter;
they become one of the errors below (`raise RetryableSendError(...) from exc`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.messages import Inbound, Outcome
from bot.core.programs import Program
from bot.metrics import Metrics
from bot.storage.outbox import Claimed

OutboundMessage = Claimed


class SendError(Exception):
    """A send did not happen. `code` is the provider's error code when it gave one (Twilio 21610,
    30003...)."""

    code: str | None = None


class RetryableSendError(SendError):
    """Try again later (rate limit, outage, timeout); `retry_after` seconds when the provider said.

    `throttled` marks a rate limit (the provider's 429, our own limiter's deferral): nothing is wrong with the
    message, so the dispatcher reschedules it without using one of its attempts (it is never dead-lettered
    for it).
    """

    def __init__(self, message: str, retry_after: float | None = None, *, throttled: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.throttled = throttled


class Throttled(RetryableSendError):
    """A rate limit, ours or the provider's: wait `retry_after` seconds, keep every attempt."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after, throttled=True)


class AddressUnreachable(SendError):
    """The patient blocked the bot or unsubscribed at the carrier: stop sending to this address."""


class AddressOptedOut(AddressUnreachable):
    """The patient unsubscribed at the provider (Twilio 21610 after an SMS STOP): their choice, not a fault.

    The dispatcher records the opt-out and cancels what was queued for the address, without a support task
    or a dead letter. A dispatcher that does not know this class treats it as AddressUnreachable.
    """

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class PermanentSendError(SendError):
    """The provider refused this message for good (bad number, too long): dead-letter it for staff."""


class Channel(Protocol):
    """Sends one stored outbound message; returns the provider's id for it, if any.

    A channel that records delivery status on the message itself (SMS: Twilio's queued, sent, delivered) sets
    a class attribute `records_status = True`; the dispatcher then leaves `Message.status` to it on success.
    """

    name: str

    async def send(self, message: OutboundMessage) -> str | None: ...


class Receiver(Protocol):
    """The conversation as a channel sees it: one door for every inbound message."""

    async def receive(self, inbound: Inbound) -> Outcome: ...


class Host(Protocol):
    """What a channel's `enable`/`start` takes from the running process (the wiring module's `Services`).

    A channel reads its settings, sessions, clock and the conversation, and registers its sender, status and
    shutdown; `dispatch_now` runs one dispatcher round at once (replies out without waiting for the tick); its
    `fresh()` tells the round whether more replies were queued while it sends (it claims them then).
    """

    @property
    def settings(self) -> Settings: ...
    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...
    @property
    def conversation(self) -> Receiver: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def programs(self) -> Mapping[str, Program]: ...  # WhatsApp reads each program's approved templates
    @property
    def channels(self) -> dict[str, Channel]: ...
    @property
    def channel_status(self) -> dict[str, str]: ...
    @property
    def closers(self) -> list[Callable[[], Any]]: ...
    @property
    def metrics(self) -> Metrics: ...  # latency histograms for /metrics

    @property
    def dispatch_batch(self) -> int: ...

    async def dispatch_now(self, fresh: Callable[[], bool] | None = None) -> int: ...
