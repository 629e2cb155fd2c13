"""`psp pv reconcile` and `psp pv case-e2b`: thin commands over bot.pv (the CLI only parses arguments)."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import TYPE_CHECKING, TextIO

from bot.analytics.pseudonym import derive_key, subject_id
from bot.pv import e2b, reconcile, store
from bot.pv.cases import load_case

if TYPE_CHECKING:
    from bot.app import Services
    from bot.config import Settings

E2B_KEY_PURPOSE = "pv-e2b-v1"  # patient pseudonyms in E2B files cannot be joined with analytics exports


async def reconcile_command(
    services: Services, date_from: date, date_to: date, *, as_json: bool, out: TextIO
) -> int:
    """Print the report; exit status 1 when a case is overdue or an escalation has no case."""
    if date_to < date_from:
        print("psp pv reconcile: --to is before --from", file=sys.stderr)
        return 2
    async with services.sessions() as session:
        report = await reconcile.reconcile(session, date_from, date_to, now=services.clock())
    (reconcile.render_json if as_json else reconcile.render_text)(report, out)
    return 1 if report.problems else 0


async def case_e2b_command(services: Services, case: str, *, out: TextIO) -> int:
    case_id = store.parse_case_ref(case)
    if case_id is None:
        print(f"psp pv case-e2b: '{case}' is not a case reference (e.g. PV-000042)", file=sys.stderr)
        return 2
    async with services.sessions() as session:
        record = await load_case(session, case_id)
    if record is None or record.patient_ref is None:
        print(f"psp pv case-e2b: no case {store.case_ref(case_id)}", file=sys.stderr)
        return 1
    assert services.settings.psp_secret_key
    key = derive_key(services.settings.psp_secret_key, E2B_KEY_PURPOSE)
    program = services.programs.get(record.program_id or "")
    body = e2b.case_e2b(
        record, subject_id=subject_id(key, record.patient_ref), program=program, created_at=services.clock()
    )
    json.dump(body, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


async def run(settings: Settings, command: str, **options: object) -> int:
    """Open the services (database, programs), run one pv command, close them."""
    from bot.app import close_services, open_services

    services = await open_services(settings)
    try:
        if command == "reconcile":
            return await reconcile_command(
                services,
                options["date_from"],  # type: ignore[arg-type]
                options["date_to"],  # type: ignore[arg-type]
                as_json=bool(options["as_json"]),
                out=sys.stdout,  # type: ignore[arg-type]
            )
        if command == "case-e2b":
            return await case_e2b_command(services, str(options["case"]), out=sys.stdout)
        raise AssertionError(f"unknown pv command {command}")
    finally:
        await close_services(services)
