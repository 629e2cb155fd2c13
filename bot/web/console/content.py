"""Approved content: every module's language files with approval reference, expiry and whether it is served
today."""

from __future__ import annotations

from aiohttp import web

from bot.learn.status import content_status
from bot.staff.roles import Perm
from bot.web.auth import requires
from bot.web.console.render import NavItem, render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Content", "/staff/content", Perm.PATIENTS_VIEW, order=60)]
BADGE = {
    "servable": "ok",
    "expiring": "warn",
    "expired": "danger",
    "unapproved": "danger",
    "not_yet_approved": "info",
}


@routes.get("/staff/content")
@requires(Perm.PATIENTS_VIEW)
async def content_page(request: web.Request) -> web.StreamResponse:
    """No personal data here: every role that can sign in may see what patients can be sent."""
    services = request.app[SERVICES]
    today = services.clock().date()
    rows = content_status(services.modules, today)
    problems = sum(1 for row in rows if row.status != "servable")
    context = {
        "title": "Approved content",
        "rows": rows,
        "today": today,
        "badge": BADGE,
        "problems": problems,
    }
    return render(request, "content.html", context)
