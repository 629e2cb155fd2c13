"""Attack classes that once answered 500: each gets a clear 4xx now (or is stored safely), on both
databases."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.channels.telegram import WEBHOOK_PATH, TelegramChannel
from bot.staff import accounts
from bot.storage.models import Message
from bot.web.app import build_web_app
from bot.web.telegram_webhook import SECRET_HEADER
from tests.console.conftest import Console, add_staff
from tests.doubles.telegram_api import TelegramDouble
from tests.doubles.twilio_api import signed_form, status_callback_form
from tests.sms.conftest import PUBLIC_URL, SmsWorld
from tests.telegram.conftest import SECRET

CHAT = 7001
HUGE = "99999999999999999999999"


@pytest.fixture
async def web(services: Any) -> AsyncIterator[TestClient[Any, Any]]:
    async with TestClient(TestServer(build_web_app(services), host="127.0.0.1")) as client:
        yield client


async def _post_raw(web: TestClient[Any, Any], body: bytes, secret: str = SECRET) -> Any:
    headers = {SECRET_HEADER: secret, "Content-Type": "application/json"}
    return await web.post(WEBHOOK_PATH, data=body, headers=headers)


async def test_a_non_ascii_secret_header_is_403(tg: TelegramChannel, web: TestClient[Any, Any]) -> None:
    response = await web.post(
        WEBHOOK_PATH, data=b"{}", headers={SECRET_HEADER: "\xff\xfe", "Content-Type": "application/json"}
    )
    assert response.status == 403


async def test_a_lone_surrogate_is_stored_replaced_and_the_patient_answered(
    tg: TelegramChannel, web: TestClient[Any, Any], telegram_double: TelegramDouble, services: Any
) -> None:
    update = telegram_double.make_message_update(CHAT, "PLACEHOLDER", language_code="en")
    body = json.dumps(update).replace("PLACEHOLDER", "x\\ud800y").encode()
    assert (await _post_raw(web, body)).status == 200
    async with services.sessions() as session:
        stored = (await session.scalars(select(Message.body).where(Message.direction == "in"))).all()
    assert stored == ["x\ufffdy"]
    await services.dispatcher.drain()
    assert len(telegram_double.sent_messages(CHAT)) == 1, "the reply went out (nothing retried forever)"


async def test_deep_json_and_a_boolean_update_id_are_400(
    tg: TelegramChannel, web: TestClient[Any, Any]
) -> None:
    deep = b'{"update_id": 1, "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    assert (await _post_raw(web, deep)).status == 400
    assert (await _post_raw(web, b'{"update_id": true}')).status == 400
    assert (await _post_raw(web, b'{"update_id": 1e400}')).status == 400


async def test_oversized_twilio_ids_are_400_not_500(sms_world: SmsWorld) -> None:
    sid = "SM" + "a" * 10_000
    assert (await sms_world.post_inbound("+14155550100", "hi", sid=sid)).status == 400
    assert (await sms_world.post_inbound("+14155550100", "hi", sid="SMnot-a-sid")).status == 400
    assert (await sms_world.post_status(sid, "delivered")).status == 400
    good = "SM" + "0" * 32
    assert (await _signed_status(sms_world, good, "undelivered", ErrorCode="9" * 5000)).status == 400
    assert (await sms_world.post_status(good, "x" * 5000)).status == 400
    assert await sms_world.messages() == [], "nothing was stored"


async def _signed_status(world: SmsWorld, sid: str, status: str, **extra: str) -> Any:
    form = {**status_callback_form(sid, status, None, account_sid=world.twilio.account_sid), **extra}
    headers, data = signed_form(world.twilio.auth_token, PUBLIC_URL + "/webhooks/twilio/status", form)
    return await world.http.post("/webhooks/twilio/status", data=data, headers=headers)


async def test_huge_ids_in_console_and_api_urls_are_404(console: Console) -> None:
    await add_staff(console.services, "ann", "admin")
    await add_staff(console.services, "pat", "pv_officer")
    _, token = await accounts.create_token(
        console.services.sessions, username="pat", name="t", actor="admin", now=console.services.clock()
    )
    api = await console.get(f"/api/v1/pv/cases/{HUGE}", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 404
    assert (
        await console.get("/api/v1/pv/cases/2147483648", headers={"Authorization": f"Bearer {token}"})
    ).status == 404
    assert (await console.sign_in("ann")).status == 303
    for path in (f"/staff/tasks/{HUGE}", f"/staff/pv/cases/{HUGE}"):
        assert (await console.get(path)).status == 404, path
    csrf = await console.csrf()
    for path in (
        f"/staff/outbox/{HUGE}/retry",
        f"/staff/admin/tokens/{HUGE}/revoke",
        f"/staff/tasks/{HUGE}/note",
    ):
        assert (await console.post(path, {"csrf_token": csrf, "note": "x"})).status == 404, path


async def test_a_failing_statement_never_carries_the_message_body_into_errors(services: Any) -> None:
    secret = "my secret symptom text"
    async with services.sessions() as session:
        with pytest.raises((IntegrityError, DBAPIError)) as raised:
            async with session.begin():
                session.add(
                    Message(
                        patient_id=987654,
                        channel="console",
                        direction="in",
                        body=secret,
                        created_at=services.clock(),
                    )
                )
    assert secret not in str(raised.value)
