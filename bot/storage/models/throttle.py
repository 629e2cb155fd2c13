"""Throttle counters shared by every process: sign-in attempts and code guesses (one row per key)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.models.base import Base


class Throttle(Base):
    """How often `key` failed lately, when it may try next, and whether a try is being evaluated right now.

    Keys name what is counted: `login-user:<name>`, `login-source:<ip>`, `code:<hash of the address>`,
    `code-space:<kind>`. A try reserves the row (`busy_until`) before the slow part, so parallel tries wait.
    """

    __tablename__ = "throttles"
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    allowed_at: Mapped[datetime]
    busy_until: Mapped[datetime | None]
    window_start: Mapped[datetime]
    updated_at: Mapped[datetime]
