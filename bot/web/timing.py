"""Receipt-to-commit time of inbound webhooks, measured around the route (bot.metrics).

Every inbound webhook handler answers only after the message is committed (stored, replies in the outbox),
so the time from the request's arrival to a 200 answer is the receipt-to-commit latency. Measuring it here
keeps the channel intake code untouched; refused requests (403, 400, 5xx) are not observed.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.keys import SERVICES

#: Inbound webhook routes and the channel their messages arrive on (status callbacks are not inbound).
WEBHOOK_CHANNELS = {
    "/webhooks/telegram": "telegram",
    "/webhooks/twilio/sms": "sms",
    "/webhooks/twilio/whatsapp": "whatsapp",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def webhook_timing(request: web.Request, handler: Handler) -> web.StreamResponse:
    channel = WEBHOOK_CHANNELS.get(request.path) if request.method == "POST" else None
    if channel is None:
        return await handler(request)
    received = time.perf_counter()
    response = await handler(request)
    if response.status == 200:
        request.app[SERVICES].metrics.observe_receipt_to_commit(channel, time.perf_counter() - received)
    return response
