"""/healthz (JSON status of the database and each channel) and /metrics (Prometheus text)."""

from __future__ import annotations

import hmac
from datetime import datetime

from aiohttp import web
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.metrics import CONTENT_TYPE, Snapshot, snapshot_text
from bot.pv import store as pv
from bot.storage import db
from bot.storage.models import Message, OutboxItem, PvCase
from bot.web.keys import SERVICES


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    database_ok = await db.ping(services.engine)
    body = {
        "status": "ok" if database_ok else "degraded",
        "database": {"ok": database_ok, "backend": services.engine.dialect.name},
        "channels": services.channel_status,
    }
    return web.json_response(body, status=200 if database_ok else 503)


LOOPBACK = ("127.0.0.1", "::1")


def _metrics_refused(request: web.Request) -> web.Response | None:
    """/metrics shows PV case counts: bearer PSP_METRICS_TOKEN when it is set, else loopback callers only."""
    token = request.app[SERVICES].settings.psp_metrics_token
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode("utf-8", "replace"), f"Bearer {token}".encode()):
            return None
        return web.Response(
            status=401, text="bearer PSP_METRICS_TOKEN required\n", headers={"WWW-Authenticate": "Bearer"}
        )
    if request.remote in LOOPBACK:
        return None
    return web.Response(
        status=403, text="/metrics answers only on 127.0.0.1 unless PSP_METRICS_TOKEN is set\n"
    )


async def _due_by_channel(session: AsyncSession, now: datetime) -> dict[str, tuple[int, datetime]]:
    """Rows the dispatcher would claim now (as `outbox.claim_due` selects them) and since when the oldest
    has been due, per channel."""
    due = or_(
        (OutboxItem.status == "pending") & (OutboxItem.next_attempt_at <= now),
        (OutboxItem.status == "sending") & (OutboxItem.lease_until < now),
    )
    rows = await session.execute(
        select(OutboxItem.channel, func.count(), func.min(OutboxItem.next_attempt_at))
        .where(due)
        .group_by(OutboxItem.channel)
    )
    return {channel: (n, oldest) for channel, n, oldest in rows.all()}


async def metrics(request: web.Request) -> web.Response:
    """Latency histograms of this process, queue depth and age, and counts read from the database (so every
    process reports the same truth), in Prometheus text format (bot.metrics)."""
    if (refused := _metrics_refused(request)) is not None:
        return refused
    services = request.app[SERVICES]
    now = services.clock()
    async with services.sessions() as session:
        outbox_rows = (
            await session.execute(select(OutboxItem.status, func.count()).group_by(OutboxItem.status))
        ).all()
        messages = (
            await session.execute(
                select(Message.channel, Message.direction, func.count()).group_by(
                    Message.channel, Message.direction
                )
            )
        ).all()
        cases = (await session.execute(select(PvCase.status, func.count()).group_by(PvCase.status))).all()
        overdue = await pv.count_overdue(session, now)
        queues = await _due_by_channel(session, now)
    services.metrics.set_outbox_queue(
        {channel: (n, (now - oldest).total_seconds()) for channel, (n, oldest) in queues.items()}
    )
    stats = services.dispatcher.stats
    snapshot = Snapshot(
        outbox_rows=[(status, n) for status, n in outbox_rows],
        messages=[(c, d, n) for c, d, n in messages],
        pv_cases=[(status, n) for status, n in cases],
        pv_cases_overdue=overdue,
        dispatch_sent=stats.sent,
        dispatch_retries=stats.retried,
        channels_up={name: status.startswith("on") for name, status in services.channel_status.items()},
    )
    return web.Response(
        body=services.metrics.render() + snapshot_text(snapshot),
        headers={"Content-Type": CONTENT_TYPE, "X-Content-Type-Options": "nosniff"},
    )
