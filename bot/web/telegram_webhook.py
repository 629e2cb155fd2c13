"""POST /webhooks/telegram: Telegram updates in webhook mode.

We check the secret ourselves (aiogram's stock handler answers 401, and accepts anything when no secret is
set): a missing or wrong `X-Telegram-Bot-Api-Secret-Token` is 403 and nothing is read or stored. A good update
is handled completely — stored, replies in the outbox — before we answer 200, so an update Telegram sees
acknowledged is never lost; when storing fails we answer 500 and Telegram delivers it again (the duplicate is
recognised). This is why aiogram's SimpleRequestHandler (background mode) is not used.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any, Protocol

from aiohttp import web

from bot.web.keys import SERVICES

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookTarget(Protocol):
    """What bot.channels.telegram.TelegramChannel offers this route (no aiogram import here)."""

    mode: str
    accepting: bool

    async def feed_webhook(self, payload: dict[str, Any]) -> None: ...


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status)


async def telegram_webhook(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    target: WebhookTarget | None = services.channels.get("telegram")  # type: ignore[assignment]
    if target is None:
        return _error(404, "telegram channel is off (TELEGRAM_BOT_TOKEN is not set)")
    if target.mode != "webhook":
        return _error(404, "telegram channel uses long polling (PSP_PUBLIC_URL is not set)")
    expected = services.settings.telegram_webhook_secret or ""
    given = request.headers.get(SECRET_HEADER, "")
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return _error(403, "missing or wrong secret token")
    if not target.accepting:
        return _error(503, "telegram channel is starting or shutting down")
    try:
        payload = await request.json()
    except ValueError:
        return _error(400, "body is not JSON")
    if not isinstance(payload, dict) or not isinstance(payload.get("update_id"), int):
        return _error(400, "body is not a Telegram update")
    try:
        await target.feed_webhook(payload)
    except ValueError as exc:  # BadUpdate: Telegram would resend it forever, so say why and move on
        log.warning("telegram update %s rejected: %s", payload.get("update_id"), exc)
        return _error(400, str(exc))
    except Exception:
        log.exception("telegram update %s not stored", payload.get("update_id"))
        return _error(500, "update not stored; send it again")
    return web.json_response({"ok": True})
