"""Shared fixtures: the shipped content, a scratch copy of it to break, and a fixed 'today'.

The shipped demo approvals run from March 2026 to the end of 2027; tests pin the date inside that window so
they do not depend on the calendar.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.content.modules import Module, load_modules
from bot.content.programs import Program, load_programs

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "content"
TODAY = date(2026, 11, 25)
LANGS = ("en", "es", "fr", "de", "pt", "ar")


@pytest.fixture(scope="session")
def programs() -> dict[str, Program]:
    return load_programs(SHIPPED)


@pytest.fixture(scope="session")
def modules() -> dict[str, Module]:
    return load_modules(SHIPPED)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the shipped content that a test may break."""
    target = tmp_path / "content"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def no_locales(tmp_path: Path) -> Path:
    empty = tmp_path / "locales"
    empty.mkdir()
    return empty
