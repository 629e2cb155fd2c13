"""Storage of the PV review queue: items in doubt or drawn for a second look, labelled examples, and the
counts
behind the production quality estimate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.pv.quality import LanguageCounts
from bot.storage import pending
from bot.storage.models import Message, Patient, PvCase, PvCaseMessage, PvExample, PvReview

SCREEN = "screen"
SECOND_LOOK = "second_look"
REASONS = (SCREEN, SECOND_LOOK)
_REVIEWS = cast(Table, PvReview.__table__)


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One line of the review queue as the console lists it (no message text: that is read on the item
    page)."""

    id: int
    reason: str
    lang: str
    score: float
    received_at: datetime
    due_at: datetime
    status: str
    patient_ref: str | None
    channel: str


async def enqueue(
    session: AsyncSession,
    *,
    message_id: int,
    patient_id: int | None,
    lang: str,
    reason: str,
    score: float,
    evidence: list[str],
    received_at: datetime,
    due_hours: int,
    batched: bool = False,
) -> PvReview | None:
    """Put a message in the review queue once; None when it is already there (a redelivery, a race).

    `batched`: the message was stored by this transaction, a batch's (bot.conversation.batch). No review of it
    can exist yet (one screen per message; another transaction cannot see the message), so no savepoint: the
    item goes in with the batch's others in one INSERT (bot.storage.pending), and None is returned."""
    if reason not in REASONS:
        raise ValueError(f"unknown review reason {reason!r}")
    columns: dict[str, Any] = {
        "message_id": message_id,
        "patient_id": patient_id,
        "lang": lang,
        "reason": reason,
        "score": score,
        "evidence": evidence,
        "received_at": received_at,
        "due_at": received_at + timedelta(hours=due_hours),
        "status": "open",
    }
    if batched:
        unset = {"decided_by": None, "decided_at": None, "dismiss_reason": None, "case_id": None}
        pending.insert_later(session, _REVIEWS, {**columns, **unset})
        return None
    review = PvReview(**columns)
    try:
        async with session.begin_nested():
            session.add(review)
    except IntegrityError:
        return None
    return review


async def get(session: AsyncSession, review_id: int) -> PvReview | None:
    return await session.get(PvReview, review_id)


async def queue(
    session: AsyncSession, *, status: str = "open", reason: str | None = None, limit: int = 200
) -> list[ReviewRow]:
    """Review items, soonest due first (overdue at the top)."""
    query = (
        select(PvReview, Patient.patient_ref, Message.channel)
        .join(Message, Message.id == PvReview.message_id)
        .outerjoin(Patient, Patient.id == PvReview.patient_id)
        .where(PvReview.status == status)
        .order_by(PvReview.due_at, PvReview.id)
        .limit(limit)
    )
    if reason is not None:
        query = query.where(PvReview.reason == reason)
    rows = (await session.execute(query)).all()
    return [
        ReviewRow(r.id, r.reason, r.lang, r.score, r.received_at, r.due_at, r.status, ref, channel)
        for r, ref, channel in rows
    ]


async def count_open(session: AsyncSession, now: datetime) -> tuple[int, int]:
    """(open items, of which overdue)."""
    total = await session.scalar(select(func.count()).where(PvReview.status == "open")) or 0
    overdue = (
        await session.scalar(select(func.count()).where(PvReview.status == "open", PvReview.due_at < now))
        or 0
    )
    return int(total), int(overdue)


async def add_example(
    session: AsyncSession,
    *,
    message_id: int | None,
    lang: str,
    text: str,
    label: str,
    source: str,
    screen_tier: str,
    now: datetime,
) -> None:
    """Keep an officer's verdict as a labelled example (text encrypted)."""
    session.add(
        PvExample(
            message_id=message_id,
            lang=lang,
            text=text,
            label=label,
            source=source,
            screen_tier=screen_tier,
            created_at=now,
        )
    )


async def examples(
    session: AsyncSession, *, source: str | None = None, label: str | None = None
) -> list[PvExample]:
    query = select(PvExample).order_by(PvExample.id)
    if source is not None:
        query = query.where(PvExample.source == source)
    if label is not None:
        query = query.where(PvExample.label == label)
    return list((await session.scalars(query)).all())


# --- second look --------------------------------------------------------------------------------------------


async def clear_messages_without_look(
    session: AsyncSession, lang: str, start: datetime, end: datetime
) -> list[int]:
    """Ids of the clear free-text messages of one language in a period that are not in the queue yet."""
    query = (
        select(Message.id)
        .outerjoin(PvReview, PvReview.message_id == Message.id)
        .where(
            Message.direction == "in",
            Message.screen_tier == "clear",
            Message.language == lang,
            Message.created_at >= start,
            Message.created_at < end,
            PvReview.id.is_(None),
        )
    )
    return list((await session.scalars(query)).all())


async def second_looks_in(session: AsyncSession, lang: str, start: datetime, end: datetime) -> int:
    return int(
        await session.scalar(
            select(func.count()).where(
                PvReview.reason == SECOND_LOOK,
                PvReview.lang == lang,
                PvReview.received_at >= start,
                PvReview.received_at < end,
            )
        )
        or 0
    )


async def screened_languages(session: AsyncSession, start: datetime, end: datetime) -> list[str]:
    query = (
        select(Message.language)
        .where(
            Message.direction == "in",
            Message.language.is_not(None),
            Message.created_at >= start,
            Message.created_at < end,
        )
        .distinct()
    )
    return sorted(lang for lang in (await session.scalars(query)).all() if lang)


# --- quality counts -----------------------------------------------------------------------------------------


async def quality_counts(session: AsyncSession, start: datetime, end: datetime) -> list[LanguageCounts]:
    """Per language, what the screen said about the period's free-text messages and what officers decided.

    A flagged message is confirmed when its review was confirmed or its case was forwarded (or closed as a
    duplicate of another case); dismissed when its review was dismissed or its case closed as not an adverse
    event; pending otherwise.
    """
    in_period = and_(
        Message.direction == "in",
        Message.language.is_not(None),
        Message.created_at >= start,
        Message.created_at < end,
    )
    tiers = (
        await session.execute(
            select(Message.language, Message.screen_tier, func.count())
            .where(in_period)
            .group_by(Message.language, Message.screen_tier)
        )
    ).all()
    clear: dict[str, int] = {}
    langs: set[str] = set()
    for lang, tier, n in tiers:
        if lang is None:
            continue  # excluded by the query; this tells the type checker
        langs.add(lang)
        if tier == "clear":
            clear[lang] = clear.get(lang, 0) + int(n)
    verdicts = await _flagged_verdicts(session, in_period)
    looks = await _second_look_verdicts(session, in_period)
    return [
        LanguageCounts(
            lang=lang,
            flagged_confirmed=verdicts.get((lang, "confirmed"), 0),
            flagged_dismissed=verdicts.get((lang, "dismissed"), 0),
            flagged_pending=verdicts.get((lang, "pending"), 0),
            clear=clear.get(lang, 0),
            second_look_misses=looks.get((lang, "confirmed"), 0),
            second_look_cleared=looks.get((lang, "dismissed"), 0),
        )
        for lang in sorted(langs)
    ]


async def _flagged_verdicts(
    session: AsyncSession, in_period: ColumnElement[bool]
) -> dict[tuple[str, str], int]:
    """(lang, confirmed|dismissed|pending) -> messages the screen flagged (case or review tier)."""
    rows = (
        await session.execute(
            select(
                Message.language, Message.screen_tier, PvReview.status, PvCase.status, PvCase.closed_reason
            )
            .outerjoin(PvReview, and_(PvReview.message_id == Message.id, PvReview.reason == SCREEN))
            .outerjoin(PvCaseMessage, PvCaseMessage.message_id == Message.id)
            .outerjoin(PvCase, PvCase.id == PvCaseMessage.case_id)
            .where(in_period, Message.screen_tier.in_(("case", "review")))
        )
    ).all()
    out: dict[tuple[str, str], int] = {}
    for lang, _tier, review_status, case_status, closed_reason in rows:
        key = (lang or "und", _verdict(review_status, case_status, closed_reason))
        out[key] = out.get(key, 0) + 1
    return out


def _verdict(review_status: str | None, case_status: str | None, closed_reason: str | None) -> str:
    if review_status == "confirmed" or case_status == "forwarded" or closed_reason == "duplicate":
        return "confirmed"
    if review_status == "dismissed" or closed_reason == "not_adverse_event":
        return "dismissed"
    return "pending"


async def _second_look_verdicts(
    session: AsyncSession, in_period: ColumnElement[bool]
) -> dict[tuple[str, str], int]:
    rows = (
        await session.execute(
            select(PvReview.lang, PvReview.status, func.count())
            .join(Message, Message.id == PvReview.message_id)
            .where(in_period, PvReview.reason == SECOND_LOOK)
            .group_by(PvReview.lang, PvReview.status)
        )
    ).all()
    return {(lang, status): int(n) for lang, status, n in rows}
