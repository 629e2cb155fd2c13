"""WhatsApp delivery records: what a send needs to know (the 24-hour window) and what a failure callback does.

Statuses, parts and callback dedupe are the SMS ones (bot/storage/sms.py: one Twilio message per part, a state
machine that never goes backwards); this module adds only what WhatsApp means by its error codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import outbox, queries
from bot.storage.models import Address, Message, OutboxItem, Patient, SmsPart

WINDOW = timedelta(hours=24)
OUTSIDE_WINDOW_CODE = "63016"
# The recipient cannot get our WhatsApp messages: not a WhatsApp user (63003, 63024) or blocked us (63014).
UNREACHABLE_CODES = frozenset({"63003", "63014", "63024"})


def in_window(last_inbound_at: datetime | None, now: datetime) -> bool:
    """Free text is allowed until 24 hours after the patient's last message (the customer-service window)."""
    return last_inbound_at is not None and now - last_inbound_at < WINDOW


@dataclass(frozen=True)
class SendContext:
    opted_out: bool
    locale: str | None
    program_id: str | None
    last_inbound_at: datetime | None  # the patient's last inbound WhatsApp message
    sent_sid: str | None  # Twilio already accepted this message (a retry after a crash must not resend)


async def send_context(
    session: AsyncSession, message_id: int, address_id: int, patient_id: int
) -> SendContext:
    row = (
        await session.execute(
            select(Address.opted_out, Patient.locale, Patient.program_id)
            .join(Patient, Patient.id == Address.patient_id)
            .where(Address.id == address_id)
        )
    ).first()
    last_inbound = await session.scalar(
        select(func.max(Message.created_at)).where(
            Message.patient_id == patient_id, Message.channel == "whatsapp", Message.direction == "in"
        )
    )
    sid = await session.scalar(select(SmsPart.sid).where(SmsPart.message_id == message_id, SmsPart.part == 0))
    return SendContext(
        opted_out=bool(row.opted_out) if row else False,
        locale=row.locale if row else None,
        program_id=row.program_id if row else None,
        last_inbound_at=last_inbound,
        sent_sid=sid,
    )


async def after_failure(
    session: AsyncSession, message: Message, error_code: str, now: datetime
) -> str | None:
    """What a failed WhatsApp message leads to; returns "template", "unreachable" or None.

    63016 (free text outside the window): the same message is queued again as its approved template, so it is
    never lost. An unreachable code: the address stops, a person is told, reminders move to another address.
    """
    if message.address_id is None:
        return None
    if error_code == OUTSIDE_WINDOW_CODE:
        item = await session.scalar(select(OutboxItem).where(OutboxItem.message_id == message.id))
        template = dict(item.template or {}) if item is not None else {}
        address = await session.get(Address, message.address_id)
        if address is None or address.opted_out or address.unreachable:
            return None
        await outbox.enqueue(
            session,
            address=address,
            text=message.body,
            options=list(item.options or []) if item is not None else [],
            kind=message.kind,
            now=now,
            template={**template, "required": True},
        )
        return "template"
    if error_code in UNREACHABLE_CODES:
        await mark_unreachable(session, message.address_id, f"WhatsApp error {error_code}", now)
        return "unreachable"
    return None


async def mark_unreachable(session: AsyncSession, address_id: int, reason: str, now: datetime) -> None:
    """The address can no longer be reached: stop it, cancel what waits for it, open a task for staff."""
    address = await session.get(Address, address_id)
    if address is None or address.unreachable:
        return
    address.unreachable = True
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.address_id == address_id, OutboxItem.status == "pending")
        .values(status="cancelled", last_error=reason)
    )
    await queries.open_support_task(
        session, address.patient_id, "unreachable", f"whatsapp address unreachable: {reason}", now
    )
