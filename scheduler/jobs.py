"""Periodic reminder jobs. APScheduler only ticks; each run works through bounded batches of rows, one short
transaction per batch, so any process can run them and a crash loses at most one uncommitted batch.

- `plan`: extend the 48-hour horizon of patients whose planned rows run out within a day (and of new ones).
- `tick`: move due reminders into the outbox, or record them as missed when too late.
- `sweep`: close reminders whose answer window passed (no_response, non-responder tasks), archive old rows.

Job options, set on purpose (APScheduler's defaults would skip a run more than 1 s late):
`coalesce=True` — after the loop was blocked or the machine slept, one run catches up on everything due, not
N; `max_instances=1` — a long run is never overlapped by the next one in the same process (they would fight
over the same rows); `misfire_grace_time=None` — a late run is always still worth doing: lateness is judged
per row by `bot.reminders.plans.late_decision`, not by dropping ticks.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED, JobEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.programs import Program
from bot.reminders import planning
from scheduler import reminders

log = logging.getLogger(__name__)

PLAN_EVERY_SECONDS = 30.0
SWEEP_EVERY_SECONDS = 60.0
JOB_OPTIONS: dict[str, Any] = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}


@dataclass
class ReminderStats:
    planned_patients: int = 0
    sent: int = 0
    missed: int = 0
    cancelled: int = 0
    no_response: int = 0
    nonresponders: int = 0
    archived: int = 0


@dataclass
class ReminderJobs:
    """The three jobs over one database.

    Each run takes batches until the work is done or its time budget is spent. Planning has a small budget on
    purpose: it is CPU work with a day of slack (rows exist 48 hours ahead and are extended when less than 24
    remain), so a whole program's daily re-planning is spread over many runs instead of starving the sender.
    Batches are short transactions, so on SQLite the sender's writes slip in between them.
    """

    sessions: async_sessionmaker[AsyncSession]
    programs: Mapping[str, Program]
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    plan_batch: int = 200
    dispatch_batch: int = 200
    sweep_batch: int = 500
    plan_budget: float = 2.0
    budget: float = 20.0
    stats: ReminderStats = field(default_factory=ReminderStats)

    async def plan(self) -> int:
        """Plan until no patient needs it (or the planning budget is spent); returns patients planned."""
        total, started = 0, time.monotonic()
        while True:
            async with self.sessions() as session, session.begin():
                done = await planning.plan_batch(session, self.programs, self.clock(), self.plan_batch)
            total += done
            if done < self.plan_batch or time.monotonic() - started > self.plan_budget:
                break
        self.stats.planned_patients += total
        return total

    async def tick(self) -> int:
        """Move everything due into the outbox; returns how many rows were handled."""
        total, started = 0, time.monotonic()
        while True:
            try:
                async with self.sessions() as session, session.begin():
                    result = await reminders.dispatch_due(
                        session, self.programs, self.clock(), self.dispatch_batch
                    )
            except Exception:
                log.exception("reminders: a batch failed; moving it one reminder at a time")
                result = await self._one_at_a_time(self.dispatch_batch)
            self.stats.sent += result.sent
            self.stats.missed += result.missed
            self.stats.cancelled += result.cancelled
            total += result.claimed
            if result.claimed < self.dispatch_batch or time.monotonic() - started > self.budget:
                break
        return total

    async def _one_at_a_time(self, count: int) -> reminders.DispatchResult:
        """Up to `count` reminders, each in its own transaction; one the database refuses is set aside, so a
        bad row costs its own reminder, never the wave (a failure of the database itself still raises)."""
        total = reminders.DispatchResult()
        for _ in range(count):
            async with self.sessions() as session, session.begin():
                one = await reminders.dispatch_one_or_set_aside(session, self.programs, self.clock())
            if one.claimed == 0:
                break
            total.claimed += one.claimed
            total.sent += one.sent
            total.missed += one.missed
            total.cancelled += one.cancelled
        return total

    async def sweep(self) -> int:
        """Close unanswered reminders, open non-responder tasks, archive old cancelled rows."""
        total, started = 0, time.monotonic()
        while True:
            async with self.sessions() as session, session.begin():
                result = await reminders.close_unanswered(
                    session, self.programs, self.clock(), self.sweep_batch
                )
            total += result.no_response
            self.stats.no_response += result.no_response
            self.stats.nonresponders += len(result.nonresponders)
            if result.no_response < self.sweep_batch or time.monotonic() - started > self.budget:
                break
        async with self.sessions() as session, session.begin():
            self.stats.archived += await reminders.archive(session, self.clock())
        return total

    async def run_all(self) -> None:
        """One round of every job (tests, benchmarks)."""
        await self.plan()
        await self.tick()
        await self.sweep()


def add_reminder_jobs(
    scheduler: BaseScheduler,
    sessions: async_sessionmaker[AsyncSession],
    programs: Mapping[str, Program],
    clock: Callable[[], datetime],
    tick_seconds: float,
) -> ReminderJobs:
    """Register the reminder jobs on `scheduler` (called by `bot.app.start_scheduler`)."""
    jobs = ReminderJobs(sessions, programs, clock)
    first = datetime.now(UTC)  # APScheduler's own wall clock: when to start ticking, not a business time
    scheduler.add_job(
        jobs.plan,
        "interval",
        seconds=PLAN_EVERY_SECONDS,
        id="reminder-plan",
        next_run_time=first,
        **JOB_OPTIONS,
    )
    scheduler.add_job(
        jobs.tick, "interval", seconds=tick_seconds, id="reminder-tick", next_run_time=first, **JOB_OPTIONS
    )
    scheduler.add_job(jobs.sweep, "interval", seconds=SWEEP_EVERY_SECONDS, id="reminder-sweep", **JOB_OPTIONS)
    return jobs


class Scheduler(AsyncIOScheduler):
    """An AsyncIOScheduler that stops without cancelling a job halfway through its batch.

    APScheduler's `shutdown()` cancels running coroutine jobs. A job cancelled inside a database transaction
    abandons its connection mid-operation (with aiosqlite, a worker thread that then keeps the process from
    exiting). `stop()` pauses ticking, lets running jobs finish their current batch, then shuts down.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._running_jobs = 0
        self.add_listener(self._count_running, EVENT_JOB_SUBMITTED | EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _count_running(self, event: JobEvent) -> None:
        self._running_jobs += 1 if event.code == EVENT_JOB_SUBMITTED else -1

    async def stop(self, timeout: float = 15.0) -> None:
        if not self.running:
            return
        self.pause()
        deadline = time.monotonic() + timeout
        while self._running_jobs > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        self.shutdown(wait=False)
        await asyncio.sleep(0)  # AsyncIOScheduler.shutdown runs on the loop's next turn
