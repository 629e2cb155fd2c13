"""The cheaper inbound and dispatch paths keep their promises: duplicates change nothing, no message or
result is lost."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import func, select

from bot.channels.base import AddressUnreachable, OutboundMessage, RetryableSendError
from bot.core.messages import Inbound
from bot.storage import outbox, queries
from bot.storage.models import Address, Message, OutboxItem, Patient, SupportTask
from scheduler.dispatch import Dispatcher


def _inbound(services, address: str, text: str, external_id: str) -> Inbound:  # type: ignore[no-untyped-def]
    return Inbound(
        channel="console", address=address, text=text, received_at=services.clock(), external_id=external_id
    )


async def _count(services, model) -> int:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_redelivered_message_creates_no_patient_address_or_reply(services) -> None:  # type: ignore[no-untyped-def]
    first = await services.conversation.receive(_inbound(services, "new-1", "hi", "same-id"))
    counts = [await _count(services, m) for m in (Patient, Address, Message, OutboxItem)]
    # The same provider id again, once from the same address and once as if from an unknown one.
    again = await services.conversation.receive(_inbound(services, "new-1", "hi", "same-id"))
    elsewhere = await services.conversation.receive(_inbound(services, "new-2", "hi", "same-id"))
    assert first.message_id is not None and not first.duplicate
    assert again.duplicate and elsewhere.duplicate and again.message_id is None
    assert [await _count(services, m) for m in (Patient, Address, Message, OutboxItem)] == counts


async def test_two_first_messages_at_once_from_a_new_address_are_both_kept(services) -> None:  # type: ignore[no-untyped-def]
    outcomes = await asyncio.gather(
        services.conversation.receive(_inbound(services, "new-3", "hello", "race-1")),
        services.conversation.receive(_inbound(services, "new-3", "hola", "race-2")),
    )
    assert not any(o.duplicate for o in outcomes)
    assert await _count(services, Patient) == 1 and await _count(services, Address) == 1
    async with services.sessions() as session:
        bodies = (await session.scalars(select(Message.body).where(Message.direction == "in"))).all()
    assert sorted(bodies) == ["hello", "hola"]


async def test_a_state_cleared_and_set_again_in_one_transaction_is_the_new_one(services) -> None:  # type: ignore[no-untyped-def]
    now = services.clock()
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, now)
        await queries.set_state(
            session, patient.id, flow="a", step="1", data={}, options=[], attempts=0, now=now
        )
    async with services.sessions() as session, session.begin():
        await queries.clear_state(session, patient.id)
        assert await queries.get_state(session, patient.id) is None
        await queries.set_state(
            session, patient.id, flow="b", step="2", data={}, options=[], attempts=0, now=now
        )
        state = await queries.get_state(session, patient.id)
        assert state is not None and state.flow == "b"
    async with services.sessions() as session, session.begin():
        state = await queries.get_state(session, patient.id)
        assert state is not None and (state.flow, state.step) == ("b", "2")


@dataclass
class Provider:
    """Accepts, refuses or hangs per text, as told."""

    answers: dict[str, Exception | None] = field(default_factory=dict)
    hang_on: str | None = None
    delivered: list[str] = field(default_factory=list)

    async def send(self, message: OutboundMessage) -> str | None:
        if message.text == self.hang_on:
            await asyncio.Event().wait()
        error = self.answers.get(message.text)
        if error is not None:
            raise error
        self.delivered.append(message.text)
        return f"prov-{message.outbox_id}"


async def _queue(services, address: str, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, services.clock())
        addr = await queries.add_address(session, patient, "console", address, services.clock())
        for text in texts:
            await outbox.enqueue(
                session, address=addr, text=text, options=[], kind=None, now=services.clock()
            )


async def _statuses(services) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = (
            await session.execute(select(Message.body, OutboxItem.status, Message.status).join(OutboxItem))
        ).all()
    return {body: (item_status, message_status) for body, item_status, message_status in rows}


async def test_one_round_with_every_outcome_is_recorded_as_it_happened(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, "blocked", ["a1 blocked", "a2 after"])
    await _queue(services, "busy", ["c1 busy", "c2 after"])
    await _queue(services, "fine", ["b1"])
    provider = Provider(
        answers={"c1 busy": RetryableSendError("503"), "a1 blocked": AddressUnreachable("403")}
    )
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock)
    assert await dispatcher.run_once() == 5
    assert provider.delivered == ["b1"]
    assert await _statuses(services) == {
        "a1 blocked": ("cancelled", "undeliverable"),
        "a2 after": ("cancelled", "undeliverable"),  # cancelled with the rest of its unreachable address
        "c1 busy": ("pending", "queued"),
        "c2 after": ("pending", "queued"),  # waits behind c1: replies keep their order per chat
        "b1": ("sent", "sent"),
    }
    async with services.sessions() as session:
        tasks = (await session.scalars(select(SupportTask.kind))).all()
        attempts = dict(
            (await session.execute(select(Message.body, OutboxItem.attempts).join(OutboxItem))).all()
        )
    assert tasks == ["unreachable"]
    assert (attempts["c1 busy"], attempts["c2 after"]) == (1, 0), "only the real failure used an attempt"
    assert (dispatcher.stats.sent, dispatcher.stats.retried, dispatcher.stats.unreachable) == (1, 1, 1)
    clock.advance(hours=3)
    await dispatcher.drain()
    assert provider.delivered == ["b1"]  # c1 still fails, and c2 still waits behind it
    provider.answers.clear()
    clock.advance(hours=1)
    await dispatcher.drain()
    assert provider.delivered == ["b1", "c1 busy", "c2 after"]
    assert (await _statuses(services))["a2 after"] == ("cancelled", "undeliverable")


async def test_a_round_stopped_mid_way_records_what_it_sent_and_sends_it_only_once(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, "p", ["first", "second"])
    provider = Provider(hang_on="second")
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock)
    task = asyncio.create_task(dispatcher.run_once())
    while not provider.delivered:
        await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    assert (await _statuses(services))["first"] == ("sent", "sent")
    provider.hang_on = None
    clock.advance(seconds=outbox.LEASE.total_seconds() + 1)
    await dispatcher.drain()
    assert provider.delivered == ["first", "second"]


async def test_a_reply_committed_while_a_round_sends_goes_out_in_that_round(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, "early", ["e1", "e2"])
    provider = Provider()
    queued_while_sending = False

    async def send(message: OutboundMessage) -> str | None:
        nonlocal queued_while_sending
        if not queued_while_sending:
            queued_while_sending = True
            await _queue(services, "late", ["l1"])  # a reply committed while e1 is on its way
        return await Provider.send(provider, message)

    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock)
    provider.send = send  # type: ignore[method-assign]
    assert await dispatcher.run_once() == 3  # claimed with e1's result, sent beside e2
    assert provider.delivered == ["e1", "e2", "l1"]
    assert set((await _statuses(services)).values()) == {("sent", "sent")}


async def test_a_round_does_not_take_back_a_row_it_rescheduled(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, "limited", ["r1"])
    provider = Provider(answers={"r1": RetryableSendError("429", retry_after=0, throttled=True)})
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock)
    assert await dispatcher.run_once() == 1  # due again at once, but in the next round
    assert await _statuses(services) == {"r1": ("pending", "queued")}
    provider.answers.clear()
    assert await dispatcher.run_once() == 1
    assert provider.delivered == ["r1"]


async def test_a_round_looks_for_new_replies_only_when_told_some_were_queued(services, clock) -> None:  # type: ignore[no-untyped-def]
    provider = Provider()
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock)
    asked: list[bool] = []

    async def round_with(queued: bool, address: str) -> int:
        await _queue(services, address, ["now"])
        late = False

        async def send(message: OutboundMessage) -> str | None:
            nonlocal late
            if not late:
                late = True
                await _queue(services, address + "-late", ["late"])
            return await Provider.send(provider, message)

        provider.send = send  # type: ignore[method-assign]

        def fresh() -> bool:
            asked.append(queued)
            return queued

        return await dispatcher.run_once(fresh)

    assert await round_with(False, "quiet") == 1  # the late row waits for the next round (its wake-up)
    assert asked == [False]
    assert await round_with(True, "told") == 3  # the earlier late row is claimed now, and this one's too
    assert sorted(provider.delivered) == ["late", "late", "now", "now"]


async def test_a_chat_s_next_reply_does_not_wait_for_a_slow_send_to_another_chat(services, clock) -> None:  # type: ignore[no-untyped-def]
    await _queue(services, "slow", ["s1"])
    await _queue(services, "quick", ["q1", "q2", "q3"])
    release = asyncio.Event()
    provider = Provider()
    started: list[str] = []

    async def send(message: OutboundMessage) -> str | None:
        started.append(message.text)
        if message.text == "s1":
            await release.wait()
        return await Provider.send(provider, message)

    provider.send = send  # type: ignore[method-assign]
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock, parallel=2)
    task = asyncio.create_task(dispatcher.run_once())
    for _ in range(500):
        if provider.delivered == ["q1", "q2", "q3"]:
            break
        await asyncio.sleep(0.01)
    assert provider.delivered == ["q1", "q2", "q3"], "one after another, in order, beside the slow send"
    release.set()
    assert await task == 4
    assert started == ["s1", "q1", "q2", "q3"]
    assert set((await _statuses(services)).values()) == {("sent", "sent")}


async def test_no_more_rows_than_the_window_are_sent_before_they_are_recorded(services, clock) -> None:  # type: ignore[no-untyped-def]
    for chat in ("w1", "w2", "w3"):
        await _queue(services, chat, [chat])
    release = asyncio.Event()
    provider = Provider()
    started: list[str] = []

    async def send(message: OutboundMessage) -> str | None:
        started.append(message.text)
        await release.wait()
        return await Provider.send(provider, message)

    provider.send = send  # type: ignore[method-assign]
    dispatcher = Dispatcher(services.sessions, {"console": provider}, clock=clock, parallel=2)
    task = asyncio.create_task(dispatcher.run_once())
    await asyncio.sleep(0.2)
    assert len(started) == 2  # the window is full: the third waits until they are recorded
    release.set()
    assert await task == 3
    assert sorted(provider.delivered) == ["w1", "w2", "w3"]
