"""A patient's history as one list of events, newest first, and the PV clock as words: pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

_REMINDER_KINDS = {
    "dose": "Dose reminder",
    "refill_due_soon": "Refill reminder",
    "refill_check": "Refill check",
}
_TASK_KINDS = {
    "nonresponder": "Not responding",
    "unreachable": "Unreachable",
    "refill_problem": "Refill problem",
    "callback": "Call-back request",
    "self_harm": "Self-harm cue: call the patient",
    "country_unknown": "Country to confirm",
    "pv_unenrolled_group": "PV cases from never-enrolled addresses",
}


@dataclass(frozen=True)
class Event:
    """One line of the timeline. `text` is personal (a message body, a verbatim answer): None when hidden."""

    at: datetime
    kind: str  # message-in | message-out | consent | reminder | dose | refill | pv-case | task
    title: str
    detail: str = ""
    text: str | None = None
    hidden: bool = False
    link: str | None = None
    flag: str | None = None


def task_label(kind: str) -> str:
    return _TASK_KINDS.get(kind, kind.replace("_", " ").capitalize())


def _local(slot: str) -> str:
    """ "2026-03-01T20:30" -> "2026-03-01 20:30 patient's time"."""
    return slot.replace("T", " ") + " patient's time"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


# Over 60 lines on purpose: one branch per kind of timeline event.
def build(tl: Any, *, show_bodies: bool) -> list[Event]:
    """Events from a `bot.staff.console_store.Timeline`; bodies only when `show_bodies` (and selected)."""
    events: list[Event] = []
    for m in tl.messages:
        body = getattr(m, "body", None) if show_bodies else None
        case_id = tl.case_of_message.get(m.id)
        incoming = m.direction == "in"
        detail = m.channel + (f" · {m.kind}" if m.kind else "") + ("" if incoming else f" · {m.status}")
        if incoming and m.option:
            detail += f" · button {m.option}"
        events.append(
            Event(
                at=m.created_at,
                kind="message-in" if incoming else "message-out",
                title="Patient wrote" if incoming else "Bot sent",
                detail=detail,
                text=body,
                hidden=body is None,
                link=f"/staff/pv/cases/{case_id}" if case_id else None,
                flag=f"PV case #{case_id}" if case_id else None,
            )
        )
    for c in tl.consents:
        verbatim = getattr(c, "verbatim", None) if show_bodies else None
        events.append(
            Event(
                at=c.recorded_at,
                kind="consent",
                title=_consent_title(c.granted, c.type),
                detail=f"text version {c.text_version} · {c.channel}",
                text=verbatim,
                hidden=verbatim is None,
            )
        )
    for r in tl.reminders:
        status = f"{r.status}: {r.answer}" if r.answer else r.status.replace("_", " ")
        events.append(
            Event(
                at=r.due_at,
                kind="reminder",
                title=_REMINDER_KINDS.get(r.kind, r.kind),
                detail=f"{_local(r.local_slot)} · {status}",
            )
        )
    for d in tl.dose_events:
        events.append(
            Event(
                at=d.scheduled_at,
                kind="dose",
                title=f"Dose {d.status.replace('_', ' ')}",
                detail=_local(d.local_slot) + (f" · {d.channel}" if d.channel else ""),
            )
        )
    for f in tl.refills:
        where = f" · {f.pharmacy}" if f.pharmacy else ""
        events.append(
            Event(
                at=_midnight(f.fill_date),
                kind="refill",
                title=f"Refill: {f.days_supply} days",
                detail=f"{f.source}{where}",
            )
        )
    for case in tl.cases:
        kind = case.kind.replace("_", " ")
        situations = ", ".join(s.replace("_", " ") for s in case.situations)
        events.append(
            Event(
                at=case.opened_at,
                kind="pv-case",
                title=f"PV case #{case.id} opened: {kind}",
                detail=f"{case.status}" + (f" · {situations}" if situations else ""),
                link=f"/staff/pv/cases/{case.id}",
                flag="serious" if case.serious else None,
            )
        )
    for task in tl.tasks:
        events.append(
            Event(
                at=task.created_at,
                kind="task",
                title=f"Task #{task.id}: {task_label(task.kind)}",
                detail=task.status + (f" · {task.assigned_to}" if task.assigned_to else ""),
                link=f"/staff/tasks/{task.id}",
            )
        )
    # Oldest first with ties kept in the order rows were stored, then reversed: newest first throughout.
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].at, pair[0]))
    return [event for _, event in reversed(ordered)]


def countdown(due: datetime, now: datetime) -> str:
    """ "in 5 h 20 min", "overdue by 2 d 3 h": the PV clock in words, to the minute."""
    delta = due - now
    late = delta < timedelta(0)
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        words = f"{days} d {hours} h"
    elif hours:
        words = f"{hours} h {mins} min"
    else:
        words = f"{mins} min"
    return f"overdue by {words}" if late else f"in {words}"


def _consent_title(granted: bool, kind: str) -> str:
    """What staff read: a later refusal of messages or of the use of data is a withdrawal, not a decline."""
    if granted:
        return f"Consent given ({kind})"
    if kind == "data":
        return "Consent withdrawn: use of data for the program"
    if kind == "messages":
        return "Consent withdrawn: messages (STOP)"
    return f"Consent declined ({kind})"
