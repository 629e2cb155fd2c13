"""Wiring: `enable(services)` from settings alone, and `psp serve` with a token talking to a patient end to
end."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import close_services, enable_channels, open_services
from bot.config import ConfigError
from tests.conftest import TEST_SECRET, make_settings
from tests.doubles.telegram_api import DEFAULT_TOKEN, TelegramDouble

ROOT = Path(__file__).resolve().parents[2]


async def test_enable_channels_starts_polling_from_the_settings(
    sqlite_url: str, telegram_double: TelegramDouble
) -> None:
    settings = make_settings(
        sqlite_url, telegram_bot_token=DEFAULT_TOKEN, telegram_api_url=telegram_double.base_url
    )
    services = await open_services(settings)
    try:
        await enable_channels(services)
        assert services.channel_status["telegram"] == "on (polling)"
        assert "telegram" in services.channels
        telegram_double.push_message(8001, "/start")
        for _ in range(250):
            if telegram_double.sent_messages(8001):
                break
            await asyncio.sleep(0.02)
        assert telegram_double.sent_messages(8001), "the reply went out without waiting for an outbox tick"
    finally:
        await close_services(services)


@pytest.mark.parametrize(
    ("token", "complaint"), [("not-a-token", "not a bot token"), ("123:wrong-token", "refused the token")]
)
async def test_a_bad_token_stops_start_up_naming_the_variable(
    sqlite_url: str, telegram_double: TelegramDouble, token: str, complaint: str
) -> None:
    settings = make_settings(sqlite_url, telegram_bot_token=token, telegram_api_url=telegram_double.base_url)
    services = await open_services(settings)
    try:
        with pytest.raises(ConfigError, match=f"TELEGRAM_BOT_TOKEN: .*{complaint}"):
            await enable_channels(services)
    finally:
        await close_services(services)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_psp_serve_with_a_token_answers_a_patient_on_telegram(
    tmp_path: Path, telegram_double: TelegramDouble
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PSP_", "TELEGRAM_", "TWILIO_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        PSP_HTTP_PORT=str(port),
        PSP_SECRET_KEY=TEST_SECRET,
        TELEGRAM_BOT_TOKEN=DEFAULT_TOKEN,
        TELEGRAM_API_URL=telegram_double.base_url,
    )
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "serve",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        health: dict[str, Any] = {}
        async with aiohttp.ClientSession() as http:
            for _ in range(300):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                        health = await response.json()
                        break
                except aiohttp.ClientError:
                    assert proc.returncode is None, "psp serve exited"
                    await asyncio.sleep(0.1)
        assert health["channels"]["telegram"] == "on (polling)"
        telegram_double.push_message(8002, "/start", language_code="fr")
        for _ in range(300):
            if telegram_double.sent_messages(8002):
                break
            await asyncio.sleep(0.05)
        [question] = telegram_double.sent_messages(8002)
        assert len(question["reply_markup"]["inline_keyboard"]) == 3
        assert {c.params.get("language_code", "") for c in telegram_double.calls_to("setMyCommands")} == {
            "",
            "en",
            "es",
            "fr",
            "de",
            "pt",
            "ar",
        }
    finally:
        if proc.returncode is None:
            proc.terminate()
        output, _ = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, output.decode()
