"""How long one journey tick takes for N active patients, on SQLite (and PostgreSQL with --postgres).

Three ticks: one that sends the day-0 module to everyone (one write transaction per chunk of
`scheduler.content_jobs.WAVE` patients), one right after that finds nothing to send (the cost paid on most of
the ~54 ticks of a patient's day), and one the next day that sends the day-1 module.

    python bench/journey.py [--patients 2000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import close_services, open_services
from bot.config import load_settings
from bot.storage import queries
from scheduler.content_jobs import journey_tick

ROOT = Path(__file__).resolve().parents[1]
ENROLLED = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
FIRST_TICK = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)  # 10:30 in Madrid


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def _prepare(services, patients: int) -> None:  # type: ignore[no-untyped-def]
    async with services.sessions() as session, session.begin():
        for i in range(patients):
            patient = await queries.create_patient(
                session, ENROLLED, locale=("en", "es", "fr", "de", "pt", "ar")[i % 6]
            )
            patient.status, patient.program_id, patient.timezone = (
                "active",
                "cardiozen-daily",
                "Europe/Madrid",
            )
            patient.reminder_times, patient.enrolled_at = ["09:00"], ENROLLED
            await queries.add_address(session, patient, "console", f"bench-{i}", ENROLLED)


async def run(url: str, patients: int) -> list[tuple[str, float, int]]:
    clock = Clock(FIRST_TICK)
    settings = load_settings(
        psp_database_url=url,
        psp_secret_key="bench-secret-key-not-for-production",
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
    )
    services = await open_services(settings, clock=clock)
    results = []
    try:
        await _prepare(services, patients)
        for label, moment in (
            ("day 0, sends to all", FIRST_TICK),
            ("10 min later, nothing due", FIRST_TICK + timedelta(minutes=10)),
            ("day 1, sends to all", FIRST_TICK + timedelta(days=1)),
        ):
            clock.now = moment
            start = time.perf_counter()
            stats = await journey_tick(services.sessions, services.programs, services.modules, clock)
            results.append((label, time.perf_counter() - start, stats.sent))
    finally:
        await close_services(services)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument(
        "--postgres", help="an empty, migrated PostgreSQL database URL (postgresql+asyncpg://...)"
    )
    args = parser.parse_args()
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("sqlite", f"sqlite+aiosqlite:///{tmp}/bench.db"))
        if args.postgres:
            targets.append(("postgresql", args.postgres))
        for name, url in targets:
            for label, seconds, sent in asyncio.run(run(url, args.patients)):
                print(
                    f"{name:10} {args.patients} patients  {label:28} {seconds:7.2f} s  "
                    f"{sent:5} sent  {args.patients / seconds:8.0f} patients/s"
                )


if __name__ == "__main__":
    main()
