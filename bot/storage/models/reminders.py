"""Planned reminders, dose events and refills."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class Reminder(Base):
    """One planned reminder occurrence; (patient, slot_key) is its idempotency key, so it is sent at most
    once."""

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
