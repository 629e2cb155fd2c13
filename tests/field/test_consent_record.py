"""Item 16: a consent record names the program's own consent version and a hash of the exact text shown."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from bot.enrolment.rules import consent_text
from bot.storage import queries
from tests.field.helpers import FieldPatient


async def _consents(services, patient: FieldPatient):  # type: ignore[no-untyped-def]
    row = await patient.row()
    async with services.sessions() as session:
        return await queries.consents_of(session, row.id)


async def test_consent_records_the_programs_version_and_the_hash_of_the_words_shown(services) -> None:  # type: ignore[no-untyped-def]
    # A program whose consent text has its own version.
    programs = services.conversation.programs
    programs["ostelix-weekly"] = replace(programs["ostelix-weekly"], consent_version="OX-CONSENT-2026-3")
    pt = FieldPatient(services, address="consent-pt")
    await pt.enrol("hi", "Português", "sim", "DEMO-OX-2026", "São Paulo", "10:00")
    ar = FieldPatient(services, address="consent-ar")
    await ar.enrol("hi", "العربية", "نعم", "DEMO-OX-2026", "الرياض", "10:00")
    [pt_consent] = await _consents(services, pt)
    [ar_consent] = await _consents(services, ar)
    assert (pt_consent.granted, pt_consent.text_version, pt_consent.language) == (
        True,
        "OX-CONSENT-2026-3",
        "pt",
    )
    assert pt_consent.text_hash == hashlib.sha256(consent_text("pt").encode()).hexdigest()
    assert ar_consent.text_hash == hashlib.sha256(consent_text("ar").encode()).hexdigest()
    assert pt_consent.text_hash != ar_consent.text_hash  # each language's exact words
    assert "Você concorda?" in consent_text("pt")


async def test_a_decline_is_recorded_at_once_with_the_text_shown(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="consent-no")
    await patient.enrol("hi", "English", "no")
    [declined] = await _consents(services, patient)
    assert (declined.granted, declined.verbatim, declined.language) == (False, "no", "en")
    assert declined.text_hash == hashlib.sha256(consent_text("en").encode()).hexdigest()
