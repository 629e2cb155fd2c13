"""The pv-cases export (codes only) and the dashboard figures (small groups suppressed)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from bot.analytics.dashboard import dashboard_data
from bot.analytics.queries import export_to
from bot.core.messages import Inbound
from bot.storage import queries
from bot.storage.models import PvCase
from tests.exports.helpers import (
    PRODUCT,
    PROGRAM,
    add_doses,
    add_fills,
    at,
    enrolled_patient,
    read_export,
    subject_of,
)

_ids = count(1)


async def _says(services, address: str, text: str) -> str | None:  # type: ignore[no-untyped-def]
    outcome = await services.conversation.receive(
        Inbound(
            channel="telegram",
            address=address,
            text=text,
            received_at=services.clock(),
            external_id=f"pv{next(_ids)}",
        )
    )
    return outcome.patient_ref


async def test_pv_cases_are_exported_as_codes(services, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    enrolled = None
    for text in ["hi", "1", "yes", "DEMO-CZ-2026", "Madrid", "9:00"]:
        enrolled = await _says(services, "6120001", text)
    opened = clock.now
    await _says(services, "6120001", "I have a rash all over since the second box")
    await _says(services, "6120002", "hello")
    enrolling = await _says(
        services, "6120002", "I was admitted to hospital last night"
    )  # before choosing a program
    async with services.sessions() as session, session.begin():
        first, second = (await session.get(PvCase, 1)), (await session.get(PvCase, 2))
        assert first is not None and second is not None
        first.status, first.forwarded_reference = "forwarded", "ARGUS-2026-000417"
        second.status, second.closed_reason = "closed", "Spoke to her husband: it was the flu"
    clock.advance(days=2)

    out = tmp_path / "pv.jsonl"
    assert await export_to(services, "pv-cases", "json", out) == 2
    rash, hospital = read_export("json", out)

    assert rash == {
        "case_id": "PV-000001",
        "subject_id": subject_of(enrolled or ""),
        "program_id": PROGRAM,
        "product": PRODUCT,
        "opened_at_utc": opened.isoformat().replace("+00:00", "Z"),
        "due_at_utc": (opened + timedelta(hours=24)).isoformat().replace("+00:00", "Z"),
        "status": "forwarded",
        "kind": "adverse_event",
        "situations": [],
        "serious": False,
        "forwarded_reference": "ARGUS-2026-000417",
        "closed_reason": None,
    }
    assert hospital["subject_id"] == subject_of(enrolling or "")
    assert (hospital["program_id"], hospital["product"], hospital["serious"]) == ("unknown", None, True)
    assert hospital["closed_reason"] == "other"  # the officer's note is not a code: never exported


async def test_dashboard_hides_groups_of_fewer_than_five(services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
    ids = []
    for n in range(12):
        channel, address = ("sms", f"+3460011{n:04d}") if n < 3 else ("telegram", f"71000{n:02d}")
        pid, _ = await enrolled_patient(services, date(2026, 1, 1), address=address, channel=channel)
        ids.append(pid)
    for pid in ids[:7]:
        await add_fills(services, pid, (date(2026, 1, 1), 90))
    for pid in ids[:3]:
        await add_doses(services, pid, (at(date(2026, 1, 10)), "taken"))
    for pid in ids[:6]:
        await add_doses(services, pid, (at(date(2026, 2, 10)), "taken"), (at(date(2026, 2, 11)), "skipped"))
    async with services.sessions() as session, session.begin():
        for n in range(3):  # started, never finished
            await queries.create_patient(session, datetime(2026, 2, 1, tzinfo=UTC))
        for pid in ids[:2]:
            await queries.set_opt_out(session, pid, True, datetime(2026, 3, 1, tzinfo=UTC))

    data = await dashboard_data(services, date(2026, 1, 1), date(2026, 3, 31))

    assert data["window"] == {"from": "2026-01-01", "to": "2026-03-31", "program_id": None}
    assert data["subjects"] == 12
    assert data["adherence_over_time"]["pdc"] == [
        {"month": month, "subjects": 12, "mean_pdc": 7 / 12} for month in ("2026-01", "2026-02", "2026-03")
    ]
    assert data["adherence_over_time"]["dose_adherence"] == [
        {"month": "2026-01", "subjects": None, "mean_dose_adherence": None},  # 3 subjects: suppressed
        {"month": "2026-02", "subjects": 6, "mean_dose_adherence": 0.5},
    ]
    bins = {b["bin"]: b["subjects"] for b in data["pdc_distribution"]["bins"]}
    assert bins["0.0-0.1"] == 5 and bins["0.9-1.0"] == 7 and bins["0.5-0.6"] == 0
    assert data["pdc_distribution"]["share_adherent"] == 7 / 12
    assert data["enrolment_funnel"] == [
        {"stage": "started", "subjects": 15},
        {"stage": "consented", "subjects": 12},
        {"stage": "enrolled", "subjects": 12},
    ]
    assert data["opt_out_rate"] is None  # 2 of 12 would point at two people
    assert data["channel_mix"] == [
        {"channel": "sms", "subjects": None, "share": None},
        {"channel": "telegram", "subjects": 9, "share": 9 / 12},
    ]
