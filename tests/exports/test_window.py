"""A new installation's export says which days it covers, offers today so far, refuses a window it cannot
honour (exit 2, one line, nothing written), and writes a valid empty document when there is nothing to
export."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from bot.analytics.facts import Window, WindowError
from bot.analytics.schemas import SCHEMAS
from tests.exports.test_cli import psp

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_window_says_which_days_it_covers_and_whether_today_is_in_it() -> None:
    default = Window.make(None, None, NOW)
    assert default.describe() == "the first record to 2026-03-01 (UTC days; today is not included)"
    today = Window.make(date(2026, 3, 1), date(2026, 3, 2), NOW)
    assert today.today_so_far and today.describe() == "2026-03-01 to today 2026-03-02 so far (UTC days)"


@pytest.mark.parametrize(
    ("date_from", "date_to", "message"),
    [
        (
            None,
            date(2026, 3, 3),
            "--to 2026-03-03 is in the future; the latest is today, 2026-03-02 (so far)",
        ),
        (date(2026, 3, 2), None, "--from 2026-03-02 is after yesterday (2026-03-01), the last complete day"),
        (date(2026, 2, 2), date(2026, 2, 1), "--from 2026-02-02 is after --to 2026-02-01"),
    ],
)
def test_a_window_that_cannot_be_honoured_is_refused_not_moved(
    date_from: date | None, date_to: date | None, message: str
) -> None:
    with pytest.raises(WindowError) as refused:
        Window.make(date_from, date_to, NOW)
    assert str(refused.value) == message


def test_a_new_installation_exports_say_the_window_and_offer_today(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"
    today = datetime.now(UTC).date()
    out = tmp_path / "doses.jsonl"
    plain = psp(url, tmp_path, "export", "doses", "--format", "json", "--out", str(out))
    assert plain.returncode == 0, plain.stderr
    yesterday = (today - timedelta(days=1)).isoformat()
    assert f"window: the first record to {yesterday} (UTC days; today is not included)" in plain.stdout
    # No rows: still a complete, valid JSON Lines document (no stray blank line), CSV with its header, Parquet
    # with its schema.
    assert out.read_bytes() == b"" and [json.loads(line) for line in out.read_text().splitlines()] == []
    so_far = psp(
        url,
        tmp_path,
        "export",
        "pv-cases",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "c.csv"),
        "--to",
        "today",
    )
    assert so_far.returncode == 0, so_far.stderr
    assert f"to today {today.isoformat()} so far" in so_far.stdout
    with (tmp_path / "c.csv").open(newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == SCHEMAS["pv-cases"].names
    parquet = psp(
        url, tmp_path, "export", "doses", "--format", "parquet", "--out", str(tmp_path / "d.parquet")
    )
    assert parquet.returncode == 0 and pq.read_table(tmp_path / "d.parquet").num_rows == 0


def test_an_export_window_in_the_future_exits_2_with_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'psp.db'}"
    out = tmp_path / "x.jsonl"
    future = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    refused = psp(url, tmp_path, "export", "doses", "--format", "json", "--out", str(out), "--to", future)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and f"--to {future} is in the future" in refused.stderr
    assert not out.exists()
    late = psp(url, tmp_path, "export", "doses", "--format", "json", "--out", str(out), "--from", future)
    assert late.returncode == 2 and "(--to today includes today so far)" in late.stderr
    assert late.stderr.count("\n") == 1 and not out.exists()
