"""The Learn menu as a patient uses it: the list of what they may read, the module in their language, the
quiz, "Read more" on SMS, the fallback language with a staff task — and the delivery record an auditor
reads."""

from __future__ import annotations

import pytest

from tests.learn.helpers import (
    ALL_LANGS,
    LEARN,
    MODULES,
    approved_full_text,
    deliveries,
    enrol,
    number_of,
    outbox_text,
    program_text,
    remove_translation,
    set_field,
    tasks,
)


@pytest.mark.parametrize(
    ("lang", "title", "absent"),
    [("en", "How to take CardioZen", "Cómo tomar"), ("es", "Cómo tomar CardioZen", "How to take")],
)
async def test_learn_lists_what_the_patient_may_read_and_sends_the_approved_text(
    services, lang, title, absent
) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, f"learn-{lang}", lang)
    listing = "\n".join(await patient.says(LEARN[lang]))
    assert title in listing and absent not in listing
    assert len(patient.last_options) == 9  # every module of the CardioZen program, all approved today
    module, question = await patient.says(number_of(patient.last_options, title))
    assert module == approved_full_text("cz-how-to-take", lang)
    assert "**" not in module
    quiz = MODULES["cz-how-to-take"].translation(lang).quiz  # type: ignore[union-attr]
    assert quiz is not None
    assert question.startswith(quiz.question)
    assert [o["label"] for o in patient.last_options] == list(quiz.options)


async def test_the_delivery_record_says_which_approved_text_went_out_and_why(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "audit", "es")
    clock.advance(minutes=5)
    await patient.says("2")
    received = await patient.says(number_of(patient.last_options, "Si olvida una dosis"))
    [row] = await deliveries(services, patient)
    assert (row.module_id, row.version, row.language, row.requested_language, row.fallback) == (
        "cz-missed-dose",
        "1.0",
        "es",
        "es",
        False,
    )
    assert row.approval_reference == "DEMO-MLR-2026-008-ES"
    assert (row.variant, row.reason, row.channel, row.program_id) == (
        "full",
        "browse",
        "console",
        "cardiozen-daily",
    )
    assert row.sent_at == clock.now
    assert row.opened_at is None and row.quiz_answer is None and row.quiz_answered_at is None
    assert row.outbox_id is not None
    assert await outbox_text(services, row.outbox_id) == received[0]  # the row points at the message sent

    clock.advance(minutes=1)
    await patient.says("1")  # "take two tablets": wrong
    [answered, remedial] = await deliveries(services, patient)
    assert (answered.quiz_answer, answered.quiz_answered_at) == ("wrong", clock.now)
    assert (remedial.module_id, remedial.reason) == (
        "cz-how-to-take-recap",
        "after:quiz_wrong:cz-missed-dose",
    )


@pytest.mark.parametrize(
    ("lang", "wrong", "verdict"),
    [("en", "Twice a week", "Not quite."), ("es", "Dos veces por semana", "No exactamente.")],
)
async def test_a_wrong_quiz_answer_gets_the_approved_explanation_then_the_remedial_module(
    services, lang, wrong, verdict
) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, f"quiz-{lang}", lang)
    await patient.says("2")
    title = MODULES["cz-how-to-take"].translation(lang).title  # type: ignore[union-attr]
    await patient.says(number_of(patient.last_options, title))
    explanation, recap = await patient.says(wrong)  # the answer typed in words
    quiz = MODULES["cz-how-to-take"].translation(lang).quiz  # type: ignore[union-attr]
    assert quiz is not None
    assert explanation == f"{verdict} {quiz.explanation}"
    assert recap == approved_full_text("cz-how-to-take-recap", lang)


async def test_a_correct_answer_is_recorded_and_sends_no_remedial(services) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "right", "en")
    await patient.says("2")
    await patient.says(number_of(patient.last_options, "How to take CardioZen"))
    replies = await patient.says("1")
    assert replies == ["Correct! One tablet once a day, every day, even when you feel well."]
    assert [(d.module_id, d.quiz_answer) for d in await deliveries(services, patient)] == [
        ("cz-how-to-take", "correct")
    ]
    after = await patient.says("hello")  # the quiz is over: back to the menu
    assert "What would you like to do?" in after[-1]


async def test_sms_gets_the_short_text_and_read_more_sends_the_full_one(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "+447700900123", "en", channel="sms")
    await patient.says("2")
    [short] = await patient.says(number_of(patient.last_options, "How to take CardioZen"))
    sms = MODULES["cz-how-to-take"].translation("en").sms  # type: ignore[union-attr]
    assert short == f"{sms}\n  1. Read more"  # the approved short text, and the way to the full one
    clock.advance(minutes=3)
    full, question = await patient.says("1")
    assert full == approved_full_text("cz-how-to-take", "en")
    assert question.startswith("How often do you take CardioZen?")
    first, second = await deliveries(services, patient)
    assert (first.variant, first.reason, first.opened_at) == ("sms", "browse", clock.now)
    assert (second.variant, second.reason, second.opened_at) == ("full", "read_more", None)


@pytest.mark.content_edit(remove_translation("cz-missed-dose", "es"))
async def test_a_missing_translation_falls_back_and_staff_are_told_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    first = await enrol(services, "fallback-1", "es")
    second = await enrol(services, "fallback-2", "es")
    for patient in (first, second, first):
        await patient.says(LEARN["es"])  # the menu entry's words leave an unanswered quiz behind
        chosen = await patient.says(
            number_of(patient.last_options, "If you forget a dose")
        )  # the English title
        assert chosen[0] == approved_full_text("cz-missed-dose", "en")
        clock.advance(minutes=1)
    rows = await deliveries(services)
    assert {(r.module_id, r.language, r.requested_language, r.fallback) for r in rows} == {
        ("cz-missed-dose", "en", "es", True)
    }
    assert len(rows) == 3
    [task] = await tasks(services, "translation_missing")
    assert task.status == "open" and task.patient_id is None
    assert "cz-missed-dose" in task.detail and "'es'" in task.detail


@pytest.mark.content_edit(
    remove_translation("cz-missed-dose", "es"),
    program_text("cardiozen-daily.yaml", "fallback_language: en", "fallback_language: null"),
)
async def test_without_a_fallback_a_missing_translation_is_simply_not_offered(services) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "no-fallback", "es")
    await patient.says("2")
    labels = [o["label"] for o in patient.last_options]
    assert "If you forget a dose" not in labels and "Si olvida una dosis" not in labels
    assert len(labels) == 8
    assert await tasks(services, "translation_missing") == []


@pytest.mark.content_edit(set_field("cz-missed-dose", ALL_LANGS, "expires_on", "2026-11-02"))
async def test_a_module_that_expires_after_the_list_was_shown_is_not_sent(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = await enrol(services, "late", "en")
    await patient.says("2")
    number = number_of(patient.last_options, "If you forget a dose")  # still approved today
    clock.advance(days=1)  # past its expiry date
    replies = await patient.says(number)
    assert replies[0] == "This is no longer available."
    assert "If you forget a dose" not in replies[1]
    assert await deliveries(services, patient) == []
