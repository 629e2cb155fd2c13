"""Who is measured, over which days, with which fills: the facts every export and the dashboard start from.

An export covers a window of UTC calendar days: from `--from` (or the start of the record) to `--to`, which
is never later than the day before the export (the last complete day). Each enrolled patient is measured
over their own period inside it, from the later of `--from` and their enrolment day. Patients are read a
chunk at a time, each chunk in its own short transaction, so a large export neither holds every patient in
memory nor keeps the database locked (on SQLite every transaction takes the write lock).

The only identity that leaves this module is `subject_id`, the keyed hash of the program patient reference.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bot.analytics import store
from bot.analytics.context import Analytics
from bot.analytics.pseudonym import derive_key, subject_id
from bot.analytics.store import CohortPatient, FillRecord

EXPORT_KEY_PURPOSE = "analytics-export-v1"
PERSISTENCE_GRACE_DAYS = 60
ON_TIME_GRACE_DAYS = 7
REPORT_MATCH_DAYS = 7
"""A patient's own report of a refill is the same dispensing as a pharmacy record dated this close to it."""
DEFAULT_CHUNK = 1000
UNKNOWN_CHANNEL = "unknown"
UNKNOWN_LANGUAGE = "und"
"""BCP 47 "undetermined": a subject whose language was never set."""


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of `day`."""
    return datetime.combine(day, time(0), tzinfo=UTC)


def month_key(day: date | datetime) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_starts(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s month to `last`'s month."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


@dataclass(frozen=True)
class Window:
    """The days an export covers: `[date_from, date_to]`, both included, in UTC calendar days."""

    date_from: date | None
    date_to: date
    export_day: date

    @classmethod
    def make(cls, date_from: date | None, date_to: date | None, now: datetime) -> Window:
        """`--to` defaults to, and is capped at, the day before the export. ValueError for an empty window."""
        export_day = now.astimezone(UTC).date()
        last_complete = export_day - timedelta(days=1)
        end = last_complete if date_to is None else min(date_to, last_complete)
        if date_from is not None and date_from > end:
            if date_to is not None and date_from > date_to:
                raise ValueError(f"--from {date_from.isoformat()} is after --to {date_to.isoformat()}")
            raise ValueError(
                f"--from {date_from.isoformat()} is after the last complete day ({end.isoformat()})"
            )
        return cls(date_from, end, export_day)

    @property
    def start_at(self) -> datetime | None:
        return None if self.date_from is None else day_start(self.date_from)

    @property
    def end_at(self) -> datetime:
        """The first instant after the window."""
        return day_start(self.date_to + timedelta(days=1))

    def period(self, enrolled_at: datetime) -> tuple[date, date] | None:
        """A subject's measurement period, or None when they enrolled after the window."""
        enrolled_on = enrolled_at.astimezone(UTC).date()
        start = enrolled_on if self.date_from is None else max(self.date_from, enrolled_on)
        return (start, self.date_to) if start <= self.date_to else None


@dataclass(frozen=True)
class Fill:
    """One dispensing as the adherence arithmetic sees it (after combining patient reports with
    pharmacies)."""

    fill_date: date
    days_supply: int
    source: str
    product: str


@dataclass
class Subject:
    """One enrolled patient, pseudonymous, with everything the exports need about them."""

    patient_id: int
    subject_id: str
    program_id: str
    product: str
    channel: str
    language: str
    enrolment_month: str
    period_start: date
    period_end: date
    fills: list[Fill] = field(default_factory=list)

    @property
    def since(self) -> datetime:
        return day_start(self.period_start)

    def products(self) -> dict[str, list[tuple[date, int]]]:
        """Fills per product as `(fill_date, days_supply)` pairs; the program's product even without fills."""
        grouped: dict[str, list[tuple[date, int]]] = {self.product: []}
        for fill in self.fills:
            grouped.setdefault(fill.product, []).append((fill.fill_date, fill.days_supply))
        return grouped


def export_key(secret: str) -> bytes:
    return derive_key(secret, EXPORT_KEY_PURPOSE)


def combine_fills(
    records: Iterable[FillRecord], product: str, match_days: int = REPORT_MATCH_DAYS
) -> list[Fill]:
    """The dispensings to count: pharmacy records, plus the patient's own reports no pharmacy record explains.

    A patient who answers "yes, I collected it" and a pharmacy file listing the same dispensing must not
    count twice. Each patient report (in date order) is matched to the nearest pharmacy record of the same
    product dated at most `match_days` days from it that no earlier report matched; a matched report is
    dropped. A fill without a product is taken as the program's `product`; the name is matched ignoring case.
    """

    def canonical(name: str | None) -> str:
        return product if name is None or name.strip().casefold() == product.casefold() else name.strip()

    fills = [Fill(r.fill_date, r.days_supply, r.source, canonical(r.product)) for r in records]
    pharmacy = sorted((f for f in fills if f.source != "patient"), key=lambda f: f.fill_date)
    reports = sorted((f for f in fills if f.source == "patient"), key=lambda f: f.fill_date)
    used: set[int] = set()
    kept_reports: list[Fill] = []
    for report in reports:
        candidates = [
            (abs((p.fill_date - report.fill_date).days), index)
            for index, p in enumerate(pharmacy)
            if index not in used
            and p.product == report.product
            and abs((p.fill_date - report.fill_date).days) <= match_days
        ]
        if candidates:
            used.add(min(candidates)[1])
        else:
            kept_reports.append(report)
    return sorted([*pharmacy, *kept_reports], key=lambda f: (f.fill_date, f.source))


async def subject_chunks(
    services: Analytics,
    window: Window,
    *,
    chunk_size: int = DEFAULT_CHUNK,
    program_id: str | None = None,
    with_fills: bool = True,
) -> AsyncIterator[list[Subject]]:
    """Enrolled subjects with a period in the window, `chunk_size` at a time, in patient order.

    Each chunk is read in one short transaction which is closed before the chunk is handed out.
    """
    key = export_key(services.settings.psp_secret_key)  # type: ignore[arg-type]  # load_settings fills it
    after_id = 0
    while True:
        async with services.sessions() as session, session.begin():
            page = await store.cohort_page(
                session,
                after_id=after_id,
                limit=chunk_size,
                enrolled_before=window.end_at,
                program_id=program_id,
            )
            if not page:
                return
            after_id = page[-1].id
            ids = [p.id for p in page]
            channels = await store.preferred_channels(session, ids, window.end_at)
            fills = await store.fills_through(session, ids, window.date_to) if with_fills else {}
        subjects = [_subject(patient, key, channels, fills.get(patient.id, ()), window) for patient in page]
        chunk = [s for s in subjects if s is not None]
        if chunk:
            yield chunk


def _subject(
    patient: CohortPatient,
    key: bytes,
    channels: dict[int, str],
    fills: Sequence[FillRecord],
    window: Window,
) -> Subject | None:
    period = window.period(patient.enrolled_at)
    if period is None:
        return None
    return Subject(
        patient_id=patient.id,
        subject_id=subject_id(key, patient.patient_ref),
        program_id=patient.program_id,
        product=patient.product,
        channel=channels.get(patient.id, UNKNOWN_CHANNEL),
        language=patient.locale or UNKNOWN_LANGUAGE,
        enrolment_month=month_key(patient.enrolled_at.astimezone(UTC)),
        period_start=period[0],
        period_end=period[1],
        fills=combine_fills(fills, patient.product),
    )
