"""Twilio's webhooks: inbound SMS (`POST /webhooks/twilio/sms`), inbound WhatsApp
(`POST /webhooks/twilio/whatsapp`) and delivery status callbacks of both (`POST /webhooks/twilio/status`).

Both check `X-Twilio-Signature` against PSP_PUBLIC_URL + path + query (never the URL the request arrived on,
which a proxy may have rewritten) and answer 403 when it does not match, logging who called but never the
message body. An inbound message is stored (and its replies queued) before we answer, and we answer with empty
TwiML straight away: the outbox sends the replies, so nothing slow ever makes Twilio time out and retry.
"""

from __future__ import annotations

import logging

from aiohttp import web
from multidict import MultiDict

from bot import phones
from bot.channels import whatsapp
from bot.channels.sms import (
    NAME,
    BadInbound,
    SmsChannel,
    check_message_sid,
    check_status_fields,
    inbound_from_form,
)
from bot.channels.whatsapp import WhatsAppChannel
from bot.storage import sms as sms_store
from bot.web.keys import SERVICES

log = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def _twiml() -> web.Response:
    return web.Response(text=EMPTY_TWIML, content_type="text/xml", charset="utf-8")


def _channel(request: web.Request) -> SmsChannel:
    channel = request.app[SERVICES].channels.get(NAME)
    if not isinstance(channel, SmsChannel):
        raise web.HTTPNotFound(text="the SMS channel is off (TWILIO_ACCOUNT_SID not set)\n")
    return channel


def _whatsapp_channel(request: web.Request) -> WhatsAppChannel:
    channel = request.app[SERVICES].channels.get(whatsapp.NAME)
    if not isinstance(channel, WhatsAppChannel):
        raise web.HTTPNotFound(text="the WhatsApp channel is off (TWILIO_WHATSAPP_FROM not set)\n")
    return channel


def _any_twilio_channel(request: web.Request) -> SmsChannel | WhatsAppChannel:
    """Status callbacks of both Twilio channels come to one URL; either checks the (shared) signature."""
    channels = request.app[SERVICES].channels
    found = channels.get(NAME) or channels.get(whatsapp.NAME)
    if not isinstance(found, SmsChannel | WhatsAppChannel):
        raise web.HTTPNotFound(text="the Twilio channels are off (TWILIO_ACCOUNT_SID not set)\n")
    return found


async def _signed_form(request: web.Request, channel: SmsChannel | WhatsAppChannel) -> MultiDict[str]:
    """The posted form when Twilio signed it; 403 otherwise."""
    posted = await request.post()
    form: MultiDict[str] = MultiDict((k, v) for k, v in posted.items() if isinstance(v, str))
    if not channel.signed(request.raw_path, form, request.headers):
        sender = form.get("From")
        log.warning(
            "refused %s: X-Twilio-Signature missing or wrong (remote %s, From %s, MessageSid %s)",
            request.path,
            request.remote,
            phones.mask(sender) if sender else "-",
            form.get("MessageSid", "-")[:40],
        )
        raise web.HTTPForbidden(text="invalid X-Twilio-Signature\n")
    return form


async def inbound_sms(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    channel = _channel(request)
    form = await _signed_form(request, channel)
    try:
        inbound = inbound_from_form(form, services.clock())
    except BadInbound as exc:
        log.warning("refused inbound SMS: %s", exc)
        raise web.HTTPBadRequest(text=f"{exc}\n") from None
    outcome = await services.conversation.receive(inbound)  # group commit: returns once it is stored
    if outcome.duplicate:
        log.info("inbound SMS %s was delivered again: already stored", inbound.external_id)
    return _twiml()


async def inbound_whatsapp(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    channel = _whatsapp_channel(request)
    form = await _signed_form(request, channel)
    try:
        inbound = whatsapp.inbound_from_form(form, services.clock())
    except BadInbound as exc:
        log.warning("refused inbound WhatsApp %s: %s", form.get("MessageSid", "-"), exc)
        raise web.HTTPBadRequest(text=f"{exc}\n") from None
    outcome = await services.conversation.receive(inbound)  # group commit: returns once it is stored
    if outcome.duplicate:
        log.info("inbound WhatsApp %s was delivered again: already stored", inbound.external_id)
    return _twiml()


async def status_callback(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    form = await _signed_form(request, _any_twilio_channel(request))
    sid = form.get("MessageSid") or form.get("SmsSid")
    status = form.get("MessageStatus") or form.get("SmsStatus")
    if not sid or not status:
        raise web.HTTPBadRequest(text="missing form field(s): MessageSid, MessageStatus\n")
    error_code = form.get("ErrorCode") or None
    try:
        check_message_sid(sid)
        check_status_fields(status, error_code)
    except BadInbound as exc:
        log.warning("refused status callback: %s", exc)
        raise web.HTTPBadRequest(text=f"{exc}\n") from None
    outcome = await sms_store.record_status(
        services.sessions,
        sid=sid,
        status=status,
        error_code=error_code,
        now=services.clock(),
    )
    if outcome.opted_out:
        log.info("SMS %s: recipient unsubscribed (21610); address opted out", sid)
    if outcome.follow_up:
        log.info("WhatsApp %s failed with %s: %s", sid, form.get("ErrorCode"), outcome.follow_up)
    return _twiml()
