"""Engine and sessions: SQLite in WAL mode with serialised writers, or PostgreSQL through asyncpg."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import AdaptedConnection, Connection
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from bot.storage import sqlite_driver

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def make_engine(url: str, *, null_pool: bool = False) -> AsyncEngine:
    """An engine for `url`; on SQLite every transaction is `BEGIN IMMEDIATE` so writers queue, not fail."""
    kwargs: dict[str, Any] = {}
    if null_pool:
        kwargs["poolclass"] = NullPool
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": 30}
        if url.startswith("sqlite+aiosqlite"):
            kwargs["module"] = sqlite_driver.dbapi()  # one hand-off to aiosqlite's thread per statement
        if not null_pool:
            # Every SQLite transaction writes (BEGIN IMMEDIATE), so one connection is all a process can use at
            # a time. With one, the process's writers queue in order for it instead of meeting in SQLite's
            # busy handler, which sleeps 1, 2, 5 ... 100 ms between tries while the lock may be free again.
            kwargs["pool_size"], kwargs["max_overflow"] = 1, 0
    # Statement parameters are message bodies and personal data: never put them in an error message or a log.
    engine = create_async_engine(url, hide_parameters=True, **kwargs)
    if engine.dialect.name == "sqlite":
        _sqlite_hooks(engine)
    return engine


def _sqlite_hooks(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A read that later writes would fail at once with SQLITE_BUSY in WAL; taking the write lock up
        # front makes writers wait on busy_timeout instead ("database is locked" never reaches a patient).
        # Sent to aiosqlite directly (SQLAlchemy's documented `run_async`): one hand-off to its thread, where
        # a statement through SQLAlchemy's cursor costs three (cursor, execute, close), each waiting for the
        # event loop. Every transaction begins so, and the process's one connection is held meanwhile.
        driver = conn.connection.dbapi_connection
        assert isinstance(driver, AdaptedConnection)
        driver.run_async(lambda aiosqlite_conn: aiosqlite_conn.execute("BEGIN IMMEDIATE"))


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Apply migrations on this engine (usable from inside a running loop)."""

    def _run(sync_conn: Connection) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = sync_conn
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


async def ping(engine: AsyncEngine) -> bool:
    """True when the database answers a trivial query."""
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - health check reports, never raises
        return False
