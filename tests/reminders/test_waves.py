"""A reminder wave (everyone's 09:00 dose at once) is written in batches: each patient's reminder reaches the
outbox exactly once, and one reminder the database refuses costs only that reminder, not the wave."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import func, select, text

from bot.storage.models import Message, OutboxItem, Reminder
from scheduler.jobs import ReminderJobs
from tests.reminders.wave_seed import NOW, seed_wave


async def _queued(services: Any) -> Counter[int]:
    """Reminder messages in the outbox, per patient."""
    async with services.sessions() as session:
        found = await session.execute(
            select(Message.patient_id, func.count())
            .join(OutboxItem, OutboxItem.message_id == Message.id)
            .where(Message.kind == "reminder")
            .group_by(Message.patient_id)
        )
        return Counter(dict(found.all()))


async def _statuses(services: Any) -> Counter[str]:
    async with services.sessions() as session:
        return Counter(
            dict(
                (await session.execute(select(Reminder.status, func.count()).group_by(Reminder.status))).all()
            )
        )


async def test_a_wave_of_reminders_reaches_the_outbox_once_per_patient(services) -> None:  # type: ignore[no-untyped-def]
    ids = await seed_wave(services, 450)
    jobs = ReminderJobs(services.sessions, services.programs, lambda: NOW, dispatch_batch=100)
    assert await jobs.tick() == 450
    assert await jobs.tick() == 0
    assert await _queued(services) == Counter(dict.fromkeys(ids, 1))
    assert await _statuses(services) == Counter(sent=450)


async def test_a_reminder_the_database_refuses_does_not_hold_back_the_wave(services) -> None:  # type: ignore[no-untyped-def]
    ids = await seed_wave(services, 250)
    refused = ids[123]
    sqlite = services.engine.dialect.name == "sqlite"
    refuse = f"NEW.patient_id = {refused} AND NEW.direction = 'out'"
    ddl = (
        [
            f"CREATE TRIGGER refuse_one BEFORE INSERT ON messages WHEN {refuse} "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        ]
        if sqlite
        else [
            "CREATE OR REPLACE FUNCTION refuse_message() RETURNS trigger AS $$ BEGIN "
            f"IF {refuse} THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END "
            "$$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_one BEFORE INSERT ON messages "
            "FOR EACH ROW EXECUTE FUNCTION refuse_message()",
        ]
    )
    async with services.engine.begin() as conn:
        for statement in ddl:
            await conn.execute(text(statement))
    try:
        jobs = ReminderJobs(services.sessions, services.programs, lambda: NOW, dispatch_batch=100)
        assert await jobs.tick() == 250
        assert await jobs.tick() == 0, "the refused reminder is set aside, not tried forever"
    finally:
        async with services.engine.begin() as conn:
            if sqlite:
                await conn.execute(text("DROP TRIGGER refuse_one"))
            else:
                await conn.execute(text("DROP TRIGGER refuse_one ON messages"))
                await conn.execute(text("DROP FUNCTION refuse_message()"))
    assert await _queued(services) == Counter({pid: 1 for pid in ids if pid != refused})
    assert await _statuses(services) == Counter(sent=249, cancelled=1)
    assert jobs.stats.sent == 249 and jobs.stats.cancelled == 1
