"""Staff are warned before a case's 24-hour clock runs out and when it has: once per case and threshold,
however often the watchdog runs and however many processes run it."""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from sqlalchemy import select

from bot.app import start_scheduler
from bot.pv import store
from bot.storage.models import SupportTask
from bot.web.app import build_web_app
from scheduler import pv_jobs
from tests.pv.helpers import MILD, PvPatient, cases_of


async def _open_case(services, address: str = "p1") -> int:  # type: ignore[no-untyped-def]
    patient = PvPatient(services, address=address)
    await patient.says(MILD)
    [case] = await cases_of(services, (await patient.row()).id)
    return case.id


async def _tasks(services) -> list[SupportTask]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return list(
            (
                await session.scalars(
                    select(SupportTask).where(SupportTask.kind == "pv_deadline").order_by(SupportTask.id)
                )
            ).all()
        )


async def test_warned_four_hours_before_and_when_overdue_once_each(services, clock) -> None:  # type: ignore[no-untyped-def]
    case_id = await _open_case(services)
    sweep = pv_jobs.deadline_job(services.sessions, clock)
    clock.advance(hours=19, minutes=59)
    assert await sweep() == []
    clock.advance(minutes=1)  # 4 hours left
    [warning] = await sweep()
    assert (warning.case_id, warning.threshold) == (case_id, "due_soon")
    assert await sweep() == []
    [task] = await _tasks(services)
    assert task.status == "open" and "PV-" in task.detail and "4 h 00 min left" in task.detail

    async with services.sessions() as session, session.begin():  # someone closes the task, not the case
        found = await session.get(SupportTask, task.id)
        assert found is not None
        found.status = "resolved"
    clock.advance(hours=4)  # the deadline
    [warning] = await sweep()
    assert warning.threshold == "overdue" and warning.task_id == task.id
    clock.advance(hours=6)
    assert await sweep() == []
    [task] = await _tasks(services)
    assert task.status == "open" and "OVERDUE" in task.detail
    async with services.sessions() as session:
        events = [e for e in await store.case_events(session, case_id) if e.action == "deadline_warning"]
    assert [(e.actor, store.event_detail(e)["threshold"]) for e in events] == [
        ("watchdog", "due_soon"),
        ("watchdog", "overdue"),
    ]


async def test_a_case_first_seen_past_due_is_warned_once_as_overdue(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _open_case(services)
    clock.advance(hours=30)  # e.g. the service was down
    warnings = await pv_jobs.sweep_deadlines(services.sessions, clock.now)
    assert [w.threshold for w in warnings] == ["overdue"]
    assert len(await _tasks(services)) == 1


async def test_two_sweeps_at_once_warn_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    for address in ("p1", "p2", "p3"):
        await _open_case(services, address)
    clock.advance(hours=21)
    results = await asyncio.gather(*(pv_jobs.sweep_deadlines(services.sessions, clock.now) for _ in range(3)))
    assert sorted(w.case_id for result in results for w in result) == [1, 2, 3]
    assert len(await _tasks(services)) == 3  # one task per case, not one per patient or per sweep


async def test_metrics_show_overdue_cases(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _open_case(services, "p1")
    clock.advance(hours=10)
    await _open_case(services, "p2")
    clock.advance(hours=15)  # the first case is overdue, the second is not
    runner = web.AppRunner(build_web_app(services), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as response:
            body = await response.text()
    finally:
        await runner.cleanup()
    assert "psp_pv_cases_overdue 1.0\n" in body  # prometheus_client writes floats
    assert 'psp_pv_cases{status="open"} 2.0\n' in body


async def test_the_watchdog_ticks_in_the_scheduler(services) -> None:  # type: ignore[no-untyped-def]
    scheduler = start_scheduler(services)
    job = scheduler.get_job("pv-deadline-watchdog")
    assert job is not None and job.trigger.interval.total_seconds() == pv_jobs.SWEEP_SECONDS
