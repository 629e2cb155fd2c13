"""Typed application state keys (aiohttp's web.AppKey), and what the web app reads from the running process."""

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
from scheduler.dispatch import DispatchStats


class Dispatching(Protocol):
    stats: DispatchStats


class WebServices(Protocol):
    """The process state handlers read (the wiring module's `Services` is one): sessions and clock above all."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    programs: Mapping[str, Program]
    modules: Mapping[str, Module]
    conversation: Receiver
    dispatcher: Dispatching
    channels: dict[str, Channel]
    channel_status: dict[str, str]
    clock: Callable[[], datetime]


SERVICES: web.AppKey[WebServices] = web.AppKey("services")
