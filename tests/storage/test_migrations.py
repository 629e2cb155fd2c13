"""Migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.storage import db
from bot.storage.models import Base


async def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = db.make_engine(database_url, null_pool=True)
    try:
        await db.upgrade(engine)

        def diff(sync_conn: Any) -> list[Any]:
            ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
            return list(compare_metadata(ctx, Base.metadata))

        async with engine.connect() as conn:
            differences = await conn.run_sync(diff)
    finally:
        await engine.dispose()
    assert differences == [], "models changed without a migration: " + repr(differences)


async def test_upgrade_is_idempotent(sqlite_url: str) -> None:
    engine = db.make_engine(sqlite_url, null_pool=True)
    try:
        await db.upgrade(engine)
        await db.upgrade(engine)
        async with engine.connect() as conn:
            head = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
    finally:
        await engine.dispose()
    assert head is not None
