"""`python -m tests.reminders.worker`: a stand-in for `psp serve` in the process tests, until the Telegram
channel (`bot.channels.telegram`, built on another branch) is merged.

It wires exactly what `psp serve` wires for sending — `open_services`, `start_scheduler` (the outbox tick and
the reminder jobs), the real `Dispatcher` — plus a minimal Telegram channel that speaks the Bot API over HTTP
to `TELEGRAM_API_URL` (the Telegram double running in the test process). aiohttp rather than aiogram, because
importing aiogram costs seconds per process. Configuration comes from the environment, like `psp serve`. It
prints `ready` once the scheduler runs, and `sent=<n>` when stopped with SIGTERM.
"""

from __future__ import annotations

import asyncio
import signal

import aiohttp

from bot.app import close_services, open_services, start_scheduler
from bot.channels.base import AddressUnreachable, OutboundMessage, PermanentSendError, RetryableSendError
from bot.config import load_settings


class TelegramOverHttp:
    """Just enough of a Telegram channel to send text, with provider errors translated like a real adapter."""

    name = "telegram"

    def __init__(self, http: aiohttp.ClientSession, api_url: str, token: str) -> None:
        self.http, self.url = http, f"{api_url}/bot{token}/sendMessage"

    async def send(self, message: OutboundMessage) -> str | None:
        try:
            async with self.http.post(
                self.url, data={"chat_id": message.address, "text": message.text}
            ) as response:
                body = await response.json()
        except aiohttp.ClientError as exc:
            raise RetryableSendError(f"network: {exc}") from exc
        if body.get("ok"):
            result = body["result"]
            # Telegram numbers messages per chat: the provider id must name the chat too to be unique.
            return f"{result['chat']['id']}:{result['message_id']}"
        status, description = body.get("error_code"), body.get("description", "")
        if status == 429:
            raise RetryableSendError(description, (body.get("parameters") or {}).get("retry_after"))
        if status == 403:
            raise AddressUnreachable(description)
        if isinstance(status, int) and status >= 500:
            raise RetryableSendError(description)
        raise PermanentSendError(description)


async def main() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token
    services = await open_services(settings)
    http = aiohttp.ClientSession()
    services.channels["telegram"] = TelegramOverHttp(
        http, settings.telegram_api_url, settings.telegram_bot_token
    )
    start_scheduler(services)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    await stop.wait()
    print(f"sent={services.dispatcher.stats.sent}", flush=True)
    await close_services(services)
    await http.close()


if __name__ == "__main__":
    asyncio.run(main())
