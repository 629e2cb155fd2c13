"""One patient across apps: a one-time code joins a new address to the patient who asked for it."""

from __future__ import annotations

import re
from itertools import count
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.core.messages import Inbound
from bot.i18n import t
from bot.linking import rules as linking
from bot.storage import queries
from bot.storage.models import Address, Consent, LinkCode, Message, OutboxItem, Patient, PvCase, SupportTask
from tests.dialogue import ConsolePatient, run_dialogue
from tests.telegram.conftest import Chat, labels

PHONE = "+34600111222"
_sms_ids = count(1)


async def sms(services: Any, text: str, phone: str = PHONE) -> list[str]:
    """An inbound SMS through the conversation core (the SMS adapter itself is another feature's)."""
    outcome = await services.conversation.receive(
        Inbound(
            channel="sms",
            address=phone,
            text=text,
            received_at=services.clock(),
            external_id=f"SM{next(_sms_ids):032d}",
        )
    )
    return [reply.text for reply in outcome.replies]


async def enrol_by_sms(services: Any) -> None:
    for said in ["hola", "2", "si", "DEMO-CZ-2026", "Madrid", "9:00"]:
        await sms(services, said)


def code_in(text: str) -> str:
    found = re.search(r"\b([A-Z2-9]{6})\b", text)
    assert found, text
    return found.group(1)


async def table_count(services: Any, model: Any) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_sms_patient_links_telegram_and_keeps_one_history_and_consent(
    chat: Chat, services: Any
) -> None:
    await enrol_by_sms(services)
    [issued] = await sms(services, "LINK")
    code = code_in(issued)
    assert issued == t("es", linking.code_issued("en", code).text.replace(code, "{code}"), code=code)

    [language_question] = await chat.says("/start")  # a new Telegram chat begins as a stranger
    assert labels(language_question)[0] == "English"
    linked, menu = await chat.says(f"/link {code}")

    assert linked["text"] == t(
        "es", "This app is now connected to your account. Your history, consent and reminders are kept."
    )
    assert labels(menu)[0] == t("es", "My reminders")  # the patient's language and menu, not a new enrolment
    assert await table_count(services, Patient) == 1
    assert await table_count(services, Consent) == 1
    async with services.sessions() as session:
        [patient] = (await session.scalars(select(Patient))).all()
        addresses = await queries.patient_addresses(session, patient.id)
        history = await queries.messages_of(session, patient.id)
        notices = (
            await session.execute(
                select(Message.body, Address.channel)
                .join(Address, Address.id == Message.address_id)
                .where(Message.kind == "link_notice")
            )
        ).all()
    assert (patient.status, patient.locale) == ("active", "es")
    assert sorted(a.channel for a in addresses) == ["sms", "telegram"]
    assert {m.channel for m in history} == {"sms", "telegram"}
    assert [m.body for m in history if m.direction == "in" and m.channel == "telegram"] == [
        "/start",
        f"/link {code}",
    ]
    assert notices == [
        (t("es", "Another app was just connected to your account. If this was not you, send HELP."), "sms")
    ]


async def test_a_telegram_patient_links_a_phone_by_sending_just_the_code(chat: Chat, services: Any) -> None:
    await chat.says("/start")
    await chat.presses("English")
    await chat.presses("I agree")
    await chat.says("DEMO-CZ-2026")
    await chat.presses(labels(chat.shown()[-1])[0])
    await chat.presses("09:00")
    [issued] = await chat.says("/link")
    code = code_in(issued["text"])

    replies = await sms(services, code.lower(), phone="+15551230001")  # the very first SMS: just the code

    assert replies[0] == t(
        "en", "This app is now connected to your account. Your history, consent and reminders are kept."
    )
    assert await table_count(services, Patient) == 1
    async with services.sessions() as session:
        [patient] = (await session.scalars(select(Patient))).all()
        phone = await queries.find_address(session, "sms", "+15551230001")
    assert phone is not None and phone.patient_id == patient.id
    assert patient.timezone is not None and patient.reminder_times == ["09:00"]  # one set of reminders


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_telegram_deep_link_carries_the_code(chat: Chat, services: Any) -> None:
    await enrol_by_sms(services)
    code = code_in((await sms(services, "LINK"))[0])

    replies = await chat.says(f"/start {code}")  # t.me/<bot>?start=<code>

    assert replies[0]["text"] == t(
        "es", "This app is now connected to your account. Your history, consent and reminders are kept."
    )
    assert await table_count(services, Patient) == 1


async def test_console_to_console_with_what_the_temporary_patient_said_carried_over(
    services: Any, clock: Any
) -> None:
    first = ConsolePatient(services, address="laptop")
    await run_dialogue(
        first,
        [
            ("hi", "language"),
            ("1", "agree"),
            ("yes", "code"),
            ("DEMO-CZ-2026", "time zone"),
            ("Madrid", "time"),
            ("8:00", "enrolled"),
        ],
    )
    code = code_in((await first.says("link"))[0])
    second = ConsolePatient(services, address="phone")
    await second.says("hello")
    await second.says("I feel dizzy since this morning")  # screened on the temporary patient: a PV case

    # (Both terminals share one console dispatcher in tests: the notice to the laptop is among these.)
    replies = await second.says(f"LINK {code}")

    assert any("now connected" in text for text in replies)
    assert await table_count(services, Patient) == 1
    async with services.sessions() as session:
        [patient] = (await session.scalars(select(Patient))).all()
        [case] = (await session.scalars(select(PvCase))).all()
        history = await queries.messages_of(session, patient.id)
        laptop = await queries.find_address(session, "console", "laptop")
    assert case.patient_id == patient.id  # the report stays with the person who made it
    assert "I feel dizzy since this morning" in [m.body for m in history]
    assert laptop is not None
    assert [m.body for m in history if m.kind == "link_notice" and m.address_id == laptop.id] == [
        "Another app was just connected to your account. If this was not you, send HELP."
    ]
    assert "What would you like to do?" in (await first.says("menu"))[0]  # the first address still works


async def test_codes_expire_work_once_and_only_from_another_app(services: Any, clock: Any) -> None:
    owner = ConsolePatient(services, address="owner")
    await run_dialogue(
        owner,
        [
            ("hi", "language"),
            ("1", "agree"),
            ("yes", "code"),
            ("DEMO-CZ-2026", "time zone"),
            ("Madrid", "time"),
            ("8:00", "enrolled"),
        ],
    )
    invalid = t(
        "en", "That code is not valid or has expired. Send LINK in the app you already use to get a new code."
    )
    code = code_in((await owner.says("LINK"))[0])
    assert await owner.says(f"LINK {code}") == [
        t("en", "Send this code from the other app, not from this one.")
    ]

    clock.advance(minutes=16)
    late = ConsolePatient(services, address="late")
    assert await late.says(f"link {code}") == [invalid]

    code = code_in((await owner.says("LINK"))[0])
    newer = code_in((await owner.says("LINK"))[0])  # asking again replaces the earlier code
    assert await late.says(f"link {code}") == [invalid]
    assert any("now connected" in text for text in await late.says(f"link {newer}"))
    other = ConsolePatient(services, address="other")
    assert await other.says(f"link {newer}") == [invalid]
    assert await other.says("link abc") == [invalid]
    async with services.sessions() as session:
        used = (await session.scalars(select(LinkCode).where(LinkCode.used_at.is_not(None)))).all()
    assert len(used) == 1


async def test_a_separately_enrolled_app_is_not_merged_but_handed_to_staff(services: Any) -> None:
    script = [
        ("hi", "language"),
        ("1", "agree"),
        ("yes", "code"),
        ("DEMO-CZ-2026", "time zone"),
        ("Madrid", "time"),
        ("8:00", "enrolled"),
    ]
    one, two = ConsolePatient(services, address="one"), ConsolePatient(services, address="two")
    await run_dialogue(one, script)
    await run_dialogue(two, script)
    code = code_in((await one.says("LINK"))[0])

    replies = await two.says(f"LINK {code}")

    assert "support team will contact you" in replies[0]
    assert await table_count(services, Patient) == 2
    async with services.sessions() as session:
        [task] = (await session.scalars(select(SupportTask))).all()
    assert task.kind == "merge_request"


async def test_a_patient_still_enrolling_is_told_how_linking_works(services: Any) -> None:
    newcomer = ConsolePatient(services, address="new")
    await newcomer.says("hi")
    assert await newcomer.says("LINK") == [
        t(
            "en",
            "To connect this app to the account you already have, send LINK followed by the code you got in "
            "your "
            "other app, for example LINK K7Q2MX.",
        )
    ]
    assert await table_count(services, LinkCode) == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LINK", linking.LinkRequest("ask")),
        ("/link", linking.LinkRequest("ask")),
        ("/link@psp_test_bot", linking.LinkRequest("ask")),
        ("link k7q2mx", linking.LinkRequest("use", "K7Q2MX")),
        ("LINK K7Q-2MX", linking.LinkRequest("use", "K7Q2MX")),
        ("link 123", linking.LinkRequest("use", None)),
        ("K7Q2MX", linking.LinkRequest("bare", "K7Q2MX")),
        ("/start K7Q2MX", linking.LinkRequest("bare", "K7Q2MX")),
        ("/start", None),
        ("SYDNEY", linking.LinkRequest("bare", "SYDNEY")),  # code-shaped: a code only if one is active
        ("MADRID", None),  # has an I: never a code
        ("link to the leaflet please", None),
        ("DEMO-CZ-2026", None),
        ("", None),
    ],
)
def test_what_counts_as_a_link_request(text: str, expected: linking.LinkRequest | None) -> None:
    assert linking.parse(text) == expected


def test_codes_use_the_unambiguous_alphabet() -> None:
    codes = {linking.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 6 and not set(c) & set("01IO") for c in codes)


async def test_outbox_of_the_temporary_patient_is_not_sent(chat: Chat, services: Any) -> None:
    """The new app's language question, still unsent when the code arrives, is not sent after linking."""
    await enrol_by_sms(services)
    code = code_in((await sms(services, "LINK"))[0])
    update = chat.double.make_message_update(chat.chat_id, "/start")
    await chat.channel.feed_webhook(update)  # queued, not yet sent
    await chat.says(f"/link {code}")
    async with services.sessions() as session:
        statuses = (
            await session.scalars(select(OutboxItem.status).where(OutboxItem.channel == "telegram"))
        ).all()
    assert sorted(statuses) == ["cancelled", "sent", "sent"]
    assert labels(chat.shown()[0]) == []  # the first thing the chat shows is the confirmation
