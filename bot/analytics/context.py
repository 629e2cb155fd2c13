"""What analytics reads from the running process: sessions, clock, settings (the export key) and programs.

A protocol, not the wiring module's `Services`: any object with these four (the CLI's and the web app's
`Services`, a test's) will do.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.core.programs import Program


class Analytics(Protocol):
    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def settings(self) -> Settings: ...
    @property
    def programs(self) -> Mapping[str, Program]: ...
