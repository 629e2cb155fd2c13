"""Approved content: every module's language files with approval reference, expiry and whether it is served
today."""

from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from bot.core.programs import Program
from bot.learn.modules import PLACEHOLDER, fill_placeholders, placeholder_values
from bot.learn.status import StatusRow, content_status
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
        "titles": {(row.module_id, row.language): as_patients_see(row, services.programs) for row in rows},
        "today": today,
        "badge": BADGE,
        "problems": problems,
    }
    return render(request, "content.html", context)


def as_patients_see(row: StatusRow, programs: Mapping[str, Program]) -> list[tuple[str, str]]:
    """The title with its placeholders filled as a patient of each of the module's programs reads it (the
    program's default country), as (program name, title) pairs; one pair without a name when all read the
    same."""
    if not PLACEHOLDER.search(row.title):
        return [("", row.title)]
    seen = [
        (
            programs[pid].name,
            fill_placeholders(row.title, placeholder_values(programs[pid], None, row.language)),
        )
        for pid in row.programs
        if pid in programs
    ]
    if len({title for _, title in seen}) <= 1:
        return [("", seen[0][1])] if seen else [("", row.title)]
    return seen
