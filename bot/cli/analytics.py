"""`psp import refills` and `psp export`: open the services, run one import or export, report, exit code.

Exit codes: 0 done; 1 the file or the export was refused (bad rows, a row that looks like personal data);
2 a window the export cannot honour (empty, or ending after today: one line, nothing written) or bad
configuration (from `bot.cli`).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date
from pathlib import Path
from typing import TextIO

from bot.config import Settings


def iso_date(text: str) -> date:
    """argparse type for `--from` / `--to`: a calendar date written YYYY-MM-DD."""
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


TODAY = "today"


def day_or_today(text: str) -> date | str:
    """argparse type for `--to`: a date, or `today` for today so far (the clock is read at export time)."""
    return TODAY if text.strip().lower() == TODAY else iso_date(text)


async def import_refills_command(settings: Settings, path: Path, out: TextIO = sys.stdout) -> int:
    from bot.analytics.refill_import import import_refills
    from bot.app import close_services, open_services
    from bot.reminders.planning import replan_refills

    if not path.is_file():
        print(f"psp import refills: no such file: {path}", file=sys.stderr)
        return 1
    services = await open_services(settings)
    try:
        programs = services.programs
        result = await import_refills(
            services,
            path,
            after_store=lambda session, ids, now: replan_refills(session, programs, ids, now),
        )
    finally:
        await close_services(services)
    print(result.summary(), file=out if result.ok else sys.stderr)
    return 0 if result.ok else 1


async def export_command(
    settings: Settings,
    kind: str,
    fmt: str,
    out_path: Path,
    date_from: date | None,
    date_to: date | str | None,
    program_id: str | None = None,
    out: TextIO = sys.stdout,
) -> int:
    from bot.analytics.facts import Window, WindowError
    from bot.analytics.queries import export_to
    from bot.app import close_services, open_services

    if not out_path.parent.is_dir():
        print(f"psp export: no such directory: {out_path.parent}", file=sys.stderr)
        return 1
    services = await open_services(settings)
    try:
        if program_id is not None and program_id not in services.programs:
            print(f"psp export: unknown program '{program_id}'", file=sys.stderr)
            return 1
        now = services.clock()
        last = now.astimezone(UTC).date() if date_to == TODAY else date_to
        window = Window.make(date_from, last if isinstance(last, date) else None, now)
        count = await export_to(
            services, kind, fmt, out_path, date_from, window.date_to, program_id=program_id
        )
    except WindowError as exc:
        hint = " (--to today includes today so far)" if date_to is None else ""
        print(f"psp export: {exc}{hint}; nothing was written", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"psp export: {exc}; nothing was written", file=sys.stderr)
        return 1
    finally:
        await close_services(services)
    rows = f"{count} row{'s' if count != 1 else ''}"
    print(f"{kind}: {rows} written to {out_path}; window: {window.describe()}", file=out)
    return 0
