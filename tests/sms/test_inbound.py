"""Inbound SMS over the signed webhook: enrolment, forged signatures, bad forms, redeliveries, long bodies."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.storage.models import Message, Patient
from tests.sms.conftest import PUBLIC_URL, SmsPatient, SmsWorld, message_sid


async def _count(world: SmsWorld, model: type) -> int:
    async with world.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(
    ("number", "language", "zone_city", "zone", "country"),
    [
        (
            "+34911234567",
            "2",
            "Madrid",
            "Europe/Madrid",
            "ES",
        ),  # a Madrid number: Spanish first, Madrid suggested
        ("+81312345678", "1", "Tokyo", "Asia/Tokyo", "JP"),
    ],
)
async def test_enrolment_over_sms_suggests_the_time_zone_of_the_number(
    sms_world: SmsWorld, number: str, language: str, zone_city: str, zone: str, country: str
) -> None:
    patient = SmsPatient(sms_world, number)
    first = "\n".join(await patient.says("Hello"))
    assert "1 " in first and "English" in first and "العربية" in first
    if number.startswith("+34"):
        assert "Responda 1 para English" in first, "the country's language is used before the patient chooses"
    else:
        assert "Reply 1 for English" in first
    consent = "\n".join(await patient.says(language))
    assert "agree" in consent.casefold() or "acuerdo" in consent.casefold()
    assert await patient.says("1"), "consent given: the code is asked for"
    question = "\n".join(await patient.says("DEMO-CZ-2026"))
    assert zone_city in question, f"time-zone suggestion expected in {question!r}"
    await patient.says("1")  # yes, that is my time zone
    welcome = "\n".join(await patient.says("9:00"))
    assert zone_city in welcome and (
        "9:00 AM" in welcome or "9:00" in welcome
    )  # Babel formats the time in the locale

    row = await sms_world.patient(number)
    assert (row.status, row.timezone, row.country, row.reminder_times) == ("active", zone, country, ["09:00"])
    assert row.locale == {"1": "en", "2": "es"}[language]
    address = await sms_world.address(number)
    assert address.value == number


async def test_a_sender_is_stored_in_e164(sms_world: SmsWorld) -> None:
    response = await sms_world.post_inbound("0034 911 23 45 67", "hola")
    assert response.status == 200
    assert (await sms_world.address("+34911234567")).value == "+34911234567"


async def test_the_webhook_answers_at_once_with_empty_twiml_and_the_outbox_sends_the_reply(
    sms_world: SmsWorld,
) -> None:
    response = await sms_world.post_inbound("+14155550100", "hi")
    assert response.status == 200
    assert response.content_type == "text/xml"
    assert (await response.text()).endswith("<Response/>")
    assert sms_world.twilio.sent_messages() == [], "nothing is sent while Twilio waits for our answer"
    await sms_world.deliver()
    assert len(sms_world.bodies_to("+14155550100")) == 1


@pytest.mark.parametrize(
    "forgery",
    ["wrong token", "signed for the local URL", "no signature", "body changed after signing"],
)
async def test_a_forged_webhook_is_refused_and_nothing_is_stored(
    sms_world: SmsWorld, forgery: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "my secret symptom is dizziness"
    caplog.set_level(logging.INFO)
    if forgery == "wrong token":
        response = await sms_world.post_inbound("+14155550100", secret, token="not-the-auth-token")
    elif forgery == "signed for the local URL":
        local = str(sms_world.http.make_url("/webhooks/twilio/sms"))
        response = await sms_world.post_inbound("+14155550100", secret, sign_url=local)
    elif forgery == "no signature":
        response = await sms_world.http.post(
            "/webhooks/twilio/sms", data={"From": "+14155550100", "Body": secret, "MessageSid": message_sid()}
        )
    else:
        from tests.doubles.twilio_api import inbound_sms_form, signed_form

        form = inbound_sms_form("+14155550100", "hello", message_sid=message_sid())
        headers, data = signed_form(sms_world.twilio.auth_token, PUBLIC_URL + "/webhooks/twilio/sms", form)
        data["Body"] = secret
        response = await sms_world.http.post("/webhooks/twilio/sms", data=data, headers=headers)
    assert response.status == 403
    assert await _count(sms_world, Message) == 0 and await _count(sms_world, Patient) == 0
    assert "X-Twilio-Signature" in caplog.text
    assert secret not in caplog.text and "dizziness" not in caplog.text


async def test_the_signature_covers_the_query_string_of_the_public_url(sms_world: SmsWorld) -> None:
    from tests.doubles.twilio_api import inbound_sms_form, signed_form

    form = inbound_sms_form("+14155550100", "hi", message_sid=message_sid())
    headers, data = signed_form(
        sms_world.twilio.auth_token, PUBLIC_URL + "/webhooks/twilio/sms?program=cz", form
    )
    assert (
        await sms_world.http.post("/webhooks/twilio/sms?program=cz", data=data, headers=headers)
    ).status == 200
    sid2 = message_sid()
    form = inbound_sms_form("+14155550100", "hi", message_sid=sid2)
    headers, data = signed_form(sms_world.twilio.auth_token, PUBLIC_URL + "/webhooks/twilio/sms", form)
    assert (
        await sms_world.http.post("/webhooks/twilio/sms?program=cz", data=data, headers=headers)
    ).status == 403


@pytest.mark.parametrize("missing", ["From", "Body"])
async def test_a_form_without_from_or_body_is_a_clear_400_and_nothing_is_stored(
    sms_world: SmsWorld, missing: str
) -> None:
    response = await sms_world.post_inbound("+14155550100", "hello", drop=(missing,))
    assert response.status == 400
    assert missing in await response.text()
    assert await _count(sms_world, Message) == 0


async def test_a_sender_that_is_not_a_phone_number_is_a_400(sms_world: SmsWorld) -> None:
    response = await sms_world.post_inbound("not-a-number", "hello")
    assert response.status == 400 and "From" in await response.text()
    assert await _count(sms_world, Message) == 0


async def test_a_5000_character_body_is_stored_verbatim(sms_world: SmsWorld) -> None:
    body = ("I felt dizzy after the second tablet, é ñ ü 🙂 " * 120)[:5000]
    assert len(body) == 5000
    assert (await sms_world.post_inbound("+14155550100", body)).status == 200
    [stored] = await sms_world.messages("in")
    assert stored.body == body


async def test_a_redelivered_message_sid_is_one_message_with_one_set_of_replies(sms_world: SmsWorld) -> None:
    sid = message_sid()
    first = await sms_world.post_inbound("+14155550100", "hi", sid=sid)
    await sms_world.deliver()
    replies = sms_world.bodies_to("+14155550100")
    again = await sms_world.post_inbound("+14155550100", "hi", sid=sid)
    await sms_world.deliver()
    assert (first.status, again.status) == (200, 200)
    assert [m.external_id for m in await sms_world.messages("in")] == [sid]
    assert replies and sms_world.bodies_to("+14155550100") == replies


async def test_webhooks_are_404_when_the_sms_channel_is_off(services) -> None:  # type: ignore[no-untyped-def]
    from aiohttp.test_utils import TestClient, TestServer

    from bot.web.app import build_web_app

    async with TestClient(TestServer(build_web_app(services), host="127.0.0.1")) as http:
        for path in ("/webhooks/twilio/sms", "/webhooks/twilio/status"):
            response = await http.post(path, data={"From": "+14155550100", "Body": "hi"})
            assert response.status == 404
