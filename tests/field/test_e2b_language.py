"""Item 5: each message in an E2B case carries its own language, not the patient's current one."""

from __future__ import annotations

import io
import json

from bot.cli.pv import case_e2b_command
from tests.field.helpers import FieldPatient

ENGLISH_AE = "I have a headache and feel dizzy since I started the tablets"
PORTUGUESE_AE = "estou com muita dor de cabeça e tontura desde o remédio"


async def test_each_message_keeps_its_own_language(services) -> None:  # type: ignore[no-untyped-def]
    patient = FieldPatient(services, address="bilingual")
    await patient.enrol("hi", "English", "yes", "DEMO-CZ-2026", "Lisbon", "9:00")
    await patient.says(ENGLISH_AE)
    await patient.says("MENU")
    await patient.says("Change language")
    assert "O que você gostaria de fazer?" in "\n".join(await patient.says("Português"))
    await patient.says(PORTUGUESE_AE)

    out = io.StringIO()
    assert await case_e2b_command(services, "PV-000001", out=out) == 0
    body = json.loads(out.getvalue())
    assert [(r["E.i.1.1a"], r["E.i.1.1b"]) for r in body["E.i"]] == [
        (ENGLISH_AE, "eng"),
        (PORTUGUESE_AE, "por"),
    ]
    assert body["H.5.r"] == [
        {"H.5.r.1a": ENGLISH_AE, "H.5.r.1b": "eng"},
        {"H.5.r.1a": PORTUGUESE_AE, "H.5.r.1b": "por"},
    ]
    assert "in English and Portuguese" in body["H.1"]
    assert f'in Portuguese: "{PORTUGUESE_AE}"' in body["H.1"]
