"""GET /api/v1/exports/{kind}: analysts and admins get the export files; everyone else is refused."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from bot.analytics.schemas import SCHEMAS
from bot.staff import accounts
from bot.storage.models.staff import AuditEntry
from tests.console.conftest import Console, add_staff
from tests.exports.helpers import subject_of


async def _token(services: Any, username: str, role: str) -> str:
    await add_staff(services, username, role)
    _, token = await accounts.create_token(
        services.sessions, username=username, name="notebook", actor="admin", now=services.clock()
    )
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(autouse=True)
def private_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Export files are written under here while they are made, so a test can see that none is left."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


async def test_anonymous_callers_and_support_agents_are_refused(console: Console) -> None:
    agent = await _token(console.services, "sam", "support_agent")
    anonymous = await console.get("/api/v1/exports/adherence?format=csv")
    assert anonymous.status == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    refused = await console.get("/api/v1/exports/adherence?format=csv", headers=_bearer(agent))
    assert refused.status == 403
    assert await refused.json() == {"error": "role support_agent lacks exports.read"}


async def test_an_analyst_downloads_the_adherence_csv_with_the_documented_columns(
    console: Console, quarter: None, private_temp_dir: Path
) -> None:
    token = await _token(console.services, "ana", "analyst")
    response = await console.get(
        "/api/v1/exports/adherence?format=csv&from=2026-01-01&to=2026-03-31", headers=_bearer(token)
    )
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="adherence_2026-01-01_2026-03-31.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO((await response.read()).decode("utf-8"), newline="")))
    assert tuple(rows[0]) == SCHEMAS["adherence"].names
    assert len(rows) == 1 + 10 and response.headers["X-Export-Rows"] == "10"
    by_pdc = sorted(row[rows[0].index("pdc")] for row in rows[1:])
    assert by_pdc == ["0.0"] * 5 + ["1.0"] * 5
    for _ in range(100):  # the server deletes it right after sending, maybe a moment after we read it
        if not list(private_temp_dir.iterdir()):
            break
        await asyncio.sleep(0.01)
    assert list(private_temp_dir.iterdir()) == [], "the temporary export file is deleted once sent"
    async with console.services.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "api.export"))
    assert entry is not None and entry.actor.startswith("ana (token #") and entry.target == "export:adherence"


async def test_parquet_and_a_program_filter(console: Console, quarter: None) -> None:
    token = await _token(console.services, "ana", "analyst")
    url = "/api/v1/exports/refills?format=parquet&to=2026-03-31&program=cardiozen-daily"
    response = await console.get(url, headers=_bearer(token))
    assert response.status == 200 and response.headers["Content-Type"] == "application/vnd.apache.parquet"
    assert (
        'filename="cardiozen-daily_refills_start_2026-03-31.parquet"'
        in response.headers["Content-Disposition"]
    )
    table = pq.read_table(io.BytesIO(await response.read()))
    assert tuple(table.column_names) == SCHEMAS["refills"].names and table.num_rows == 5
    other = await console.get(
        "/api/v1/exports/refills?format=json&program=ostelix-weekly", headers=_bearer(token)
    )
    assert other.status == 200 and await other.read() == b""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("format=xlsx", "format must be one of: csv, parquet, json"),
        ("format=csv&from=01/02/2026", "'from' must be a date written YYYY-MM-DD"),
        ("to=2026-3-1", "'to' must be a date written YYYY-MM-DD"),
        ("from=2026-03-01&to=2026-02-01", "from 2026-03-01 is after to 2026-02-01"),
        ("from=2026-03-02", "from 2026-03-02 is after yesterday (2026-03-01), the last complete day"),
        ("program=nope", "unknown program (one of: cardiozen-daily, ostelix-weekly)"),
    ],
)
async def test_bad_requests_are_answered_400_with_what_is_wrong(
    console: Console, query: str, message: str
) -> None:
    token = await _token(console.services, "ana", "analyst")
    response = await console.get(f"/api/v1/exports/doses?{query}", headers=_bearer(token))
    assert response.status == 400
    assert await response.json() == {"error": message}


async def test_an_unknown_kind_is_refused_with_the_list_of_kinds(console: Console) -> None:
    token = await _token(console.services, "ana", "analyst")
    response = await console.get("/api/v1/exports/patients?format=csv", headers=_bearer(token))
    # The api hook (bot.web.api) answers an unknown kind 404, listing what exists.
    assert response.status == 404
    assert (await response.json())["kinds"] == sorted(SCHEMAS)


async def test_every_row_is_a_subject_never_a_patient_reference(console: Console, quarter: None) -> None:
    token = await _token(console.services, "ana", "analyst")
    body = await (
        await console.get("/api/v1/exports/engagement?format=csv&to=2026-03-31", headers=_bearer(token))
    ).text()
    async with console.services.sessions() as session:
        from bot.storage.models import Patient

        refs = [r for r in (await session.scalars(select(Patient.patient_ref))).all() if r]
    assert refs and not any(ref in body for ref in refs)
    assert subject_of(refs[0]) in body or any(subject_of(ref) in body for ref in refs)
