"""Enrolling patients through the conversation, editing a content copy, and reading back what was stored."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.learn.modules import load_modules
from bot.storage import queries
from bot.storage.models import ContentDelivery, Message, OutboxItem, Patient, SupportTask
from scheduler.content_jobs import JourneyStats, expiry_watch, journey_tick
from scheduler.dispatch import Dispatcher
from tests.dialogue import ConsolePatient

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "content"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday; London is on UTC, Madrid on UTC+1

MODULES = load_modules(SHIPPED)

# language -> (language choice, yes, city, dose time) as a patient of that language types them
ENROL = {
    "en": ("English", "yes", "London", "9:00"),
    "es": ("español", "sí", "Madrid", "9:00"),
    "fr": ("Français", "oui", "Paris", "9:00"),
    "ar": ("العربية", "نعم", "القاهرة", "9:00"),
}
LEARN = {"en": "Learn about my treatment", "es": "Información sobre mi tratamiento"}  # the menu entry
CODES = {"cardiozen-daily": "DEMO-CZ-2026", "ostelix-weekly": "DEMO-OX-2026"}


async def enrol(
    services: Any, address: str, lang: str = "en", program: str = "cardiozen-daily", channel: str = "console"
) -> ConsolePatient:
    """A patient enrolled through the whole dialogue; their messages are delivered to `patient.received`."""
    patient = ConsolePatient(services, address=address, channel_name=channel)
    patient.dispatcher = Dispatcher(services.sessions, {channel: patient.channel}, clock=services.clock)
    choice, yes, city, time = ENROL[lang]
    await patient.says("hello")
    await patient.says(choice)
    await patient.says(yes)
    await patient.says(CODES[program])
    replies = await patient.says(city)
    if channel == "sms" and "?" in replies[-1] and not re.search(r"\d", replies[-1]):
        replies = await patient.says(yes)  # "Is your time zone London?"
    await patient.says(time)
    row = await patient_row(services, patient)
    assert row.status == "active", f"enrolment of {address} did not finish: {patient.received[-3:]}"
    async with services.sessions() as session:
        found = await queries.find_address(session, channel, address)
        assert found is not None
    patient.dispatcher.address_ids = [found.id]  # several patients share the channel in a test
    patient.received.clear()
    patient.channel.sent.clear()
    return patient


def approved_full_text(module_id: str, lang: str, values: dict[str, str] | None = None) -> str:
    """The reviewed title and body as a patient should read them: the same words, Markdown markers dropped
    (written independently of bot.learn.delivery.plain_text, for the shipped files)."""
    t = MODULES[module_id].translation(lang)
    assert t is not None
    body = t.body.replace("**", "")
    body = re.sub(r"(?m)^_(.*)_$", r"\1", body)
    text = f"{t.title}\n\n{body}"
    for name, value in (values or {}).items():
        text = text.replace("{" + name + "}", value)
    return text


def number_of(options: list[dict[str, str]], label: str) -> str:
    """What a patient types to choose `label`: its number in the list."""
    labels = [o["label"] for o in options]
    assert label in labels, f"{label!r} not offered: {labels}"
    return str(labels.index(label) + 1)


async def patient_row(services: Any, patient: ConsolePatient) -> Patient:
    async with services.sessions() as session:
        address = await queries.find_address(session, patient.channel_name, patient.address)
        assert address is not None
        row = await queries.get_patient(session, address.patient_id)
        assert row is not None
        return row


async def deliveries(services: Any, patient: ConsolePatient | None = None) -> list[ContentDelivery]:
    async with services.sessions() as session:
        query = select(ContentDelivery).order_by(ContentDelivery.id)
        if patient is not None:
            query = query.where(ContentDelivery.patient_id == (await patient_row(services, patient)).id)
        return list((await session.scalars(query)).all())


async def outbox_text(services: Any, outbox_id: int) -> str:
    async with services.sessions() as session:
        item = await session.get(OutboxItem, outbox_id)
        assert item is not None
        message = await session.get(Message, item.message_id)
        assert message is not None
        return message.body


async def tasks(services: Any, kind: str) -> list[SupportTask]:
    async with services.sessions() as session:
        rows = await session.scalars(
            select(SupportTask).where(SupportTask.kind == kind).order_by(SupportTask.id)
        )
        return list(rows.all())


async def tick(services: Any, *patients: ConsolePatient) -> JourneyStats:
    """One run of the journey job, then the patients' outboxes are delivered."""
    stats = await journey_tick(services.sessions, services.programs, services.modules, services.clock)
    for patient in patients:
        await patient.dispatcher.drain()
    return stats


async def watch(services: Any) -> int:
    return await expiry_watch(services.sessions, services.modules, services.clock)


def at(day: date, hhmm: str, tz: str) -> datetime:
    """A local wall-clock time as the aware UTC instant the clock must show."""
    from zoneinfo import ZoneInfo

    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


# --- edits of a content copy -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """A change to a copy of content/ (not callable, so it can be the only argument of a pytest mark)."""

    apply: Callable[[Path], None]


def set_field(module: str, langs: tuple[str, ...], field: str, value: str) -> Edit:
    """An edit: `field: <old>` -> `field: <value>` in the front matter of the given language files."""

    def edit(content: Path) -> None:
        for lang in langs:
            path = content / "modules" / module / f"{lang}.md"
            text, n = re.subn(
                rf"(?m)^(\s*{field}:).*$", rf"\g<1> {value}", path.read_text(encoding="utf-8"), count=1
            )
            assert n == 1, f"{field} not in {path}"
            path.write_text(text, encoding="utf-8")

    return Edit(edit)


def remove_translation(module: str, lang: str) -> Edit:
    def edit(content: Path) -> None:
        (content / "modules" / module / f"{lang}.md").unlink()

    return Edit(edit)


def program_text(program_file: str, old: str, new: str) -> Edit:
    def edit(content: Path) -> None:
        path = content / "programs" / program_file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    return Edit(edit)


ALL_LANGS = ("en", "es", "fr", "de", "pt", "ar")
