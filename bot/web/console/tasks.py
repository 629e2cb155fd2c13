"""Support tasks (non-responder, unreachable, refill problem, call-back): list, assign, note, resolve."""

from __future__ import annotations

from aiohttp import web

from bot.staff import console_store as store
from bot.staff import store as staff_store
from bot.staff.roles import Perm
from bot.storage import audit
from bot.web.auth import identity, requires
from bot.web.console.render import NavItem, error_page, render, see_other
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Tasks", "/staff/tasks", Perm.TASKS_VIEW, order=20)]
STATUSES = ("open", "resolved")
MAX_NOTE = 4000


@routes.get("/staff/tasks")
@requires(Perm.TASKS_VIEW)
async def task_list(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    status = request.query.get("status", "open")
    status = status if status in STATUSES else "open"
    kind = request.query.get("kind") or None
    kind = kind if kind in store.TASK_KINDS else None
    async with services.sessions() as session:
        rows = await store.tasks(session, status=status, kind=kind)
        counts = await store.count_tasks(session, status)
    return render(
        request,
        "tasks.html",
        {
            "title": "Support tasks",
            "rows": rows,
            "status": status,
            "kind": kind,
            "kinds": store.TASK_KINDS,
            "counts": counts,
            "statuses": STATUSES,
        },
    )


def _task_id(request: web.Request) -> int:
    try:
        return int(request.match_info["task_id"])
    except ValueError:
        raise web.HTTPNotFound() from None


@routes.get(r"/staff/tasks/{task_id:\d{1,9}}")
@requires(Perm.TASKS_VIEW)
async def task_page(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    async with services.sessions() as session, session.begin():
        found = await store.task(session, _task_id(request))
        if found is None:
            return await error_page(request, 404, "No such task", "There is no task with that number.")
        task, ref = found
        notes = await store.task_notes(session, task.id)
        staff = await staff_store.active_usernames(session)
        await audit.append(
            session,
            actor=who.actor,
            action="task.view",
            target=f"task:{task.id}",
            now=services.clock(),
            detail={"patient": ref, "notes": len(notes)},
        )
    return render(
        request,
        "task.html",
        {"title": f"Task #{task.id}", "task": task, "ref": ref, "notes": notes, "staff_names": staff},
    )


async def _change(request: web.Request, action: str) -> web.StreamResponse:
    """Assign, note or resolve one task, audited in the same transaction."""
    who, services = identity(request), request.app[SERVICES]
    form = await request.post()
    now = services.clock()
    note = str(form.get("note", "")).strip()[:MAX_NOTE]
    async with services.sessions() as session, session.begin():
        found = await store.task(session, _task_id(request))
        if found is None:
            return await error_page(request, 404, "No such task", "There is no task with that number.")
        task, ref = found
        detail: dict[str, object] = {"patient": ref, "kind": task.kind}
        if action == "assign":
            assignee = str(form.get("assignee", "")).strip().lower() or who.username
            if assignee not in await staff_store.active_usernames(session):
                return await error_page(request, 400, "Not assigned", "Choose an active staff member.")
            task.assigned_to = detail["assignee"] = assignee
        elif action == "note":
            if not note:
                return await error_page(request, 400, "No note", "Write the note before saving it.")
        elif action == "resolve":
            if task.status != "open":
                return await error_page(request, 409, "Already resolved", "This task is already resolved.")
            task.status, task.resolved_at = "resolved", now
            task.assigned_to = task.assigned_to or who.username
        if note:
            added = await store.add_task_note(session, task.id, author=who.username, body=note, now=now)
            detail["note_id"] = added.id
        await audit.append(
            session,
            actor=who.actor,
            action=f"task.{action}",
            target=f"task:{task.id}",
            now=now,
            detail=detail,
        )
    notice = {"assign": "assigned", "note": "noted", "resolve": "resolved"}[action]
    raise see_other(f"/staff/tasks/{task.id}", notice)


@routes.post(r"/staff/tasks/{task_id:\d{1,9}}/assign")
@requires(Perm.TASKS_WORK)
async def assign(request: web.Request) -> web.StreamResponse:
    return await _change(request, "assign")


@routes.post(r"/staff/tasks/{task_id:\d{1,9}}/note")
@requires(Perm.TASKS_WORK)
async def add_note(request: web.Request) -> web.StreamResponse:
    return await _change(request, "note")


@routes.post(r"/staff/tasks/{task_id:\d{1,9}}/resolve")
@requires(Perm.TASKS_WORK)
async def resolve(request: web.Request) -> web.StreamResponse:
    return await _change(request, "resolve")
