"""The review queue in a real headless Chromium: a PV officer sees a doubtful message and a second-look
message
with their clocks, confirms one (a case from the message's receipt) and dismisses the other with a reason."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import close_services, open_services
from bot.web.app import build_web_app
from tests.conftest import FakeClock, make_settings
from tests.console.browser import chromium_page, needs_chromium
from tests.console.conftest import PASSWORD, add_staff
from tests.pv.helpers import PvPatient

pytestmark = needs_chromium
DOUBT = "I feel a bit off today"
CLEAR = "what time does the pharmacy open on sunday"


@pytest.fixture
async def site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[str]:
    from aiohttp.test_utils import TestServer

    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}", psp_pv_second_look_rate=1.0)
    services = await open_services(settings, clock=clock)
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(DOUBT)
    clock.advance(minutes=10)
    await patient.says(CLEAR)
    clock.advance(hours=2)
    await add_staff(services, "pat", "pv_officer")
    server = TestServer(build_web_app(services), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("/")).rstrip("/")
    finally:
        await server.close()
        await close_services(services)


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    async with chromium_page() as opened:
        yield opened


async def test_an_officer_works_the_review_queue(site: str, page: Any) -> None:
    base = site
    await page.goto(base + "/staff/")
    await page.get_by_label("Username").fill("pat")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(base + "/staff/")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Review queue").click()
    await page.wait_for_url(base + "/staff/pv/review")
    quality = await page.locator("#quality").inner_text()
    assert "en" in quality and "?" in quality  # no second-look verdict yet: recall unknown, not perfect
    listing = await page.locator("#review-items").inner_text()
    assert "screen in doubt" in listing and "second look (random)" in listing
    assert "due in 21 h" in listing  # the clock runs from receipt, two hours ago

    await page.get_by_role("link", name="#1").click()
    await page.wait_for_url(base + "/staff/pv/review/1")
    assert DOUBT in await page.locator("#review-text").inner_text()
    await page.get_by_role("button", name="Confirm: open a case").click()
    await page.get_by_role("status").filter(has_text="Review item confirmed").wait_for()
    assert "/staff/pv/cases/" in page.url
    main = await page.locator("main").inner_text()
    assert "review confirmed" in main  # in the case history

    await page.goto(base + "/staff/pv/review/2")
    await page.get_by_role("button", name="Dismiss").click()  # without a reason: the browser asks for one
    assert page.url.endswith("/staff/pv/review/2")
    await page.get_by_label("Why nothing to report").fill("a question about opening hours")
    await page.get_by_role("button", name="Dismiss").click()
    await page.get_by_role("status").filter(has_text="Review item dismissed").wait_for()
    assert (await page.locator("#review-count").inner_text()) == "0"
    quality = await page.locator("#quality").inner_text()
    assert "?" not in quality.split("\n")[-1]  # one second-look verdict: recall is now estimated
