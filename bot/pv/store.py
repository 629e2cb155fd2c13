"""PV cases: open one for an escalated message, or add to the patient's open case from the last 72 hours;
the case's answers, history (events) and deadline alerts; the reads behind exports and reconciliation."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Address,
    Message,
    Patient,
    Program,
    PvCase,
    PvCaseAnswer,
    PvCaseEvent,
    PvCaseMessage,
    PvDeadlineAlert,
    SupportTask,
)

GROUPING_WINDOW = timedelta(hours=72)
SYSTEM = "system"
_REF = re.compile(r"^\s*(?:PV-?)?0*(\d{1,12})\s*$", re.IGNORECASE)


def case_ref(case_id: int) -> str:
    """The reference staff and exports use for a case: `PV-000042`."""
    return f"PV-{case_id:06d}"


def parse_case_ref(text: str) -> int | None:
    """The case id in `PV-000042`, `pv-42` or `42`; None when it is not one."""
    found = _REF.match(text)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


async def record_action(
    session: AsyncSession,
    case_id: int,
    actor: str,
    action: str,
    detail: dict[str, Any] | None = None,
    *,
    at: datetime,
) -> PvCaseEvent:
    """Append one entry to the case's history (who, what, when, detail). Entries are never changed."""
    event = PvCaseEvent(
        case_id=case_id,
        actor=actor,
        action=action,
        at=at,
        detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(event)
    return event


# Over 60 lines on purpose: find the open case or open one, then extend it, in one transaction.
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
    message joins it (and can only raise seriousness, never lower it). Only an open case is extended: a
    message after forwarding or closing opens a new case with its own clock, so it is not lost in a
    finished one.
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
            seriousness_criteria=[],
            opened_at=received_at,
            due_at=received_at + timedelta(hours=due_hours),
            last_message_at=received_at,
        )
        session.add(case)
        await session.flush()
        await record_action(
            session,
            case.id,
            SYSTEM,
            "opened",
            {
                "message_id": message_id,
                "kind": kind,
                "serious": serious,
                "situations": sorted(set(situations)),
            },
            at=received_at,
        )
    else:
        raised = serious and not case.serious
        case.serious = case.serious or serious
        case.situations = sorted(set(case.situations) | set(situations))
        if kind == "adverse_event":
            case.kind = "adverse_event"
        if case.product is None and product is not None:
            case.product = product
        case.last_message_at = max(case.last_message_at, received_at)
        await record_action(
            session,
            case.id,
            SYSTEM,
            "message_added",
            {"message_id": message_id, "serious_raised": raised},
            at=received_at,
        )
    session.add(
        PvCaseMessage(case_id=case.id, message_id=message_id, evidence=evidence, added_at=received_at)
    )
    return case, created


# --- one case -----------------------------------------------------------------------------------------------


async def get_case(session: AsyncSession, case_id: int) -> PvCase | None:
    return await session.get(PvCase, case_id)


async def case_messages(session: AsyncSession, case_id: int) -> list[tuple[PvCaseMessage, Message]]:
    """The messages that raised or extended the case, oldest first, with the words that triggered each."""
    rows = await session.execute(
        select(PvCaseMessage, Message)
        .join(Message, Message.id == PvCaseMessage.message_id)
        .where(PvCaseMessage.case_id == case_id)
        .order_by(Message.created_at, Message.id)
    )
    return [(link, message) for link, message in rows.all()]


async def case_answers(session: AsyncSession, case_id: int) -> list[PvCaseAnswer]:
    rows = await session.scalars(
        select(PvCaseAnswer)
        .where(PvCaseAnswer.case_id == case_id)
        .order_by(PvCaseAnswer.answered_at, PvCaseAnswer.id)
    )
    return list(rows.all())


async def answered_questions(session: AsyncSession, case_id: int) -> set[str]:
    rows = await session.scalars(select(PvCaseAnswer.question).where(PvCaseAnswer.case_id == case_id))
    return set(rows.all())


async def add_answer(
    session: AsyncSession,
    *,
    case_id: int,
    question: str,
    answer: str,
    option: str | None,
    message_id: int | None,
    answered_at: datetime,
) -> PvCaseAnswer:
    row = PvCaseAnswer(
        case_id=case_id,
        question=question,
        answer=answer,
        option=option,
        message_id=message_id,
        answered_at=answered_at,
    )
    session.add(row)
    return row


async def case_events(session: AsyncSession, case_id: int) -> list[PvCaseEvent]:
    rows = await session.scalars(
        select(PvCaseEvent).where(PvCaseEvent.case_id == case_id).order_by(PvCaseEvent.at, PvCaseEvent.id)
    )
    return list(rows.all())


def event_detail(event: PvCaseEvent) -> dict[str, Any]:
    detail = json.loads(event.detail or "{}")
    return detail if isinstance(detail, dict) else {"value": detail}


async def patient_program_product(session: AsyncSession, patient_id: int | None) -> str | None:
    """The product of the program the patient is enrolled in now (None before they gave a code)."""
    if patient_id is None:
        return None
    return await session.scalar(
        select(Program.product)
        .join(Patient, Patient.program_id == Program.id)
        .where(Patient.id == patient_id)
    )


async def reachable_address(session: AsyncSession, patient_id: int) -> Address | None:
    """The address the patient last wrote from that can still receive messages."""
    return await session.scalar(
        select(Address)
        .where(Address.patient_id == patient_id, Address.opted_out.is_(False), Address.unreachable.is_(False))
        .order_by(Address.last_inbound_at.desc().nulls_last(), Address.id.desc())
        .limit(1)
    )


# --- deadlines ----------------------------------------------------------------------------------------------


async def cases_near_deadline(session: AsyncSession, now: datetime, warn_before: timedelta) -> list[PvCase]:
    """Open cases whose deadline is within `warn_before` of `now`, or past."""
    rows = await session.scalars(
        select(PvCase)
        .where(PvCase.status == "open", PvCase.due_at <= now + warn_before)
        .order_by(PvCase.due_at, PvCase.id)
    )
    return list(rows.all())


async def claim_alert(session: AsyncSession, case_id: int, threshold: str, now: datetime) -> bool:
    """Record that `threshold` was raised for the case; False when it already was (by any process)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert  # type: ignore[assignment]
    statement = (
        insert(PvDeadlineAlert)
        .values(case_id=case_id, threshold=threshold, raised_at=now)
        .on_conflict_do_nothing(index_elements=["case_id", "threshold"])
        .returning(PvDeadlineAlert.case_id)
    )
    return (await session.execute(statement)).first() is not None


async def deadline_task(session: AsyncSession, case_id: int) -> SupportTask | None:
    """The support task the watchdog opened for the case, if any."""
    return await session.scalar(
        select(SupportTask)
        .join(PvDeadlineAlert, PvDeadlineAlert.task_id == SupportTask.id)
        .where(PvDeadlineAlert.case_id == case_id)
        .order_by(SupportTask.id)
        .limit(1)
    )


async def set_alert_task(session: AsyncSession, case_id: int, threshold: str, task_id: int) -> None:
    await session.execute(
        update(PvDeadlineAlert)
        .where(PvDeadlineAlert.case_id == case_id, PvDeadlineAlert.threshold == threshold)
        .values(task_id=task_id)
    )


async def open_deadline_task(
    session: AsyncSession, patient_id: int | None, detail: str, now: datetime
) -> SupportTask:
    """One `pv_deadline` task per case (not per patient: two cases are two deadlines)."""
    task = SupportTask(
        patient_id=patient_id, kind="pv_deadline", detail=detail, status="open", created_at=now
    )
    session.add(task)
    await session.flush()
    return task


async def count_overdue(session: AsyncSession, now: datetime) -> int:
    """Open cases past their deadline."""
    found = await session.scalar(
        select(func.count()).select_from(PvCase).where(PvCase.status == "open", PvCase.due_at <= now)
    )
    return int(found or 0)


# --- periods: exports and reconciliation ----------------------------------------------------------------


@dataclass(frozen=True)
class CaseRow:
    case: PvCase
    patient_ref: str | None
    patient_program_id: (
        str | None
    )  # the program the patient is in now (a case opened during enrolment has none)
    patient_product: str | None


async def stream_cases(session: AsyncSession, start: datetime, end: datetime) -> AsyncIterator[CaseRow]:
    """Cases opened in [start, end), oldest first, with the patient (streamed, constant memory)."""
    result = await session.stream(
        select(PvCase, Patient.patient_ref, Patient.program_id, Program.product)
        .outerjoin(Patient, Patient.id == PvCase.patient_id)
        .outerjoin(Program, Program.id == Patient.program_id)
        .where(PvCase.opened_at >= start, PvCase.opened_at < end)
        .order_by(PvCase.opened_at, PvCase.id)
        .execution_options(yield_per=500)
    )
    async for case, patient_ref, program_id, product in result:
        yield CaseRow(case, patient_ref, program_id, product)


@dataclass(frozen=True)
class EscalatedMessage:
    message: Message
    link: PvCaseMessage
    case: PvCase
    patient_ref: str | None


async def escalated_messages(session: AsyncSession, start: datetime, end: datetime) -> list[EscalatedMessage]:
    """Every inbound message received in [start, end) that is linked to a case, with its case."""
    rows = await session.execute(
        select(Message, PvCaseMessage, PvCase, Patient.patient_ref)
        .join(PvCaseMessage, PvCaseMessage.message_id == Message.id)
        .join(PvCase, PvCase.id == PvCaseMessage.case_id)
        .outerjoin(Patient, Patient.id == Message.patient_id)
        .where(Message.direction == "in", Message.created_at >= start, Message.created_at < end)
        .order_by(Message.created_at, Message.id)
    )
    return [EscalatedMessage(m, link, case, ref) for m, link, case, ref in rows.all()]


async def unlinked_inbound(
    session: AsyncSession, start: datetime, end: datetime
) -> list[tuple[Message, str | None, str | None]]:
    """Inbound messages in [start, end) linked to no case, with the patient's reference and language."""
    linked = select(PvCaseMessage.message_id)
    rows = await session.execute(
        select(Message, Patient.patient_ref, Patient.locale)
        .outerjoin(Patient, Patient.id == Message.patient_id)
        .where(
            Message.direction == "in",
            Message.created_at >= start,
            Message.created_at < end,
            Message.id.not_in(linked),
        )
        .order_by(Message.created_at, Message.id)
    )
    return [(m, ref, locale) for m, ref, locale in rows.all()]
