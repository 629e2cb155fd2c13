"""The review queue: what the screen doubts, and a random second look at what it left clear.

An officer confirms an item in one click (it opens or extends a PV case whose day zero is the message's
receipt, not the review time; a confirmed second look is a miss, so its case is marked as found late) or
dismisses it with a reason. Every verdict is kept as a labelled example and written to the audit log in the
same transaction.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.pv import review_store as store
from bot.pv import store as cases
from bot.pv.second_look import SecondLookPolicy, choose, draw_at_receipt, top_up_count, week_of
from bot.storage import audit
from bot.storage.inbound import StoredMessage
from bot.storage.models import Message, Patient, PvCase, PvCaseMessage, PvReview

MAX_DISMISS_REASON = 2000


class ReviewActionError(ValueError):
    """An officer's action that cannot be done (already decided, no reason given); the message says why."""


async def after_screen(
    session: AsyncSession,
    *,
    message: Message | StoredMessage,
    tier: str,
    lang: str,
    score: float,
    evidence: list[str],
    review_hours: int,
    policy: SecondLookPolicy,
    rng: random.Random | None = None,
) -> PvReview | None:
    """Record the screen's outcome on the message; queue it when in doubt, or (clear) when drawn for a second
    look. Returns the item queued; None when none was, or when it goes in with its batch's items."""
    message.language, message.screen_tier = lang, tier
    if tier == "review":
        reason = store.SCREEN
    elif tier == "clear" and draw_at_receipt(policy, rng):
        reason = store.SECOND_LOOK
    else:
        return None
    return await store.enqueue(
        session,
        message_id=message.id,
        patient_id=message.patient_id,
        lang=lang,
        reason=reason,
        score=score,
        evidence=evidence if tier == "review" else [],
        received_at=message.created_at,
        due_hours=review_hours,
        batched=isinstance(message, StoredMessage),  # stored by this batch's transaction
    )


async def confirm(
    session: AsyncSession,
    review_id: int,
    actor: str,
    *,
    kind: str = "adverse_event",
    serious: bool = False,
    now: datetime,
    due_hours: int,
) -> PvCase:
    """The officer says it is reportable: a case now, its clock from the message's receipt."""
    review = await _open_review(session, review_id)
    message = await session.get(Message, review.message_id)
    assert message is not None  # a foreign key
    program_id = None
    if review.patient_id is not None:
        program_id = await session.scalar(select(Patient.program_id).where(Patient.id == review.patient_id))
    case, _ = await cases.open_or_extend_case(
        session,
        patient_id=review.patient_id,
        program_id=program_id,
        product=await cases.patient_program_product(session, review.patient_id),
        message_id=review.message_id,
        kind=kind,
        situations=[],
        serious=serious,
        evidence=list(review.evidence or []),
        received_at=review.received_at,
        due_hours=due_hours,
    )
    await session.flush()
    found_late = review.reason == store.SECOND_LOOK
    await cases.record_action(
        session,
        case.id,
        actor,
        "found_late" if found_late else "review_confirmed",
        {"review_id": review.id, "message_id": review.message_id, "reason": review.reason},
        at=now,
    )
    review.status, review.decided_by, review.decided_at, review.case_id = "confirmed", actor, now, case.id
    source = "second_look_miss" if found_late else "review_confirmed"
    await _keep(session, review, message, "case", source, now)
    await audit.append(
        session,
        actor=actor,
        action="pv.review.confirm",
        target=f"pv_review:{review.id}",
        now=now,
        detail={"case": cases.case_ref(case.id), "reason": review.reason, "found_late": found_late},
    )
    return case


async def dismiss(
    session: AsyncSession, review_id: int, actor: str, reason: str, *, now: datetime
) -> PvReview:
    """Nothing to report: the officer's reason is required and kept (encrypted) with the item."""
    why = (reason or "").strip()
    if not why:
        raise ReviewActionError("a reason is required to dismiss a review item")
    if len(why) > MAX_DISMISS_REASON:
        raise ReviewActionError(f"the reason is longer than {MAX_DISMISS_REASON} characters")
    review = await _open_review(session, review_id)
    message = await session.get(Message, review.message_id)
    assert message is not None
    review.status, review.decided_by, review.decided_at = "dismissed", actor, now
    review.dismiss_reason = why
    source = "second_look_clear" if review.reason == store.SECOND_LOOK else "review_dismissed"
    await _keep(session, review, message, "clear", source, now)
    await audit.append(
        session,
        actor=actor,
        action="pv.review.dismiss",
        target=f"pv_review:{review.id}",
        now=now,
        detail={"reason": review.reason},
    )
    return review


async def _open_review(session: AsyncSession, review_id: int) -> PvReview:
    review = await store.get(session, review_id)
    if review is None:
        raise ReviewActionError("there is no such review item")
    if review.status != "open":
        raise ReviewActionError(f"this item was already {review.status} by {review.decided_by}")
    return review


async def _keep(
    session: AsyncSession, review: PvReview, message: Message, label: str, source: str, now: datetime
) -> None:
    await store.add_example(
        session,
        message_id=message.id,
        lang=review.lang,
        text=message.body,
        label=label,
        source=source,
        screen_tier=message.screen_tier or ("review" if review.reason == store.SCREEN else "clear"),
        now=now,
    )


async def top_up_second_looks(
    session: AsyncSession,
    now: datetime,
    policy: SecondLookPolicy,
    review_hours: int,
    rng: random.Random | None = None,
) -> int:
    """Bring each language's second looks of the current week up to the policy's weekly minimum.

    Drawn uniformly from the week's clear messages not yet looked at, so the sample stays blind to the text.
    Idempotent: a second run in the same week finds the minimum reached. Returns how many were added.
    """
    start, end = week_of(now)
    added = 0
    for lang in await store.screened_languages(session, start, end):
        sampled = await store.second_looks_in(session, lang, start, end)
        candidates = await store.clear_messages_without_look(session, lang, start, end)
        wanted = top_up_count(policy, sampled, sampled + len(candidates))
        for message_id in choose(candidates, wanted, rng):
            message = await session.get(Message, message_id)
            if message is None:
                continue
            queued = await store.enqueue(
                session,
                message_id=message_id,
                patient_id=message.patient_id,
                lang=lang,
                reason=store.SECOND_LOOK,
                score=0.0,
                evidence=[],
                received_at=message.created_at,
                due_hours=review_hours,
            )
            added += queued is not None
    return added


async def keep_case_verdict(
    session: AsyncSession, case_id: int, label: str, source: str, now: datetime
) -> None:
    """A case forwarded (reportable) or closed as not an adverse event: its messages become labelled
    examples."""
    rows = await session.execute(
        select(Message)
        .join(PvCaseMessage, PvCaseMessage.message_id == Message.id)
        .where(PvCaseMessage.case_id == case_id)
    )
    for message in rows.scalars():
        await store.add_example(
            session,
            message_id=message.id,
            lang=message.language or "und",
            text=message.body,
            label=label,
            source=source,
            screen_tier=message.screen_tier or "case",
            now=now,
        )
