"""What a PV officer does to a case, as service functions the staff console (and the API) call.

Every action writes, in the same transaction as the change, one entry in the case's own history
(`pv_case_events`: who, what, when, detail, encrypted because notes and reasons may name people) and one in
the staff audit log (`bot.storage.audit`, hash-chained, append-only; `pv.case.<action>` on `pv_case:<id>`,
with codes only: the log cannot be erased, so no free text goes there). Refusals raise `CaseActionError`
with a message an officer can act on; nothing is changed then.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.pv import followup, questions, review, store
from bot.storage import audit, outbox, queries
from bot.storage.models import OutboxItem, PvCase

# Why a case may be closed without forwarding. A code goes to exports; the officer's explanation stays here.
CLOSE_REASONS: dict[str, str] = {
    "not_adverse_event": "Not an adverse event or special situation (e.g. a question, a misunderstanding)",
    "duplicate": "The same event is already in another case",
    "test_or_mistake": "A test message, or sent by mistake",
}
# E2B(R3) E.i.3.2a-f, in that order.
SERIOUSNESS_CRITERIA: dict[str, str] = {
    "death": "E.i.3.2a",
    "life_threatening": "E.i.3.2b",
    "hospitalisation": "E.i.3.2c",
    "disability": "E.i.3.2d",
    "congenital_anomaly": "E.i.3.2e",
    "other_medically_important": "E.i.3.2f",
}
MAX_REFERENCE = 128


class CaseActionError(ValueError):
    """The action was refused (unknown case, missing reason, wrong status ...); nothing was changed."""


def _required(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise CaseActionError(f"{what} is required")
    return value.strip()


async def _case(session: AsyncSession, case_id: int) -> PvCase:
    case = await store.get_case(session, case_id)
    if case is None:
        raise CaseActionError(f"no case {store.case_ref(case_id)}")
    return case


def _open(case: PvCase, doing: str) -> None:
    if case.status != "open":
        raise CaseActionError(f"{store.case_ref(case.id)} is {case.status}: it cannot be {doing}")


async def _record(
    session: AsyncSession,
    case: PvCase,
    actor: str,
    action: str,
    history: dict[str, Any],
    audited: dict[str, Any],
    now: datetime,
) -> None:
    """The case history (full detail) and the audit log (codes only), the audit entry last as it requires."""
    await store.record_action(session, case.id, actor, action, history, at=now)
    await audit.append(
        session,
        actor=actor,
        action=f"pv.case.{action}",
        target=f"pv_case:{case.id}",
        now=now,
        detail={"case": store.case_ref(case.id), **audited},
    )


async def _resolve_deadline_task(session: AsyncSession, case: PvCase, now: datetime) -> None:
    task = await store.deadline_task(session, case.id)
    if task is not None and task.status != "resolved":
        task.status, task.resolved_at = "resolved", now


async def assign(
    session: AsyncSession, case_id: int, actor: str, assignee: str | None, *, now: datetime
) -> PvCase:
    """Give the case to an officer (None to unassign)."""
    actor = _required(actor, "who is acting")
    case = await _case(session, case_id)
    previous, case.assigned_to = case.assigned_to, (assignee.strip() or None) if assignee else None
    detail = {"from": previous, "to": case.assigned_to}
    await _record(session, case, actor, "assigned", detail, detail, now)
    return case


async def add_note(session: AsyncSession, case_id: int, actor: str, text: str, *, now: datetime) -> PvCase:
    actor = _required(actor, "who is acting")
    note = _required(text, "the note")
    case = await _case(session, case_id)
    await _record(session, case, actor, "note", {"text": note}, {"characters": len(note)}, now)
    return case


async def set_seriousness(
    session: AsyncSession,
    case_id: int,
    actor: str,
    serious: bool,
    reason: str,
    *,
    criteria: Iterable[str] = (),
    now: datetime,
) -> PvCase:
    """The officer's assessment, which may lower the screening's suggestion; a reason is always required.

    `criteria` are codes of SERIOUSNESS_CRITERIA (E2B E.i.3.2a-f); a serious case needs at least one.
    """
    actor = _required(actor, "who is acting")
    why = _required(reason, "a reason for the seriousness")
    chosen = set(criteria)
    unknown = [c for c in chosen if c not in SERIOUSNESS_CRITERIA]
    if unknown:
        raise CaseActionError(
            f"unknown seriousness criteria {sorted(unknown)} (use {', '.join(SERIOUSNESS_CRITERIA)})"
        )
    codes = [c for c in SERIOUSNESS_CRITERIA if c in chosen]
    if serious and not codes:
        raise CaseActionError("a serious case needs at least one seriousness criterion")
    if not serious and codes:
        raise CaseActionError("seriousness criteria apply only to a serious case")
    case = await _case(session, case_id)
    before = {"serious": case.serious, "criteria": list(case.seriousness_criteria or [])}
    case.serious, case.seriousness_criteria = serious, codes
    history = {"from": before, "serious": serious, "criteria": codes, "reason": why}
    await _record(
        session, case, actor, "seriousness_set", history, {"serious": serious, "criteria": codes}, now
    )
    return case


async def send_followup_question(
    session: AsyncSession, case_id: int, actor: str, question_key: str, *, now: datetime
) -> OutboxItem:
    """Send one approved question to the patient (through the outbox); their answer joins the case."""
    actor = _required(actor, "who is acting")
    question = questions.BY_KEY.get(question_key)
    if question is None:
        raise CaseActionError(
            f"'{question_key}' is not an approved question (use {', '.join(questions.BY_KEY)})"
        )
    case = await _case(session, case_id)
    patient = await queries.get_patient(session, case.patient_id) if case.patient_id is not None else None
    if patient is None or patient.status != "active":
        raise CaseActionError("the patient is not enrolled (or has stopped): no question can be sent")
    address = await store.reachable_address(session, patient.id)
    if address is None:
        raise CaseActionError(
            "the patient has no address that can receive messages (opted out or unreachable)"
        )
    reply = questions.ask(question, patient.locale)
    item = await outbox.enqueue(
        session,
        address=address,
        text=reply.text,
        options=[{"key": o.key, "label": o.label} for o in reply.options],
        kind=reply.kind,
        now=now,
    )
    await followup.set_question(session, patient.id, case.id, question, patient.locale, now, single=True)
    detail = {"question": question.key, "channel": address.channel}
    await _record(session, case, actor, "followup_sent", detail, detail, now)
    return item


async def mark_forwarded(
    session: AsyncSession, case_id: int, actor: str, reference: str, *, now: datetime
) -> PvCase:
    """The case is in the safety database under `reference`: its clock stops."""
    actor = _required(actor, "who is acting")
    ref = _required(reference, "the safety database reference")
    if len(ref) > MAX_REFERENCE:
        raise CaseActionError(f"the reference is longer than {MAX_REFERENCE} characters")
    case = await _case(session, case_id)
    _open(case, "forwarded")
    case.status, case.forwarded_reference, case.forwarded_at = "forwarded", ref, now
    await _resolve_deadline_task(session, case, now)
    detail = {"reference": ref, "late": now > case.due_at}
    await _record(session, case, actor, "forwarded", detail, detail, now)
    await review.keep_case_verdict(session, case.id, "case", "case_forwarded", now)
    return case


async def close_not_adverse_event(
    session: AsyncSession, case_id: int, actor: str, reason: str, explanation: str, *, now: datetime
) -> PvCase:
    """Close without forwarding: a reason code (CLOSE_REASONS) and the officer's explanation are required."""
    actor = _required(actor, "who is acting")
    code = _required(reason, "a reason for closing").lower()
    if code not in CLOSE_REASONS:
        raise CaseActionError(f"'{reason}' is not a closing reason (use {', '.join(CLOSE_REASONS)})")
    why = _required(explanation, "an explanation of the closing reason")
    case = await _case(session, case_id)
    _open(case, "closed")
    case.status, case.closed_reason, case.closed_at = "closed", code, now
    await _resolve_deadline_task(session, case, now)
    await _record(session, case, actor, "closed", {"reason": code, "explanation": why}, {"reason": code}, now)
    if code == "not_adverse_event":
        await review.keep_case_verdict(session, case.id, "clear", "case_not_adverse_event", now)
    return case
