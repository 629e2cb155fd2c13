"""The staff console: server-rendered pages (Jinja2 via aiohttp-jinja2), one module per area.

Adding a page: write `bot/web/console/<area>.py` with `routes = web.RouteTableDef()`, decorate each handler
with `@requires(Perm.X)` (bot.web.auth; a handler without it is refused to everyone), render with
`bot.web.console.render.render(request, "<template>.html", {...})` (templates extend `base.html`), put a
CSRF field `<input type="hidden" name="csrf_token" value="{{ csrf_token }}">` in every form, audit reads of
personal data and every change with `bot.storage.audit.append`, and list the module in `MODULES` below
(or call `add_module(app, module)` from `bot.web.app.build_web_app`). A module's `NAV` list adds links to
the top navigation, shown to the roles that hold each link's permission.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.web.console import admin, content, dashboard, home, outbox, patients, pv, session, tasks
from bot.web.console.render import FILTERS, NAV

HERE = Path(__file__).resolve().parent
MODULES: tuple[ModuleType, ...] = (session, home, patients, tasks, pv, outbox, dashboard, content, admin)


def add_module(app: web.Application, module: ModuleType) -> None:
    """Register a console module's routes and navigation links."""
    app.router.add_routes(module.routes)
    app[NAV].extend(getattr(module, "NAV", []))


def setup_console(app: web.Application) -> None:
    aiohttp_jinja2.setup(
        app,
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        undefined=jinja2.StrictUndefined,
        filters=FILTERS,  # type: ignore[arg-type]
        autoescape=True,
    )
    app[NAV] = []
    for module in MODULES:
        add_module(app, module)
    app.router.add_static("/staff/static/", HERE / "static", name="console-static", append_version=False)
