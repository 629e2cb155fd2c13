"""The Patients list query on SQLite and PostgreSQL: filters, order by last activity, pages."""

from __future__ import annotations

from typing import Any

from bot.staff.patient_list import PatientFilter, choices, list_patients
from tests.console.seed import patient_with_history
from tests.console.test_browser_field import enrol_in_arabic


async def test_patients_are_listed_filtered_and_paged(services: Any) -> None:
    english = await patient_with_history(services)
    services.clock.advance(minutes=5)
    arabic = await enrol_in_arabic(services, "arabic-list")
    arabic_ref = arabic.last_outcome.patient_ref
    now = services.clock()
    async with services.sessions() as session:
        everyone = await list_patients(session, PatientFilter(), now)
        sms = await list_patients(session, PatientFilter(channel="sms"), now)
        weekly = await list_patients(session, PatientFilter(program="ostelix-weekly", status="active"), now)
        quiet = await list_patients(session, PatientFilter(activity="quiet30"), now)
        second = await list_patients(session, PatientFilter(), now, page=2, per_page=1)
        statuses, channels = await choices(session)
    assert [p.patient_ref for p in everyone.rows] == [arabic_ref, english]  # most recent activity first
    assert everyone.rows[1].channels == ("sms",) and everyone.rows[0].locale == "ar"
    assert [p.patient_ref for p in sms.rows] == [english]
    assert [p.patient_ref for p in weekly.rows] == [arabic_ref]
    assert quiet.rows == [] and quiet.total == 0
    assert (second.page, second.pages, [p.patient_ref for p in second.rows]) == (2, 2, [english])
    assert "active" in statuses and {"console", "sms"} <= set(channels)
