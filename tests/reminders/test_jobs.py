"""The APScheduler side: job options, and stopping without cutting a job short."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from scheduler.jobs import Scheduler, add_reminder_jobs


async def test_stopping_lets_a_running_job_finish_its_batch() -> None:
    finished: list[str] = []

    async def batch() -> None:
        await asyncio.sleep(0.3)  # e.g. a transaction in progress
        finished.append("committed")

    scheduler = Scheduler(timezone=UTC)
    scheduler.add_job(batch, "date", run_date=datetime.now(UTC))
    scheduler.start()
    await asyncio.sleep(0.1)
    await scheduler.stop()
    assert finished == ["committed"] and not scheduler.running


async def test_reminder_jobs_run_late_rather_than_never_and_never_overlap() -> None:
    scheduler = Scheduler(timezone=UTC)
    add_reminder_jobs(scheduler, None, {}, lambda: datetime.now(UTC), tick_seconds=2.0)  # type: ignore[arg-type]
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"reminder-plan", "reminder-tick", "reminder-sweep"}
    for job in jobs.values():
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, None)
    assert jobs["reminder-tick"].trigger.interval.total_seconds() == 2.0
