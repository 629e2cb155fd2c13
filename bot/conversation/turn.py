"""One inbound message on its way through the pipeline: what every flow handler is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.messages import Inbound, Reply
from bot.storage.inbound import StoredMessage
from bot.storage.models import Address, Message, Patient

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Turn:
    """Everything one inbound message touches, handed to flow handlers."""

    session: AsyncSession
    inbound: Inbound
    patient: Patient
    address: Address
    message_id: int
    now: datetime
    new_patient: bool = False  # created in this transaction for this address (their only one)
    replies: list[Reply] = field(default_factory=list)
    escalated: bool = False
    pv_case_id: int | None = None  # the case this message opened or joined
    self_harm: bool = False  # the message has a self-harm cue: crisis line and an urgent call-back
    message: Message | StoredMessage | None = None  # the stored row (its id is `message_id`)
