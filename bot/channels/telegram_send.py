"""The outbound half of the Telegram channel: one outbox row to one or more Telegram messages.

Provider errors are translated where they enter (as httpx maps httpcore's): a 429 becomes RetryableSendError
with Telegram's retry_after (the outbox waits, aiogram does not retry), a 403 (blocked, deactivated) or a
vanished chat becomes AddressUnreachable, any other refusal PermanentSendError (dead letter for staff), and
everything else (5xx, network, timeouts) RetryableSendError with the dispatcher's backoff.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods import TelegramMethod
from aiogram.types import InlineKeyboardMarkup, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import (
    AddressUnreachable,
    OutboundMessage,
    PermanentSendError,
    RetryableSendError,
    Throttled,
)
from bot.channels.telegram_limits import Deferred, SendLimiter
from bot.channels.telegram_render import keyboard_json, split_text
from bot.storage import telegram as store
from bot.storage.crypto import pseudonym

# Bad requests that mean the chat itself is gone (the account was deleted): like a block, stop sending there.
_GONE = ("chat not found", "user not found", "peer_id_invalid")


class Sent(TelegramObject):
    """What we read of a sent message: its id (Telegram's other fields are kept as they came, unparsed)."""

    message_id: int


class SendReply(TelegramMethod[Sent]):
    """Bot API `sendMessage` with the three fields a reply uses, sent through aiogram like any of its methods
    (`await bot(SendReply(...))`: its session, its request, its errors).

    aiogram's own `SendMessage` costs about twice as much CPU per send for the same request: it serialises the
    keyboard's models field by field on every send, and parses Telegram's answer into a whole `Message` (chat,
    sender, keyboard) of which we keep the id. Here the keyboard is JSON once (as Telegram takes it in a form
    field) and the answer is read for `message_id` only. The form posted is the one `bot.send_message` posts.
    """

    __returning__: ClassVar[type] = Sent
    __api_method__: ClassVar[str] = "sendMessage"

    chat_id: int
    text: str
    reply_markup: str | None = None  # an InlineKeyboardMarkup as JSON


def markup_json(markup: InlineKeyboardMarkup | None) -> str | None:
    """The keyboard as the JSON text Telegram takes (unset fields left out, as aiogram leaves them out)."""
    return None if markup is None else markup.model_dump_json(exclude_none=True)


async def deliver(
    bot: Bot,
    limiter: SendLimiter,
    sessions: async_sessionmaker[AsyncSession],
    clock: Callable[[], datetime],
    message: OutboundMessage,
) -> str | None:
    """Send one outbox row; returns "<keyed hash of the chat>:<message_id>" of its (last) Telegram message.

    Text over Telegram's limit goes as several messages, the keyboard on the last. Each delivered part is
    recorded, so a retry after a partial send (a 429 on part two) continues where it stopped instead of
    repeating part one.
    """
    chat_id = int(message.address)
    parts = split_text(message.text)
    if not parts:
        raise PermanentSendError("empty message: Telegram refuses empty text")
    markup = keyboard_json(message.message_id, message.options)
    done: dict[int, str] = {}
    if len(parts) > 1:
        async with sessions() as session:
            done = await store.parts_sent(session, message.message_id)
    provider_id: str | None = None
    for index, part in enumerate(parts):
        if index in done:
            provider_id = done[index]
            continue
        last = index == len(parts) - 1
        provider_id = await send_part(
            bot, limiter, chat_id, (message.outbox_id, index), part, markup if last else None
        )
        if len(parts) > 1:
            async with sessions() as session, session.begin():
                await store.record_part(session, message.message_id, index, provider_id, clock())
    return provider_id


async def send_part(
    bot: Bot, limiter: SendLimiter, chat_id: int, ticket: tuple[int, int], text: str, markup: str | None
) -> str:
    """One sendMessage within our rate limits, with aiogram's errors translated into ours."""
    try:
        await limiter.acquire(chat_id, ticket)
    except Deferred as exc:
        raise Throttled(str(exc), retry_after=exc.retry_after) from exc
    try:
        sent = await bot(SendReply(chat_id=chat_id, text=text, reply_markup=markup))
    except TelegramRetryAfter as exc:
        limiter.retry_after(chat_id, exc.retry_after)
        raise Throttled(
            f"telegram 429: retry after {exc.retry_after} s", retry_after=exc.retry_after
        ) from exc
    except TelegramForbiddenError as exc:
        raise AddressUnreachable(f"telegram 403: {exc.message}") from exc
    except TelegramBadRequest as exc:
        if any(reason in exc.message.lower() for reason in _GONE):
            raise AddressUnreachable(f"telegram 400: {exc.message}") from exc
        raise PermanentSendError(f"telegram 400: {exc.message}") from exc
    except TelegramAPIError as exc:  # 5xx, network, unauthorized (a token problem is ours, not the patient's)
        raise RetryableSendError(f"telegram: {type(exc).__name__}: {exc.message}") from exc
    except (TimeoutError, OSError) as exc:
        raise RetryableSendError(f"telegram: {type(exc).__name__}: {exc}") from exc
    return f"{pseudonym('telegram-chat', str(chat_id))}:{sent.message_id}"  # no chat id in clear at rest
