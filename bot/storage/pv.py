"""PV cases: open one for an escalated message, or add to the patient's open case from the last 72 hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import PvCase, PvCaseMessage

GROUPING_WINDOW = timedelta(hours=72)


async def open_or_extend_case(
    session: AsyncSession,
    *,
    patient_id: int | None,
    program_id: str | None,
    product: str | None,
    message_id: int,
    kind: str,
    situations: list[str],
    serious: bool,
    evidence: list[str],
    received_at: datetime,
    due_hours: int,
) -> tuple[PvCase, bool]:
    """The case this message belongs to and whether it was newly opened.

    Day zero is the receipt time of the first message; a later message within 72 hours of the case's last
    message joins it (and can only raise seriousness, never lower it).
    """
    case = None
    if patient_id is not None:
        case = await session.scalar(
            select(PvCase)
            .where(
                PvCase.patient_id == patient_id,
                PvCase.status == "open",
                PvCase.last_message_at >= received_at - GROUPING_WINDOW,
            )
            .order_by(PvCase.opened_at.desc())
            .limit(1)
        )
    created = case is None
    if case is None:
        case = PvCase(
            patient_id=patient_id,
            program_id=program_id,
            product=product,
            status="open",
            kind=kind,
            situations=sorted(set(situations)),
            serious=serious,
            opened_at=received_at,
            due_at=received_at + timedelta(hours=due_hours),
            last_message_at=received_at,
        )
        session.add(case)
        await session.flush()
    else:
        case.serious = case.serious or serious
        case.situations = sorted(set(case.situations) | set(situations))
        if kind == "adverse_event":
            case.kind = "adverse_event"
        case.last_message_at = max(case.last_message_at, received_at)
    session.add(PvCaseMessage(case_id=case.id, message_id=message_id, evidence=evidence, added_at=received_at))
    return case, created
