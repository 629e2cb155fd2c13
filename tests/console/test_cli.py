"""`psp staff ...`, `psp audit verify` and `psp patient ...` as an operator runs them."""

from __future__ import annotations

import asyncio
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.cli import main
from bot.staff import accounts
from bot.storage.models.staff import AuditEntry, StaffUser
from tests.conftest import TEST_SECRET
from tests.console.seed import PHONE, SIDE_EFFECT, patient_with_history


@pytest.fixture
def psp(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):  # type: ignore[no-untyped-def]
    """Run `psp ARGS...` against the test database; returns (exit code, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PSP_DATABASE_URL", database_url)
    monkeypatch.setenv("PSP_SECRET_KEY", TEST_SECRET)

    async def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = await asyncio.to_thread(main, list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


async def test_staff_add_with_a_password_from_stdin(services: Any, psp: Any) -> None:
    code, out, _ = await psp(
        "staff", "add", "Sam", "--role", "support_agent", "--password-stdin", stdin="a long passphrase here\n"
    )
    assert (code, out.strip()) == (0, "created sam (support_agent)")
    signed = await accounts.sign_in(
        services.sessions, username="sam", password="a long passphrase here", remote="t", now=services.clock()
    )
    assert signed.ok


async def test_staff_add_generates_a_password_printed_once_and_stores_only_its_argon2_hash(
    services: Any, psp: Any
) -> None:
    code, out, _ = await psp("staff", "add", "ann", "--role", "admin")
    assert code == 0
    password = re.search(r"password \(shown once\): (\S+)", out).group(1)  # type: ignore[union-attr]
    assert len(password) >= 20
    async with services.sessions() as session:
        user = await session.scalar(select(StaffUser).where(StaffUser.username == "ann"))
    assert (
        user is not None
        and user.password_hash.startswith("$argon2id$")
        and password not in user.password_hash
    )
    assert (
        await accounts.sign_in(
            services.sessions, username="ann", password=password, remote="t", now=services.clock()
        )
    ).ok


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("staff", "add", "x1", "--role", "nurse"), None, "unknown role 'nurse'"),
        (("staff", "add", "x1", "--role", "admin", "--password-stdin"), "short\n", "at least 12 characters"),
        (("staff", "add", "bad name", "--role", "admin"), None, "username must be"),
    ],
)
async def test_staff_add_refuses_bad_input_with_a_reason(
    services: Any, psp: Any, args: tuple[str, ...], stdin: str | None, message: str
) -> None:
    code, _, err = await psp(*args, stdin=stdin)
    assert code == 2 and message in err


async def test_an_account_name_is_taken_once(services: Any, psp: Any) -> None:
    assert (await psp("staff", "add", "sam", "--role", "analyst"))[0] == 0
    code, _, err = await psp("staff", "add", "SAM", "--role", "admin")
    assert code == 2 and "already exists" in err


async def test_tokens_from_the_command_line(services: Any, psp: Any) -> None:
    await psp("staff", "add", "ana", "--role", "analyst")
    code, out, _ = await psp("staff", "token", "create", "ana", "--name", "nightly export")
    token = re.search(r"\(shown once\): (psp_\S+)", out).group(1)  # type: ignore[union-attr]
    assert (
        code == 0
        and (await accounts.authenticate_token(services.sessions, token, services.clock())) is not None
    )
    listed = (await psp("staff", "token", "list"))[1]
    assert "nightly export" in listed and token not in listed
    assert (await psp("staff", "token", "revoke", "1"))[0] == 0
    assert (await accounts.authenticate_token(services.sessions, token, services.clock())) is None


async def test_audit_verify_says_ok_with_the_count_then_names_a_tampered_entry(
    services: Any, psp: Any
) -> None:
    await psp("staff", "add", "ann", "--role", "admin")
    await psp("staff", "add", "sam", "--role", "support_agent")
    await psp("staff", "disable", "sam")
    code, out, _ = await psp("audit", "verify")
    assert code == 0 and out.startswith("OK: audit log intact, 3 entries, head ")
    async with services.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only"))
        else:
            await conn.execute(text("DROP TRIGGER audit_log_no_update"))
        await conn.execute(text("UPDATE audit_log SET action = 'staff.enable' WHERE id = 3"))
    code, out, _ = await psp("audit", "verify")
    assert code == 1
    assert (
        out.strip()
        == "BROKEN: audit log entry #3: content does not match its hash (entry was changed) (2 entries "
        "before it are intact)"
    )


async def test_patient_export_and_erase_from_the_command_line(
    services: Any, psp: Any, tmp_path: Path
) -> None:
    ref = await patient_with_history(services)
    code, out, _ = await psp("patient", "export", ref.lower(), "--out", str(tmp_path / "export.json"))
    assert code == 0
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    assert data["addresses"][0]["value"] == PHONE
    assert (tmp_path / "export.json").stat().st_mode & 0o077 == 0, "the export file is private to its owner"
    assert (await psp("patient", "erase", ref))[0] == 2, "erasure needs --yes"
    code, out, _ = await psp("patient", "erase", ref, "--yes")
    assert code == 0 and "messages_kept_for_pv 1" in out
    code, out, _ = await psp("patient", "export", ref)
    after = json.loads(out)
    assert after["patient"]["status"] == "erased" and after["addresses"][0]["value"] == "[erased]"
    assert [m["text"] for m in after["messages"] if m["text"] != "[erased]"] == [SIDE_EFFECT]
    async with services.sessions() as session:
        actions = list((await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all())
    assert actions[-3:] == ["patient.export", "patient.erase", "patient.export"]
