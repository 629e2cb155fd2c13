"""Deliveries of approved content and staff notices about it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


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
