"""Rendering console pages: the shared context (who, CSRF token, navigation), filters and error pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web

from bot.staff.privacy import mask
from bot.staff.roles import ROLE_LABELS, Perm, can
from bot.staff.timeline import countdown, task_label
from bot.web.auth import STAFF
from bot.web.keys import SERVICES


@dataclass(frozen=True)
class NavItem:
    """A link in the console's top navigation, shown to roles holding `permission`."""

    label: str
    path: str
    permission: Perm
    order: int = 50


NAV: web.AppKey[list[NavItem]] = web.AppKey("console_nav", list)

# Messages shown after a redirect (`?notice=key`): fixed texts, so nothing from the URL is echoed.
NOTICES = {
    "assigned": "Task assigned.",
    "noted": "Note added.",
    "resolved": "Task resolved.",
    "requeued": "Message queued for another attempt.",
    "not-dead": "That message is no longer dead-lettered.",
    "disabled": "Account disabled; its sessions have ended.",
    "enabled": "Account enabled.",
    "revoked": "Token revoked.",
    "erased": "The patient's personal data was erased.",
}


def fmt_dt(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _context(request: web.Request) -> dict[str, Any]:
    who = request.get(STAFF)
    items = request.app[NAV] if who else []
    return {
        "staff": who,
        "role_label": ROLE_LABELS.get(who.role, str(who.role)) if who else "",
        "csrf_token": who.csrf_token if who else "",
        "nav": sorted((i for i in items if can(who.role, i.permission)), key=lambda i: i.order)
        if who
        else [],
        "current": request.path,
        "can": (lambda perm: bool(who) and can(who.role, perm)),  # type: ignore[union-attr]
        "Perm": Perm,
        "now": request.app[SERVICES].clock(),
        "notice": NOTICES.get(request.query.get("notice", "")),
    }


def render(
    request: web.Request, template: str, context: Mapping[str, Any], *, status: int = 200
) -> web.Response:
    return aiohttp_jinja2.render_template(template, request, {**_context(request), **context}, status=status)


async def error_page(request: web.Request, status: int, title: str, message: str) -> web.Response:
    return render(request, "error.html", {"title": title, "message": message}, status=status)


def see_other(path: str, notice: str | None = None) -> web.HTTPSeeOther:
    """Post/redirect/get: after a change, the browser lands on a page it can reload safely."""
    return web.HTTPSeeOther(path + (f"?notice={notice}" if notice else ""))


FILTERS = {
    "dt": fmt_dt,
    "mask": mask,
    "countdown": countdown,
    "task_label": task_label,
}
