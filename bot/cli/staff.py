"""`psp staff ...`, `psp audit verify`, `psp patient export|erase`: parsers and their implementations.

`bot.cli` adds these parsers and hands the parsed arguments here; every change is audited with the actor
`cli:<operating-system user>`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.staff import accounts, rights
from bot.staff.roles import PERMISSIONS, Role

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.config import Settings

COMMANDS = ("staff", "audit", "patient")


def add_parsers(sub: Any) -> None:
    """Add the staff, audit and patient command groups to `psp`'s subparsers."""
    roles = ", ".join(r.value for r in Role)
    staff = sub.add_parser("staff", help="staff accounts and API tokens")
    ssub = staff.add_subparsers(dest="staff_command", required=True)
    add = ssub.add_parser("add", help=f"create a staff account (roles: {roles})")
    add.add_argument("username")
    add.add_argument("--role", required=True, help=roles)
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else one is generated and printed once)",
    )
    ssub.add_parser("list", help="list accounts")
    ssub.add_parser("roles", help="print each role's permissions")
    for name, what in (
        ("disable", "disable an account (ends its sessions)"),
        ("enable", "enable an account again"),
    ):
        p = ssub.add_parser(name, help=what)
        p.add_argument("username")
    pw = ssub.add_parser("password", help="set a new password (ends the account's sessions)")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true")
    token = ssub.add_parser("token", help="API tokens for /api/v1")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create", help="create a token acting with USERNAME's role; printed once")
    create.add_argument("username")
    create.add_argument("--name", required=True, help="what uses the token")
    revoke = tsub.add_parser("revoke", help="revoke a token by its number")
    revoke.add_argument("token_id", type=int)
    tsub.add_parser("list", help="list tokens")

    audit = sub.add_parser("audit", help="the audit log")
    asub = audit.add_subparsers(dest="audit_command", required=True)
    asub.add_parser("verify", help="check the hash chain; exit 1 naming the first broken entry")

    patient = sub.add_parser("patient", help="patient-rights requests")
    psub = patient.add_subparsers(dest="patient_command", required=True)
    export = psub.add_parser("export", help="everything held about one patient, as JSON (access request)")
    export.add_argument("patient_ref")
    export.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")
    erase = psub.add_parser("erase", help="erase a patient's personal data (PV records are kept)")
    erase.add_argument("patient_ref")
    erase.add_argument("--yes", action="store_true", help="confirm the erasure")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


def _now() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def _database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    from bot.app import ensure_current_schema
    from bot.storage import crypto, db

    assert settings.psp_secret_key, "load_settings() fills the secret key"
    crypto.configure(settings.psp_secret_key)
    engine = db.make_engine(settings.psp_database_url, null_pool=True)
    try:
        if settings.is_sqlite:
            await db.upgrade(engine)
        else:
            await ensure_current_schema(engine)
        yield db.session_factory(engine)
    finally:
        await engine.dispose()


def _read_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


async def run(args: argparse.Namespace, settings: Settings) -> int:
    """Carry out one command; the exit code: 0 done, 1 refused or failed check, 2 bad input."""
    if args.command == "staff" and args.staff_command == "roles":
        for role in Role:
            print(f"{role.value}: {', '.join(sorted(p.value for p in PERMISSIONS[role]))}")
        return 0
    handlers: dict[str, Callable[..., Any]] = {"staff": _staff, "audit": _audit, "patient": _patient}
    async with _database(settings) as sessions:
        try:
            return int(await handlers[args.command](args, sessions))
        except (accounts.AccountError, rights.RightsError) as exc:
            print(f"psp: {exc}", file=sys.stderr)
            return 2


async def _staff(args: argparse.Namespace, sessions: async_sessionmaker[AsyncSession]) -> int:
    from bot.staff import store

    command, actor, now = args.staff_command, _actor(), _now()
    if command == "add":
        password = _read_password() if args.password_stdin else None
        user, generated = await accounts.create_account(
            sessions, username=args.username, role=args.role, password=password, actor=actor, now=now
        )
        print(f"created {user.username} ({user.role})")
        if generated:
            print(f"password (shown once): {generated}")
        return 0
    if command == "list":
        async with sessions() as session:
            users = await store.list_users(session)
        for u in users:
            last = u.last_login_at.isoformat(timespec="minutes") if u.last_login_at else "never"
            print(f"{u.username:24} {u.role:14} {'active' if u.active else 'disabled':9} last sign-in {last}")
        return 0
    if command in ("disable", "enable"):
        await accounts.set_account_active(
            sessions, username=args.username, active=command == "enable", actor=actor, now=now
        )
        print(f"{args.username} {command}d")
        return 0
    if command == "password":
        generated = await accounts.change_password(
            sessions,
            username=args.username,
            password=_read_password() if args.password_stdin else None,
            actor=actor,
            now=now,
        )
        print(
            f"password of {args.username} changed"
            + (f"; new password (shown once): {generated}" if generated else "")
        )
        return 0
    if command == "token":
        return await _token(args, sessions, actor, now)
    raise AssertionError(command)


async def _token(
    args: argparse.Namespace, sessions: async_sessionmaker[AsyncSession], actor: str, now: datetime
) -> int:
    from bot.staff import store

    if args.token_command == "create":
        row, token = await accounts.create_token(
            sessions, username=args.username, name=args.name, actor=actor, now=now
        )
        print(f"token #{row.id} for {args.username} (shown once): {token}")
        return 0
    if args.token_command == "revoke":
        await accounts.revoke_token(sessions, token_id=args.token_id, actor=actor, now=now)
        print(f"token #{args.token_id} revoked")
        return 0
    async with sessions() as session:
        tokens = await store.list_tokens(session)
    for t, username in tokens:
        state = f"revoked {t.revoked_at.isoformat(timespec='minutes')}" if t.revoked_at else "active"
        print(f"#{t.id:<4} {t.prefix}…  {username:20} {t.name:30} {state}")
    return 0


async def _audit(args: argparse.Namespace, sessions: async_sessionmaker[AsyncSession]) -> int:
    from bot.storage import audit

    async with sessions() as session:
        result = await audit.verify(session)
    if result.ok:
        print(f"OK: audit log intact, {result.count} entries, head {result.head}")
        return 0
    print(
        f"BROKEN: audit log entry #{result.broken_id}: {result.reason} ({result.count} entries before it "
        f"are intact)"
    )
    return 1


async def _patient(args: argparse.Namespace, sessions: async_sessionmaker[AsyncSession]) -> int:
    if args.patient_command == "export":
        data = await rights.export_patient(sessions, args.patient_ref, actor=_actor(), now=_now())
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if args.out is None:
            print(text)
        else:
            args.out.write_text(text + "\n", encoding="utf-8")
            args.out.chmod(0o600)
            print(f"wrote {args.out}")
        return 0
    if not args.yes:
        print("psp: erasure cannot be undone; add --yes to confirm", file=sys.stderr)
        return 2
    counts = await rights.erase_patient(sessions, args.patient_ref, actor=_actor(), now=_now())
    print(f"erased {args.patient_ref.upper()}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0
