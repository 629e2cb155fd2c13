"""A WhatsApp world: `psp serve`'s wiring with Twilio credentials, an SMS number and a WhatsApp sender,
the web app on a loopback port, twilio-python talking HTTP to the TwilioDouble, webhooks signed as Twilio
signs them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import ClientResponse
from sqlalchemy import select

from bot.storage import queries
from bot.storage.models import Address, Message, Patient
from scheduler.jobs import ReminderJobs
from tests.doubles.twilio_api import inbound_whatsapp_form, signed_form
from tests.sms.conftest import (
    OUR_NUMBER,
    PUBLIC_URL,
    SmsWorld,
    WorldFactory,
    message_sid,
    sms_world_factory,  # noqa: F401 (fixture)
)

WA_SENDER = "whatsapp:" + OUR_NUMBER
WA_PATH = "/webhooks/twilio/whatsapp"


@dataclass
class WaWorld:
    world: SmsWorld

    @property
    def twilio(self):  # type: ignore[no-untyped-def]
        return self.world.twilio

    async def post(
        self,
        number: str,
        body: str,
        *,
        sid: str | None = None,
        token: str | None = None,
        button: tuple[str, str] | None = None,
        extra: dict[str, str] | None = None,
    ) -> ClientResponse:
        form = inbound_whatsapp_form(
            number,
            body,
            to=WA_SENDER,
            account_sid=self.twilio.account_sid,
            message_sid=sid or message_sid(),
            button=button,
            extra=extra,
        )
        headers, data = signed_form(token or self.twilio.auth_token, PUBLIC_URL + WA_PATH, form)
        return await self.world.http.post(WA_PATH, data=data, headers=headers)

    def sent_to(self, number: str) -> list[dict[str, Any]]:
        return self.twilio.sent_messages("whatsapp:" + number)

    async def reminders_run(self) -> None:
        services = self.world.services
        await ReminderJobs(services.sessions, services.programs, services.clock).run_all()
        await services.dispatcher.drain()

    async def address(self, channel: str, number: str) -> Address:
        async with self.world.services.sessions() as session:
            found = await queries.find_address(session, channel, number)
            assert found is not None, f"no {channel} address for {number}"
            return found

    async def patient_of(self, channel: str, number: str) -> Patient:
        address = await self.address(channel, number)
        async with self.world.services.sessions() as session:
            found = await session.get(Patient, address.patient_id)
            assert found is not None
            return found

    async def messages(self, direction: str) -> list[Message]:
        async with self.world.services.sessions() as session:
            query = select(Message).where(Message.channel == "whatsapp", Message.direction == direction)
            return list((await session.scalars(query.order_by(Message.id))).all())


@dataclass
class WaPatient:
    """A patient writing on WhatsApp: each `says` is a signed webhook, then the outbox runs."""

    wa: WaWorld
    number: str
    seen: int = 0
    sids: list[str] = field(default_factory=list)

    async def says(self, text: str, **kwargs: Any) -> list[str]:
        response = await self.wa.post(self.number, text, **kwargs)
        assert response.status == 200, await response.text()
        await self.wa.world.deliver()
        return self.new()

    def new(self) -> list[str]:
        sent = self.wa.sent_to(self.number)
        fresh, self.seen = sent[self.seen :], len(sent)
        return [m["body"] or f"[template {m['content_sid']}]" for m in fresh]


@pytest.fixture
async def wa(sms_world_factory: WorldFactory) -> WaWorld:  # noqa: F811
    return WaWorld(await sms_world_factory(twilio_whatsapp_from=WA_SENDER))
