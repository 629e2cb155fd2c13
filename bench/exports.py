"""How the adherence export (or another, `--kind`) grows with the number of patients, on SQLite and
PostgreSQL.

Each patient is enrolled in January 2026 and has a year of daily dose events (80% taken, 5% skipped,
10% unanswered, 5% not sent) and a pharmacy refill about every 30 days (sometimes late, now and then a
patient report of the same dispensing). The database is seeded with bulk inserts (sqlite3 executemany,
PostgreSQL COPY), grown from one size to the next; each export of 2026 runs in a fresh child process, which
reports its wall time and its peak resident memory (and the memory it had before exporting).

    python bench/exports.py [--sizes 5000,10000,20000] [--backends sqlite,postgresql] [--kind adherence]
                            [--format csv] [--postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test]
                            [--workdir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402 (after the sys.path line above)
from bot.storage import crypto  # noqa: E402 (after the sys.path line above)

SECRET = "bench-secret-key"
PROGRAM = "cardiozen-daily"
YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)
EXPORT_AT = datetime(2027, 1, 2, 6, 0, tzinfo=UTC)  # the export covers the whole of 2026
CHUNK = 1000
LOCALES = ("en", "es", "fr", "de", "pt", "ar")
STATUSES = ("taken",) * 16 + ("skipped",) + ("no_response",) * 2 + ("missed_not_sent",)
SQLITE_TS = "%Y-%m-%d %H:%M:%S.%f"
DEFAULT_PG = os.environ.get("PSP_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")


# --- synthetic facts --------------------------------------------------------------------------------------


def _patients(first: int, last: int) -> Iterator[dict[str, Any]]:
    for pid in range(first, last + 1):
        rng = random.Random(pid)
        enrolled = datetime.combine(YEAR_START, datetime.min.time(), UTC) + timedelta(
            days=rng.randrange(30), hours=rng.randrange(8, 20)
        )
        yield {
            "id": pid,
            "ref": f"PSP-{pid:06d}",
            "locale": LOCALES[pid % len(LOCALES)],
            "enrolled": enrolled,
            "channel": "sms" if pid % 3 == 0 else "telegram",
        }


_DAYS = [YEAR_START + timedelta(days=n) for n in range((YEAR_END - YEAR_START).days + 1)]
_DUE = {day: datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC) for day in _DAYS}
_OFFSETS = [timedelta(seconds=s) for s in range(5400)]
_TWO_HOURS = timedelta(hours=2)


def _doses(patient: dict[str, Any]) -> Iterator[tuple[date, str, int | None]]:
    """(day, status, seconds to answer) for every day after enrolment: the dose is due at 08:00 UTC."""
    rng = random.Random(-patient["id"])
    first = (patient["enrolled"].date() - YEAR_START).days + 1
    for day in _DAYS[first:]:
        status = rng.choice(STATUSES)
        yield day, status, (rng.randrange(30, 5400) if status in ("taken", "skipped") else None)


def _dose_rows_sqlite(patient: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    pid, channel = patient["id"], patient["channel"]
    for day, status, seconds in _doses(patient):
        stamp = day.isoformat()
        answered = None
        if seconds is not None:
            answered = f"{stamp} {8 + seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.000000"
        yield (
            pid,
            f"{stamp} 08:00:00.000000",
            f"{stamp}T08:00:00+00:00",
            status,
            answered,
            channel if seconds is not None else None,
            f"{stamp} 10:00:00.000000",
        )


def _dose_rows_pg(patient: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    pid, channel = patient["id"], patient["channel"]
    for day, status, seconds in _doses(patient):
        due = _DUE[day]
        answered = None if seconds is None else due + _OFFSETS[seconds]
        yield (
            pid,
            due,
            f"{day.isoformat()}T08:00:00+00:00",
            status,
            answered,
            channel if seconds is not None else None,
            due + _TWO_HOURS,
        )


def _fills(patient: dict[str, Any]) -> Iterator[tuple[date, int, str]]:
    rng = random.Random(patient["id"] * 7919)
    day = patient["enrolled"].date()
    while day <= YEAR_END:
        yield day, 30, "pharmacy"
        if rng.random() < 0.2:
            yield (
                day + timedelta(days=rng.randrange(0, 4)),
                30,
                "patient",
            )  # the patient's "yes" for the same box
        day += timedelta(days=30 + (rng.randrange(0, 25) if rng.random() < 0.15 else rng.randrange(-3, 4)))


# --- bulk seeding -----------------------------------------------------------------------------------------


def _sqlite_ts(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).strftime(SQLITE_TS)


def seed_sqlite(path: Path, first: int, last: int) -> int:
    """Insert patients first..last with their addresses, doses and fills; returns dose rows written."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous=OFF")
    written = 0
    for start in range(first, last + 1, CHUNK):
        batch = list(_patients(start, min(start + CHUNK - 1, last)))
        with conn:
            conn.executemany(
                "INSERT INTO patients (id, patient_ref, program_id, status, locale, timezone, country, "
                "reminder_times,"
                " created_at, enrolled_at) VALUES (?, ?, ?, 'active', ?, 'Europe/Madrid', 'ES', "
                "'[\"09:00\"]', ?, ?)",
                [
                    (
                        p["id"],
                        p["ref"],
                        PROGRAM,
                        p["locale"],
                        _sqlite_ts(p["enrolled"] - timedelta(minutes=5)),
                        _sqlite_ts(p["enrolled"]),
                    )
                    for p in batch
                ],
            )
            conn.executemany(
                "INSERT INTO addresses (patient_id, channel, lookup, value, opted_out, unreachable, "
                "created_at)"
                " VALUES (?, ?, ?, ?, 0, 0, ?)",
                [
                    (
                        p["id"],
                        p["channel"],
                        crypto.lookup_hash(p["channel"], f"bench-{p['id']}"),
                        crypto.encrypt(f"bench-{p['id']}"),
                        _sqlite_ts(p["enrolled"]),
                    )
                    for p in batch
                ],
            )
            rows = [row for p in batch for row in _dose_rows_sqlite(p)]
            conn.executemany(
                "INSERT INTO dose_events (patient_id, scheduled_at, local_slot, status, answered_at, channel,"
                " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            written += len(rows)
            conn.executemany(
                "INSERT INTO refills (patient_id, fill_date, days_supply, product, source, recorded_at)"
                " VALUES (?, ?, ?, 'CardioZen', ?, ?)",
                [
                    (p["id"], d.isoformat(), days, source, _sqlite_ts(EXPORT_AT))
                    for p in batch
                    for d, days, source in _fills(p)
                ],
            )
    conn.execute("ANALYZE")
    conn.close()
    return written


async def seed_postgres(dsn: str, first: int, last: int) -> int:
    import asyncpg

    conn = await asyncpg.connect(dsn)
    written = 0
    try:
        # The rows are consistent by construction: skip the per-row foreign-key triggers while seeding.
        await conn.execute("SET session_replication_role = replica")
        for start in range(first, last + 1, CHUNK):
            batch = list(_patients(start, min(start + CHUNK - 1, last)))
            async with conn.transaction():
                await conn.copy_records_to_table(
                    "patients",
                    columns=[
                        "id",
                        "patient_ref",
                        "program_id",
                        "status",
                        "locale",
                        "timezone",
                        "country",
                        "reminder_times",
                        "created_at",
                        "enrolled_at",
                    ],
                    records=[
                        (
                            p["id"],
                            p["ref"],
                            PROGRAM,
                            "active",
                            p["locale"],
                            "Europe/Madrid",
                            "ES",
                            '["09:00"]',
                            p["enrolled"] - timedelta(minutes=5),
                            p["enrolled"],
                        )
                        for p in batch
                    ],
                )
                await conn.copy_records_to_table(
                    "addresses",
                    columns=[
                        "patient_id",
                        "channel",
                        "lookup",
                        "value",
                        "opted_out",
                        "unreachable",
                        "created_at",
                    ],
                    records=[
                        (
                            p["id"],
                            p["channel"],
                            crypto.lookup_hash(p["channel"], f"bench-{p['id']}"),
                            crypto.encrypt(f"bench-{p['id']}"),
                            False,
                            False,
                            p["enrolled"],
                        )
                        for p in batch
                    ],
                )
                rows = [row for p in batch for row in _dose_rows_pg(p)]
                await conn.copy_records_to_table(
                    "dose_events",
                    columns=[
                        "patient_id",
                        "scheduled_at",
                        "local_slot",
                        "status",
                        "answered_at",
                        "channel",
                        "recorded_at",
                    ],
                    records=rows,
                )
                written += len(rows)
                await conn.copy_records_to_table(
                    "refills",
                    columns=["patient_id", "fill_date", "days_supply", "product", "source", "recorded_at"],
                    records=[
                        (p["id"], d, days, "CardioZen", source, EXPORT_AT)
                        for p in batch
                        for d, days, source in _fills(p)
                    ],
                )
        await conn.execute(
            "SELECT setval(pg_get_serial_sequence('patients', 'id'), (SELECT max(id) FROM patients))"
        )
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return written


# --- the measured export (child process) ------------------------------------------------------------------


def _settings(url: str):  # type: ignore[no-untyped-def]
    return load_settings(
        psp_database_url=url,
        psp_secret_key=SECRET,
        psp_content_dir=ROOT / "content",
        psp_locales_dir=ROOT / "locales",
        _env_file=None,
    )


def _peak_rss_mib() -> float:
    """This process's peak resident memory. Not `ru_maxrss`: Linux carries that over from the parent
    through fork and exec, so a child would report the seeding parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def child(url: str, kind: str, fmt: str, out: Path) -> dict[str, float]:
    from bot.analytics.queries import export_to
    from bot.app import close_services, open_services

    services = await open_services(_settings(url), clock=lambda: EXPORT_AT)
    before = _peak_rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        rows = await export_to(services, kind, fmt, out, YEAR_START, YEAR_END)
    finally:
        await close_services(services)
    return {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "rows": rows,
        "rss_before": before,
        "rss_peak": _peak_rss_mib(),
        "bytes": out.stat().st_size,
    }


def measure(url: str, kind: str, fmt: str, workdir: Path) -> dict[str, float]:
    out = workdir / f"{kind}-{uuid.uuid4().hex[:6]}.{fmt}"
    result = subprocess.run(
        [sys.executable, __file__, "--child", url, "--kind", kind, "--format", fmt, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(result.stderr)
    out.unlink(missing_ok=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- driver -----------------------------------------------------------------------------------------------


async def _pg_admin(server: str, sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _migrate(url: str) -> None:
    from bot.app import close_services, open_services
    from bot.storage import db

    engine = db.make_engine(url, null_pool=True)
    await db.upgrade(engine)
    await engine.dispose()
    services = await open_services(_settings(url), clock=lambda: EXPORT_AT)  # loads the programs table
    await close_services(services)


def run_backend(
    backend: str, sizes: list[int], kind: str, fmt: str, pg_server: str, workdir: Path
) -> list[dict[str, Any]]:
    name = f"psp_bench_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        url = f"sqlite+aiosqlite:///{path}"
    else:
        asyncio.run(_pg_admin(pg_server, f'CREATE DATABASE "{name}"'))
        url = f"{pg_server.rsplit('/', 1)[0]}/{name}"
    results = []
    try:
        asyncio.run(_migrate(url))
        seeded = 0
        for size in sizes:
            started = time.perf_counter()
            if backend == "sqlite":
                doses = seed_sqlite(path, seeded + 1, size)
            else:
                doses = asyncio.run(
                    seed_postgres(url.replace("postgresql+asyncpg://", "postgresql://"), seeded + 1, size)
                )
            seed_seconds = time.perf_counter() - started
            seeded = size
            numbers = measure(url, kind, fmt, workdir)
            numbers.update(backend=backend, patients=size, seed_seconds=seed_seconds, new_dose_rows=doses)
            results.append(numbers)
            print(
                f"{backend:10} {size:>6} patients: {numbers['seconds']:6.1f} s "
                f"({numbers['seconds'] / size * 1000:.2f} ms/patient; this process's CPU "
                f"{numbers['cpu']:.1f} s), peak RSS {numbers['rss_peak']:6.0f} MiB "
                f"(+{numbers['rss_peak'] - numbers['rss_before']:.0f} MiB while exporting), "
                f"{numbers['rows']} rows; seeded {doses:,} dose events in {seed_seconds:.0f} s",
                flush=True,
            )
    finally:
        if backend == "postgresql":
            asyncio.run(_pg_admin(pg_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="5000,10000,20000", help="patient counts, ascending")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument(
        "--kind", default="adherence", choices=["adherence", "doses", "refills", "engagement"]
    )
    parser.add_argument("--format", default="csv", choices=["csv", "parquet", "json"])
    parser.add_argument(
        "--postgres", default=DEFAULT_PG, help="server URL (a scratch database is created on it)"
    )
    parser.add_argument(
        "--workdir", type=Path, help="where the SQLite file and exports go (default: a temp dir)"
    )
    parser.add_argument("--child", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    crypto.configure(SECRET)
    if args.child:
        print(json.dumps(asyncio.run(child(args.child, args.kind, args.format, args.out))))
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    print(
        f"{args.kind} export of 2026 ({args.format}), a year of daily doses and monthly refills per patient"
    )
    with tempfile.TemporaryDirectory(prefix="psp-exports-bench-", dir=args.workdir) as tmp:
        for backend in args.backends.split(","):
            run_backend(backend.strip(), sizes, args.kind, args.format, args.postgres, Path(tmp))


if __name__ == "__main__":
    main()
