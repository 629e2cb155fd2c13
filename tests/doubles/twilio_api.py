"""Test double of Twilio's REST API (Messages), spoken over HTTP so that twilio-python itself runs in our
tests.

    async with TwilioDouble() as twilio:
        client = twilio.client()                      # Client(..., http_client=HeaderAuthHttpClient())
        message = await client.messages.create_async(to="+15551230001", from_="+15557654321", body="Hi")
        assert twilio.sent_messages("+15551230001")[0]["sid"] == message.sid
        await client.http_client.close()

Pointing twilio-python 9.13 elsewhere (checked in its source, see `point_client_at`):
- There is no base-URL argument. `client.api` is an `Api` domain created once per client; each request builds
  its URL as `client.api.base_url + "/2010-04-01/Accounts/{sid}/Messages.json"` (twilio/base/domain.py
  absolute_url), so `client.api.base_url = url` redirects Messages (only the `api` domain: messaging,
  lookups... are untouched).
- `ClientBase.request_async` then passes the URL through `get_hostname`, which, when `client.edge` or
  `client.region` is set, splits the host on dots and rebuilds it as `<first>.<edge>.<region>.<last two>`:
  `127.0.0.1:8080` becomes `127.sydney.au1.0.1:8080`, `localhost:8080` becomes
  `localhost:8080.sydney.au1.localhost:8080`. Both are read from `TWILIO_EDGE` / `TWILIO_REGION` in the
  environment when not given, and passing `edge=None` does not stop that (`edge or environ.get(...)`). So
  after building the client set `client.edge = None` and `client.region = None` whenever a base URL is
  overridden; that is what makes the override robust.
- `AsyncTwilioHttpClient()` opens an aiohttp ClientSession in its constructor: build it inside the running
  loop and `await http_client.close()` when done. Leave `max_retries` unset (it retries POSTs on 5xx:
  duplicate SMS).
- It also hands the credentials to aiohttp as `aiohttp.BasicAuth`, deprecated since aiohttp 3.14: a
  DeprecationWarning on every request, an error under our `filterwarnings = error`. `HeaderAuthHttpClient`
  sends the same credentials as an Authorization header instead; the SMS channel should use it (or the same
  few lines).

Errors use Twilio's legacy JSON shape ({"code", "message", "more_info", "status"}) so twilio-python raises
TwilioRestException with `.status` and `.code` set. Not modelled: media, scheduling, pagination of the list.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import math
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from multidict import MultiDict
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.sms_twilio import HeaderAuthHttpClient  # the production client, tested here too

from ._server import LoopbackServer

DEFAULT_ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
DEFAULT_AUTH_TOKEN = "test-auth-token-for-the-twilio-double"
MAX_BODY_LENGTH = 1600
E164 = re.compile(r"\+[1-9]\d{6,14}")

# GSM 03.38: the basic set costs one septet, the extension set two; anything else makes the message UCS-2.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")


def segment_count(body: str) -> int:
    """SMS segments for `body`: GSM-7 160 (153 each when split), else UCS-2 70 (67), UTF-16 units counted."""
    if all(char in GSM_BASIC or char in GSM_EXTENSION for char in body):
        units = sum(2 if char in GSM_EXTENSION else 1 for char in body)
        single, part = 160, 153
    else:
        units = len(body.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if units <= single else math.ceil(units / part)


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's error JSON: twilio-python reads `code` and `message` from it."""
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def point_client_at(client: Client, base_url: str) -> Client:
    """Send `client`'s Messages requests to `base_url`, immune to TWILIO_EDGE / TWILIO_REGION (see module
    doc)."""
    client.edge = None
    client.region = None
    client.api.base_url = base_url.rstrip("/")
    return client


def signed_form(
    auth_token: str, url: str, params: Mapping[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and form for posting `params` to `url` the way Twilio signs webhooks (X-Twilio-Signature).

    `url` is the full public URL Twilio would call (PSP_PUBLIC_URL + path + query), not the test server's.
    """
    signature = RequestValidator(auth_token).compute_signature(url, params)
    headers = {"X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"}
    return headers, dict(params)


def inbound_sms_form(
    from_: str,
    body: str,
    *,
    to: str = "+15557654321",
    account_sid: str = DEFAULT_ACCOUNT_SID,
    message_sid: str | None = None,
) -> dict[str, str]:
    """The form Twilio posts to an SMS webhook for an incoming message (the fields we read, plus the usual
    ones)."""
    sid = message_sid or new_sid("SM")
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": to,
        "NumSegments": str(segment_count(body)),
        "MessageSid": sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": "2010-04-01",
    }


def status_callback_form(
    message_sid: str,
    status: str,
    error_code: int | None = None,
    *,
    to: str = "+15551230001",
    from_: str = "+15557654321",
    account_sid: str = DEFAULT_ACCOUNT_SID,
    messaging_service_sid: str | None = None,
) -> dict[str, str]:
    """The form Twilio posts to a StatusCallback URL when an outbound message changes status."""
    form = {
        "SmsSid": message_sid,
        "SmsStatus": status,
        "MessageStatus": status,
        "To": to,
        "MessageSid": message_sid,
        "AccountSid": account_sid,
        "From": from_,
        "ApiVersion": "2010-04-01",
    }
    if messaging_service_sid is not None:
        form["MessagingServiceSid"] = messaging_service_sid
    if error_code is not None:
        form["ErrorCode"] = str(error_code)
    return form


_sid_counter = itertools.count(1)


def _rfc2822_now() -> str:
    """Dates as Twilio writes them: "Tue, 25 Nov 2025 16:35:00 +0000"."""
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())


def new_sid(prefix: str) -> str:
    """A resource SID: two letters and 32 hex digits, unique within the test run."""
    return f"{prefix}{next(_sid_counter):032x}"


@dataclass(frozen=True)
class ApiRequest:
    """One request the client made: method, path, decoded form, arrival time (time.monotonic()), HTTP
    status."""

    method: str
    path: str
    form: dict[str, str]
    at: float
    status: int


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(status, code, message)


class TwilioDouble(LoopbackServer):
    """Fake Twilio REST API at `base_url`: create and fetch Messages, with controls for tests."""

    def __init__(self, account_sid: str = DEFAULT_ACCOUNT_SID, auth_token: str = DEFAULT_AUTH_TOKEN) -> None:
        super().__init__()
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[ApiRequest] = []
        self.messages: dict[str, dict[str, Any]] = {}  # sid -> resource as GET returns it
        self.status_callbacks: dict[str, str | None] = {}  # sid -> StatusCallback URL given at create
        self._failures: deque[ApiError] = deque()
        self._outage_until: float | None = None
        self._unsubscribed: set[tuple[str, str | None]] = set()  # (number, sender or None for every sender)
        base = "/2010-04-01/Accounts/{account_sid}/Messages"
        self.app.router.add_post(base + ".json", self._create)
        self.app.router.add_get(base + "/{sid}.json", self._fetch)

    def client(self) -> Client:
        """A twilio-python Client (async HTTP client) pointed here; `await client.http_client.close()`
        after."""
        client = Client(self.account_sid, self.auth_token, http_client=HeaderAuthHttpClient())
        return point_client_at(client, self.base_url)

    # ---- what was sent ------------------------------------------------------------------------------------

    def sent_messages(self, to: str | None = None) -> list[dict[str, Any]]:
        """Messages accepted by the API (as resources), oldest first."""
        return [dict(m) for m in self.messages.values() if to is None or m["to"] == to]

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> dict[str, Any]:
        """Move a message on (sent, delivered, undelivered, failed...) so that a fetch shows it."""
        message = self.messages[sid]
        message["status"] = status
        message["error_code"] = error_code
        message["date_updated"] = _rfc2822_now()
        if status in {"sent", "delivered"}:
            message["date_sent"] = message["date_updated"]
        return dict(message)

    def status_callback(self, sid: str, status: str, error_code: int | None = None) -> dict[str, str]:
        """Move message `sid` to `status` and return the form Twilio would post to its StatusCallback URL
        (`self.status_callbacks[sid]`); sign it with `signed_form(self.auth_token, url, form)`."""
        message = self.set_status(sid, status, error_code)
        return status_callback_form(
            sid,
            status,
            error_code,
            to=message["to"],
            from_=message["from"] or "",
            account_sid=self.account_sid,
            messaging_service_sid=message["messaging_service_sid"],
        )

    # ---- failures -----------------------------------------------------------------------------------------

    def outage(self, seconds: float | None = None) -> None:
        """Every request answers 503 (code 20503) for `seconds`, or until clear_outage()."""
        self._outage_until = math.inf if seconds is None else time.monotonic() + seconds

    def clear_outage(self) -> None:
        self._outage_until = None

    def fail_next(
        self, status: int = 429, code: int = 20429, message: str | None = None, *, times: int = 1
    ) -> None:
        """The next `times` requests fail with `status` / `code` (default: Twilio's concurrency limit,
        429/20429)."""
        for _ in range(times):
            self._failures.append(ApiError(status, code, message or "Too Many Requests"))

    def unsubscribed(self, number: str, sender: str | None = None) -> None:
        """`number` replied STOP (to `sender`, or to every sender): sends answer 400 with code 21610."""
        self._unsubscribed.add((number, sender))

    def resubscribed(self, number: str, sender: str | None = None) -> None:
        self._unsubscribed.discard((number, sender))

    # ---- HTTP ---------------------------------------------------------------------------------------------

    async def _create(self, request: web.Request) -> web.Response:
        return await self._respond(request, self._create_message, created=True)

    async def _fetch(self, request: web.Request) -> web.Response:
        return await self._respond(request, self._fetch_message, created=False)

    async def _respond(
        self,
        request: web.Request,
        action: Callable[[web.Request, MultiDict[str]], dict[str, Any]],
        *,
        created: bool,
    ) -> web.Response:
        at = time.monotonic()
        form: MultiDict[str] = MultiDict(
            (k, v) for k, v in (await request.post()).items() if isinstance(v, str)
        )
        try:
            self._check_auth(request)
            if self._outage_until is not None and time.monotonic() < self._outage_until:
                raise ApiError(503, 20503, "Service Unavailable")
            if self._failures:
                raise self._failures.popleft()
            status, body = (201 if created else 200), action(request, form)
        except ApiError as exc:
            status, body = exc.status, exc.body
        self.requests.append(ApiRequest(request.method, request.path, dict(form), at, status))
        headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if status == 401 else None
        return web.json_response(body, status=status, headers=headers)

    def _check_auth(self, request: web.Request) -> None:
        scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = password = ""
        if (
            scheme.lower() != "basic"
            or (user, password) != (self.account_sid, self.auth_token)
            or request.match_info["account_sid"] != self.account_sid
        ):
            raise ApiError(401, 20003, "Authenticate")

    def _create_message(self, request: web.Request, form: MultiDict[str]) -> dict[str, Any]:
        to, body = form.get("To", ""), form.get("Body", "")
        sender, service = form.get("From"), form.get("MessagingServiceSid")
        if not to:
            raise ApiError(400, 21604, "A 'To' phone number is required.")
        if not E164.fullmatch(to):
            raise ApiError(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not sender and not service:
            raise ApiError(400, 21603, "A 'From' phone number is required.")
        if not body:
            raise ApiError(400, 21602, "Message body is required.")
        if len(body) > MAX_BODY_LENGTH:
            raise ApiError(400, 21617, "The concatenated message body exceeds the 1600 character limit.")
        if (to, None) in self._unsubscribed or (to, sender or service) in self._unsubscribed:
            raise ApiError(400, 21610, "Attempt to send to unsubscribed recipient")

        sid = new_sid("SM")
        now = _rfc2822_now()
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"
        message: dict[str, Any] = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender,
            "messaging_service_sid": service,
            "num_media": "0",
            "num_segments": str(segment_count(body)),
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            # With only a Messaging Service, Twilio answers "accepted" until it picks a sender.
            "status": "queued" if sender else "accepted",
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
            "to": to,
            "uri": uri,
        }
        self.messages[sid] = message
        self.status_callbacks[sid] = form.get("StatusCallback")
        return dict(message)

    def _fetch_message(self, request: web.Request, form: MultiDict[str]) -> dict[str, Any]:
        message = self.messages.get(request.match_info["sid"])
        if message is None:
            raise ApiError(404, 20404, f"The requested resource {request.path} was not found")
        return dict(message)
