from __future__ import annotations

import pytest

from tests.reminders.world import World


@pytest.fixture
def world(services) -> World:  # type: ignore[no-untyped-def]
    return World(services)
