"""Reading patients a few at a time changes no number, and one program's export holds only its subjects."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.analytics.facts import Window
from bot.analytics.queries import ROW_SOURCES
from tests.exports.helpers import add_doses, add_fills, at, enrolled_patient, sent_reminder, subject_of


async def _rows(services, kind: str, window: Window, **options) -> list[dict]:  # type: ignore[no-untyped-def]
    return [row async for row in ROW_SOURCES[kind](services, window, **options)]


async def test_chunk_size_does_not_change_any_export(services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
    for n in range(7):
        # Enrolled on different days, so each chunk mixes subjects with different period starts.
        enrolled = date(2025, 12, 20) + timedelta(days=9 * n)
        pid, _ = await enrolled_patient(
            services, enrolled, address=f"72000{n}", channel="sms" if n % 2 else "telegram"
        )
        await add_fills(services, pid, *[(enrolled + timedelta(days=30 * k + n), 30) for k in range(3)])
        await add_doses(
            services,
            pid,
            *[(at(enrolled + timedelta(days=d)), "taken" if d % 3 else "skipped") for d in range(20)],
        )
        await sent_reminder(
            services, pid, at(enrolled + timedelta(days=2)), answer_after=timedelta(minutes=n + 1)
        )
    window = Window.make(date(2026, 1, 1), date(2026, 3, 31), clock.now)

    for kind in ("adherence", "doses", "refills", "engagement"):
        whole = await _rows(services, kind, window, chunk_size=1000)
        assert whole, kind
        assert await _rows(services, kind, window, chunk_size=2) == whole, kind
        assert await _rows(services, kind, window, chunk_size=1) == whole, kind


async def test_a_program_filter_keeps_only_that_programs_subjects(services, clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
    _, cardio = await enrolled_patient(services, date(2026, 1, 5), address="73001")
    osteo_id, osteo = await enrolled_patient(
        services, date(2026, 1, 5), address="73002", program_id="ostelix-weekly"
    )
    await add_fills(services, osteo_id, (date(2026, 1, 5), 28))
    window = Window.make(None, None, clock.now)

    rows = await _rows(services, "adherence", window, program_id="ostelix-weekly")

    assert [(r["subject_id"], r["program_id"], r["product"]) for r in rows] == [
        (subject_of(osteo), "ostelix-weekly", "Ostelix")
    ]
    everyone = {r["subject_id"] for r in await _rows(services, "adherence", window)}
    assert everyone == {subject_of(cardio), subject_of(osteo)}
