"""One PV case as an officer (or an E2B file) sees it: the case, its messages verbatim, the patient's
answers and its history, loaded at once; and the four minimum criteria of a valid report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.pv import store
from bot.storage import queries


@dataclass(frozen=True)
class CaseMessage:
    message_id: int
    received_at: datetime
    channel: str
    text: str  # verbatim, as the patient wrote it
    evidence: tuple[str, ...]  # the words that triggered the escalation
    language: str | None = None  # the patient's language when they wrote it (None: not known)


@dataclass(frozen=True)
class CaseAnswer:
    question: str
    answer: str  # verbatim
    option: str | None
    answered_at: datetime
    message_id: int | None


@dataclass(frozen=True)
class CaseEvent:
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class CaseRecord:
    id: int
    ref: str
    status: str
    kind: str
    situations: tuple[str, ...]
    serious: bool
    seriousness_criteria: tuple[str, ...]
    opened_at: datetime
    due_at: datetime
    last_message_at: datetime
    assigned_to: str | None
    forwarded_reference: str | None
    forwarded_at: datetime | None
    closed_reason: str | None
    closed_at: datetime | None
    program_id: str | None
    product: str | None
    product_source: str | None  # "report": the program at the time; "program": the patient's program since
    patient_id: int | None
    patient_ref: str | None
    patient_locale: str | None
    patient_country: str | None
    reporter_channels: tuple[str, ...]  # how the reporter (the patient) can be reached back
    messages: tuple[CaseMessage, ...]
    answers: tuple[CaseAnswer, ...]
    events: tuple[CaseEvent, ...]

    @property
    def latest_information_at(self) -> datetime:
        """When the newest piece of information arrived (E2B C.1.5)."""
        times = [self.last_message_at, *(a.answered_at for a in self.answers)]
        return max(times)

    def answer(self, question: str) -> CaseAnswer | None:
        """The latest answer to a question."""
        found = [a for a in self.answers if a.question == question]
        return found[-1] if found else None


async def load_case(session: AsyncSession, case_id: int) -> CaseRecord | None:
    case = await store.get_case(session, case_id)
    if case is None:
        return None
    patient = await queries.get_patient(session, case.patient_id) if case.patient_id is not None else None
    product, source = case.product, "report" if case.product else None
    if product is None and patient is not None:
        product = await store.patient_program_product(session, patient.id)
        source = "program" if product else None
    addresses = await queries.patient_addresses(session, patient.id) if patient is not None else []
    messages = tuple(
        CaseMessage(m.id, m.created_at, m.channel, m.body, tuple(link.evidence or ()), m.language)
        for link, m in await store.case_messages(session, case.id)
    )
    answers = tuple(
        CaseAnswer(a.question, a.answer, a.option, a.answered_at, a.message_id)
        for a in await store.case_answers(session, case.id)
    )
    events = tuple(
        CaseEvent(e.at, e.actor, e.action, store.event_detail(e))
        for e in await store.case_events(session, case.id)
    )
    return CaseRecord(
        id=case.id,
        ref=store.case_ref(case.id),
        status=case.status,
        kind=case.kind,
        situations=tuple(case.situations or ()),
        serious=case.serious,
        seriousness_criteria=tuple(case.seriousness_criteria or ()),
        opened_at=case.opened_at,
        due_at=case.due_at,
        last_message_at=case.last_message_at,
        assigned_to=case.assigned_to,
        forwarded_reference=case.forwarded_reference,
        forwarded_at=case.forwarded_at,
        closed_reason=case.closed_reason,
        closed_at=case.closed_at,
        program_id=case.program_id or (patient.program_id if patient else None),
        product=product,
        product_source=source,
        patient_id=patient.id if patient else None,
        patient_ref=patient.patient_ref if patient else None,
        patient_locale=patient.locale if patient else None,
        patient_country=patient.country if patient else None,
        reporter_channels=tuple(sorted({a.channel for a in addresses})),
        messages=messages,
        answers=answers,
        events=events,
    )


MET, MISSING = "met", "missing"


def minimum_criteria(case: CaseRecord) -> dict[str, str]:
    """The four minimum criteria of a valid individual case safety report (ICH E2D), each met or missing.

    - `patient`: an identifiable patient: the program knows who it is (program patient ID).
    - `reporter`: an identifiable reporter: the patient reported it themselves on a channel we can write back
      to.
    - `product`: a suspect product: the program's product (known once the patient gave an enrolment code).
    - `event`: an adverse event or special situation described: at least one message with words in it.
    """
    return {
        "patient": MET if case.patient_ref else MISSING,
        "reporter": MET if case.reporter_channels else MISSING,
        "product": MET if case.product else MISSING,
        "event": MET if any(m.text.strip() for m in case.messages) else MISSING,
    }


def is_valid_report(criteria: dict[str, str]) -> bool:
    return all(value == MET for value in criteria.values())
