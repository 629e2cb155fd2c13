"""The home page: what needs attention now (PV cases by due time, support tasks, undelivered messages)."""

from __future__ import annotations

from aiohttp import web

from bot.pv import review_store
from bot.staff import console_store as store
from bot.staff.roles import Perm, can
from bot.web.auth import identity, signed_in
from bot.web.console.render import NavItem, render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Home", "/staff/", Perm.PATIENTS_VIEW, order=0)]


@routes.get("/staff")
@signed_in
async def bare(request: web.Request) -> web.StreamResponse:
    raise web.HTTPSeeOther("/staff/")


@routes.get("/staff/")
@signed_in
async def home(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    context: dict[str, object] = {"title": "Home", "cases": None, "tasks": None, "dead": None}
    async with services.sessions() as session:
        if can(who.role, Perm.PV_VIEW):
            context["cases"] = await store.open_pv_cases(session, limit=25)
            context["case_count"] = await store.count_pv_cases(session)
            context["review_count"], _ = await review_store.count_open(session, services.clock())
        if can(who.role, Perm.TASKS_VIEW):
            context["tasks"] = await store.tasks(session, status="open", limit=10)
            context["task_counts"] = await store.count_tasks(session)
        if can(who.role, Perm.OUTBOX_VIEW):
            context["dead"] = await store.dead_letters(session, limit=10)
            context["dead_count"] = await store.count_dead(session)
    return render(request, "home.html", context)
