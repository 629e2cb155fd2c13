"""pytest fixtures for the provider doubles.

Enable them for the whole suite with `pytest_plugins = ["tests.doubles.fixtures"]` in tests/conftest.py, or
import the ones a module needs (`from tests.doubles.fixtures import telegram_bot, telegram_double`). Each
fixture is function-scoped: a fresh double, a fresh log, nothing shared between tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from twilio.rest import Client

from .telegram_api import TelegramDouble
from .twilio_api import TwilioDouble


@pytest.fixture
async def telegram_double() -> AsyncIterator[TelegramDouble]:
    async with TelegramDouble() as double:
        yield double


@pytest.fixture
async def telegram_bot(telegram_double: TelegramDouble) -> AsyncIterator[Bot]:
    """aiogram Bot talking to `telegram_double`; its aiohttp session is closed afterwards."""
    bot = telegram_double.bot()
    yield bot
    await bot.session.close()


@pytest.fixture
async def twilio_double() -> AsyncIterator[TwilioDouble]:
    async with TwilioDouble() as double:
        yield double


@pytest.fixture
async def twilio_client(twilio_double: TwilioDouble) -> AsyncIterator[Client]:
    """twilio-python Client (AsyncTwilioHttpClient) talking to `twilio_double`; its session is closed
    afterwards."""
    client = twilio_double.client()
    yield client
    await client.http_client.close()  # type: ignore[attr-defined]
