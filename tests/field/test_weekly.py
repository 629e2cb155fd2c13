"""Item 2: a weekly program's patients are told their weekday, never "every day", in every language."""

from __future__ import annotations

import pytest
from babel.dates import get_day_names

from tests.field.helpers import FieldPatient

# language -> (language choice, yes, city, that city's emergency number, "every day" in that language)
ENROL = {
    "en": ("English", "yes", "New York", "911", "every day"),
    "es": ("español", "sí", "Madrid", "112", "todos los días"),
    "fr": ("Français", "oui", "Paris", "112", "chaque jour"),
    "de": ("Deutsch", "ja", "Berlin", "112", "jeden Tag"),
    "pt": ("Português", "sim", "São Paulo", "192", "todos os dias"),
    "ar": ("العربية", "نعم", "الرياض", "997", "كل يوم"),
}
SERIOUS = {
    "en": "I was taken to hospital last night, I could not breathe",
    "pt": "fui levado ao hospital ontem à noite, não conseguia respirar",
    "ar": "نُقلت إلى المستشفى الليلة الماضية، لم أستطع التنفس",
}


@pytest.mark.parametrize("lang", list(ENROL))
async def test_weekly_enrolment_names_the_weekday(services, lang) -> None:  # type: ignore[no-untyped-def]
    choice, yes, city, _, every_day = ENROL[lang]
    patient = FieldPatient(services, address=f"weekly-{lang}")
    said = await patient.enrol("hi", choice, yes, "DEMO-OX-2026", city, "10:00")
    welcome = said[-2]
    sunday = get_day_names("wide", locale=lang)[6]
    assert sunday in welcome, welcome
    assert every_day.casefold() not in welcome.casefold()
    row = await patient.row()
    assert (row.status, row.program_id) == ("active", "ostelix-weekly")


@pytest.mark.parametrize("lang", ["en", "pt", "ar"])
async def test_weekly_patient_gets_their_countrys_emergency_number(services, lang) -> None:  # type: ignore[no-untyped-def]
    choice, yes, city, emergency, _ = ENROL[lang]
    patient = FieldPatient(services, address=f"weekly-sos-{lang}")
    await patient.enrol("hi", choice, yes, "DEMO-OX-2026", city, "10:00")
    replies = await patient.says(SERIOUS[lang])
    assert emergency in replies[0] and ("112" not in replies[0]), replies


async def test_changing_the_time_confirms_the_weekday(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="weekly-change")
    await patient.enrol("hi", "Português", "sim", "DEMO-OX-2026", "São Paulo", "10:00")
    await patient.says("Meus lembretes")
    options = [o["label"] for o in patient.last_options]
    await patient.says(str(next(i for i, label in enumerate(options, 1) if "horário" in label.casefold())))
    [done] = await patient.says("18:30")
    assert "domingo" in done and "18:30" in done, done
