"""Pure rules behind Learn, as tables: Markdown made plain without touching a word, when the journey may
write, what an option key means, and how staff see each approved text."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest

from bot.core.programs import ReminderDefaults
from bot.learn.delivery import Choice, parse_choice, plain_text
from bot.learn.modules import Approval
from bot.learn.pacing import in_quiet_hours, may_push_at
from bot.learn.status import content_status, expiring
from tests.content.helpers import module
from tests.learn.helpers import MODULES


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        (
            "**Everyone forgets sometimes.** Here is what to do:",
            "Everyone forgets sometimes. Here is what to do:",
        ),
        ("- **Never inject twice** in the same week.", "- Never inject twice in the same week."),
        ("1. **One tablet**: never two at once.", "1. One tablet: never two at once."),
        (
            "_Fictional demo material for psp-bot — not medical advice._",
            "Fictional demo material for psp-bot — not medical advice.",
        ),
        ("Call {support_phone} or {emergency_number}.", "Call {support_phone} or {emergency_number}."),
        ("a snake_case_word and 5 * 3 = 15 stay", "a snake_case_word and 5 * 3 = 15 stay"),
        ("keep pens at 2–8 °C", "keep pens at 2–8 °C"),
        ("# Storing pens\nKeep them cool.", "Storing pens\nKeep them cool."),
        ("see [the leaflet](https://example.org/leaflet)", "see the leaflet (https://example.org/leaflet)"),
        ("*emphasis* and __strong__", "emphasis and strong"),
        ("**مرحبًا بك في برنامج دعم {brand}.**", "مرحبًا بك في برنامج دعم {brand}."),
    ],
)
def test_plain_text_drops_markers_and_keeps_words(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def test_every_shipped_module_keeps_every_word_and_loses_every_marker() -> None:
    for m in MODULES.values():
        for t in m.translations:
            plain = plain_text(t.body)
            assert _words(plain) == _words(t.body), t.path
            assert "**" not in plain and not re.search(r"(?m)^_|_$", plain), t.path


@pytest.mark.parametrize(
    ("now", "start", "end", "quiet"),
    [
        ("22:00", "21:00", "08:00", True),
        ("07:59", "21:00", "08:00", True),
        ("08:00", "21:00", "08:00", False),
        ("20:59", "21:00", "08:00", False),
        ("11:00", "09:00", "14:00", True),
        ("14:00", "09:00", "14:00", False),
        ("12:00", "00:00", "00:00", False),
    ],
)
def test_quiet_hours_may_run_over_midnight(now: str, start: str, end: str, quiet: bool) -> None:
    assert in_quiet_hours(time.fromisoformat(now), start, end) is quiet


@pytest.mark.parametrize(
    ("utc", "zone", "allowed"),
    [
        ("2026-11-02T09:30", "Europe/Madrid", True),  # 10:30 in Madrid
        ("2026-11-02T09:30", "Europe/London", False),  # 09:30 in London: too early
        ("2026-11-02T18:59", "Europe/London", True),
        ("2026-11-02T19:00", "Europe/London", False),  # the window ends at 19:00
        ("2026-11-02T15:00", "America/New_York", True),  # 10:00 in New York
        ("2026-11-02T03:00", "Asia/Tokyo", True),  # 12:00 in Tokyo
        ("2026-11-02T12:00", None, True),  # no zone: UTC
        ("2026-11-02T12:00", "Not/AZone", True),
    ],
)
def test_the_journey_writes_in_local_daytime_only(utc: str, zone: str | None, allowed: bool) -> None:
    moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert may_push_at(moment, zone, ReminderDefaults()) is allowed


@pytest.mark.parametrize(
    ("key", "choice"),
    [
        ("learn:read:cz-how-to-take", Choice("read", module_id="cz-how-to-take")),
        ("learn:more:12", Choice("more", delivery_id=12)),
        ("learn:quiz:12:2", Choice("quiz", delivery_id=12, answer=2)),
        ("learn:quiz:12", None),
        ("learn:more:x", None),
        ("learn:read:", None),
        ("menu:learn", None),
        (None, None),
    ],
)
def test_option_keys_say_what_was_chosen(key: str | None, choice: Choice | None) -> None:
    assert parse_choice(key) == choice


TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("approval", "status", "days_left"),
    [
        (Approval("MLR-1", date(2026, 1, 1), date(2027, 12, 31)), "servable", 401),
        (Approval("MLR-1", date(2026, 1, 1), date(2026, 12, 25)), "expiring", 30),
        (Approval("MLR-1", date(2026, 1, 1), TODAY), "expiring", 0),
        (Approval("MLR-1", date(2026, 1, 1), date(2026, 11, 24)), "expired", -1),
        (Approval("MLR-1", date(2026, 12, 1), date(2027, 12, 31)), "not_yet_approved", 401),
        (Approval("", date(2026, 1, 1), date(2027, 12, 31)), "unapproved", 401),
        (Approval("MLR-1", date(2026, 1, 1), None), "unapproved", None),
        (None, "unapproved", None),
    ],
)
def test_staff_see_the_status_of_each_approved_text(
    approval: Approval | None, status: str, days_left: int | None
) -> None:
    modules = {
        "m": module("m", {"en": approval, "es": Approval("MLR-2", date(2026, 1, 1), date(2027, 12, 31))})
    }
    rows = content_status(modules, TODAY)
    assert [(r.language, r.languages) for r in rows] == [("en", ("en", "es")), ("es", ("en", "es"))]
    assert (rows[0].status, rows[0].days_left) == (status, days_left)
    assert rows[0].approval_reference == (approval.reference or None if approval else None)
    assert [e.module_id for e in expiring(modules, TODAY)] == (["m"] if status == "expiring" else [])
