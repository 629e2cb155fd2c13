"""The tables. One patient, many addresses; every message stored; replies leave through the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.types import Encrypted, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON, list[Any]: JSON}


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
    # address reminders go to (the one last answered from; another one after a silent streak). Not a foreign key:
    # addresses already refer to patients, and a cycle would make table ordering ambiguous.
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


class Message(Base):
    """Every message in or out, verbatim (encrypted). Inbound ones are de-duplicated on external id."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "direction", "external_id", name="uq_messages_channel_direction_external"),
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
    status: Mapped[str] = mapped_column(String(16), default="received")
    segments: Mapped[int | None]
    error_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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


class SupportTask(Base):
    """Something a person must handle: a non-responder, an unreachable address, a refill problem, a call-back."""

    __tablename__ = "support_tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    detail: Mapped[str] = mapped_column(Text, default="")
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]


class PvCase(Base):
    """A possible adverse event or special situation under the 24-hour clock (day zero = receipt)."""

    __tablename__ = "pv_cases"
    __table_args__ = (Index("ix_pv_cases_status_due", "status", "due_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    program_id: Mapped[str | None] = mapped_column(String(64))
    product: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|forwarded|closed
    kind: Mapped[str] = mapped_column(String(32))
    situations: Mapped[list[Any]] = mapped_column(default=list)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime]
    last_message_at: Mapped[datetime] = mapped_column(default=utcnow)
    assigned_to: Mapped[str | None] = mapped_column(String(64))
    forwarded_reference: Mapped[str | None] = mapped_column(String(128))
    closed_reason: Mapped[str | None] = mapped_column(Text)


class PvCaseMessage(Base):
    """Which message raised or extended a case, and the words that triggered it."""

    __tablename__ = "pv_case_messages"
    case_id: Mapped[int] = mapped_column(ForeignKey("pv_cases.id"), primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """One planned reminder occurrence; (patient, slot_key) is its idempotency key, so it is sent at most once."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("patient_id", "slot_key", name="uq_reminders_patient_slot"),
        Index("ix_reminders_status_due", "status", "due_at"),
        Index("ix_reminders_status_answer_by", "status", "answer_by"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    kind: Mapped[str] = mapped_column(String(24))  # dose | refill_due_soon | refill_check
    slot_key: Mapped[str] = mapped_column(String(64))
    local_slot: Mapped[str] = mapped_column(String(32))  # nominal local wall time, ISO
    due_at: Mapped[datetime]
    # planned | sent | answered | no_response | missed_not_sent | cancelled
    status: Mapped[str] = mapped_column(String(20), default="planned")
    address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    sent_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(24))  # taken | skipped | snoozed | yes | no
    answered_at: Mapped[datetime | None]
    snooze_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer_by: Mapped[datetime | None]  # set when sent, for kinds that expect an answer; then a sweep closes it


class DoseEvent(Base):
    """An adherence fact: what happened to one scheduled dose."""

    __tablename__ = "dose_events"
    __table_args__ = (Index("ix_dose_events_patient_scheduled", "patient_id", "scheduled_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    reminder_id: Mapped[int | None] = mapped_column(ForeignKey("reminders.id"), unique=True)
    scheduled_at: Mapped[datetime]
    local_slot: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(20))  # taken | skipped | no_response | missed_not_sent
    answered_at: Mapped[datetime | None]
    channel: Mapped[str | None] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Refill(Base):
    """A dispensing: confirmed by the patient or imported from a pharmacy file."""

    __tablename__ = "refills"
    __table_args__ = (Index("ix_refills_patient_date", "patient_id", "fill_date"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    fill_date: Mapped[date] = mapped_column(Date)
    days_supply: Mapped[int] = mapped_column(Integer)
    product: Mapped[str | None] = mapped_column(String(200))
    pharmacy: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(16))  # patient | pharmacy
    import_batch: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
