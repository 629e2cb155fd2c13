"""Staff see a consent withdrawal on the patient's page: what was withdrawn, the patient's words, and when."""

from __future__ import annotations

from tests.console.conftest import Console, add_staff
from tests.core.test_keywords import _enrol
from tests.dialogue import ConsolePatient


async def test_a_support_agent_sees_the_withdrawal_with_the_patients_words(console: Console) -> None:
    patient = ConsolePatient(console.services, address="wd-page")
    await _enrol(patient, "de")
    await patient.says("Einwilligung widerrufen")
    assert "Sind Sie sicher?" in (await patient.says("2"))[0]
    done = await patient.says("Ja, ich bin sicher")
    assert "Ihre Einwilligung zur Verwendung Ihrer Daten wurde widerrufen." in done[0]
    ref = patient.last_outcome.patient_ref
    await add_staff(console.services, "sam", "support_agent")

    await console.sign_in("sam")
    page = await (await console.get(f"/staff/patients/{ref}")).text()
    assert "Consent withdrawn: use of data for the program" in page
    assert "Einwilligung widerrufen / 2 / Ja, ich bin sicher" in page
    listed = await (await console.get("/staff/patients?status=withdrawn")).text()
    assert ref is not None and ref in listed
