"""The console in a real headless Chromium (Debian's `chromium`, driven by Playwright's async API).

Flows a person does every day: sign in, find a patient, read the timeline, resolve a task, sign out; a
wrong password; an analyst refused a patient's messages. Set PSP_SCREENSHOT_DIR to keep screenshots.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.console.browser import chromium_page, needs_chromium, served_site
from tests.console.conftest import PASSWORD
from tests.console.seed import PRIVATE_REMARK, SIDE_EFFECT

pytestmark = needs_chromium


@pytest.fixture
async def site(tmp_path: Path, clock: FakeClock) -> AsyncIterator[tuple[str, str]]:
    async with served_site(tmp_path, clock, {"sam": "support_agent", "ana": "analyst"}) as found:
        yield found


@pytest.fixture
async def page() -> AsyncIterator[Any]:
    async with chromium_page() as opened:
        yield opened


async def shot(page: Any, name: str) -> None:
    folder = os.environ.get("PSP_SCREENSHOT_DIR")
    if folder:
        await page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


async def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    await page.goto(base + "/staff/")
    assert "/staff/login" in page.url
    await page.get_by_label("Username").fill(username)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def test_sign_in_find_a_patient_read_the_timeline_resolve_a_task_sign_out(
    site: tuple[str, str], page: Any
) -> None:
    base, ref = site
    await sign_in(page, base, "sam")
    await page.wait_for_url(base + "/staff/")
    pv = page.get_by_role("region", name="Open PV cases, soonest due first")
    assert ref in await pv.inner_text() and "in 23 h" in await pv.inner_text()
    await shot(page, "home")

    await page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    await page.get_by_label("Program patient ID or phone number").fill(ref.lower())
    await page.get_by_role("button", name="Find").click()
    await page.wait_for_url(f"{base}/staff/patients/{ref}")
    timeline = page.get_by_role("region", name="Timeline")
    text = await timeline.inner_text()
    assert SIDE_EFFECT in text and PRIVATE_REMARK in text and "Consent given" in text and "Dose taken" in text
    await shot(page, "timeline")

    await timeline.get_by_role("link", name="Task #1: Call-back request").click()
    await page.get_by_label("Resolution (optional)").fill("Called back; patient doing well")
    await page.get_by_role("button", name="Resolve task").click()
    await page.get_by_role("status").filter(has_text="Task resolved.").wait_for()
    assert "resolved" in await page.get_by_role("heading", level=1).inner_text()
    assert "Called back; patient doing well" in await page.get_by_role("region", name="Notes").inner_text()
    await shot(page, "task")

    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url(base + "/staff/login")
    await page.goto(base + "/staff/tasks")
    assert "/staff/login" in page.url, "after signing out the console asks to sign in again"


async def test_a_wrong_password_keeps_the_door_shut(site: tuple[str, str], page: Any) -> None:
    base, _ = site
    await sign_in(page, base, "sam", "not my password")
    alert = page.get_by_role("alert")
    await alert.wait_for()
    assert await alert.inner_text() == "Wrong username or password."
    assert "/staff/login" in page.url
    assert await page.get_by_label("Username").input_value() == "sam"
    await shot(page, "wrong-password")


async def test_an_analyst_is_refused_a_patients_messages(site: tuple[str, str], page: Any) -> None:
    base, ref = site
    await sign_in(page, base, "ana")
    await page.wait_for_url(base + "/staff/")
    await page.goto(f"{base}/staff/patients/{ref}")
    body = await page.locator("main").inner_text()
    assert "Dose taken" in body and SIDE_EFFECT not in body and "text hidden" in body
    assert await page.get_by_role("link", name="Conversation").count() == 0
    response = await page.goto(f"{base}/staff/patients/{ref}/messages")
    assert response is not None and response.status == 403
    assert "Not permitted" in await page.get_by_role("heading", level=1).inner_text()
    assert SIDE_EFFECT not in await page.content()
    await shot(page, "analyst-refused")
