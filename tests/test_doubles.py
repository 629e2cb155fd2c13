"""The provider doubles, proven with the real aiogram and twilio-python talking HTTP to them."""

from __future__ import annotations

import asyncio
import re

import pytest
from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.filters import CommandStart
from aiogram.types import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message
from multidict import MultiDict
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.doubles import (
    HeaderAuthHttpClient,
    LoopbackAiohttpSession,
    RateLimit,
    TelegramDouble,
    TwilioDouble,
    point_client_at,
    segment_count,
    signed_form,
    status_callback_form,
)

pytest_plugins = ["tests.doubles.fixtures"]  # telegram_double, telegram_bot, twilio_double, twilio_client

PATIENT = 4242
PHONE = "+15551230001"
SENDER = "+15557654321"


def keyboard(*options: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=o, callback_data=f"answer:{o}") for o in options]]
    )


# ---- Telegram ---------------------------------------------------------------------------------------------


async def test_send_message_reaches_the_chat_with_its_buttons(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    first = await telegram_bot.send_message(
        PATIENT, "Did you take your dose?", reply_markup=keyboard("Yes", "No")
    )
    second = await telegram_bot.send_message(PATIENT, "Thanks")

    assert isinstance(first, Message)
    assert (first.chat.id, first.text) == (PATIENT, "Did you take your dose?")
    assert first.reply_markup is not None
    assert first.reply_markup.model_dump() == keyboard("Yes", "No").model_dump()
    assert second.message_id == first.message_id + 1
    shown = telegram_double.sent_messages(PATIENT)
    assert [m["text"] for m in shown] == ["Did you take your dose?", "Thanks"]
    assert shown[0]["reply_markup"]["inline_keyboard"][0][1]["callback_data"] == "answer:No"
    assert telegram_double.sent_messages(PATIENT + 1) == []
    assert telegram_double.calls_to("sendMessage")[0].params["chat_id"] == PATIENT


async def test_too_many_requests_raises_retry_after_once(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.fail_next("sendMessage", status=429, retry_after=7)

    with pytest.raises(TelegramRetryAfter) as caught:
        await telegram_bot.send_message(PATIENT, "Reminder")
    await telegram_bot.send_message(PATIENT, "Reminder")

    assert caught.value.retry_after == 7
    assert "retry after 7" in caught.value.message
    assert [c.status for c in telegram_double.calls_to("sendMessage")] == [429, 200]
    assert len(telegram_double.sent_messages(PATIENT)) == 1


async def test_server_error_and_outage_raise_server_errors(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.fail_next("sendMessage", status=500)
    with pytest.raises(TelegramServerError):
        await telegram_bot.send_message(PATIENT, "Reminder")

    telegram_double.outage()
    with pytest.raises(TelegramServerError):
        await telegram_bot.get_me()
    telegram_double.clear_outage()

    assert (await telegram_bot.get_me()).username == "psp_test_bot"
    assert telegram_double.sent_messages() == []


async def test_blocked_chat_is_forbidden_and_announced(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.block_chat(PATIENT, with_update=True)

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await telegram_bot.send_message(PATIENT, "Reminder")
    await telegram_bot.send_message(PATIENT + 1, "Someone else still gets theirs")
    [update] = await telegram_bot.get_updates()

    assert update.my_chat_member is not None
    assert (update.my_chat_member.chat.id, update.my_chat_member.new_chat_member.status) == (
        PATIENT,
        "kicked",
    )
    assert [m["chat"]["id"] for m in telegram_double.sent_messages()] == [PATIENT + 1]


async def test_get_updates_delivers_pushed_messages_until_confirmed(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    pushed = telegram_double.push_message(PATIENT, "I feel dizzy", language_code="es")

    [update] = await telegram_bot.get_updates()
    [again] = await telegram_bot.get_updates()  # not confirmed yet: Telegram hands it out again
    after_confirm = await telegram_bot.get_updates(offset=update.update_id + 1)

    assert update.update_id == again.update_id == pushed["update_id"]
    assert update.message is not None and update.message.from_user is not None
    assert (update.message.text, update.message.from_user.language_code) == ("I feel dizzy", "es")
    assert after_confirm == []


async def test_long_poll_returns_an_update_pushed_while_waiting(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.max_poll_wait = 5.0
    poll = asyncio.create_task(telegram_bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    telegram_double.push_message(PATIENT, "taken")

    [update] = await asyncio.wait_for(poll, 5)

    assert update.message is not None and update.message.text == "taken"


async def test_callback_update_carries_the_message_and_its_answer_is_recorded(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    sent = await telegram_bot.send_message(
        PATIENT, "Did you take your dose?", reply_markup=keyboard("Yes", "No")
    )
    telegram_double.push_callback(PATIENT, "answer:Yes", sent.message_id)

    [update] = await telegram_bot.get_updates()
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await telegram_bot.answer_callback_query(query.id, text="Noted")

    assert (query.data, query.message.message_id, query.message.text) == (
        "answer:Yes",
        sent.message_id,
        "Did you take your dose?",
    )
    assert telegram_double.answered_callbacks[query.id]["text"] == "Noted"


async def test_edits_behave_like_telegram(telegram_double: TelegramDouble, telegram_bot: Bot) -> None:
    sent = await telegram_bot.send_message(
        PATIENT, "Did you take your dose?", reply_markup=keyboard("Yes", "No")
    )

    edited = await telegram_bot.edit_message_text(
        "Dose recorded", chat_id=PATIENT, message_id=sent.message_id
    )
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await telegram_bot.edit_message_text("Dose recorded", chat_id=PATIENT, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await telegram_bot.edit_message_text("x", chat_id=PATIENT, message_id=999)

    assert isinstance(edited, Message) and edited.reply_markup is None  # no reply_markup: keyboard removed
    assert telegram_double.sent_messages(PATIENT)[0]["text"] == "Dose recorded"
    await telegram_bot.edit_message_reply_markup(
        chat_id=PATIENT, message_id=sent.message_id, reply_markup=keyboard("Undo")
    )
    assert telegram_double.sent_messages(PATIENT)[0]["reply_markup"] == keyboard("Undo").model_dump(
        exclude_none=True
    )
    assert await telegram_bot.delete_message(PATIENT, sent.message_id) is True
    assert telegram_double.sent_messages(PATIENT) == []


async def test_refuses_what_telegram_refuses(telegram_double: TelegramDouble, telegram_bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await telegram_bot.send_message(PATIENT, "x" * 4097)
    too_long_data = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="a", callback_data="d" * 65)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await telegram_bot.send_message(PATIENT, "Pick", reply_markup=too_long_data)
    with pytest.raises(TelegramBadRequest, match="HTTPS URL"):
        await telegram_bot.set_webhook("http://psp.example/webhooks/telegram")

    assert telegram_double.sent_messages() == []


async def test_webhook_and_commands_are_recorded(telegram_double: TelegramDouble, telegram_bot: Bot) -> None:
    await telegram_bot.set_my_commands([BotCommand(command="menu", description="Menú")], language_code="es")
    await telegram_bot.set_my_commands([BotCommand(command="menu", description="Menu")])
    await telegram_bot.set_webhook(
        "https://psp.example/webhooks/telegram",
        secret_token="s3cret_-token",
        allowed_updates=["message", "callback_query"],
    )

    assert telegram_double.commands == {
        "es": [{"command": "menu", "description": "Menú"}],
        "": [{"command": "menu", "description": "Menu"}],
    }
    assert telegram_double.webhook is not None
    assert telegram_double.webhook.secret_token == "s3cret_-token"
    assert telegram_double.webhook.allowed_updates == ["message", "callback_query"]
    with pytest.raises(TelegramConflictError, match="webhook is active"):
        await telegram_bot.get_updates()

    await telegram_bot.delete_webhook()
    assert telegram_double.webhook is None
    assert await telegram_bot.get_updates() == []


async def test_updates_outside_allowed_updates_are_not_delivered(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.push_callback(PATIENT, "answer:Yes", 1)
    telegram_double.push_message(PATIENT, "hello")

    updates = await telegram_bot.get_updates(allowed_updates=["message"])

    assert [u.message.text for u in updates if u.message] == ["hello"]
    assert len(updates) == 1


async def test_optional_rate_limit_answers_429_per_chat(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.rate_limit = RateLimit(per_chat=(1, 1.0), overall=(30, 1.0))

    await telegram_bot.send_message(PATIENT, "one")
    with pytest.raises(TelegramRetryAfter) as caught:
        await telegram_bot.send_message(PATIENT, "two")
    await telegram_bot.send_message(PATIENT + 1, "another chat is fine")

    assert caught.value.retry_after == 1
    assert [m["text"] for m in telegram_double.sent_messages()] == ["one", "another chat is fine"]


async def test_aiogram_polling_loop_runs_against_the_double(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    dp = Dispatcher()

    @dp.message(CommandStart())
    async def start(message: Message) -> None:
        await message.answer("Welcome")

    telegram_double.push_message(PATIENT, "/start")
    polling = asyncio.create_task(
        dp.start_polling(telegram_bot, handle_signals=False, close_bot_session=False)
    )
    for _ in range(100):
        if telegram_double.sent_messages(PATIENT):
            break
        await asyncio.sleep(0.02)
    await dp.stop_polling()
    await polling

    assert [m["text"] for m in telegram_double.sent_messages(PATIENT)] == ["Welcome"]


async def test_a_second_poller_ends_the_first_with_a_conflict(
    telegram_double: TelegramDouble, telegram_bot: Bot
) -> None:
    telegram_double.max_poll_wait = 5.0
    first = asyncio.create_task(telegram_bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(telegram_bot.get_updates(timeout=5))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates request"):
        await asyncio.wait_for(first, 5)
    telegram_double.push_message(PATIENT, "hello")

    [update] = await asyncio.wait_for(second, 5)

    assert update.message is not None and update.message.text == "hello"


async def test_wrong_token_is_unauthorized(telegram_double: TelegramDouble) -> None:
    bot = Bot("1:wrong", session=LoopbackAiohttpSession(api=telegram_double.api_server))
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await bot.session.close()


# ---- Twilio -----------------------------------------------------------------------------------------------


async def test_create_returns_a_queued_message_that_can_be_fetched(
    twilio_double: TwilioDouble, twilio_client: Client
) -> None:
    created = await twilio_client.messages.create_async(
        to=PHONE,
        from_=SENDER,
        body="Time for your dose",
        status_callback="https://psp.example/webhooks/twilio/status",
    )
    callback = twilio_double.status_callback(created.sid, "delivered")
    fetched = await twilio_client.messages(created.sid).fetch_async()

    assert re.fullmatch(r"SM[0-9a-f]{32}", created.sid or "")
    assert (created.status, created.num_segments, created.to, created.from_) == ("queued", "1", PHONE, SENDER)
    assert fetched.status == "delivered"
    assert [m["body"] for m in twilio_double.sent_messages(to=PHONE)] == ["Time for your dose"]
    assert twilio_double.status_callbacks[created.sid] == "https://psp.example/webhooks/twilio/status"
    assert (callback["MessageSid"], callback["MessageStatus"], callback["To"]) == (
        created.sid,
        "delivered",
        PHONE,
    )


async def test_messaging_service_sender_is_accepted(
    twilio_double: TwilioDouble, twilio_client: Client
) -> None:
    service = "MG" + "a" * 32
    created = await twilio_client.messages.create_async(to=PHONE, messaging_service_sid=service, body="مرحبا")

    assert (created.status, created.messaging_service_sid) == ("accepted", service)
    assert twilio_double.requests[0].form["MessagingServiceSid"] == service


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters cost two septets
        ("€" * 81, 2),
        ("é" * 160, 1),  # é is in the GSM basic set
        ("ê" * 70, 1),  # ê is not: UCS-2
        ("ê" * 71, 2),
        ("مرحبا" * 14, 1),
        ("مرحبا" * 15, 2),
        ("😀" * 35, 1),  # an emoji is two UTF-16 units
        ("😀" * 36, 2),
    ],
)
def test_segment_count(body: str, segments: int) -> None:
    assert segment_count(body) == segments


@pytest.mark.parametrize(
    ("to", "from_", "body", "code"),
    [
        (PHONE, SENDER, "", 21602),
        (PHONE, None, "Hi", 21603),
        ("5551230001", SENDER, "Hi", 21211),
        (PHONE, SENDER, "x" * 1601, 21617),
    ],
)
async def test_invalid_requests_are_refused_with_twilio_codes(
    twilio_double: TwilioDouble, twilio_client: Client, to: str, from_: str | None, body: str, code: int
) -> None:
    with pytest.raises(TwilioRestException) as caught:
        await twilio_client.messages.create_async(to=to, from_=from_, body=body)

    assert (caught.value.status, caught.value.code) == (400, code)
    assert twilio_double.sent_messages() == []


async def test_unsubscribed_number_raises_21610(twilio_double: TwilioDouble, twilio_client: Client) -> None:
    twilio_double.unsubscribed(PHONE)

    with pytest.raises(TwilioRestException) as caught:
        await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    await twilio_client.messages.create_async(to="+15551230002", from_=SENDER, body="Reminder")

    assert (caught.value.status, caught.value.code) == (400, 21610)
    assert [m["to"] for m in twilio_double.sent_messages()] == ["+15551230002"]


async def test_unsubscribe_can_be_per_sender(twilio_double: TwilioDouble, twilio_client: Client) -> None:
    twilio_double.unsubscribed(PHONE, sender=SENDER)

    with pytest.raises(TwilioRestException):
        await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    await twilio_client.messages.create_async(to=PHONE, from_="+15550000000", body="Reminder")

    assert len(twilio_double.sent_messages(to=PHONE)) == 1


async def test_outage_and_throttling_fail_then_recover(
    twilio_double: TwilioDouble, twilio_client: Client
) -> None:
    twilio_double.outage()
    with pytest.raises(TwilioRestException) as outage:
        await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    twilio_double.clear_outage()
    twilio_double.fail_next(status=429, code=20429)
    with pytest.raises(TwilioRestException) as throttled:
        await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    twilio_double.outage(seconds=0.05)
    await asyncio.sleep(0.1)
    await twilio_client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")

    assert (outage.value.status, outage.value.code) == (503, 20503)
    assert (throttled.value.status, throttled.value.code) == (429, 20429)
    assert len(twilio_double.sent_messages()) == 1
    assert [r.status for r in twilio_double.requests] == [503, 429, 201]


async def test_wrong_credentials_are_refused(twilio_double: TwilioDouble) -> None:

    client = point_client_at(
        Client(twilio_double.account_sid, "wrong-token", http_client=HeaderAuthHttpClient()),
        twilio_double.base_url,
    )
    try:
        with pytest.raises(TwilioRestException) as caught:
            await client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]

    assert (caught.value.status, caught.value.code) == (401, 20003)
    assert twilio_double.sent_messages() == []


async def test_base_url_override_survives_edge_and_region_env(
    twilio_double: TwilioDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_EDGE", "sydney")
    monkeypatch.setenv("TWILIO_REGION", "au1")
    naive = Client(twilio_double.account_sid, twilio_double.auth_token)
    naive.api.base_url = twilio_double.base_url
    # Without the fix the host is rebuilt around edge and region: the request would never reach the double.
    assert not naive.get_hostname(twilio_double.base_url + "/x").startswith(twilio_double.base_url)

    client = twilio_double.client()
    try:
        created = await client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]

    assert twilio_double.sent_messages()[0]["sid"] == created.sid


async def test_stock_async_client_warns_about_basic_auth(twilio_double: TwilioDouble) -> None:
    """Why HeaderAuthHttpClient exists. When this fails, twilio-python stopped using aiohttp.BasicAuth: drop
    it."""
    client = point_client_at(
        Client(twilio_double.account_sid, twilio_double.auth_token, http_client=AsyncTwilioHttpClient()),
        twilio_double.base_url,
    )
    try:
        with pytest.warns(DeprecationWarning) as warned:
            await client.messages.create_async(to=PHONE, from_=SENDER, body="Reminder")
    finally:
        await client.http_client.close()  # type: ignore[attr-defined]

    assert any("BasicAuth is deprecated" in str(w.message) for w in warned)
    assert len(twilio_double.sent_messages()) == 1


def test_signed_form_validates_like_a_twilio_webhook() -> None:
    url = "https://psp.example/webhooks/twilio/status"
    form = status_callback_form("SM" + "1" * 32, "undelivered", error_code=30003)
    headers, params = signed_form("token", url, form)
    validator = RequestValidator("token")

    assert validator.validate(
        url, MultiDict(params), headers["X-Twilio-Signature"]
    )  # as aiohttp's request.post()
    assert not validator.validate(url + "?x=1", params, headers["X-Twilio-Signature"])
    assert not validator.validate(url, params | {"MessageStatus": "delivered"}, headers["X-Twilio-Signature"])
    assert not RequestValidator("other").validate(url, params, headers["X-Twilio-Signature"])
    assert (params["MessageStatus"], params["ErrorCode"]) == ("undelivered", "30003")
