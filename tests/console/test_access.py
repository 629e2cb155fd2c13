"""Who gets in: anonymous visitors, each role, forms without their CSRF token, throttled sign-ins,
sessions."""

from __future__ import annotations

from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web
from sqlalchemy import select

from bot.staff.roles import Role, can
from bot.storage.models import SupportTask
from bot.storage.models.staff import StaffSession
from bot.web.auth import PUBLIC, SIGNED_IN, permission_of
from tests.console.conftest import PASSWORD, Console, add_staff
from tests.console.seed import patient_with_history

SAMPLES = {
    "task_id": "1",
    "case_id": "1",
    "outbox_id": "1",
    "token_id": "1",
    "ref": "PSP-000001",
    "username": "someone",
    "action": "disable",
    "kind": "adherence",
}


def concrete_routes(app: web.Application) -> list[tuple[str, str, Any]]:
    """(method, a path that matches the route, handler) for every console and API route of the app."""
    found = []
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        if "directory" in info:  # the static files (CSS) are public on purpose
            continue
        if "path" in info:
            path = info["path"]
        else:
            path = info["formatter"].format(**SAMPLES)
            assert info["pattern"].fullmatch(path), f"sample path {path} does not match {info['formatter']}"
        if path.startswith(("/staff", "/api")) and route.method != "HEAD":
            found.append((route.method, path, route.handler))
    return found


async def test_every_console_and_api_route_refuses_an_anonymous_request(console: Console) -> None:
    routes = concrete_routes(console.app)
    assert len(routes) > 20
    public = sorted((m, p) for m, p, h in routes if permission_of(h) == PUBLIC)
    assert public == [("GET", "/staff/login"), ("POST", "/staff/login")], "only the sign-in page is open"
    for method, path, handler in routes:
        if permission_of(handler) == PUBLIC:
            continue
        response = await console.request(method, path, data={"x": "1"} if method == "POST" else None)
        body = await response.text()
        if path.startswith("/api"):
            assert response.status == 401, (method, path)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        elif method == "GET":
            assert response.status == 303, (method, path)
            assert response.headers["Location"].startswith("/staff/login?next="), path
        else:
            assert response.status == 403, (method, path)
        assert "PSP-000001" not in body


async def test_the_stylesheet_is_public_and_nothing_else_under_static(console: Console) -> None:
    response = await console.get("/staff/static/console.css")
    assert response.status == 200 and "text/css" in response.headers["Content-Type"]
    for sneaky in ("/staff/static/../auth.py", "/staff/static/%2e%2e/auth.py", "/staff/static/"):
        response = await console.get(sneaky)
        assert response.status != 200 and "import" not in await response.text(), sneaky


async def _client_for(console: Console, username: str) -> Console:
    browser = console.new_browser()
    assert (await browser.sign_in(username)).status == 303
    return browser


async def test_each_role_reaches_exactly_the_pages_its_permissions_allow(console: Console) -> None:
    for role in Role:
        await add_staff(console.services, f"u-{role.value.replace('_', '-')}", role.value)
    routes = [(p, h) for m, p, h in concrete_routes(console.app) if m == "GET" and permission_of(h) != PUBLIC]
    for role in Role:
        browser = await _client_for(console, f"u-{role.value.replace('_', '-')}")
        try:
            for path, handler in routes:
                if path.startswith("/api"):
                    continue
                needed = permission_of(handler)
                allowed = needed == SIGNED_IN or can(role, needed)
                status = (await browser.get(path)).status
                if allowed:
                    assert status in (200, 303, 404), (role, path, status)
                else:
                    assert status == 403, (role, path, status)
        finally:
            await browser.close()


async def test_console_pages_carry_the_security_headers(console: Console) -> None:
    await add_staff(console.services, "sam", "support_agent")
    await console.sign_in("sam")
    response = await console.get("/staff/")
    assert response.status == 200
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "script-src" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def _open_task_id(services: Any) -> int:
    async with services.sessions() as session:
        task = await session.scalar(select(SupportTask).where(SupportTask.status == "open"))
        assert task is not None
        return task.id


async def test_a_form_without_its_csrf_token_is_refused(console: Console) -> None:
    await patient_with_history(console.services)
    await add_staff(console.services, "sam", "support_agent")
    await console.sign_in("sam")
    task_id = await _open_task_id(console.services)
    path = f"/staff/tasks/{task_id}/resolve"
    missing = await console.post(path, {"note": "done"})
    wrong = await console.post(path, {"note": "done", "csrf_token": "not-the-token"})
    for response in (missing, wrong):
        assert response.status == 403
        assert "form has expired" in await response.text()
    async with console.services.sessions() as session:
        assert (await session.get(SupportTask, task_id)).status == "open"  # type: ignore[union-attr]
    done = await console.submit(path, {"note": "Called back, all fine"})
    assert done.status == 303
    async with console.services.sessions() as session:
        assert (await session.get(SupportTask, task_id)).status == "resolved"  # type: ignore[union-attr]


async def test_the_sign_in_form_needs_its_own_token(console: Console) -> None:
    await add_staff(console.services, "sam", "support_agent")
    response = await console.post("/staff/login", {"username": "sam", "password": PASSWORD})
    assert response.status == 403
    assert "psp_session" not in response.headers.get("Set-Cookie", "")


async def test_sign_in_is_throttled_after_five_failures_then_allowed_again(
    console: Console, other_browser: Console
) -> None:
    await add_staff(console.services, "sam", "support_agent")
    await add_staff(console.services, "pat", "pv_officer")
    for _ in range(5):
        response = await console.sign_in("sam", "guess-guess-guess")
        assert response.status == 200
        assert "Wrong username or password." in await response.text()
    blocked = await console.sign_in("sam", PASSWORD)  # even the right password
    assert blocked.status == 429
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in await blocked.text()
    assert "Set-Cookie" not in blocked.headers or "psp_session" not in blocked.headers["Set-Cookie"]
    assert (await other_browser.sign_in("pat")).status == 303, "another account is not locked"
    console.services.clock.advance(minutes=15, seconds=1)
    assert (await console.sign_in("sam", PASSWORD)).status == 303


async def test_unknown_usernames_get_the_same_answer_as_wrong_passwords(console: Console) -> None:
    await add_staff(console.services, "sam", "support_agent")
    unknown = await (await console.sign_in("nobody", PASSWORD)).text()
    wrong = await (await console.sign_in("sam", "wrong-password-1")).text()
    assert "Wrong username or password." in unknown and "Wrong username or password." in wrong


def _cookie(response: Any, name: str) -> Any:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", []):
        jar.load(header)
    return jar[name]


async def test_the_session_cookie_is_httponly_samesite_strict_and_random(
    console: Console, other_browser: Console
) -> None:
    await add_staff(console.services, "sam", "support_agent")
    first, second = await console.sign_in("sam"), await other_browser.sign_in("sam")
    one, two = _cookie(first, "psp_session"), _cookie(second, "psp_session")
    assert one["httponly"] and one["samesite"] == "Strict" and one["path"] == "/"
    assert not one["secure"], "plain http in this test: no Secure flag"
    assert one.value != two.value and len(one.value) >= 40
    async with console.services.sessions() as session:
        ids = list((await session.scalars(select(StaffSession.id))).all())
    assert one.value not in ids, "the database holds a hash of the cookie, not the cookie"


async def test_with_an_https_public_url_cookies_are_secure_and_host_prefixed(console: Console) -> None:
    settings = console.services.settings
    console.services.settings = settings.model_copy(update={"psp_public_url": "https://psp.example.org"})
    await add_staff(console.services, "sam", "support_agent")
    page = await console.get("/staff/login")
    login_cookie = _cookie(page, "__Host-psp_login")
    assert login_cookie["secure"] and login_cookie["httponly"] and login_cookie["samesite"] == "Strict"
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")


async def test_a_session_ends_after_thirty_idle_minutes_and_after_twelve_hours(console: Console) -> None:
    await add_staff(console.services, "sam", "support_agent")
    clock = console.services.clock
    await console.sign_in("sam")
    for _ in range(4):  # active use keeps it alive...
        clock.advance(minutes=25)
        assert (await console.get("/staff/")).status == 200
    clock.advance(minutes=31)  # ...an idle half hour ends it
    assert (await console.get("/staff/")).status == 303
    await console.sign_in("sam")
    served = 0
    while (await console.get("/staff/")).status == 200:  # busy all day, a request every 25 minutes
        served += 1
        clock.advance(minutes=25)
    assert served == 29, "11 h 40 min after signing in still works, 12 h 5 min does not"
    async with console.services.sessions() as session:
        assert (await session.scalar(select(StaffSession))) is None, "expired sessions are deleted"


async def test_signing_out_ends_the_session_on_the_server(console: Console, other_browser: Console) -> None:
    await add_staff(console.services, "sam", "support_agent")
    response = await console.sign_in("sam")
    stolen = _cookie(response, "psp_session").value
    assert (await console.sign_out()).headers["Location"] == "/staff/login"
    replay = await other_browser.get("/staff/", cookies={"psp_session": stolen})
    assert replay.status == 303 and replay.headers["Location"].startswith("/staff/login")


async def test_after_sign_in_the_browser_returns_to_the_page_it_asked_for_but_never_off_site(
    console: Console,
) -> None:
    await add_staff(console.services, "sam", "support_agent")
    first = await console.get("/staff/tasks?status=open")
    location = urlsplit(first.headers["Location"])
    assert location.path == "/staff/login" and parse_qs(location.query)["next"] == [
        "/staff/tasks?status=open"
    ]
    page = await (await console.get(first.headers["Location"])).text()
    assert 'name="next" value="/staff/tasks?status=open"' in page
    import re

    token = re.search(r'name="login_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    landed = await console.post(
        "/staff/login",
        {"login_token": token, "username": "sam", "password": PASSWORD, "next": "/staff/tasks?status=open"},
    )
    assert landed.headers["Location"] == "/staff/tasks?status=open"
    await console.sign_out()
    token = re.search(
        r'name="login_token" value="([^"]+)"', await (await console.get("/staff/login")).text()
    ).group(1)  # type: ignore[union-attr]
    evil = await console.post(
        "/staff/login",
        {"login_token": token, "username": "sam", "password": PASSWORD, "next": "//evil.example/staff/"},
    )
    assert evil.headers["Location"] == "/staff/"


async def test_disabling_an_account_ends_its_sessions_at_once(
    console: Console, other_browser: Console
) -> None:
    await add_staff(console.services, "ann", "admin")
    await add_staff(console.services, "sam", "support_agent")
    await console.sign_in("ann")
    await other_browser.sign_in("sam")
    assert (await other_browser.get("/staff/tasks")).status == 200
    response = await console.submit("/staff/admin/staff/sam/disable", page="/staff/admin/staff")
    assert response.status == 303
    assert (await other_browser.get("/staff/tasks")).status == 303
    assert (await other_browser.sign_in("sam")).status == 200, "a disabled account cannot sign in"


@pytest.mark.parametrize("role", ["support_agent", "analyst"])
async def test_only_an_administrator_manages_accounts(console: Console, role: str) -> None:
    await add_staff(console.services, "someone", role)
    await console.sign_in("someone")
    token = await console.csrf()
    response = await console.post(
        "/staff/admin/staff", {"csrf_token": token, "username": "mallory", "role": "admin"}
    )
    assert response.status == 403
