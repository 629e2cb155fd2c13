"""Enrolment and LINK codes cannot be guessed at speed; bursts reach staff; help never shows a real code; STOP
from one linked app does not silence the others without their own STOP."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.core.programs import find_by_code
from bot.enrolment import rules
from bot.i18n import LANGUAGES
from bot.storage import guesses
from bot.storage.models import Address, Message, SupportTask
from tests.dialogue import ConsolePatient

TOO_MANY = "Too many wrong codes"


async def _to_code_step(patient: ConsolePatient) -> None:
    for said in ("hi", "1", "yes"):
        await patient.says(said)


async def test_enrolment_code_guesses_from_one_address_are_slowed_down(services: Any) -> None:
    patient = ConsolePatient(services)
    await _to_code_step(patient)
    for n in range(5):  # five mistakes are free: people mistype
        assert "not valid" in " ".join(await patient.says(f"WRONG-{n}"))
    assert "not valid" in " ".join(await patient.says("WRONG-6"))  # the sixth counts and starts the backoff
    refused = " ".join(await patient.says("DEMO-CZ-2026"))
    assert TOO_MANY in refused, "even a right code waits while the backoff runs"
    services.clock.advance(seconds=31)
    assert "time zone" in " ".join(await patient.says("DEMO-CZ-2026")), "after the wait the right code works"


async def test_guesses_from_many_fresh_addresses_close_the_code_space_and_alert_staff(services: Any) -> None:
    for n in range(guesses.SPACE_LIMIT):
        patient = ConsolePatient(services, address=f"fresh-{n}")
        await _to_code_step(patient)
        await patient.says(f"GUESS-{n}")
    async with services.sessions() as session:
        tasks = (await session.scalars(select(SupportTask).where(SupportTask.kind == "code_guessing"))).all()
    assert len(tasks) == 1 and "wrong enrolment codes" in tasks[0].detail

    newcomer = ConsolePatient(services, address="fresh-late")
    await _to_code_step(newcomer)
    assert TOO_MANY in " ".join(await newcomer.says("DEMO-CZ-2026")), "the space is closed for the window"
    services.clock.advance(seconds=guesses.SPACE_WINDOW.total_seconds() + 1)
    assert "time zone" in " ".join(await newcomer.says("DEMO-CZ-2026"))


async def test_link_code_guesses_from_one_chat_are_slowed_down(services: Any) -> None:
    patient = ConsolePatient(services)
    await _to_code_step(patient)
    await patient.says("DEMO-CZ-2026")
    await patient.says("Madrid")
    await patient.says("9:00")
    answers = [" ".join(await patient.says(f"LINK ABCD{a}{b}")) for a in "EFGH" for b in "JK"]
    assert sum("not valid" in a for a in answers) == 6
    assert all(TOO_MANY in a for a in answers[6:]), answers[6:]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_help_text_never_prints_a_working_code(services: Any) -> None:
    ctx = rules.Context("en", services.programs)
    for locale in LANGUAGES:
        words = rules.help_for("code", locale, ctx).text.replace(",", " ").replace(":", " ").split()
        assert not any(find_by_code(services.programs, w.strip(".")) for w in words), locale


async def test_stop_from_one_linked_app_asks_the_other_app_instead_of_silencing_it(services: Any) -> None:
    phone = ConsolePatient(services, address="phone")
    await _to_code_step(phone)
    for said in ("DEMO-CZ-2026", "Madrid", "9:00"):
        await phone.says(said)
    code = next(w for w in " ".join(await phone.says("LINK")).split() if len(w) == 6 and w.isupper())
    tablet = ConsolePatient(services, address="tablet")
    await tablet.says(f"LINK {code}")

    assert "will not receive any more messages" in " ".join(await tablet.says("STOP"))
    async with services.sessions() as session:
        opted = dict((await session.execute(select(Address.value, Address.opted_out))).all())
        asked = (
            await session.execute(
                select(Address.value, Message.body).join(Address).where(Message.kind == "stop_elsewhere")
            )
        ).all()
    assert [(to, "send STOP to stop them here too" in body) for to, body in asked] == [("phone", True)]
    assert opted == {"phone": False, "tablet": True}
    assert "What would you like to do?" in " ".join(await phone.says("MENU")), "the phone still gets answers"
    assert "will not receive any more messages" in " ".join(await phone.says("STOP"))


async def test_a_flooding_sender_gets_a_bounded_number_of_replies_but_every_message_is_stored(
    services: Any,
) -> None:
    from bot.conversation.pipeline import REPLY_BUDGET

    flooder = ConsolePatient(services, address="flooder")
    answered = [bool(await flooder.says(f"message {n}")) for n in range(REPLY_BUDGET + 20)]
    assert sum(answered) == REPLY_BUDGET
    assert not any(answered[REPLY_BUDGET:])
    async with services.sessions() as session:
        stored = (await session.scalars(select(Message.body).where(Message.direction == "in"))).all()
    assert len(stored) == REPLY_BUDGET + 20, "every message is stored (and screened)"
    services.clock.advance(minutes=6)
    assert await flooder.says("hello again"), "the sender is answered again after the window"
