"""Tables added with the Telegram channel (issue #3): one-time link codes, and parts of split messages.

Imported at the end of `bot.storage.models`, so `Base.metadata` (and Alembic) sees them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base, utcnow


class LinkCode(Base):
    """A short one-time code that attaches a new address (another app) to an existing patient.

    Only a keyed hash of the code is stored. A code is active while `used_at` is null and `expires_at` is
    ahead; used ones stay as the record of which address was linked when.
    """

    __tablename__ = "link_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_address_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))


class TelegramPart(Base):
    """One delivered part of an outbound message that Telegram needed split (over 4,096 characters).

    A retry after a partial send skips the parts recorded here, so a patient never gets part one twice.
    """

    __tablename__ = "telegram_parts"
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), primary_key=True)
    part: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    provider_id: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
