"""Analyst exports over HTTP: `GET /api/v1/exports/{kind}?format=csv|parquet|json&from=&to=&program=`.

Plugs into `bot.web.api.register_export` (which checks `exports.read` and writes the `api.export` audit
entry); the console's download links (`bot.web.console.dashboard`) reuse `parse_export_query` and
`send_export`. The export is written by `bot.analytics.queries.export_to` to a private temporary file first,
so a refused export (a row that looks like personal data) never reaches the client half-sent, then
streamed with `web.FileResponse` and deleted once sent.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.abc import AbstractStreamWriter

from bot.analytics.checks import NotPseudonymousError
from bot.analytics.context import Analytics
from bot.analytics.facts import Window
from bot.analytics.queries import export_to
from bot.analytics.schemas import SCHEMAS
from bot.analytics.writers import FILE_SUFFIXES, FORMATS, MEDIA_TYPES
from bot.web.api import register_export
from bot.web.keys import SERVICES


class ExportQueryError(ValueError):
    """A request for an export that cannot be made; the message is safe to show (it echoes no input)."""


@dataclass(frozen=True)
class ExportQuery:
    kind: str
    fmt: str
    window: Window
    program_id: str | None

    @property
    def filename(self) -> str:
        """E.g. `adherence_start_2026-03-31.csv` or `cardiozen-daily_doses_2026-01-01_2026-03-31.parquet`."""
        start = self.window.date_from.isoformat() if self.window.date_from else "start"
        prefix = f"{self.program_id}_" if self.program_id else ""
        return f"{prefix}{self.kind}_{start}_{self.window.date_to.isoformat()}{FILE_SUFFIXES[self.fmt]}"


def parse_day(text: str | None, name: str) -> date | None:
    """A query parameter holding a calendar date `YYYY-MM-DD`; empty or missing means none."""
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ExportQueryError(f"'{name}' must be a date written YYYY-MM-DD") from None


def parse_window(query: Mapping[str, str], now: datetime) -> Window:
    """The export window from `from` / `to` (same rules as `psp export`); ExportQueryError when empty."""
    date_from, date_to = parse_day(query.get("from"), "from"), parse_day(query.get("to"), "to")
    try:
        return Window.make(date_from, date_to, now)
    except ValueError as exc:
        raise ExportQueryError(str(exc).replace("--from", "from").replace("--to", "to")) from None


def parse_program(query: Mapping[str, str], programs: Mapping[str, Any]) -> str | None:
    program_id = query.get("program") or None
    if program_id is not None and program_id not in programs:
        raise ExportQueryError(f"unknown program (one of: {', '.join(sorted(programs))})")
    return program_id


def parse_export_query(
    kind: str, fmt: str | None, query: Mapping[str, str], services: Analytics
) -> ExportQuery:
    """Check everything before any work starts: kind, format (default csv), dates, program."""
    if kind not in SCHEMAS:
        raise ExportQueryError(f"unknown export kind (one of: {', '.join(SCHEMAS)})")
    fmt = fmt or "csv"
    if fmt not in FORMATS:
        raise ExportQueryError(f"format must be one of: {', '.join(FORMATS)}")
    window = parse_window(query, services.clock())
    program_id = parse_program(query, services.programs)
    return ExportQuery(kind, fmt, window, program_id)


class TemporaryFileResponse(web.FileResponse):
    """A FileResponse that deletes its folder once the file is sent (or could not be sent).

    aiohttp prepares a returned response after the middlewares have added their headers; a response that is
    never prepared (the client went away first) is cleaned up when it is garbage-collected.
    """

    def __init__(self, path: Path, folder: Path, **kwargs: Any) -> None:
        super().__init__(path, **kwargs)
        self._cleanup = weakref.finalize(self, shutil.rmtree, folder, True)

    async def prepare(self, request: web.BaseRequest) -> AbstractStreamWriter | None:
        try:
            return await super().prepare(request)
        finally:
            self._cleanup()


async def send_export(request: web.Request, export: ExportQuery) -> web.StreamResponse:
    """Write the export to a private temporary file and answer it as an attachment (deleted once sent).

    Raises ValueError (NotPseudonymousError) before anything is sent when the export is refused.
    """
    services = request.app[SERVICES]
    folder = Path(tempfile.mkdtemp(prefix="psp-export-"))
    try:
        path = folder / export.filename
        rows = await export_to(
            services,
            export.kind,
            export.fmt,
            path,
            export.window.date_from,
            export.window.date_to,
            program_id=export.program_id,
        )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return TemporaryFileResponse(
        path,
        folder,
        headers={
            "Content-Type": MEDIA_TYPES[export.fmt],
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "X-Export-Rows": str(rows),
        },
    )


async def api_export(request: web.Request) -> web.StreamResponse:
    """The handler registered for every export kind (the api route has checked permission and audited)."""
    try:
        export = parse_export_query(
            request.match_info["kind"], request.query.get("format"), request.query, request.app[SERVICES]
        )
    except ExportQueryError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    try:
        return await send_export(request, export)
    except NotPseudonymousError:
        return web.json_response(
            {"error": "export refused: a row looked like personal data; nothing was sent"}, status=500
        )
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)


def setup_exports(app: web.Application) -> None:
    """Serve every export kind of `bot.analytics.schemas` under `/api/v1/exports/{kind}` (after
    `setup_api`)."""
    for kind in SCHEMAS:
        register_export(app, kind, api_export)
