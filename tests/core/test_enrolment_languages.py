"""A whole enrolment in each of the six languages, typed the way a patient of that language would type it."""

from __future__ import annotations

import pytest

from bot.storage import queries
from tests.dialogue import ConsolePatient, run_dialogue

# (language choice, yes, city as written in that language, time as typed, fragments of the code prompt,
# welcome, zone)
SCRIPTS = {
    "en": ("English", "yes", "London", "8:30 pm", "enrolment code", "You are enrolled", "Europe/London"),
    "es": (
        "español",
        "sí",
        "Ciudad de México",
        "21:00",
        "código de inscripción",
        "Su inscripción",
        "America/Mexico_City",
    ),
    "fr": ("Français", "oui", "Le Caire", "21h", "code d'inscription", "Votre inscription", "Africa/Cairo"),
    "de": ("deutsch", "ja", "Wien", "21 Uhr", "Anmeldecode", "angemeldet", "Europe/Vienna"),
    "pt": ("portugues", "sim", "Lisboa", "21h00", "código de inscrição", "Sua inscrição", "Europe/Lisbon"),
    "ar": ("العربية", "نعم", "القاهرة", "٢١:٠٠", "رمز التسجيل", "تم تسجيلكم", "Africa/Cairo"),
}


@pytest.mark.parametrize("lang", list(SCRIPTS))
async def test_enrolment_in_each_language(services, lang: str) -> None:  # type: ignore[no-untyped-def]
    choice, yes, city, time, code_prompt, welcome, zone = SCRIPTS[lang]
    patient = ConsolePatient(services, address=f"lang-{lang}")
    await run_dialogue(
        patient,
        [
            ("hello", ["English", "Español", "Français", "Deutsch", "Português", "العربية"]),
            (choice, []),
            (yes, code_prompt),
            ("demo-cz-2026", []),
            (city, []),
            (time, welcome),
        ],
    )
    async with services.sessions() as session:
        address = await queries.find_address(session, "console", f"lang-{lang}")
        assert address is not None
        row = await queries.get_patient(session, address.patient_id)
        consents = await queries.consents_of(session, address.patient_id)
    assert row is not None
    assert (row.locale, row.status, row.timezone, row.reminder_times) == (
        lang,
        "active",
        zone,
        ["21:00" if lang != "en" else "20:30"],
    )
    assert [(c.granted, c.verbatim) for c in consents] == [(True, yes)]


async def test_telegram_language_hint_opens_enrolment_in_that_language(services) -> None:  # type: ignore[no-untyped-def]
    patient = ConsolePatient(services, address="hinted", language_hint="pt-BR")
    first = "\n".join(await patient.says("/start", event="started"))
    assert "Bem-vindo" in first or "Boas-vindas" in first or "programa" in first
    assert "Português" in first  # the choice is still offered


def test_arabic_values_are_isolated_so_phone_numbers_keep_their_order() -> None:
    from bot.i18n import t

    text = t("ar", "To talk to a person, call {phone}.", phone="+34 900 123 456")
    assert "\u2068+34 900 123 456\u2069" in text
    assert "\u2068" not in t("es", "To talk to a person, call {phone}.", phone="+34 900 123 456")
