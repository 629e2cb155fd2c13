"""Operators' mistakes end with one line naming what to fix and a non-zero exit, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import config
from bot.app import open_services
from bot.config import ConfigError
from bot.storage import crypto, queries
from tests.conftest import ROOT, TEST_SECRET, make_settings


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TELEGRAM_", "TWILIO_"))}
    env.update({"PYTHONPATH": str(ROOT), "PSP_SECRET_KEY": TEST_SECRET, **extra})
    return env


def _psp(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def _one_line(result: subprocess.CompletedProcess[str], names: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip() and " INFO " not in line]
    assert result.returncode != 0, result.stderr
    assert len(lines) == 1 and names in lines[0], result.stderr


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _psp(tmp_path, "serve", PSP_HTTP_PORT=str(port))
    _one_line(result, "PSP_HTTP_PORT")
    assert "in use" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["postgresql+asyncpg://postgres@127.0.0.1:1/psp", "sqlite+aiosqlite:///no/such/directory/psp.db"],
    ids=["postgresql-refusing", "sqlite-directory-missing"],
)
def test_an_unreachable_database_is_one_line(tmp_path: Path, url: str) -> None:
    _one_line(_psp(tmp_path, "serve", PSP_DATABASE_URL=url), "PSP_DATABASE_URL")


def test_a_short_secret_key_is_refused(tmp_path: Path) -> None:
    _one_line(_psp(tmp_path, "serve", PSP_SECRET_KEY="short-key"), "PSP_SECRET_KEY")


def test_no_key_and_no_writable_place_for_one_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only working directory (root ignores file modes, so the key file's directory is missing instead).
    monkeypatch.setattr(config, "KEY_FILE", tmp_path / "read-only" / ".psp-secret-key")
    with pytest.raises(ConfigError, match="^PSP_SECRET_KEY: not set, and no key file can be written"):
        config.load_settings(_env_file=None, psp_secret_key=None)


async def test_a_key_that_does_not_match_the_data_refuses_to_start(database_url: str, services: Any) -> None:
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, services.clock())
        await queries.add_address(session, patient, "telegram", "5550001", services.clock())
    try:
        with pytest.raises(ConfigError, match="^PSP_SECRET_KEY: does not match the data"):
            await open_services(
                make_settings(database_url, psp_secret_key="another-key-of-32-characters-or-more")
            )
    finally:
        crypto.configure(TEST_SECRET)


def test_output_piped_into_head_ends_with_one_line(tmp_path: Path) -> None:
    script = (
        f'yes \'{{"text": "I feel fine", "lang": "en"}}\' | head -n 3000 '
        f"| {sys.executable} -m bot pv screen --jsonl | head -n 1; exit ${{PIPESTATUS[2]}}"
    )
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert result.stdout.count("\n") == 1
    _one_line(result, "broken pipe")
