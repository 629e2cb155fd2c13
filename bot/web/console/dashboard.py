"""The analysts' program dashboard (`/staff/dashboard`) and the console's export downloads.

Figures come from `bot.analytics.dashboard.dashboard_data` (groups of fewer than k subjects already blanked
as None). The console's Content-Security-Policy forbids scripts, so charts are inline SVG drawn on the
server: this module computes the geometry (pure functions, `vertical_chart` / `horizontal_chart`), the
template draws it. Every chart is hidden from screen readers and followed by a table with the same numbers.

Downloads (`/staff/exports/{kind}.{csv|parquet|jsonl}`) make the same files as `GET /api/v1/exports/{kind}`
(`bot.web.api_exports`), for a signed-in analyst or admin, audited as `export.download`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from bot.analytics.checks import NotPseudonymousError
from bot.analytics.dashboard import ADHERENT_PDC, MIN_GROUP, dashboard_data
from bot.analytics.schemas import SCHEMAS
from bot.analytics.writers import FILE_SUFFIXES
from bot.staff.roles import Perm
from bot.storage import audit
from bot.web.api_exports import (
    ExportQuery,
    ExportQueryError,
    parse_export_query,
    parse_program,
    parse_window,
    send_export,
)
from bot.web.auth import identity, requires
from bot.web.console.charts import (
    Series,
    horizontal_chart,
    percent,
    vertical_chart,
)
from bot.web.console.render import NavItem, error_page, render
from bot.web.keys import SERVICES

routes = web.RouteTableDef()
NAV = [NavItem("Dashboard", "/staff/dashboard", Perm.EXPORTS, order=50)]
FORMAT_OF_SUFFIX = {suffix.lstrip("."): fmt for fmt, suffix in FILE_SUFFIXES.items()}
DOWNLOAD_FORMATS = (("csv", "CSV"), ("parquet", "Parquet"))
FUNNEL_LABELS = {"started": "Started a conversation", "consented": "Gave consent", "enrolled": "Enrolled"}


# --- the page ----------------------------------------------------------------------------------------------


def _count(value: int | None, suppressed: str) -> str:
    return suppressed if value is None else str(value)


def _share(value: float | None, suppressed: str, *, known_empty: bool = False) -> str:
    if value is None:
        return "—" if known_empty else suppressed
    return percent(value)


# Over 60 lines on purpose: one block per chart or table of the page, in page order.
def dashboard_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """Charts and text tables from `dashboard_data`'s figures (pure: no request, no database)."""
    k = data["min_group_size"]
    hidden = f"suppressed (fewer than {k})"

    pdc_rows = {row["month"]: row for row in data["adherence_over_time"]["pdc"]}
    dose_rows = {row["month"]: row for row in data["adherence_over_time"]["dose_adherence"]}
    months = sorted(set(pdc_rows) | set(dose_rows))
    empty: dict[str, Any] = {"subjects": 0}
    over_time = [
        {
            "month": month,
            "pdc_subjects": _count(pdc_rows.get(month, empty)["subjects"], hidden),
            "mean_pdc": _share(
                pdc_rows.get(month, empty).get("mean_pdc"), hidden, known_empty=month not in pdc_rows
            ),
            "dose_subjects": _count(dose_rows.get(month, empty)["subjects"], hidden),
            "mean_dose": _share(
                dose_rows.get(month, empty).get("mean_dose_adherence"),
                hidden,
                known_empty=month not in dose_rows,
            ),
        }
        for month in months
    ]
    over_time_chart = vertical_chart(
        months,
        [
            Series(
                "mean PDC",
                "series-a",
                [pdc_rows[m]["mean_pdc"] if m in pdc_rows else math.nan for m in months],
            ),
            Series(
                "mean dose adherence",
                "series-b",
                [dose_rows[m]["mean_dose_adherence"] if m in dose_rows else math.nan for m in months],
            ),
        ],
        as_percent=True,
        suppressed=hidden,
        mark=f"<{k}",
        threshold_y=(ADHERENT_PDC, "80%"),
    )

    distribution = data["pdc_distribution"]
    bins = distribution["bins"]
    histogram = vertical_chart(
        [b["bin"] for b in bins],
        [Series("subjects", "series-a", [b["subjects"] for b in bins])],
        as_percent=False,
        suppressed=hidden,
        mark=f"<{k}",
        threshold_x=(distribution["threshold"], "PDC 0.8 (80%)"),
    )
    subjects = data["subjects"]

    funnel = data["enrolment_funnel"]
    started = funnel[0]["subjects"] if funnel else None
    funnel_rows = [
        {
            "stage": FUNNEL_LABELS.get(row["stage"], row["stage"]),
            "count": _count(row["subjects"], hidden),
            "of_started": (
                "—" if row["subjects"] is None or not started else percent(row["subjects"] / started)
            ),
            "value": row["subjects"],
        }
        for row in funnel
    ]
    enrolled = funnel[-1]["subjects"] if funnel else 0
    channels = [
        {
            "channel": row["channel"],
            "count": _count(row["subjects"], hidden),
            "share": _share(row["share"], hidden),
            "value": row["subjects"],
        }
        for row in data["channel_mix"]
    ]
    return {
        "hidden": hidden,
        "k": k,
        "subjects": _count(subjects, hidden),
        "share_adherent": _share(distribution["share_adherent"], hidden, known_empty=subjects == 0),
        "opt_out_rate": _share(data["opt_out_rate"], hidden, known_empty=not enrolled),
        "over_time": over_time,
        "over_time_chart": over_time_chart,
        "bins": [{"bin": b["bin"].replace("-", "–"), "count": _count(b["subjects"], hidden)} for b in bins],
        "histogram": histogram,
        "funnel": funnel_rows,
        "funnel_chart": horizontal_chart(
            [(r["stage"], r["value"], f"{r['count']} ({r['of_started']})") for r in funnel_rows],
            suppressed=hidden,
            mark=f"suppressed (<{k})",
        ),
        "channels": channels,
        "channel_chart": horizontal_chart(
            [(r["channel"], r["value"], f"{r['count']} ({r['share']})") for r in channels],
            suppressed=hidden,
            mark=f"suppressed (<{k})",
        ),
    }


def download_links(query: Mapping[str, str]) -> list[dict[str, Any]]:
    """One row per export kind: its description and links carrying the page's filters."""
    kept = urlencode({key: query[key] for key in ("program", "from", "to") if query.get(key)})
    suffix = f"?{kept}" if kept else ""
    return [
        {
            "kind": kind,
            "description": schema.description,
            "links": [
                (label, f"/staff/exports/{kind}{FILE_SUFFIXES[fmt]}{suffix}")
                for fmt, label in DOWNLOAD_FORMATS
            ],
        }
        for kind, schema in SCHEMAS.items()
    ]


@routes.get("/staff/dashboard")
@requires(Perm.EXPORTS)
async def dashboard(request: web.Request) -> web.StreamResponse:
    services = request.app[SERVICES]
    query = request.query
    programs = sorted((p.id, p.name) for p in services.programs.values())
    context: dict[str, Any] = {
        "title": "Program dashboard",
        "programs": programs,
        "program": query.get("program", ""),
        "date_from": query.get("from", ""),
        "date_to": query.get("to", ""),
        "error": None,
        "view": None,
        "window": None,
        "downloads": [],
    }
    try:
        window = parse_window(query, services.clock())
        program_id = parse_program(query, services.programs)
    except ExportQueryError as exc:
        context["error"] = str(exc)
        return render(request, "dashboard.html", context, status=400)
    data = await dashboard_data(
        services, window.date_from, window.date_to, program_id=program_id, k=MIN_GROUP
    )
    context.update(view=dashboard_view(data), window=window, downloads=download_links(query))
    return render(request, "dashboard.html", context)


@routes.get(r"/staff/exports/{kind:[a-z-]+(?:\.[a-z]+)?}")
@requires(Perm.EXPORTS)
async def download(request: web.Request) -> web.StreamResponse:
    """`/staff/exports/adherence.csv?from=&to=&program=` (one path segment: the file name)."""
    who, services = identity(request), request.app[SERVICES]
    kind, _, suffix = request.match_info["kind"].partition(".")
    fmt = FORMAT_OF_SUFFIX.get(suffix)
    if fmt is None or kind not in SCHEMAS:
        files = ", ".join(f"{k}.{s}" for k in SCHEMAS for s in FORMAT_OF_SUFFIX)
        return await error_page(request, 404, "No such export", f"The exports are {files}.")
    try:
        export = parse_export_query(kind, fmt, request.query, services)
    except ExportQueryError as exc:
        return await error_page(
            request, 400, "Cannot make this export", str(exc)[:1].upper() + str(exc)[1:] + "."
        )
    async with services.sessions() as session, session.begin():
        await audit.append(
            session,
            actor=who.actor,
            action="export.download",
            target=f"export:{export.kind}",
            now=services.clock(),
            detail=_audit_detail(export),
        )
    try:
        return await send_export(request, export)
    except NotPseudonymousError:
        return await error_page(
            request,
            500,
            "Export refused",
            "A row looked like personal data, so nothing was sent. Tell the engineers.",
        )


def _audit_detail(export: ExportQuery) -> dict[str, str]:
    window = export.window
    detail = {"format": export.fmt, "to": window.date_to.isoformat()}
    if window.date_from is not None:
        detail["from"] = window.date_from.isoformat()
    if export.program_id is not None:
        detail["program"] = export.program_id
    return detail
