"""Export rows built from the database, one async generator per kind, and `export_to` that writes them.

Rows follow `bot.analytics.schemas` exactly and carry `subject_id`, never a patient reference, name, phone
number, chat id or message text (the writers check every row again). Each generator reads patients a chunk
at a time (see `bot.analytics.facts`), computes the numbers per subject with the pure functions of
`bot.analytics.adherence` and `bot.analytics.engagement`, and yields rows as it goes.

Which rows each export holds (the window is `[--from, --to]`, `--to` at most the day before the export):
- `adherence`: one row per enrolled subject and product with a period in the window.
- `doses`: the dose events of those subjects scheduled in their periods (the `doses_scheduled` of adherence).
- `refills`: the fills of those subjects dated on or before the end of the window, earlier ones included
  (supply carried into the period and the first fill count in PDC and persistence), after combining patient
  reports with pharmacy records: the exact fills the adherence numbers were computed from.
- `engagement`: one row per subject and calendar month of their period, months without activity included.
- `pv-cases`: cases opened in the window, whoever the patient (also patients still enrolling).
"""

from __future__ import annotations

import contextlib
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from bot.analytics import adherence, engagement, store
from bot.analytics.context import Analytics
from bot.analytics.facts import (
    DEFAULT_CHUNK,
    ON_TIME_GRACE_DAYS,
    PERSISTENCE_GRACE_DAYS,
    Subject,
    Window,
    day_start,
    export_key,
    month_key,
    month_starts,
    subject_chunks,
)
from bot.analytics.pseudonym import subject_id
from bot.analytics.schemas import DOSE_STATUSES, SCHEMAS
from bot.analytics.writers import write_export

Row = dict[str, Any]
DOSE_CHUNK = 200
"""Subjects per read in the doses export (a year of daily doses is ~365 rows each)."""
PV_CHUNK = 1000
DELIVERED_STATUSES = frozenset({"delivered", "read"})
NO_RECEIPT_CHANNELS = frozenset({"telegram", "console"})
"""Channels without delivery receipts: a message they accepted counts as delivered."""
FAILED_STATUSES = frozenset({"failed", "undelivered", "undeliverable", "canceled", "cancelled"})
UNKNOWN_PROGRAM = "unknown"
_REASON_CODE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CLOCK = re.compile(r"(\d{2}):(\d{2})")


# --- adherence --------------------------------------------------------------------------------------------


def adherence_row(
    subject: Subject, product: str, fills: list[tuple[date, int]], scheduled: int, taken: int
) -> Row:
    """One adherence row: the definitions of docs/exports.md applied to one subject and product."""
    start, end = subject.period_start, subject.period_end
    return {
        "subject_id": subject.subject_id,
        "program_id": subject.program_id,
        "product": product,
        "channel": subject.channel,
        "language": subject.language,
        "enrolment_month": subject.enrolment_month,
        "period_start": start,
        "period_end": end,
        "pdc": adherence.pdc(fills, start, end),
        "mpr": adherence.mpr(fills, start, end),
        "persistence_days": adherence.persistence_days(fills, PERSISTENCE_GRACE_DAYS, end=end),
        "dose_adherence": adherence.dose_adherence(taken, scheduled),
        "doses_scheduled": scheduled,
        "doses_taken": taken,
        "on_time_refill_rate": adherence.on_time_refill_rate(fills, ON_TIME_GRACE_DAYS, start=start, end=end),
        "refills": sum(1 for fill_date, _ in fills if start <= fill_date <= end),
    }


async def adherence_rows(
    services: Analytics, window: Window, *, program_id: str | None = None, chunk_size: int = DEFAULT_CHUNK
) -> AsyncIterator[Row]:
    async for chunk in subject_chunks(services, window, chunk_size=chunk_size, program_id=program_id):
        since = {s.patient_id: s.since for s in chunk}
        async with services.sessions() as session, session.begin():
            counts = await store.dose_counts(session, since, window.end_at)
        for subject in chunk:
            scheduled, taken = counts.get((subject.patient_id, 0), (0, 0))
            for product, fills in subject.products().items():
                yield adherence_row(subject, product, fills, scheduled, taken)


# --- doses ------------------------------------------------------------------------------------------------


def local_clock(local_slot: str) -> str:
    """`HH:MM` of a stored local slot (`2026-03-08T03:30:00-07:00`, or already `03:30`)."""
    try:
        moment = datetime.fromisoformat(local_slot)
        return f"{moment.hour:02d}:{moment.minute:02d}"  # strftime of an aware datetime is ~50x slower
    except ValueError:
        match = _CLOCK.search(local_slot)
        if match is None:
            raise ValueError(f"dose local slot is not a time: {local_slot!r}") from None
        return f"{match.group(1)}:{match.group(2)}"


def dose_row(subject: Subject, record: store.DoseRecord) -> Row:
    sent = record.status != "missed_not_sent"
    seconds = None
    if record.answered_at is not None and record.sent_at is not None and record.answered_at >= record.sent_at:
        seconds = int((record.answered_at - record.sent_at).total_seconds())
    return {
        "subject_id": subject.subject_id,
        "program_id": subject.program_id,
        "scheduled_at_utc": record.scheduled_at,
        "local_slot": local_clock(record.local_slot),
        "status": record.status,
        "answered_at_utc": record.answered_at,
        "channel": record.channel if sent else None,
        "seconds_to_answer": seconds,
    }


async def dose_rows(
    services: Analytics, window: Window, *, program_id: str | None = None, chunk_size: int = DOSE_CHUNK
) -> AsyncIterator[Row]:
    async for chunk in subject_chunks(
        services, window, chunk_size=chunk_size, program_id=program_id, with_fills=False
    ):
        by_id = {s.patient_id: s for s in chunk}
        async with services.sessions() as session, session.begin():
            records = await store.dose_records(session, {s.patient_id: s.since for s in chunk}, window.end_at)
        for record in records:
            yield dose_row(by_id[record.patient_id], record)


# --- refills ----------------------------------------------------------------------------------------------


async def refill_rows(
    services: Analytics, window: Window, *, program_id: str | None = None, chunk_size: int = DEFAULT_CHUNK
) -> AsyncIterator[Row]:
    async for chunk in subject_chunks(services, window, chunk_size=chunk_size, program_id=program_id):
        for subject in chunk:
            for fill in subject.fills:
                yield {
                    "subject_id": subject.subject_id,
                    "program_id": subject.program_id,
                    "product": fill.product,
                    "fill_date": fill.fill_date,
                    "days_supply": fill.days_supply,
                    "source": fill.source,
                }


# --- engagement -------------------------------------------------------------------------------------------


def _delivered(record: store.PromptRecord) -> bool:
    status = record.message_status
    return status in DELIVERED_STATUSES or (status == "sent" and record.channel in NO_RECEIPT_CHANNELS)


def engagement_row(subject: Subject, month: str, prompts: list[store.PromptRecord], modules: int) -> Row:
    """One subject-month. A prompt that was answered is not counted as failed, whatever the channel said."""
    answered = [p for p in prompts if p.answered_at is not None]
    failed = sum(1 for p in prompts if p.answered_at is None and p.message_status in FAILED_STATUSES)
    seconds = [
        (p.answered_at - p.sent_at).total_seconds()
        for p in answered
        if p.answered_at is not None and p.answered_at >= p.sent_at
    ]
    return {
        "subject_id": subject.subject_id,
        "program_id": subject.program_id,
        "channel": subject.channel,
        "language": subject.language,
        "month": month,
        "sent": len(prompts),
        "delivered": sum(1 for p in prompts if _delivered(p)),
        "failed": failed,
        "answered": len(answered),
        "response_rate": engagement.response_rate(len(answered), len(prompts), failed),
        "median_seconds_to_answer": engagement.answer_times(seconds).median_seconds,
        "modules_delivered": modules,
        "modules_completed": 0,
    }


async def engagement_rows(
    services: Analytics, window: Window, *, program_id: str | None = None, chunk_size: int = DEFAULT_CHUNK
) -> AsyncIterator[Row]:
    async for chunk in subject_chunks(
        services, window, chunk_size=chunk_size, program_id=program_id, with_fills=False
    ):
        since = {s.patient_id: s.since for s in chunk}
        months = month_starts(min(s.period_start for s in chunk), window.date_to)
        edges = [day_start(m) for m in months] + [window.end_at]
        async with services.sessions() as session, session.begin():
            prompts = await store.prompt_records(session, since, window.end_at)
            modules = await store.module_counts(session, since, window.end_at, edges)
        by_month: dict[tuple[int, str], list[store.PromptRecord]] = defaultdict(list)
        for prompt in prompts:
            by_month[(prompt.patient_id, month_key(prompt.sent_at.astimezone(UTC)))].append(prompt)
        index = {month_key(m): i for i, m in enumerate(months)}
        for subject in chunk:
            for month in month_starts(subject.period_start, subject.period_end):
                key = month_key(month)
                yield engagement_row(
                    subject,
                    key,
                    by_month.get((subject.patient_id, key), []),
                    modules.get((subject.patient_id, index[key]), 0),
                )


# --- PV cases ---------------------------------------------------------------------------------------------


def pv_case_row(key: bytes, record: store.PvCaseRecord, products: dict[str, str]) -> Row:
    """A case as codes: the verbatim message and its evidence stay in the console."""
    program = record.program_id or UNKNOWN_PROGRAM
    reason = record.closed_reason
    if reason is not None and not _REASON_CODE.match(reason):
        reason = "other"  # a note, not a code: never exported
    return {
        "case_id": f"PV-{record.id:06d}",
        "subject_id": subject_id(key, record.patient_ref),
        "program_id": program,
        "product": record.product or products.get(program),
        "opened_at_utc": record.opened_at,
        "due_at_utc": record.due_at,
        "status": record.status,
        "kind": record.kind,
        "situations": [str(s) for s in record.situations],
        "serious": record.serious,
        "forwarded_reference": record.forwarded_reference,
        "closed_reason": reason,
    }


async def pv_case_rows(
    services: Analytics, window: Window, *, program_id: str | None = None, chunk_size: int = PV_CHUNK
) -> AsyncIterator[Row]:
    key = export_key(services.settings.psp_secret_key)  # type: ignore[arg-type]  # load_settings fills it
    after_id = 0
    while True:
        async with services.sessions() as session, session.begin():
            page = await store.pv_case_page(
                session,
                after_id=after_id,
                limit=chunk_size,
                opened_from=window.start_at,
                opened_before=window.end_at,
            )
            products = await store.program_products(session)
        if not page:
            return
        after_id = page[-1].id
        for record in page:
            if program_id is None or record.program_id == program_id:
                yield pv_case_row(key, record, products)


# --- the export -------------------------------------------------------------------------------------------

RowSource = Callable[..., AsyncIterator[Row]]
ROW_SOURCES: dict[str, RowSource] = {
    "adherence": adherence_rows,
    "doses": dose_rows,
    "refills": refill_rows,
    "engagement": engagement_rows,
    "pv-cases": pv_case_rows,
}
assert set(ROW_SOURCES) == set(SCHEMAS), "every export kind has a row source"
assert store.DOSE_STATUSES == DOSE_STATUSES, (
    "the doses export and the dose counts agree on what a dose fact is"
)


def export_rows(
    services: Analytics, kind: str, window: Window, *, program_id: str | None = None
) -> AsyncIterator[Row]:
    """The rows of one export kind; ValueError for an unknown kind."""
    if kind not in ROW_SOURCES:
        raise ValueError(f"unknown export kind '{kind}' (one of: {', '.join(ROW_SOURCES)})")
    return ROW_SOURCES[kind](services, window, program_id=program_id)


async def export_to(
    services: Analytics,
    kind: str,
    fmt: str,
    out: Path | BinaryIO,
    date_from: date | None = None,
    date_to: date | None = None,
    *,
    program_id: str | None = None,
) -> int:
    """Write one export (`kind` of `SCHEMAS`, `fmt` csv|parquet|json) to a Path or a binary stream.

    Returns the number of rows. ValueError for an unknown kind or format or an empty window (`date_from`
    after `date_to` or after the day before the export); `NotPseudonymousError` (a ValueError) if a row
    looks like personal data. A Path appears only when complete.
    """
    window = Window.make(date_from, date_to, services.clock())
    rows = export_rows(services, kind, window, program_id=program_id)
    async with contextlib.aclosing(rows):  # type: ignore[type-var]
        return await write_export(rows, kind, fmt, out)
