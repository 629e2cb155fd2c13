"""Synthetic facts for bench/exports.py: a year of doses and fills per patient, bulk-seeded into SQLite or
PostgreSQL."""

from __future__ import annotations

import os
import random
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

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


# Over 60 lines on purpose: bulk-loads each table in turn on one connection; one COPY block per table.
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
