"""The review queue and the second look, on SQLite and PostgreSQL: what the screen doubts reaches an officer
with
its receipt-time clock; a confirmed item is a case from day zero; every verdict is a labelled example; a
random share of clear messages is looked at again, so production recall is measured, not assumed."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from bot.pv import review, review_store
from bot.pv.quality import estimate
from bot.pv.review import ReviewActionError
from bot.pv.second_look import SecondLookPolicy
from bot.storage.models import AuditEntry, Message, PvCaseEvent, PvExample, PvReview
from tests.pv.helpers import MILD, NEUTRAL, PvPatient, cases_of, linked_message_ids

DOUBT = "I feel a bit off today"  # a first-person state without a symptom: the screen is in doubt
OFFICER = "officer:olga"


def _policy(services: Any, rate: float, weekly_minimum: int = 20) -> None:
    services.pv_intake.second_look = SecondLookPolicy(rate=rate, weekly_minimum=weekly_minimum)


async def _reviews(services: Any) -> list[PvReview]:
    async with services.sessions() as session:
        return list((await session.scalars(select(PvReview).order_by(PvReview.id))).all())


async def test_a_doubtful_message_goes_to_review_not_to_a_case(services, clock) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 0.0)
    patient = PvPatient(services)
    await patient.enrol()
    received = clock.now
    replies = await patient.says(DOUBT)
    ref = (await patient.row()).patient_ref
    assert not any("drug safety team" in r for r in replies)  # no case, so no case promise to the patient
    assert await cases_of(services, (await patient.row()).id) == []
    [item] = await _reviews(services)
    assert (item.reason, item.status, item.lang) == ("screen", "open", "en")
    assert (item.received_at, item.due_at) == (received, received + timedelta(hours=24))
    async with services.sessions() as session:
        message = await session.get(Message, item.message_id)
        assert message is not None and (message.screen_tier, message.language) == ("review", "en")
        [row] = await review_store.queue(session)
        assert (row.patient_ref, row.channel, row.reason) == (ref, "console", "screen")
        assert await review_store.count_open(session, received + timedelta(hours=25)) == (1, 1)


async def test_confirming_opens_a_case_from_the_receipt_time_and_keeps_the_example(services, clock) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 0.0)
    patient = PvPatient(services)
    await patient.enrol()
    received = clock.now
    await patient.says(DOUBT)
    [item] = await _reviews(services)
    clock.advance(hours=20)  # the officer gets to it late in the day
    async with services.sessions() as session, session.begin():
        case = await review.confirm(session, item.id, OFFICER, now=clock.now, due_hours=24)
    assert (case.opened_at, case.due_at) == (received, received + timedelta(hours=24))
    assert case.product == "CardioZen" and case.status == "open"
    [item] = await _reviews(services)
    assert (item.status, item.decided_by, item.case_id) == ("confirmed", OFFICER, case.id)
    async with services.sessions() as session:
        [example] = (await session.scalars(select(PvExample))).all()
        assert (example.label, example.source, example.text, example.lang) == (
            "case",
            "review_confirmed",
            DOUBT,
            "en",
        )
        raw = await session.scalar(text("SELECT text FROM pv_examples"))
        assert raw.startswith("v1:") and DOUBT not in raw  # encrypted like messages
        last = await session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))
        assert last == "pv.review.confirm"
    async with services.sessions() as session, session.begin():
        with pytest.raises(ReviewActionError, match="already confirmed"):
            await review.dismiss(session, item.id, OFFICER, "changed my mind", now=clock.now)


async def test_dismissing_needs_a_reason_and_is_kept_as_a_clear_example(services, clock) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 0.0)
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(DOUBT)
    [item] = await _reviews(services)
    async with services.sessions() as session, session.begin():
        with pytest.raises(ReviewActionError, match="reason is required"):
            await review.dismiss(session, item.id, OFFICER, "   ", now=clock.now)
    async with services.sessions() as session, session.begin():
        await review.dismiss(session, item.id, OFFICER, "patient was tired after a long day", now=clock.now)
    [item] = await _reviews(services)
    assert item.status == "dismissed" and item.dismiss_reason == "patient was tired after a long day"
    async with services.sessions() as session:
        [example] = (await session.scalars(select(PvExample))).all()
    assert (example.label, example.source) == ("clear", "review_dismissed")


async def test_a_confirmed_second_look_is_a_case_found_late_with_its_original_day_zero(
    services, clock
) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 1.0)  # every clear free-text message is looked at again
    patient = PvPatient(services)
    await patient.enrol()
    received = clock.now
    await patient.says(NEUTRAL)
    [item] = await _reviews(services)
    assert item.reason == "second_look" and item.evidence == []
    clock.advance(days=3)
    async with services.sessions() as session, session.begin():
        case = await review.confirm(session, item.id, OFFICER, now=clock.now, due_hours=24)
    assert case.opened_at == received and case.due_at < clock.now  # late, and shown as late
    async with services.sessions() as session:
        actions = (
            await session.scalars(select(PvCaseEvent.action).where(PvCaseEvent.case_id == case.id))
        ).all()
        [example] = (await session.scalars(select(PvExample))).all()
    assert "found_late" in actions
    assert example.source == "second_look_miss" and example.screen_tier == "clear"


async def test_an_escalated_message_is_never_drawn_for_a_second_look(services) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 1.0)
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    assert await _reviews(services) == []


async def test_the_weekly_top_up_reaches_the_minimum_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 0.0)
    patient = PvPatient(services)
    await patient.enrol()
    for n in range(25):
        await patient.says(f"what time is the pharmacy open on day {n}")
    policy = SecondLookPolicy(rate=0.05, weekly_minimum=20)
    async with services.sessions() as session, session.begin():
        added = await review.top_up_second_looks(session, clock.now, policy, 24, random.Random(7))
    async with services.sessions() as session, session.begin():
        again = await review.top_up_second_looks(session, clock.now, policy, 24, random.Random(7))
    assert (added, again) == (20, 0)
    assert {r.reason for r in await _reviews(services)} == {"second_look"}


async def test_officers_verdicts_give_a_recall_estimate(services, clock) -> None:  # type: ignore[no-untyped-def]
    _policy(services, 1.0)
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)  # found by the screen
    await patient.says("the pharmacy is closed today")
    await patient.says("what time do you open")
    looks = [r for r in await _reviews(services) if r.reason == "second_look"]
    [case] = await cases_of(services, (await patient.row()).id)
    async with services.sessions() as session, session.begin():
        from bot.pv import actions

        await actions.mark_forwarded(session, case.id, OFFICER, "SAFETY-1", now=clock.now)
        await review.confirm(session, looks[0].id, OFFICER, now=clock.now, due_hours=24)  # a miss
        await review.dismiss(session, looks[1].id, OFFICER, "logistics", now=clock.now)
    async with services.sessions() as session:
        period = (clock.now - timedelta(days=1), clock.now + timedelta(seconds=1))
        [counts] = await review_store.quality_counts(session, *period)
    assert (counts.lang, counts.flagged_confirmed, counts.clear, counts.second_look_misses) == ("en", 1, 2, 1)
    result = estimate(counts)
    assert result["recall"]["value"] == pytest.approx(0.5)  # one found, one of two clear messages missed
    assert result["recall"]["low"] < 0.5 < result["recall"]["high"]


async def test_an_option_label_typed_again_by_another_patient_is_screened_alike(services) -> None:  # type: ignore[no-untyped-def]
    """The screen's result for an echoed label is remembered (bot.conversation.pipeline._screen_own_words):
    the second patient who types "I went to hospital" gets a case just as the first did."""
    _policy(services, 0.0)
    for address in ("patient-a", "patient-b"):
        patient = PvPatient(services, address=address)
        await patient.enrol()
        await patient.says(MILD)
        await _at_the_care_question(patient)
        [case] = await cases_of(services, (await patient.row()).id)
        before = set(await linked_message_ids(services, case.id))
        await patient.says("I went to hospital")
        async with services.sessions() as session:
            tier, last_in = (
                await session.execute(
                    select(Message.screen_tier, Message.id)
                    .where(Message.direction == "in")
                    .order_by(Message.id.desc())
                    .limit(1)
                )
            ).one()
        assert tier == "case", address
        assert last_in in set(await linked_message_ids(services, case.id)) - before, address


async def test_evidence_words_are_encrypted_at_rest(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    async with services.sessions() as session:
        raw = await session.scalar(text("SELECT evidence FROM pv_case_messages"))
    assert isinstance(raw, str) and raw.startswith("v1:") and "headache" not in raw


async def _at_the_care_question(patient: PvPatient) -> None:
    """Answer the follow-up questions with their first option until the care question is on screen."""
    for _ in range(8):
        keys = [o["key"] for o in patient.last_options]
        if "pv:care:hospital" in keys:
            return
        assert keys, "the follow-up questions ended before the care question"
        await patient.says(patient.last_options[0]["label"], option=keys[0])
    raise AssertionError("no care question")


@pytest.mark.parametrize("hours_later", [0, 13])
async def test_typing_an_option_label_that_names_an_event_is_screened(services, clock, hours_later) -> None:  # type: ignore[no-untyped-def]
    """The follow-up option "I went to hospital" typed as text, at once or after the question expired: the
    echo rule must not hide it (it once did, 13 hours after the question)."""
    _policy(services, 0.0)
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    await _at_the_care_question(patient)
    clock.advance(hours=hours_later)
    await patient.says("I went to hospital")
    [case] = await cases_of(services, (await patient.row()).id)
    async with services.sessions() as session:
        tier = await session.scalar(
            select(Message.screen_tier).order_by(Message.id.desc()).where(Message.direction == "in")
        )
        last_in = await session.scalar(
            select(Message.id).order_by(Message.id.desc()).where(Message.direction == "in")
        )
    assert tier == "case"
    assert last_in in await linked_message_ids(services, case.id)  # the case hears of the hospital visit
