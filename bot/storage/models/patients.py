"""Patients, their addresses, consents, conversation state and support tasks."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow
from bot.storage.types import Encrypted


class Program(Base):
    """A program as last loaded from content/programs (kept so rows can refer to it)."""

    __tablename__ = "programs"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    product: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (Index("ix_patients_status_planned", "status", "reminders_planned_until"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_ref: Mapped[str | None] = mapped_column(String(20), unique=True)
    program_id: Mapped[str | None] = mapped_column(ForeignKey("programs.id"))
    status: Mapped[str] = mapped_column(String(20), default="enrolling")
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str | None] = mapped_column(String(64))
    country: Mapped[str | None] = mapped_column(String(2))
    reminder_times: Mapped[list[Any]] = mapped_column(default=list)
    paused_until: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enrolled_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]
    # Reminders: the patient's own quiet hours (None: the program's), how far ahead rows are planned, and the
    # address reminders go to (the one last answered from; another one after a silent streak). Not a
    # foreign key: addresses already refer to patients, and a cycle would make table ordering ambiguous.
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    reminders_planned_until: Mapped[datetime | None]
    reminder_address_id: Mapped[int | None] = mapped_column(Integer)


class Address(Base):
    """A way to reach a patient: a Telegram chat, a phone number, a console session."""

    __tablename__ = "addresses"
    __table_args__ = (UniqueConstraint("channel", "lookup", name="uq_addresses_channel_lookup"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    lookup: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Encrypted())
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None]
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_inbound_at: Mapped[datetime | None]


class Consent(Base):
    """A consent decision with the version of the text the patient saw and their own words."""

    __tablename__ = "consents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    text_version: Mapped[str] = mapped_column(String(64))
    granted: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(16))
    verbatim: Mapped[str] = mapped_column(Encrypted())
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    text_hash: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of the exact words shown
    language: Mapped[str | None] = mapped_column(String(8))  # the language of those words


class ConversationState(Base):
    """Where a patient is in a conversation, so a restart in the middle changes nothing."""

    __tablename__ = "conversation_states"
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), primary_key=True)
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    options: Mapped[list[Any]] = mapped_column(default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SupportTask(Base):
    """Something a person must handle: a non-responder, an unreachable address, a refill problem, a
    call-back."""

    __tablename__ = "support_tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    detail: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )  # listed first, in red
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
