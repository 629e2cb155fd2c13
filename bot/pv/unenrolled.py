"""Cases from addresses that never enrolled, grouped for staff when many arrive together.

Thirty new chats that each report a symptom may be thirty patients, a test, or a flood. Each stays a case with
its own clock (different people's reports are never merged into one case: that would lose a reporter), but
past a handful in an hour they are grouped: one open support task lists them so a person triages them
together, and each case's history names the group.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.pv import store
from bot.storage import queries
from bot.storage.models import Patient, PvCase, SupportTask

TASK_KIND = "pv_unenrolled_group"
WINDOW = timedelta(hours=1)
GROUP_FROM = 5  # cases from never-enrolled addresses within the window before they are grouped


async def group_if_many(session: AsyncSession, case: PvCase, now: datetime) -> SupportTask | None:
    """Call when a case was just opened for a patient with no program: the group's task, or None."""
    recent = await session.scalars(
        select(PvCase.id)
        .join(Patient, Patient.id == PvCase.patient_id)
        .where(Patient.program_id.is_(None), PvCase.opened_at >= now - WINDOW)
        .order_by(PvCase.id)
    )
    ids = list(recent.all())
    if len(ids) < GROUP_FROM:
        return None
    detail = (
        f"{len(ids)} PV cases in the last hour come from addresses that never enrolled: "
        + ", ".join(store.case_ref(i) for i in ids)
        + ". Triage them together (many patients, a test or a flood?); each keeps its own clock."
    )
    task = await session.scalar(
        select(SupportTask)
        .where(SupportTask.kind == TASK_KIND, SupportTask.status == "open")
        .order_by(SupportTask.id.desc())
        .limit(1)
    )
    if task is None:
        task = await queries.open_support_task(session, None, TASK_KIND, detail, now, urgent=True)
    else:
        task.detail = detail
    for case_id in ids:
        if case_id == case.id or len(ids) == GROUP_FROM:  # the first time, every case of the group is named
            await store.record_action(
                session,
                case_id,
                store.SYSTEM,
                "grouped",
                {"support_task": task.id, "cases": len(ids)},
                at=now,
            )
    return task
