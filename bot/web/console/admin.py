"""Administration: staff accounts, API tokens and the audit log (administrators only)."""

from __future__ import annotations

from aiohttp import web

from bot.staff import accounts, store
from bot.staff.roles import ROLE_LABELS, Perm, Role
from bot.storage import audit
from bot.web.auth import identity, requires
from bot.web.console.render import NavItem, error_page, render, see_other
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [
    NavItem("Staff", "/staff/admin/staff", Perm.STAFF_MANAGE, order=60),
    NavItem("Audit log", "/staff/admin/audit", Perm.AUDIT_VIEW, order=70),
]


async def _staff_page(request: web.Request, **extra: object) -> web.Response:
    services = request.app[SERVICES]
    async with services.sessions() as session:
        users = await store.list_users(session)
        tokens = await store.list_tokens(session)
    context = {
        "title": "Staff and API tokens",
        "users": users,
        "tokens": tokens,
        "roles": list(Role),
        "role_labels": ROLE_LABELS,
    }
    context.update({"created_password": None, "created_user": None, "created_token": None, "error": None})  # type: ignore[dict-item]
    context.update(extra)  # type: ignore[arg-type]
    return render(request, "admin_staff.html", context, status=400 if extra.get("error") else 200)


@routes.get("/staff/admin/staff")
@requires(Perm.STAFF_MANAGE)
async def staff_page(request: web.Request) -> web.StreamResponse:
    return await _staff_page(request)


@routes.post("/staff/admin/staff")
@requires(Perm.STAFF_MANAGE)
async def create_account(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    form = await request.post()
    try:
        user, password = await accounts.create_account(
            services.sessions,
            username=str(form.get("username", "")),
            role=str(form.get("role", "")),
            password=None,
            actor=who.actor,
            now=services.clock(),
        )
    except accounts.AccountError as exc:
        return await _staff_page(request, error=str(exc))
    # Shown once, on this response only (no redirect: the password never appears in a URL or a later page).
    return await _staff_page(request, created_user=user.username, created_password=password)


@routes.post(r"/staff/admin/staff/{username}/{action:disable|enable}")
@requires(Perm.STAFF_MANAGE)
async def set_active(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    username, action = request.match_info["username"], request.match_info["action"]
    if username == who.username and action == "disable":
        return await error_page(request, 400, "Not disabled", "You cannot disable your own account.")
    try:
        await accounts.set_account_active(
            services.sessions,
            username=username,
            active=action == "enable",
            actor=who.actor,
            now=services.clock(),
        )
    except accounts.AccountError as exc:
        return await error_page(request, 404, "No such account", str(exc))
    raise see_other("/staff/admin/staff", "enabled" if action == "enable" else "disabled")


@routes.post("/staff/admin/tokens")
@requires(Perm.STAFF_MANAGE)
async def create_token(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    form = await request.post()
    try:
        _, token = await accounts.create_token(
            services.sessions,
            username=str(form.get("username", "")),
            name=str(form.get("name", "")),
            actor=who.actor,
            now=services.clock(),
        )
    except accounts.AccountError as exc:
        return await _staff_page(request, error=str(exc))
    return await _staff_page(request, created_token=token)


@routes.post(r"/staff/admin/tokens/{token_id:\d+}/revoke")
@requires(Perm.STAFF_MANAGE)
async def revoke_token(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    try:
        await accounts.revoke_token(
            services.sessions,
            token_id=int(request.match_info["token_id"]),
            actor=who.actor,
            now=services.clock(),
        )
    except accounts.AccountError as exc:
        return await error_page(request, 404, "No such token", str(exc))
    raise see_other("/staff/admin/staff", "revoked")


@routes.get("/staff/admin/audit")
@requires(Perm.AUDIT_VIEW)
async def audit_page(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    target = request.query.get("target") or None
    async with services.sessions() as session:
        entries = await audit.recent(session, limit=200, target=target)
        check = await audit.verify(session) if request.query.get("verify") else None
    return render(
        request,
        "audit.html",
        {"title": "Audit log", "entries": entries, "check": check, "target": target or ""},
    )
