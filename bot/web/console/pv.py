"""The PV queue's place in the console (a stub: the pharmacovigilance feature replaces these pages).

What exists: `/staff/pv` lists open cases by due time, `/staff/pv/cases/{id}` shows one case with the
messages that raised it and the words that triggered it. The PV feature adds triage, assignment,
forwarding and closing here (handlers with `@requires(Perm.PV_WORK)`, each change audited), keeping these
paths: the home page and the patient timeline link to them.
"""

from __future__ import annotations

from aiohttp import web

from bot.staff.roles import Perm, can
from bot.storage import audit
from bot.storage import console as store
from bot.web.auth import identity, requires
from bot.web.console.render import NavItem, error_page, render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("PV queue", "/staff/pv", Perm.PV_VIEW, order=30)]


@routes.get("/staff/pv")
@requires(Perm.PV_VIEW)
async def queue(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    async with services.sessions() as session:
        cases = await store.open_pv_cases(session, limit=500)
    return render(request, "pv.html", {"title": "PV queue", "cases": cases})


@routes.get(r"/staff/pv/cases/{case_id:\d+}")
@requires(Perm.PV_VIEW)
async def case_page(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    show_bodies = can(who.role, Perm.MESSAGE_BODIES)
    async with services.sessions() as session, session.begin():
        found = await store.pv_case(session, int(request.match_info["case_id"]))
        if found is None:
            return await error_page(request, 404, "No such case", "There is no PV case with that number.")
        case, ref = found
        messages = await store.pv_case_messages(session, case.id, with_bodies=show_bodies)
        await audit.append(
            session, actor=who.actor, action="pv.case.view", target=f"pv_case:{case.id}", now=services.clock(),
            detail={"patient": ref, "personal_data_shown": ["messages"] if show_bodies else []},
        )
    return render(request, "pv_case.html", {"title": f"PV case #{case.id}", "case": case, "ref": ref, "messages": messages, "show_bodies": show_bodies})
