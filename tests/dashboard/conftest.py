"""The console fixtures (real app on 127.0.0.1, signed-in browsers) and a program with a quarter of
history."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.messages import Inbound
from bot.storage.models import Patient
from tests.console.conftest import cheap_hashes, console, served, web_app  # noqa: F401  (fixtures)
from tests.exports.helpers import add_doses, add_fills, at, enrolled_patient

ENROL = ["hi", "1", "yes", "DEMO-CZ-2026", "Madrid", "9:00"]
_ids = count(1)


async def says(services: Any, address: str, text: str) -> str | None:
    outcome = await services.conversation.receive(
        Inbound(
            channel="telegram",
            address=address,
            text=text,
            received_at=services.clock(),
            external_id=f"d{next(_ids)}",
        )
    )
    return outcome.patient_ref


async def seed_quarter(services: Any, clock: Any) -> None:
    """The first quarter of 2026 on cardiozen-daily, seen on 15 April:

    - 5 patients enrol over Telegram on 5 January (the real conversation), fill 90 days at once (PDC 1.0)
      and take their February doses;
    - 2 Telegram and 3 SMS patients enrolled on 5 January never fill (PDC 0);
    - 3 people say "hi" and never go further.
    Funnel: 13 started, 10 consented, 10 enrolled. Adherent: 5 of 10 (50%). SMS: 3 subjects, a small group.
    """
    clock.now = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    refs = []
    for n in range(5):
        for text in ENROL:
            ref = await says(services, f"81000{n}", text)
        refs.append(ref)
        clock.advance(minutes=1)
    for n in range(3):
        await says(services, f"82000{n}", "hi")
    for n in range(2):
        await enrolled_patient(services, date(2026, 1, 5), address=f"83000{n}")
    for n in range(3):
        await enrolled_patient(services, date(2026, 1, 5), address=f"+3460020{n:04d}", channel="sms")
    async with services.sessions() as session:
        patients = (await session.scalars(select(Patient).where(Patient.patient_ref.in_(refs)))).all()
        assert [p.status for p in patients] == ["active"] * 5, "the conversation enrolled all five"
        ids = [p.id for p in patients]
    for pid in ids:
        await add_fills(services, pid, (date(2026, 1, 5), 90))
        await add_doses(services, pid, (at(date(2026, 2, 10)), "taken"), (at(date(2026, 2, 11)), "taken"))
    clock.now = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
async def quarter(services: Any, clock: Any) -> None:
    await seed_quarter(services, clock)
