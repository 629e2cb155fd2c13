"""Messages in and out, the outbox, SMS parts and delivery status events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.storage.models.base import Base, utcnow
from bot.storage.types import Encrypted


class Message(Base):
    """Every message in or out, verbatim (encrypted). Inbound ones are de-duplicated on external id."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint(
            "channel", "direction", "external_id", name="uq_messages_channel_direction_external"
        ),
        Index("ix_messages_patient_created", "patient_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    channel: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(3))  # "in" | "out"
    external_id: Mapped[str | None] = mapped_column(String(128))
    body: Mapped[str] = mapped_column(Encrypted())
    option: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str | None] = mapped_column(String(32))
    screen_tier: Mapped[str | None] = mapped_column(String(8))  # inbound free text: case | review | clear
    status: Mapped[str] = mapped_column(String(16), default="received")
    segments: Mapped[int | None]
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The language the patient was writing in when it arrived (their language then, not now): E2B quotes it;
    # for screened free text it is the language the screen read it in (detected while the patient has none).
    language: Mapped[str | None] = mapped_column(String(8))


class OutboxItem(Base):
    """A reply waiting to leave: claimed by a dispatcher, retried with backoff, never silently dropped."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    options: Mapped[list[Any]] = mapped_column(default=list)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sending|sent|dead|cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # How the message reads as an approved template when a channel needs one (WhatsApp outside its 24-hour
    # window): {"key": template kind, "values": {name: value}, "required": bool}. None: no template form.
    template: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    message: Mapped[Message] = relationship(lazy="raise")


class SmsPart(Base):
    """One Twilio message. An outbound Message longer than the segment budget leaves as several SMS, in order;
    each part is recorded the moment Twilio accepts it, so a retry after a failure mid-way never resends
    it."""

    __tablename__ = "sms_parts"
    __table_args__ = (UniqueConstraint("message_id", "part", name="uq_sms_parts_message_part"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    part: Mapped[int] = mapped_column(Integer)  # 0-based position in the message
    total_parts: Mapped[int] = mapped_column(Integer)  # how many parts the message was split into
    sid: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))  # Twilio's status; only ever moves forward
    error_code: Mapped[str | None] = mapped_column(String(32))
    segments: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SmsStatusEvent(Base):
    """A delivery status callback as Twilio posted it. (sid, status) is unique: a redelivered callback changes
    nothing, and one that arrives before its part is recorded is applied when the part is."""

    __tablename__ = "sms_status_events"
    __table_args__ = (UniqueConstraint("sid", "status", name="uq_sms_status_events_sid_status"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sid: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    error_code: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
