"""An SMS world: the services wired as `psp serve` wires them with Twilio credentials, the web app on a
loopback port, and twilio-python talking HTTP to the TwilioDouble. Webhooks are signed with twilio-python's
own RequestValidator over the public URL, as Twilio signs them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest
from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import Services, close_services, enable_channels, open_services
from bot.storage import queries
from bot.storage.models import Address, Message, Patient
from bot.web.app import build_web_app
from tests.conftest import FakeClock, make_settings
from tests.doubles.twilio_api import TwilioDouble, inbound_sms_form, signed_form, status_callback_form

PUBLIC_URL = "https://psp.example.org"
OUR_NUMBER = "+15557654321"
_sids = count(1)


def message_sid() -> str:
    return f"SMin{next(_sids):030x}"


@dataclass
class SmsWorld:
    services: Services
    http: TestClient
    twilio: TwilioDouble
    clock: FakeClock

    async def post_inbound(
        self,
        from_: str,
        body: str | None,
        *,
        sid: str | None = None,
        extra: dict[str, str] | None = None,
        drop: tuple[str, ...] = (),
        sign_url: str | None = None,
        token: str | None = None,
    ) -> ClientResponse:
        form = inbound_sms_form(
            from_,
            body or "",
            to=OUR_NUMBER,
            account_sid=self.twilio.account_sid,
            message_sid=sid or message_sid(),
        )
        if body is None:
            drop += ("Body",)
        form = {k: v for k, v in {**form, **(extra or {})}.items() if k not in drop}
        url = sign_url or PUBLIC_URL + "/webhooks/twilio/sms"
        headers, data = signed_form(token or self.twilio.auth_token, url, form)
        return await self.http.post("/webhooks/twilio/sms", data=data, headers=headers)

    async def post_status(self, sid: str, status: str, error_code: int | None = None) -> ClientResponse:
        message = self.twilio.messages.get(sid)
        form = (
            self.twilio.status_callback(sid, status, error_code)
            if message is not None
            else status_callback_form(sid, status, error_code, account_sid=self.twilio.account_sid)
        )
        headers, data = signed_form(self.twilio.auth_token, PUBLIC_URL + "/webhooks/twilio/status", form)
        return await self.http.post("/webhooks/twilio/status", data=data, headers=headers)

    async def deliver(self) -> int:
        return await self.services.dispatcher.drain()

    def bodies_to(self, number: str) -> list[str]:
        return [m["body"] for m in self.twilio.sent_messages(number)]

    async def address(self, number: str) -> Address:
        async with self.services.sessions() as session:
            found = await queries.find_address(session, "sms", number)
            assert found is not None, f"no SMS address for {number}"
            return found

    async def patient(self, number: str) -> Patient:
        address = await self.address(number)
        async with self.services.sessions() as session:
            found = await session.get(Patient, address.patient_id)
            assert found is not None
            return found

    async def messages(self, direction: str | None = None) -> list[Message]:
        async with self.services.sessions() as session:
            query = select(Message).where(Message.channel == "sms").order_by(Message.id)
            if direction:
                query = query.where(Message.direction == direction)
            return list((await session.scalars(query)).all())


@dataclass
class SmsPatient:
    """A patient texting the bot: each `says` is a signed webhook, then the outbox runs."""

    world: SmsWorld
    number: str
    seen: int = 0
    last_status: int = 0
    sids: list[str] = field(default_factory=list)

    async def says(self, text: str, **kwargs: Any) -> list[str]:
        response = await self.world.post_inbound(self.number, text, **kwargs)
        self.last_status = response.status
        assert response.status == 200, await response.text()
        await self.world.deliver()
        bodies = self.world.bodies_to(self.number)
        new, self.seen = bodies[self.seen :], len(bodies)
        return new


WorldFactory = Callable[..., Awaitable[SmsWorld]]


@pytest.fixture
async def sms_world_factory(
    database_url: str, clock: FakeClock, twilio_double: TwilioDouble
) -> AsyncIterator[WorldFactory]:
    opened: list[SmsWorld] = []

    async def make(**overrides: Any) -> SmsWorld:
        values: dict[str, Any] = {
            "twilio_account_sid": twilio_double.account_sid,
            "twilio_auth_token": twilio_double.auth_token,
            "twilio_from": OUR_NUMBER,
            "twilio_api_url": twilio_double.base_url,
            "psp_public_url": PUBLIC_URL,
            "twilio_rate": 1000.0,
        }
        values.update(overrides)
        services = await open_services(make_settings(database_url, **values), clock=clock)
        await enable_channels(services)
        http = TestClient(TestServer(build_web_app(services), host="127.0.0.1"))
        await http.start_server()
        world = SmsWorld(services, http, twilio_double, clock)
        opened.append(world)
        return world

    yield make
    for world in opened:
        await world.http.close()
        await close_services(world.services)


@pytest.fixture
async def sms_world(sms_world_factory: WorldFactory) -> SmsWorld:
    return await sms_world_factory()
