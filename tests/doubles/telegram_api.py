"""Test double of the Telegram Bot API, spoken over HTTP so that aiogram itself runs in our tests.

    async with TelegramDouble() as tg:
        bot = tg.bot()                       # aiogram Bot ->
        AiohttpSession(api=TelegramAPIServer.from_base(...)) tg.push_message(42, "/start")        # what a
        patient typed, for getUpdates await bot.send_message(42, "Hello") assert
        tg.sent_messages(42)[-1]["text"] == "Hello" await bot.session.close()

What arrives: aiogram posts every method as a form (`AiohttpSession.build_form_data`): strings raw, everything
else JSON-encoded (numbers, booleans, reply_markup, commands, allowed_updates). The double decodes each field
with JSON unless it is a free-text field (`RAW_FIELDS`), so `params["chat_id"]` is an int and
`params["reply_markup"]` a dict.

Faithful on purpose (each is a mistake our code could make against the real API):
- error bodies have Telegram's shape, so aiogram raises its own exceptions (TelegramRetryAfter,
  TelegramForbiddenError...);
- editMessageText without reply_markup removes the inline keyboard; an edit that changes nothing is a 400;
- getUpdates answers 409 while a webhook is set, and 409 to an older long poll when a newer one starts;
- getUpdates forgets updates below `offset` and skips update types outside `allowed_updates`;
- setWebhook wants an https URL and a secret of 1-256 `A-Z a-z 0-9 _ -`; text over 4096 characters and
  callback_data over 64 bytes are refused.
Not modelled: files, groups and channels beyond a chat type, per-scope commands (the scope is only in the call
log), answerCallbackQuery's query expiry.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import math
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiohttp import web

from ._server import LoopbackServer

DEFAULT_TOKEN = "123456789:TEST-token-for-the-telegram-double"
MAX_TEXT_LENGTH = 4096
MAX_CALLBACK_DATA_BYTES = 64

# Fields whose value is free text: never JSON-decoded ("123" stays a string, "[1]" stays a string).
RAW_FIELDS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "inline_message_id",
        "url",
        "secret_token",
        "language_code",
        "parse_mode",
        "ip_address",
        "business_connection_id",
        "message_effect_id",
    }
)
# Update types Telegram leaves out when allowed_updates is empty or was never given.
NOT_DEFAULT_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
BOT_COMMAND = re.compile(r"[a-z0-9_]{1,32}")

BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


@dataclass(frozen=True)
class ApiCall:
    """One request the bot made: method as sent, decoded params, arrival time (time.monotonic()), HTTP
    status."""

    method: str
    params: dict[str, Any]
    at: float
    status: int


@dataclass(frozen=True)
class Webhook:
    """What the last successful setWebhook asked for."""

    url: str
    secret_token: str | None
    allowed_updates: list[str] | None


@dataclass(frozen=True)
class RateLimit:
    """At most `count` successful sendMessage calls in any `seconds` window; None switches a limit off."""

    per_chat: tuple[int, float] | None = (1, 1.0)
    overall: tuple[int, float] | None = (30, 1.0)


class ApiError(Exception):
    """Raised inside a handler to answer with Telegram's error shape."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.body = error_body(status, description, retry_after)


def error_body(status: int, description: str | None = None, retry_after: int | None = None) -> dict[str, Any]:
    """Telegram's JSON for a failed call; `parameters.retry_after` is what aiogram turns into
    TelegramRetryAfter."""
    if description is None:
        if status == HTTPStatus.TOO_MANY_REQUESTS:
            description = f"Too Many Requests: retry after {retry_after}"
        else:
            description = HTTPStatus(status).phrase
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return body


def decode_params(form: Any) -> dict[str, Any]:
    """Turn aiogram's form fields back into values: JSON for everything except free-text fields."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if not isinstance(value, str):  # an uploaded file: keep a trace, files are not modelled
            params[key] = repr(value)
        elif key in RAW_FIELDS:
            params[key] = value
        else:
            try:
                params[key] = json.loads(value)
            except ValueError:
                params[key] = value
    return params


def _update_type(update: dict[str, Any]) -> str:
    return next(key for key in update if key != "update_id")


class LoopbackAiohttpSession(AiohttpSession):
    """aiogram's AiohttpSession minus the 0.25 s sleep in close(), which waits for TLS shutdown we don't
    have."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


class TelegramDouble(LoopbackServer):
    """Fake Telegram Bot API at `base_url` (`POST /bot<token>/<method>`), with controls for tests.

    `max_poll_wait` caps how long getUpdates waits (the real server waits up to `timeout` seconds), so a test
    or a shutdown never hangs on a long poll.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        max_poll_wait: float = 0.5,
        rate_limit: RateLimit | None = None,
        first_update_id: int = 700_000_000,
        bot_username: str = "psp_test_bot",
    ) -> None:
        super().__init__()
        self.token = token
        self.max_poll_wait = max_poll_wait
        self.rate_limit = rate_limit
        self.bot_user: dict[str, Any] = {
            "id": int(token.partition(":")[0]),
            "is_bot": True,
            "first_name": "PSP Test Bot",
            "username": bot_username,
        }
        self.calls: list[ApiCall] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}  # language_code ("" = all languages) -> commands
        self.webhook: Webhook | None = None
        self.answered_callbacks: dict[str, dict[str, Any]] = {}  # callback_query_id -> answer params

        # (chat_id, message_id) -> the message as the chat shows it now
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._last_message_id: dict[int, int] = defaultdict(int)
        self._update_ids = itertools.count(first_update_id)
        self._callback_ids = itertools.count(4_000_000_000_000_000_000)
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: list[str] | None = None
        self._wakeup = asyncio.Event()
        self._poll_generation = 0
        self._closing = False
        self._blocked: set[int] = set()
        self._failures: dict[str, deque[tuple[int, dict[str, Any]]]] = defaultdict(deque)
        self._outage_until: float | None = None
        self._send_times: dict[object, deque[float]] = defaultdict(deque)

        self._handlers: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            "getme": self._get_me,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "setwebhook": self._set_webhook,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "getupdates": self._get_updates,
        }
        self.app.router.add_route("*", "/bot{token}/{method}", self._handle)

    # ---- pointing aiogram at the double -------------------------------------------------------------------

    @property
    def api_server(self) -> TelegramAPIServer:
        return TelegramAPIServer.from_base(self.base_url)

    def bot(self, **bot_kwargs: Any) -> Bot:
        """An aiogram Bot talking to this double; the caller closes it with `await bot.session.close()`."""
        return Bot(self.token, session=LoopbackAiohttpSession(api=self.api_server), **bot_kwargs)

    async def close(self) -> None:
        self._closing = True
        self._wake_pollers()
        await super().close()

    # ---- what the bot did ---------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def sent_messages(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent, as the chat shows them now (edits applied, deleted ones gone), oldest
        first."""
        return [
            copy.deepcopy(message)
            for (chat, _), message in self._messages.items()
            if chat_id is None or chat == chat_id
        ]

    # ---- what users do ------------------------------------------------------------------------------------

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for getUpdates (an update_id is added when missing) and wake a waiting long
        poll."""
        update = copy.deepcopy(update)
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        self._updates.append(update)
        self._wake_pollers()
        return update

    def make_message_update(
        self,
        chat_id: int,
        text: str,
        language_code: str | None = "en",
        user_id: int | None = None,
        *,
        first_name: str = "Pat",
    ) -> dict[str, Any]:
        """A private-chat text message from a user, as Telegram delivers it (not queued: see push_message)."""
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self._user(chat_id, user_id, language_code, first_name),
            "chat": self._chat(chat_id, first_name),
            "date": int(time.time()),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": message}

    def make_callback_update(
        self,
        chat_id: int,
        data: str,
        message_id: int,
        *,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> dict[str, Any]:
        """A tap on an inline button of message `message_id` (the message as the chat shows it now)."""
        message = self._messages.get((chat_id, message_id)) or {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            "text": "",
        }
        callback = {
            "id": str(next(self._callback_ids)),
            "from": self._user(chat_id, user_id, language_code),
            "message": copy.deepcopy(message),
            "chat_instance": f"-{abs(chat_id)}00",
            "data": data,
        }
        return {"update_id": next(self._update_ids), "callback_query": callback}

    def make_my_chat_member_update(self, chat_id: int, new_status: str = "kicked") -> dict[str, Any]:
        """What Telegram sends when a user blocks ("kicked") or unblocks ("member") the bot in a private
        chat."""

        def member(status: str) -> dict[str, Any]:
            return {"user": self.bot_user, "status": status} | (
                {"until_date": 0} if status == "kicked" else {}
            )

        return {
            "update_id": next(self._update_ids),
            "my_chat_member": {
                "chat": self._chat(chat_id),
                "from": self._user(chat_id, None, None),
                "date": int(time.time()),
                "old_chat_member": member("member" if new_status == "kicked" else "kicked"),
                "new_chat_member": member(new_status),
            },
        }

    def push_message(self, chat_id: int, text: str, **kwargs: Any) -> dict[str, Any]:
        return self.push_update(self.make_message_update(chat_id, text, **kwargs))

    def push_callback(self, chat_id: int, data: str, message_id: int, **kwargs: Any) -> dict[str, Any]:
        return self.push_update(self.make_callback_update(chat_id, data, message_id, **kwargs))

    def block_chat(self, chat_id: int, *, with_update: bool = False) -> None:
        """The user blocks the bot: every call aimed at the chat answers 403 (aiogram:
        TelegramForbiddenError).

        `with_update=True` also queues the my_chat_member update Telegram sends in that case.
        """
        self._blocked.add(chat_id)
        if with_update:
            self.push_update(self.make_my_chat_member_update(chat_id, "kicked"))

    def unblock_chat(self, chat_id: int, *, with_update: bool = False) -> None:
        self._blocked.discard(chat_id)
        if with_update:
            self.push_update(self.make_my_chat_member_update(chat_id, "member"))

    # ---- failures -----------------------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int = 429,
        *,
        retry_after: int | None = 1,
        description: str | None = None,
        times: int = 1,
    ) -> None:
        """The next `times` calls of `method` fail with `status` in Telegram's shape, before doing anything.

        429 carries `parameters.retry_after` (aiogram: TelegramRetryAfter); other statuses ignore retry_after.
        """
        wait = retry_after if status == HTTPStatus.TOO_MANY_REQUESTS else None
        for _ in range(times):
            self._failures[method.lower()].append((status, error_body(status, description, wait)))

    def outage(self, seconds: float | None = None) -> None:
        """Every call answers 502 Bad Gateway (aiogram: TelegramServerError) for `seconds`, or until
        cleared."""
        self._outage_until = math.inf if seconds is None else time.monotonic() + seconds

    def clear_outage(self) -> None:
        self._outage_until = None

    # ---- HTTP ---------------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        at = time.monotonic()
        method = request.match_info["method"]
        params = decode_params(request.query) | decode_params(await request.post())
        status, body = await self._answer(request.match_info["token"], method, params)
        self.calls.append(ApiCall(method, params, at, status))
        return web.json_response(body, status=status)

    async def _answer(self, token: str, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, error_body(401, "Unauthorized")
        handler = self._handlers.get(method.lower())
        if handler is None:
            return 404, error_body(404, "Not Found")
        if self._outage_until is not None and time.monotonic() < self._outage_until:
            return 502, error_body(502, "Bad Gateway")
        if failures := self._failures.get(method.lower()):
            return failures.popleft()
        try:
            return 200, {"ok": True, "result": await handler(params)}
        except ApiError as exc:
            return exc.status, exc.body

    # ---- methods ------------------------------------------------------------------------------------------

    async def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise ApiError(400, "Bad Request: message is too long")
        markup = self._inline_markup(params)
        self._check_rate(chat_id)
        message: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
            "text": text,
        }
        if markup is not None:
            message["reply_markup"] = markup
        self._messages[(chat_id, message["message_id"])] = message
        return copy.deepcopy(message)

    async def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in params:
            return True
        text = params.get("text")
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        return self._edit(params, text=text)

    async def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if "inline_message_id" in params:
            return True
        return self._edit(params, text=None)

    def _edit(self, params: dict[str, Any], text: str | None) -> dict[str, Any]:
        message = self._find_message(params, "Bad Request: message to edit not found")
        new_text = message["text"] if text is None else text
        # No reply_markup in an edit removes the inline keyboard, as on Telegram.
        markup = self._inline_markup(params)
        if new_text == message["text"] and markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = new_text
        message.pop("reply_markup", None)
        if markup is not None:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return copy.deepcopy(message)

    async def _delete_message(self, params: dict[str, Any]) -> bool:
        message = self._find_message(params, "Bad Request: message to delete not found")
        del self._messages[(message["chat"]["id"], message["message_id"])]
        return True

    async def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: QUERY_ID_INVALID")
        self.answered_callbacks[params["callback_query_id"]] = params
        return True

    async def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be an array")
        for command in commands:
            if not BOT_COMMAND.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[params.get("language_code", "")] = commands
        return True

    async def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(params.get("language_code", ""), [])

    async def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url", "")
        if not url:
            return await self._delete_webhook(params)
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.fullmatch(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = params.get("allowed_updates")
        self.webhook = Webhook(url=url, secret_token=secret, allowed_updates=allowed)
        if allowed is not None:
            self._allowed_updates = allowed
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook.url if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook and self.webhook.allowed_updates:
            info["allowed_updates"] = self.webhook.allowed_updates
        return info

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = params.get("offset")
        if isinstance(offset, int):  # confirms (forgets) everything below it; negative: keep the last -offset
            self._updates = (
                self._updates[offset:]
                if offset < 0
                else [update for update in self._updates if update["update_id"] >= offset]
            )
        if "allowed_updates" in params:
            self._allowed_updates = params["allowed_updates"]
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        deadline = time.monotonic() + min(float(params.get("timeout", 0)), self.max_poll_wait)

        self._poll_generation += 1
        generation = self._poll_generation
        self._wake_pollers()  # an older long poll now ends with 409, as on Telegram
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            visible = [update for update in self._updates if self._is_allowed(update)]
            remaining = deadline - time.monotonic()
            if visible or remaining <= 0 or self._closing:
                return copy.deepcopy(visible[:limit])
            wakeup = self._wakeup
            try:
                await asyncio.wait_for(wakeup.wait(), remaining)
            except TimeoutError:
                pass

    # ---- helpers ------------------------------------------------------------------------------------------

    def _wake_pollers(self) -> None:
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _is_allowed(self, update: dict[str, Any]) -> bool:
        kind = _update_type(update)
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in NOT_DEFAULT_UPDATE_TYPES

    def _target_chat(self, params: dict[str, Any]) -> int:
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self._blocked:
            raise ApiError(403, BLOCKED)
        return chat_id

    def _find_message(self, params: dict[str, Any], not_found: str) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        message = self._messages.get((chat_id, params.get("message_id")))  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, not_found)
        return message

    def _inline_markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        """The reply_markup a sent message keeps: only inline keyboards are part of a Message."""
        markup = params.get("reply_markup")
        if not isinstance(markup, dict) or "inline_keyboard" not in markup:
            return None
        for row in markup["inline_keyboard"]:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _check_rate(self, chat_id: int) -> None:
        """Answer 429 when this send would exceed the configured limits; count only sends that go through."""
        if self.rate_limit is None:
            return
        now = time.monotonic()
        limits = [(chat_id, self.rate_limit.per_chat), ("*", self.rate_limit.overall)]
        waits: list[float] = []
        for key, limit in limits:
            if limit is None:
                continue
            count, window = limit
            stamps = self._send_times[key]
            while stamps and stamps[0] <= now - window:
                stamps.popleft()
            if len(stamps) >= count:
                waits.append(stamps[0] + window - now)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        for key, limit in limits:
            if limit is not None:
                self._send_times[key].append(now)

    def _next_message_id(self, chat_id: int) -> int:
        """Message ids count per chat, as in private chats on Telegram."""
        self._last_message_id[chat_id] += 1
        return self._last_message_id[chat_id]

    def _user(
        self, chat_id: int, user_id: int | None, language_code: str | None, first_name: str = "Pat"
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id or chat_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    @staticmethod
    def _chat(chat_id: int, first_name: str = "Pat") -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": first_name}
        return {"id": chat_id, "type": "group", "title": "Group"}
