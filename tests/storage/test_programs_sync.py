"""Programs are synced at every start: processes starting together on one database must not collide."""

from __future__ import annotations

import asyncio

from sqlalchemy import delete, select

from bot.storage import db, queries
from bot.storage.models import Program

PROGRAMS = {"cardiozen-daily": ("CardioZen Support", "CardioZen"), "ostelix-weekly": ("Ostelix", "Ostelix")}


async def test_two_processes_starting_together_sync_the_programs_once(database_url: str) -> None:  # type: ignore[no-untyped-def]
    engine = db.make_engine(database_url)
    await db.upgrade(engine)
    sessions = db.session_factory(engine)
    async with sessions() as session, session.begin():
        await session.execute(delete(Program))  # a first start: no program known yet

    async def start() -> None:
        async with sessions() as session, session.begin():
            await queries.sync_programs(session, PROGRAMS)

    try:
        await asyncio.gather(start(), start(), start())  # a read-then-insert raised a duplicate key here
        async with sessions() as session, session.begin():
            await queries.sync_programs(session, {**PROGRAMS, "ostelix-weekly": ("Ostelix Plus", "Ostelix")})
        async with sessions() as session:
            rows = {p.id: (p.name, p.product) for p in (await session.scalars(select(Program))).all()}
    finally:
        await engine.dispose()
    assert rows == {
        "cardiozen-daily": ("CardioZen Support", "CardioZen"),
        "ostelix-weekly": ("Ostelix Plus", "Ostelix"),
    }
