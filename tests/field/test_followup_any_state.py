"""Item 6: the follow-up questions after a side-effect report are offered whatever the patient was doing."""

from __future__ import annotations

from bot.pv import questions
from bot.storage import queries
from tests.field.helpers import FieldPatient

MILD = "I have a headache and feel dizzy since I started the tablets"


async def _answer_all_questions(patient: FieldPatient) -> list[str]:
    thanks = questions.thanks("en").text
    said: list[str] = []
    for _ in range(10):
        said = await patient.says("1")
        if any(thanks in line for line in said):
            return said
    raise AssertionError(f"the questions never ended: {said}")


async def _state(services, patient: FieldPatient) -> str | None:  # type: ignore[no-untyped-def]
    row = await patient.row()
    async with services.sessions() as session:
        state = await queries.get_state(session, row.id)
        return state.flow if state else None


async def test_a_report_from_my_reminders_gets_the_questions_then_goes_back(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="from-reminders")
    await patient.enrol("hi", "English", "yes", "DEMO-CZ-2026", "Madrid", "9:00")
    assert "Your reminders:" in "\n".join(await patient.says("My reminders"))
    replies = await patient.says(MILD)
    assert "drug safety team will review your message" in replies[0]
    assert "When did it start?" in replies[-1], replies
    await _answer_all_questions(patient)
    assert await _state(services, patient) == "reminder_settings"  # back where the report interrupted them


async def test_a_report_from_the_learn_list_gets_the_questions(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="from-learn")
    await patient.enrol("hi", "English", "yes", "DEMO-CZ-2026", "Madrid", "9:00")
    await patient.says("Learn about my treatment")
    replies = await patient.says(MILD)
    assert "When did it start?" in replies[-1], replies
