"""What every browser test shares: Debian's Chromium driven by Playwright, and the real app with a patient's
history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.app import close_services, open_services
from bot.web.app import build_web_app
from tests.conftest import FakeClock, make_settings
from tests.console.conftest import add_staff
from tests.console.seed import patient_with_history

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@asynccontextmanager
async def served_site(
    tmp_path: Path, clock: FakeClock, staff: dict[str, str]
) -> AsyncIterator[tuple[str, str]]:
    """The real app on a free port of 127.0.0.1 with a patient's history and these staff; yields (base URL,
    patient ref)."""
    from aiohttp.test_utils import TestServer

    services = await open_services(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"), clock=clock)
    ref = await patient_with_history(services)
    for name, role in staff.items():
        await add_staff(services, name, role)
    server = TestServer(build_web_app(services), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/")).rstrip("/"), ref
    finally:
        await server.close()
        await close_services(services)


@asynccontextmanager
async def chromium_page() -> AsyncIterator[Any]:
    """A fresh page in headless Chromium at a laptop's size."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = await browser.new_context(viewport={"width": 1366, "height": 900})
        try:
            yield await context.new_page()
        finally:
            await browser.close()
