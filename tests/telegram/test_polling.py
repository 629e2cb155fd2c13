"""Long polling end to end: updates pushed into the double, our poll loop, the conversation, replies sent at
once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.channels.telegram import TelegramChannel, start
from bot.storage.models import Message
from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import labels, limiter_following, telegram_settings

CHAT = 7001


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Wait for the background loops (poll, send) to get somewhere; fail after `timeout` seconds."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the bot")
        await asyncio.sleep(0.02)


@pytest.fixture
async def polling(
    services: Any, telegram_double: TelegramDouble, clock: Any
) -> AsyncIterator[TelegramChannel]:
    telegram_double.max_poll_wait = 0.2
    old = telegram_double.bot()
    await old.set_webhook("https://old.example.org/hook")  # left over from a webhook deployment
    await old.session.close()
    telegram_settings(services, telegram_double, webhook=False)
    channel = await start(services, telegram_double.bot(), poll_timeout=1)
    channel.limiter = limiter_following(clock)
    yield channel


def _texts(double: TelegramDouble) -> list[str]:
    return [m["text"] for m in double.sent_messages(CHAT)]


async def test_polling_end_to_end(
    polling: TelegramChannel, telegram_double: TelegramDouble, services: Any
) -> None:
    assert services.channel_status["telegram"] == "on (polling)"
    telegram_double.push_message(CHAT, "/start", language_code="en")
    [question] = await eventually(lambda: telegram_double.sent_messages(CHAT))
    assert labels(question)[0] == "English"
    assert telegram_double.webhook is None  # deleted before the first getUpdates, or polling would get 409s

    _, data = next(
        (m["message_id"], b["callback_data"])
        for m in telegram_double.sent_messages(CHAT)
        for row in m["reply_markup"]["inline_keyboard"]
        for b in row
        if b["text"] == "English"
    )
    telegram_double.push_callback(CHAT, data, question["message_id"])
    consent = await eventually(
        lambda: [m for m in telegram_double.sent_messages(CHAT) if labels(m) == ["I agree", "I do not agree"]]
    )
    assert consent
    await eventually(lambda: telegram_double.answered_callbacks)
    first_poll = telegram_double.calls_to("getUpdates")[0]
    assert set(first_poll.params["allowed_updates"]) == {"message", "callback_query", "my_chat_member"}


async def test_an_update_is_confirmed_only_after_it_is_stored(
    polling: TelegramChannel, telegram_double: TelegramDouble, services: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_receive = services.conversation.receive
    failures = [ConnectionError("database is down")]

    async def flaky(inbound: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real_receive(inbound)

    monkeypatch.setattr(services.conversation, "receive", flaky)
    monkeypatch.setattr("bot.channels.telegram.MAX_BACKOFF", 0.05)  # keep the backoff short in the test
    pushed = telegram_double.push_message(CHAT, "/start")

    await eventually(lambda: telegram_double.sent_messages(CHAT), timeout=8)

    def offsets() -> list[Any]:
        return [c.params.get("offset") for c in telegram_double.calls_to("getUpdates")]

    await eventually(lambda: pushed["update_id"] + 1 in offsets())
    first_confirming = offsets().index(pushed["update_id"] + 1)
    assert first_confirming >= 2  # handed out twice (failed, then stored) before it was confirmed
    async with services.sessions() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
    assert stored == 1
    assert len(telegram_double.sent_messages(CHAT)) == 1


async def test_closing_stops_polling(polling: TelegramChannel, telegram_double: TelegramDouble) -> None:
    await eventually(lambda: telegram_double.calls_to("getUpdates"))
    await polling.close()
    closed_at = time.monotonic()
    await asyncio.sleep(0.3)
    assert all(call.at < closed_at for call in telegram_double.calls)  # no request started after close


async def test_polled_updates_show_their_receipt_to_commit_on_metrics(
    polling: TelegramChannel, telegram_double: TelegramDouble, services: Any
) -> None:
    """An operator sees polled updates in the receipt-to-commit histogram, under the Telegram label."""
    telegram_double.push_message(CHAT, "/start", language_code="en")
    telegram_double.push_message(CHAT + 1, "/start", language_code="fr")
    await eventually(lambda: telegram_double.sent_messages(CHAT) and telegram_double.sent_messages(CHAT + 1))
    body = services.metrics.render().decode()
    assert 'psp_webhook_receipt_to_commit_seconds_count{channel="telegram"} 2.0' in body
    assert 'psp_webhook_receipt_to_commit_seconds_count{channel="sms"} 0.0' in body
