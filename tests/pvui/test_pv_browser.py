"""The PV queue in a real headless Chromium (Debian's `chromium`, driven by Playwright's async API):
a PV officer signs in, opens the queue and the case, forwards it with a reference and sees it forwarded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import close_services, open_services
from bot.web.app import build_web_app
from tests.conftest import FakeClock, make_settings
from tests.console.conftest import PASSWORD, add_staff
from tests.console.seed import patient_with_history

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture
async def site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[tuple[str, str]]:
    from aiohttp.test_utils import TestServer

    services = await open_services(make_settings(f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"), clock=clock)
    ref = await patient_with_history(services)
    await add_staff(services, "pat", "pv_officer")
    server = TestServer(build_web_app(services), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/")).rstrip("/"), ref
    finally:
        await server.close()
        await close_services(services)


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = await browser.new_context(viewport={"width": 1366, "height": 900})
        try:
            yield await context.new_page()
        finally:
            await browser.close()


async def test_a_pv_officer_forwards_a_case_from_the_queue(site: tuple[str, str], page: Any) -> None:
    base, ref = site
    await page.goto(base + "/staff/")
    await page.get_by_label("Username").fill("pat")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(base + "/staff/")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="PV queue").click()
    await page.wait_for_url(base + "/staff/pv")
    queue = await page.locator("main").inner_text()
    assert ref in queue and "due in 23 h" in queue

    await page.get_by_role("link", name="#1").click()
    await page.wait_for_url(base + "/staff/pv/cases/1")
    assert await page.locator("mark").count() >= 1
    await page.get_by_label("Safety database reference").fill("ARGUS-2026-0042")
    await page.get_by_role("button", name="Mark forwarded").click()
    await page.get_by_role("status").filter(has_text="Case marked as forwarded.").wait_for()
    assert (await page.locator("#case-status").inner_text()) == "forwarded"
    assert "ARGUS-2026-0042" in await page.locator("main").inner_text()
