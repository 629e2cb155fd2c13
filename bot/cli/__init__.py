"""`psp` / `python -m bot`: commands only; each one calls into the package and returns an exit code."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings

log = logging.getLogger("psp")


# Over 60 lines on purpose: the argparse declaration of every `psp` command, one after another.
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="psp", description="Patient support program messaging service.")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("serve", help="run the web app, the enabled channels and the scheduler")

    chat = sub.add_parser("chat", help="talk to the bot as a patient in this terminal")
    chat.add_argument("--address", default="terminal", help="console address (one patient per address)")
    chat.add_argument("--lang", default=None, help="language hint, e.g. es")

    content = sub.add_parser("content", help="approved content commands")
    content_sub = content.add_subparsers(dest="content_command", required=True)
    content_sub.add_parser("validate", help="check every module, program and catalog")

    pv = sub.add_parser("pv", help="pharmacovigilance commands")
    pv_sub = pv.add_subparsers(dest="pv_command", required=True)
    screen = pv_sub.add_parser(
        "screen", help="screen one message (or JSON lines on stdin) for adverse events"
    )
    screen.add_argument("text", nargs="?", default=None, help="the message; read from stdin when absent")
    screen.add_argument("--lang", default=None, help="language code (detected when absent)")
    screen.add_argument("--jsonl", action="store_true", help='read {"text":..., "lang":...} lines on stdin')

    from bot.cli.analytics import day_or_today, iso_date

    rec = pv_sub.add_parser("reconcile", help="every escalated message of a period against its case")
    rec.add_argument(
        "--from",
        dest="date_from",
        type=iso_date,
        required=True,
        metavar="DATE",
        help="first day (UTC), YYYY-MM-DD",
    )
    rec.add_argument(
        "--to", dest="date_to", type=iso_date, required=True, metavar="DATE", help="last day (UTC), included"
    )
    rec.add_argument("--json", dest="as_json", action="store_true", help="JSON instead of tables")
    e2b = pv_sub.add_parser("case-e2b", help="one case as ICH E2B(R3) data elements (JSON)")
    e2b.add_argument("case", metavar="CASE_ID", help="e.g. PV-000042")
    from bot.cli import pv_review

    pv_review.add_parsers(pv_sub, iso_date)

    dbp = sub.add_parser("db", help="database commands")
    dbsub = dbp.add_subparsers(dest="db_command", required=True)
    dbsub.add_parser("upgrade", help="apply migrations")

    from bot.cli import staff as staff_commands

    staff_commands.add_parsers(sub)

    from bot.cli.analytics import iso_date

    imp = sub.add_parser("import", help="import data files")
    imp_sub = imp.add_subparsers(dest="import_command", required=True)
    refills = imp_sub.add_parser("refills", help="import pharmacy dispensing records (CSV); all rows or none")
    refills.add_argument(
        "file", type=Path, help="CSV with patient_ref, fill_date, days_supply[, product, pharmacy]"
    )

    export = sub.add_parser("export", help="write an analyst export with pseudonymous subject IDs")
    export.add_argument("kind", choices=["adherence", "doses", "refills", "engagement", "pv-cases"])
    export.add_argument("--format", dest="fmt", required=True, choices=["csv", "parquet", "json"])
    export.add_argument("--out", required=True, type=Path, help="file to write (appears only when complete)")
    export.add_argument("--from", dest="date_from", type=iso_date, help="first day (YYYY-MM-DD, UTC)")
    export.add_argument(
        "--to",
        dest="date_to",
        type=day_or_today,
        help="last day (default: yesterday, the last complete day; 'today' or today's date: today so far)",
    )
    export.add_argument("--program", dest="program_id", help="only this program's subjects")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    level = logging.WARNING if argv_command(argv) == "chat" else logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)  # one INFO line per update otherwise
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").setLevel(
        logging.ERROR
    )  # "skipped: already running" on busy ticks
    args = _parser().parse_args(argv)
    try:
        return _main(args)
    except BrokenPipeError:
        # `psp ... | head`: the reader left. Say so once; stdout is pointed at /dev/null so the interpreter's
        # final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        print("psp: output closed early (broken pipe)", file=sys.stderr)
        return 141


def _main(args: argparse.Namespace) -> int:
    if args.command == "pv" and args.pv_command == "screen":
        # Pure screening: no database, no key file, usable in a pipeline.
        from bot.safety.command import run_screen_command

        return run_screen_command(args.text, args.lang, args.jsonl, sys.stdin, sys.stdout)
    if args.command == "pv" and args.pv_command == "evaluate":
        from bot.safety.evaluate import run_evaluate_command

        return run_evaluate_command(args.file, args.lang, args.as_json, args.details, sys.stdout, sys.stderr)
    try:
        settings = load_settings()
        return _dispatch(args, settings)
    except ConfigError as exc:
        print(f"psp: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import pv_review

    if args.command == "serve":
        return asyncio.run(_serve(settings))
    if args.command == "chat":
        from bot.cli.chat import run_chat

        return asyncio.run(run_chat(settings, args.address, args.lang))
    if args.command == "content" and args.content_command == "validate":
        from bot.cli.content import run_validate_command

        return run_validate_command(settings.psp_content_dir, settings.psp_locales_dir, sys.stdout)
    if args.command == "pv" and args.pv_command in ("reconcile", "case-e2b"):
        from bot.cli import pv as pv_command

        options = {k: v for k, v in vars(args).items() if k not in ("command", "pv_command")}
        return asyncio.run(pv_command.run(settings, args.pv_command, **options))
    if args.command == "pv" and args.pv_command in pv_review.COMMANDS:
        return asyncio.run(pv_review.run(settings, args))
    if args.command == "db" and args.db_command == "upgrade":
        return asyncio.run(_db_upgrade(settings))
    from bot.cli import staff as staff_commands

    if args.command in staff_commands.COMMANDS:
        return asyncio.run(staff_commands.run(args, settings))

    if args.command == "import" and args.import_command == "refills":
        from bot.cli.analytics import import_refills_command

        return asyncio.run(import_refills_command(settings, args.file))
    if args.command == "export":
        from bot.cli.analytics import export_command

        return asyncio.run(
            export_command(
                settings, args.kind, args.fmt, args.out, args.date_from, args.date_to, args.program_id
            )
        )
    raise AssertionError(f"unhandled command {args.command}")


async def _db_upgrade(settings: Settings) -> int:
    from bot.storage import crypto, db

    crypto.configure(settings.psp_secret_key or "")  # the evidence migration re-writes old rows encrypted
    engine = db.make_engine(settings.psp_database_url)
    try:
        await db.upgrade(engine)
    finally:
        await engine.dispose()
    print("database is up to date")
    return 0


async def _serve(settings: Settings) -> int:
    from aiohttp import web

    from bot.app import (
        close_services,
        enable_channels,
        open_services,
        settle_after_start_up,
        start_scheduler,
    )
    from bot.web.app import build_web_app

    services = await open_services(settings)
    await enable_channels(services)
    runner = web.AppRunner(build_web_app(services), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.psp_http_host, settings.psp_http_port)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        await close_services(services)
        raise ConfigError(
            f"PSP_HTTP_PORT: cannot listen on {settings.psp_http_host}:{settings.psp_http_port} "
            f"({exc.strerror or exc}); stop the other process or choose another port"
        ) from None
    start_scheduler(services)
    for name, status in services.channel_status.items():
        log.info("channel %s: %s", name, status)
    await _log_audit_head(services)
    settle_after_start_up()
    log.info("psp serve listening on http://%s:%s", settings.psp_http_host, settings.psp_http_port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        await close_services(services)
    return 0


async def _log_audit_head(services) -> None:  # type: ignore[no-untyped-def]
    """Write the audit chain's head to the log at each start: an anchor outside the database."""
    from bot.storage import audit

    async with services.sessions() as session:
        count, head = await audit.head(session)
    log.info("audit chain head: entry #%s, hash %s", count, head)


def argv_command(argv: Sequence[str] | None) -> str | None:
    args = list(sys.argv[1:] if argv is None else argv)
    return args[0] if args else None
