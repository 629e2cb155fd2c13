"""The one wiring module: database, catalogs, programs, conversation, channels, dispatcher, scheduler."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import i18n
from bot.channels.base import Channel
from bot.config import ConfigError, Settings
from bot.conversation.pipeline import Conversation
from bot.conversation.router import Router
from bot.core.programs import Program, load_programs
from bot.enrolment import flow as enrolment_flow
from bot.enrolment import withdrawal
from bot.learn import flow as learn_flow
from bot.learn.modules import ContentError, Module, load_modules
from bot.linking import flow as linking_flow
from bot.linking import phone as phone_linking
from bot.metrics import Metrics
from bot.pv import followup as pv_followup
from bot.pv import intake
from bot.pv.second_look import SecondLookPolicy
from bot.reminders import flow as reminder_flow
from bot.safety import default_screener
from bot.storage import crypto, db, preflight, queries
from scheduler import pv_jobs
from scheduler.content_jobs import add_content_jobs
from scheduler.dispatch import Dispatcher
from scheduler.jobs import Scheduler, add_reminder_jobs

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a running process holds; built once by `open_services`, closed by `close_services`."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    programs: dict[str, Program]
    conversation: Conversation
    dispatcher: Dispatcher
    channels: dict[str, Channel] = field(default_factory=dict)
    channel_status: dict[str, str] = field(default_factory=dict)
    scheduler: AsyncIOScheduler | None = None
    closers: list[Callable[[], Any]] = field(default_factory=list)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    modules: dict[str, Module] = field(default_factory=dict)  # approved educational modules, read at start-up
    dispatch_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pv_intake: intake.Intake | None = None  # what the screen's tiers lead to (cases, review, second look)
    metrics: Metrics = field(default_factory=Metrics)  # latency histograms, this process's own registry

    @property
    def dispatch_batch(self) -> int:
        return self.dispatcher.batch

    async def dispatch_now(self, fresh: Callable[[], bool] | None = None) -> int:
        """One dispatcher round now: the outbox tick, and channels that want replies out at once, call this.

        One round at a time per process, so two rounds never send one patient's messages out of order.
        `fresh()` says whether replies were queued since it was last asked (see `Dispatcher.run_once`).
        """
        async with self.dispatch_lock:
            return await self.dispatcher.run_once(fresh)


async def dispatch_now(services: Services) -> int:
    """One dispatcher round now (see `Services.dispatch_now`)."""
    return await services.dispatch_now()


def register_flows(
    router: Router, programs: dict[str, Program], modules: dict[str, Module], settings: Settings
) -> intake.Intake:
    """Every feature registers what it answers; the order of registration does not matter."""
    pv_intake = intake.register(
        router,
        programs,
        settings.psp_pv_due_hours,
        settings.psp_pv_review_hours,
        second_look_policy(settings),
    )
    enrolment_flow.register(router, programs)
    withdrawal.register(router, programs)
    linking_flow.register(router)
    phone_linking.register(router)
    learn_flow.register(router, programs, modules)
    pv_followup.install(router)
    reminder_flow.register(router, programs)
    return pv_intake


def second_look_policy(settings: Settings) -> SecondLookPolicy:
    return SecondLookPolicy(settings.psp_pv_second_look_rate, settings.psp_pv_second_look_weekly_min)


async def open_services(settings: Settings, clock: Callable[[], datetime] | None = None) -> Services:
    """Connect, migrate (SQLite) or check the schema (PostgreSQL), load programs and catalogs."""
    clock = clock or (lambda: datetime.now(UTC))
    assert settings.psp_secret_key, "load_settings() fills the secret key"
    crypto.configure(settings.psp_secret_key)
    for variable, folder in (
        ("PSP_CONTENT_DIR", settings.psp_content_dir),
        ("PSP_LOCALES_DIR", settings.psp_locales_dir),
    ):
        if not folder.is_dir():
            raise ConfigError(
                f"{variable}: no such directory {folder} (set {variable} to your program's folder)"
            )
    i18n.configure(settings.psp_locales_dir)
    programs = load_programs(settings.psp_content_dir)
    if not programs:
        raise ConfigError(f"PSP_CONTENT_DIR: no program in {settings.psp_content_dir / 'programs'}")
    try:
        modules = load_modules(settings.psp_content_dir)
    except ContentError as exc:
        raise ConfigError(f"PSP_CONTENT_DIR: {exc} (run `psp content validate`)") from exc
    try:
        preflight.sqlite_directory(settings.psp_database_url)
    except preflight.PreflightError as exc:
        raise ConfigError(str(exc)) from None
    engine = db.make_engine(settings.psp_database_url)
    try:
        if settings.is_sqlite:
            await preflight.reachable(settings.psp_database_url, lambda: db.upgrade(engine))
        else:
            await preflight.reachable(settings.psp_database_url, lambda: ensure_current_schema(engine))
        sessions = db.session_factory(engine)
        await preflight.key_matches(sessions)
    except preflight.PreflightError as exc:
        await engine.dispose()
        raise ConfigError(str(exc)) from None
    async with sessions() as session, session.begin():
        await queries.sync_programs(session, {p.id: (p.name, p.product.brand) for p in programs.values()})
    # The screen's lexicons and model take a second or two to build: do it now, not on the first message a
    # patient sends (whose webhook would wait for it).
    await asyncio.to_thread(default_screener)
    conversation = Conversation(sessions, programs, clock=clock)
    pv_intake = register_flows(conversation.router, programs, modules, settings)
    channels: dict[str, Channel] = {}
    metrics = Metrics()
    dispatcher = Dispatcher(sessions, channels, clock=clock, metrics=metrics)
    services = Services(
        settings,
        engine,
        sessions,
        programs,
        conversation,
        dispatcher,
        channels,
        clock=clock,
        modules=modules,
        metrics=metrics,
    )
    services.pv_intake = pv_intake
    services.channel_status = {
        "console": "on",
        "telegram": "off (TELEGRAM_BOT_TOKEN not set)",
        "sms": "off (TWILIO_ACCOUNT_SID not set)",
        "whatsapp": "off (TWILIO_WHATSAPP_FROM not set)",
    }
    return services


async def enable_channels(services: Services) -> None:
    """Start the channels whose credentials are configured (`psp serve` only; `psp chat` needs none).

    Each channel module's `enable(services)` registers its sender in `services.channels`, its status in
    `services.channel_status` and its shutdown in `services.closers`.
    """
    settings = services.settings
    if settings.telegram_enabled:
        from bot.channels import telegram

        await telegram.enable(services)
    if settings.sms_enabled:
        from bot.channels import sms

        await sms.enable(services)
    if settings.whatsapp_enabled:
        from bot.channels import whatsapp

        await whatsapp.enable(services)


async def ensure_current_schema(engine: AsyncEngine) -> None:
    """On PostgreSQL migrations are an explicit step (`psp db upgrade`): refuse to run on an old schema."""
    head = ScriptDirectory.from_config(db.alembic_config()).get_current_head()

    def _current(sync_conn: Any) -> str | None:
        return MigrationContext.configure(sync_conn).get_current_revision()

    async with engine.connect() as conn:
        current = await conn.run_sync(_current)
    if current != head:
        raise ConfigError(
            f"PSP_DATABASE_URL: schema is at {current or 'nothing'}, expected {head}: run `psp db upgrade`"
        )


def start_scheduler(services: Services) -> AsyncIOScheduler:
    """APScheduler only ticks: the work itself is rows claimed by the dispatcher and the jobs."""
    scheduler = Scheduler(timezone=UTC)  # an AsyncIOScheduler that stops without cutting a job short

    async def outbox_tick() -> None:
        # Drain, not one batch per tick: one batch of 50 every 2 s would cap sending at 25 messages a second.
        async with services.dispatch_lock:
            await services.dispatcher.drain()

    scheduler.add_job(
        outbox_tick,
        "interval",
        seconds=services.settings.psp_tick_seconds,
        id="outbox-tick",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    add_content_jobs(scheduler, services.sessions, services.programs, services.modules, services.clock)
    scheduler.add_job(
        pv_jobs.deadline_job(services.sessions, services.clock),
        "interval",
        seconds=pv_jobs.SWEEP_SECONDS,
        id="pv-deadline-watchdog",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    scheduler.add_job(
        pv_jobs.second_look_job(
            services.sessions,
            services.clock,
            second_look_policy(services.settings),
            services.settings.psp_pv_review_hours,
        ),
        "interval",
        seconds=pv_jobs.SECOND_LOOK_SECONDS,
        id="pv-second-look-top-up",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
    )
    add_reminder_jobs(
        scheduler, services.sessions, services.programs, services.clock, services.settings.psp_tick_seconds
    )
    scheduler.start()
    services.scheduler = scheduler
    return scheduler


def settle_after_start_up() -> int:
    """Once a serving process has started (modules imported, catalogs, programs, models and caches built):
    collect what start-up left behind and freeze the rest (`gc.freeze`), so the garbage collector's full
    collections no longer walk the few hundred thousand objects that live as long as the process.

    A full collection walked all of them: 0.1-0.9 s of CPU, about once per thousand messages in a Telegram
    burst (0.3-0.4 ms per update). Objects made after start-up are collected as before; a frozen object that
    is dropped later is still freed by its reference count, only a cycle among frozen objects is kept.
    Returns how many objects were frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


async def close_services(services: Services) -> None:
    if isinstance(services.scheduler, Scheduler):
        await services.scheduler.stop()
    elif services.scheduler is not None and services.scheduler.running:
        services.scheduler.shutdown(wait=False)
    for close in reversed(services.closers):
        result = close()
        if hasattr(result, "__await__"):
            await result
    await services.conversation.writer.close()  # a transaction being written finishes before the engine goes
    await services.engine.dispose()
