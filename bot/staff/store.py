"""Staff accounts, console sessions, sign-in attempts and API tokens: plain async functions on a session.

Secrets are never stored: passwords as argon2 hashes (made by bot.staff.passwords), session cookies and API
tokens as SHA-256 of their random value (they carry 256 bits, so a fast hash is enough).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models.staff import ApiToken, LoginAttempt, StaffSession, StaffUser


def secret_digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


# --- accounts -----------------------------------------------------------------------------------------------


async def add_user(
    session: AsyncSession, *, username: str, role: str, password_hash: str, created_by: str, now: datetime
) -> StaffUser:
    user = StaffUser(
        username=username,
        role=role,
        password_hash=password_hash,
        active=True,
        created_at=now,
        created_by=created_by,
        password_changed_at=now,
    )
    session.add(user)
    await session.flush()
    return user


async def user_by_name(session: AsyncSession, username: str) -> StaffUser | None:
    return await session.scalar(select(StaffUser).where(StaffUser.username == username))


async def user_by_id(session: AsyncSession, user_id: int) -> StaffUser | None:
    return await session.get(StaffUser, user_id)


async def list_users(session: AsyncSession) -> list[StaffUser]:
    return list((await session.scalars(select(StaffUser).order_by(StaffUser.username))).all())


async def active_usernames(session: AsyncSession) -> list[str]:
    rows = await session.scalars(
        select(StaffUser.username).where(StaffUser.active.is_(True)).order_by(StaffUser.username)
    )
    return list(rows.all())


async def set_password(session: AsyncSession, user: StaffUser, password_hash: str, now: datetime) -> None:
    user.password_hash, user.password_changed_at = password_hash, now


async def set_active(session: AsyncSession, user: StaffUser, active: bool) -> None:
    """Disabling an account also ends its sessions at once."""
    user.active = active
    if not active:
        await end_user_sessions(session, user.id)


async def end_user_sessions(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))


# --- sign-in attempts (throttling) --------------------------------------------------------------------------


async def record_attempt(
    session: AsyncSession, *, username: str, remote: str, succeeded: bool, now: datetime
) -> None:
    session.add(LoginAttempt(username=username[:64], remote=remote[:64], succeeded=succeeded, at=now))


async def recent_failures(
    session: AsyncSession, *, username: str | None = None, remote: str | None = None, since: datetime
) -> tuple[int, datetime | None]:
    """Failed attempts since `since` (and since the last success for a username), and the oldest of them."""
    query = select(func.count(), func.min(LoginAttempt.at)).where(
        LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
    )
    if username is not None:
        last_ok = await session.scalar(
            select(func.max(LoginAttempt.at)).where(
                LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
            )
        )
        query = query.where(LoginAttempt.username == username)
        if last_ok is not None:
            query = query.where(LoginAttempt.at > last_ok)
    if remote is not None:
        query = query.where(LoginAttempt.remote == remote)
    count, oldest = (await session.execute(query)).one()
    return int(count), oldest


async def purge_attempts(session: AsyncSession, before: datetime) -> None:
    await session.execute(delete(LoginAttempt).where(LoginAttempt.at < before))


# --- sessions -----------------------------------------------------------------------------------------------


async def create_session(
    session: AsyncSession,
    *,
    cookie_value: str,
    user_id: int,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> StaffSession:
    row = StaffSession(
        id=secret_digest(cookie_value),
        user_id=user_id,
        csrf_token=csrf_token,
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
    )
    session.add(row)
    await session.flush()
    return row


async def session_with_user(
    session: AsyncSession, cookie_value: str
) -> tuple[StaffSession, StaffUser] | None:
    found = (
        await session.execute(
            select(StaffSession, StaffUser)
            .join(StaffUser, StaffUser.id == StaffSession.user_id)
            .where(StaffSession.id == secret_digest(cookie_value))
        )
    ).first()
    return (found[0], found[1]) if found else None


async def touch_session(
    session: AsyncSession, session_id: str, *, now: datetime, expires_at: datetime
) -> None:
    await session.execute(
        update(StaffSession)
        .where(StaffSession.id == session_id)
        .values(last_seen_at=now, expires_at=expires_at)
    )


async def end_session(session: AsyncSession, session_id: str) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.id == session_id))


async def purge_sessions(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(StaffSession).where(StaffSession.expires_at <= now))


# --- API tokens ---------------------------------------------------------------------------------------------


async def add_token(
    session: AsyncSession, *, token: str, user_id: int, name: str, created_by: str, now: datetime
) -> ApiToken:
    row = ApiToken(
        user_id=user_id,
        name=name,
        token_hash=secret_digest(token),
        prefix=token[:12],
        created_at=now,
        created_by=created_by,
    )
    session.add(row)
    await session.flush()
    return row


async def token_with_user(session: AsyncSession, token: str) -> tuple[ApiToken, StaffUser] | None:
    found = (
        await session.execute(
            select(ApiToken, StaffUser)
            .join(StaffUser, StaffUser.id == ApiToken.user_id)
            .where(ApiToken.token_hash == secret_digest(token))
        )
    ).first()
    return (found[0], found[1]) if found else None


async def list_tokens(session: AsyncSession) -> list[tuple[ApiToken, str]]:
    rows = await session.execute(
        select(ApiToken, StaffUser.username)
        .join(StaffUser, StaffUser.id == ApiToken.user_id)
        .order_by(ApiToken.id)
    )
    return [(token, username) for token, username in rows.all()]


async def get_token(session: AsyncSession, token_id: int) -> ApiToken | None:
    return await session.get(ApiToken, token_id)


async def mark_token_used(session: AsyncSession, token_id: int, now: datetime) -> None:
    await session.execute(update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=now))


def token_summary(token: ApiToken, username: str) -> dict[str, Any]:
    return {
        "id": token.id,
        "name": token.name,
        "user": username,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
    }
