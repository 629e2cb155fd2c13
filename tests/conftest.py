"""Shared fixtures: a real database (an SQLite file, and PostgreSQL when reachable), a clock we control,
and the services wired exactly as `psp serve` wires them."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import load_settings
from bot.storage import crypto

pytest_plugins = ["tests.doubles.fixtures"]

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("PSP_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
TEST_SECRET = "test-secret-key-not-for-production"

crypto.configure(TEST_SECRET)


@dataclass
class FakeClock:
    """Time that only moves when a test moves it."""

    now: datetime = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def _in_thread(make_coro: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run a coroutine on its own loop in a thread: session fixtures may be created inside a test's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(make_coro())).result()


async def _pg_admin(sql: str) -> None:
    import asyncpg

    dsn = PG_SERVER.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn, timeout=3)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, migrated to head; dropped afterwards."""
    name = f"psp_test_{uuid.uuid4().hex[:10]}"
    try:
        _in_thread(lambda: _pg_admin(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001
        pytest.skip(
            f"PostgreSQL not reachable at {PG_SERVER} ({type(exc).__name__}: {exc}); PostgreSQL tests skipped"
        )
    base = PG_SERVER.rsplit("/", 1)[0]
    url = f"{base}/{name}"

    async def migrate() -> None:
        from bot.storage import db

        engine = db.make_engine(url, null_pool=True)
        await db.upgrade(engine)
        await engine.dispose()

    _in_thread(migrate)
    yield url
    _in_thread(lambda: _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _truncate_pg(url: str) -> None:
    from sqlalchemy import text

    from bot.storage import db
    from bot.storage.models import Base

    engine = db.make_engine(url, null_pool=True)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each storage-touching test runs on an SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"
    url: str = request.getfixturevalue("pg_database")
    await _truncate_pg(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_settings(database_url: str, **overrides: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "psp_database_url": database_url,
        "psp_secret_key": TEST_SECRET,
        "psp_content_dir": ROOT / "content",
        "psp_locales_dir": ROOT / "locales",
        # no random second look unless a test asks for one (tests/pv/test_pv_review_*)
        "psp_pv_second_look_rate": 0.0,
        "_env_file": None,
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
async def services(database_url: str, clock: FakeClock) -> AsyncIterator[object]:
    from bot.app import close_services, open_services

    svc = await open_services(make_settings(database_url), clock=clock)
    yield svc
    await close_services(svc)
