"""All tables, one module per area on one `Base`; importing this package completes `Base.metadata`."""

from bot.storage.models.base import Base, utcnow
from bot.storage.models.content import ContentDelivery, ContentNotice
from bot.storage.models.messages import Message, OutboxItem, SmsPart, SmsStatusEvent
from bot.storage.models.patients import Address, Consent, ConversationState, Patient, Program, SupportTask
from bot.storage.models.pv import (
    PvCase,
    PvCaseAnswer,
    PvCaseEvent,
    PvCaseMessage,
    PvDeadlineAlert,
    PvExample,
    PvReview,
)
from bot.storage.models.reminders import DoseEvent, Refill, Reminder
from bot.storage.models.staff import (
    ApiToken,
    AuditEntry,
    LoginAttempt,
    StaffSession,
    StaffUser,
    SupportTaskNote,
)
from bot.storage.models.telegram import LinkCode, TelegramPart
from bot.storage.models.throttle import Throttle

__all__ = [
    "Base",
    "utcnow",
    "Program",
    "Patient",
    "Address",
    "Consent",
    "ConversationState",
    "SupportTask",
    "Message",
    "OutboxItem",
    "SmsPart",
    "SmsStatusEvent",
    "PvCase",
    "PvCaseMessage",
    "PvCaseAnswer",
    "PvCaseEvent",
    "PvDeadlineAlert",
    "PvReview",
    "PvExample",
    "Reminder",
    "DoseEvent",
    "Refill",
    "ContentDelivery",
    "ContentNotice",
    "ApiToken",
    "AuditEntry",
    "LoginAttempt",
    "StaffSession",
    "StaffUser",
    "SupportTaskNote",
    "LinkCode",
    "TelegramPart",
    "Throttle",
]
