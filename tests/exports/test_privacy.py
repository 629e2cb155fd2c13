"""No export, in any format, carries a phone number, a chat id, a patient reference or a word a patient
wrote."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from itertools import count
from pathlib import Path

import pytest

from bot.analytics.pseudonym import SUBJECT_ID_PATTERN
from bot.analytics.queries import export_to
from bot.analytics.schemas import SCHEMAS
from bot.analytics.writers import FORMATS
from bot.core.messages import Inbound
from tests.exports.helpers import add_fills, read_export, sent_reminder

SMS_PHONES = ("+14155550123", "+34600111222")
CHAT_IDS = ("5012345678", "7345987123")
ENROL = {
    SMS_PHONES[0]: ["hi", "English", "yes", "DEMO-CZ-2026", "yes", "9am"],  # "Is your time zone Los Angeles?"
    SMS_PHONES[1]: ["hola", "2", "sí", "DEMO-CZ-2026", "Madrid", "9:00"],
    CHAT_IDS[0]: ["hola", "2", "sí", "DEMO-CZ-2026", "Madrid", "21:00"],
    CHAT_IDS[1]: ["hi", "1", "yes", "DEMO-CZ-2026", "Tokyo", "8:00"],
}
PRIVATE_WORDS = ("Rosalind", "Okafor", "Calle Mayor", "neighbour", "cabeza", "dizzy", "mareo", "rash")
_ids = count(1)


async def _says(services, channel: str, address: str, text: str) -> None:  # type: ignore[no-untyped-def]
    await services.conversation.receive(
        Inbound(
            channel=channel,
            address=address,
            text=text,
            received_at=services.clock(),
            external_id=f"m{next(_ids)}",
        )
    )


async def _seed(services, clock) -> None:  # type: ignore[no-untyped-def]
    """Four patients who enrolled by talking to the bot, wrote personal things, reported side effects,
    answered reminders and refilled."""
    patients = [("sms", phone) for phone in SMS_PHONES] + [("telegram", chat) for chat in CHAT_IDS]
    for channel, address in patients:
        for text in ENROL[address]:
            await _says(services, channel, address, text)
    clock.advance(days=1)
    await _says(
        services, "sms", SMS_PHONES[0], "My name is Rosalind Okafor, call me on +14155550123 at Calle Mayor 5"
    )
    await _says(services, "sms", SMS_PHONES[1], "I feel dizzy and I have a rash since my neighbour's party")
    await _says(services, "telegram", CHAT_IDS[0], "Tengo mucho dolor de cabeza y mareo desde ayer")
    await _says(services, "telegram", CHAT_IDS[1], "call me at 5012345678 please")
    async with services.sessions() as session:
        from bot.storage import queries

        ids = []
        for channel, address in patients:
            found = await queries.find_address(session, channel, address)
            assert found is not None
            ids.append(found.patient_id)
    start = clock.now
    for day in range(5):
        for index, patient_id in enumerate(ids):
            answered = timedelta(minutes=7) if (day + index) % 2 == 0 else None
            await sent_reminder(
                services,
                patient_id,
                start + timedelta(days=day),
                answer_after=answered,
                dose_status="taken" if answered else "no_response",
                message_status="delivered" if index < 2 else "sent",
            )
    for patient_id in ids:
        await add_fills(services, patient_id, (date(2026, 3, 3), 30))
        await add_fills(services, patient_id, (date(2026, 3, 4), 30), source="patient")
    clock.advance(days=10)


@pytest.fixture
async def seeded(services, clock):  # type: ignore[no-untyped-def]
    await _seed(services, clock)
    return services


def _needles() -> list[str]:
    digits = {re.sub(r"\D", "", p) for p in SMS_PHONES}
    national = {d[-9:] for d in digits} | {d[-10:] for d in digits}
    return [*SMS_PHONES, *digits, *national, *CHAT_IDS, *PRIVATE_WORDS, "PSP-0", "DEMO-CZ"]


async def test_no_export_carries_personal_data(seeded, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fmt in FORMATS:
        seen_rows = {}
        for kind in SCHEMAS:
            out = tmp_path / f"{kind}.{fmt}"
            written = await export_to(seeded, kind, fmt, out)
            rows = read_export(fmt, out)
            assert len(rows) == written
            seen_rows[kind] = len(rows)
            text = json.dumps(rows, default=str, ensure_ascii=False)
            if fmt != "parquet":
                text += out.read_bytes().decode("utf-8")
            for needle in _needles():
                assert needle.casefold() not in text.casefold(), f"{kind}.{fmt} contains {needle!r}"
            for row in rows:
                assert SUBJECT_ID_PATTERN.match(row["subject_id"])
        # The scan looked at real exports, not empty files.
        assert seen_rows == {"adherence": 4, "doses": 20, "refills": 4, "engagement": 4, "pv-cases": 2}, fmt
