"""`psp pv evaluate`, `psp pv quality` and `psp pv suggest` as an operator runs them, on an SQLite file."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot import cli
from bot.app import close_services, open_services
from bot.pv import review
from bot.pv.second_look import SecondLookPolicy
from tests.conftest import TEST_SECRET, make_settings
from tests.pv.helpers import MILD, PvPatient
from tests.pv.test_pv_review_queue import _reviews

OFFICER = "officer:olga"
MISSED = ["the zooms came back again", "the zooms again today"]


async def _psp(*args: str) -> int:
    return await asyncio.to_thread(cli.main, list(args))


async def test_quality_and_suggest_from_officers_verdicts(
    sqlite_url: str, clock, monkeypatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    services = await open_services(make_settings(sqlite_url), clock=clock)
    try:
        services.pv_intake.second_look = SecondLookPolicy(rate=1.0)
        patient = PvPatient(services)
        await patient.enrol()
        await patient.says(MILD)
        for text in [*MISSED, "what time does the pharmacy open"]:
            await patient.says(text)
        looks = [r for r in await _reviews(services) if r.reason == "second_look"]
        async with services.sessions() as session, session.begin():
            for item in looks:
                message_text = (await session.get(review.Message, item.message_id)).body  # type: ignore[union-attr]
                if "zooms" in message_text:
                    await review.confirm(session, item.id, OFFICER, now=clock.now, due_hours=24)
                else:
                    await review.dismiss(session, item.id, OFFICER, "logistics", now=clock.now)
    finally:
        await close_services(services)
    monkeypatch.setenv("PSP_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("PSP_SECRET_KEY", TEST_SECRET)
    capsys.readouterr()

    assert await _psp("pv", "quality", "--from", "2026-03-01", "--to", "2026-03-02", "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    [en] = doc["languages"]
    assert (doc["from"], doc["to"], en["lang"], en["second_look_misses"]) == (
        "2026-03-01",
        "2026-03-02",
        "en",
        2,
    )
    assert en["recall"]["low"] <= en["recall"]["value"] <= en["recall"]["high"]

    assert await _psp("pv", "quality", "--from", "2026-03-01", "--to", "2026-03-02") == 0
    assert "recall" in capsys.readouterr().out

    assert await _psp("pv", "suggest", "--json") == 0
    proposed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any("zooms" in p["phrase"] for p in proposed)
    assert all(p["misses"] >= 2 for p in proposed)

    assert await _psp("pv", "quality", "--from", "2026-03-05", "--to", "2026-03-01") == 2


async def test_evaluate_scores_a_labelled_file(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "set.jsonl"
    rows = [
        {"text": "I have a terrible headache since the pill", "lang": "en", "label": "case"},
        {"text": "thanks, see you tomorrow", "lang": "en", "label": "clear"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert await _psp("pv", "evaluate", str(path), "--json") == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["en"]["recall"]["value"] == 1.0 and doc["en"]["specificity"]["value"] == 1.0
    path.write_text('{"text": 1}\n', encoding="utf-8")
    assert await _psp("pv", "evaluate", str(path)) == 2
    assert "line 1" in capsys.readouterr().err
