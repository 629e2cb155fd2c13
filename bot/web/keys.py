"""Typed application state keys (aiohttp's web.AppKey), and what the web app reads from the running
process."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.base import Channel, Receiver
from bot.config import Settings
from bot.core.programs import Program
from bot.learn.modules import Module
from bot.metrics import Metrics
from scheduler.dispatch import DispatchStats


class Dispatching(Protocol):
    @property
    def stats(self) -> DispatchStats: ...


class WebServices(Protocol):
    """The process state handlers read (the wiring module's `Services` is one): sessions and clock above
    all."""

    @property
    def settings(self) -> Settings: ...
    @property
    def engine(self) -> AsyncEngine: ...
    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]: ...
    @property
    def programs(self) -> Mapping[str, Program]: ...
    @property
    def modules(self) -> Mapping[str, Module]: ...
    @property
    def conversation(self) -> Receiver: ...
    @property
    def dispatcher(self) -> Dispatching: ...
    @property
    def channels(self) -> dict[str, Channel]: ...
    @property
    def channel_status(self) -> dict[str, str]: ...
    @property
    def clock(self) -> Callable[[], datetime]: ...
    @property
    def metrics(self) -> Metrics: ...


SERVICES: web.AppKey[WebServices] = web.AppKey("services")
