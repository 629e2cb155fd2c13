"""Webhook mode over real HTTP: Telegram's secret header checked by us (403), updates stored before the
200."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.channels.telegram import WEBHOOK_PATH, TelegramChannel
from bot.storage.models import Message, Patient
from bot.web.app import build_web_app
from bot.web.telegram_webhook import SECRET_HEADER
from tests.doubles.telegram_api import TelegramDouble
from tests.telegram.conftest import PUBLIC_URL, SECRET

CHAT = 6001


@pytest.fixture
async def web(services: Any) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(build_web_app(services), host="127.0.0.1")) as client:
        yield client


async def _counts(services: Any) -> tuple[int, int]:
    async with services.sessions() as session:
        messages = await session.scalar(select(func.count()).select_from(Message))
        patients = await session.scalar(select(func.count()).select_from(Patient))
    return int(messages or 0), int(patients or 0)


async def test_enable_sets_the_webhook_with_our_secret_and_update_types(
    tg: TelegramChannel, telegram_double: TelegramDouble, services: Any
) -> None:
    assert telegram_double.webhook is not None
    assert telegram_double.webhook.url == PUBLIC_URL + WEBHOOK_PATH
    assert telegram_double.webhook.secret_token == SECRET
    assert telegram_double.webhook.allowed_updates == ["callback_query", "message", "my_chat_member"]
    assert services.channel_status["telegram"] == "on (webhook)"


async def test_an_update_with_the_right_secret_is_stored_and_answered(
    tg: TelegramChannel, web: TestClient[Any, Any], telegram_double: TelegramDouble, services: Any
) -> None:
    update = telegram_double.make_message_update(CHAT, "/start", language_code="de")

    response = await web.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})

    assert response.status == 200
    assert await _counts(services) == (2, 1)  # stored before the 200: the message and the queued reply
    await services.dispatcher.drain()
    assert len(telegram_double.sent_messages(CHAT)) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("header", [None, "", "wrong-secret", SECRET + "x"])
async def test_a_missing_or_wrong_secret_is_403_and_nothing_is_stored(
    tg: TelegramChannel,
    web: TestClient[Any, Any],
    telegram_double: TelegramDouble,
    services: Any,
    header: str | None,
) -> None:
    update = telegram_double.make_message_update(CHAT, "I feel dizzy")
    headers = {} if header is None else {SECRET_HEADER: header}

    response = await web.post(WEBHOOK_PATH, json=update, headers=headers)

    assert response.status == 403
    assert (await response.json())["ok"] is False
    assert await _counts(services) == (0, 0)


async def test_a_redelivered_update_is_200_and_changes_nothing(
    tg: TelegramChannel, web: TestClient[Any, Any], telegram_double: TelegramDouble, services: Any
) -> None:
    update = telegram_double.make_message_update(CHAT, "/start")
    headers = {SECRET_HEADER: SECRET}
    assert (await web.post(WEBHOOK_PATH, json=update, headers=headers)).status == 200
    await services.dispatcher.drain()
    before = await _counts(services)

    again = await web.post(WEBHOOK_PATH, json=update, headers=headers)
    # Telegram restarted its update_id sequence: the same message under another id is still the same message.
    renumbered = await web.post(WEBHOOK_PATH, json={**update, "update_id": 1}, headers=headers)
    await services.dispatcher.drain()

    assert (again.status, renumbered.status) == (200, 200)
    assert await _counts(services) == before
    assert len(telegram_double.sent_messages(CHAT)) == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_body_that_is_not_an_update_is_400(
    tg: TelegramChannel, web: TestClient[Any, Any], services: Any
) -> None:
    headers = {SECRET_HEADER: SECRET}
    assert (await web.post(WEBHOOK_PATH, data=b"not json", headers=headers)).status == 400
    assert (await web.post(WEBHOOK_PATH, json={"hello": 1}, headers=headers)).status == 400
    bad = {"update_id": 5, "message": {"message_id": "x"}}
    assert (await web.post(WEBHOOK_PATH, json=bad, headers=headers)).status == 400
    assert await _counts(services) == (0, 0)


async def test_when_storing_fails_telegram_is_told_to_send_again(
    tg: TelegramChannel,
    web: TestClient[Any, Any],
    telegram_double: TelegramDouble,
    services: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    update = telegram_double.make_message_update(CHAT, "/start")
    real_receive = services.conversation.receive

    async def database_down(inbound: Any) -> Any:
        raise ConnectionError("database is down")

    monkeypatch.setattr(services.conversation, "receive", database_down)
    failed = await web.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})
    monkeypatch.setattr(services.conversation, "receive", real_receive)
    retried = await web.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})

    assert (failed.status, retried.status) == (500, 200)
    assert await _counts(services) == (2, 1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_route_says_why_when_telegram_is_off(web: TestClient[Any, Any]) -> None:
    response = await web.post(WEBHOOK_PATH, json={"update_id": 1}, headers={SECRET_HEADER: SECRET})
    assert response.status == 404
    assert "TELEGRAM_BOT_TOKEN" in (await response.json())["error"]


async def test_metrics_show_the_telegram_webhook_and_the_reply_latency(
    tg: TelegramChannel, web: TestClient[Any, Any], telegram_double: TelegramDouble, services: Any
) -> None:
    update = telegram_double.make_message_update(CHAT, "/start")
    assert (await web.post(WEBHOOK_PATH, json=update, headers={SECRET_HEADER: SECRET})).status == 200
    await services.dispatcher.drain()
    body = await (await web.get("/metrics")).text()
    assert 'psp_webhook_receipt_to_commit_seconds_count{channel="telegram"} 1.0\n' in body
    assert 'psp_webhook_receipt_to_commit_seconds_count{channel="sms"} 0.0\n' in body
    assert 'psp_outbox_commit_to_accept_seconds_count{channel="telegram"} 1.0\n' in body
    assert 'psp_outbox_due{channel="telegram"} 0.0\n' in body
