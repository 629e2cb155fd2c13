"""Reminders at program scale, on SQLite and PostgreSQL: planning, the tick's cost per reminder, dispatch
throughput against a rate-limited channel, memory.

Run: python bench/reminders.py [--patients 100000] [--backend sqlite|postgresql|both]
                                             [--hours 6] [--days 2] [--rate 30] [--dispatch-seconds 20]

Phases, per backend (fresh database each time):
1. seed: `--patients` enrolled patients (mixed zones, one or two daily doses, half with a pharmacy fill).
2. plan: the first 48-hour horizon for everyone (`ReminderJobs.plan` until nothing is left).
3. `--hours` of a working day, a clock moved in 5-minute steps: every step runs the planner (nothing to do),
   the reminder tick (due rows -> outbox); four reminders in five are answered at once; every hour the sweep
   closes the rest as no_response. The tick's time is divided by the reminders it moved.
4. `--days` following days: every patient's horizon is extended by 24 hours ("planning a day").
5. dispatch, in real time, wired as `psp serve` wires it (`bot.app.start_scheduler`): a wave of reminders due
   at once goes to the Telegram double (HTTP, loopback) limited to `--rate` messages per second, through a
   small Bot API adapter that keeps to that limit (what a real adapter does). Throughput is measured at the
   double, after a 2-second warm-up.
Memory: resident set size after each phase and the process peak (ru_maxrss).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import resource
import sys
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiohttp
from sqlalchemy import delete, func, select, update

from bot.app import Services, close_services, open_services, start_scheduler
from bot.channels.base import OutboundMessage, PermanentSendError, RetryableSendError
from bot.config import load_settings
from bot.reminders import store as rows
from bot.storage import crypto
from bot.storage.models import Address, OutboxItem, Patient, Refill, Reminder
from scheduler.jobs import ReminderJobs
from tests.doubles import RateLimit, TelegramDouble

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-key-not-for-production"
START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
ZONES = [
    "America/Los_Angeles", "America/New_York", "America/Sao_Paulo", "America/Mexico_City", "Europe/Berlin",
    "Europe/Madrid", "Europe/Paris", "Europe/Lisbon", "Europe/London", "Africa/Cairo", "Asia/Riyadh",
    "Asia/Dubai", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney", "Pacific/Auckland",
]  # fmt: skip
TIMES = ["06:30", "07:00", "07:30", "08:00", "08:15", "09:00", "12:00", "13:30", "18:00", "19:00", "20:00",
         "21:00", "21:30", "22:00"]  # fmt: skip
LOCALES = ["en", "es", "fr", "de", "pt", "ar"]


def rss_mib() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


def settings_for(url: str, **extra: Any):  # type: ignore[no-untyped-def]
    return load_settings(
        psp_database_url=url,
        psp_secret_key=SECRET,
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
        **extra,
    )


async def seed(services: Services, count: int, rng: random.Random) -> None:
    """Patients, one Telegram address each, and a pharmacy fill for half of them (bulk inserts)."""
    now = START - timedelta(days=1)
    for first in range(0, count, 5000):
        n = min(5000, count - first)
        async with services.sessions() as session, session.begin():
            await session.execute(
                Patient.__table__.insert(),
                [
                    {
                        "status": "active",
                        "program_id": "cardiozen-daily",
                        "timezone": rng.choice(ZONES),
                        "locale": rng.choice(LOCALES),
                        "reminder_times": sorted(rng.sample(TIMES, k=rng.choice((1, 1, 2)))),
                        "created_at": now,
                        "enrolled_at": now - timedelta(days=rng.randint(0, 29)),
                    }
                    for _ in range(n)
                ],
            )
            ids = list((await session.scalars(select(Patient.id).order_by(Patient.id.desc()).limit(n))).all())
            await session.execute(
                Address.__table__.insert(),
                [
                    {
                        "patient_id": pid,
                        "channel": "telegram",
                        "lookup": crypto.lookup_hash("telegram", str(pid)),
                        "value": str(pid),
                        "opted_out": False,
                        "unreachable": False,
                        "created_at": now,
                    }
                    for pid in ids
                ],
            )
            fills = [
                {
                    "patient_id": pid,
                    "fill_date": date(2026, 3, 1) - timedelta(days=rng.randint(0, 29)),
                    "days_supply": 30,
                    "source": "pharmacy",
                    "recorded_at": now,
                }
                for pid in ids
                if rng.random() < 0.5
            ]
            if fills:
                await session.execute(Refill.__table__.insert(), fills)


async def count_rows(services: Services, model: Any) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = await fn()
    return time.perf_counter() - t0, result


async def patients_answer(services: Services, now: datetime) -> None:
    """Four patients in five answer their reminder at once (recorded directly: the conversation is not what is
    measured here); the sweep closes the rest as no_response."""
    async with services.sessions() as session, session.begin():
        await session.execute(
            update(Reminder)
            .where(Reminder.status == "sent", Reminder.answer_by.is_not(None), Reminder.id % 5 != 0)
            .values(status="answered", answer="taken", answered_at=now)
        )


async def plan_everyone(jobs: ReminderJobs) -> int:
    total = 0
    while (done := await jobs.plan()) > 0:
        total += done
    return total


async def simulate(services: Services, clock: Clock, hours: int, days: int) -> None:
    jobs = ReminderJobs(services.sessions, services.programs, clock)
    elapsed, planned = await timed(lambda: plan_everyone(jobs))
    rows_now = await count_rows(services, Reminder)
    print(
        f"  first 48-hour horizon: {planned:,} patients, {rows_now:,} rows in {elapsed:.1f} s "
        f"({elapsed / max(planned, 1) * 1e6:.0f} µs per patient); RSS {rss_mib():.0f} MiB"
    )

    # A working period in 5-minute steps: tick, answers, hourly sweep, and the planner finding nothing to do.
    step = timedelta(minutes=5)
    tick_time = sweep_time = idle_plan = 0.0
    idle_calls = moved = closed = 0
    end = clock.now + timedelta(hours=hours)
    while clock.now < end:
        clock.now += step
        elapsed, _ = await timed(jobs.plan)
        idle_plan += elapsed
        idle_calls += 1
        before = jobs.stats.sent + jobs.stats.missed + jobs.stats.cancelled
        elapsed, _ = await timed(jobs.tick)
        tick_time += elapsed
        moved += jobs.stats.sent + jobs.stats.missed + jobs.stats.cancelled - before
        await patients_answer(services, clock.now)
        if clock.now.minute == 0:
            elapsed, n = await timed(jobs.sweep)
            sweep_time += elapsed
            closed += n
    print(
        f"  {hours} hours: the tick moved {moved:,} reminders into the outbox in {tick_time:.1f} s "
        f"= {tick_time / max(moved, 1) * 1e6:.0f} µs per reminder"
    )
    swept = f"{sweep_time / closed * 1e6:.0f} µs each" if closed else "-"
    print(
        f"         the sweep closed {closed:,} unanswered in {sweep_time:.1f} s ({swept}); "
        f"a planner pass with nothing to do {idle_plan / max(idle_calls, 1) * 1e3:.1f} ms; RSS "
        f"{rss_mib():.0f} MiB"
    )

    # Each following day every patient's horizon is extended once by 24 hours: that is planning a day.
    for day in range(days):
        clock.now = START + timedelta(
            days=day + 1, minutes=5 * (day + 1)
        )  # just past each patient's threshold
        elapsed, planned = await timed(lambda: plan_everyone(jobs))
        rows_now = await count_rows(services, Reminder)
        print(
            f"  day {day + 2}: planning the day took {elapsed:.1f} s for {planned:,} patients "
            f"({elapsed / max(planned, 1) * 1e6:.0f} µs each); reminders table {rows_now:,} rows; "
            f"RSS {rss_mib():.0f} MiB, peak {peak_mib():.0f} MiB"
        )


class PacedTelegram:
    """A minimal Bot API adapter over aiohttp that keeps to the provider's limit: at most `rate` sends in any
    one-second window (the same sliding window the double enforces, with a little margin for jitter)."""

    name = "telegram"
    WINDOW = 1.01

    def __init__(self, http: aiohttp.ClientSession, base_url: str, token: str, rate: float) -> None:
        self.http, self.url, self.rate = http, f"{base_url}/bot{token}/sendMessage", int(rate)
        self.recent: deque[float] = deque()

    async def send(self, message: OutboundMessage) -> str | None:
        while True:
            now = time.monotonic()
            while self.recent and self.recent[0] <= now - self.WINDOW:
                self.recent.popleft()
            if len(self.recent) < self.rate:
                break
            await asyncio.sleep(self.recent[0] + self.WINDOW - now)
        self.recent.append(time.monotonic())
        async with self.http.post(
            self.url, data={"chat_id": message.address, "text": message.text}
        ) as response:
            body = await response.json()
        if body.get("ok"):
            return f"{body['result']['chat']['id']}:{body['result']['message_id']}"
        if body.get("error_code") == 429:
            raise RetryableSendError(body["description"], body.get("parameters", {}).get("retry_after"))
        raise PermanentSendError(body.get("description", "?"))


async def morning_wave(services: Services, count: int) -> None:
    """Clear what the simulation left (stale planned rows, unsent outbox rows) and make `count` patients'
    reminders fall due now, as a 09:00 wave does."""
    now = datetime.now(UTC)
    async with services.sessions() as session, session.begin():
        await session.execute(delete(Reminder).where(Reminder.status == "planned"))
        await session.execute(
            update(OutboxItem).where(OutboxItem.status == "pending").values(status="cancelled")
        )
        ids = list((await session.scalars(select(Patient.id).order_by(Patient.id).limit(count))).all())
        # Planning is measured above; here the planner has nothing to do (as on most ticks of a real day).
        await session.execute(update(Patient).values(reminders_planned_until=now + timedelta(days=30)))
        await rows.insert_planned(
            session,
            [
                {
                    "patient_id": pid,
                    "kind": "dose",
                    "slot_key": f"dose:wave-{now:%H%M%S}",
                    "local_slot": now.isoformat(),
                    "due_at": now,
                    "created_at": now,
                }
                for pid in ids
            ],
        )


async def dispatch(url: str, rate: float, seconds: float, verbose: bool = False) -> None:
    """Real time, real wiring: the outbox tick and the reminder jobs of `start_scheduler`."""
    services = await open_services(settings_for(url, psp_tick_seconds=1.0))
    wave = int(rate * seconds * 1.5)
    await morning_wave(services, wave)
    async with TelegramDouble(rate_limit=RateLimit(per_chat=None, overall=(int(rate), 1.0))) as double:
        http = aiohttp.ClientSession()
        services.channels["telegram"] = PacedTelegram(http, double.base_url, double.token, rate)
        start_scheduler(services)
        started = time.monotonic()
        await asyncio.sleep(seconds)
        assert services.scheduler is not None
        logging.getLogger("apscheduler").setLevel(
            logging.CRITICAL
        )  # jobs cut short at shutdown say so loudly
        services.scheduler.shutdown(wait=False)
        await asyncio.sleep(0.5)
        ok = [c.at for c in double.calls_to("sendMessage") if c.status == 200]
        refused = sum(1 for c in double.calls_to("sendMessage") if c.status == 429)
        if verbose:
            per_second = Counter(int(at - started) for at in ok)
            print("  sends per second:", [per_second.get(i, 0) for i in range(int(seconds))])
        window = [at for at in ok if started + 2.0 <= at < started + seconds]
        achieved = len(window) / (seconds - 2.0)
        print(
            f"  dispatch: {wave:,} reminders due at once; {len(ok):,} sent in {seconds:.0f} s; "
            f"steady {achieved:.1f} msg/s of {rate:.0f} allowed = {achieved / rate:.1%}; {refused} refused "
            f"(429)"
        )
        await http.close()
    await close_services(services)


async def pg_admin(admin_url: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def run_backend(backend: str, args: argparse.Namespace, workdir: Path) -> None:
    print(f"\n== {backend}: {args.patients:,} patients")
    crypto.configure(SECRET)
    drop: str | None = None
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / f'bench-{uuid.uuid4().hex[:6]}.db'}"
    else:
        name = f"psp_bench_{uuid.uuid4().hex[:8]}"
        await pg_admin(args.pg_admin, f'CREATE DATABASE "{name}"')
        drop = name
        url = f"{args.pg_admin.rsplit('/', 1)[0]}/{name}"
        from bot.storage import db

        engine = db.make_engine(url, null_pool=True)
        await db.upgrade(engine)
        await engine.dispose()
    try:
        clock = Clock()
        services = await open_services(settings_for(url), clock=clock)
        elapsed, _ = await timed(lambda: seed(services, args.patients, random.Random(args.seed)))
        print(f"  seeded in {elapsed:.1f} s; RSS {rss_mib():.0f} MiB")
        await simulate(services, clock, args.hours, args.days)
        await close_services(services)
        await dispatch(url, args.rate, args.dispatch_seconds, args.verbose)
    finally:
        if drop:
            await pg_admin(args.pg_admin, f'DROP DATABASE IF EXISTS "{drop}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--hours", type=int, default=6, help="working hours simulated in 5-minute ticks")
    parser.add_argument("--days", type=int, default=2, help="daily re-plans of every patient")
    parser.add_argument(
        "--rate", type=float, default=30.0, help="messages per second the channel double allows"
    )
    parser.add_argument("--dispatch-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="print sends per second during dispatch")
    parser.add_argument("--pg-admin", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp"))
    args = parser.parse_args()
    # A tick still busy when the next is due is skipped (max_instances=1) with a warning per skip:
    # expected here.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    for backend in backends:
        asyncio.run(run_backend(backend, args, args.workdir))
    print(f"\npeak RSS of the whole run: {peak_mib():.0f} MiB")


if __name__ == "__main__":
    main()
