"""What gets planned for one patient under each kind of program (pure: no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.core.programs import Product, Program, ReminderDefaults
from bot.reminders.planning import plan_patient
from bot.storage.models import Patient


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


PROGRAM = Program(
    id="p",
    name="P",
    product=Product("Zen", "zenolol", "tablet"),
    enrolment_codes=("X",),
    languages=("en",),
    consent_version="1",
    reminders=ReminderDefaults(),
)


def patient(**fields: object) -> Patient:
    values: dict[str, object] = {
        "id": 1,
        "status": "active",
        "timezone": "Asia/Tokyo",
        "reminder_times": ["07:00"],
        "enrolled_at": utc(2026, 3, 1),
        "created_at": utc(2026, 3, 1),
        "paused_until": None,
        "quiet_start": None,
        "quiet_end": None,
    }
    values.update(fields)
    return Patient(**values)


def keys(planned: list) -> list[str]:  # type: ignore[type-arg]
    return [p.slot_key for p in planned]


def test_a_weekly_injection_is_planned_on_the_local_weekday() -> None:
    weekly = replace(PROGRAM, reminders=ReminderDefaults(schedule="weekly", weekday="mon"))
    # Monday 07:00 in Tokyo is Sunday 22:00 UTC.
    planned = plan_patient(patient(), weekly, (date(2026, 3, 1), 28), utc(2026, 3, 1), utc(2026, 3, 15))
    doses = [p for p in planned if p.kind == "dose"]
    assert keys(doses) == ["dose:2026-03-02T07:00", "dose:2026-03-09T07:00"]
    assert doses[0].due_at == utc(2026, 3, 1, 22)


def test_every_n_days_counts_from_the_enrolment_day_in_the_patients_zone() -> None:
    every3 = replace(PROGRAM, reminders=ReminderDefaults(schedule="every_n_days", every_n_days=3))
    # Enrolled at 20:00 UTC on 1 March = 2 March in Tokyo: doses on 2, 5, 8 March.
    planned = plan_patient(
        patient(enrolled_at=utc(2026, 3, 1, 20)), every3, None, utc(2026, 3, 1), utc(2026, 3, 9)
    )
    assert keys(p for p in planned if p.kind == "dose") == [  # type: ignore[arg-type]
        "dose:2026-03-02T07:00",
        "dose:2026-03-05T07:00",
        "dose:2026-03-08T07:00",
    ]


def test_refill_nudges_come_from_the_last_fill_or_from_the_enrolment_day() -> None:
    start, end = utc(2026, 3, 25), utc(2026, 4, 5)
    from_fill = plan_patient(patient(), PROGRAM, (date(2026, 3, 5), 28), start, end)
    assert [k for k in keys(from_fill) if k.startswith("refill")] == [
        "refill_due_soon:due=2026-04-02",
        "refill_check:due=2026-04-02",
    ]
    assumed = plan_patient(patient(), PROGRAM, None, start, end)  # a 30-day pack from enrolment (1 March)
    assert [k for k in keys(assumed) if k.startswith("refill")] == [
        "refill_due_soon:due=2026-03-31",
        "refill_check:due=2026-03-31",
    ]


def test_a_pause_holds_doses_and_moves_refill_nudges_to_the_day_reminders_resume() -> None:
    paused = patient(paused_until=date(2026, 4, 3))
    planned = plan_patient(paused, PROGRAM, (date(2026, 3, 5), 28), utc(2026, 3, 29), utc(2026, 4, 5))
    assert min(p.local_slot.date() for p in planned if p.kind == "dose") == date(2026, 4, 3)
    soon = next(p for p in planned if p.kind == "refill_due_soon")
    assert soon.slot_key == "refill_due_soon:due=2026-04-02"
    # Due 30 March 07:00 Tokyo, held until 3 April 08:00 (07:00 falls in the program's quiet hours
    # 21:00-08:00).
    assert soon.due_at == utc(2026, 4, 2, 23)
