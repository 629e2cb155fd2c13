"""Item 1: the emergency number and support phone a patient is told follow their own country."""

from __future__ import annotations

import pytest

from bot.conversation.country import TASK_KIND
from tests.field.helpers import SERIOUS, FieldPatient, tasks_of

# (channel, address, city typed or "yes" to the suggested zone, country, emergency number, support phone)
CASES = [
    ("sms", "+12125550123", "yes", "US", "911", "+1 555 0100"),
    ("telegram", "4242", "Ciudad de México", "MX", "911", "+1 555 0100"),
    ("console", "sp-1", "São Paulo", "BR", "192", "+1 555 0100"),
    ("telegram", "4343", "Riyadh", "SA", "997", "+1 555 0100"),
    ("console", "madrid-1", "Madrid", "ES", "112", "+34 900 000 000"),
]


@pytest.mark.parametrize(("channel", "address", "city", "country", "emergency", "support"), CASES)
async def test_country_decides_emergency_number_and_support_phone(  # type: ignore[no-untyped-def]
    services, channel, address, city, country, emergency, support
) -> None:
    patient = FieldPatient(services, address=address, channel_name=channel)
    said = await patient.enrol("hi", "English", "yes", "DEMO-CZ-2026", city, "9:00")
    assert "You are enrolled" in "\n".join(said), said
    row = await patient.row()
    assert row.country == country
    replies = await patient.says(SERIOUS)
    assert f"Please call {emergency} or go to the nearest emergency department" in replies[0]
    assert "112" not in replies[0] or emergency == "112"
    help_text = "\n".join(await patient.says("HELP"))
    assert f"call {support}" in help_text
    assert [t.kind for t in await tasks_of(services, row.id)] == []  # nothing for staff to check


async def test_unknown_country_gets_program_default_and_a_staff_task(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="offset-1")
    said = await patient.enrol("hi", "English", "yes", "DEMO-CZ-2026", "UTC+2", "9:00")
    assert "You are enrolled" in "\n".join(said)
    row = await patient.row()
    assert row.country == "US"  # the program's default_country
    [task] = await tasks_of(services, row.id)
    assert task.kind == TASK_KIND and task.status == "open"
    assert "assumed US" in task.detail and "confirm" in task.detail
    replies = await patient.says(SERIOUS)
    assert "Please call 911" in replies[0]
