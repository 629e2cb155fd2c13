"""Outbound SMS through twilio-python and the TwilioDouble: statuses, opt-outs, outages, segments, rate."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.channels.sms_text import count_segments
from bot.storage import outbox, queries
from bot.storage import sms as sms_store
from bot.storage.models import Message, OutboxItem, SmsPart, SmsStatusEvent, SupportTask
from scheduler.dispatch import backoff
from tests.doubles.twilio_api import ApiError
from tests.sms.conftest import OUR_NUMBER, PUBLIC_URL, SmsPatient, SmsWorld, WorldFactory

NUMBER = "+14155550100"
OTHER = "+12125550123"


async def queue(
    world: SmsWorld, number: str, texts: list[str], *, kind: str | None = None, locale: str = "en"
) -> int:
    async with world.services.sessions() as session, session.begin():
        address = await queries.find_address(session, "sms", number)
        if address is None:
            patient = await queries.create_patient(session, world.clock(), locale=locale)
            patient.status = "active"
            address = await queries.add_address(session, patient, "sms", number, world.clock())
        for text in texts:
            await outbox.enqueue(
                session, address=address, text=text, options=[], kind=kind, now=world.clock()
            )
        return address.id


async def out_messages(world: SmsWorld) -> list[Message]:
    return await world.messages("out")


async def outbox_rows(world: SmsWorld) -> list[OutboxItem]:
    async with world.services.sessions() as session:
        return list((await session.scalars(select(OutboxItem).order_by(OutboxItem.id))).all())


async def count(world: SmsWorld, model: type) -> int:
    async with world.services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_message_leaves_with_our_number_a_status_callback_and_its_first_status(
    sms_world: SmsWorld,
) -> None:
    await queue(sms_world, NUMBER, ["Time for your CardioZen tablet."])
    await sms_world.deliver()
    [sent] = sms_world.twilio.sent_messages(NUMBER)
    assert sent["from"] == OUR_NUMBER and sent["messaging_service_sid"] is None
    assert sms_world.twilio.status_callbacks[sent["sid"]] == PUBLIC_URL + "/webhooks/twilio/status"
    [message] = await out_messages(sms_world)
    assert (message.status, message.external_id, message.segments) == ("queued", sent["sid"], 1)
    assert [r.status for r in await outbox_rows(sms_world)] == ["sent"]


async def test_status_callbacks_only_move_a_message_forward(sms_world: SmsWorld) -> None:
    await queue(sms_world, NUMBER, ["Reminder"])
    await sms_world.deliver()
    sid = sms_world.twilio.sent_messages(NUMBER)[0]["sid"]

    async def status() -> str:
        return (await out_messages(sms_world))[0].status

    assert (await sms_world.post_status(sid, "delivered")).status == 200
    assert await status() == "delivered"
    assert (await sms_world.post_status(sid, "sent")).status == 200  # arrived late: out of order
    assert await status() == "delivered"
    assert (await sms_world.post_status(sid, "delivered")).status == 200  # redelivered callback
    assert await status() == "delivered"
    assert await count(sms_world, SmsStatusEvent) == 2, "one row per (MessageSid, MessageStatus)"


async def test_a_failed_delivery_records_the_error_code(sms_world: SmsWorld) -> None:
    await queue(sms_world, NUMBER, ["Reminder"])
    await sms_world.deliver()
    sid = sms_world.twilio.sent_messages(NUMBER)[0]["sid"]
    await sms_world.post_status(sid, "sent")
    await sms_world.post_status(sid, "undelivered", 30003)
    [message] = await out_messages(sms_world)
    assert (message.status, message.error_code) == ("undelivered", "30003")
    await sms_world.post_status(sid, "delivered")  # a terminal status stays
    assert (await out_messages(sms_world))[0].status == "undelivered"


async def test_a_forged_status_callback_is_refused(sms_world: SmsWorld) -> None:
    await queue(sms_world, NUMBER, ["Reminder"])
    await sms_world.deliver()
    sid = sms_world.twilio.sent_messages(NUMBER)[0]["sid"]
    response = await sms_world.http.post(
        "/webhooks/twilio/status", data={"MessageSid": sid, "MessageStatus": "failed"}
    )
    assert response.status == 403
    assert (await out_messages(sms_world))[0].status == "queued"


async def test_a_callback_that_arrives_before_its_sid_is_recorded_is_applied_then(
    sms_world: SmsWorld,
) -> None:
    await queue(sms_world, NUMBER, ["Reminder"])
    [message] = await out_messages(sms_world)
    now = sms_world.clock()
    async with sms_world.services.sessions() as session, session.begin():
        early = await sms_store.apply_status(
            session, sid="SMearly", status="delivered", error_code=None, now=now
        )
        assert not early.known
    async with sms_world.services.sessions() as session, session.begin():
        part = await sms_store.record_part(
            session,
            message_id=message.id,
            part=0,
            total_parts=1,
            sid="SMearly",
            status="queued",
            segments=1,
            total_segments=1,
            now=now,
        )
        assert part.status == "delivered"
    assert (await out_messages(sms_world))[0].status == "delivered"


async def test_a_callback_racing_the_create_response_is_not_lost(sms_world: SmsWorld) -> None:
    import asyncio

    await queue(sms_world, NUMBER, ["Reminder"])
    [message] = await out_messages(sms_world)
    now = sms_world.clock()

    async def record() -> str:
        async with sms_world.services.sessions() as session, session.begin():
            part = await sms_store.record_part(
                session,
                message_id=message.id,
                part=0,
                total_parts=1,
                sid="SMrace",
                status="queued",
                segments=1,
                total_segments=1,
                now=now,
            )
            return part.status

    async with sms_world.services.sessions() as session, session.begin():
        await sms_store.apply_status(session, sid="SMrace", status="sent", error_code=None, now=now)
        recording = asyncio.create_task(record())
        await asyncio.sleep(0.2)
        assert not recording.done(), "recording the part waits for the callback's transaction"
    assert await recording == "sent"
    assert (await out_messages(sms_world))[0].status == "sent"


async def test_a_messaging_service_sends_as_messaging_service_sid(sms_world_factory: WorldFactory) -> None:
    service = "MG" + "ab" * 16
    world = await sms_world_factory(twilio_from=service)
    await queue(world, NUMBER, ["Reminder"])
    await world.deliver()
    [request] = world.twilio.requests
    assert request.form.get("MessagingServiceSid") == service and "From" not in request.form
    assert (await out_messages(world))[0].status == "accepted"


async def test_21610_records_the_opt_out_quietly_and_cancels_what_was_queued(sms_world: SmsWorld) -> None:
    sms_world.twilio.unsubscribed(NUMBER)
    address_id = await queue(sms_world, NUMBER, ["Reminder 1", "Reminder 2"], kind="reminder")
    await sms_world.deliver()
    sms_world.clock.advance(hours=2)
    await sms_world.deliver()

    assert len(sms_world.twilio.requests) == 1, "no retry, and the second reminder is not even tried"
    assert [r.status for r in await outbox_rows(sms_world)] == ["cancelled", "cancelled"]
    address = await sms_world.address(NUMBER)
    assert address.id == address_id and address.opted_out and address.opted_out_at is not None
    assert await count(sms_world, SupportTask) == 0, "the patient's choice: no task for staff"
    assert (await out_messages(sms_world))[0].error_code == "21610"
    assert sms_world.services.dispatcher.stats.dead == 0


async def test_a_stop_confirmation_refused_with_21610_is_handled_gracefully(sms_world: SmsWorld) -> None:
    patient = SmsPatient(sms_world, NUMBER)
    assert await patient.says("hello")
    stop_time = sms_world.clock.advance(minutes=1)
    sms_world.twilio.unsubscribed(NUMBER, OUR_NUMBER)  # Twilio's own opt-out saw the STOP first
    assert await patient.says("STOP") == []
    sms_world.clock.advance(hours=3)
    await sms_world.deliver()

    refused = [r for r in sms_world.twilio.requests if r.status == 400]
    assert len(refused) == 1, "one attempt at the confirmation, no retry storm"
    rows = await outbox_rows(sms_world)
    assert [r.status for r in rows] == ["sent", "cancelled"], "no dead letter"
    assert await count(sms_world, SupportTask) == 0
    address = await sms_world.address(NUMBER)
    assert address.opted_out and address.opted_out_at == stop_time, "the time of the patient's STOP is kept"


async def test_a_21610_in_a_status_callback_opts_the_address_out(sms_world: SmsWorld) -> None:
    await queue(sms_world, NUMBER, ["Reminder"])
    await sms_world.deliver()
    sid = sms_world.twilio.sent_messages(NUMBER)[0]["sid"]
    await queue(sms_world, NUMBER, ["Another reminder"])
    await sms_world.post_status(sid, "failed", 21610)
    assert (await sms_world.address(NUMBER)).opted_out
    assert [r.status for r in await outbox_rows(sms_world)] == ["sent", "cancelled"]


async def test_after_a_rest_outage_of_minutes_every_queued_message_is_delivered_exactly_once(
    sms_world: SmsWorld,
) -> None:
    texts = {NUMBER: ["Dose 1", "Dose 2"], OTHER: ["Refill soon", "Dose 3"]}
    for number, bodies in texts.items():
        await queue(sms_world, number, bodies)
    sms_world.twilio.outage()
    await sms_world.deliver()
    for _ in range(12):  # six minutes of outage, the dispatcher ticking every 30 s
        sms_world.clock.advance(seconds=30)
        await sms_world.deliver()
    assert sms_world.twilio.sent_messages() == []
    assert {r.status for r in await outbox_rows(sms_world)} == {"pending"}, "retrying, nothing dead"
    attempts = max(r.attempts for r in await outbox_rows(sms_world))
    assert attempts >= 6

    sms_world.twilio.clear_outage()
    sms_world.clock.advance(seconds=backoff(attempts).total_seconds())
    await sms_world.deliver()
    for number, bodies in texts.items():
        assert sms_world.bodies_to(number) == bodies
    assert {r.status for r in await outbox_rows(sms_world)} == {"sent"}
    sms_world.clock.advance(hours=1)
    await sms_world.deliver()
    assert len(sms_world.twilio.sent_messages()) == 4


async def test_throttling_429_is_retried_after_backoff(sms_world: SmsWorld) -> None:
    sms_world.twilio.fail_next(429, 20429)
    await queue(sms_world, NUMBER, ["Reminder"])
    await sms_world.deliver()
    assert sms_world.twilio.sent_messages() == []
    sms_world.clock.advance(seconds=backoff(1).total_seconds())
    await sms_world.deliver()
    assert sms_world.bodies_to(NUMBER) == ["Reminder"]


async def test_an_invalid_number_is_dead_lettered_with_its_error_code(sms_world: SmsWorld) -> None:
    sms_world.twilio.fail_next(400, 21408, "Permission to send an SMS has not been enabled for the region")
    await queue(sms_world, NUMBER, ["Reminder"])
    await sms_world.deliver()
    [row] = await outbox_rows(sms_world)
    [message] = await out_messages(sms_world)
    assert (row.status, message.status, message.error_code) == ("dead", "failed", "21408")


@pytest.mark.parametrize(
    "text",
    [
        "تذكير: حان وقت تناول قرص كارديوزين. أرسل 1 إذا تناولته أو 2 لتأجيل التذكير لمدة ساعة واحدة.",
        "Time for your tablet 💊 Reply 1 when done 👍",
        "Ä" * 160,  # GSM-7 to the last character
        "€" * 81,  # two septets each: 162, two segments
    ],
)
async def test_segments_are_recorded_per_message_as_carriers_count_them(
    sms_world: SmsWorld, text: str
) -> None:
    await queue(sms_world, NUMBER, [text], locale="ar")
    await sms_world.deliver()
    [sent] = sms_world.twilio.sent_messages(NUMBER)
    [message] = await out_messages(sms_world)
    assert sent["body"] == text
    assert message.segments == count_segments(text).segments == int(sent["num_segments"])


async def test_a_long_message_leaves_as_several_sms_in_order_within_the_budget(
    sms_world_factory: WorldFactory,
) -> None:
    world = await sms_world_factory(sms_max_segments=1)
    paragraphs = [f"Paragraph {i}: " + "take your tablet with water and food, " * 3 for i in range(3)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    await queue(world, NUMBER, [text])
    await world.deliver()
    sent = world.twilio.sent_messages(NUMBER)
    assert len(sent) >= 2 and all(int(m["num_segments"]) == 1 for m in sent)
    assert " ".join(m["body"] for m in sent).split() == text.split(), "every word, in order"
    [message] = await out_messages(world)
    assert message.segments == len(sent) and message.external_id == sent[0]["sid"]
    for sid in [m["sid"] for m in sent]:
        await world.post_status(sid, "delivered")
    assert (await out_messages(world))[0].status == "delivered"


async def test_a_failure_mid_way_never_resends_the_parts_already_sent(
    sms_world_factory: WorldFactory,
) -> None:
    world = await sms_world_factory(sms_max_segments=1)
    text = " ".join(f"word{i}" for i in range(60))  # about 400 characters: three SMS
    original = world.twilio._create_message
    calls = 0

    def second_fails(request, form):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ApiError(503, 20503, "Service Unavailable")
        return original(request, form)

    world.twilio._create_message = second_fails  # type: ignore[method-assign]
    await queue(world, NUMBER, [text])
    await world.deliver()
    assert len(world.twilio.sent_messages(NUMBER)) == 1
    assert (await out_messages(world))[0].status == "queued", "part 1 went, the rest is still ours to send"
    world.clock.advance(seconds=backoff(1).total_seconds())
    await world.deliver()
    bodies = world.bodies_to(NUMBER)
    assert len(bodies) == 3 and " ".join(bodies) == text, "part 1 exactly once, then parts 2 and 3"
    async with world.services.sessions() as session:
        parts = (await session.scalars(select(SmsPart).order_by(SmsPart.part))).all()
    assert [p.part for p in parts] == [0, 1, 2]


async def test_the_send_rate_is_respected(sms_world_factory: WorldFactory) -> None:
    rate = 10.0
    world = await sms_world_factory(twilio_rate=rate)
    await queue(world, NUMBER, [f"Message {i}" for i in range(12)])
    await world.deliver()
    times = [r.at for r in world.twilio.requests]
    assert len(times) == 12
    # Any rate + 1 consecutive sends span at least a second: never more than `rate` in one second.
    assert min(times[i + 10] - times[i] for i in range(len(times) - 10)) >= 1.0 - 0.02
    measured = (len(times) - 1) / (times[-1] - times[0])
    assert measured <= rate * 1.02
