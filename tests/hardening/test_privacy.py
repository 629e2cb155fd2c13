"""Telegram chat ids never rest in clear in message or outbox ids, nor reach the logs."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.storage.models import Message, OutboxItem
from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import Chat

CHAT = 660_777


async def test_chat_ids_are_keyed_hashes_in_stored_ids_and_absent_from_logs(
    tg: Any, telegram_double: TelegramDouble, services: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = Chat(telegram_double, tg, services, chat_id=CHAT)
    update = telegram_double.make_message_update(CHAT, "/start", language_code="en")
    telegram_double.fail_next("sendMessage", status=429, retry_after=1)
    await chat.feed(update)
    await chat.feed(update)  # delivered again: a duplicate, logged
    services.clock.advance(seconds=2)
    await services.dispatcher.drain()
    assert len(chat.shown()) == 1
    async with services.sessions() as session:
        ids = list((await session.scalars(select(Message.external_id))).all())
        ids += list((await session.scalars(select(OutboxItem.provider_id))).all())
        errors = list((await session.scalars(select(OutboxItem.last_error))).all())
    assert len([i for i in ids if i]) >= 3
    assert not any(str(CHAT) in (value or "") for value in ids + errors)
    assert str(CHAT) not in caplog.text
