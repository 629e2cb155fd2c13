"""Sends through the outbox: 429s waited out, blocked patients stopped, long texts split, nothing lost or
doubled."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.base import AddressUnreachable, PermanentSendError, RetryableSendError
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_router import chat_ref
from bot.i18n import LANGUAGES, t
from bot.storage import outbox, queries
from bot.storage.models import Message, OutboxItem, SupportTask
from bot.storage.outbox import Claimed
from tests.doubles.telegram_api import RateLimit, TelegramDouble
from tests.telegram.conftest import Chat


async def _queue(services: Any, chat: Chat, text: str, options: list[dict[str, str]] | None = None) -> int:
    """A message for the chat's patient, queued the way any feature queues one."""
    async with services.sessions() as session, session.begin():
        address = await queries.find_address(session, "telegram", str(chat.chat_id))
        assert address is not None
        item = await outbox.enqueue(
            session, address=address, text=text, options=options or [], kind=None, now=services.clock()
        )
        await session.flush()  # enqueue leaves the insert to the commit; the test needs the id now
        return item.id


async def _row(services: Any, outbox_id: int) -> OutboxItem:
    async with services.sessions() as session:
        row = await session.get(OutboxItem, outbox_id)
        assert row is not None
        return row


async def test_a_429_is_waited_out_and_the_message_arrives_once(
    chat: Chat, services: Any, telegram_double: TelegramDouble, clock: Any
) -> None:
    await chat.says("/start")
    chat.new_messages()
    outbox_id = await _queue(services, chat, "Time for your CardioZen dose.")
    telegram_double.fail_next("sendMessage", status=429, retry_after=7)

    await services.dispatcher.drain()
    row = await _row(services, outbox_id)
    assert (row.status, chat.new_messages()) == ("pending", [])
    assert (row.next_attempt_at - clock.now).total_seconds() == pytest.approx(7)
    clock.advance(seconds=6)
    await services.dispatcher.drain()
    assert chat.new_messages() == []  # Telegram said 7 seconds
    clock.advance(seconds=1)
    await services.dispatcher.drain()
    await services.dispatcher.drain()

    [delivered] = chat.new_messages()
    assert delivered["text"] == "Time for your CardioZen dose."
    row = await _row(services, outbox_id)
    assert (row.status, row.attempts, row.provider_id) == (
        "sent",
        1,  # the 429 did not use an attempt
        f"{chat_ref(chat.chat_id)}:{delivered['message_id']}",  # the chat id keyed-hashed, never in clear
    )
    assert [c.status for c in telegram_double.calls_to("sendMessage")][-2:] == [429, 200]


async def test_a_patient_who_blocked_the_bot_is_unreachable_and_staff_are_told(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    await chat.says("/start")
    first = await _queue(services, chat, "Reminder one")
    second = await _queue(services, chat, "Reminder two")
    telegram_double.block_chat(chat.chat_id)

    await services.dispatcher.drain()

    assert [(await _row(services, i)).status for i in (first, second)] == ["cancelled", "cancelled"]
    async with services.sessions() as session:
        address = await queries.find_address(session, "telegram", str(chat.chat_id))
        tasks = (await session.scalars(select(SupportTask))).all()
    assert address is not None and address.unreachable and address.opted_out
    assert [(task.kind, task.patient_id) for task in tasks] == [("unreachable", address.patient_id)]
    assert "blocked" in tasks[0].detail
    assert (
        len(telegram_double.calls_to("sendMessage")) == 2
    )  # the language question, then one refused attempt


async def test_blocking_the_bot_is_recorded_from_telegram_s_update(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    await chat.says("/start")
    update = telegram_double.make_my_chat_member_update(chat.chat_id, "kicked")
    await chat.feed(update)
    await chat.feed(update)  # redelivered: still one stored event

    async with services.sessions() as session:
        address = await queries.find_address(session, "telegram", str(chat.chat_id))
        assert address is not None
        events = (await session.scalars(select(Message).where(Message.external_id.like("kicked:%")))).all()
    assert address.opted_out and address.unreachable
    assert len(events) == 1


async def test_a_5000_character_reply_is_split_on_paragraphs_with_the_buttons_last(
    chat: Chat, services: Any, telegram_double: TelegramDouble
) -> None:
    await chat.says("/start")
    chat.new_messages()
    paragraphs = [f"Paragraph {n}. " + "CardioZen helps your heart. " * 17 for n in range(1, 11)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    assert 4096 < len(text) <= 5000
    await _queue(services, chat, text, options=[{"key": "quiz:ok", "label": "Got it"}])

    await services.dispatcher.drain()

    first, second = chat.new_messages()
    assert len(first["text"]) <= 4096 and len(second["text"]) <= 4096
    assert first["text"] + "\n\n" + second["text"] == text  # cut between paragraphs, nothing lost
    assert second["text"].startswith("Paragraph ")
    assert "reply_markup" not in first and [
        b["text"] for b in second["reply_markup"]["inline_keyboard"][0]
    ] == ["Got it"]


async def test_a_split_message_interrupted_by_a_429_does_not_repeat_its_first_part(
    chat: Chat, services: Any, telegram_double: TelegramDouble, clock: Any
) -> None:
    await chat.says("/start")
    chat.new_messages()
    text = "A" * 3000 + "\n\n" + "B" * 3000
    outbox_id = await _queue(services, chat, text)
    telegram_double.rate_limit = RateLimit(
        per_chat=(1, 30.0), overall=None
    )  # part two is refused for a while

    await services.dispatcher.drain()
    assert [m["text"][0] for m in chat.new_messages()] == ["A"]
    assert (await _row(services, outbox_id)).status == "pending"
    telegram_double.rate_limit = None
    clock.advance(seconds=30)
    await services.dispatcher.drain()

    assert [m["text"][0] for m in chat.new_messages()] == ["B"]
    assert (await _row(services, outbox_id)).status == "sent"


class _Raising:
    """Stands in for aiogram's session request (under `bot(method)`) and raises what aiogram would."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise self.exc


def _errors() -> list[tuple[Exception, type[Exception]]]:
    from aiogram.exceptions import (
        TelegramBadRequest,
        TelegramForbiddenError,
        TelegramNetworkError,
        TelegramRetryAfter,
        TelegramServerError,
        TelegramUnauthorizedError,
    )
    from aiogram.methods import SendMessage

    method = SendMessage(chat_id=1, text="x")
    return [
        (TelegramRetryAfter(method, "Too Many Requests: retry after 5", 5), RetryableSendError),
        (TelegramForbiddenError(method, "Forbidden: bot was blocked by the user"), AddressUnreachable),
        (TelegramForbiddenError(method, "Forbidden: user is deactivated"), AddressUnreachable),
        (TelegramBadRequest(method, "Bad Request: chat not found"), AddressUnreachable),
        (TelegramBadRequest(method, "Bad Request: can't parse entities"), PermanentSendError),
        (TelegramServerError(method, "Bad Gateway"), RetryableSendError),
        (TelegramNetworkError(method, "HTTP Client says - ClientConnectorError"), RetryableSendError),
        (TelegramUnauthorizedError(method, "Unauthorized"), RetryableSendError),
        (TimeoutError(), RetryableSendError),
    ]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("raised", "expected"), _errors(), ids=lambda v: type(v).__name__)
async def test_every_aiogram_error_becomes_one_of_ours(
    tg: TelegramChannel, raised: Exception, expected: type[Exception], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tg.bot.session, "make_request", _Raising(raised))
    message = Claimed(1, 1, "telegram", "5001", 1, 1, "Hello", [], None, 1)
    with pytest.raises(expected) as caught:
        await tg.send(message)
    assert caught.value.__cause__ is raised
    if isinstance(caught.value, RetryableSendError) and "retry after" in str(raised):
        assert caught.value.retry_after == 5


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_commands_are_registered_in_every_language(
    tg: TelegramChannel, telegram_double: TelegramDouble
) -> None:
    assert set(telegram_double.commands) == {"", *LANGUAGES}
    for lang in LANGUAGES:
        commands = telegram_double.commands[lang]
        assert [c["command"] for c in commands] == ["start", "menu", "help", "link", "stop"]
        assert commands[-1]["description"] == t(lang, "Stop all messages")
    assert telegram_double.commands["es"][-1]["description"] == "Dejar de recibir mensajes"
    assert telegram_double.commands["ar"][0]["description"] == "بدء البرنامج أو إعادة بدئه"
