"""After the safety reply the patient is offered the approved questions one at a time; answers join the case
verbatim; MENU or silence skips; a new safety message during the questions still escalates."""

from __future__ import annotations

from bot.pv import store
from bot.storage import queries
from tests.pv.helpers import MILD, SERIOUS, PvPatient, cases_of


def _texts(replies: list[str]) -> list[str]:
    """The messages without the numbered options the console prints under them."""
    return [reply.split("\n  1. ")[0] for reply in replies]


async def _answers(services, case_id: int) -> list[tuple[str, str, str | None]]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return [(a.question, a.answer, a.option) for a in await store.case_answers(session, case_id)]


async def test_three_questions_one_at_a_time_answers_attached_verbatim(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    assert "answer a few short questions" in patient.received[-1] and "MENU" in patient.received[-1]
    replies = await patient.says("yesterday evening, after dinner")
    assert _texts(replies) == ["Is it still going on?"]
    assert [o["label"] for o in patient.last_options] == ["Yes", "No, it has stopped", "It is getting better"]
    clock.advance(minutes=3)
    assert _texts(await patient.says("2")) == ["Did you see a doctor or go to hospital because of it?"]
    assert _texts(await patient.says("no")) == ["Thank you. Your answers have been added to your report."]
    [case] = await cases_of(services, (await patient.row()).id)
    assert await _answers(services, case.id) == [
        ("onset", "yesterday evening, after dinner", None),
        ("ongoing", "2", "pv:ongoing:no"),
        ("care", "no", "pv:care:no"),
    ]
    async with services.sessions() as session:
        answers = await store.case_answers(session, case.id)
        events = await store.case_events(session, case.id)
        state = await queries.get_state(session, case.patient_id)
    assert answers[1].answered_at == clock.now and all(a.message_id for a in answers)
    assert [e.action for e in events].count("followup_answered") == 3
    assert state is None
    assert _texts(await patient.says("hello")) == [
        "Sorry, I did not understand that. What would you like to do?"
    ]


async def test_menu_skips_the_questions(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    replies = await patient.says("MENU")
    assert _texts(replies) == ["What would you like to do?"]
    [case] = await cases_of(services, (await patient.row()).id)
    assert await _answers(services, case.id) == []


async def test_an_unanswered_question_expires(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    clock.advance(hours=13)
    replies = await patient.says("1")  # the next day "1" is the menu's first choice, not "today"
    assert "reminder" in replies[0].lower()
    [case] = await cases_of(services, (await patient.row()).id)
    assert await _answers(services, case.id) == []


async def test_a_safety_message_during_the_questions_still_escalates(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    await patient.says("1")  # today
    await patient.says("yes")  # still going on
    replies = await patient.says(SERIOUS)  # in answer to "did you see a doctor?"
    assert "Please call 999 or go to the nearest emergency department now" in replies[0]  # London: GB
    assert replies[-1] == "Thank you. Your answers have been added to your report."
    [case] = await cases_of(services, (await patient.row()).id)
    assert case.serious
    assert [q for q, _, _ in await _answers(services, case.id)] == ["onset", "ongoing", "care"]
    assert (await _answers(services, case.id))[2][1] == SERIOUS


async def test_a_second_report_to_the_same_case_asks_only_what_is_missing(services, clock) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    await patient.says("today")
    await patient.says("MENU")
    clock.advance(hours=5)
    replies = await patient.says(MILD)
    assert "Is it still going on?" in replies[-1] and "When did it start?" not in replies[-1]


async def test_report_a_side_effect_from_the_menu_leads_to_the_same_intake(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    prompt = await patient.says("3")  # Report a side effect
    assert "Please describe what happened" in prompt[0]
    text = "my ankles are swollen in the evening"
    replies = await patient.says(text)
    assert "drug safety team" in replies[0]
    assert "When did it start?" in replies[-1]
    [case] = await cases_of(services, (await patient.row()).id)
    assert case.kind == "adverse_event" and case.product == "CardioZen"
    async with services.sessions() as session:
        [(_link, message)] = await store.case_messages(session, case.id)
    assert message.body == text


async def test_choosing_a_menu_entry_by_name_leaves_the_questions(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    replies = await patient.says("Talk to a person")
    assert replies == ["A member of the support team will contact you soon."]
    [case] = await cases_of(services, (await patient.row()).id)
    assert await _answers(services, case.id) == []


async def test_a_hospital_answer_makes_the_case_possibly_serious(services) -> None:  # type: ignore[no-untyped-def]
    patient = PvPatient(services)
    await patient.enrol()
    await patient.says(MILD)
    await patient.says("2")  # yesterday
    await patient.says("1")  # still going on
    [case] = await cases_of(services, (await patient.row()).id)
    assert not case.serious
    await patient.says("I went to hospital")  # our own option's words: not screened, but the answer counts
    [case] = await cases_of(services, case.patient_id)
    assert case.serious
    assert (await _answers(services, case.id))[-1] == ("care", "I went to hospital", "pv:care:hospital")
    async with services.sessions() as session:
        events = await store.case_events(session, case.id)
    assert [(e.actor, e.action) for e in events][-2:] == [
        ("patient", "followup_answered"),
        ("patient", "seriousness_raised"),
    ]
