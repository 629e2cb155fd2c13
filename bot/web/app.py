"""The aiohttp application factory: one place that lists every route."""

from __future__ import annotations

from aiohttp import web

from bot.app import Services
from bot.web import health, telegram_webhook
from bot.web.keys import SERVICES


def build_web_app(services: Services) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[SERVICES] = services
    app.router.add_get("/healthz", health.healthz)
    app.router.add_get("/metrics", health.metrics)
    app.router.add_post("/webhooks/telegram", telegram_webhook.telegram_webhook)
    return app
