"""Patient rights in storage terms: read everything held about one patient; erase their personal data.

The erasure rule (see bot.staff.rights for the why): personal data goes, pharmacovigilance records stay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import (
    Address,
    Consent,
    ConversationState,
    DoseEvent,
    Message,
    OutboxItem,
    Patient,
    PvCase,
    PvCaseMessage,
    Refill,
    Reminder,
    SupportTask,
)
from bot.storage.models.staff import SupportTaskNote

ERASED = "[erased]"


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None and hasattr(value, "isoformat") else value


async def _all(session: AsyncSession, model: Any, patient_id: int, order: Any) -> list[Any]:
    return list(
        (await session.scalars(select(model).where(model.patient_id == patient_id).order_by(order))).all()
    )


async def pv_message_ids(session: AsyncSession, patient_id: int) -> set[int]:
    """Messages that are part of a PV case of this patient: their text is kept on erasure."""
    rows = await session.scalars(
        select(PvCaseMessage.message_id)
        .join(PvCase, PvCase.id == PvCaseMessage.case_id)
        .where(PvCase.patient_id == patient_id)
    )
    return set(rows.all())


# Over 60 lines on purpose: one section per table of the access-request export, in the export's order.
async def collect(session: AsyncSession, patient: Patient) -> dict[str, Any]:
    """Everything held about `patient`, decrypted, as JSON-ready data (the access-request export)."""
    pid = patient.id
    links = await session.execute(
        select(PvCaseMessage).join(PvCase, PvCase.id == PvCaseMessage.case_id).where(PvCase.patient_id == pid)
    )
    case_links = list(links.scalars().all())
    case_of = {link.message_id: link.case_id for link in case_links}
    tasks = await _all(session, SupportTask, pid, SupportTask.id)
    notes: dict[int, list[SupportTaskNote]] = {}
    if tasks:
        for note in (
            await session.scalars(
                select(SupportTaskNote)
                .where(SupportTaskNote.task_id.in_([t.id for t in tasks]))
                .order_by(SupportTaskNote.id)
            )
        ).all():
            notes.setdefault(note.task_id, []).append(note)
    return {
        "patient": {
            "patient_ref": patient.patient_ref,
            "status": patient.status,
            "program_id": patient.program_id,
            "locale": patient.locale,
            "timezone": patient.timezone,
            "country": patient.country,
            "reminder_times": list(patient.reminder_times or []),
            "paused_until": _iso(patient.paused_until),
            "created_at": _iso(patient.created_at),
            "enrolled_at": _iso(patient.enrolled_at),
            "stopped_at": _iso(patient.stopped_at),
        },
        "addresses": [
            {
                "channel": a.channel,
                "value": a.value,
                "opted_out": a.opted_out,
                "opted_out_at": _iso(a.opted_out_at),
                "unreachable": a.unreachable,
                "created_at": _iso(a.created_at),
                "last_inbound_at": _iso(a.last_inbound_at),
            }
            for a in await _all(session, Address, pid, Address.id)
        ],
        "consents": [
            {
                "type": c.type,
                "granted": c.granted,
                "text_version": c.text_version,
                "channel": c.channel,
                "verbatim": c.verbatim,
                "recorded_at": _iso(c.recorded_at),
            }
            for c in await _all(session, Consent, pid, Consent.id)
        ],
        "messages": [
            {
                "id": m.id,
                "at": _iso(m.created_at),
                "direction": m.direction,
                "channel": m.channel,
                "text": m.body,
                "option": m.option,
                "kind": m.kind,
                "status": m.status,
                "pv_case_id": case_of.get(m.id),
            }
            for m in await _all(session, Message, pid, Message.id)
        ],
        "reminders": [
            {
                "kind": r.kind,
                "local_slot": r.local_slot,
                "due_at": _iso(r.due_at),
                "status": r.status,
                "sent_at": _iso(r.sent_at),
                "answer": r.answer,
                "answered_at": _iso(r.answered_at),
            }
            for r in await _all(session, Reminder, pid, Reminder.id)
        ],
        "dose_events": [
            {
                "scheduled_at": _iso(d.scheduled_at),
                "local_slot": d.local_slot,
                "status": d.status,
                "answered_at": _iso(d.answered_at),
                "channel": d.channel,
            }
            for d in await _all(session, DoseEvent, pid, DoseEvent.id)
        ],
        "refills": [
            {
                "fill_date": _iso(f.fill_date),
                "days_supply": f.days_supply,
                "product": f.product,
                "pharmacy": f.pharmacy,
                "source": f.source,
                "recorded_at": _iso(f.recorded_at),
            }
            for f in await _all(session, Refill, pid, Refill.id)
        ],
        "pv_cases": [
            {
                "id": c.id,
                "status": c.status,
                "kind": c.kind,
                "situations": list(c.situations),
                "serious": c.serious,
                "product": c.product,
                "opened_at": _iso(c.opened_at),
                "due_at": _iso(c.due_at),
                "forwarded_reference": c.forwarded_reference,
                "closed_reason": c.closed_reason,
                "messages": [
                    {"message_id": link.message_id, "evidence": list(link.evidence)}
                    for link in case_links
                    if link.case_id == c.id
                ],
            }
            for c in await _all(session, PvCase, pid, PvCase.id)
        ],
        "support_tasks": [
            {
                "id": t.id,
                "kind": t.kind,
                "status": t.status,
                "detail": t.detail,
                "assigned_to": t.assigned_to,
                "created_at": _iso(t.created_at),
                "resolved_at": _iso(t.resolved_at),
                "notes": [
                    {"author": n.author, "at": _iso(n.at), "text": n.body} for n in notes.get(t.id, [])
                ],
            }
            for t in tasks
        ],
    }


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


# Over 60 lines on purpose: one statement per table the erasure rule touches, in one transaction.
async def erase(session: AsyncSession, patient: Patient, now: datetime) -> dict[str, int]:
    """Remove the patient's personal data in the caller's transaction; returns what was changed."""
    pid = patient.id
    kept = await pv_message_ids(session, pid)
    address_ids = list((await session.scalars(select(Address.id).where(Address.patient_id == pid))).all())
    counts: dict[str, int] = {"messages_kept_for_pv": len(kept)}
    erase_messages = update(Message).where(Message.patient_id == pid).values(body=ERASED)
    if kept:
        erase_messages = erase_messages.where(Message.id.not_in(kept))
    counts["messages_erased"] = _count(await session.execute(erase_messages))
    counts["outbox_cancelled"] = (
        _count(
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.address_id.in_(address_ids), OutboxItem.status.in_(("pending", "sending")))
                .values(status="cancelled", last_error="patient data erased")
            )
        )
        if address_ids
        else 0
    )
    for address_id in address_ids:
        # The keyed hash goes too: the number can no longer be linked to this patient, and if it writes
        # again it starts a new enrolment as a new person.
        await session.execute(
            update(Address)
            .where(Address.id == address_id)
            .values(
                value=ERASED,
                lookup=f"erased:{address_id}",
                opted_out=True,
                opted_out_at=now,
                unreachable=True,
            )
        )
    counts["addresses_erased"] = len(address_ids)
    counts["consents_erased"] = _count(
        await session.execute(update(Consent).where(Consent.patient_id == pid).values(verbatim=ERASED))
    )
    task_ids = select(SupportTask.id).where(SupportTask.patient_id == pid)
    counts["task_notes_erased"] = _count(
        await session.execute(
            update(SupportTaskNote).where(SupportTaskNote.task_id.in_(task_ids)).values(body=ERASED)
        )
    )
    await session.execute(update(SupportTask).where(SupportTask.patient_id == pid).values(detail=ERASED))
    await session.execute(
        update(SupportTask)
        .where(SupportTask.patient_id == pid, SupportTask.status == "open")
        .values(status="resolved", resolved_at=now)
    )
    counts["reminders_cancelled"] = _count(
        await session.execute(
            update(Reminder)
            .where(Reminder.patient_id == pid, Reminder.status == "planned")
            .values(status="cancelled")
        )
    )
    await session.execute(delete(ConversationState).where(ConversationState.patient_id == pid))
    patient.status = "erased"
    patient.timezone = None
    patient.reminder_times = []
    patient.paused_until = None
    patient.stopped_at = patient.stopped_at or now
    return counts
