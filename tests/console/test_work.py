"""Day-to-day work in the console: the home page per role, finding patients, tasks, undelivered messages, PV
cases."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.storage import outbox
from bot.storage.models import OutboxItem, SupportTask
from bot.storage.models.staff import AuditEntry, SupportTaskNote
from tests.console.conftest import Console, add_staff, visible
from tests.console.seed import SIDE_EFFECT, patient_with_history


async def _staffed(console: Console) -> str:
    ref = await patient_with_history(console.services)
    for name, role in (
        ("sam", "support_agent"),
        ("sue", "support_agent"),
        ("ana", "analyst"),
        ("pat", "pv_officer"),
    ):
        await add_staff(console.services, name, role)
    return ref


async def _actions(services: Any) -> list[tuple[str, str, str]]:
    async with services.sessions() as session:
        rows = await session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.target).order_by(AuditEntry.id)
        )
        return [tuple(row) for row in rows.all()]  # type: ignore[misc]


async def test_the_home_page_shows_each_role_what_needs_its_attention(console: Console) -> None:
    ref = await _staffed(console)
    await console.sign_in("pat")
    home = await (await console.get("/staff/")).text()
    assert (
        "Open PV cases, soonest due first" in home
        and f"/staff/patients/{ref}" in home
        and "in 23 h 54 min" in home
    )
    assert "Undelivered messages" not in home, "a PV officer does not work the outbox"
    await console.sign_out()
    await console.sign_in("ana")
    home = await (await console.get("/staff/")).text()
    assert "Open PV cases" not in home and "Open support tasks" not in home
    assert "search a patient by program ID" in home


async def test_patients_are_found_by_their_program_id_in_any_usual_spelling(console: Console) -> None:
    ref = await _staffed(console)
    await console.sign_in("sam")
    for typed in (ref, ref.lower(), "psp 000001"):
        response = await console.get("/staff/patients", params={"q": typed})
        assert (response.status, response.headers.get("Location")) == (303, f"/staff/patients/{ref}"), typed
    listed = await (await console.get("/staff/patients", params={"q": "1"})).text()
    assert "1 patient found" in listed and ref in listed
    nothing = await (await console.get("/staff/patients", params={"q": "PSP-000777"})).text()
    assert "No patient matches" in nothing
    odd = await (await console.get("/staff/patients", params={"q": "smith"})).text()
    assert "Search by program patient ID" in odd


async def test_a_task_is_assigned_noted_and_resolved_and_each_step_is_audited(console: Console) -> None:
    await _staffed(console)
    await console.sign_in("sam")
    async with console.services.sessions() as session:
        task_id = await session.scalar(select(SupportTask.id))
    page = f"/staff/tasks/{task_id}"
    assert (await console.submit(f"{page}/assign", {"assignee": "sue"}, page=page)).headers[
        "Location"
    ] == f"{page}?notice=assigned"
    assert (await console.submit(f"{page}/assign", {"assignee": "nobody-here"}, page=page)).status == 400
    await console.submit(f"{page}/note", {"note": "Left a voicemail"}, page=page)
    assert (await console.submit(f"{page}/note", {"note": "   "}, page=page)).status == 400
    await console.submit(f"{page}/resolve", {"note": "Reached on second try"}, page=page)
    shown = await (await console.get(f"{page}?notice=resolved")).text()
    assert "Task resolved." in shown and "Left a voicemail" in shown and "Reached on second try" in shown
    assert (await console.submit(f"{page}/resolve", page=page)).status == 409
    async with console.services.sessions() as session:
        task = await session.get(SupportTask, task_id)
        notes = list((await session.scalars(select(SupportTaskNote.author))).all())
    assert (
        task is not None
        and (task.status, task.assigned_to) == ("resolved", "sue")
        and notes == ["sam", "sam"]
    )
    on_task = [
        (actor, action)
        for actor, action, target in await _actions(console.services)
        if target == f"task:{task_id}"
    ]
    changes = [entry for entry in on_task if entry[1] != "task.view"]
    assert changes == [("sam", "task.assign"), ("sam", "task.note"), ("sam", "task.resolve")], (
        "refused changes leave no entry"
    )
    assert ("sam", "task.view") in on_task, "reading the task's notes is audited too"


async def test_tasks_are_listed_by_status_and_kind(console: Console) -> None:
    ref = await _staffed(console)
    await console.sign_in("sam")
    open_callbacks = await (await console.get("/staff/tasks", params={"kind": "callback"})).text()
    assert "1 open task" in open_callbacks and ref in open_callbacks
    refills = await (await console.get("/staff/tasks", params={"kind": "refill_problem"})).text()
    assert "0 open tasks" in refills
    resolved = await (await console.get("/staff/tasks", params={"status": "resolved"})).text()
    assert "0 resolved tasks" in resolved


async def test_a_pv_officer_reads_tasks_but_cannot_change_them(console: Console) -> None:
    await _staffed(console)
    await console.sign_in("pat")
    page = await (await console.get("/staff/tasks/1")).text()
    assert "Call-back request" in page and "Resolve task" not in page
    assert (await console.submit("/staff/tasks/1/resolve", page="/staff/tasks/1")).status == 403


async def test_a_dead_lettered_message_is_listed_and_retried(console: Console) -> None:
    ref = await _staffed(console)
    services = console.services
    async with services.sessions() as session, session.begin():
        item = await session.scalar(select(OutboxItem).order_by(OutboxItem.id.desc()))
        assert item is not None
        await outbox.mark_dead(session, item.id, "21211: invalid 'To' phone number")
    await console.sign_in("sam")
    home = visible(await (await console.get("/staff/")).text())
    assert "1 undelivered message " in home and "21211" in home
    listed = await (await console.get("/staff/outbox")).text()
    assert ref in listed and f"/staff/outbox/{item.id}/retry" in listed
    retried = await console.submit(f"/staff/outbox/{item.id}/retry", page="/staff/outbox")
    assert retried.headers["Location"] == "/staff/outbox?notice=requeued"
    again = await console.submit(f"/staff/outbox/{item.id}/retry", page="/staff/outbox")
    assert again.headers["Location"] == "/staff/outbox?notice=not-dead"
    async with services.sessions() as session:
        row = await session.get(OutboxItem, item.id)
    assert row is not None and (row.status, row.attempts) == ("pending", 0)
    assert ("sam", "outbox.retry", f"outbox:{item.id}") in await _actions(services)


async def test_the_pv_queue_place_lists_cases_and_shows_the_evidence(console: Console) -> None:
    ref = await _staffed(console)
    await console.sign_in("pat")
    queue = await (await console.get("/staff/pv")).text()
    assert "/staff/pv/cases/1" in queue and ref in queue
    case = await (await console.get("/staff/pv/cases/1")).text()
    assert SIDE_EFFECT in visible(case) and "<mark>" in case and "headache" in case
    await console.sign_out()
    await console.sign_in("ana")
    assert (await console.get("/staff/pv/cases/1")).status == 403
