"""Queries the Telegram channel needs: the question behind a pressed button, and parts of split messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import queries
from bot.storage.models import ConversationState, OutboxItem, Patient
from bot.storage.models.telegram import TelegramPart


@dataclass(frozen=True)
class Press:
    """What we know about a button press before handing it to the conversation."""

    options: list[dict[str, Any]]  # the options of the question the button belongs to
    locale: str | None  # the patient's language, for the answer to the press
    pending: (
        list[dict[str, Any]] | None
    )  # options of the question the conversation waits for, if it waits for one


async def press(session: AsyncSession, channel: str, address: str, message_id: int) -> Press | None:
    """The question (our stored message `message_id`) if it was sent to this address; else None."""
    found = await queries.find_address(session, channel, address)
    if found is None:
        return None
    item = await session.scalar(select(OutboxItem).where(OutboxItem.message_id == message_id))
    if item is None or item.address_id != found.id:
        return None
    patient = await session.get(Patient, found.patient_id)
    state = await session.get(ConversationState, found.patient_id)
    pending = list(state.options) if state is not None and state.options else None
    return Press(list(item.options or []), patient.locale if patient else None, pending)


async def parts_sent(session: AsyncSession, message_id: int) -> dict[int, str]:
    rows = await session.scalars(select(TelegramPart).where(TelegramPart.message_id == message_id))
    return {row.part: row.provider_id for row in rows.all()}


async def record_part(
    session: AsyncSession, message_id: int, part: int, provider_id: str, now: datetime
) -> None:
    session.add(TelegramPart(message_id=message_id, part=part, provider_id=provider_id, sent_at=now))
