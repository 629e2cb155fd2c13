"""twilio-python glue for the SMS channel: the REST client, its errors, webhook signatures, the send rate.

Everything that imports `twilio` lives in bot/channels. Pitfalls handled here (checked in twilio 9.13's
source):
- `AsyncTwilioHttpClient` hands credentials to aiohttp as `BasicAuth`, deprecated in aiohttp 3.14: we send the
  Authorization header ourselves. It also ignores its own `timeout` (the client passes `timeout=None` per
  request, which aiohttp reads as "no timeout"): we apply it.
- Its `max_retries` would retry a POST after a 5xx and could send an SMS twice: left unset; the outbox
  retries.
- There is no base-URL argument: `client.api.base_url` redirects Messages, and TWILIO_EDGE / TWILIO_REGION in
  the environment would rewrite that host, so they are switched off whenever the URL is overridden.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator, get_signature_algorithm
from twilio.rest import Client

from bot.channels.base import (
    AddressOptedOut,
    AddressUnreachable,
    PermanentSendError,
    RetryableSendError,
    SendError,
)

DEFAULT_API_URL = "https://api.twilio.com"
REQUEST_TIMEOUT = 15.0  # seconds; a send that takes longer is retried by the outbox
SIGNATURE_HEADER = "X-Twilio-Signature"
SIGNATURE_SETTINGS_HEADER = "X-Twilio-Webhooks-Signature-Settings"

# Error codes that say the number itself cannot receive our SMS: a person must look at the address.
UNREACHABLE_CODES = frozenset({21211, 21612, 21614, 30005, 30006})
OPTED_OUT_CODE = 21610


class HeaderAuthHttpClient(AsyncTwilioHttpClient):
    """AsyncTwilioHttpClient that sends Basic credentials as a header and honours its own timeout."""

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        if auth is not None:
            credentials = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {credentials}"}
        return await super().request(
            method,
            url,
            params=params,
            data=data,
            headers=headers,
            auth=None,
            timeout=timeout if timeout is not None else self.timeout,
            allow_redirects=allow_redirects,
        )


def make_client(account_sid: str, auth_token: str, api_url: str = DEFAULT_API_URL) -> Client:
    """A Client on our async HTTP client; call inside the running loop (the aiohttp session opens here) and
    `await client.http_client.close()` on shutdown."""
    client = Client(account_sid, auth_token, http_client=HeaderAuthHttpClient(timeout=REQUEST_TIMEOUT))
    if api_url.rstrip("/") != DEFAULT_API_URL:
        client.edge = None
        client.region = None
        client.api.base_url = api_url.rstrip("/")
    return client


def translate_error(exc: BaseException) -> SendError:
    """Twilio's errors as our send errors (raise the result `from exc`)."""
    if isinstance(exc, TwilioRestException):
        code, status = exc.code, exc.status
        what = f"Twilio {status}" + (f" / {code}" if code else "") + f": {exc.msg}"
        if code == OPTED_OUT_CODE:
            return AddressOptedOut(what, code=str(code))
        if status == 429 or status >= 500 or status in (401, 403):
            # Throttled, down, or our credentials are being fixed: nothing is lost by trying later.
            return RetryableSendError(what)
        error: SendError = AddressUnreachable(what) if code in UNREACHABLE_CODES else PermanentSendError(what)
        error.code = str(code) if code else None
        return error
    if isinstance(exc, (aiohttp.ClientError, asyncio.TimeoutError, OSError)):
        return RetryableSendError(f"Twilio unreachable: {type(exc).__name__}: {exc}")
    if isinstance(exc, TwilioException):
        return RetryableSendError(f"Twilio client error: {exc}")
    return RetryableSendError(f"{type(exc).__name__}: {exc}")


def signature_ok(auth_token: str, url: str, params: Mapping[str, Any], headers: Mapping[str, str]) -> bool:
    """Was this webhook signed by Twilio with our auth token? `url` must be the public URL Twilio called
    (PSP_PUBLIC_URL + path + query), never the one the request arrived on behind a proxy."""
    signature = headers.get(SIGNATURE_HEADER, "")
    if not signature:
        return False
    algorithm = get_signature_algorithm(headers.get(SIGNATURE_SETTINGS_HEADER))
    return bool(RequestValidator(auth_token).validate(url, params, signature, algorithm))


class RateLimiter:
    """At most `rate` sends per second from this process, spaced evenly, in arrival order.

    Each caller reserves the next free slot before it sleeps, so concurrent callers never share one.
    """

    def __init__(
        self,
        rate: float,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.interval = 1.0 / rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = float("-inf")

    async def wait(self) -> None:
        now = self._monotonic()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)
