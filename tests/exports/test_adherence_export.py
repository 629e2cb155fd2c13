"""The adherence export, checked against numbers worked out by hand from docs/exports.md."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.analytics.queries import export_to
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

JAN1, MAR31 = date(2026, 1, 1), date(2026, 3, 31)


@pytest.fixture(autouse=True)
def after_the_quarter(clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)


async def _export(services, tmp_path: Path, fmt: str = "json", **dates: date) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    out = tmp_path / f"adherence.{fmt}"
    count = await export_to(services, "adherence", fmt, out, dates.get("date_from"), dates.get("date_to"))
    rows = read_export(fmt, out)
    assert len(rows) == count
    return {row["subject_id"]: row for row in rows}


async def test_pdc_mpr_persistence_and_on_time_refills_of_a_worked_example(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # Enrolled before the quarter. Fills:
    #   20 Dec (30 days): covers 20 Dec - 18 Jan, 18 of them inside the quarter (a fill before the period);
    #   10 Jan (30 days): arrives with 9 days left, so it is shifted to 19 Jan - 17 Feb;
    #   gap 18 Feb - 9 Mar (20 days);
    #   10 Mar (30 days): 10 Mar - 8 Apr, cut at 31 Mar: 22 days (supply running past the end).
    # Covered 18 + 30 + 22 = 70 of 90 days.
    pid, ref = await enrolled_patient(services, date(2025, 12, 1), address="70011")
    await add_fills(services, pid, (date(2025, 12, 20), 30), (date(2026, 1, 10), 30), (date(2026, 3, 10), 30))
    await add_doses(
        services,
        pid,
        *[(at(date(2026, 1, d)), "taken") for d in range(1, 8)],
        (at(date(2026, 1, 8)), "skipped"),
        (at(date(2026, 2, 1)), "no_response"),
        (at(date(2026, 3, 31), 23, 30), "missed_not_sent"),
        (datetime(2025, 12, 31, 23, 59, tzinfo=UTC), "taken"),  # before the period
        (datetime(2026, 4, 1, 0, 0, tzinfo=UTC), "taken"),  # after it
    )
    # Enrolled on 1 February, never filled: measured from its enrolment day.
    _, newcomer_ref = await enrolled_patient(services, date(2026, 2, 1), address="70012", locale="ar")

    rows = await _export(services, tmp_path, date_from=JAN1, date_to=MAR31)

    row = rows[subject_of(ref)]
    assert (row["program_id"], row["product"], row["language"], row["enrolment_month"]) == (
        PROGRAM,
        PRODUCT,
        "en",
        "2025-12",
    )
    assert (row["period_start"], row["period_end"]) == ("2026-01-01", "2026-03-31")
    assert row["pdc"] == 70 / 90
    assert row["mpr"] == 60 / 90  # the fills dated inside: 10 Jan and 10 Mar, uncut and unshifted
    assert row["persistence_days"] == 102  # 20 Dec - 31 Mar: the 20-day gap is within the 60-day grace
    assert row["on_time_refill_rate"] == 0.5  # 10 Jan early (on time), 10 Mar after 20 days without (late)
    assert row["refills"] == 2
    assert (row["doses_scheduled"], row["doses_taken"], row["dose_adherence"]) == (10, 7, 0.7)

    empty = rows[subject_of(newcomer_ref)]
    assert (empty["period_start"], empty["period_end"]) == ("2026-02-01", "2026-03-31")
    assert (empty["pdc"], empty["mpr"], empty["persistence_days"], empty["refills"]) == (0.0, 0.0, 0, 0)
    assert empty["on_time_refill_rate"] is None and empty["dose_adherence"] is None  # unknown, not 0
    assert empty["language"] == "ar"


async def test_persistence_ends_at_a_gap_longer_than_sixty_days(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # 1 Oct (30 days) runs out after 30 Oct; the next fill on 15 Jan comes after 76 days without supply.
    gap, gap_ref = await enrolled_patient(services, date(2025, 10, 1), address="70021")
    await add_fills(services, gap, (date(2025, 10, 1), 30), (date(2026, 1, 15), 30))
    # Regular monthly fills from 1 Dec: persistent through the end of the period (censored).
    steady, steady_ref = await enrolled_patient(services, date(2025, 12, 1), address="70022")
    await add_fills(services, steady, *[(date(2025, 12, 1) + timedelta(days=30 * k), 30) for k in range(5)])

    rows = await _export(services, tmp_path, "csv", date_from=JAN1, date_to=MAR31)

    stopped = rows[subject_of(gap_ref)]
    assert stopped["persistence_days"] == "30"  # 1 - 30 October; the grace days are not added
    assert float(stopped["pdc"]) == 30 / 90  # 15 Jan - 13 Feb
    assert stopped["on_time_refill_rate"] == "0.0"  # the 15 Jan refill came 76 days late
    persistent = rows[subject_of(steady_ref)]
    assert persistent["persistence_days"] == str((MAR31 - date(2025, 12, 1)).days + 1)
    assert float(persistent["pdc"]) == 1.0 and persistent["on_time_refill_rate"] == "1.0"


async def test_a_patient_report_of_a_pharmacy_dispensing_counts_once(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid, ref = await enrolled_patient(services, date(2025, 12, 1), address="70031")
    await add_fills(services, pid, (date(2026, 1, 5), 30))
    await add_fills(services, pid, (date(2026, 1, 8), 30), (date(2026, 3, 1), 30), source="patient")

    rows = await _export(services, tmp_path, date_from=JAN1, date_to=MAR31)
    row = rows[subject_of(ref)]
    # 5 Jan (pharmacy; the patient's "yes" on 8 Jan is the same dispensing) and 1 Mar (patient only).
    assert row["refills"] == 2
    assert row["pdc"] == (30 + 30) / 90

    out = tmp_path / "refills.csv"
    await export_to(services, "refills", "csv", out, JAN1, MAR31)
    fills = [(r["fill_date"], r["days_supply"], r["source"]) for r in read_export("csv", out)]
    assert fills == [("2026-01-05", "30", "pharmacy"), ("2026-03-01", "30", "patient")]


async def test_the_period_ends_the_day_before_the_export(services, tmp_path, clock) -> None:  # type: ignore[no-untyped-def]
    pid, ref = await enrolled_patient(services, date(2026, 4, 1), address="70041")
    await add_fills(services, pid, (date(2026, 4, 1), 30))

    rows = await _export(services, tmp_path)

    row = rows[subject_of(ref)]
    assert (row["period_start"], row["period_end"]) == ("2026-04-01", "2026-04-14")  # export made on 15 April
    assert row["pdc"] == 1.0 and row["persistence_days"] == 14
    # Someone enrolled today has no complete day yet: not in the export.
    await enrolled_patient(services, date(2026, 4, 15), address="70042")
    assert len(await _export(services, tmp_path)) == 1
    with pytest.raises(ValueError, match="after yesterday"):
        await export_to(services, "adherence", "csv", tmp_path / "x.csv", date(2026, 4, 15), None)
    assert not (tmp_path / "x.csv").exists()
