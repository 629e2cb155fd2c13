"""Code guessing (enrolment and LINK codes) is throttled per address and per code space; bursts reach staff.

Per address: five wrong codes are free (people mistype), then 30 s, 1 min, 2 min ... up to an hour apart.
Per code space (all addresses together, which stops an attacker using many fresh chats): more than
`SPACE_LIMIT` wrong codes in `SPACE_WINDOW` close the space until the window ends, and the `SPACE_ALERT`th
wrong code in a window opens a support task so a person looks. Both counters live in the database, so every
process agrees.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage import queries, throttle
from bot.storage.models import Throttle

ADDRESS_BACKOFF = throttle.exponential(free=5, cap=timedelta(hours=1), base=timedelta(seconds=30))
SPACE_WINDOW = timedelta(minutes=10)
SPACE_LIMIT = 60
SPACE_ALERT = 20


def _keys(space: str, address_id: int) -> tuple[str, str]:
    return f"code:{space}:{address_id}", f"code-space:{space}"


async def before(session: AsyncSession, space: str, address_id: int, now: datetime) -> timedelta | None:
    """Reserve this address's next guess in `space`: None when it may guess now, else how long to wait."""
    own, overall = _keys(space, address_id)
    row = await session.get(Throttle, overall, populate_existing=True)
    if row is not None and row.window_start >= now - SPACE_WINDOW and row.failures >= SPACE_LIMIT:
        return row.window_start + SPACE_WINDOW - now
    return await throttle.reserve(session, own, now)


async def after(
    session: AsyncSession, space: str, address_id: int, now: datetime, *, failed: bool | None
) -> None:
    """Settle the reserved guess: `failed` True for a wrong code (it also counts for the whole code space
    and may
    alert staff), False for a right one, None when the message was no guess after all (released, not
    counted)."""
    own, overall = _keys(space, address_id)
    await throttle.settle(
        session,
        own,
        now,
        failed=bool(failed),
        backoff=ADDRESS_BACKOFF,
        reset_on_success=failed is not None,
        window=timedelta(days=1),
    )
    if not failed:
        return
    count = await throttle.count_since(session, overall, now - SPACE_WINDOW, now)
    if count == SPACE_ALERT:
        await queries.open_support_task(
            session,
            None,
            "code_guessing",
            f"{count} wrong {space} codes within {int(SPACE_WINDOW.total_seconds() // 60)} minutes, from all "
            "addresses together: someone may be guessing codes.",
            now,
        )
