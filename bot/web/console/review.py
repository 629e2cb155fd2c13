"""The review queue in the staff console: messages the screen doubts, and the random second look.

`/staff/pv/review` lists open items (overdue first, then soonest due; each clock runs from the message's
receipt). `/staff/pv/review/{id}` shows one item with the message text (roles that read bodies) and the
words the screen noticed; an officer confirms it (a PV case now, day zero kept) or dismisses it with a reason.
Every view of a message and every verdict is in the audit log.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.pv import review, review_store
from bot.pv.quality import estimate
from bot.staff.roles import Perm, can
from bot.storage import audit
from bot.storage.models import Message
from bot.web.auth import identity, requires
from bot.web.console.patient_text import patient_text
from bot.web.console.render import NavItem, error_page, render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Review queue", "/staff/pv/review", Perm.PV_VIEW, order=31)]
REASON_LABELS = {"screen": "screen in doubt", "second_look": "second look (random)"}
KINDS = ("adverse_event", "special_situation", "quality_complaint")
MAX_TEXT = 2000
MAX_ID = 2**31 - 1
QUALITY_WINDOW = timedelta(days=28)


@routes.get("/staff/pv/review")
@requires(Perm.PV_VIEW)
async def queue(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    reason = request.query.get("reason")
    reason = reason if reason in review_store.REASONS else None
    now = services.clock()
    async with services.sessions() as session:
        items = await review_store.queue(session, reason=reason)
        total, overdue = await review_store.count_open(session, now)
        counts = await review_store.quality_counts(session, now - QUALITY_WINDOW, now)
    return render(
        request,
        "review.html",
        {
            "title": "Review queue",
            "items": items,
            "reason": reason,
            "reasons": REASON_LABELS,
            "total": total,
            "overdue": overdue,
            "quality": [estimate(c) for c in counts],
            "quality_days": QUALITY_WINDOW.days,
        },
    )


def _review_id(request: web.Request) -> int:
    value = int(request.match_info["review_id"])
    if value > MAX_ID:
        raise web.HTTPNotFound()
    return value


async def _show(
    request: web.Request, review_id: int, *, error: str | None = None, status: int = 200
) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    show_bodies = can(who.role, Perm.MESSAGE_BODIES)
    async with services.sessions() as session, session.begin():
        item = await review_store.get(session, review_id)
        if item is None:
            return await error_page(request, 404, "No such item", "There is no review item with that number.")
        message = await session.get(Message, item.message_id)
        assert message is not None
        await audit.append(
            session,
            actor=who.actor,
            action="pv.review.view",
            target=f"pv_review:{item.id}",
            now=services.clock(),
            detail={"personal_data_shown": ["messages"] if show_bodies else []},
        )
        context: dict[str, Any] = {
            "title": f"Review item #{item.id}",
            "item": item,
            "reason_label": REASON_LABELS.get(item.reason, item.reason),
            "channel": message.channel,
            "html": patient_text(message.body, item.evidence or []) if show_bodies else None,
            "show_bodies": show_bodies,
            "kinds": KINDS,
            "error": error,
        }
    return render(request, "review_item.html", context, status=status)


@routes.get(r"/staff/pv/review/{review_id:\d+}")
@requires(Perm.PV_VIEW)
async def item_page(request: web.Request) -> web.StreamResponse:
    return await _show(request, _review_id(request))


@routes.post(r"/staff/pv/review/{review_id:\d+}/confirm")
@requires(Perm.PV_WORK)
async def confirm(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    review_id = _review_id(request)
    form = await request.post()
    kind = str(form.get("kind", "adverse_event"))
    if kind not in KINDS:
        return await _show(
            request, review_id, error="Not done: choose what kind of report it is.", status=400
        )
    try:
        async with services.sessions() as session, session.begin():
            case = await review.confirm(
                session,
                review_id,
                who.actor,
                kind=kind,
                serious=form.get("serious") == "yes",
                now=services.clock(),
                due_hours=services.settings.psp_pv_due_hours,
            )
    except review.ReviewActionError as refused:
        return await _refused(request, review_id, refused)
    raise web.HTTPSeeOther(f"/staff/pv/cases/{case.id}?notice=confirmed")


@routes.post(r"/staff/pv/review/{review_id:\d+}/dismiss")
@requires(Perm.PV_WORK)
async def dismiss(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    review_id = _review_id(request)
    form = await request.post()
    try:
        async with services.sessions() as session, session.begin():
            await review.dismiss(
                session, review_id, who.actor, str(form.get("reason", ""))[:MAX_TEXT], now=services.clock()
            )
    except review.ReviewActionError as refused:
        return await _refused(request, review_id, refused)
    raise web.HTTPSeeOther("/staff/pv/review?notice=dismissed")


async def _refused(request: web.Request, review_id: int, refused: Exception) -> web.StreamResponse:
    if "no such" in str(refused):
        return await error_page(request, 404, "No such item", "There is no review item with that number.")
    return await _show(request, review_id, error=f"Not done: {refused}.", status=400)
