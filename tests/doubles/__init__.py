"""HTTP-level test doubles of the providers outside our walls: Telegram's Bot API and Twilio's REST API.

aiogram and twilio-python run unmodified against them; pytest fixtures live in `tests.doubles.fixtures`.
"""

from .telegram_api import ApiCall, LoopbackAiohttpSession, RateLimit, TelegramDouble, Webhook
from .twilio_api import (
    ApiRequest,
    HeaderAuthHttpClient,
    TwilioDouble,
    inbound_sms_form,
    inbound_whatsapp_form,
    point_client_at,
    segment_count,
    signed_form,
    status_callback_form,
)

__all__ = [
    "ApiCall",
    "ApiRequest",
    "HeaderAuthHttpClient",
    "LoopbackAiohttpSession",
    "RateLimit",
    "TelegramDouble",
    "TwilioDouble",
    "Webhook",
    "inbound_sms_form",
    "inbound_whatsapp_form",
    "point_client_at",
    "segment_count",
    "signed_form",
    "status_callback_form",
]
