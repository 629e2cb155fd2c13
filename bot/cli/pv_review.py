"""`psp pv quality` and `psp pv suggest`: the screen's production figures and what its misses teach.

Thin commands over bot.pv.review_store, bot.pv.quality and bot.pv.suggest (the CLI only parses arguments).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from bot.pv import review_store
from bot.pv.quality import estimate
from bot.pv.suggest import Labelled, suggest

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

MISS_SOURCES = ("second_look_miss", "review_confirmed")
CLEAR_SOURCES = ("second_look_clear", "review_dismissed", "case_not_adverse_event")


def window(date_from: date | None, date_to: date | None, today: date) -> tuple[datetime, datetime]:
    """[from 00:00, the day after `to` 00:00) in UTC; by default the last 28 days including today."""
    end_day = date_to or today
    start_day = date_from or end_day - timedelta(days=27)
    return (
        datetime.combine(start_day, time(), tzinfo=UTC),
        datetime.combine(end_day + timedelta(days=1), time(), tzinfo=UTC),
    )


async def quality_command(
    sessions: async_sessionmaker[AsyncSession],
    now: datetime,
    date_from: date | None,
    date_to: date | None,
    *,
    as_json: bool,
    out: TextIO,
) -> int:
    if date_from and date_to and date_to < date_from:
        print("psp pv quality: --to is before --from", file=sys.stderr)
        return 2
    start, end = window(date_from, date_to, now.date())
    async with sessions() as session:
        counts = await review_store.quality_counts(session, start, end)
    rows = [estimate(c) for c in counts]
    if as_json:
        doc: dict[str, Any] = {
            "from": start.date().isoformat(),
            "to": (end.date() - timedelta(days=1)).isoformat(),
        }
        doc["languages"] = rows
        out.write(json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
        return 0
    out.write(f"screen quality {start.date()} to {end.date() - timedelta(days=1)} (UTC), 95% intervals\n")
    if not rows:
        out.write("no screened messages in this window\n")
        return 0
    out.write(f"{'lang':<6}{'recall':>24}{'specificity':>24}{'clear':>8}{'looked at':>11}{'misses':>8}\n")
    out.writelines(
        f"{row['lang']:<6}{_cell(row['recall']):>24}{_cell(row['specificity']):>24}"
        f"{row['clear']:>8}{row['second_looks']:>11}{row['second_look_misses']:>8}\n"
        for row in rows
    )
    return 0


def _cell(rate: dict[str, float | None]) -> str:
    value, low, high = rate["value"], rate["low"], rate["high"]
    shown = "?" if value is None else f"{value:.3f}"
    return f"{shown} [{low or 0:.3f}-{high or 0:.3f}]"


async def suggest_command(
    sessions: async_sessionmaker[AsyncSession], *, min_misses: int, as_json: bool, out: TextIO
) -> int:
    from bot.safety import screen

    async with sessions() as session:
        misses = [e for s in MISS_SOURCES for e in await review_store.examples(session, source=s)]
        cleared = [e for s in CLEAR_SOURCES for e in await review_store.examples(session, source=s)]
    found = suggest(
        (Labelled(e.lang, e.text, e.label) for e in misses),
        (Labelled(e.lang, e.text, e.label) for e in cleared),
        lambda phrase, lang: screen(phrase, lang).tier == "case",
        min_misses=min_misses,
    )
    if as_json:
        out.writelines(json.dumps(s.as_dict(), ensure_ascii=False) + "\n" for s in found)
        return 0
    if not found:
        out.write(f"no phrase recurs in {min_misses}+ confirmed misses yet ({len(misses)} misses kept)\n")
        return 0
    out.write("proposed lexicon entries (accept by adding them to bot/safety/lexicons/<lang>.yaml):\n")
    out.writelines(f"[{s.lang}] {s.phrase!r}  in {s.misses} misses, e.g. {s.examples[0]!r}\n" for s in found)
    return 0


COMMANDS = ("quality", "suggest")


def add_parsers(pv_sub: Any, iso_date: Any) -> None:
    """`psp pv evaluate`, `psp pv quality`, `psp pv suggest`."""
    evaluate = pv_sub.add_parser("evaluate", help="score the screen on a labelled set (JSON lines)")
    evaluate.add_argument("file", help='lines of {"text", "lang", "label": "case"|"clear", ...}')
    evaluate.add_argument("--lang", default=None, help="language of lines that name none")
    evaluate.add_argument("--json", dest="as_json", action="store_true", help="JSON instead of a table")
    evaluate.add_argument("--details", action="store_true", help="also list every miss and false alarm")
    quality = pv_sub.add_parser("quality", help="the screen's recall and specificity from officers' verdicts")
    quality.add_argument("--from", dest="date_from", type=iso_date, metavar="DATE", help="first day (UTC)")
    quality.add_argument(
        "--to", dest="date_to", type=iso_date, metavar="DATE", help="last day (UTC), included"
    )
    quality.add_argument("--json", dest="as_json", action="store_true", help="JSON instead of a table")
    suggest_parser = pv_sub.add_parser("suggest", help="lexicon entries proposed from confirmed misses")
    suggest_parser.add_argument("--min-misses", type=int, default=2, help="how many misses a phrase needs")
    suggest_parser.add_argument("--json", dest="as_json", action="store_true", help="JSON lines")


async def run(settings: Any, args: Any) -> int:
    """Open the database, run `quality` or `suggest`, close it."""
    from bot.storage import crypto, db

    crypto.configure(settings.psp_secret_key)
    engine = db.make_engine(settings.psp_database_url)
    try:
        sessions = db.session_factory(engine)
        if args.pv_command == "quality":
            return await quality_command(
                sessions,
                datetime.now(UTC),
                args.date_from,
                args.date_to,
                as_json=args.as_json,
                out=sys.stdout,
            )
        return await suggest_command(
            sessions, min_misses=args.min_misses, as_json=args.as_json, out=sys.stdout
        )
    finally:
        await engine.dispose()
