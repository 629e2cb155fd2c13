"""Fixtures for the Telegram channel: our channel wired to the services, aiogram talking HTTP to the Bot API
double.

`tg` is the channel in webhook mode fed directly (`feed_webhook`, what POST /webhooks/telegram calls) with
sends left to `services.dispatcher.drain()`, so each step of a test is deterministic. The polling and HTTP
tests build their own channel.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.channels.telegram import TelegramChannel, start
from bot.channels.telegram_limits import SendLimiter
from tests.doubles.telegram_api import DEFAULT_TOKEN, TelegramDouble

PUBLIC_URL = "https://psp.example.org"
SECRET = "s3cret-token_for-tests"


def telegram_settings(services: Any, telegram_double: TelegramDouble, *, webhook: bool = True) -> None:
    """Turn the Telegram settings on for `services` (the rates are high: tests send bursts to one chat)."""
    services.settings = services.settings.model_copy(
        update={
            "telegram_bot_token": DEFAULT_TOKEN,
            "telegram_api_url": telegram_double.base_url,
            "telegram_webhook_secret": SECRET,
            "psp_public_url": PUBLIC_URL if webhook else None,
            "telegram_rate_per_chat": 10_000.0,
            "telegram_rate_global": 10_000.0,
        }
    )


def limiter_following(clock: Any, per_chat: float = 10_000.0, overall: float = 10_000.0) -> SendLimiter:
    """A limiter whose time is real time plus what the test advanced: Telegram's "retry after" expires with
    it."""
    start_at = clock.now

    def now() -> float:
        return time.monotonic() + (clock.now - start_at).total_seconds()

    return SendLimiter(per_chat, overall, clock=now)


@pytest.fixture
async def tg(services: Any, telegram_double: TelegramDouble, clock: Any) -> AsyncIterator[TelegramChannel]:
    telegram_settings(services, telegram_double)
    channel = await start(services, telegram_double.bot(), autosend=False)
    channel.limiter = limiter_following(clock)
    yield channel
    # close_services (the `services` fixture) closes the channel.


@dataclass
class Chat:
    """One patient's Telegram chat: what they type and press, and what the chat shows."""

    double: TelegramDouble
    channel: TelegramChannel
    services: Any
    chat_id: int = 5001
    language_code: str | None = "en"
    seen: int = 0  # highest message id already returned by `new_messages`
    callback_ids: list[str] = field(default_factory=list)

    async def feed(self, update: dict[str, Any]) -> None:
        await self.channel.feed_webhook(update)
        await self.services.dispatcher.drain()

    async def says(self, text: str) -> list[dict[str, Any]]:
        await self.feed(self.double.make_message_update(self.chat_id, text, language_code=self.language_code))
        return self.new_messages()

    async def presses(self, label: str, message_id: int | None = None) -> list[dict[str, Any]]:
        """Press the button labelled `label` on the newest message showing it (or on `message_id`)."""
        message_id, data = self.button(label, message_id)
        return await self.presses_data(data, message_id)

    async def presses_data(self, data: str, message_id: int) -> list[dict[str, Any]]:
        update = self.double.make_callback_update(
            self.chat_id, data, message_id, language_code=self.language_code
        )
        self.callback_ids.append(update["callback_query"]["id"])
        await self.feed(update)
        return self.new_messages()

    def button(self, label: str, message_id: int | None = None) -> tuple[int, str]:
        for message in reversed(self.shown()):
            if message_id is not None and message["message_id"] != message_id:
                continue
            for row in message.get("reply_markup", {}).get("inline_keyboard", []):
                for button in row:
                    if button["text"] == label:
                        return message["message_id"], button["callback_data"]
        raise AssertionError(f"no button {label!r} in the chat: {[m['text'][:40] for m in self.shown()]}")

    def shown(self) -> list[dict[str, Any]]:
        return self.double.sent_messages(self.chat_id)

    def new_messages(self) -> list[dict[str, Any]]:
        fresh = [m for m in self.shown() if m["message_id"] > self.seen]
        if fresh:
            self.seen = fresh[-1]["message_id"]
        return fresh


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", []) for b in row]


@pytest.fixture
def chat(tg: TelegramChannel, telegram_double: TelegramDouble, services: Any) -> Chat:
    return Chat(telegram_double, tg, services)
