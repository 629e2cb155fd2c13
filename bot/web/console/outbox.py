"""Dead-lettered outbound messages: what failed and why, and a retry button."""

from __future__ import annotations

from aiohttp import web

from bot.staff import console_store as store
from bot.staff.roles import Perm
from bot.storage import audit, outbox
from bot.web.auth import identity, requires
from bot.web.console.render import NavItem, render, see_other
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Undelivered", "/staff/outbox", Perm.OUTBOX_VIEW, order=40)]


@routes.get("/staff/outbox")
@requires(Perm.OUTBOX_VIEW)
async def dead_letters(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    async with services.sessions() as session:
        rows = await store.dead_letters(session)
    return render(request, "outbox.html", {"title": "Undelivered messages", "rows": rows})


@routes.post(r"/staff/outbox/{outbox_id:\d{1,9}}/retry")
@requires(Perm.OUTBOX_RETRY)
async def retry(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    outbox_id, now = int(request.match_info["outbox_id"]), services.clock()
    async with services.sessions() as session, session.begin():
        requeued = await outbox.requeue_dead(session, outbox_id, now)
        if requeued:
            ref = await store.outbox_target(session, outbox_id)
            await audit.append(
                session,
                actor=who.actor,
                action="outbox.retry",
                target=f"outbox:{outbox_id}",
                now=now,
                detail={"patient": ref},
            )
    raise see_other("/staff/outbox", "requeued" if requeued else "not-dead")
