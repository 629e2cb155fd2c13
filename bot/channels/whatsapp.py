"""The WhatsApp channel on Twilio: one more thin transport on the SMS channel's client, signatures, statuses.

Inbound (`POST /webhooks/twilio/whatsapp`): `From=whatsapp:+E164` becomes the address `+E164`, MessageSid the
external id (redelivery is recognised by the conversation), a quick-reply button's `ButtonPayload` the pressed
option. Locations and media are noted by their type only; the file or the place is never stored.

Outbound: free text (options as "Reply 1 for ..." lines, as on SMS) while WhatsApp's 24-hour customer-service
window is open, else the program's approved template for the message's kind and language (`ContentSid`,
`ContentVariables`). The window is decided here, at send time, from the patient's last stored inbound WhatsApp
message: a reply queued inside the window but sent after it closed goes as a template. If Twilio still answers
63016 (outside the window) the message is sent again as its template at once; a 63016 status callback queues
it again as a template (bot/storage/whatsapp.py). Statuses use the SMS state machine and tables.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from twilio.rest import Client

from bot import phones
from bot.channels.base import AddressOptedOut, Host, OutboundMessage, PermanentSendError, SendError
from bot.channels.sms import BadInbound, check_message_sid, language_hint, normalise_number, render
from bot.channels.sms_twilio import RateLimiter, make_client, signature_ok, translate_error
from bot.core import templates
from bot.core.messages import Inbound
from bot.core.programs import Program
from bot.storage import sms as sms_store
from bot.storage import whatsapp as whatsapp_store

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

log = logging.getLogger(__name__)

NAME = "whatsapp"
INBOUND_PATH = "/webhooks/twilio/whatsapp"
STATUS_PATH = "/webhooks/twilio/status"
PREFIX = "whatsapp:"
MAX_BODY = 1600  # Twilio's limit for a WhatsApp body
_MESSAGING_SERVICE = re.compile(r"^MG[0-9a-fA-F]{32}$")


# --- inbound ------------------------------------------------------------------------------------------------


def attachment_note(form: Mapping[str, str]) -> str:
    """What was attached, by type only ("[location]", "[image/jpeg]"): we never keep the file or the place."""
    notes = ["[location]"] if form.get("Latitude") and form.get("Longitude") else []
    try:
        media = int(form.get("NumMedia") or 0)
    except ValueError:
        media = 0
    notes += [f"[{form.get(f'MediaContentType{i}') or 'media'}]" for i in range(media)]
    return " ".join(notes)


def inbound_from_form(form: Mapping[str, str], received_at: datetime) -> Inbound:
    """Twilio's WhatsApp webhook form as an Inbound; BadInbound when a field we need is missing."""
    missing = [name for name in ("From",) if not form.get(name)]
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    if not sid:
        missing.append("MessageSid")
    if missing or sid is None:
        raise BadInbound("missing form field(s): " + ", ".join(missing))
    check_message_sid(sid)  # the same id shape as SMS: a forged or re-split id is refused, not stored
    raw = form["From"]
    if not raw.startswith(PREFIX):
        raise BadInbound("From is not a WhatsApp address (whatsapp:+E164)")
    address = normalise_number(raw.removeprefix(PREFIX))
    payload = form.get("ButtonPayload") or None
    text = form.get("Body") or (form.get("ButtonText") or "" if payload else "")
    note = attachment_note(form)
    return Inbound(
        channel=NAME,
        address=address,
        text=f"{text}\n{note}" if text and note else text or note,
        received_at=received_at,
        external_id=sid,
        option=payload,
        language_hint=language_hint(address),
    )


# --- outbound -----------------------------------------------------------------------------------------------


class WhatsAppChannel:
    """Sends outbox rows as WhatsApp messages through Twilio; checks Twilio's webhook signatures."""

    name = NAME
    records_status = True  # Twilio's statuses are recorded by the channel, as for SMS

    def __init__(
        self,
        client: Client,
        sessions: async_sessionmaker[AsyncSession],
        programs: Mapping[str, Program],
        *,
        auth_token: str,
        sender: str,
        public_url: str,
        rate: float,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self._sessions = sessions
        self._programs = programs
        self._auth_token = auth_token
        self._sender = (
            {"messaging_service_sid": sender} if _MESSAGING_SERVICE.match(sender) else {"from_": sender}
        )
        self.public_url = public_url.rstrip("/")
        self.status_callback = self.public_url + STATUS_PATH
        self.limiter = RateLimiter(rate)
        self._clock = clock

    def signed(self, path_qs: str, params: Mapping[str, Any], headers: Mapping[str, str]) -> bool:
        """True when Twilio signed this webhook for PSP_PUBLIC_URL + `path_qs` (the SMS channel's check)."""
        return signature_ok(self._auth_token, self.public_url + path_qs, params, headers)

    async def send(self, message: OutboundMessage) -> str | None:
        async with self._sessions() as session:
            ctx = await whatsapp_store.send_context(
                session, message.message_id, message.address_id, message.patient_id
            )
        if ctx.sent_sid is not None:
            return ctx.sent_sid  # Twilio accepted it before a crash: never twice
        if ctx.opted_out and message.kind != "stop_confirmation":
            raise AddressOptedOut("the patient opted out of WhatsApp")
        locale = ctx.locale or language_hint(message.address)
        required = bool((message.template or {}).get("required"))
        if required or not whatsapp_store.in_window(ctx.last_inbound_at, self._clock()):
            return await self._send_template(message, ctx)
        body = render(message.text, message.options, locale)[:MAX_BODY]
        try:
            return await self._create(message, body=body)
        except SendError as error:
            if error.code != whatsapp_store.OUTSIDE_WINDOW_CODE:
                raise
            log.info(
                "WhatsApp message %s: outside the window (63016), sent as its template", message.message_id
            )
            return await self._send_template(message, ctx)

    async def _send_template(self, message: OutboundMessage, ctx: whatsapp_store.SendContext) -> str | None:
        """The message as its program's approved template; a dead letter for staff when there is none."""
        key = (message.template or {}).get("key")
        program = self._programs.get(ctx.program_id or "")
        chosen = (
            templates.choose(program.whatsapp_templates, key, ctx.locale, program.fallback_language)
            if program is not None and key
            else None
        )
        if chosen is None:
            raise PermanentSendError(
                "outside WhatsApp's 24-hour window and no approved template for a "
                f"'{key or message.kind or 'reply'}' message"
                f" in '{ctx.locale}' ({ctx.program_id or 'no program'})"
            )
        values = (message.template or {}).get("values") or {}
        variables = chosen.content_variables(values, [str(o["key"]) for o in message.options])
        return await self._create(message, content_sid=chosen.content_sid, content_variables=variables)

    async def _create(self, message: OutboundMessage, **content: str) -> str:
        await self.limiter.wait()
        try:
            created = await self.client.messages.create_async(
                to=PREFIX + message.address, status_callback=self.status_callback, **self._sender, **content
            )
        except Exception as exc:  # every provider error leaves as one of ours (base.py)
            error = translate_error(exc)
            if error.code is not None and error.code != whatsapp_store.OUTSIDE_WINDOW_CODE:
                async with self._sessions() as session, session.begin():
                    await sms_store.record_error_code(session, message.message_id, error.code)
            raise error from exc
        sid = str(created.sid)
        async with self._sessions() as session, session.begin():
            await sms_store.record_part(
                session,
                message_id=message.message_id,
                part=0,
                total_parts=1,
                sid=sid,
                status=str(created.status or "queued"),
                segments=1,
                total_segments=1,
                now=self._clock(),
            )
        return sid

    async def close(self) -> None:
        await self.client.http_client.close()  # type: ignore[attr-defined]


def describe_sender(sender: str) -> str:
    """How the health check names the sender, without printing a full number."""
    if _MESSAGING_SERVICE.match(sender):
        return "Messaging Service " + sender[:6] + "…"
    return PREFIX + phones.mask(sender.removeprefix(PREFIX))


async def enable(services: Host) -> None:
    """Start the WhatsApp channel (Twilio credentials and TWILIO_WHATSAPP_FROM are set)."""
    settings = services.settings
    assert settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_whatsapp_from
    assert settings.psp_public_url, "load_settings() requires PSP_PUBLIC_URL with Twilio"
    client = make_client(settings.twilio_account_sid, settings.twilio_auth_token, settings.twilio_api_url)
    channel = WhatsAppChannel(
        client,
        services.sessions,
        services.programs,
        auth_token=settings.twilio_auth_token,
        sender=settings.twilio_whatsapp_from,
        public_url=settings.psp_public_url,
        rate=settings.twilio_rate,
        clock=services.clock,
    )
    services.channels[NAME] = channel
    services.channel_status[NAME] = f"on (Twilio, from {describe_sender(settings.twilio_whatsapp_from)})"
    services.closers.append(channel.close)
