"""`psp chat`: a patient in the terminal, through the same conversation engine and database."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from uuid import uuid4

from bot.app import close_services, open_services
from bot.channels.console import NAME, ConsoleChannel, prompt_hint
from bot.config import Settings
from bot.core.messages import Inbound
from bot.storage import queries
from scheduler.dispatch import Dispatcher


async def run_chat(settings: Settings, address: str, lang: str | None) -> int:
    services = await open_services(settings)
    channel = ConsoleChannel(lambda text: print(f"bot> {text}\n", flush=True))
    try:
        async with services.sessions() as session:
            known = await queries.find_address(session, NAME, address)
            locale = lang or await _patient_locale(session, known)
        print(prompt_hint(locale) + "\n")
        if known is None:
            await _turn(services, channel, address, lang, "/start", event="started")
        else:
            await _deliver(services, channel, address)
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if line == "":
                break
            await _turn(services, channel, address, lang, line.rstrip("\n"))
    finally:
        await close_services(services)
    return 0


async def _patient_locale(session, address) -> str | None:  # type: ignore[no-untyped-def]
    """The language of the patient behind a known terminal address, so the hint is in their language."""
    if address is None or address.patient_id is None:
        return None
    patient = await queries.get_patient(session, address.patient_id)
    return patient.locale if patient is not None else None


async def _turn(
    services, channel: ConsoleChannel, address: str, lang: str | None, text: str, event: str | None = None
) -> None:  # type: ignore[no-untyped-def]
    inbound = Inbound(
        channel=NAME,
        address=address,
        text=text,
        received_at=datetime.now(UTC),
        external_id=f"console-{uuid4().hex}",
        language_hint=lang,
        event=event,
    )
    await services.conversation.receive(inbound)
    await _deliver(services, channel, address)


async def _deliver(services, channel: ConsoleChannel, address: str) -> None:  # type: ignore[no-untyped-def]
    """Print whatever is waiting for this terminal, including reminders queued while it was closed."""
    async with services.sessions() as session:
        found = await queries.find_address(session, NAME, address)
    if found is None:
        return
    dispatcher = Dispatcher(services.sessions, {NAME: channel}, address_ids=[found.id])
    await dispatcher.drain()
