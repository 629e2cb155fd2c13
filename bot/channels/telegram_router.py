"""The aiogram Router: Telegram updates in, the core's `Inbound` out.

Idempotency without an update_id table. Telegram restarts `update_id` at a random value after a quiet week, so
remembering update ids would need expiry and could still collide. Instead every Inbound's `external_id` is
derived from identifiers Telegram never reuses, and the core's (channel, direction, external_id) unique key
does the rest:

- a message: `"<chat_id>:<message_id>"` (message ids are never reused within a private chat);
- a button press: `"cb:<chat_id>:<our question id>"`: one answer per question, so a redelivered press *and* a
  second press on the same question (a double tap, a keyboard that could not be removed) are both duplicates;
- the bot blocked: `"kicked:<chat_id>:<unix time of the change>"`.

A redelivered update therefore finds its message stored and changes nothing, whatever its update_id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import KICKED, ChatMemberUpdatedFilter
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message

from bot.channels.telegram_render import Pick
from bot.core.messages import Inbound
from bot.i18n import supported

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel

NAME = "telegram"


def build_router() -> Router:
    """A new Router each time: an aiogram Router can belong to one Dispatcher only."""
    router = Router(name="psp-telegram")
    router.message.register(on_message, F.chat.type == ChatType.PRIVATE)
    router.callback_query.register(on_pick, Pick.filter())
    router.callback_query.register(on_unknown_button)
    router.my_chat_member.register(
        on_blocked, ChatMemberUpdatedFilter(KICKED), F.chat.type == ChatType.PRIVATE
    )
    return router


def is_start(text: str) -> bool:
    """/start, /start@our_bot, or /start with a deep-link payload."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    return first.split("@", 1)[0] == "/start"


async def on_message(message: Message, telegram: TelegramChannel) -> None:
    """Any private message. Text or caption is stored verbatim; other content arrives as an empty message."""
    text = message.text or message.caption or ""
    user = message.from_user
    inbound = Inbound(
        channel=NAME,
        address=str(message.chat.id),
        text=text,
        received_at=telegram.clock(),
        external_id=f"{message.chat.id}:{message.message_id}",
        language_hint=user.language_code if user else None,
        event="started" if is_start(text) else None,
    )
    await telegram.receive(inbound)


def _chat_id(query: CallbackQuery) -> int:
    return query.message.chat.id if query.message is not None else query.from_user.id


async def on_pick(query: CallbackQuery, callback_data: Pick, telegram: TelegramChannel) -> None:
    """A pressed option: only the open question's buttons reach the conversation; others get a polite
    answer."""
    chat_id = _chat_id(query)
    press = await telegram.lookup_press(str(chat_id), callback_data.m)
    locale = (press.locale if press is not None else None) or supported(query.from_user.language_code)
    option: dict[str, Any] | None = None
    if press is not None and 0 <= callback_data.i < len(press.options):
        option = press.options[callback_data.i]
    if option is None or (
        press is not None and press.pending is not None and not _offered(option, press.pending)
    ):
        # Not ours, or the conversation has moved on (the patient typed an answer, or pressed this already).
        await telegram.refuse_press(query, locale, answered=False)
        return
    outcome = await telegram.receive(
        Inbound(
            channel=NAME,
            address=str(chat_id),
            text=str(option["label"]),
            received_at=telegram.clock(),
            external_id=f"cb:{chat_id}:{callback_data.m}",
            option=str(option["key"]),
            language_hint=query.from_user.language_code,
        )
    )
    if outcome.duplicate:
        await telegram.refuse_press(query, locale, answered=True)
        return
    await telegram.confirm_press(query, str(option["label"]))


def _offered(option: dict[str, Any], pending: list[dict[str, Any]]) -> bool:
    return any(str(other.get("key")) == str(option["key"]) for other in pending)


async def on_unknown_button(query: CallbackQuery, telegram: TelegramChannel) -> None:
    """A button from an older version of the bot (or not ours): answered, nothing else."""
    await telegram.refuse_press(query, supported(query.from_user.language_code), answered=False)


async def on_blocked(event: ChatMemberUpdated, telegram: TelegramChannel) -> None:
    """The patient blocked the bot: the address is unreachable (the core records the stop)."""
    await telegram.receive(
        Inbound(
            channel=NAME,
            address=str(event.chat.id),
            text="",
            received_at=telegram.clock(),
            external_id=f"kicked:{event.chat.id}:{int(event.date.timestamp())}",
            event="stopped",
        )
    )
