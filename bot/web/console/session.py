"""Signing in and out of the console."""

from __future__ import annotations

from aiohttp import web

from bot.staff import accounts
from bot.web.auth import (
    STAFF,
    clear_session_cookie,
    identity,
    login_token,
    public,
    safe_next,
    set_login_cookie,
    set_session_cookie,
    signed_in,
)
from bot.web.console.render import render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()


def _login_form(
    request: web.Request, *, error: str | None = None, username: str = "", status: int = 200
) -> web.Response:
    token = login_token(request)
    response = render(
        request,
        "login.html",
        {
            "title": "Sign in",
            "error": error,
            "username": username,
            "next": safe_next(request.query.get("next")),
            "login_token": token,
        },
        status=status,
    )
    set_login_cookie(response, request.app, token)
    return response


@routes.get("/staff/login")
@public
async def login_page(request: web.Request) -> web.StreamResponse:
    if request.get(STAFF) is not None:
        raise web.HTTPSeeOther(safe_next(request.query.get("next")))
    return _login_form(request)


@routes.post("/staff/login")
@public
async def login(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    form = await request.post()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    if not username or not password:
        return _login_form(request, error="Enter your username and password.", username=username)
    result = await accounts.sign_in(
        services.sessions,
        username=username,
        password=password,
        remote=request.remote or "unknown",
        now=services.clock(),
    )
    if result.throttled_for is not None:
        minutes = max(1, round(result.throttled_for.total_seconds() / 60))
        return _login_form(
            request,
            error=f"Too many failed sign-in attempts. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}.",
            username=username,
            status=429,
        )
    if not result.ok or result.cookie_value is None:
        return _login_form(request, error="Wrong username or password.", username=username)
    response = web.HTTPSeeOther(safe_next(str(form.get("next", "")) or None))
    set_session_cookie(response, request.app, result.cookie_value)
    raise response


@routes.post("/staff/logout")
@signed_in
async def logout(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    await accounts.sign_out(services.sessions, identity(request), services.clock())
    response = web.HTTPSeeOther("/staff/login")
    clear_session_cookie(response, request.app)
    raise response
