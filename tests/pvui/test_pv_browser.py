"""The PV queue in a real headless Chromium (Debian's `chromium`, driven by Playwright's async API):
a PV officer signs in, opens the queue and the case, forwards it with a reference and sees it forwarded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.console.browser import chromium_page, needs_chromium, served_site
from tests.console.conftest import PASSWORD

pytestmark = needs_chromium


@pytest.fixture
async def site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[tuple[str, str]]:
    async with served_site(tmp_path, clock, {"pat": "pv_officer"}) as found:
        yield found


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    async with chromium_page() as opened:
        yield opened


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
