"""Importing a pharmacy's refill file: all rows or none, every bad line named, re-imports harmless."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select

from bot.analytics.refill_import import import_refills, parse_refills
from bot.storage.models import Refill
from tests.exports.helpers import PRODUCT, enrolled_patient

TODAY = date(2026, 3, 2)


async def _stored(services) -> list[tuple[int, date, int, str | None, str | None, str]]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = (await session.scalars(select(Refill).order_by(Refill.id))).all()
    return [(r.patient_id, r.fill_date, r.days_supply, r.product, r.pharmacy, r.source) for r in rows]


def _file(tmp_path: Path, text: str, name: str = "refills.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_good_file_is_stored_and_importing_it_again_changes_nothing(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, ref1 = await enrolled_patient(services, date(2026, 1, 5), address="90011")
    second, ref2 = await enrolled_patient(services, date(2026, 1, 6), address="90012")
    path = _file(
        tmp_path,
        "Patient_Ref,fill_date,days_supply,product,pharmacy\r\n"
        f"{ref1},2026-01-05,30,cardiozen,Farmacia Central\r\n"
        f"{ref1.lower()},2026-02-04,30,Zenolol,Farmacia Central\r\n"
        f"{ref2},2026-01-06,90,,\r\n"
        "\r\n"
        f"{ref2},2026-01-06,90,,\r\n",  # the same dispensing twice in one file
    )

    result = await import_refills(services, path)

    assert result.ok and (result.rows, result.stored, result.duplicates) == (4, 3, 1)
    assert "4 rows read; 3 stored, 1 already on record" in result.summary()
    assert await _stored(services) == [
        (first, date(2026, 1, 5), 30, PRODUCT, "Farmacia Central", "pharmacy"),
        (first, date(2026, 2, 4), 30, PRODUCT, "Farmacia Central", "pharmacy"),  # ingredient name -> brand
        (second, date(2026, 1, 6), 90, PRODUCT, None, "pharmacy"),
    ]

    again = await import_refills(services, path)
    assert again.ok and (again.stored, again.duplicates) == (0, 4)
    assert len(await _stored(services)) == 3


async def test_one_bad_row_stores_nothing_and_names_its_line(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _, ref = await enrolled_patient(services, date(2026, 1, 5), address="90021")
    path = _file(
        tmp_path,
        "patient_ref,fill_date,days_supply,product\n"
        f"{ref},2026-01-05,30,CardioZen\n"
        f"{ref},2026-02-04,30,CardioZen\n"
        f"{ref},2026-02-20,thirty,CardioZen\n"
        "PSP-999999,2026-01-10,30,CardioZen\n"
        f"{ref},2026-02-30,30,Aspirin\n"
        f"{ref},2026-01-20,30,Aspirin\n",
    )

    result = await import_refills(services, path)

    assert not result.ok and result.stored == 0
    assert [str(p) for p in result.problems] == [
        "line 4: days_supply 'thirty' is not a whole number from 1 to 365",
        "line 5: unknown patient_ref PSP-999999",
        "line 6: fill_date '2026-02-30' is not a date written YYYY-MM-DD",
        "line 7: product is not this patient's program product (CardioZen)",
    ]
    assert result.summary().startswith("refills.csv: 4 bad rows; nothing was stored.")
    assert await _stored(services) == []  # the two good rows were not stored either


def test_file_level_problems_are_reported_before_any_row() -> None:
    cases = [
        (b"", "line 1: the file is empty (a header row is required)"),
        (b"patient_ref,fill_date\nPSP-000001,2026-01-01\n", "line 1: missing column 'days_supply'"),
        (
            b"patient_ref,fill_date,days_supply,name\n",
            "line 1: unknown column 'name' (expected patient_ref, fill_date, days_supply, product, pharmacy)",
        ),
        (
            b"patient_ref,fill_date,days_supply\nPSP-000001,2026-01-01,30\n\xff\xfe\n",
            "line 3: not UTF-8 text",
        ),
    ]
    for data, expected in cases:
        rows, problems, _ = parse_refills(data, TODAY)
        assert rows == [] and str(problems[0]).startswith(expected), (data, problems)


def test_row_problems_in_a_table() -> None:
    header = "patient_ref,fill_date,days_supply,pharmacy\n"
    cases = [
        ("PSP-000001,2026-03-02,30,", None),
        ("PSP-000001;2026-03-02;30", "expected 4 fields, found 1"),
        ("PSP-000001,2026-03-03,30,", "fill_date 2026-03-03 is in the future"),
        ("PSP-000001,02/03/2026,30,", "fill_date '02/03/2026' is not a date written YYYY-MM-DD"),
        ("PSP-000001,2026-03-02,0,", "days_supply '0' is not a whole number from 1 to 365"),
        ("PSP-000001,2026-03-02,-30,", "days_supply '-30' is not a whole number from 1 to 365"),
        ("PSP-000001,2026-03-02,30.5,", "days_supply '30.5' is not a whole number from 1 to 365"),
        ("PSP-000001,2026-03-02,400,", "days_supply '400' is not a whole number from 1 to 365"),
        (",2026-03-02,30,", "patient_ref is empty"),
        # A name in the wrong column is reported without being repeated.
        ("Rosalind Okafor,2026-03-02,30,", "patient_ref is not a program patient ID like PSP-000123"),
    ]
    for line, expected in cases:
        rows, problems, count = parse_refills((header + line + "\n").encode(), TODAY)
        assert count == 1
        if expected is None:
            assert problems == [] and len(rows) == 1, line
        else:
            assert [p.message for p in problems] == [expected] and all(p.line == 2 for p in problems), line


def test_semicolon_separated_files_from_spreadsheets_are_read() -> None:
    rows, problems, _ = parse_refills(
        (
            "\ufeffpatient_ref;fill_date;days_supply;pharmacy\n"
            "PSP-000007;2026-02-01;28;Apotheke am Markt, Köln\n"
        ).encode(),
        TODAY,
    )
    assert problems == []
    assert [(r.patient_ref, r.fill_date, r.days_supply, r.pharmacy) for r in rows] == [
        ("PSP-000007", date(2026, 2, 1), 28, "Apotheke am Markt, Köln")
    ]


async def _refill_nudges(services, patient_id: int) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    from bot.reminders import store as reminder_rows
    from bot.reminders.planning import REFILL_KINDS

    async with services.sessions() as session:
        upcoming = await reminder_rows.upcoming(session, patient_id, services.clock(), REFILL_KINDS, limit=5)
    return [(r.slot_key, f"{r.due_at:%Y-%m-%d}") for r in upcoming]


async def test_an_import_moves_the_patients_next_refill_nudge_to_the_new_due_date(
    services, clock, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from bot.reminders.planning import plan_batch, replan_refills
    from tests.exports.helpers import add_fills

    patient_id, ref = await enrolled_patient(services, date(2026, 1, 5), address="90031")
    await add_fills(services, patient_id, (date(2026, 2, 1), 30))  # supply runs out on 3 March
    async with services.sessions() as session, session.begin():
        await plan_batch(session, services.programs, clock())
    assert await _refill_nudges(services, patient_id) == [("refill_check:due=2026-03-03", "2026-03-03")]

    # The pharmacy says the patient collected the next pack on 1 March: the nudge for 3 March is gone.
    path = _file(tmp_path, f"patient_ref,fill_date,days_supply\n{ref},2026-03-01,30\n")
    result = await import_refills(
        services,
        path,
        after_store=lambda session, ids, now: replan_refills(session, services.programs, ids, now),
    )
    assert result.ok and result.replanned == 1
    assert "Refill nudges re-planned for 1 patient." in result.summary()
    assert await _refill_nudges(services, patient_id) == []

    # When the horizon reaches the new supply's end, the nudges name the new due date (31 March).
    clock.advance(days=25, hours=20)  # 28 March, 05:00 UTC
    async with services.sessions() as session, session.begin():
        await plan_batch(session, services.programs, clock())
    assert await _refill_nudges(services, patient_id) == [
        ("refill_due_soon:due=2026-03-31", "2026-03-28"),
    ]
