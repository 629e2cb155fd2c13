"""A wave of reminders due at once: how fast `ReminderJobs.tick` writes them into the outbox.

N enrolled Telegram patients with one dose reminder each, all due now (the 09:00 wave of a program in one time
zone). One tick moves them all: claim, render, outbox messages and rows, reminder rows, conversation states,
in transactions of `--batch` reminders. Prints reminders (= patients) written per second.

    python bench/reminder_wave.py [--patients 5000] [--batch 200] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bot.app import close_services, open_services
from bot.config import load_settings
from bot.storage.models import OutboxItem
from scheduler.jobs import ReminderJobs
from tests.reminders.wave_seed import NOW, seed_wave

ROOT = Path(__file__).resolve().parents[1]


async def run(url: str, patients: int, batch: int) -> tuple[float, int, int]:
    settings = load_settings(
        psp_database_url=url,
        psp_secret_key="bench-secret-key-not-for-production",
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
    )
    services = await open_services(settings, clock=lambda: NOW)
    try:
        await seed_wave(services, patients)
        jobs = ReminderJobs(services.sessions, services.programs, lambda: NOW, dispatch_batch=batch)
        start = time.perf_counter()
        moved = await jobs.tick()
        seconds = time.perf_counter() - start
        async with services.sessions() as session:
            queued = await session.scalar(select(func.count()).select_from(OutboxItem)) or 0
    finally:
        await close_services(services)
    return seconds, moved, queued


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument(
        "--postgres", help="an empty, migrated PostgreSQL database URL (postgresql+asyncpg://...)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("sqlite", f"sqlite+aiosqlite:///{tmp}/bench.db")]
        if args.postgres:
            targets.append(("postgresql", args.postgres))
        for name, url in targets:
            seconds, moved, queued = asyncio.run(run(url, args.patients, args.batch))
            print(
                f"{name:10} {args.patients} patients, batch {args.batch}: tick {seconds:6.2f} s, "
                f"{moved} moved, {queued} in the outbox, {moved / seconds:7.0f} reminders/s"
            )


if __name__ == "__main__":
    main()
