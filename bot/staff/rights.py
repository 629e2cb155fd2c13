"""Patient rights: the access-request export and erasure, each audited (administrators only).

Erasure rule. Erasing a patient removes what identifies them or what they said, and keeps what
pharmacovigilance law requires a marketing-authorisation holder to keep (EU GVP Module VI; GDPR Art. 17(3)(b)
and (c): legal obligation and public health):

- removed: every address's value (phone number, chat id) and its lookup hash, the verbatim consent answers,
  the text of every message that is not part of a PV case, staff notes on support tasks and task details;
  planned reminders are cancelled, pending messages are cancelled, the conversation state is deleted, the
  time zone and reminder times are cleared;
- kept, pseudonymised under the program patient ID: PV case rows and the text of the messages linked to
  a PV case (the verbatim report is the source document of an adverse-event report), consent decisions
  and their text version (proof that processing was lawful), adherence facts (dose events, refills) and the
  audit log (which holds no personal data);
- the patient's status becomes "erased"; nothing is ever sent to them again, and a message from the same
  phone number later starts a new enrolment as a new person.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.staff import rights_store as store
from bot.storage import audit, queries

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    Sessions = async_sessionmaker[AsyncSession]


class RightsError(ValueError):
    """The patient cannot be found, or is already erased."""


async def export_patient(
    sessions: Sessions, patient_ref: str, *, actor: str, now: datetime
) -> dict[str, Any]:
    """Everything held about one patient (decrypted), and an audit entry saying who took it."""
    async with sessions() as session, session.begin():
        patient = await queries.get_patient_by_ref(session, patient_ref)
        if patient is None:
            raise RightsError(f"no patient {patient_ref!r}")
        data = await store.collect(session, patient)
        sizes = {key: len(value) for key, value in data.items() if isinstance(value, list)}
        await audit.append(
            session,
            actor=actor,
            action="patient.export",
            target=f"patient:{patient.patient_ref}",
            now=now,
            detail=sizes,
        )
    return {
        "format": "psp-bot access request export v1",
        "exported_at": now.isoformat(),
        "exported_by": actor,
        **data,
    }


async def erase_patient(sessions: Sessions, patient_ref: str, *, actor: str, now: datetime) -> dict[str, int]:
    """Apply the erasure rule above; returns counts of what changed (also written to the audit log)."""
    async with sessions() as session, session.begin():
        patient = await queries.get_patient_by_ref(session, patient_ref)
        if patient is None:
            raise RightsError(f"no patient {patient_ref!r}")
        if patient.status == "erased":
            raise RightsError(f"{patient.patient_ref} is already erased")
        counts = await store.erase(session, patient, now)
        await audit.append(
            session,
            actor=actor,
            action="patient.erase",
            target=f"patient:{patient.patient_ref}",
            now=now,
            detail=counts,
        )
    return counts
