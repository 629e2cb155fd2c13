"""Item 8: a message the menu cannot place gets what fits it: the approved missed-dose guide, a person, the
menu."""

from __future__ import annotations

import pytest

from bot.conversation.fallback import about_a_missed_dose
from tests.field.helpers import FieldPatient, tasks_of


async def _enrolled(services, address: str, *answers: str) -> FieldPatient:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address=address)
    await patient.enrol("hi", *answers)
    return patient


async def test_forgotten_pills_get_the_approved_missed_dose_guide(services) -> None:  # type: ignore[no-untyped-def]
    patient = await _enrolled(services, "forgot-1", "English", "yes", "DEMO-CZ-2026", "Madrid", "9:00")
    [offer] = await patient.says("I forgot my pills at my sister's house")
    assert "did not understand" not in offer
    assert "If you missed a dose, this approved guide says what to do" in offer
    assert [o["label"] for o in patient.last_options] == ["If you forget a dose", "Talk to a person"]
    guide = "\n".join(await patient.says("1"))
    assert "Never take two tablets" in guide  # the approved module itself


async def test_the_offer_leads_to_a_person_too(services) -> None:  # type: ignore[no-untyped-def]
    patient = await _enrolled(services, "forgot-2", "Português", "sim", "DEMO-OX-2026", "São Paulo", "10:00")
    [offer] = await patient.says("esqueci a caneta na casa da minha irmã")
    assert "este guia aprovado explica o que fazer" in offer
    [called] = await patient.says("2")
    assert "equipe de apoio" in called
    assert [t.kind for t in await tasks_of(services, (await patient.row()).id)] == ["callback"]


async def test_anything_else_still_gets_the_menu(services) -> None:  # type: ignore[no-untyped-def]
    patient = await _enrolled(services, "other", "English", "yes", "DEMO-CZ-2026", "Madrid", "9:00")
    [reply] = await patient.says("what is the weather like")
    assert "did not understand" in reply and "What would you like to do?" in reply


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my pills",
        "olvidé la pastilla",
        "j'ai oublié mon comprimé",
        "Tablette vergessen",
        "نسيت الدواء",
    ],
)
def test_missed_dose_cues_in_every_language(text: str) -> None:
    assert about_a_missed_dose(text)
