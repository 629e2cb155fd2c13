"""The console served for real on 127.0.0.1, staff accounts, and a signed-in HTTP client per role."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import ClientResponse, ClientSession, CookieJar, web
from aiohttp.test_utils import TestServer
from argon2 import PasswordHasher

from bot.staff import accounts, passwords

PASSWORD = "correct horse battery staple"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGIN = re.compile(r'name="login_token" value="([^"]+)"')


def visible(html: str) -> str:
    """Roughly what a person reads on the page: tags removed, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(autouse=True)
def cheap_hashes() -> Iterator[None]:
    """Real argon2id, at a cost that keeps the suite quick (production uses the RFC 9106 profile)."""
    passwords.configure(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    yield
    passwords.configure(PasswordHasher())


async def add_staff(services: Any, username: str, role: str, password: str = PASSWORD) -> None:
    await accounts.create_account(
        services.sessions, username=username, role=role, password=password, actor="test", now=services.clock()
    )


@dataclass
class Console:
    """A browser-like HTTP client on the real app: cookies kept, redirects not followed unless asked."""

    client: ClientSession
    services: Any
    app: web.Application
    base_url: str

    async def get(self, path: str, **kwargs: Any) -> ClientResponse:
        kwargs.setdefault("allow_redirects", False)
        return await self.client.get(path, **kwargs)

    async def post(self, path: str, data: dict[str, str] | None = None, **kwargs: Any) -> ClientResponse:
        kwargs.setdefault("allow_redirects", False)
        return await self.client.post(path, data=data or {}, **kwargs)

    async def request(self, method: str, path: str, **kwargs: Any) -> ClientResponse:
        kwargs.setdefault("allow_redirects", False)
        return await self.client.request(method, path, **kwargs)

    def new_browser(self) -> Console:
        """Another browser on the same server, with its own cookies (close it with `close()`)."""
        return Console(browser_session(self.base_url), self.services, self.app, self.base_url)

    async def close(self) -> None:
        await self.client.close()

    async def csrf(self, page: str = "/staff/") -> str:
        """The CSRF token embedded in a page's forms (every signed-in page has the sign-out form)."""
        body = await (await self.get(page)).text()
        found = _CSRF.search(body)
        assert found, f"no CSRF field on {page}"
        return found.group(1)

    async def submit(
        self, path: str, data: dict[str, str] | None = None, page: str = "/staff/"
    ) -> ClientResponse:
        """POST a form the way the browser would: with the CSRF token taken from a page."""
        return await self.post(path, {"csrf_token": await self.csrf(page), **(data or {})})

    async def sign_in(self, username: str, password: str = PASSWORD) -> ClientResponse:
        page = await (await self.get("/staff/login")).text()
        token = _LOGIN.search(page)
        assert token, "no login token on the sign-in page"
        return await self.post(
            "/staff/login", {"login_token": token.group(1), "username": username, "password": password}
        )

    async def sign_out(self) -> ClientResponse:
        return await self.submit("/staff/logout")


@pytest.fixture
async def web_app(services: Any) -> web.Application:
    from bot.web.app import build_web_app

    return build_web_app(services)


def browser_session(base_url: str) -> ClientSession:
    # unsafe=True: keep cookies for an IP address host (127.0.0.1), as a browser does.
    return ClientSession(base_url=base_url, cookie_jar=CookieJar(unsafe=True))


@pytest.fixture
async def served(web_app: web.Application) -> AsyncIterator[str]:
    """The real app listening on a free port of 127.0.0.1; yields its base URL."""
    server = TestServer(web_app, host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/")).rstrip("/")
    finally:
        await server.close()


@pytest.fixture
async def console(services: Any, web_app: web.Application, served: str) -> AsyncIterator[Console]:
    browser = Console(browser_session(served), services, web_app, served)
    try:
        yield browser
    finally:
        await browser.close()


@pytest.fixture
async def other_browser(console: Console) -> AsyncIterator[Console]:
    """A second, independent browser on the same server (its own cookies)."""
    browser = console.new_browser()
    try:
        yield browser
    finally:
        await browser.close()
