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
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from exports_seed import (  # noqa: E402 (bench/ is on sys.path when run as a script)
    DEFAULT_PG,
    EXPORT_AT,
    SECRET,
    YEAR_END,
    YEAR_START,
    seed_postgres,
    seed_sqlite,
)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402 (after the sys.path line above)
from bot.storage import crypto  # noqa: E402 (after the sys.path line above)

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
