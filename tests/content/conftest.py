"""Shared fixtures: the shipped programs and modules, and a scratch copy of the content to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.programs import Program, load_programs
from bot.learn.modules import Module, load_modules
from tests.content.helpers import SHIPPED


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
