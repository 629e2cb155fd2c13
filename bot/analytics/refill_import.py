"""`psp import refills FILE.csv`: pharmacy dispensing records into the `refills` table, all or nothing.

Contract (docs/exports.md, "Importing pharmacy refills"): a header row naming the columns `patient_ref`,
`fill_date` (ISO date), `days_supply` (whole number > 0), optionally `product` and `pharmacy`, in any order.
Every row is checked first; one bad row (with its line number and what is wrong) and nothing of the file is
stored. Then the good rows are inserted in one transaction, skipping dispensings already on record (same
patient, date, days of supply and pharmacy), which makes importing the same file twice harmless.

Error messages quote dates and numbers but never a malformed patient reference or a pharmacy name: the
wrong column may hold personal data, and the summary may end up in a log.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.analytics import refill_store
from bot.analytics.context import Analytics

REQUIRED_COLUMNS: tuple[str, ...] = ("patient_ref", "fill_date", "days_supply")
OPTIONAL_COLUMNS: tuple[str, ...] = ("product", "pharmacy")
MAX_DAYS_SUPPLY = 365
MAX_PHARMACY_CHARS = 200
SOURCE = "pharmacy"
SHOWN_PROBLEMS = 50

_PATIENT_REF = re.compile(r"^PSP-\d{1,12}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE = re.compile(r"^[+]?\d{1,9}$")

# What to do, in the import's transaction, for the patients who got new dispensings (the wiring passes the
# reminders feature's re-planning of refill nudges: analytics does not import another feature). Returns how
# many patients it re-planned.
AfterStore = Callable[[AsyncSession, Sequence[int], datetime], Awaitable[int]]


@dataclass(frozen=True)
class RowProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class RefillRow:
    line: int
    patient_ref: str
    fill_date: date
    days_supply: int
    product: str | None
    pharmacy: str | None


@dataclass
class ImportResult:
    source: str
    rows: int = 0
    stored: int = 0
    duplicates: int = 0
    batch: str | None = None
    replanned: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """What happened, for the operator: counts, or every bad line (the first SHOWN_PROBLEMS of them)."""
        if self.problems:
            bad_lines = len({p.line for p in self.problems})
            head = f"{self.source}: {bad_lines} bad row{'s' if bad_lines != 1 else ''}; nothing was stored."
            lines = [head, *(f"  {p}" for p in self.problems[:SHOWN_PROBLEMS])]
            if len(self.problems) > SHOWN_PROBLEMS:
                lines.append(f"  ... and {len(self.problems) - SHOWN_PROBLEMS} more")
            return "\n".join(lines)
        return (
            f"{self.source}: {self.rows} row{'s' if self.rows != 1 else ''} read; {self.stored} stored, "
            f"{self.duplicates} already on record (skipped)."
            + (f" Import batch {self.batch}." if self.batch and self.stored else "")
            + (
                f" Refill nudges re-planned for {self.replanned} patient{'s' if self.replanned != 1 else ''}."
                if self.replanned
                else ""
            )
        )


def _shown(value: str) -> str:
    return repr(value if len(value) <= 30 else value[:27] + "...")


def _decode(data: bytes) -> tuple[str | None, RowProblem | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, RowProblem(line, "not UTF-8 text (save the file as CSV UTF-8)")


def _delimiter(text: str) -> str:
    """`,` as RFC 4180 says; `;` when the header uses it (spreadsheets in many European locales do)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _header(names: list[str]) -> tuple[list[str], list[RowProblem]]:
    columns = [name.strip().lower() for name in names]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    problems = []
    for name in dict.fromkeys(columns):
        if name not in known:
            problems.append(RowProblem(1, f"unknown column {_shown(name)} (expected {', '.join(known)})"))
        elif columns.count(name) > 1:
            problems.append(RowProblem(1, f"column '{name}' appears {columns.count(name)} times"))
    problems += [
        RowProblem(1, f"missing column '{name}'") for name in REQUIRED_COLUMNS if name not in columns
    ]
    return columns, problems


def _check_row(line: int, values: dict[str, str], today: date) -> tuple[RefillRow | None, list[RowProblem]]:
    problems: list[str] = []
    ref = values.get("patient_ref", "").strip().upper()
    if not ref:
        problems.append("patient_ref is empty")
    elif not _PATIENT_REF.match(ref):
        problems.append("patient_ref is not a program patient ID like PSP-000123")
    raw_date = values.get("fill_date", "").strip()
    fill_date: date | None = None
    if not raw_date:
        problems.append("fill_date is empty")
    else:
        try:
            if not _ISO_DATE.match(raw_date):
                raise ValueError
            fill_date = date.fromisoformat(raw_date)
        except ValueError:
            problems.append(f"fill_date {_shown(raw_date)} is not a date written YYYY-MM-DD")
        else:
            if fill_date > today:
                problems.append(f"fill_date {raw_date} is in the future")
    raw_days = values.get("days_supply", "").strip()
    days: int | None = None
    if not raw_days:
        problems.append("days_supply is empty")
    elif not _WHOLE.match(raw_days) or not 0 < int(raw_days) <= MAX_DAYS_SUPPLY:
        problems.append(f"days_supply {_shown(raw_days)} is not a whole number from 1 to {MAX_DAYS_SUPPLY}")
    else:
        days = int(raw_days)
    product = values.get("product", "").strip() or None
    pharmacy = values.get("pharmacy", "").strip() or None
    if pharmacy is not None and len(pharmacy) > MAX_PHARMACY_CHARS:
        problems.append(f"pharmacy is longer than {MAX_PHARMACY_CHARS} characters")
    if problems or fill_date is None or days is None:
        return None, [RowProblem(line, message) for message in problems]
    return RefillRow(line, ref, fill_date, days, product, pharmacy), []


def parse_refills(data: bytes, today: date) -> tuple[list[RefillRow], list[RowProblem], int]:
    """Check a refill file without the database: the header, then every row (blank lines are skipped).

    Returns the good rows, the problems, and how many data rows the file has.
    """
    text, problem = _decode(data)
    if text is None:
        return [], [problem] if problem else [], 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [RowProblem(1, f"not readable as CSV ({exc})")], 0
    if header is None:
        return [], [RowProblem(1, "the file is empty (a header row is required)")], 0
    columns, problems = _header(header)
    if problems:
        return [], problems, 0
    rows: list[RefillRow] = []
    count = 0
    while True:
        try:
            record = next(reader, None)
        except csv.Error as exc:
            problems.append(RowProblem(reader.line_num, f"not readable as CSV ({exc})"))
            break
        if record is None:
            break
        line = reader.line_num
        if not any(field.strip() for field in record):
            continue
        count += 1
        if len(record) != len(columns):
            problems.append(RowProblem(line, f"expected {len(columns)} fields, found {len(record)}"))
            continue
        row, row_problems = _check_row(line, dict(zip(columns, record, strict=True)), today)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    return rows, problems, count


def _product_names(services: Analytics, program_id: str | None) -> tuple[str, set[str]] | None:
    """The program's brand (as stored) and the names a file may use for it (brand, active ingredient)."""
    program = services.programs.get(program_id or "")
    if program is None:
        return None
    brand = program.product.brand
    return brand, {brand.casefold(), program.product.active_ingredient.casefold()}


async def import_refills(
    services: Analytics, path: Path, data: bytes | None = None, after_store: AfterStore | None = None
) -> ImportResult:
    """Check every row of a refill file, then store the new dispensings in one transaction (or nothing);
    `after_store` (re-planning the refill nudges) runs in the same transaction for the patients touched."""
    now: datetime = services.clock()
    data = path.read_bytes() if data is None else data
    result = ImportResult(source=path.name)
    rows, problems, result.rows = parse_refills(data, now.astimezone(UTC).date())
    result.batch = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}-{hashlib.sha256(data).hexdigest()[:8]}"
    async with services.sessions() as session, session.begin():
        patients = await refill_store.patients_by_ref(session, [r.patient_ref for r in rows])
        resolved: list[tuple[RefillRow, int, str | None]] = []
        for row in rows:
            found = patients.get(row.patient_ref)
            if found is None:
                problems.append(RowProblem(row.line, f"unknown patient_ref {row.patient_ref}"))
                continue
            patient_id, program_id = found
            product = row.product
            names = _product_names(services, program_id)
            if product is not None and names is not None:
                brand, accepted = names
                if product.casefold() not in accepted:
                    problems.append(
                        RowProblem(row.line, f"product is not this patient's program product ({brand})")
                    )
                    continue
                product = brand
            elif product is None and names is not None:
                product = names[0]
            resolved.append((row, patient_id, product))
        if problems:
            result.problems = sorted(problems, key=lambda p: p.line)
            return result
        known = await refill_store.refill_keys(session, {patient_id for _, patient_id, _ in resolved})
        new: list[dict[str, Any]] = []
        for row, patient_id, product in resolved:
            key = (patient_id, row.fill_date, row.days_supply, row.pharmacy)
            if key in known:
                result.duplicates += 1
                continue
            known.add(key)
            new.append(
                {
                    "patient_id": patient_id,
                    "fill_date": row.fill_date,
                    "days_supply": row.days_supply,
                    "product": product,
                    "pharmacy": row.pharmacy,
                    "source": SOURCE,
                    "import_batch": result.batch,
                    "recorded_at": now,
                }
            )
        await refill_store.add_refills(session, new)
        result.stored = len(new)
        if new and after_store is not None:
            touched = sorted({int(row["patient_id"]) for row in new})
            result.replanned = await after_store(session, touched, now)
    return result
