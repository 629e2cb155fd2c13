"""Periodic content jobs: the education journey tick and the daily approval-expiry watch.

Both are idempotent sweeps, safe to run in several processes at once:

- `journey_tick` (every JOURNEY_TICK): for each active patient whose local time is inside the journey window
  (10:00-19:00, outside the program's quiet hours) and who got no journey module today, asks
  `next_module` and writes the module to the outbox in the same transaction as its delivery row. A first
  read-only pass filters the patients in bulk; the write step (`bot.learn.wave.send_wave`) locks a chunk of
  WAVE patients, checks each again and writes the whole chunk in one transaction with multi-row statements.
- `expiry_watch` (daily): opens one support task (kind `content_expiring`) per module whose approval lapses
  within 30 days, once per module and expiry date.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.core.programs import Program
from bot.learn import store as content
from bot.learn.modules import Module
from bot.learn.pacing import due_module, may_push_at
from bot.learn.send import push_journey_module
from bot.learn.status import expiring
from bot.learn.wave import send_wave
from bot.storage.models import ContentDelivery

log = logging.getLogger(__name__)

JOURNEY_TICK = timedelta(minutes=10)
EXPIRY_WATCH_EVERY = timedelta(days=1)
BATCH = 500  # patients read per query by the filtering pass
WAVE = 250  # patients written per transaction
Clock = Callable[[], datetime]


@dataclass
class JourneyStats:
    looked_at: int = 0  # active patients
    in_window: int = 0  # whose local time allows a journey message now
    due: int = 0  # for whom the journey had a module
    sent: int = 0


async def journey_tick(
    sessions: async_sessionmaker[AsyncSession],
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    clock: Clock,
    *,
    batch: int = BATCH,
    wave: int = WAVE,
) -> JourneyStats:
    """Send today's journey module to every patient for whom one is due and the moment is right."""
    now = clock()
    stats = JourneyStats()
    async with sessions() as session:
        patients = await content.journey_patients(session)
    stats.looked_at = len(patients)
    candidates = [
        p
        for p in patients
        if p.program_id in programs and may_push_at(now, p.timezone, programs[p.program_id].reminders)
    ]
    stats.in_window = len(candidates)
    for start in range(0, len(candidates), batch):
        chunk = candidates[start : start + batch]
        ids = [p.id for p in chunk]
        async with sessions() as session:
            records = await content.deliveries_for(session, ids)
            reports = await content.pv_cases_opened(session, ids)
        due = [p.id for p in chunk if _due(p, programs, modules, records[p.id], reports[p.id], now)]
        stats.due += len(due)
        for first in range(0, len(due), wave):
            stats.sent += await _send_wave(sessions, due[first : first + wave], programs, modules, now)
    if stats.sent:
        log.info("journey: %d modules sent (%d patients in their window)", stats.sent, stats.in_window)
    return stats


def _due(
    p: content.JourneyPatient,
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    mine: list[ContentDelivery],
    reports: list[datetime],
    now: datetime,
) -> bool:
    """The read-only pre-check: would the journey send this patient a module now? (`send_wave` checks
    again under lock.)"""
    chosen = due_module(
        programs[p.program_id],
        modules,
        mine,
        reports,
        now,
        tz=p.timezone,
        locale=p.locale,
        enrolled_at=p.enrolled_at,
        paused_until=p.paused_until,
    )
    return chosen is not None


async def _send_wave(
    sessions: async_sessionmaker[AsyncSession],
    ids: list[int],
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    now: datetime,
) -> int:
    """One transaction for the chunk; when it fails, each patient again in a transaction of their own, so
    one bad row costs one patient their module (until the next tick), never the rest of the wave."""
    try:
        async with sessions() as session, session.begin():
            result = await send_wave(session, ids, programs=programs, modules=modules, now=now)
        return len(result.sent)
    except Exception:
        log.exception("journey: writing a wave of %d patients failed; sending one by one", len(ids))
    sent = 0
    for patient_id in ids:
        try:
            async with sessions() as session, session.begin():
                row = await push_journey_module(
                    session, patient_id, programs=programs, modules=modules, now=now
                )
            sent += row is not None
        except Exception:
            log.exception("journey: cannot send to patient %s", patient_id)
    return sent


async def expiry_watch(
    sessions: async_sessionmaker[AsyncSession], modules: Mapping[str, Module], clock: Clock
) -> int:
    """Tell staff about every module whose approval lapses within 30 days; returns the tasks opened."""
    now = clock()
    today = now.date()
    opened = 0
    async with sessions() as session, session.begin():
        for item in expiring(modules, today):
            task = await content.notify_once(
                session, kind="content_expiring", key=item.key, detail=item.describe(today), now=now
            )
            opened += task is not None
    if opened:
        log.warning("content: %d modules expire within 30 days; support tasks opened", opened)
    return opened


def add_content_jobs(
    scheduler: BaseScheduler,
    sessions: async_sessionmaker[AsyncSession],
    programs: Mapping[str, Program],
    modules: Mapping[str, Module],
    clock: Clock,
) -> None:
    """Register both jobs; the expiry watch also runs shortly after start-up so a restart never skips a
    day."""

    async def journey() -> None:
        await journey_tick(sessions, programs, modules, clock)

    async def watch() -> None:
        await expiry_watch(sessions, modules, clock)

    common = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
    scheduler.add_job(
        journey, "interval", seconds=JOURNEY_TICK.total_seconds(), id="content-journey", **common
    )
    scheduler.add_job(
        watch,
        "interval",
        seconds=EXPIRY_WATCH_EVERY.total_seconds(),
        id="content-expiry-watch",
        next_run_time=clock() + timedelta(minutes=1),
        **common,
    )
