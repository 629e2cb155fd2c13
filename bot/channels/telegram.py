"""The Telegram channel on aiogram 3: long polling or webhook in, the outbox's sends out.

    await enable(services)            # TELEGRAM_BOT_TOKEN set: called by bot.app.enable_channels

- Inbound: `telegram_router` turns updates into `Inbound`s for `Conversation.receive`, which stores them (and
  the replies, in the outbox) before anything is confirmed to Telegram: the webhook answers 200 after that,
  and polling confirms an update (the next getUpdates offset) only once it is stored. Updates are handled one
  at a time.
- Outbound: the outbox dispatcher calls `TelegramChannel.send`. Options become an inline keyboard, text over
  4,096 characters is split on paragraphs, sends stay within Telegram's rates (`telegram_limits`), and
  aiogram's errors are translated where they enter (`telegram_send`). Replies go out as soon as they are
  queued: the channel runs a dispatcher round (the host's `dispatch_now`) instead of waiting for the outbox
  tick.
- Mode: webhook when PSP_PUBLIC_URL is set (updates at POST /webhooks/telegram, checked against
  TELEGRAM_WEBHOOK_SECRET by bot.web.telegram_webhook), long polling otherwise (any webhook is deleted first).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError
from aiogram.methods import (
    AnswerCallbackQuery,
    DeleteWebhook,
    EditMessageReplyMarkup,
    EditMessageText,
    GetUpdates,
    Response,
    SetMyCommands,
    SetWebhook,
)
from aiogram.types import CallbackQuery, Message, Update
from aiogram.utils.token import TokenValidationError
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import Host, OutboundMessage, Receiver
from bot.channels.telegram_limits import SendLimiter
from bot.channels.telegram_render import answered_text, command_descriptions, command_languages
from bot.channels.telegram_router import NAME, build_router
from bot.channels.telegram_send import SendReply, deliver
from bot.config import ConfigError
from bot.core.messages import Inbound, Outcome
from bot.i18n import t
from bot.storage import telegram as store

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
POLL_TIMEOUT = 25  # seconds Telegram holds a getUpdates open
MAX_BACKOFF = 60.0
CLOSE_GRACE = 10.0  # seconds a sending dispatcher round may take to finish at shutdown

# aiogram reads every answer of the Bot API as `Response[<the method's result type>]`, a pydantic generic
# model that pydantic builds on first use and caches weakly: once nothing refers to it, the garbage collector
# frees it and the next answer builds it again (about 4 ms of CPU, against about 0.5 ms for the whole send).
# In a busy process that happened every few sends. Held here for every method the channel calls: built once.
RESPONSE_MODELS = tuple(
    Response[method.__returning__]  # type: ignore[name-defined]
    for method in (
        GetUpdates,
        SendReply,
        AnswerCallbackQuery,
        EditMessageText,
        EditMessageReplyMarkup,
        SetMyCommands,
        SetWebhook,
        DeleteWebhook,
    )
)


class BadUpdate(ValueError):
    """A webhook body that is not a Telegram update."""


class TelegramChannel:
    """The running channel: the aiogram Bot and Dispatcher, polling or webhook intake, and `send` for the
    outbox."""

    name = NAME

    def __init__(
        self,
        bot: Bot,
        sessions: async_sessionmaker[AsyncSession],
        conversation: Receiver,
        *,
        clock: Callable[[], datetime],
        limiter: SendLimiter,
        mode: str = "polling",
        status: dict[str, str] | None = None,
        dispatch: Callable[[Callable[[], bool]], Awaitable[int]] | None = None,
        poll_timeout: int = POLL_TIMEOUT,
        dispatch_batch: int = 50,
        observe_stored: Callable[[str, float], None] | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.conversation = conversation
        self.clock = clock
        self.limiter = limiter
        self.mode = mode
        self.poll_timeout = poll_timeout
        self.dispatch_batch = dispatch_batch
        # Receipt-to-commit of polled updates (bot.metrics); webhooks are timed by bot.web.timing instead.
        self._observe_stored = observe_stored
        self.accepting = False
        self.dispatcher = Dispatcher(disable_fsm=True, telegram=self)
        self.dispatcher.include_router(build_router())
        self._status = status if status is not None else {}
        self._dispatch = dispatch
        self._queued = asyncio.Event()  # replies are waiting in the outbox
        self._replies_waiting = False
        self._holding = False  # a polled batch is being stored: wake the sender once, after it
        self._tasks: list[asyncio.Task[None]] = []
        self._round = asyncio.Lock()  # held while the sender runs dispatcher rounds
        self._closed = False

    # --- lifecycle ------------------------------------------------------------------------------------------

    async def start(self, public_url: str | None = None, secret: str | None = None) -> None:
        """Register commands; then set the webhook, or start polling; and start the sender."""
        await self._register_commands()
        if self.mode == "webhook":
            assert public_url and secret, "webhook mode needs PSP_PUBLIC_URL and TELEGRAM_WEBHOOK_SECRET"
            await self._set_webhook(public_url + WEBHOOK_PATH, secret)
        else:
            self._spawn(self.poll(), "telegram-polling")
            self._set_status("on (polling)")
        if self._dispatch is not None:
            self._spawn(self._sender(), "telegram-sender")
        self.accepting = True

    async def close(self) -> None:
        """Stop intake (an update being handled is rolled back and delivered again), let a dispatcher round
        that is sending finish (cut short, its rows would be sent again when their lease expires), close
        HTTP."""
        if self._closed:
            return
        self._closed, self.accepting = True, False
        intake = [task for task in self._tasks if task.get_name() != "telegram-sender"]
        for task in intake:
            task.cancel()
        await asyncio.gather(*intake, return_exceptions=True)
        try:
            await asyncio.wait_for(self._round.acquire(), CLOSE_GRACE)  # kept: no new round starts
        except TimeoutError:
            log.warning("telegram: a dispatcher round did not finish within %s s at shutdown", CLOSE_GRACE)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await self.bot.session.close()

    def _spawn(self, coro: Awaitable[None], name: str) -> None:
        self._tasks.append(asyncio.ensure_future(coro))
        self._tasks[-1].set_name(name)

    def _set_status(self, status: str) -> None:
        self._status[NAME] = status

    async def _register_commands(self) -> None:
        """/start /menu /help /link /stop in every supported language, English for everyone else."""
        try:
            await self.bot.set_my_commands(command_descriptions("en"))
            for lang in command_languages():
                await self.bot.set_my_commands(command_descriptions(lang), language_code=lang)
        except TelegramUnauthorizedError as exc:
            raise ConfigError("TELEGRAM_BOT_TOKEN: Telegram refused the token") from exc
        except (TimeoutError, TelegramAPIError, OSError) as exc:
            log.warning("could not register the bot's commands (%s); continuing", exc)

    async def _set_webhook(self, url: str, secret: str) -> None:
        """setWebhook with our secret and the update types our handlers use; retried in the background on
        failure."""
        allowed = self.dispatcher.resolve_used_update_types()
        try:
            await self.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed)
        except TelegramUnauthorizedError as exc:
            raise ConfigError("TELEGRAM_BOT_TOKEN: Telegram refused the token") from exc
        except (TimeoutError, TelegramAPIError, OSError) as exc:
            self._set_status(f"degraded (webhook): setWebhook failed: {exc}")
            self._spawn(self._retry_webhook(url, secret, allowed), "telegram-set-webhook")
            return
        self._set_status("on (webhook)")

    async def _retry_webhook(self, url: str, secret: str, allowed: list[str]) -> None:
        delay = 1.0
        while True:
            await asyncio.sleep(delay)
            try:
                await self.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed)
            except (TimeoutError, TelegramAPIError, OSError) as exc:
                self._set_status(f"degraded (webhook): setWebhook failed: {exc}")
                delay = min(delay * 2, MAX_BACKOFF)
                continue
            self._set_status("on (webhook)")
            return

    # --- intake ---------------------------------------------------------------------------------------------

    async def receive(self, inbound: Inbound) -> Outcome:
        """Hand one Inbound to the core (stored, answered into the outbox) and wake the sender."""
        outcome = await self.conversation.receive(inbound)
        if outcome.replies:
            self._replies_waiting = True
            if not self._holding:
                self._queued.set()
        return outcome

    async def feed_webhook(self, payload: dict[str, Any]) -> None:
        """Handle one webhook update completely (stored) before the caller answers Telegram."""
        try:
            update = Update.model_validate(payload, context={"bot": self.bot})
        except ValidationError as exc:
            raise BadUpdate(f"not a Telegram update: {exc.error_count()} problem(s)") from exc
        await self.dispatcher.feed_update(self.bot, update)

    async def poll(self) -> None:
        """Long polling: the offset that confirms an update is sent only after it is stored (a polled batch
        is stored in one transaction, then confirmed).

        If handling fails (the database is down), the update is not confirmed: the next getUpdates hands it
        out again after a backoff. A crash at any point has the same effect.
        """
        allowed = self.dispatcher.resolve_used_update_types()
        request_timeout = int(self.bot.session.timeout + self.poll_timeout)
        offset: int | None = None
        delay = 0.0
        await self._delete_webhook()
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=self.poll_timeout,
                    allowed_updates=allowed,
                    request_timeout=request_timeout,
                )
            except (TimeoutError, TelegramAPIError, OSError) as exc:
                delay = self._failing(f"getUpdates failed: {exc}", delay)
                await asyncio.sleep(delay)
                continue
            # The batch is stored in one transaction (group commit), in Telegram's order; its replies go out
            # together once it is committed: one dispatcher round claims them all.
            self._holding = True
            received = time.perf_counter()
            try:
                failures = await self._feed_batch(updates)
                stored = time.perf_counter() - received
                for update, failure in zip(updates, failures, strict=True):
                    if failure is not None:
                        log.error(
                            "telegram update %s not stored; it will be handled again",
                            update.update_id,
                            exc_info=failure,
                        )
                        delay = self._failing(f"update not stored: {type(failure).__name__}", delay)
                        await asyncio.sleep(delay)
                        break
                    offset = update.update_id + 1  # confirmed with the next getUpdates
                    if self._observe_stored is not None:
                        self._observe_stored(NAME, stored)
                    if delay:
                        delay = 0.0
                        self._set_status("on (polling)")
            finally:
                self._holding = False
                if self._replies_waiting:
                    self._queued.set()

    async def _feed_batch(self, updates: list[Update]) -> list[BaseException | None]:
        """A polled batch in one ordered group commit (bot.conversation.group); per update, its error."""
        writer = getattr(self.conversation, "writer", None)
        if writer is None or len(updates) < 2:
            failures: list[BaseException | None] = []
            for update in updates:
                try:
                    await self.dispatcher.feed_update(self.bot, update)
                except Exception as exc:
                    failures.append(exc)
                    break
                failures.append(None)
            return failures + [None] * (len(updates) - len(failures))
        async with writer.ordered(len(updates)) as places:
            done = await asyncio.gather(
                *(places.run(i, self.dispatcher.feed_update(self.bot, u)) for i, u in enumerate(updates)),
                return_exceptions=True,
            )
        for result in done:
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result  # cancelled: stop polling; nothing after the last confirmed offset counts
        return [result if isinstance(result, BaseException) else None for result in done]

    async def _delete_webhook(self) -> None:
        """Polling while a webhook is set gets 409 forever: remove it first (pending updates are kept)."""
        delay = 0.0
        while True:
            try:
                await self.bot.delete_webhook(drop_pending_updates=False)
                return
            except (TimeoutError, TelegramAPIError, OSError) as exc:
                delay = self._failing(f"deleteWebhook failed: {exc}", delay)
                await asyncio.sleep(delay)

    def _failing(self, reason: str, delay: float) -> float:
        log.warning("telegram %s: %s", self.mode, reason)
        self._set_status(f"degraded ({self.mode}): {reason}")
        return min(max(delay * 2, 1.0), MAX_BACKOFF)

    async def _sender(self) -> None:
        """Send replies as soon as they are queued instead of waiting for the next outbox tick."""
        assert self._dispatch is not None
        while True:
            await self._queued.wait()
            self._queued.clear()
            self._replies_waiting = False
            try:
                # A round that claimed less than a full batch took everything due; a reply queued since then
                # has set the event again. (One extra empty round per wake-up is a write transaction wasted.)
                async with self._round:
                    while await self._dispatch(self._take_queued) >= self.dispatch_batch:
                        pass
            except Exception:
                log.exception("sending after an update failed; the outbox tick will retry")
                await asyncio.sleep(1.0)

    def _take_queued(self) -> bool:
        """Were replies committed since the last look? A round that is sending asks before each wave's
        transaction, which then claims them; the look clears the wake-up, so they cost no round of their own.
        Replies committed after the look set it again."""
        queued = self._queued.is_set() or self._replies_waiting
        self._queued.clear()
        self._replies_waiting = False
        return queued

    # --- button presses -------------------------------------------------------------------------------------

    async def lookup_press(self, address: str, question_id: int) -> store.Press | None:
        async with self.sessions() as session:
            return await store.press(session, NAME, address, question_id)

    async def confirm_press(self, query: CallbackQuery, label: str) -> None:
        """Answer the press and show the choice in place of the keyboard, so the question cannot be answered
        twice."""
        message = query.message if isinstance(query.message, Message) else None
        edit: Awaitable[Any] | None = None
        if message is not None:
            text = answered_text(message.text, label) if message.text else None
            if text is not None:
                edit = self.bot.edit_message_text(
                    text=text, chat_id=message.chat.id, message_id=message.message_id
                )
            else:
                edit = self.bot.edit_message_reply_markup(
                    chat_id=message.chat.id, message_id=message.message_id
                )
        await self._quietly(self.bot.answer_callback_query(query.id), edit)

    async def refuse_press(self, query: CallbackQuery, locale: str | None, *, answered: bool) -> None:
        """A stale button: a polite answer, the dead keyboard removed, nothing else changes."""
        text = (
            t(locale, "You already answered this question.")
            if answered
            else t(locale, "This question is no longer open.")
        )
        message = query.message if isinstance(query.message, Message) else None
        remove = None
        if message is not None and message.reply_markup is not None:
            remove = self.bot.edit_message_reply_markup(
                chat_id=message.chat.id, message_id=message.message_id
            )
        await self._quietly(self.bot.answer_callback_query(query.id, text=text), remove)

    @staticmethod
    async def _quietly(*calls: Awaitable[Any] | None) -> None:
        """Cosmetic calls after the press is stored: a failure is logged, never a reason to redeliver."""
        results = await asyncio.gather(*(c for c in calls if c is not None), return_exceptions=True)
        for result in results:
            if isinstance(result, BaseException):
                log.info("telegram call after a press failed: %s", result)

    # --- sending (called by the outbox dispatcher) ----------------------------------------------------------

    async def send(self, message: OutboundMessage) -> str | None:
        """Deliver one outbox row; returns "<chat_id>:<message_id>" of the (last) Telegram message."""
        return await deliver(self.bot, self.limiter, self.sessions, self.clock, message)


# --- wiring -------------------------------------------------------------------------------------------------


def make_bot(token: str, api_url: str) -> Bot:
    """aiogram's Bot on an AiohttpSession pointed at `api_url` (Telegram, a local Bot API server, a
    double)."""
    try:
        return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    except TokenValidationError as exc:
        raise ConfigError("TELEGRAM_BOT_TOKEN: not a bot token (expected the form 123456:ABC-...)") from exc


async def enable(services: Host) -> TelegramChannel:
    """Start the Telegram channel (TELEGRAM_BOT_TOKEN is set): called by bot.app.enable_channels."""
    settings = services.settings
    assert settings.telegram_bot_token
    return await start(services, make_bot(settings.telegram_bot_token, settings.telegram_api_url))


async def start(
    services: Host, bot: Bot, *, autosend: bool = True, poll_timeout: int = POLL_TIMEOUT
) -> TelegramChannel:
    """Wire a channel around `bot` (tests pass one talking to the double); registers sender, status and
    closer."""
    settings = services.settings
    mode = "webhook" if settings.psp_public_url else "polling"
    channel = TelegramChannel(
        bot,
        services.sessions,
        services.conversation,
        clock=services.clock,
        limiter=SendLimiter(settings.telegram_rate_per_chat, settings.telegram_rate_global),
        mode=mode,
        status=services.channel_status,
        dispatch=services.dispatch_now if autosend else None,
        poll_timeout=poll_timeout,
        dispatch_batch=services.dispatch_batch,
        observe_stored=services.metrics.observe_receipt_to_commit,
    )
    services.channels[NAME] = channel
    services.closers.append(channel.close)
    try:
        await channel.start(settings.psp_public_url, settings.telegram_webhook_secret)
    except BaseException:
        services.channels.pop(NAME, None)
        raise
    return channel
