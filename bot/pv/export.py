"""Rows of the `pv-cases` analyst export (schema `bot.analytics.schemas.PV_CASES`).

Codes only: the case reference, pseudonymous subject, program, product, clock, status, kind, situations,
seriousness, forwarding reference and closing reason code. Never the verbatim message, the evidence, the
officer's notes or explanations: those stay in the console.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.analytics.pseudonym import derive_key, subject_id
from bot.pv import store

UNKNOWN_PROGRAM = "unknown"  # a case raised before the patient gave an enrolment code, who never gave one
KEY_PURPOSE = "analytics-export-v1"  # the purpose every analytics export uses, so subject IDs join


def export_key(secret: str) -> bytes:
    """The pseudonym key of analytics exports, from PSP_SECRET_KEY."""
    return derive_key(secret, KEY_PURPOSE)


def period_bounds(date_from: date | None, date_to: date | None) -> tuple[datetime, datetime]:
    """[start, end) in UTC for calendar days `date_from` .. `date_to`, both included; open ends unbounded."""
    start = datetime.combine(date_from, time(), UTC) if date_from else datetime(1970, 1, 1, tzinfo=UTC)
    end = (
        datetime.combine(date_to + timedelta(days=1), time(), UTC)
        if date_to
        else datetime(9999, 1, 1, tzinfo=UTC)
    )
    return start, end


async def pv_case_rows(
    session: AsyncSession, date_from: date | None, date_to: date | None, *, key: bytes
) -> AsyncIterator[dict[str, Any]]:
    """One PV_CASES row per case opened in the period (UTC days, both included), oldest first.

    `key` is the pseudonym key (`export_key(settings.psp_secret_key)`); rows stream from the database.
    """
    start, end = period_bounds(date_from, date_to)
    async for row in store.stream_cases(session, start, end):
        case = row.case
        if row.patient_ref is None:
            continue  # every case has a patient; a row without one could not be pseudonymised
        yield {
            "case_id": store.case_ref(case.id),
            "subject_id": subject_id(key, row.patient_ref),
            "program_id": case.program_id or row.patient_program_id or UNKNOWN_PROGRAM,
            "product": case.product or row.patient_product,
            "opened_at_utc": case.opened_at,
            "due_at_utc": case.due_at,
            "status": case.status,
            "kind": case.kind,
            "situations": list(case.situations or []),
            "serious": bool(case.serious),
            "forwarded_reference": case.forwarded_reference,
            "closed_reason": case.closed_reason,
        }
