"""Reconciliation for an auditor: every escalated message of a period against its case and what became of it.

For each inbound message received in the period that raised or joined a case: the case, its status, and the
safety database reference (forwarded) or the closing reason (closed). Each case is judged at the time of the
report: forwarded or closed by its deadline, late, still open within its deadline, or OVERDUE (past due,
neither forwarded nor closed). As a cross-check, every other inbound message of the period is screened
again: one the screener escalates today but no case holds is listed too (a screener change, or a bug).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.text import is_blank
from bot.pv import store
from bot.pv.export import period_bounds
from bot.safety import screen
from bot.storage.models import PvCase

OVERDUE = "OVERDUE"
OUTCOMES = ("forwarded", "forwarded_late", "closed", "closed_late", "open", OVERDUE)


def outcome_of(case: PvCase, now: datetime) -> str:
    """What became of a case, judged against its deadline at `now`."""
    if case.status == "forwarded":
        return (
            "forwarded" if case.forwarded_at is None or case.forwarded_at <= case.due_at else "forwarded_late"
        )
    if case.status == "closed":
        return "closed" if case.closed_at is None or case.closed_at <= case.due_at else "closed_late"
    return "open" if now < case.due_at else OVERDUE


@dataclass(frozen=True)
class ReconciledMessage:
    message_id: int
    received_at: datetime
    channel: str
    patient_ref: str | None
    case_ref: str
    case_status: str
    outcome: str
    reference_or_reason: str | None
    evidence: list[str]


@dataclass(frozen=True)
class ReconciledCase:
    case_ref: str
    opened_at: datetime
    due_at: datetime
    status: str
    outcome: str
    serious: bool
    messages_in_period: int
    forwarded_reference: str | None
    forwarded_at: datetime | None
    closed_reason: str | None
    closed_at: datetime | None


@dataclass(frozen=True)
class UnlinkedMessage:
    message_id: int
    received_at: datetime
    channel: str
    patient_ref: str | None
    kind: str
    evidence: list[str]


@dataclass
class Reconciliation:
    date_from: date
    date_to: date
    generated_at: datetime
    messages: list[ReconciledMessage] = field(default_factory=list)
    cases: list[ReconciledCase] = field(default_factory=list)
    unlinked: list[UnlinkedMessage] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, int]:
        counts = {outcome: 0 for outcome in OUTCOMES}
        for case in self.cases:
            counts[case.outcome] += 1
        return {
            "escalated_messages": len(self.messages),
            "cases": len(self.cases),
            **{outcome.lower(): n for outcome, n in counts.items()},
            "unlinked_messages": len(self.unlinked),
        }

    @property
    def problems(self) -> bool:
        """Something an auditor must act on: a case past due and unhandled, or an escalation with no case."""
        return any(c.outcome == OVERDUE for c in self.cases) or bool(self.unlinked)


async def reconcile(
    session: AsyncSession, date_from: date, date_to: date, *, now: datetime
) -> Reconciliation:
    """The reconciliation of messages received on `date_from` .. `date_to` (UTC days, both included)."""
    start, end = period_bounds(date_from, date_to)
    report = Reconciliation(date_from, date_to, now)
    per_case: dict[int, int] = {}
    cases: dict[int, PvCase] = {}
    for row in await store.escalated_messages(session, start, end):
        case, outcome = row.case, outcome_of(row.case, now)
        cases[case.id] = case
        per_case[case.id] = per_case.get(case.id, 0) + 1
        report.messages.append(
            ReconciledMessage(
                message_id=row.message.id,
                received_at=row.message.created_at,
                channel=row.message.channel,
                patient_ref=row.patient_ref,
                case_ref=store.case_ref(case.id),
                case_status=case.status,
                outcome=outcome,
                reference_or_reason=case.forwarded_reference or case.closed_reason,
                evidence=list(row.link.evidence or []),
            )
        )
    for case in sorted(cases.values(), key=lambda c: (c.opened_at, c.id)):
        report.cases.append(
            ReconciledCase(
                case_ref=store.case_ref(case.id),
                opened_at=case.opened_at,
                due_at=case.due_at,
                status=case.status,
                outcome=outcome_of(case, now),
                serious=case.serious,
                messages_in_period=per_case[case.id],
                forwarded_reference=case.forwarded_reference,
                forwarded_at=case.forwarded_at,
                closed_reason=case.closed_reason,
                closed_at=case.closed_at,
            )
        )
    for message, patient_ref, locale in await store.unlinked_inbound(session, start, end):
        if is_blank(message.body):
            continue
        result = screen(message.body, locale)
        if result.escalate:
            report.unlinked.append(
                UnlinkedMessage(
                    message.id,
                    message.created_at,
                    message.channel,
                    patient_ref,
                    result.kind,
                    list(result.evidence),
                )
            )
    return report


# --- rendering ----------------------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]

    def line(cells: list[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


# Over 60 lines on purpose: the report's sections in print order.
def render_text(report: Reconciliation, out: TextIO) -> None:
    """The report for a person: three tables and the totals."""
    lines = [
        f"PV reconciliation {report.date_from} .. {report.date_to} (UTC days), as of "
        f"{_when(report.generated_at)} UTC",
        "",
        f"Escalated messages: {len(report.messages)}",
    ]
    if report.messages:
        lines += _table(
            [
                "received (UTC)",
                "message",
                "channel",
                "patient",
                "case",
                "status",
                "outcome",
                "reference / reason",
            ],
            [
                [
                    _when(m.received_at),
                    str(m.message_id),
                    m.channel,
                    m.patient_ref or "",
                    m.case_ref,
                    m.case_status,
                    m.outcome,
                    m.reference_or_reason or "",
                ]
                for m in report.messages
            ],
        )
    lines += ["", f"Cases: {len(report.cases)}"]
    if report.cases:
        lines += _table(
            [
                "case",
                "opened (UTC)",
                "due (UTC)",
                "messages",
                "status",
                "outcome",
                "settled (UTC)",
                "reference / reason",
            ],
            [
                [
                    c.case_ref,
                    _when(c.opened_at),
                    _when(c.due_at),
                    str(c.messages_in_period),
                    c.status,
                    c.outcome,
                    _when(c.forwarded_at or c.closed_at),
                    c.forwarded_reference or c.closed_reason or "",
                ]
                for c in report.cases
            ],
        )
    lines += ["", f"Escalated by screening now but linked to no case: {len(report.unlinked)}"]
    if report.unlinked:
        lines += _table(
            ["received (UTC)", "message", "channel", "patient", "kind", "evidence"],
            [
                [
                    _when(u.received_at),
                    str(u.message_id),
                    u.channel,
                    u.patient_ref or "",
                    u.kind,
                    "; ".join(u.evidence),
                ]
                for u in report.unlinked
            ],
        )
    lines += ["", "Totals: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in report.totals.items())]
    if report.problems:
        lines.append("ATTENTION: overdue cases or escalations without a case (see above).")
    out.write("\n".join(lines) + "\n")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def render_json(report: Reconciliation, out: TextIO) -> None:
    body = {**_plain(asdict(report)), "totals": report.totals, "problems": report.problems}
    json.dump(body, out, ensure_ascii=False, indent=2)
    out.write("\n")
