"""Patients: search by program patient ID (or phone number, for roles that may), the timeline, the
conversation, and the patient-rights actions (export, erasure). Every view is audited."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from aiohttp import web

from bot.staff import console_store as store
from bot.staff import rights
from bot.staff.patient_list import ACTIVITY, PAGE_SIZE, PatientFilter, choices, list_patients
from bot.staff.roles import Perm, can
from bot.staff.timeline import build
from bot.storage import audit, queries
from bot.web.auth import identity, requires
from bot.web.console.render import NavItem, error_page, render, see_other
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Patients", "/staff/patients", Perm.PATIENTS_VIEW, order=10)]
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{5,20}$")
_REF_SHAPE = re.compile(r"^(PSP-?)?\d+$", re.IGNORECASE)


def _phone(query: str) -> str | None:
    """An E.164 number from what staff typed ("+1 (415) 555-0123"), or None when it is not one."""
    if not query.startswith("+") or not _PHONE.match(query):
        return None
    return "+" + re.sub(r"\D", "", query)


@routes.get("/staff/patients")
@requires(Perm.PATIENTS_VIEW)
async def search(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    query = request.query.get("q", "").strip()[:40]
    context: dict[str, object] = {
        "title": "Patients",
        "q": query,
        "results": None,
        "message": None,
        "listing": None,
    }
    if not query:
        context["listing"] = await _listing(request)
        return render(request, "patients.html", context)
    phone = _phone(query)
    if phone is not None:
        if not can(who.role, Perm.PHONE_NUMBERS):
            context["message"] = (
                "Your role cannot search by phone number. Search by program patient ID (PSP-…)."
            )
            return render(request, "patients.html", context, status=403)
        async with services.sessions() as session, session.begin():
            patient = await store.patient_by_address(session, "sms", phone)
            target = f"patient:{patient.patient_ref}" if patient else "patient:none"
            await audit.append(
                session,
                actor=who.actor,
                action="patient.search_by_phone",
                target=target,
                now=services.clock(),
                detail={"found": patient is not None},
            )
        if patient is not None:
            raise web.HTTPSeeOther(f"/staff/patients/{patient.patient_ref}")
        context["results"] = []
        return render(request, "patients.html", context)
    if not _REF_SHAPE.match(query.replace(" ", "")):
        context["message"] = "Search by program patient ID, for example PSP-000123 or 123."
        return render(request, "patients.html", context)
    digits = re.sub(r"\D", "", query)
    async with services.sessions() as session:
        exact = await queries.get_patient_by_ref(session, f"PSP-{int(digits):06d}") if digits else None
        results = await store.search_patients(session, digits)
    if exact is not None and query.upper().startswith("PSP"):
        raise web.HTTPSeeOther(f"/staff/patients/{exact.patient_ref}")
    context["results"] = results
    return render(request, "patients.html", context)


async def _listing(request: web.Request) -> dict[str, object]:
    """The list under the search box: filters from the query string, one page of patients."""
    services, q = request.app[SERVICES], request.query
    chosen = PatientFilter(
        program=q.get("program", "") if q.get("program", "") in services.programs else "",
        status=q.get("status", "")[:20],
        channel=q.get("channel", "")[:16],
        activity=q.get("activity", "") if q.get("activity", "") in ACTIVITY else "",
    )
    page, per_page = _number(q.get("page"), 1, 1, 10_000), _number(q.get("per"), PAGE_SIZE, 1, 100)
    async with services.sessions() as session:
        found = await list_patients(session, chosen, services.clock(), page, per_page)
        statuses, channels = await choices(session)
    keep = {k: v for k, v in vars(chosen).items() if v}
    if per_page != PAGE_SIZE:
        keep["per"] = str(per_page)
    return {
        "page": found,
        "chosen": chosen,
        "programs": sorted((p.id, p.name) for p in services.programs.values()),
        "statuses": statuses,
        "channels": channels,
        "activity": {key: label for key, (label, _, _) in ACTIVITY.items()},
        "prev_url": _page_url(keep, found.page - 1) if found.page > 1 else None,
        "next_url": _page_url(keep, found.page + 1) if found.page < found.pages else None,
    }


def _number(raw: str | None, default: int, low: int, high: int) -> int:
    return min(max(int(raw), low), high) if raw and raw.isdigit() else default


def _page_url(keep: dict[str, str], page: int) -> str:
    return "/staff/patients?" + urlencode({**keep, "page": page})


@routes.get("/staff/patients/{ref}")
@requires(Perm.PATIENTS_VIEW)
async def patient_page(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    show_bodies = can(who.role, Perm.MESSAGE_BODIES)
    show_addresses = can(who.role, Perm.PHONE_NUMBERS)
    async with services.sessions() as session, session.begin():
        patient = await queries.get_patient_by_ref(session, request.match_info["ref"])
        if patient is None:
            return await error_page(request, 404, "No such patient", "No patient has that program ID.")
        data = await store.timeline(session, patient, with_bodies=show_bodies)
        shown = [
            name for name, allowed in (("addresses", show_addresses), ("messages", show_bodies)) if allowed
        ]
        await audit.append(
            session,
            actor=who.actor,
            action="patient.view",
            target=f"patient:{patient.patient_ref}",
            now=services.clock(),
            detail={"personal_data_shown": shown},
        )
    return render(
        request,
        "patient.html",
        {
            "title": patient.patient_ref,
            "patient": patient,
            "tl": data,
            "events": build(data, show_bodies=show_bodies),
            "show_addresses": show_addresses,
            "show_bodies": show_bodies,
        },
    )


@routes.get("/staff/patients/{ref}/messages")
@requires(Perm.MESSAGE_BODIES)
async def conversation(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    async with services.sessions() as session, session.begin():
        patient = await queries.get_patient_by_ref(session, request.match_info["ref"])
        if patient is None:
            return await error_page(request, 404, "No such patient", "No patient has that program ID.")
        data = await store.timeline(session, patient, with_bodies=True, limit=1000)
        await audit.append(
            session,
            actor=who.actor,
            action="patient.messages.view",
            target=f"patient:{patient.patient_ref}",
            now=services.clock(),
            detail={"messages": len(data.messages)},
        )
    return render(
        request,
        "messages.html",
        {"title": f"Conversation · {patient.patient_ref}", "patient": patient, "tl": data},
    )


@routes.get("/staff/patients/{ref}/export")
@requires(Perm.PATIENT_RIGHTS)
async def export(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    try:
        data = await rights.export_patient(
            services.sessions, request.match_info["ref"], actor=who.actor, now=services.clock()
        )
    except rights.RightsError as exc:
        return await error_page(request, 404, "No such patient", str(exc))
    ref = data["patient"]["patient_ref"]
    return web.Response(
        text=json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{ref}-export.json"'},
    )


@routes.post("/staff/patients/{ref}/erase")
@requires(Perm.PATIENT_RIGHTS)
async def erase(request: web.Request) -> web.StreamResponse:
    who, services = identity(request), request.app[SERVICES]
    ref = request.match_info["ref"]
    form = await request.post()
    if str(form.get("confirm", "")).strip().upper() != ref.upper():
        return await error_page(
            request, 400, "Not erased", f"Type the patient ID {ref} to confirm the erasure."
        )
    try:
        await rights.erase_patient(services.sessions, ref, actor=who.actor, now=services.clock())
    except rights.RightsError as exc:
        return await error_page(request, 409, "Not erased", str(exc))
    raise see_other(f"/staff/patients/{ref}", "erased")
