"""Item 7: a self-harm cue gets the country's crisis line beside the emergency number, in the patient's
language, an urgent call-back task, and the PV case opens as for any report."""

from __future__ import annotations

import pytest

from bot.conversation.self_harm import self_harm_cue
from bot.staff import console_store
from tests.field.helpers import FieldPatient, tasks_of
from tests.pv.helpers import cases_of

# language, enrolment answers, the cue, crisis line, emergency number, a word of the reply in that language
CASES = [
    (
        "en",
        ("English", "yes", "New York"),
        "I keep thinking about hurting myself",
        "988",
        "911",
        "crisis line",
    ),
    ("pt", ("Português", "sim", "São Paulo"), "queria dormir e não acordar mais", "188", "192", "ligue"),
    ("es", ("español", "sí", "Madrid"), "ya no quiero vivir", "024", "112", "llame"),
    ("fr", ("Français", "oui", "Paris"), "j'ai envie de mourir", "3114", "112", "appelez"),
    (
        "de",
        ("Deutsch", "ja", "Berlin"),
        "ich will nicht mehr leben",
        "0800 111 0 111",
        "112",
        "Krisentelefon",
    ),
    ("ar", ("العربية", "نعم", "الرياض"), "أفكر في إيذاء نفسي", None, "997", "اتصلوا"),
]


@pytest.mark.parametrize(("lang", "answers", "cue", "crisis", "emergency", "word"), CASES)
async def test_self_harm_cue_gets_crisis_line_and_urgent_task(  # type: ignore[no-untyped-def]
    services, lang, answers, cue, crisis, emergency, word
) -> None:
    patient = FieldPatient(services, address=f"sh-{lang}")
    choice, yes, city = answers
    await patient.enrol("hi", choice, yes, "DEMO-CZ-2026", city, "9:00")
    replies = await patient.says(cue)
    assert len(replies) == 1, replies  # no follow-up questionnaire after a message like this
    [reply] = replies
    assert emergency in reply and word in reply
    if crisis:
        assert crisis in reply
    row = await patient.row()
    [task] = await tasks_of(services, row.id)
    assert (task.kind, task.urgent, task.status) == ("self_harm", True, "open")
    [case] = await cases_of(services, row.id)
    assert case.serious and case.status == "open"


async def test_urgent_tasks_are_listed_first_for_staff(services) -> None:  # type: ignore[no-untyped-def]
    first = FieldPatient(services, address="calm")
    await first.enrol("hi", "English", "yes", "DEMO-CZ-2026", "Madrid", "9:00")
    await first.says("Talk to a person")
    second = FieldPatient(services, address="distress")
    await second.enrol("hi", "English", "yes", "DEMO-CZ-2026", "Madrid", "9:00")
    await second.says("I keep thinking about hurting myself")
    async with services.sessions() as session:
        rows = await console_store.tasks(session)
    assert [(t.kind, t.urgent) for t, _ in rows] == [("self_harm", True), ("callback", False)]


@pytest.mark.parametrize(
    "text", ["I took my tablet this morning", "my wife hurt her back", "the pen hurt a bit"]
)
def test_ordinary_messages_are_not_self_harm_cues(text: str) -> None:
    assert self_harm_cue(text) is None
