"""The SMS channel's pure parts (rendering, normalising, error translation, the rate limiter) and its
wiring."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
import pytest
from twilio.base.exceptions import TwilioRestException

from bot.channels.base import AddressOptedOut, AddressUnreachable, PermanentSendError, RetryableSendError
from bot.channels.sms import BadInbound, inbound_from_form, language_hint, normalise_number, plan, render
from bot.channels.sms_twilio import RateLimiter, make_client, translate_error
from tests.doubles.twilio_api import TwilioDouble

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
OPTIONS = [{"key": "consent:yes", "label": "I agree"}, {"key": "consent:no", "label": "I do not agree"}]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Do you agree?\n\nReply 1 for I agree\nReply 2 for I do not agree"),
        ("es", "Do you agree?\n\nResponda 1 para I agree\nResponda 2 para I do not agree"),
        ("fr", "Do you agree?\n\nRépondez 1 pour I agree\nRépondez 2 pour I do not agree"),
        ("de", "Do you agree?\n\nAntworten Sie 1 für I agree\nAntworten Sie 2 für I do not agree"),
        ("pt", "Do you agree?\n\nResponda 1 para I agree\nResponda 2 para I do not agree"),
        # Arabic: values are bidi-isolated so Latin labels and digits keep their order in right-to-left text.
        (
            "ar",
            "Do you agree?\n\nأرسل \u20681\u2069 لاختيار \u2068I agree\u2069\nأرسل \u20682\u2069 لاختيار "
            "\u2068I do not agree\u2069",
        ),
        (None, "Do you agree?\n\nReply 1 for I agree\nReply 2 for I do not agree"),
    ],
)
def test_options_become_a_numbered_list_in_the_patients_language(locale: str | None, expected: str) -> None:
    assert render("Do you agree?", OPTIONS, locale) == expected


def test_text_without_options_is_sent_as_it_is() -> None:
    assert render("Take your tablet.", [], "en") == "Take your tablet."


@pytest.mark.parametrize(
    ("text", "budget", "parts"),
    [("Hello", 3, [("Hello", 1)]), ("a " * 200, 3, [(("a " * 200).strip(), 3)]), ("", 3, [])],
)
def test_plan_counts_the_segments_of_each_sms(text: str, budget: int, parts: list[tuple[str, int]]) -> None:
    planned = plan(text, budget)
    assert [segments for _, segments in planned] == [segments for _, segments in parts]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+34911234567", "+34911234567"),
        ("0034 91 123 45 67", "+34911234567"),
        ("+81 3-1234-5678", "+81312345678"),
        ("+15557654321", "+15557654321"),
    ],  # E.164-shaped but unknown to phonenumbers: kept as Twilio sent it
)
def test_senders_are_normalised_to_e164(raw: str, expected: str) -> None:
    assert normalise_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "hello", "12345", "+0123"])
def test_a_sender_that_is_not_a_number_is_refused(raw: str) -> None:
    with pytest.raises(BadInbound, match="From"):
        normalise_number(raw)


@pytest.mark.parametrize(
    ("number", "language"),
    [
        ("+34911234567", "es"),
        ("+33612345678", "fr"),
        ("+4915112345678", "de"),
        ("+5511912345678", "pt"),
        ("+966501234567", "ar"),
        ("+14155550100", "en"),
        ("+81312345678", None),
        ("+80012345678", None),
    ],
)
def test_the_country_suggests_a_language_when_it_is_one_of_ours(number: str, language: str | None) -> None:
    assert language_hint(number) == language


def test_an_inbound_form_becomes_an_inbound() -> None:
    inbound = inbound_from_form({"From": "+34911234567", "Body": " Hola ", "MessageSid": "SM1"}, NOW)
    assert (inbound.channel, inbound.address, inbound.text, inbound.external_id) == (
        "sms",
        "+34911234567",
        " Hola ",
        "SM1",
    )
    assert (inbound.language_hint, inbound.event, inbound.received_at) == ("es", None, NOW)


@pytest.mark.parametrize(
    ("opt_out_type", "event"), [("STOP", "stop_requested"), ("START", "started"), ("HELP", None), ("", None)]
)
def test_twilios_opt_out_type_becomes_an_event(opt_out_type: str, event: str | None) -> None:
    form = {"From": "+14155550100", "Body": "x", "MessageSid": "SM1", "OptOutType": opt_out_type}
    assert inbound_from_form(form, NOW).event == event


@pytest.mark.parametrize(
    ("form", "missing"),
    [
        ({"Body": "x", "MessageSid": "SM1"}, "From"),
        ({"From": "+14155550100", "MessageSid": "SM1"}, "Body"),
        ({"From": "+14155550100", "Body": "x"}, "MessageSid"),
    ],
)
def test_an_incomplete_form_names_what_is_missing(form: dict[str, str], missing: str) -> None:
    with pytest.raises(BadInbound, match=missing):
        inbound_from_form(form, NOW)


@pytest.mark.parametrize(
    ("exc", "kind", "code"),
    [
        (TwilioRestException(400, "/Messages.json", "unsubscribed", code=21610), AddressOptedOut, "21610"),
        (
            TwilioRestException(429, "/Messages.json", "Too Many Requests", code=20429),
            RetryableSendError,
            None,
        ),
        (
            TwilioRestException(503, "/Messages.json", "Service Unavailable", code=20503),
            RetryableSendError,
            None,
        ),
        (TwilioRestException(500, "/Messages.json", "oops"), RetryableSendError, None),
        (TwilioRestException(401, "/Messages.json", "Authenticate", code=20003), RetryableSendError, None),
        (TwilioRestException(400, "/Messages.json", "Invalid 'To'", code=21211), AddressUnreachable, "21211"),
        (TwilioRestException(400, "/Messages.json", "too long", code=21617), PermanentSendError, "21617"),
        (aiohttp.ClientConnectionError("refused"), RetryableSendError, None),
        (TimeoutError(), RetryableSendError, None),
    ],
)
def test_twilio_errors_become_our_send_errors(exc: BaseException, kind: type, code: str | None) -> None:
    error = translate_error(exc)
    assert type(error) is kind
    assert error.code == code


async def test_the_rate_limiter_spaces_sends_evenly_even_when_called_at_once() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = RateLimiter(4.0, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(5):
        await limiter.wait()
    assert slept == [0.25, 0.5, 0.75, 1.0]
    now[0] += 10  # idle for a while: no burst credit is saved up beyond "send now"
    slept.clear()
    await limiter.wait()
    await limiter.wait()
    assert slept == [0.25]


async def test_twilio_edge_and_region_do_not_redirect_an_overridden_api_url(
    twilio_double: TwilioDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_EDGE", "sydney")
    monkeypatch.setenv("TWILIO_REGION", "au1")
    client = make_client(twilio_double.account_sid, twilio_double.auth_token, twilio_double.base_url)
    try:
        message = await client.messages.create_async(to="+14155550100", from_="+15557654321", body="hi")
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]
    assert twilio_double.sent_messages("+14155550100")[0]["sid"] == message.sid


async def test_enable_registers_the_channel_and_closes_its_http_client_on_shutdown(sms_world_factory) -> None:  # type: ignore[no-untyped-def]
    from bot.app import close_services
    from bot.channels.sms import SmsChannel

    world = await sms_world_factory()
    channel = world.services.channels["sms"]
    assert isinstance(channel, SmsChannel)
    assert world.services.channel_status["sms"].startswith("on")
    assert (
        "+1" in world.services.channel_status["sms"] and "7654321" not in world.services.channel_status["sms"]
    )
    session = channel.client.http_client.session  # type: ignore[attr-defined]
    health = await (await world.http.get("/healthz")).json()
    assert health["channels"]["sms"].startswith("on")
    await close_services(world.services)
    assert session.closed
