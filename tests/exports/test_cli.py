"""`python -m bot import refills` and `python -m bot export`, run as an operator runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from bot.storage.models import Refill
from tests.conftest import ROOT, TEST_SECRET
from tests.exports.helpers import add_doses, at, enrolled_patient, read_export, subject_of


def psp(database_url: str, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "PSP_DATABASE_URL": database_url,
        "PSP_SECRET_KEY": TEST_SECRET,
        "PSP_CONTENT_DIR": str(ROOT / "content"),
        "PSP_LOCALES_DIR": str(ROOT / "locales"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        check=False,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def _refill_count(services) -> int:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(Refill)) or 0)


async def test_import_then_export_from_the_command_line(services, database_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid, ref = await enrolled_patient(services, date(2026, 1, 5), address="95011")
    await add_doses(services, pid, (at(date(2026, 1, 6)), "taken"), (at(date(2026, 1, 7)), "no_response"))
    bad = tmp_path / "pharmacy.csv"
    bad.write_text(
        f"patient_ref,fill_date,days_supply\n{ref},2026-01-05,30\n{ref},2026-02-04,-5\n", encoding="utf-8"
    )

    refused = psp(database_url, tmp_path, "import", "refills", str(bad))

    assert refused.returncode == 1
    assert "line 3: days_supply '-5' is not a whole number from 1 to 365" in refused.stderr
    assert "nothing was stored" in refused.stderr
    assert await _refill_count(services) == 0

    bad.write_text(
        f"patient_ref,fill_date,days_supply\n{ref},2026-01-05,30\n{ref},2026-02-04,30\n", encoding="utf-8"
    )
    accepted = psp(database_url, tmp_path, "import", "refills", str(bad))
    assert accepted.returncode == 0, accepted.stderr
    assert "2 rows read; 2 stored, 0 already on record" in accepted.stdout
    assert await _refill_count(services) == 2

    out = tmp_path / "adherence.csv"
    exported = psp(
        database_url,
        tmp_path,
        "export",
        "adherence",
        "--format",
        "csv",
        "--out",
        str(out),
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
    )
    assert exported.returncode == 0, exported.stderr
    assert f"adherence: 1 row written to {out}" in exported.stdout
    (row,) = read_export("csv", out)
    assert row["subject_id"] == subject_of(ref)
    assert (row["period_start"], row["period_end"], row["refills"]) == ("2026-01-05", "2026-01-31", "1")
    assert float(row["pdc"]) == 1.0 and row["dose_adherence"] == "0.5"

    doses = tmp_path / "doses.parquet"
    assert (
        psp(database_url, tmp_path, "export", "doses", "--format", "parquet", "--out", str(doses)).returncode
        == 0
    )
    assert [r["status"] for r in read_export("parquet", doses)] == ["taken", "no_response"]


def test_bad_export_arguments_are_refused_before_anything_is_written(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"
    out = tmp_path / "x.csv"
    bad_date = psp(
        url, tmp_path, "export", "adherence", "--format", "csv", "--out", str(out), "--from", "2026-13-01"
    )
    assert bad_date.returncode == 2 and "'2026-13-01' is not a date written YYYY-MM-DD" in bad_date.stderr
    bad_kind = psp(url, tmp_path, "export", "patients", "--format", "csv", "--out", str(out))
    assert bad_kind.returncode == 2 and "invalid choice: 'patients'" in bad_kind.stderr
    backwards = psp(
        url,
        tmp_path,
        "export",
        "doses",
        "--format",
        "json",
        "--out",
        str(out),
        "--from",
        "2026-02-01",
        "--to",
        "2026-01-01",
    )
    assert backwards.returncode == 2 and "--from 2026-02-01 is after --to 2026-01-01" in backwards.stderr
    missing = psp(url, tmp_path, "import", "refills", str(tmp_path / "nowhere.csv"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    assert not out.exists()
