"""Many never-enrolled addresses reporting at once (issue 15, item 13): each report stays its own case with
its own clock, and past a handful in an hour one urgent support task groups them for a person to triage."""

from __future__ import annotations

from sqlalchemy import select

from bot.pv.unenrolled import GROUP_FROM, TASK_KIND
from bot.storage.models import PvCase, PvCaseEvent, SupportTask
from tests.pv.helpers import MILD, PvPatient


async def _tasks(services) -> list[SupportTask]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return list((await session.scalars(select(SupportTask).where(SupportTask.kind == TASK_KIND))).all())


async def test_a_flood_of_new_chats_is_grouped_not_merged(services, clock) -> None:  # type: ignore[no-untyped-def]
    for n in range(GROUP_FROM - 1):
        await PvPatient(services, address=f"stranger-{n}").says(MILD)
        clock.advance(minutes=1)
    assert await _tasks(services) == []  # a few new reporters are just cases
    for n in range(GROUP_FROM - 1, GROUP_FROM + 2):
        await PvPatient(services, address=f"stranger-{n}").says(MILD)
        clock.advance(minutes=1)
    async with services.sessions() as session:
        cases = list((await session.scalars(select(PvCase).order_by(PvCase.id))).all())
        grouped = set(
            (await session.scalars(select(PvCaseEvent.case_id).where(PvCaseEvent.action == "grouped"))).all()
        )
    assert len(cases) == GROUP_FROM + 2  # never merged: each reporter keeps a case and a clock
    assert grouped == {c.id for c in cases}
    [task] = await _tasks(services)
    assert task.urgent and task.status == "open" and task.patient_id is None
    assert f"{GROUP_FROM + 2} PV cases" in task.detail and "PV-000001" in task.detail


async def test_enrolled_patients_reporting_together_are_not_grouped(services, clock) -> None:  # type: ignore[no-untyped-def]
    for n in range(GROUP_FROM + 1):
        patient = PvPatient(services, address=f"enrolled-{n}")
        await patient.enrol()
        await patient.says(MILD)
    assert await _tasks(services) == []
