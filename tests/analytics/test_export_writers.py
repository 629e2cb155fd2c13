"""What an analyst gets back from an export file, and what never gets into one."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bot.analytics import writers
from bot.analytics.pseudonym import derive_key, subject_id
from bot.analytics.schemas import ADHERENCE, DOSES, PV_CASES, REFILLS, SCHEMAS
from bot.analytics.writers import (
    NotPseudonymousError,
    arrow_schema,
    assert_pseudonymous,
    write_export,
    write_export_sync,
)

KEY = derive_key("test-secret", "analytics-export-v1")
S1, S2 = subject_id(KEY, "PSP-000001"), subject_id(KEY, "PSP-000002")


def adherence_row(**changes: Any) -> dict[str, Any]:
    row = {
        "subject_id": S1,
        "program_id": "cardiozen-daily",
        "product": "CardioZen",
        "channel": "telegram",
        "language": "ar",
        "enrolment_month": "2026-01",
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 3, 31),
        "pdc": 60 / 90,
        "mpr": 1.0,
        "persistence_days": 60,
        "dose_adherence": 25 / 30,
        "doses_scheduled": 30,
        "doses_taken": 25,
        "on_time_refill_rate": None,
        "refills": 2,
    }
    row.update(changes)
    return row


def pv_row(**changes: Any) -> dict[str, Any]:
    row = {
        "case_id": "PV-000042",
        "subject_id": S2,
        "program_id": "cardiozen-daily",
        "product": None,
        # 09:30 in Madrid (UTC+1 in January) is 08:30 UTC.
        "opened_at_utc": datetime(2026, 1, 5, 9, 30, tzinfo=timezone(timedelta(hours=1))),
        "due_at_utc": datetime(2026, 1, 6, 8, 30, 0, 250000, tzinfo=UTC),
        "status": "open",
        "kind": "special_situation",
        "situations": ["pregnancy", "drug_interaction"],
        "serious": True,
        "forwarded_reference": None,
        "closed_reason": None,
    }
    row.update(changes)
    return row


ROWS = [adherence_row(), adherence_row(subject_id=S2, language="en", pdc=1.0, dose_adherence=None, refills=0)]


def read_back(fmt: str, data: bytes) -> list[dict[str, Any]]:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    if fmt == "json":
        return [json.loads(line) for line in data.decode("utf-8").splitlines()]
    return pq.read_table(io.BytesIO(data)).to_pylist()


def test_csv_round_trip() -> None:
    out = io.BytesIO()
    assert write_export_sync(ROWS, ADHERENCE, "csv", out) == 2
    text = out.getvalue().decode("utf-8")
    assert text.splitlines()[0] == ",".join(ADHERENCE.names)
    first, second = read_back("csv", out.getvalue())
    assert first["subject_id"] == S1
    assert first["period_start"] == "2026-01-01"
    assert float(first["pdc"]) == 60 / 90  # full precision, no rounding on the way out
    assert first["on_time_refill_rate"] == ""  # unknown is an empty cell, not 0
    assert second["dose_adherence"] == "" and second["refills"] == "0" and second["pdc"] == "1.0"


def test_json_lines_round_trip() -> None:
    out = io.BytesIO()
    assert write_export_sync(ROWS, ADHERENCE, "json", out) == 2
    first, second = read_back("json", out.getvalue())
    assert list(first) == list(ADHERENCE.names)
    assert first["pdc"] == 60 / 90 and first["period_end"] == "2026-03-31"
    assert first["on_time_refill_rate"] is None and second["refills"] == 0


def test_parquet_round_trip_with_explicit_schema() -> None:
    out = io.BytesIO()
    assert write_export_sync(ROWS, ADHERENCE, "parquet", out) == 2
    table = pq.read_table(io.BytesIO(out.getvalue()))
    assert table.schema.equals(arrow_schema(ADHERENCE))
    assert table.schema.field("pdc").type == pa.float64()
    assert table.schema.field("period_start").type == pa.date32()
    assert table.schema.field("pdc").metadata[b"description"].startswith(b"Proportion of days covered")
    first, second = table.to_pylist()
    assert first == ROWS[0]
    assert second["dose_adherence"] is None and second["subject_id"] == S2


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_timestamps_come_out_in_utc_and_lists_as_lists(fmt: str) -> None:
    out = io.BytesIO()
    write_export_sync([pv_row()], PV_CASES, fmt, out)
    (row,) = read_back(fmt, out.getvalue())
    if fmt == "parquet":
        assert row["opened_at_utc"] == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
        assert row["situations"] == ["pregnancy", "drug_interaction"]
        assert row["serious"] is True
    elif fmt == "json":
        assert row["opened_at_utc"] == "2026-01-05T08:30:00Z"
        assert row["due_at_utc"] == "2026-01-06T08:30:00.250000Z"
        assert row["situations"] == ["pregnancy", "drug_interaction"]
        assert row["serious"] is True
    else:
        assert row["opened_at_utc"] == "2026-01-05T08:30:00Z"
        assert row["situations"] == "pregnancy;drug_interaction"
        assert row["serious"] == "true" and row["product"] == ""


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
async def test_async_source_in_several_batches(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers, "ROW_GROUP_ROWS", 10)  # several Parquet row groups too

    async def rows() -> AsyncIterator[dict[str, Any]]:
        for n in range(25):
            yield refill_row(n)

    out = io.BytesIO()
    assert await write_export(rows(), REFILLS, fmt, out, batch_size=4) == 25
    back = read_back(fmt, out.getvalue())
    assert [int(r["days_supply"]) for r in back] == [n + 1 for n in range(25)]
    if fmt == "parquet":
        assert pq.ParquetFile(io.BytesIO(out.getvalue())).num_row_groups == 3


def refill_row(n: int) -> dict[str, Any]:
    return {
        "subject_id": S1,
        "program_id": "cardiozen-daily",
        "product": "CardioZen",
        "fill_date": date(2026, 1, 1) + timedelta(days=n),
        "days_supply": n + 1,
        "source": "pharmacy" if n % 2 else "patient",
    }


async def test_async_writer_accepts_a_plain_iterable(tmp_path: Path) -> None:
    target = tmp_path / "refills.csv"
    assert await write_export((refill_row(n) for n in range(3)), "refills", "csv", target) == 3
    assert len(target.read_text(encoding="utf-8").splitlines()) == 4


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_empty_export_still_has_its_columns(fmt: str) -> None:
    out = io.BytesIO()
    assert write_export_sync([], DOSES, fmt, out) == 0
    if fmt == "csv":
        assert out.getvalue().decode() == ",".join(DOSES.names) + "\r\n"
    elif fmt == "json":
        assert out.getvalue() == b""
    else:
        table = pq.read_table(io.BytesIO(out.getvalue()))
        assert table.num_rows == 0 and table.schema.names == list(DOSES.names)


def test_file_appears_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "adherence.parquet"
    assert write_export_sync(ROWS, ADHERENCE, "parquet", target) == 2
    assert pq.read_table(target).num_rows == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adherence.parquet"]


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_failed_export_leaves_no_file(tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"adherence.{fmt}"

    def rows() -> Iterator[dict[str, Any]]:
        yield from ROWS
        yield adherence_row(subject_id="+34 600 123 456")

    with pytest.raises(NotPseudonymousError, match="row 3: column 'subject_id'"):
        write_export_sync(rows(), ADHERENCE, fmt, target, batch_size=1)
    assert list(tmp_path.iterdir()) == []


def test_failed_parquet_stream_is_not_readable_as_complete() -> None:
    out = io.BytesIO()
    with pytest.raises(ValueError):
        write_export_sync([*ROWS, adherence_row(pdc=None)], ADHERENCE, "parquet", out, batch_size=2)
    with pytest.raises(pa.ArrowInvalid):
        pq.read_table(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param({k: v for k, v in ROWS[0].items() if k != "pdc"}, "missing column 'pdc'", id="missing"),
        pytest.param(adherence_row(phone="+447700900123"), "unexpected column 'phone'", id="extra"),
        pytest.param(adherence_row(pdc=None), "column 'pdc' must not be empty", id="empty"),
        pytest.param(adherence_row(pdc="0.8"), "column 'pdc': expected a float", id="wrong type"),
        pytest.param(adherence_row(pdc=float("nan")), "column 'pdc': not a finite number", id="nan"),
        pytest.param(adherence_row(period_start="2026-01-01"), "column 'period_start'", id="date as text"),
        pytest.param(adherence_row(refills=True), "column 'refills': expected an int", id="bool as int"),
    ],
)
def test_rows_must_match_the_schema(row: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_export_sync([ROWS[0], row], ADHERENCE, "csv", io.BytesIO())


@pytest.mark.parametrize(
    ("row", "message"),
    [
        pytest.param(
            pv_row(status="closed", closed_reason="patient wrote that she is pregnant"), "closed_reason"
        ),
        pytest.param(pv_row(kind="rash"), "kind"),
        pytest.param(pv_row(situations=["pregnancy", "headache"]), "situations"),
        pytest.param(pv_row(opened_at_utc=datetime(2026, 1, 5, 9, 30)), "naive datetime"),
        pytest.param(pv_row(forwarded_reference="+1 (202) 555-0143"), "forwarded_reference"),
    ],
)
def test_pv_case_rows_refuse_text_codes_and_naive_times(row: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        write_export_sync([row], PV_CASES, "json", io.BytesIO())


def test_error_messages_do_not_repeat_personal_data() -> None:
    with pytest.raises(NotPseudonymousError) as info:
        write_export_sync([adherence_row(product="+447700900123")], ADHERENCE, "csv", io.BytesIO())
    assert "7700900123" not in str(info.value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("+447700900123", id="E.164"),
        pytest.param("+44 7700 900123", id="international with spaces"),
        pytest.param("(202) 555-0143", id="national US"),
        pytest.param("06 12 34 56 78", id="national FR"),
        pytest.param("0612345678", id="digits only"),
        pytest.param("tel 0033612345678", id="long digit run in text"),
        pytest.param(123456789, id="Telegram user id"),
        pytest.param(-1001234567890, id="Telegram group chat id"),
        pytest.param("-1001234567890", id="chat id as text"),
        pytest.param("maria.lopez@example.org", id="e-mail"),
        pytest.param("PSP-000123", id="program patient reference"),
        pytest.param("I feel dizzy since the new box", id="message text"),
        pytest.param("me duele mucho la cabeza", id="message text es"),
        pytest.param("أشعر بدوخة شديدة", id="message text ar"),
        pytest.param("first line\nsecond", id="line break"),
        pytest.param("x" * 65, id="long string"),
        pytest.param(["pregnancy", "+447700900123"], id="inside a list"),
    ],
)
def test_guard_rejects_personal_data(value: Any) -> None:
    with pytest.raises(NotPseudonymousError, match="column 'v'"):
        assert_pseudonymous({"v": value})


@pytest.mark.parametrize(
    "value",
    [
        S1,
        "cardiozen-daily",
        "CardioZen",
        "CardioZen 10 mg",
        "2026-01-05",
        "2026-01",
        "09:00",
        "missed_not_sent",
        "PV-000042",
        "EU-2026-000123",
        "0.8333333333333334",
        30,
        86_399,
        0.8333333333333334,
        True,
        None,
        date(2026, 1, 5),
        ["pregnancy", "overdose"],
    ],
)
def test_guard_lets_export_values_through(value: Any) -> None:
    assert_pseudonymous({"v": value})


def test_every_export_is_pseudonymous_by_construction() -> None:
    personal = {"name", "first_name", "last_name", "phone", "phone_number", "chat_id", "address", "email"}
    personal |= {
        "text",
        "message",
        "message_text",
        "body",
        "patient_ref",
        "patient_id",
        "evidence",
        "verbatim",
    }
    for schema in SCHEMAS.values():
        assert not personal & set(schema.names), schema.kind
        if schema.kind != "pv-cases":
            assert schema.names[0] == "subject_id"


@pytest.mark.parametrize(("fmt", "batch_size"), [("xlsx", 10), ("csv", 0)])
def test_bad_format_or_batch_size(fmt: str, batch_size: int) -> None:
    with pytest.raises(ValueError):
        write_export_sync(ROWS, ADHERENCE, fmt, io.BytesIO(), batch_size=batch_size)
