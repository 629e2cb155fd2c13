"""Personal data: never in clear text on disk, shown only to roles that may see it, every view audited,
exported and erased on request with PV records kept."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bot.app import close_services, open_services
from bot.storage.models import Patient, PvCase
from bot.storage.models.staff import AuditEntry
from tests.conftest import FakeClock, make_settings
from tests.console.conftest import Console, add_staff
from tests.console.seed import PHONE, PRIVATE_REMARK, SIDE_EFFECT, SmsPatient, patient_with_history

NOTE = "Spoke with Mrs Quintanilla-Oyelaran, she will refill on Friday"


async def test_the_database_files_hold_no_phone_number_message_or_note_in_clear_text(
    tmp_path: Path, clock: FakeClock
) -> None:
    db_file = tmp_path / "psp.db"
    services = await open_services(make_settings(f"sqlite+aiosqlite:///{db_file}"), clock=clock)
    closed = False
    try:
        ref = await patient_with_history(services)
        from bot.staff import accounts
        from bot.staff import console_store as store

        async with services.sessions() as session, session.begin():
            task = (await store.tasks(session))[0][0]
            await store.add_task_note(session, task.id, author="sam", body=NOTE, now=clock())
        await accounts.create_account(
            services.sessions, username="sam", role="support_agent", password="x" * 12, actor="t", now=clock()
        )
        wal = tmp_path / "psp.db-wal"
        assert wal.exists() and wal.stat().st_size > 0, (
            "recent writes are still in the WAL: it is scanned too"
        )
        for moment in ("while running", "after close (checkpointed)"):
            raw = b"".join(p.read_bytes() for p in tmp_path.glob("psp.db*"))
            assert ref.encode() in raw, (
                "the scan does see clear text (the program patient ID is not personal)"
            )
            for secret in (PHONE, PHONE[2:], "pounding headache", "Zoraida", "Quintanilla", "x" * 12):
                assert secret.encode() not in raw, f"{secret!r} found in clear text {moment}"
            if not closed:
                await close_services(services)
                closed = True
    finally:
        if not closed:
            await close_services(services)


async def _seeded(console: Console) -> str:
    ref = await patient_with_history(console.services)
    for name, role in (("sam", "support_agent"), ("ana", "analyst"), ("ann", "admin"), ("pat", "pv_officer")):
        await add_staff(console.services, name, role)
    return ref


async def test_an_analyst_sees_the_timeline_without_phone_numbers_or_message_text(console: Console) -> None:
    ref = await _seeded(console)
    await console.sign_in("ana")
    page = await (await console.get(f"/staff/patients/{ref}")).text()
    assert "Dose taken" in page and "PV case #1 opened" in page and "Call-back request" in page
    for secret in (PHONE, PHONE[2:], "pounding headache", "Zoraida", "DEMO-CZ-2026"):
        assert secret not in page
    assert "+•••••••••23" in page and "text hidden" in page
    assert "/messages" not in page, "no link the analyst cannot follow"
    refused = await console.get(f"/staff/patients/{ref}/messages")
    assert refused.status == 403 and "pounding headache" not in await refused.text()
    searched = await console.get("/staff/patients?q=%2B14155550123")
    assert searched.status == 403 and "cannot search by phone number" in await searched.text()


async def test_a_support_agent_reads_the_conversation_and_each_view_is_audited(console: Console) -> None:
    ref = await _seeded(console)
    await console.sign_in("sam")
    page = await (await console.get(f"/staff/patients/{ref}")).text()
    assert PHONE in page and SIDE_EFFECT in page and PRIVATE_REMARK in page
    conversation = await (await console.get(f"/staff/patients/{ref}/messages")).text()
    assert SIDE_EFFECT in conversation
    found = await console.get("/staff/patients?q=%2B1+(415)+555-0123")
    assert found.status == 303 and found.headers["Location"] == f"/staff/patients/{ref}"
    async with console.services.sessions() as session:
        entries = list(
            (
                await session.scalars(
                    select(AuditEntry).where(AuditEntry.actor == "sam").order_by(AuditEntry.id)
                )
            ).all()
        )
    assert [(e.action, e.target) for e in entries] == [
        ("staff.sign_in", "staff:sam"),
        ("patient.view", f"patient:{ref}"),
        ("patient.messages.view", f"patient:{ref}"),
        ("patient.search_by_phone", f"patient:{ref}"),
    ]
    assert entries[1].detail == {"personal_data_shown": ["addresses", "messages"]}
    flat = json.dumps([e.detail for e in entries])
    assert PHONE not in flat and "headache" not in flat, "the audit log itself holds no personal data"


async def test_only_an_administrator_exports_a_patient(console: Console) -> None:
    ref = await _seeded(console)
    await console.sign_in("sam")
    assert (await console.get(f"/staff/patients/{ref}/export")).status == 403
    await console.sign_out()
    await console.sign_in("ann")
    response = await console.get(f"/staff/patients/{ref}/export")
    assert response.status == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{ref}-export.json"'
    data = await response.json()
    assert data["patient"]["patient_ref"] == ref
    assert data["addresses"][0]["value"] == PHONE
    assert data["consents"][0]["verbatim"] == "yes"
    assert {m["text"] for m in data["messages"]} >= {SIDE_EFFECT, PRIVATE_REMARK}
    assert [c["kind"] for c in data["pv_cases"]] == ["adverse_event"]
    assert [t["kind"] for t in data["support_tasks"]] == ["callback"]
    assert len(data["reminders"]) == len(data["dose_events"]) == len(data["refills"]) == 1


async def test_erasure_removes_personal_data_but_keeps_the_pv_case_and_its_report(console: Console) -> None:
    ref = await _seeded(console)
    await console.sign_in("ann")
    page = f"/staff/patients/{ref}"
    wrong = await console.submit(f"{page}/erase", {"confirm": "PSP-999999"}, page=page)
    assert wrong.status == 400
    done = await console.submit(f"{page}/erase", {"confirm": ref}, page=page)
    assert done.status == 303
    after = await (await console.get(done.headers["Location"])).text()
    assert "personal data was erased" in after and "erased" in after
    assert PHONE not in after and PRIVATE_REMARK not in after and "[erased]" in after
    assert SIDE_EFFECT in after, "the PV source document stays"
    async with console.services.sessions() as session:
        case = await session.scalar(select(PvCase))
        entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "patient.erase"))
    assert case is not None and case.status == "open"
    assert (
        entry is not None
        and entry.detail["messages_kept_for_pv"] == 1
        and entry.detail["addresses_erased"] == 1
    )
    # The same phone number writing again is a stranger: a new enrolment, nothing linked to the erased
    # patient.
    replies = await SmsPatient(console.services, address=PHONE, channel_name="sms").says("hello")
    assert "choose your language" in " ".join(replies).casefold()
    async with console.services.sessions() as session:
        refs = list((await session.scalars(select(Patient.patient_ref).order_by(Patient.id))).all())
    assert refs == [ref, "PSP-000002"]
