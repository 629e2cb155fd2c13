"""Group commit (bot.conversation.group and .batch) on a real SQLite file and PostgreSQL: a batch is one
transaction, a poisoned message in it is isolated while the others are stored and answered, and a batch
delivered again changes nothing."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from bot.conversation.turn import Turn
from bot.core.messages import Inbound, Outcome
from bot.storage.models import ContentDelivery, Message, OutboxItem


def _inbound(chat: int, text: str, n: int) -> Inbound:
    return Inbound(
        channel="console",
        address=f"chat-{chat}",
        text=text,
        received_at=datetime.now(UTC),
        external_id=f"m-{chat}-{n}",
    )


async def _batch(services, inbounds: list[Inbound]) -> list[Outcome | BaseException]:  # type: ignore[no-untyped-def]
    """What a poller does with a polled batch: every message in its place, written together."""
    writer = services.conversation.writer
    async with writer.ordered(len(inbounds)) as places:
        return await asyncio.gather(
            *(places.run(i, services.conversation.receive(m)) for i, m in enumerate(inbounds)),
            return_exceptions=True,
        )


async def _counts(services) -> tuple[dict[str, int], int]:  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        rows = await session.execute(
            select(Message.external_id, func.count())
            .where(Message.direction == "in")
            .group_by(Message.external_id)
        )
        stored = {str(k): int(n) for k, n in rows.all()}
        outbox = int(await session.scalar(select(func.count()).select_from(OutboxItem)) or 0)
    return stored, outbox


@pytest.fixture
def batches(services) -> list[int]:  # type: ignore[no-untyped-def]
    sizes: list[int] = []
    services.conversation.writer.on_batch = lambda size, _seconds: sizes.append(size)
    return sizes


async def test_a_batch_is_one_transaction_and_a_chat_is_answered_in_order(  # type: ignore[no-untyped-def]
    services, batches, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.conversation.batch")
    inbounds = [_inbound(chat, "hello", 1) for chat in range(6)] + [_inbound(0, "English", 2)]
    outcomes = await _batch(services, inbounds)
    assert batches == [7]
    assert not caplog.records, "no message failed: the batch was committed as one transaction"
    assert all(isinstance(o, Outcome) and o.replies and not o.duplicate for o in outcomes)
    # The new patient was asked for a language, then answered it: the second message sees the first's state.
    first, second = outcomes[0], outcomes[6]
    assert isinstance(first, Outcome) and isinstance(second, Outcome)
    assert first.patient_ref == second.patient_ref
    assert [r.text for r in second.replies] != [r.text for r in first.replies]
    stored, outbox = await _counts(services)
    assert sorted(stored) == sorted(m.external_id for m in inbounds if m.external_id)
    assert outbox == sum(len(o.replies) for o in outcomes if isinstance(o, Outcome))


async def test_a_poisoned_message_is_isolated_and_the_others_are_stored_and_answered(  # type: ignore[no-untyped-def]
    services, batches
) -> None:
    async def poison(turn: Turn) -> bool:
        if turn.inbound.text == "poison":
            raise RuntimeError("this message breaks the pipeline")
        return False

    services.conversation.router.before_keywords(poison)
    inbounds = [_inbound(chat, "hello", 1) for chat in range(5)]
    inbounds.insert(2, _inbound(9, "poison", 1))
    inbounds.append(_inbound(0, "English", 2))  # after the poison, same chat as the first
    outcomes = await _batch(services, inbounds)

    assert isinstance(outcomes[2], RuntimeError), "the poisoned message's caller learns it failed"
    answered = [o for i, o in enumerate(outcomes) if i != 2]
    assert all(isinstance(o, Outcome) and o.replies for o in answered), "the others are answered"
    stored, outbox = await _counts(services)
    assert sorted(stored) == sorted(m.external_id for i, m in enumerate(inbounds) if i != 2 and m.external_id)
    assert outbox == sum(len(o.replies) for o in answered if isinstance(o, Outcome))
    assert batches == [7], "one batch from the writer's point of view"

    # Delivered again (the poller did not confirm the batch): nothing changes, the poison fails again alone.
    again = await _batch(services, inbounds)
    assert isinstance(again[2], RuntimeError)
    assert all(isinstance(o, Outcome) and o.duplicate for i, o in enumerate(again) if i != 2)
    assert await _counts(services) == (stored, outbox)


async def test_a_message_delivered_twice_in_one_batch_is_stored_once(services, batches) -> None:  # type: ignore[no-untyped-def]
    message = _inbound(1, "hello", 1)
    outcomes = await _batch(services, [message, _inbound(2, "hello", 1), message])
    assert isinstance(outcomes[0], Outcome) and not outcomes[0].duplicate
    assert isinstance(outcomes[2], Outcome) and outcomes[2].duplicate
    stored, _ = await _counts(services)
    assert stored == {"m-1-1": 1, "m-2-1": 1}


async def _rows(services, model, *where):  # type: ignore[no-untyped-def]
    async with services.sessions() as session:
        return list((await session.scalars(select(model).where(*where).order_by(model.id))).all())


async def test_a_batch_writes_the_rows_the_one_message_path_writes(services, batches) -> None:  # type: ignore[no-untyped-def]
    """In a batch, inbound messages, replies and counters are Core rows (bot.storage.pending): the same
    columns as the ORM objects of the one-message path, the body verbatim (encrypted at rest)."""
    text = "since the new pill I feel dizzy and my skin itches"
    await _batch(services, [_inbound(1, text, 1)])  # alone: the one-message path
    await _batch(services, [_inbound(2, text, 1), _inbound(3, "hello", 1)])
    assert batches == [1, 2]
    alone, batched, _ = await _rows(services, Message, Message.direction == "in")
    columns = ("body", "option", "status", "screen_tier", "language", "kind", "channel", "segments")
    assert [getattr(batched, c) for c in columns] == [getattr(alone, c) for c in columns]
    assert batched.body == text and batched.screen_tier is not None and batched.patient_id is not None
    replies = await _rows(services, Message, Message.direction == "out")
    by_address: dict[int | None, list[Message]] = {}
    for reply in replies:
        by_address.setdefault(reply.address_id, []).append(reply)
    first, second = (by_address[a] for a in sorted(by_address, key=lambda a: a or 0)[:2])
    assert [(m.body, m.kind, m.status) for m in first] == [(m.body, m.kind, m.status) for m in second]
    items = await _rows(services, OutboxItem)
    assert {i.message_id for i in items} == {m.id for m in replies}
    assert all(i.status == "pending" and i.attempts == 0 for i in items)


async def test_stop_in_a_batch_cancels_the_replies_buffered_before_it(services, batches) -> None:  # type: ignore[no-untyped-def]
    """A reply written as a buffered row is in the outbox before STOP looks for pending replies, and a chat's
    replies keep the order of its messages."""
    outcomes = await _batch(
        services,
        [_inbound(1, "hello", 1), _inbound(2, "hello", 1), _inbound(1, "English", 2), _inbound(1, "STOP", 3)],
    )
    assert batches == [4]
    assert all(isinstance(o, Outcome) for o in outcomes)
    items = await _rows(services, OutboxItem)
    replies = {m.id: m for m in await _rows(services, Message, Message.direction == "out")}
    chat1 = [i for i in items if i.address_id == replies[items[0].message_id].address_id]
    assert [i.status for i in chat1[:-1]] == ["cancelled"] * (len(chat1) - 1)
    assert replies[chat1[-1].message_id].kind == "stop_confirmation" and chat1[-1].status == "pending"
    expected = [r.text for o in (outcomes[0], outcomes[2], outcomes[3]) for r in o.replies]  # type: ignore[union-attr]
    assert [replies[i.message_id].body for i in chat1] == expected
    assert all(i.status == "pending" for i in items if i not in chat1)


async def test_the_reply_budget_counts_across_batches(services, batches) -> None:  # type: ignore[no-untyped-def]
    """Reply counters are counted in memory in a batch and written at its commit: the next batch goes on from
    there (a new counter is inserted by the first batch, updated by the second)."""
    from bot.conversation.pipeline import REPLY_BUDGET

    flood = [_inbound(7, f"message {n}", n) for n in range(REPLY_BUDGET + 10)]
    half = len(flood) // 2
    outcomes = [*await _batch(services, flood[:half]), *await _batch(services, flood[half:])]
    assert batches == [half, len(flood) - half]
    assert all(isinstance(o, Outcome) and o.replies for o in outcomes)  # what would have been said
    stored, outbox = await _counts(services)
    assert len(stored) == len(flood), "every message is stored (and screened)"
    first = [o for o in outcomes[:REPLY_BUDGET] if isinstance(o, Outcome)]
    assert outbox == sum(len(o.replies) for o in first), "only the first REPLY_BUDGET messages are answered"


async def _enrolled(services, chats: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Active patients of the daily program, one console chat each (`chat-N`)."""
    from bot.storage import queries

    now = services.clock()
    async with services.sessions() as session, session.begin():
        for chat in chats:
            patient = await queries.create_patient(session, now, locale="en")
            patient.status, patient.program_id, patient.timezone = (
                "active",
                "cardiozen-daily",
                "Europe/Madrid",
            )
            patient.reminder_times, patient.enrolled_at = ["09:00"], now
            await queries.add_address(session, patient, "console", f"chat-{chat}", now)


async def test_modules_sent_in_a_batch_keep_each_chat_in_order_and_the_replies_go_in_together(
    services, batches
) -> None:  # type: ignore[no-untyped-def]
    """A module sent by Learn in a batch waits with the batch's other replies: each chat still gets its
    messages in the order they were said, each module's delivery record names the outbox row that carries
    the module, and everything goes in once, one INSERT per table, at the commit."""
    from sqlalchemy import event

    await _enrolled(services, [1, 2, 3, 4])
    before: dict[int, list[str]] = {}
    for chat in (2, 4):  # in the Learn list: "1" sends a module
        for n, text in enumerate(("menu", "2"), 1):
            [outcome] = await _batch(services, [_inbound(chat, text, n)])
            before.setdefault(chat, []).extend(r.text for r in outcome.replies)  # type: ignore[union-attr]
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        outcomes = await _batch(
            services,
            [
                _inbound(1, "menu", 1),
                _inbound(2, "1", 3),  # a module for chat 2, while chat 1's menu waits
                _inbound(3, "menu", 1),
                _inbound(4, "1", 3),  # and one for chat 4, while chat 3's waits
                _inbound(2, "menu", 4),  # chat 2 again, after its module
                _inbound(1, "2", 2),
            ],
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert batches[-1] == 6 and all(isinstance(o, Outcome) for o in outcomes)
    inserts = [" ".join(s.split()[:3]).upper() for s in statements if s.lstrip().upper().startswith("INSERT")]
    # the two modules and every other reply at once; the two delivery records at once
    assert inserts.count("INSERT INTO OUTBOX") == 1
    assert inserts.count("INSERT INTO CONTENT_DELIVERIES") == 1

    items = await _rows(services, OutboxItem)
    bodies = {m.id: m.body for m in await _rows(services, Message, Message.direction == "out")}
    by_chat: dict[int, list[str]] = {}
    for item in items:  # in id order: the order a chat's messages leave in
        by_chat.setdefault(item.address_id, []).append(bodies[item.message_id] or "")
    chat1, chat2, chat3, chat4 = (by_chat[a] for a in sorted(by_chat))
    said = [[r.text for r in o.replies] for o in outcomes]  # type: ignore[union-attr]
    assert chat1 == said[0] + said[5]
    assert chat3 == said[2]
    for chat, setup, later in ((chat2, before[2], said[4]), (chat4, before[4], [])):
        assert chat[: len(setup)] == setup and chat[len(chat) - len(later) :] == later
        module = chat[len(setup) : len(chat) - len(later)]
        assert module and module[0].startswith("Welcome to your CardioZen support program")
    deliveries = await _rows(services, ContentDelivery)
    assert len(deliveries) == 2, "one delivery record per module sent"
    carried = {i.id: bodies[i.message_id] or "" for i in items}
    assert all(carried[d.outbox_id].startswith("Welcome to your CardioZen") for d in deliveries)


async def test_doubtful_messages_of_a_batch_reach_the_review_queue_together(services, batches) -> None:  # type: ignore[no-untyped-def]
    """What the screen doubts in a batch is in front of an officer after the commit, each item with its own
    message, patient and receipt clock, written with one INSERT and no savepoint per item."""
    from sqlalchemy import event

    from bot.pv import review_store
    from bot.storage.models import Patient

    doubt = "I feel a bit off today"  # a first-person state without a symptom: the screen is in doubt
    await _enrolled(services, [1, 2, 3])
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.lstrip().upper())

    engine = services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        inbounds = [
            _inbound(1, doubt, 1),
            _inbound(2, "menu", 1),
            _inbound(3, doubt, 1),
            _inbound(1, "menu", 2),
        ]
        outcomes = await _batch(services, inbounds)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert batches == [4] and all(isinstance(o, Outcome) for o in outcomes)
    assert not [s for s in statements if s.startswith("SAVEPOINT")]
    assert len([s for s in statements if s.startswith("INSERT INTO PV_REVIEWS")]) == 1

    async with services.sessions() as session:
        queue = await review_store.queue(session)
        refs = {p.id: p.patient_ref for p in (await session.scalars(select(Patient))).all() if p.patient_ref}
        messages = {m.id: m for m in (await session.scalars(select(Message))).all()}
    assert [(row.reason, row.status, row.lang, row.channel) for row in queue] == [
        ("screen", "open", "en", "console")
    ] * 2
    doubted = sorted((m for m in messages.values() if m.body == doubt), key=lambda m: m.id)
    assert sorted(row.patient_ref for row in queue) == sorted(refs[m.patient_id] for m in doubted)  # type: ignore[index]
    assert sorted(row.received_at for row in queue) == sorted(m.created_at for m in doubted)
    assert all(m.screen_tier == "review" for m in doubted)


async def test_a_batch_reads_its_chats_and_their_open_questions_in_one_select(services, batches) -> None:  # type: ignore[no-untyped-def]
    """Each chat's address, patient and open question (conversation state) are read together for the whole
    batch: a chat in the Learn list gets the module it picked, another the menu, with no SELECT of states."""
    from sqlalchemy import event

    await _enrolled(services, [1, 2, 3])
    for chat in (2, 3):
        for n, text in enumerate(("menu", "2"), 1):  # the main menu, then the Learn list
            await _batch(services, [_inbound(chat, text, n)])
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split()).upper())

    engine = services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        outcomes = await _batch(
            services, [_inbound(2, "1", 3), _inbound(1, "menu", 1), _inbound(3, "1", 3), _inbound(4, "hi", 1)]
        )
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert batches[-1] == 4 and all(isinstance(o, Outcome) for o in outcomes)
    selects = [s for s in statements if s.startswith("SELECT")]
    assert not [s for s in selects if "FROM CONVERSATION_STATES" in s]
    assert len([s for s in selects if "JOIN CONVERSATION_STATES" in s]) == 1
    async with services.sessions() as session:
        modules = await session.scalar(select(func.count()).select_from(ContentDelivery))
    assert modules == 2, "both chats in the Learn list got the module they picked"
    assert outcomes[1].replies and outcomes[3].replies  # type: ignore[union-attr]


async def _sms_enrolled(services, number: str) -> None:  # type: ignore[no-untyped-def]
    """An active patient of the daily program who writes by SMS from `number`."""
    from bot.storage import queries

    now = services.clock()
    async with services.sessions() as session, session.begin():
        patient = await queries.create_patient(session, now, locale="en")
        patient.status, patient.program_id, patient.timezone = ("active", "cardiozen-daily", "Europe/Madrid")
        patient.reminder_times, patient.enrolled_at = ["09:00"], now
        await queries.add_address(session, patient, "sms", number, now)


def _sms(number: str, text: str, n: int) -> Inbound:
    return Inbound(
        channel="sms", address=number, text=text, received_at=datetime.now(UTC), external_id=f"s-{number}-{n}"
    )


async def test_a_module_and_its_question_answered_in_the_same_batch(services, batches) -> None:  # type: ignore[no-untyped-def]
    """A module's question is answered by the patient's next message in the same batch: the quiz answer
    and "Read more" find the delivery the module was sent with, and each chat reads the module, its
    question and the answer in that order, each once."""
    await _enrolled(services, [1])
    await _sms_enrolled(services, "+34600000001")
    for n, text in enumerate(("menu", "2"), 1):  # both in the Learn list
        await _batch(services, [_inbound(1, text, n)])
        await _batch(services, [_sms("+34600000001", text, n)])
    outcomes = await _batch(
        services,
        [
            _inbound(1, "How to take CardioZen", 3),
            _sms("+34600000001", "How to take CardioZen", 3),
            _inbound(1, "Once a day, at the same time", 4),  # the quiz, answered right
            _sms("+34600000001", "Read more", 4),
        ],
    )
    assert batches[-1] == 4 and all(isinstance(o, Outcome) for o in outcomes)
    deliveries = await _rows(services, ContentDelivery)
    by_channel = {d.channel: d for d in deliveries if d.reason == "browse"}
    assert (
        by_channel["console"].module_id == "cz-how-to-take" and by_channel["console"].quiz_answer == "correct"
    )
    assert by_channel["sms"].module_id == "cz-how-to-take" and by_channel["sms"].opened_at is not None
    items = await _rows(services, OutboxItem)
    bodies = {m.id: m for m in await _rows(services, Message, Message.direction == "out")}
    chats: dict[str, list[str]] = {}
    for item in items[-20:]:
        chats.setdefault(item.channel, []).append(bodies[item.message_id].body or "")
    console, sms = chats["console"], chats["sms"]
    start = console.index(next(b for b in console if b.startswith("How to take CardioZen")))
    assert console[start + 1] == "How often do you take CardioZen?"
    assert console[start + 2].startswith("Correct!")
    assert console.count(console[start]) == 1
    short = sms.index(next(b for b in sms if b.startswith("DEMO: Take one CardioZen tablet")))
    assert sms[short + 1].startswith("How to take CardioZen"), "Read more: the full text after the short one"
    carried = {i.id: bodies[i.message_id].body or "" for i in items}
    assert carried[by_channel["console"].outbox_id].startswith("How to take CardioZen")
    assert carried[by_channel["sms"].outbox_id].startswith("DEMO: Take one CardioZen tablet")


async def test_a_module_sent_before_a_failing_message_arrives_once(services, batches) -> None:  # type: ignore[no-untyped-def]
    """The batch is rolled back when a message fails and the messages before it are written again: a module
    sent by one of them arrives once, with one delivery record, before the chat's next answer."""

    async def poison(turn: Turn) -> bool:
        if turn.inbound.text == "poison":
            raise RuntimeError("this message breaks the pipeline")
        return False

    services.conversation.router.before_keywords(poison)
    await _enrolled(services, [1, 2])
    for n, text in enumerate(("menu", "2"), 1):
        await _batch(services, [_inbound(1, text, n)])
    outcomes = await _batch(
        services,
        [_inbound(1, "1", 3), _inbound(2, "poison", 1), _inbound(1, "menu", 4), _inbound(2, "hi", 2)],
    )
    assert isinstance(outcomes[1], RuntimeError)
    assert all(isinstance(o, Outcome) for i, o in enumerate(outcomes) if i != 1)
    deliveries = await _rows(services, ContentDelivery)
    assert len(deliveries) == 1
    items = await _rows(services, OutboxItem)
    bodies = {m.id: m.body or "" for m in await _rows(services, Message, Message.direction == "out")}
    chat1 = [bodies[i.message_id] for i in items if i.address_id == items[0].address_id]
    modules = [b for b in chat1 if b.startswith("Welcome to your CardioZen support program")]
    assert len(modules) == 1, "the module arrives once"
    assert chat1[-len(outcomes[2].replies) :] == [r.text for r in outcomes[2].replies]  # type: ignore[union-attr]
    assert chat1.index(modules[0]) < len(chat1) - len(outcomes[2].replies)
    carried = {i.id: bodies[i.message_id] for i in items}
    assert carried[deliveries[0].outbox_id] == modules[0]


async def test_a_row_that_waits_for_its_replys_outbox_id_is_there_for_a_read_in_the_batch(services) -> None:  # type: ignore[no-untyped-def]
    """A delivery record waiting in a batch for its module's outbox id (numbered by the database on
    PostgreSQL, by the batch on SQLite) is written before anything in the transaction reads its table, and
    names the outbox row of its module."""
    from bot.learn import store as content
    from bot.learn.modules import get_module_for
    from bot.storage import ids, pending, queries

    await _enrolled(services, [1])
    program = services.programs["cardiozen-daily"]
    now = services.clock()
    delivery = get_module_for(
        program, "psp-welcome", "en", now.date(), modules=services.modules, reason="browse"
    )
    assert delivery is not None
    async with services.sessions() as session, session.begin():
        session.info[ids.BATCH] = True
        found = await queries.find_address_with_patient(session, "console", "chat-1")
        assert found is not None
        address, patient = found
        for text in ("first", "the module"):
            columns = content.delivery_columns(
                patient_id=patient.id, program_id=program.id, delivery=delivery, channel="console", now=now
            )
            await pending.enqueue_reply(
                session,
                address=address,
                text=text,
                options=[],
                kind="module",
                now=now,
                then=(content.DELIVERIES, columns) if text == "the module" else None,
            )
        [record] = await content.deliveries_of(session, patient.id)
        item = await session.get(OutboxItem, record.outbox_id)
        assert item is not None
        message = await session.get(Message, item.message_id)
        assert message is not None and message.body == "the module"
    assert [d.outbox_id for d in await _rows(services, ContentDelivery)] == [record.outbox_id]
