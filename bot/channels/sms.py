"""The SMS channel on Twilio: inbound webhooks become `Inbound`s, outbox rows leave as segment-aware SMS.

Inbound (bot/web/twilio_webhooks.py calls `inbound_from_form` after `SmsChannel.signed`): the sender is
normalised to E.164, Twilio's MessageSid is the external id (a redelivery is recognised by the conversation),
and Twilio's own opt-out recognition (OptOutType, with Advanced Opt-Out) becomes a STOP or START.

Outbound (`SmsChannel.send`, called by the dispatcher): options become "Reply 1 for ..." lines; the text is
split with `fit_to_budget` into SMS of at most `sms_max_segments` segments each. The parts go out in order and
each is recorded (SID, first status, segments) the moment Twilio accepts it, so when a later part fails the
outbox retry sends only the parts that did not go: a patient never gets part 1 twice because part 2 failed.
(The one duplicate we cannot rule out is Twilio accepting a part whose response never reaches us: the REST
API has no idempotency key.) The parts are planned again from the same text and settings on a retry.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from babel import Locale
from twilio.rest import Client

from bot import phones
from bot.channels.base import (
    AddressOptedOut,
    Host,
    OutboundMessage,
    PermanentSendError,
    RetryableSendError,
    SendError,
)
from bot.channels.sms_text import count_segments, fit_to_budget
from bot.channels.sms_twilio import RateLimiter, make_client, signature_ok, translate_error
from bot.core.messages import Inbound
from bot.i18n import LANGUAGES, t
from bot.storage import sms as sms_store

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


log = logging.getLogger(__name__)

NAME = "sms"
INBOUND_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
_E164_SHAPE = re.compile(r"^\+[1-9]\d{6,14}$")
_MESSAGING_SERVICE = re.compile(r"^MG[0-9a-fA-F]{32}$")
# Twilio's Advanced Opt-Out names the keyword it recognised (including ones configured in its console).
OPT_OUT_EVENTS = {"STOP": "stop_requested", "START": "started"}


class BadInbound(ValueError):
    """A webhook form we cannot turn into a message; the text is safe to return to the caller (no body)."""


# Twilio's message SIDs (SMS, MMS, WhatsApp). Checking the shape keeps oversized or re-split values (a
# replayed
# request whose parameters were cut differently so the signature still matches) out of the dedupe key.
MESSAGE_SID = re.compile(r"(SM|MM)[0-9a-f]{32}")
ERROR_CODE = re.compile(r"[0-9]{1,6}")
STATUS_WORD = re.compile(r"[a-z_-]{1,24}")


def check_message_sid(sid: str) -> str:
    if not MESSAGE_SID.fullmatch(sid):
        raise BadInbound("MessageSid is not a Twilio message SID (SM or MM and 32 hex digits)")
    return sid


def check_status_fields(status: str, error_code: str | None) -> None:
    """A status callback's MessageStatus and ErrorCode, bounded before they reach the database."""
    if not STATUS_WORD.fullmatch(status):
        raise BadInbound("MessageStatus is not a Twilio message status")
    if error_code is not None and not ERROR_CODE.fullmatch(error_code):
        raise BadInbound("ErrorCode is not a Twilio error code (up to 6 digits)")


# --- inbound ------------------------------------------------------------------------------------------------


def normalise_number(raw: str) -> str:
    """E.164 for a sender. A number already in E.164 shape that phonenumbers' metadata does not know yet (a
    newly assigned range) is kept as Twilio sent it rather than refusing a patient."""
    try:
        return phones.to_e164(raw)
    except phones.InvalidPhoneNumber as exc:
        candidate = raw.strip()
        if _E164_SHAPE.match(candidate):
            return candidate
        raise BadInbound(f"From is not a phone number ({exc})") from None


def language_hint(e164: str) -> str | None:
    """The language most spoken in the number's country, when it is one of ours (+34 -> es, +966 -> ar)."""
    try:
        region = phones.region_of(e164)
    except phones.InvalidPhoneNumber:
        return None
    return _language_of(region) if region else None


@cache
def _language_of(region: str) -> str | None:
    try:
        language = Locale.parse(f"und_{region}").language
    except (ValueError, TypeError):
        return None
    return language if language in LANGUAGES else None


def inbound_from_form(form: Mapping[str, str], received_at: datetime) -> Inbound:
    """Twilio's incoming-message form as an Inbound; BadInbound when a field we need is missing."""
    missing = [name for name in ("From", "Body") if name not in form]
    sid = form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid")
    if not sid:
        missing.append("MessageSid")
    if missing or sid is None:
        raise BadInbound("missing form field(s): " + ", ".join(missing))
    check_message_sid(sid)
    address = normalise_number(form["From"])
    return Inbound(
        channel=NAME,
        address=address,
        text=form["Body"],
        received_at=received_at,
        external_id=sid,
        language_hint=language_hint(address),
        event=OPT_OUT_EVENTS.get(form.get("OptOutType", "").strip().upper()),
    )


# --- outbound -----------------------------------------------------------------------------------------------


def render(text: str, options: Sequence[Mapping[str, Any]], locale: str | None) -> str:
    """The text, then one "Reply 1 for ..." line per option: the patient answers with the number or the
    word."""
    if not options:
        return text
    lines = [
        t(locale, "Reply {number} for {label}", number=n, label=o["label"]) for n, o in enumerate(options, 1)
    ]
    return text + "\n\n" + "\n".join(lines)


def plan(text: str, max_segments: int) -> list[tuple[str, int]]:
    """The SMS a text leaves as, with the segments each costs."""
    return [(part, count_segments(part).segments) for part in fit_to_budget(text, max_segments)]


class SmsChannel:
    """Sends outbox rows through Twilio's Messages API at a steady rate; checks Twilio's webhook
    signatures."""

    name = NAME
    records_status = True  # Twilio's statuses (queued, sent, delivered...) are recorded by this channel

    def __init__(
        self,
        client: Client,
        sessions: async_sessionmaker[AsyncSession],
        *,
        auth_token: str,
        sender: str,
        public_url: str,
        max_segments: int,
        rate: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self._sessions = sessions
        self._auth_token = auth_token
        # A Messaging Service picks the sender itself; `from_` would bypass it (and its opt-out handling).
        self._sender = (
            {"messaging_service_sid": sender} if _MESSAGING_SERVICE.match(sender) else {"from_": sender}
        )
        self.public_url = public_url.rstrip("/")
        self.status_callback = self.public_url + STATUS_PATH
        self.max_segments = max_segments
        self.limiter = RateLimiter(rate)
        self._clock = clock

    def signed(self, path_qs: str, params: Mapping[str, Any], headers: Mapping[str, str]) -> bool:
        """True when Twilio signed this webhook for PSP_PUBLIC_URL + `path_qs` (path and query as
        received)."""
        return signature_ok(self._auth_token, self.public_url + path_qs, params, headers)

    async def send(self, message: OutboundMessage) -> str | None:
        async with self._sessions() as session:
            ctx = await sms_store.send_context(session, message.message_id, message.address_id)
        if ctx.opted_out and message.kind != "stop_confirmation":
            # Defence in depth: whatever queued it, nothing but the STOP confirmation goes to an
            # opted-out number.
            raise AddressOptedOut("the patient opted out of SMS")
        # Before the patient has chosen a language, the prompt was worded in their country's (see
        # inbound_from_form).
        locale = ctx.locale or language_hint(message.address)
        parts = plan(render(message.text, message.options, locale), self.max_segments)
        if not parts:
            raise PermanentSendError("nothing to send: the message is empty")
        total_segments = sum(segments for _, segments in parts)
        first_sid = ctx.sent_parts.get(0)
        for index, (body, segments) in enumerate(parts):
            if index in ctx.sent_parts:
                continue  # sent before a later part failed: never twice
            await self.limiter.wait()
            try:
                created = await self.client.messages.create_async(
                    to=message.address, body=body, status_callback=self.status_callback, **self._sender
                )
            except Exception as exc:  # every provider error leaves as one of ours (base.py)
                error = translate_error(exc)
                await self._keep_error_code(message.message_id, error)
                raise error from exc
            sid = str(created.sid)
            async with self._sessions() as session, session.begin():
                await sms_store.record_part(
                    session,
                    message_id=message.message_id,
                    part=index,
                    total_parts=len(parts),
                    sid=sid,
                    status=str(created.status or "queued"),
                    segments=segments,
                    total_segments=total_segments,
                    now=self._clock(),
                )
            if index == 0:
                first_sid = sid
        return first_sid

    async def _keep_error_code(self, message_id: int, error: SendError) -> None:
        if error.code is None or isinstance(error, RetryableSendError):
            return
        async with self._sessions() as session, session.begin():
            await sms_store.record_error_code(session, message_id, error.code)

    async def close(self) -> None:
        await self.client.http_client.close()  # type: ignore[attr-defined]


def describe_sender(sender: str) -> str:
    """How the health check names the sender, without printing a full number."""
    return (
        "Messaging Service " + sender[:6] + "…" if _MESSAGING_SERVICE.match(sender) else phones.mask(sender)
    )


async def enable(services: Host) -> None:
    """Start the SMS channel (Twilio credentials are set): the REST client is created here, inside the running
    loop, and closed on shutdown."""
    settings = services.settings
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from
    assert settings.psp_public_url, "load_settings() requires PSP_PUBLIC_URL with Twilio"
    client = make_client(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_url)
    channel = SmsChannel(
        client,
        services.sessions,
        auth_token=settings.twilio_auth_token,
        sender=settings.twilio_from,
        public_url=settings.psp_public_url,
        max_segments=settings.sms_max_segments,
        rate=settings.twilio_rate,
        clock=services.clock,
    )
    services.channels[NAME] = channel
    services.channel_status[NAME] = f"on (Twilio, from {describe_sender(settings.twilio_from)})"
    services.closers.append(channel.close)
