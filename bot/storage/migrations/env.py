"""Alembic environment: runs on the connection handed in by bot.storage.db.upgrade, or on PSP_DATABASE_URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from bot.storage.models import Base

target_metadata = Base.metadata


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_settings() -> None:
    from bot.config import load_settings
    from bot.storage.db import make_engine

    engine = make_engine(load_settings().psp_database_url, null_pool=True)
    async with engine.begin() as conn:
        await conn.run_sync(_configure_and_run)
    await engine.dispose()


connection = context.config.attributes.get("connection")
if connection is not None:
    _configure_and_run(connection)
else:
    asyncio.run(_run_from_settings())
