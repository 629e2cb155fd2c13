"""Link codes and the merge behind them: one patient, whatever app they write from.

A patient known on one address asks for a code; the same person writing from a new address sends it; the new
address (and everything its short-lived temporary patient collected) is moved to the existing patient.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import crypto
from bot.storage.models import Base, Patient
from bot.storage.models.telegram import LinkCode

_HASH_SCOPE = "link-code"


def code_hash(code: str) -> str:
    return crypto.lookup_hash(_HASH_SCOPE, code)


async def issue_code(
    session: AsyncSession, patient_id: int, now: datetime, valid_for: timedelta, new_code: Callable[[], str]
) -> str:
    """A fresh code for `patient_id`; the patient's earlier unused codes stop working."""
    await session.execute(
        update(LinkCode)
        .where(LinkCode.patient_id == patient_id, LinkCode.used_at.is_(None), LinkCode.expires_at > now)
        .values(expires_at=now)
    )
    for _ in range(20):
        code = new_code()
        if await find_active(session, code, now) is None:
            break
    else:  # pragma: no cover - 20 collisions in a space of ~10^9 codes
        raise RuntimeError("could not draw an unused link code")
    session.add(
        LinkCode(patient_id=patient_id, code_hash=code_hash(code), created_at=now, expires_at=now + valid_for)
    )
    await session.flush()
    return code


async def find_active(session: AsyncSession, code: str, now: datetime) -> LinkCode | None:
    return await session.scalar(
        select(LinkCode).where(
            LinkCode.code_hash == code_hash(code), LinkCode.used_at.is_(None), LinkCode.expires_at > now
        )
    )


def mark_used(code: LinkCode, address_id: int, now: datetime) -> None:
    code.used_at, code.used_by_address_id = now, address_id


def _patient_references() -> list[tuple[Table, str, bool]]:
    """Every (table, column, is-primary-key) that points at patients.id, found from the metadata.

    Read at call time, so tables that other features add later are moved too.
    """
    found: list[tuple[Table, str, bool]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == "patients" and fk.column.name == "id" and table.name != "patients":
                found.append((table, fk.parent.name, fk.parent.primary_key))
    return found


async def merge_patient(session: AsyncSession, temporary: Patient, into: Patient) -> None:
    """Move every row of `temporary` (addresses, messages, consents, cases...) to `into`, then delete it.

    Rows keyed by the patient alone (its conversation state) are dropped: the existing patient's own state
    wins. ORM-enabled statements keep the objects already loaded in this session in step with the database.
    """
    await session.flush()
    mapped = {mapper.local_table: mapper.class_ for mapper in Base.registry.mappers}
    for table, column, is_key in _patient_references():
        target = mapped.get(table, table)
        condition = table.c[column] == temporary.id
        if is_key:
            statement = delete(target).where(condition)
        else:
            statement = update(target).where(condition).values({column: into.id})  # type: ignore[assignment]
        if target is not table:
            statement = statement.execution_options(synchronize_session="fetch")
        await session.execute(statement)
    await session.delete(temporary)
    await session.flush()
