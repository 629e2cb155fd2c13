"""The PV deadline watchdog: staff hear about a case before its 24-hour clock runs out, and when it has.

Each sweep looks at open cases due within `DUE_SOON` (or past due) and raises each threshold once per case:
`due_soon` opens a support task of kind `pv_deadline`; `overdue` updates that task (reopening it if someone
had closed it while the case was still open) or opens one. A threshold is claimed by inserting its row in
`pv_deadline_alerts` (primary key case + threshold), so a repeated sweep, a restart or a second process never
warns twice. The sweep is an idempotent periodic job like every other: no process is special.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.pv import store
from bot.storage.models import PvCase

log = logging.getLogger(__name__)

DUE_SOON = timedelta(hours=4)
SWEEP_SECONDS = 60
ACTOR = "watchdog"


@dataclass(frozen=True)
class DeadlineWarning:
    case_id: int
    threshold: str  # due_soon | overdue
    task_id: int


def threshold_of(case: PvCase, now: datetime, warn_before: timedelta = DUE_SOON) -> str | None:
    """`overdue` at or past the deadline, `due_soon` within `warn_before` of it, else None."""
    if case.due_at <= now:
        return "overdue"
    if case.due_at - warn_before <= now:
        return "due_soon"
    return None


def _detail(case: PvCase, threshold: str, now: datetime) -> str:
    due = case.due_at.strftime("%Y-%m-%d %H:%M UTC")
    ref = store.case_ref(case.id)
    serious = " (possibly serious)" if case.serious else ""
    if threshold == "overdue":
        return (
            f"{ref}{serious}: OVERDUE, was due {due}; forward it to the safety database or close it with "
            f"a reason."
        )
    left = max(int((case.due_at - now).total_seconds() // 60), 0)
    return f"{ref}{serious}: due {due} ({left // 60} h {left % 60:02d} min left); not yet forwarded."


async def warn_case(
    session: AsyncSession, case: PvCase, now: datetime, warn_before: timedelta = DUE_SOON
) -> DeadlineWarning | None:
    """Raise the case's current threshold if it was not raised before; the warning, or None."""
    threshold = threshold_of(case, now, warn_before)
    if threshold is None or not await store.claim_alert(session, case.id, threshold, now):
        return None
    detail = _detail(case, threshold, now)
    task = await store.deadline_task(session, case.id)
    if task is None:
        task = await store.open_deadline_task(session, case.patient_id, detail, now)
    else:
        task.detail = (task.detail + "\n" + detail).strip()
        task.status, task.resolved_at = "open", None
    await store.set_alert_task(session, case.id, threshold, task.id)
    await store.record_action(
        session, case.id, ACTOR, "deadline_warning", {"threshold": threshold, "task_id": task.id}, at=now
    )
    log.warning("PV case %s: %s", store.case_ref(case.id), threshold)
    return DeadlineWarning(case.id, threshold, task.id)


async def sweep_deadlines(
    sessions: async_sessionmaker[AsyncSession], now: datetime, warn_before: timedelta = DUE_SOON
) -> list[DeadlineWarning]:
    """One pass over the open cases near or past their deadline; returns the warnings raised now."""
    raised: list[DeadlineWarning] = []
    async with sessions() as session, session.begin():
        for case in await store.cases_near_deadline(session, now, warn_before):
            warning = await warn_case(session, case, now, warn_before)
            if warning is not None:
                raised.append(warning)
    return raised


def deadline_job(
    sessions: async_sessionmaker[AsyncSession], clock: Callable[[], datetime]
) -> Callable[[], Awaitable[list[DeadlineWarning]]]:
    """The coroutine APScheduler ticks (`bot.app.start_scheduler`)."""

    async def run() -> list[DeadlineWarning]:
        return await sweep_deadlines(sessions, clock())

    return run
