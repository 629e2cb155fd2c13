"""A case leaves the program two ways: as E2B(R3) data elements for the safety database (verbatim, in the
patient's language) and as pseudonymous rows of the `pv-cases` export (codes only, never the words)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from bot.analytics.pseudonym import is_subject_id
from bot.analytics.schemas import PV_CASES
from bot.analytics.writers import write_export
from bot.cli.pv import case_e2b_command
from bot.pv import actions
from bot.pv.e2b import e2b_time
from bot.pv.export import export_key, pv_case_rows
from tests.pv.helpers import MILD, PvPatient, cases_of

SPANISH = "Tengo dolor de cabeza y mareo desde que empecé las pastillas"
ENROL_ES = [
    ("hola", "English"),
    ("español", []),
    ("sí", "código de inscripción"),
    ("demo-cz-2026", []),
    ("Madrid", []),
    ("21:00", "Su inscripción"),
]


async def test_case_as_e2b_elements(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services, address="es-1")
    await patient.enrol(ENROL_ES)
    opened = clock.now
    await patient.says(SPANISH)
    clock.advance(minutes=5)
    await patient.says("ayer")
    clock.advance(minutes=5)
    await patient.says("sí")
    answered = clock.now
    [case] = await cases_of(services, (await patient.row()).id)
    async with services.sessions() as session, session.begin():
        await actions.set_seriousness(
            session,
            case.id,
            "officer.ana",
            True,
            "Hospitalised (phone call)",
            criteria=["hospitalisation"],
            now=clock.now,
        )

    out = io.StringIO()
    assert await case_e2b_command(services, "PV-000001", out=out) == 0
    body = json.loads(out.getvalue())
    assert body["C.1.1"] == body["C.1.8.1"] == "PSPBOT-PV-000001"
    assert (body["C.1.3"], body["C.5.4"]) == ("2", "3")  # solicited: report from a patient support programme
    assert (body["C.1.4"], body["C.1.5"]) == (e2b_time(opened), e2b_time(answered))
    assert body["C.2.r"][0]["C.2.r.4"] == "5"  # consumer
    assert (
        is_subject_id(body["D.1"])
        and body["D.5"] == {"nullFlavor": "UNK"}
        and body["D.2.1"] == {"nullFlavor": "UNK"}
    )
    [reaction] = body["E.i"]
    assert (reaction["E.i.1.1a"], reaction["E.i.1.1b"]) == (SPANISH, "spa")
    assert reaction["E.i.3.2c"] is True
    assert [reaction[f"E.i.3.2{x}"] for x in "abdef"] == [{"nullFlavor": "NI"}] * 5
    assert reaction["E.i.7"] == "3"  # "still going on?" -> yes: not recovered / ongoing
    assert body["G.k"] == [{"G.k.1": "1", "G.k.2.2": "CardioZen", "G.k.2.3.r": [{"G.k.2.3.r.1": "zenolol"}]}]
    assert SPANISH in body["H.1"] and 'Asked "When did it start?", the patient answered "ayer"' in body["H.1"]
    assert "hospitalisation" in body["H.1"]
    assert "PSP-0" not in out.getvalue()  # the program patient ID never leaves in an E2B file


async def test_case_e2b_refuses_what_is_not_a_case(services) -> None:  # type: ignore[no-untyped-def]
    assert await case_e2b_command(services, "PV-000099", out=io.StringIO()) == 1
    assert await case_e2b_command(services, "hello", out=io.StringIO()) == 2


async def test_pv_cases_export_rows(services, clock) -> None:  # type: ignore[no-untyped-def]
    refs = []
    for address in ("a", "b", "c"):
        patient = PvPatient(services, address=address)
        await patient.enrol()
        await patient.says(MILD)
        refs.append((await cases_of(services, (await patient.row()).id))[0].id)
        clock.advance(hours=1)
    async with services.sessions() as session, session.begin():
        await actions.mark_forwarded(session, refs[0], "officer.ana", "SDB-2026-000123", now=clock.now)
        await actions.close_not_adverse_event(
            session,
            refs[1],
            "officer.ana",
            "duplicate",
            "Same as PV-000001 (same patient, phone)",
            now=clock.now,
        )
    clock.advance(days=2)
    await PvPatient(services, address="later").says(MILD)  # outside the period

    key = export_key("test-secret-key-not-for-production")
    day = date(2026, 3, 2)
    exported = {}
    for fmt in ("csv", "json"):
        buffer = io.BytesIO()
        async with services.sessions() as session:
            assert await write_export(pv_case_rows(session, day, day, key=key), PV_CASES, fmt, buffer) == 3
        exported[fmt] = buffer.getvalue().decode()
        assert (
            "headache" not in exported[fmt] and "Same as" not in exported[fmt]
        )  # the words stay in the console
        assert "PSP-0" not in exported[fmt]
    rows = list(csv.DictReader(io.StringIO(exported["csv"])))
    assert list(rows[0]) == list(PV_CASES.names)
    assert [r["case_id"] for r in rows] == ["PV-000001", "PV-000002", "PV-000003"]
    assert [(r["status"], r["forwarded_reference"], r["closed_reason"]) for r in rows] == [
        ("forwarded", "SDB-2026-000123", ""),
        ("closed", "", "duplicate"),
        ("open", "", ""),
    ]
    assert all(is_subject_id(r["subject_id"]) for r in rows) and len({r["subject_id"] for r in rows}) == 3
    assert {(r["program_id"], r["product"], r["kind"], r["serious"]) for r in rows} == {
        ("cardiozen-daily", "CardioZen", "adverse_event", "false")
    }
    first = json.loads(exported["json"].splitlines()[0])
    assert first["opened_at_utc"] == "2026-03-02T09:00:00Z"
    assert first["due_at_utc"] == "2026-03-03T09:00:00Z"
    assert first["situations"] == []
