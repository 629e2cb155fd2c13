"""Who may call what: console sessions, API bearer tokens, CSRF, security headers. Deny by default.

Every handler under `/staff/` and `/api/` declares what it needs with `@requires(Perm.X)` (or `@public`
for the sign-in page). One middleware enforces it before the handler runs:

- console (`/staff/...`): the session cookie (HttpOnly, SameSite=Strict, Secure and `__Host-` prefixed when
  PSP_PUBLIC_URL is https) names a server-side session row. No session: GET is redirected to the sign-in
  page, anything else is refused. Every POST/PUT/PATCH/DELETE must carry the session's CSRF token (form field
  `csrf_token` or header `X-CSRF-Token`); the sign-in form uses a double-submit cookie instead.
- API (`/api/...`): `Authorization: Bearer psp_...`; 401 without a valid token, 403 without the permission.
- A route that declares nothing is refused to everyone (and logged), so a forgotten decorator fails closed.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from aiohttp import web

from bot.staff import accounts
from bot.staff.accounts import Identity
from bot.staff.roles import Perm, can
from bot.web.keys import SERVICES

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
H = TypeVar("H", bound=Callable[..., Any])

STAFF: web.RequestKey[Identity | None] = web.RequestKey("staff")
PUBLIC = "public"
SIGNED_IN = "signed-in"
CONSOLE_PREFIX = "/staff/"
API_PREFIX = "/api/"
STATIC_PREFIX = "/staff/static/"
CSRF_FIELD = "csrf_token"
LOGIN_CSRF_FIELD = "login_token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
_ATTR = "__psp_permission__"

CONSOLE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
API_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def requires(permission: Perm) -> Callable[[H], H]:
    """Declare the permission a console or API handler needs."""

    def mark(handler: H) -> H:
        setattr(handler, _ATTR, str(permission))
        return handler

    return mark


def public(handler: H) -> H:
    """Declare a console handler open to anonymous visitors (the sign-in page only)."""
    setattr(handler, _ATTR, PUBLIC)
    return handler


def signed_in(handler: H) -> H:
    """Declare a console handler open to every signed-in role (home, sign-out)."""
    setattr(handler, _ATTR, SIGNED_IN)
    return handler


def permission_of(handler: Any) -> str | None:
    return getattr(handler, _ATTR, None)


def identity(request: web.Request) -> Identity:
    """The signed-in staff member (handlers behind `requires` always have one)."""
    found = request.get(STAFF)
    if found is None:
        raise web.HTTPUnauthorized()
    return found


def secure_cookies(app: web.Application) -> bool:
    public_url = app[SERVICES].settings.psp_public_url
    return bool(public_url and public_url.startswith("https://"))


def session_cookie_name(app: web.Application) -> str:
    return "__Host-psp_session" if secure_cookies(app) else "psp_session"


def login_cookie_name(app: web.Application) -> str:
    return "__Host-psp_login" if secure_cookies(app) else "psp_login"


def _set_cookie(response: web.StreamResponse, app: web.Application, name: str, value: str) -> None:
    response.set_cookie(name, value, path="/", httponly=True, samesite="Strict", secure=secure_cookies(app))


def set_session_cookie(response: web.StreamResponse, app: web.Application, value: str) -> None:
    """A browser-session cookie: the server decides expiry (idle and absolute), the browser forgets it on
    exit."""
    _set_cookie(response, app, session_cookie_name(app), value)


def clear_session_cookie(response: web.StreamResponse, app: web.Application) -> None:
    response.del_cookie(
        session_cookie_name(app), path="/", secure=secure_cookies(app), httponly=True, samesite="Strict"
    )


def login_token(request: web.Request) -> str:
    """The sign-in form's double-submit token: the browser's current one, or a new one."""
    token = request.cookies.get(login_cookie_name(request.app))
    return token if token and len(token) < 100 else secrets.token_urlsafe(24)


def set_login_cookie(response: web.StreamResponse, app: web.Application, token: str) -> None:
    _set_cookie(response, app, login_cookie_name(app), token)


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a console path on this site, never an open redirect."""
    if value and value.startswith(CONSOLE_PREFIX) and not value.startswith("//") and "\\" not in value:
        return value
    return CONSOLE_PREFIX


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a).encode(), str(b).encode())


async def _form_value(request: web.Request, field: str) -> str | None:
    header = request.headers.get("X-CSRF-Token")
    if header:
        return header
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        value = (await request.post()).get(field)
        return value if isinstance(value, str) else None
    return None


def _with_headers(
    response: web.StreamResponse, headers: dict[str, str], app: web.Application
) -> web.StreamResponse:
    for key, value in headers.items():
        response.headers.setdefault(key, value)
    if secure_cookies(app):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


async def _refuse(request: web.Request, status: int, title: str, message: str) -> web.StreamResponse:
    from bot.web.console.render import error_page

    return await error_page(request, status, title, message)


async def _console(request: web.Request, handler: Handler) -> web.StreamResponse:
    services = request.app[SERVICES]
    if request.path.startswith(STATIC_PREFIX):
        return await handler(request)
    who = None
    cookie = request.cookies.get(session_cookie_name(request.app))
    if cookie and len(cookie) < 100:
        who = await accounts.resume(services.sessions, cookie, services.clock())
    request[STAFF] = who
    matched = request.match_info.http_exception is None
    needed = permission_of(request.match_info.handler) if matched else None
    if needed == PUBLIC:
        if request.method in _UNSAFE:
            sent = await _form_value(request, LOGIN_CSRF_FIELD)
            if not _same(sent, request.cookies.get(login_cookie_name(request.app))):
                return await _refuse(
                    request,
                    403,
                    "Form expired",
                    "This form has expired. Reload the sign-in page and try again.",
                )
        return await handler(request)
    if who is None:
        if request.method in ("GET", "HEAD"):
            raise web.HTTPSeeOther("/staff/login?next=" + quote(request.path_qs, safe="/"))
        return await _refuse(request, 403, "Signed out", "Your session has ended. Sign in again.")
    if not matched:
        return await _refuse(request, 404, "Not found", "There is no such page.")
    if needed is None:
        log.error("console route %s declares no permission: refused to everyone", request.path)
        return await _refuse(request, 403, "Not permitted", "This page is not available.")
    if needed != SIGNED_IN and not can(who.role, needed):
        return await _refuse(
            request,
            403,
            "Not permitted",
            "Your role does not allow this. Ask an administrator if you need it.",
        )
    if request.method in _UNSAFE and not _same(await _form_value(request, CSRF_FIELD), who.csrf_token):
        return await _refuse(
            request,
            403,
            "Form expired",
            "This form has expired or did not come from the console. Go back, reload and try again.",
        )
    return await handler(request)


def _api_error(status: int, error: str, **headers: str) -> web.Response:
    return web.json_response({"error": error}, status=status, headers=headers)


async def _api(request: web.Request, handler: Handler) -> web.StreamResponse:
    services = request.app[SERVICES]
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    who = None
    if scheme.lower() == "bearer" and token.strip():
        who = await accounts.authenticate_token(services.sessions, token.strip(), services.clock())
    request[STAFF] = who
    if who is None:
        return _api_error(
            401, "a valid bearer token is required", **{"WWW-Authenticate": 'Bearer realm="psp"'}
        )
    if request.match_info.http_exception is not None:
        return _api_error(request.match_info.http_exception.status, "not found")
    needed = permission_of(request.match_info.handler)
    if needed in (None, PUBLIC):
        log.error("API route %s declares no permission: refused to everyone", request.path)
        return _api_error(403, "not permitted")
    if needed != SIGNED_IN and not can(who.role, needed):
        return _api_error(403, f"role {who.role.value} lacks {needed}")
    return await handler(request)


@web.middleware
async def staff_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Guard the console and the API; other paths (webhooks, health) pass untouched."""
    path = request.path
    if path == "/staff" or path.startswith(CONSOLE_PREFIX):
        headers, guard = CONSOLE_HEADERS, _console
    elif path == "/api" or path.startswith(API_PREFIX):
        headers, guard = API_HEADERS, _api
    else:
        return await handler(request)
    try:
        response = await guard(request, handler)
    except web.HTTPException as exc:
        _with_headers(exc, headers, request.app)
        raise
    return _with_headers(response, headers, request.app)
