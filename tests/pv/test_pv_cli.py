"""`psp pv reconcile` and `psp pv case-e2b` as an operator runs them, on an SQLite file."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot import cli
from bot.app import close_services, open_services
from tests.conftest import TEST_SECRET, make_settings
from tests.pv.helpers import SERIOUS, PvPatient


async def _psp(*args: str) -> int:
    """`psp ARGS` in this process (its own event loop, in a thread), as the console script runs it."""
    return await asyncio.to_thread(cli.main, list(args))


async def test_reconcile_and_case_e2b_commands(sqlite_url: str, clock, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    services = await open_services(make_settings(sqlite_url), clock=clock)
    try:
        await PvPatient(services, address="+442079460000", channel_name="sms").says(SERIOUS)
    finally:
        await close_services(services)
    monkeypatch.setenv("PSP_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("PSP_SECRET_KEY", TEST_SECRET)
    capsys.readouterr()

    assert await _psp("pv", "reconcile", "--from", "2026-03-02", "--to", "2026-03-02") == 1  # overdue by now
    out = capsys.readouterr().out
    assert "PV-000001" in out and "OVERDUE" in out

    assert await _psp("pv", "case-e2b", "PV-000001") == 0
    body = json.loads(capsys.readouterr().out)
    assert body["E.i"][0]["E.i.1.1a"] == SERIOUS and body["E.i"][0]["E.i.9"] == "GB"

    with pytest.raises(SystemExit) as exit_:
        cli.main(["pv", "reconcile", "--from", "2026-03-02", "--to", "yesterday"])
    assert exit_.value.code == 2 and "is not a date" in capsys.readouterr().err
