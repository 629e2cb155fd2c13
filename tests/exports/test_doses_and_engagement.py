"""The doses and engagement exports: what became of each reminder, and how each subject engaged per month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.analytics.queries import export_to
from tests.exports.helpers import add_doses, enrolled_patient, read_export, sent_reminder, subject_of

FEB1, MAR31 = date(2026, 2, 1), date(2026, 3, 31)


@pytest.fixture(autouse=True)
def after_march(clock) -> None:  # type: ignore[no-untyped-def]
    clock.now = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)


def utc(month: int, day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


async def test_each_dose_row_says_when_where_and_how_fast_it_was_answered(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid, ref = await enrolled_patient(services, date(2026, 2, 10), address="80011")
    await sent_reminder(
        services,
        pid,
        utc(3, 2),
        answer_after=timedelta(minutes=5),
        dose_status="taken",
        local_slot="2026-03-02T09:00:00+01:00",
    )
    await sent_reminder(
        services, pid, utc(3, 3), dose_status="no_response", local_slot="2026-03-03T09:00:00+01:00"
    )
    await add_doses(services, pid, (utc(3, 4), "missed_not_sent"))

    out = tmp_path / "doses.csv"
    assert await export_to(services, "doses", "csv", out, FEB1, MAR31) == 3
    rows = read_export("csv", out)

    assert {r["subject_id"] for r in rows} == {subject_of(ref)}
    taken, silent, missed = rows
    assert taken["scheduled_at_utc"] == "2026-03-02T08:00:00Z"
    assert taken["local_slot"] == "09:00"  # the patient's own clock in Madrid
    assert (taken["status"], taken["channel"], taken["seconds_to_answer"]) == ("taken", "telegram", "300")
    assert taken["answered_at_utc"] == "2026-03-02T08:05:00Z"
    assert (silent["status"], silent["channel"], silent["seconds_to_answer"], silent["answered_at_utc"]) == (
        "no_response",
        "telegram",
        "",
        "",
    )
    assert (missed["status"], missed["channel"]) == ("missed_not_sent", "")  # never sent: no channel


async def test_engagement_counts_prompts_by_what_the_channel_reported(services, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tg, tg_ref = await enrolled_patient(services, date(2026, 2, 10), address="80021")
    await sent_reminder(services, tg, utc(3, 2), answer_after=timedelta(minutes=5), dose_status="taken")
    await sent_reminder(services, tg, utc(3, 3), dose_status="no_response")
    await sent_reminder(
        services, tg, utc(3, 4), kind="refill_check", answer_after=timedelta(hours=1), answer="yes"
    )
    await sent_reminder(services, tg, utc(3, 5), kind="refill_due_soon")  # a nudge, not a question

    sms, sms_ref = await enrolled_patient(services, date(2026, 2, 10), address="+34600111222", channel="sms")
    await sent_reminder(services, sms, utc(3, 2), message_status="delivered")
    await sent_reminder(services, sms, utc(3, 3), message_status="undelivered")
    await sent_reminder(services, sms, utc(3, 4), message_status="sent")  # the carrier never confirmed
    # Reported failed, yet answered: the answer proves it arrived.
    await sent_reminder(services, sms, utc(3, 5), message_status="failed", answer_after=timedelta(minutes=30))

    out = tmp_path / "engagement.jsonl"
    assert await export_to(services, "engagement", "json", out, FEB1, MAR31) == 4
    rows = {(r["subject_id"], r["month"]): r for r in read_export("json", out)}

    february = rows[(subject_of(tg_ref), "2026-02")]
    assert (february["sent"], february["answered"]) == (0, 0)
    assert (
        february["response_rate"] is None and february["median_seconds_to_answer"] is None
    )  # nobody was asked

    march = rows[(subject_of(tg_ref), "2026-03")]
    assert (march["channel"], march["language"]) == ("telegram", "en")
    assert (march["sent"], march["delivered"], march["failed"], march["answered"]) == (3, 3, 0, 2)
    assert march["response_rate"] == 2 / 3
    assert march["median_seconds_to_answer"] == (300 + 3600) / 2

    texted = rows[(subject_of(sms_ref), "2026-03")]
    assert texted["channel"] == "sms"
    assert (texted["sent"], texted["delivered"], texted["failed"], texted["answered"]) == (4, 1, 1, 1)
    assert texted["response_rate"] == 1 / 3  # answered / (sent - failed)
    assert texted["median_seconds_to_answer"] == 1800.0
    assert (texted["modules_delivered"], texted["modules_completed"]) == (0, 0)
