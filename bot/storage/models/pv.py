"""Pharmacovigilance cases, their messages, answers, events and deadline alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow
from bot.storage.types import Encrypted, EncryptedJSON


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
    evidence: Mapped[list[Any]] = mapped_column(EncryptedJSON(), default=list)  # health text: encrypted
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


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


class PvReview(Base):
    """A message in front of an officer for a decision: the screen's doubt (`screen`) or a random second look
    at a
    message the screen left clear (`second_look`). Its clock starts at the message's receipt, as a case's
    does."""

    __tablename__ = "pv_reviews"
    __table_args__ = (
        UniqueConstraint("message_id", name="uq_pv_reviews_message_id"),
        Index("ix_pv_reviews_status_due", "status", "due_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(16))  # screen | second_look
    score: Mapped[float] = mapped_column(Float, default=0.0)
    evidence: Mapped[list[Any]] = mapped_column(EncryptedJSON(), default=list)
    received_at: Mapped[datetime]
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | confirmed | dismissed
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None]
    dismiss_reason: Mapped[str | None] = mapped_column(Encrypted())
    case_id: Mapped[int | None] = mapped_column(ForeignKey("pv_cases.id"))


class PvExample(Base):
    """An officer's verdict kept as a labelled example (the learning loop): the text is encrypted like
    messages
    and kept when the message itself is erased, so misses can still teach the lexicons and the classifier."""

    __tablename__ = "pv_examples"
    __table_args__ = (Index("ix_pv_examples_source_created", "source", "created_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: outlives the message
    lang: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Encrypted())
    label: Mapped[str] = mapped_column(String(8))  # case | clear
    source: Mapped[str] = mapped_column(
        String(24)
    )  # review_confirmed | review_dismissed | second_look_miss | ...
    screen_tier: Mapped[str] = mapped_column(String(8))  # what the screen said: case | review | clear
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
