"""Fixtures for Learn: the services on a real database (SQLite file and PostgreSQL), optionally on an edited
copy of the shipped content (`@pytest.mark.content_edit(fn, ...)`), with the clock inside the demo
approvals."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.conftest import FakeClock, make_settings
from tests.learn.helpers import SHIPPED, START


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "content_edit(*edits): run on a copy of content/ changed by each edit(path)"
    )


@pytest.fixture
def clock() -> FakeClock:
    """Monday 2 November 2026, 09:00 UTC: every demo translation is approved, none expires soon."""
    return FakeClock(START)


@pytest.fixture
def content_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    marker = request.node.get_closest_marker("content_edit")
    if marker is None:
        return SHIPPED
    target = tmp_path / "content"
    shutil.copytree(SHIPPED, target)
    for edit in marker.args:
        edit.apply(target)
    return target


@pytest.fixture
async def services(database_url: str, clock: FakeClock, content_dir: Path) -> AsyncIterator[object]:
    from bot.app import close_services, open_services

    svc = await open_services(make_settings(database_url, psp_content_dir=content_dir), clock=clock)
    yield svc
    await close_services(svc)
