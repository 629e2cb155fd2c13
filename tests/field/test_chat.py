"""Item 4: `psp chat` shows what is sent as it is sent, binds an answer to what was on screen, reads long
lines whole and leaves at once on Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import select
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select as sql_select

from bot.cli.chat import Chat
from bot.storage import queries
from bot.storage.models import DoseEvent
from scheduler.jobs import ReminderJobs

ROOT = Path(__file__).resolve().parents[2]
MONDAY_9_MADRID = datetime(2026, 3, 2, 8, tzinfo=UTC)


async def _enrolled(services, address: str) -> int:  # type: ignore[no-untyped-def]
    now = services.clock()
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, now, locale="en")
        patient.status, patient.program_id, patient.timezone = "active", "cardiozen-daily", "Europe/Madrid"
        patient.reminder_times, patient.enrolled_at, patient.country = ["09:00"], now, "ES"
        await queries.add_address(session, patient, "console", address, now)
        return patient.id


async def _reminder_due(services, clock) -> None:  # type: ignore[no-untyped-def]
    jobs = ReminderJobs(services.sessions, services.programs, services.clock)
    clock.now = MONDAY_9_MADRID
    await jobs.run_all()


async def _doses(services, patient_id: int) -> list[DoseEvent]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return list(
            (await session.scalars(sql_select(DoseEvent).where(DoseEvent.patient_id == patient_id))).all()
        )


async def test_a_number_typed_at_the_menu_chooses_from_the_menu_even_if_a_reminder_came_since(
    services, clock
) -> None:  # type: ignore[no-untyped-def]
    clock.now = MONDAY_9_MADRID.replace(hour=7)
    pid = await _enrolled(services, "term-1")
    shown: list[str] = []
    chat = Chat(services, "term-1", None, shown.append)
    await chat.say("menu", None)
    menu_on_screen = chat.screen.shown
    assert menu_on_screen is not None and "What would you like to do?" in menu_on_screen.text
    await _reminder_due(services, clock)
    await chat.deliver()
    reminder_on_screen = chat.screen.shown
    assert reminder_on_screen is not None and "CardioZen" in reminder_on_screen.text  # on screen now
    before = len(shown)
    await chat.say("1", menu_on_screen)  # typed while the menu was on screen: "1. My reminders"
    assert any("Your reminders:" in line for line in shown[before:]), shown[before:]
    assert await _doses(services, pid) == []  # no dose recorded that the patient never answered
    # Answering the reminder itself ("1. Taken") records the dose.
    await chat.say("1", reminder_on_screen)
    assert [d.status for d in await _doses(services, pid)] == ["taken"]


async def test_a_reminder_appears_without_the_patient_typing_anything(services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = MONDAY_9_MADRID.replace(hour=7)
    await _enrolled(services, "term-2")
    shown: list[str] = []
    chat = Chat(services, "term-2", None, shown.append)
    watcher = asyncio.create_task(chat.watch())
    try:
        await _reminder_due(services, clock)
        deadline = time.monotonic() + 5
        while not shown and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher  # stopped before the services close, as `psp chat` does
    assert shown and "CardioZen" in shown[0]
    assert chat.screen.shown is not None and chat.screen.shown.options[0]["label"] == "Taken"


def _read_until(fd: int, needle: bytes, seen: bytearray, seconds: float = 30) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                return needle in seen
            if needle in seen:
                return True
    return False


def test_terminal_reads_a_long_line_whole_and_ctrl_c_ends_at_once(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TELEGRAM_", "TWILIO_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        PSP_SECRET_KEY="test-secret-key-not-for-production",
        PSP_CONTENT_DIR=str(ROOT / "content"),
        PSP_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}",
        TERM="xterm",
    )
    master, slave = pty.openpty()  # the patient's terminal
    # `setsid -c`: the pty becomes the child's controlling terminal, as a real one is, so Ctrl-C between two
    # prompts is a SIGINT (the terminal is not in raw mode then) and Ctrl-C at the prompt is a key.
    proc = subprocess.Popen(
        ["setsid", "-c", sys.executable, "-m", "bot", "chat", "--address", "pty-1"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=tmp_path,
        env=env,
    )
    os.close(slave)
    seen = bytearray()
    try:
        assert _read_until(master, b"choose your language", seen), seen[-500:]
        # 5,000 characters, over the tty's 4,095 limit, with the adverse event at the very end.
        line = ("I would like to tell you about my week. " * 130)[:5000] + " then I could not breathe at all"
        data = line.encode()
        for start in range(0, len(data), 512):
            os.write(master, data[start : start + 512])
            time.sleep(0.02)
        os.write(master, b"\r")
        assert _read_until(master, b"go to the nearest emergency department", seen), seen[-800:]
        started = time.monotonic()
        os.write(master, b"\x03")  # Ctrl-C
        assert proc.wait(timeout=10) == 130
        assert time.monotonic() - started < 5
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
