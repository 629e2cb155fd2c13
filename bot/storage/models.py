"""The tables. One patient, many addresses; every message stored; replies leave through the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

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
    message: Mapped[Message] = relationship(lazy="raise")


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
    # Added by the PV case work (migration 0003pv): when the clock stopped, and the officer's criteria.
    forwarded_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    seriousness_criteria: Mapped[list[Any]] = mapped_column(default=list)  # E2B E.i.3.2 a-f codes


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
    answer_by: Mapped[
        datetime | None
    ]  # set when sent, for kinds that expect an answer; then a sweep closes it


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


class ContentDelivery(Base):
    """One approved module sent to a patient: which reviewed text (module, version, language, approval
    reference), which variant, and why it was chosen. What an auditor asks for; also the patient's reading
    history that the journey reads back (opened, quiz answer)."""

    __tablename__ = "content_deliveries"
    __table_args__ = (Index("ix_content_deliveries_patient_sent", "patient_id", "sent_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    program_id: Mapped[str | None] = mapped_column(String(64))
    module_id: Mapped[str] = mapped_column(String(64))
    version: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(8))
    requested_language: Mapped[str] = mapped_column(String(8))
    fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_reference: Mapped[str] = mapped_column(String(128))
    variant: Mapped[str] = mapped_column(String(8))  # sms | full
    reason: Mapped[str] = mapped_column(
        String(160)
    )  # day:3, after:quiz_wrong:<module>, browse, read_more, ...
    channel: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime]  # written to the outbox (the outbox row says when the channel took it)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    opened_at: Mapped[datetime | None]
    quiz_answer: Mapped[str | None] = mapped_column(String(8))  # correct | wrong
    quiz_answered_at: Mapped[datetime | None]


class ContentNotice(Base):
    """A content problem staff were told about once (a missing translation, an approval about to expire):
    the unique (kind, key) keeps several processes and daily runs from opening the same task twice."""

    __tablename__ = "content_notices"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_content_notices_kind_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    support_task_id: Mapped[int | None] = mapped_column(ForeignKey("support_tasks.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SmsPart(Base):
    """One Twilio message. An outbound Message longer than the segment budget leaves as several SMS, in order;
    each part is recorded the moment Twilio accepts it, so a retry after a failure mid-way never resends it."""

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


class PvCaseAnswer(Base):
    """A patient's answer to an approved follow-up question, verbatim, with the message it came in."""

    __tablename__ = "pv_case_answers"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("pv_cases.id"), index=True)
    question: Mapped[str] = mapped_column(String(32))  # key in bot.pv.questions
    answer: Mapped[str] = mapped_column(Encrypted())
    option: Mapped[str | None] = mapped_column(String(64))  # the option chosen, when one was
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class PvCaseEvent(Base):
    """The case's own history: who did what and when (opened, assigned, forwarded, ...); append-only."""

    __tablename__ = "pv_case_events"
    __table_args__ = (Index("ix_pv_case_events_case_at", "case_id", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("pv_cases.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # a staff username, or "system" / "patient" / "watchdog"
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Encrypted(), default="{}")  # JSON; notes and reasons may name people


class PvDeadlineAlert(Base):
    """One warning per case and threshold (`due_soon`, `overdue`): the key makes the watchdog idempotent."""

    __tablename__ = "pv_deadline_alerts"
    case_id: Mapped[int] = mapped_column(ForeignKey("pv_cases.id"), primary_key=True)
    threshold: Mapped[str] = mapped_column(String(16), primary_key=True)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("support_tasks.id"))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)


# The staff console's tables (accounts, sessions, tokens, task notes, audit log) share this metadata.
from bot.storage import staff_models  # noqa: F401
from bot.storage.models_telegram import LinkCode, TelegramPart  # noqa: F401  (the Telegram channel's tables)
