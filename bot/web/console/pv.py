"""The PV queue in the staff console: cases with their countdown, one case whole, and the officer's actions.

`/staff/pv` lists cases (overdue first, then soonest due) with filters (status, serious only, assigned to
me). `/staff/pv/cases/{id}` shows the case: its messages with the evidence words marked (text only for roles
that may read message bodies), the four minimum criteria, the follow-up answers, the case history, and for
`pv.work` the forms that call `bot.pv.actions` (each action writes the case history and the audit log in
the same transaction). A refused action (`CaseActionError`) shows the case page again with the reason (400).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from aiohttp import web
from markupsafe import Markup, escape

from bot.pv import actions, questions
from bot.pv.cases import load_case, minimum_criteria
from bot.staff import console_store as store
from bot.staff import store as staff_store
from bot.staff.roles import Perm, can
from bot.storage import audit
from bot.web.auth import identity, requires
from bot.web.console.render import NavItem, error_page, render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("PV queue", "/staff/pv", Perm.PV_VIEW, order=30)]
STATUSES = ("open", "forwarded", "closed")
MAX_TEXT = 4000
# Shown after a redirect (`?notice=key`): fixed texts, nothing from the URL is echoed.
NOTICES = {
    "assigned": "Case assignment saved.",
    "noted": "Note added.",
    "seriousness": "Seriousness saved.",
    "question-sent": "Follow-up question queued for the patient.",
    "forwarded": "Case marked as forwarded.",
    "closed": "Case closed.",
}
CRITERIA_LABELS = {
    "patient": "Identifiable patient",
    "reporter": "Identifiable reporter",
    "product": "Suspect product",
    "event": "Adverse event described",
}


def highlight(text: str, evidence: Iterable[str]) -> Markup:
    """The text, HTML-escaped, with each evidence word or phrase wrapped in <mark> (case-insensitive)."""
    words = sorted({w for w in evidence if w and w.strip()}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts: list[Markup] = []
    last = 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(Markup("<mark>%s</mark>") % found.group(0))
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


@routes.get("/staff/pv")
@requires(Perm.PV_VIEW)
async def queue(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    status = request.query.get("status", "open")
    status = status if status in STATUSES else "open"
    serious_only = request.query.get("serious") == "1"
    mine = request.query.get("mine") == "1"
    async with services.sessions() as session:
        cases = await store.pv_queue(
            session, status=status, serious_only=serious_only, assigned_to=who.username if mine else None
        )
    return render(
        request,
        "pv.html",
        {
            "title": "PV queue",
            "cases": cases,
            "status": status,
            "statuses": STATUSES,
            "serious_only": serious_only,
            "mine": mine,
        },
    )


def _case_id(request: web.Request) -> int:
    return int(request.match_info["case_id"])


# Over 60 lines on purpose: gathers everything the case page shows in one transaction.
async def _show(
    request: web.Request, case_id: int, *, error: str | None = None, status: int = 200
) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    show_bodies = can(who.role, Perm.MESSAGE_BODIES)
    async with services.sessions() as session, session.begin():
        record = await load_case(session, case_id)
        if record is None:
            return await error_page(request, 404, "No such case", "There is no PV case with that number.")
        await audit.append(
            session,
            actor=who.actor,
            action="pv.case.view",
            target=f"pv_case:{record.id}",
            now=services.clock(),
            detail={
                "patient": record.patient_ref,
                "personal_data_shown": ["messages"] if show_bodies else [],
            },
        )
    messages = [
        {
            "channel": m.channel,
            "received_at": m.received_at,
            "evidence": m.evidence,
            "html": highlight(m.text, m.evidence) if show_bodies else None,
        }
        for m in record.messages
    ]
    answers = [
        {
            "question": (questions.BY_KEY[a.question].text if a.question in questions.BY_KEY else a.question),
            "answer": a.answer if show_bodies else None,
            "option": (
                questions.BY_KEY[a.question].label(a.option)
                if a.option and a.question in questions.BY_KEY
                else None
            ),
            "answered_at": a.answered_at,
        }
        for a in record.answers
    ]
    criteria = minimum_criteria(record)
    context: dict[str, Any] = {
        "title": f"PV case {record.ref}",
        "case": record,
        "ref": record.patient_ref,
        "messages": messages,
        "answers": answers,
        "criteria": [(CRITERIA_LABELS[k], v) for k, v in criteria.items()],
        "show_bodies": show_bodies,
        "error": error,
        "questions": questions.QUESTIONS,
        "close_reasons": actions.CLOSE_REASONS,
        "seriousness_criteria": actions.SERIOUSNESS_CRITERIA,
        "events": [
            {
                "at": e.at,
                "actor": e.actor,
                "action": e.action.replace("_", " "),
                "detail": _event_detail(e.detail, show_bodies),
            }
            for e in record.events
        ],
    }
    notice = NOTICES.get(request.query.get("notice", ""))
    if notice:
        context["notice"] = notice
    return render(request, "pv_case.html", context, status=status)


def _event_detail(detail: dict[str, Any], show_text: bool) -> str:
    """A history entry's detail in one line; free text (notes, reasons) only for roles that read bodies."""
    parts = []
    for key, value in detail.items():
        free = key in ("text", "explanation") or (key == "reason" and value not in actions.CLOSE_REASONS)
        if free and not show_text:
            value = "[hidden]"
        if isinstance(value, dict):
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value) or "—"
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


@routes.get(r"/staff/pv/cases/{case_id:\d+}")
@requires(Perm.PV_VIEW)
async def case_page(request: web.Request) -> web.StreamResponse:
    return await _show(request, _case_id(request))


async def _act(request: web.Request, action: str) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    case_id = _case_id(request)
    form = await request.post()

    def field(name: str) -> str:
        return str(form.get(name, "")).strip()[:MAX_TEXT]

    now = services.clock()
    try:
        async with services.sessions() as session, session.begin():
            if action == "assign":
                assignee = (field("assignee") or (who.username if form.get("to_me") else "")).lower()
                if assignee and assignee not in await staff_store.active_usernames(session):
                    raise actions.CaseActionError(f"'{assignee}' is not an active staff member")
                await actions.assign(session, case_id, who.actor, assignee or None, now=now)
            elif action == "note":
                await actions.add_note(session, case_id, who.actor, field("note"), now=now)
            elif action == "seriousness":
                serious = field("serious")
                if serious not in ("yes", "no"):
                    raise actions.CaseActionError("choose serious or not serious")
                await actions.set_seriousness(
                    session,
                    case_id,
                    who.actor,
                    serious == "yes",
                    field("reason"),
                    criteria=[str(c) for c in form.getall("criteria", [])],
                    now=now,
                )
            elif action == "question":
                await actions.send_followup_question(session, case_id, who.actor, field("question"), now=now)
            elif action == "forward":
                await actions.mark_forwarded(session, case_id, who.actor, field("reference"), now=now)
            elif action == "close":
                await actions.close_not_adverse_event(
                    session, case_id, who.actor, field("reason"), field("explanation"), now=now
                )
    except actions.CaseActionError as refused:
        if str(refused).startswith("no case"):
            return await error_page(request, 404, "No such case", "There is no PV case with that number.")
        return await _show(request, case_id, error=f"Not done: {refused}.", status=400)
    notice = {
        "assign": "assigned",
        "note": "noted",
        "seriousness": "seriousness",
        "question": "question-sent",
        "forward": "forwarded",
        "close": "closed",
    }[action]
    raise web.HTTPSeeOther(f"/staff/pv/cases/{case_id}?notice={notice}")


@routes.post(r"/staff/pv/cases/{case_id:\d+}/assign")
@requires(Perm.PV_WORK)
async def assign(request: web.Request) -> web.StreamResponse:
    return await _act(request, "assign")


@routes.post(r"/staff/pv/cases/{case_id:\d+}/note")
@requires(Perm.PV_WORK)
async def note(request: web.Request) -> web.StreamResponse:
    return await _act(request, "note")


@routes.post(r"/staff/pv/cases/{case_id:\d+}/seriousness")
@requires(Perm.PV_WORK)
async def seriousness(request: web.Request) -> web.StreamResponse:
    return await _act(request, "seriousness")


@routes.post(r"/staff/pv/cases/{case_id:\d+}/question")
@requires(Perm.PV_WORK)
async def question(request: web.Request) -> web.StreamResponse:
    return await _act(request, "question")


@routes.post(r"/staff/pv/cases/{case_id:\d+}/forward")
@requires(Perm.PV_WORK)
async def forward(request: web.Request) -> web.StreamResponse:
    return await _act(request, "forward")


@routes.post(r"/staff/pv/cases/{case_id:\d+}/close")
@requires(Perm.PV_WORK)
async def close(request: web.Request) -> web.StreamResponse:
    return await _act(request, "close")
