"""The aiohttp application factory: one place that lists every route."""

from __future__ import annotations

from aiohttp import web

from bot.web import api, api_exports, auth, console, health, telegram_webhook, timing, twilio_webhooks
from bot.web.keys import SERVICES, WebServices


def build_web_app(services: WebServices) -> web.Application:
    app = web.Application(
        client_max_size=1024 * 1024, middlewares=[timing.webhook_timing, auth.staff_middleware]
    )
    app[SERVICES] = services
    app.router.add_get("/healthz", health.healthz)
    app.router.add_get("/metrics", health.metrics)
    console.setup_console(app)
    api.setup_api(app)
    api_exports.setup_exports(app)
    app.router.add_post("/webhooks/twilio/sms", twilio_webhooks.inbound_sms)
    app.router.add_post("/webhooks/twilio/status", twilio_webhooks.status_callback)
    app.router.add_post("/webhooks/twilio/whatsapp", twilio_webhooks.inbound_whatsapp)
    app.router.add_post("/webhooks/telegram", telegram_webhook.telegram_webhook)
    return app
