"""/api/v1 with bearer tokens: PV cases as JSON, the exports hook, tokens revoked or stored hashed."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from sqlalchemy import select

from bot.staff import accounts
from bot.storage.models.staff import ApiToken, AuditEntry
from bot.web.api import register_export
from tests.console.conftest import Console, add_staff
from tests.console.seed import SIDE_EFFECT, patient_with_history


async def _token(services: Any, username: str, role: str) -> str:
    await add_staff(services, username, role)
    _, token = await accounts.create_token(
        services.sessions, username=username, name="test tool", actor="admin", now=services.clock()
    )
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_pv_officer_lists_open_cases_and_reads_one_with_its_evidence(console: Console) -> None:
    ref = await patient_with_history(console.services)
    token = await _token(console.services, "pat", "pv_officer")
    listed = await console.get("/api/v1/pv/cases?status=open", headers=_bearer(token))
    assert listed.status == 200 and listed.headers["Cache-Control"] == "no-store"
    cases = (await listed.json())["cases"]
    assert [(c["patient_ref"], c["status"], c["kind"]) for c in cases] == [(ref, "open", "adverse_event")]
    assert 0 < cases[0]["seconds_to_due"] <= 24 * 3600
    one = await (await console.get(f"/api/v1/pv/cases/{cases[0]['id']}", headers=_bearer(token))).json()
    assert one["messages"][0]["text"] == SIDE_EFFECT
    assert any("headache" in words for words in one["messages"][0]["evidence"])
    async with console.services.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "api.pv.case.view"))
    assert entry is not None and entry.actor.startswith("pat (token #")


async def test_an_analyst_token_is_refused_pv_cases(console: Console) -> None:
    await patient_with_history(console.services)
    token = await _token(console.services, "ana", "analyst")
    response = await console.get("/api/v1/pv/cases", headers=_bearer(token))
    assert response.status == 403
    assert (await response.json()) == {"error": "role analyst lacks pv.view"}


async def test_exports_are_a_registry_other_features_plug_into(console: Console) -> None:
    async def adherence(request: web.Request) -> web.StreamResponse:
        return web.Response(text="subject_id,pdc\nS1,0.9\n", content_type="text/csv")

    register_export(console.app, "adherence", adherence)
    analyst = await _token(console.services, "ana", "analyst")
    agent = await _token(console.services, "sam", "support_agent")
    ok = await console.get("/api/v1/exports/adherence?format=csv", headers=_bearer(analyst))
    assert ok.status == 200 and (await ok.text()).startswith("subject_id,pdc")
    unknown = await console.get("/api/v1/exports/names", headers=_bearer(analyst))
    assert unknown.status == 404 and (await unknown.json())["kinds"] == [
        "adherence",
        "doses",
        "engagement",
        "pv-cases",
        "refills",
    ]
    assert (await console.get("/api/v1/exports/adherence", headers=_bearer(agent))).status == 403
    async with console.services.sessions() as session:
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "api.export"))
    assert entry is not None and entry.target == "export:adherence" and entry.detail == {"format": "csv"}


async def test_a_revoked_token_or_a_disabled_owner_stops_working_at_once(console: Console) -> None:
    services = console.services
    token = await _token(services, "pat", "pv_officer")
    assert (await console.get("/api/v1/me", headers=_bearer(token))).status == 200
    async with services.sessions() as session:
        token_id = await session.scalar(select(ApiToken.id))
    assert token_id is not None
    await accounts.revoke_token(services.sessions, token_id=token_id, actor="admin", now=services.clock())
    assert (await console.get("/api/v1/me", headers=_bearer(token))).status == 401
    other = await _token(services, "ann", "admin")
    await accounts.set_account_active(
        services.sessions, username="ann", active=False, actor="admin", now=services.clock()
    )
    assert (await console.get("/api/v1/me", headers=_bearer(other))).status == 401


async def test_a_password_change_revokes_the_owners_tokens_with_an_audit_entry(console: Console) -> None:
    services = console.services
    token = await _token(services, "pat", "pv_officer")
    assert (await console.get("/api/v1/me", headers=_bearer(token))).status == 200
    await accounts.change_password(
        services.sessions, username="pat", password=None, actor="pat", now=services.clock()
    )
    assert (await console.get("/api/v1/me", headers=_bearer(token))).status == 401
    async with services.sessions() as session:
        entries = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "token.revoke"))).all()
    assert [e.actor for e in entries] == ["pat"]


async def test_tokens_are_stored_only_as_hashes_and_bad_ones_get_401(console: Console) -> None:
    token = await _token(console.services, "pat", "pv_officer")
    me = await (await console.get("/api/v1/me", headers=_bearer(token))).json()
    assert me == {"username": "pat", "role": "pv_officer", "token_id": 1}
    async with console.services.sessions() as session:
        row = await session.scalar(select(ApiToken))
    assert row is not None and token not in (row.token_hash, row.prefix) and token.startswith(row.prefix)
    for header in (f"Bearer {token}x", f"Basic {token}", "Bearer ", token):
        response = await console.get("/api/v1/me", headers={"Authorization": header})
        assert response.status == 401, header


async def test_a_session_cookie_does_not_open_the_api(console: Console) -> None:
    await add_staff(console.services, "ann", "admin")
    await console.sign_in("ann")
    assert (await console.get("/api/v1/pv/cases")).status == 401


async def test_an_administrator_creates_a_token_in_the_console_and_sees_it_once(console: Console) -> None:
    await add_staff(console.services, "ann", "admin")
    await add_staff(console.services, "ana", "analyst")
    await console.sign_in("ann")
    page = await (
        await console.submit(
            "/staff/admin/tokens", {"username": "ana", "name": "nightly export"}, page="/staff/admin/staff"
        )
    ).text()
    import re

    token = re.search(r'id="created-token">(psp_[^<]+)<', page).group(1)  # type: ignore[union-attr]
    assert (await console.get("/api/v1/me", headers=_bearer(token))).status == 200
    later = await (await console.get("/staff/admin/staff")).text()
    assert token not in later and "nightly export" in later
