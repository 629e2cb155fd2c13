"""Which country a patient lives in: it decides the emergency number, crisis line and support phone they get.

From the phone number on SMS, from the city or time zone they chose elsewhere (Telegram, terminal), else the
program's default country, with a staff task to confirm it (a wrong emergency number is worse than a
question).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import phones
from bot.core.places import country_of_zone
from bot.core.programs import Program
from bot.storage import queries
from bot.storage.models import Address, Patient

TASK_KIND = "country_unknown"


def country_of_address(address: Address) -> str | None:
    """The country of an SMS (or WhatsApp) number; None for channels whose address says nothing about it."""
    if address.channel not in phones.PHONE_CHANNELS:
        return None
    try:
        return phones.region_of(address.value.removeprefix("whatsapp:"))
    except phones.InvalidPhoneNumber:
        return None


def known_country(patient: Patient, address: Address | None = None) -> str | None:
    """The patient's country as recorded, else as their number or time zone tells (before enrolment ends)."""
    return (
        patient.country
        or (country_of_address(address) if address is not None else None)
        or country_of_zone(patient.timezone)
    )


def learn_country(patient: Patient, address: Address) -> None:
    """Fill the country from what we already know (phone number, then time zone); never overwrite one."""
    if patient.country is None:
        patient.country = country_of_address(address) or country_of_zone(patient.timezone)


async def settle_country(
    session: AsyncSession, patient: Patient, program: Program | None, now: datetime
) -> None:
    """At the end of enrolment: an unknown country becomes the program's default; staff are asked to check."""
    if patient.country is not None or program is None:
        return
    patient.country = program.default_country
    await queries.open_support_task(
        session,
        patient.id,
        TASK_KIND,
        f"Country could not be told from the patient's address or time zone ({patient.timezone or 'none'}); "
        f"assumed {program.default_country or 'none'} (program default). Please confirm the country: it "
        "decides the emergency number the patient is given.",
        now,
    )
