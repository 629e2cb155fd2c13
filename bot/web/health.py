"""/healthz (JSON status of the database and each channel) and /metrics (Prometheus text)."""

from __future__ import annotations

import hmac

from aiohttp import web
from sqlalchemy import func, select

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


async def metrics(request: web.Request) -> web.Response:
    """A handful of counters read from the database, so every process reports the same truth."""
    if (refused := _metrics_refused(request)) is not None:
        return refused
    services = request.app[SERVICES]
    lines: list[str] = []
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
        overdue = await pv.count_overdue(session, services.clock())
    lines += ["# HELP psp_outbox_rows Outbox rows by status.", "# TYPE psp_outbox_rows gauge"]
    lines += [f'psp_outbox_rows{{status="{status}"}} {n}' for status, n in outbox_rows]
    lines += [
        "# HELP psp_messages_total Messages stored, by channel and direction.",
        "# TYPE psp_messages_total counter",
    ]
    lines += [f'psp_messages_total{{channel="{c}",direction="{d}"}} {n}' for c, d, n in messages]
    lines += ["# HELP psp_pv_cases PV cases by status.", "# TYPE psp_pv_cases gauge"]
    lines += [f'psp_pv_cases{{status="{status}"}} {n}' for status, n in cases]
    lines += [
        "# HELP psp_pv_cases_overdue Open PV cases past their deadline.",
        "# TYPE psp_pv_cases_overdue gauge",
    ]
    lines.append(f"psp_pv_cases_overdue {overdue}")
    stats = services.dispatcher.stats
    lines += [
        "# HELP psp_dispatch_sent_total Messages sent by this process.",
        "# TYPE psp_dispatch_sent_total counter",
    ]
    lines.append(f"psp_dispatch_sent_total {stats.sent}")
    lines += [
        "# HELP psp_dispatch_retries_total Send attempts retried by this process.",
        "# TYPE psp_dispatch_retries_total counter",
    ]
    lines.append(f"psp_dispatch_retries_total {stats.retried}")
    for name, status in services.channel_status.items():
        lines.append(
            f'psp_channel_up{{channel="{name}"}} {1 if status == "on" or status.startswith("on") else 0}'
        )
    return web.Response(
        text="\n".join(lines) + "\n",
        content_type="text/plain",
        charset="utf-8",
        headers={"X-Content-Type-Options": "nosniff"},
    )
