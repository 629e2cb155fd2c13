"""A minute of Telegram 429s in simulated time: no reply is dead-lettered, each arrives once, in order per
chat."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.channels.telegram import TelegramChannel
from bot.storage import outbox, queries
from bot.storage.models import OutboxItem
from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import Chat

CHATS = 10


async def test_a_minute_of_429s_loses_no_reply_and_keeps_each_chats_order(
    tg: TelegramChannel, telegram_double: TelegramDouble, services: Any, clock: Any
) -> None:
    chats = [Chat(telegram_double, tg, services, chat_id=660_000 + i) for i in range(CHATS)]
    telegram_double.flood(retry_after=3)
    for chat in chats:  # ten new patients write while Telegram answers every send with 429
        await chat.feed(telegram_double.make_message_update(chat.chat_id, "/start", language_code="en"))
    async with services.sessions() as session, session.begin():
        for chat in chats:
            address = await queries.find_address(session, "telegram", str(chat.chat_id))
            assert address is not None
            for n in (1, 2, 3):
                await outbox.enqueue(
                    session, address=address, text=f"follow-up {n}", options=[], kind=None, now=clock.now
                )
    for _ in range(20):  # sixty simulated seconds of flood control, the dispatcher ticking every 3 s
        clock.advance(seconds=3)
        await services.dispatcher.drain()
    assert all(chat.shown() == [] for chat in chats)
    assert services.dispatcher.stats.dead == 0

    telegram_double.flood(None)
    clock.advance(seconds=3)
    await services.dispatcher.drain()

    async with services.sessions() as session:
        rows = (await session.execute(select(OutboxItem.status, OutboxItem.attempts))).all()
    assert {status for status, _ in rows} == {"sent"}, "every reply was delivered after the flood"
    assert max(attempts for _, attempts in rows) == 1, "the 429s used no attempt"
    for chat in chats:
        texts = [m["text"] for m in chat.shown()]
        assert texts[-3:] == ["follow-up 1", "follow-up 2", "follow-up 3"], texts
        assert len(texts) == len(set(texts)) == 4, f"each reply once, the welcome first: {texts}"
