"""The JSON API under /api/v1, for staff tools and analysts; bearer tokens (see bot.web.auth).

Routes: `GET /api/v1/me`, `GET /api/v1/pv/cases[?status=open]`, `GET /api/v1/pv/cases/{id}`,
`GET /api/v1/exports/{kind}`. Adding a route: a handler decorated with `@requires(Perm.X)`, registered with
`app.router.add_get("/api/v1/...", handler)` in `setup_api` (or from `build_web_app`).

Exports are a registry so the analytics feature plugs in without touching this module:
`register_export(app, "adherence", handler)` where `handler(request) -> web.StreamResponse` reads its own
query parameters (`format`, `from`, `to`). The route checks `Perm.EXPORTS` (analyst, admin) and writes an
audit entry before calling it; an unknown kind answers 404 listing the known ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.staff import console_store as store
from bot.staff.roles import Perm, can
from bot.storage import audit
from bot.web.auth import identity, requires, signed_in
from bot.web.keys import SERVICES

ExportHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
EXPORTS: web.AppKey[dict[str, ExportHandler]] = web.AppKey("api_exports", dict)
PREFIX = "/api/v1"


def register_export(app: web.Application, kind: str, handler: ExportHandler) -> None:
    """Make `GET /api/v1/exports/{kind}` serve `handler` (before the app starts)."""
    app[EXPORTS][kind] = handler


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _case_json(case: Any, ref: str | None, now: datetime) -> dict[str, Any]:
    return {
        "id": case.id,
        "patient_ref": ref,
        "status": case.status,
        "kind": case.kind,
        "situations": list(case.situations),
        "serious": case.serious,
        "product": case.product,
        "program_id": case.program_id,
        "opened_at": _iso(case.opened_at),
        "due_at": _iso(case.due_at),
        "seconds_to_due": int((case.due_at - now).total_seconds()),
        "last_message_at": _iso(case.last_message_at),
        "assigned_to": case.assigned_to,
        "forwarded_reference": case.forwarded_reference,
    }


@signed_in
async def me(request: web.Request) -> web.StreamResponse:
    who = identity(request)
    return web.json_response({"username": who.username, "role": who.role.value, "token_id": who.token_id})


@requires(Perm.PV_VIEW)
async def pv_cases(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    status = request.query.get("status") or None
    if status not in (None, "open", "forwarded", "closed"):
        return web.json_response({"error": "status must be open, forwarded or closed"}, status=400)
    now = services.clock()
    async with services.sessions() as session:
        rows = await store.pv_cases(session, status=status)
    return web.json_response({"cases": [_case_json(case, ref, now) for case, ref in rows]})


@requires(Perm.PV_VIEW)
async def pv_case(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    with_text = can(who.role, Perm.MESSAGE_BODIES)
    now = services.clock()
    async with services.sessions() as session, session.begin():
        found = await store.pv_case(session, int(request.match_info["case_id"]))
        if found is None:
            return web.json_response({"error": "not found"}, status=404)
        case, ref = found
        messages = await store.pv_case_messages(session, case.id, with_bodies=with_text)
        await audit.append(
            session,
            actor=who.actor,
            action="api.pv.case.view",
            target=f"pv_case:{case.id}",
            now=now,
            detail={"patient": ref, "personal_data_shown": ["messages"] if with_text else []},
        )
    body = _case_json(case, ref, now)
    body["messages"] = [
        {
            "id": m.id,
            "received_at": _iso(m.created_at),
            "channel": m.channel,
            "evidence": list(m.evidence),
            **({"text": m.body} if with_text else {}),
        }
        for m in messages
    ]
    return web.json_response(body)


@requires(Perm.EXPORTS)
async def export(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    kind = request.match_info["kind"]
    handler = request.app[EXPORTS].get(kind)
    if handler is None:
        kinds = sorted(request.app[EXPORTS])  # type: ignore[index]
        return web.json_response({"error": f"unknown export {kind!r}", "kinds": kinds}, status=404)
    async with services.sessions() as session, session.begin():
        await audit.append(
            session,
            actor=who.actor,
            action="api.export",
            target=f"export:{kind}",
            now=services.clock(),
            detail={key: value for key, value in request.query.items() if key in ("format", "from", "to")},
        )
    return await handler(request)


def setup_api(app: web.Application) -> None:
    app[EXPORTS] = {}
    app.router.add_get(f"{PREFIX}/me", me)
    app.router.add_get(f"{PREFIX}/pv/cases", pv_cases)
    app.router.add_get(PREFIX + r"/pv/cases/{case_id:\d+}", pv_case)
    app.router.add_get(PREFIX + "/exports/{kind}", export)
