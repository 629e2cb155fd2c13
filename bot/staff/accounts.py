"""Accounts, signing in and out, console sessions and API tokens: the rules, on top of bot.staff.store.

- Sign-in is throttled: 5 failed attempts for one username within 15 minutes (since its last success) lock
  that username until the oldest of them is 15 minutes old; 30 failures from one remote address lock that
  address the same way. Both are counted in the database, so every `psp serve` process agrees.
- A session lasts 30 minutes of inactivity and 12 hours at most; the cookie holds a random value whose
  SHA-256 is the session row's id. A new session is created at every sign-in (no fixation).
- API tokens act with their owner's role; revoking the token or disabling the owner stops them at once.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.staff import passwords, store
from bot.staff.roles import Role, parse_role
from bot.storage import audit

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from bot.storage.models.staff import ApiToken, StaffUser

    Sessions = async_sessionmaker[AsyncSession]

SESSION_IDLE = timedelta(minutes=30)
SESSION_MAX = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_USER_FAILURES = 5
MAX_REMOTE_FAILURES = 30
_ROLES = {role.value for role in Role}
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


class AccountError(ValueError):
    """A request about accounts or tokens that cannot be carried out; the message says why."""


@dataclass(frozen=True)
class Identity:
    """Who is making a request: a signed-in browser (session) or an API token."""

    user_id: int
    username: str
    role: Role
    session_id: str | None = None
    csrf_token: str | None = None
    token_id: int | None = None

    @property
    def actor(self) -> str:
        """The name written in the audit log."""
        return self.username if self.token_id is None else f"{self.username} (token #{self.token_id})"


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: an identity and its cookie value, or why not."""

    identity: Identity | None = None
    cookie_value: str | None = None
    throttled_for: timedelta | None = None

    @property
    def ok(self) -> bool:
        return self.identity is not None


def normalise_username(username: str) -> str:
    return username.strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise AccountError(
            "username must be 2-64 characters: letters, digits, '.', '_' or '-', starting with a letter or "
            "digit"
        )
    return name


async def create_account(
    sessions: Sessions, *, username: str, role: str, password: str | None, actor: str, now: datetime
) -> tuple[StaffUser, str | None]:
    """A new active account; returns it and the generated password when none was given (shown once)."""
    name = check_username(username)
    try:
        parsed = parse_role(role)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    generated = None
    if password is None:
        password = generated = passwords.generate_password()
    try:
        passwords.check_new_password(password)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    hashed = await passwords.ahash_password(password)
    async with sessions() as session, session.begin():
        if await store.user_by_name(session, name) is not None:
            raise AccountError(f"account {name!r} already exists")
        user = await store.add_user(
            session, username=name, role=parsed.value, password_hash=hashed, created_by=actor, now=now
        )
        await audit.append(
            session,
            actor=actor,
            action="staff.create",
            target=f"staff:{name}",
            now=now,
            detail={"role": parsed.value},
        )
    return user, generated


async def set_account_active(
    sessions: Sessions, *, username: str, active: bool, actor: str, now: datetime
) -> None:
    async with sessions() as session, session.begin():
        user = await store.user_by_name(session, normalise_username(username))
        if user is None:
            raise AccountError(f"no account {username!r}")
        await store.set_active(session, user, active)
        action = "staff.enable" if active else "staff.disable"
        await audit.append(session, actor=actor, action=action, target=f"staff:{user.username}", now=now)


async def change_password(
    sessions: Sessions, *, username: str, password: str | None, actor: str, now: datetime
) -> str | None:
    """Set a new password (generated and returned when None); the account's sessions end."""
    generated = None
    if password is None:
        password = generated = passwords.generate_password()
    try:
        passwords.check_new_password(password)
    except ValueError as exc:
        raise AccountError(str(exc)) from None
    hashed = await passwords.ahash_password(password)
    async with sessions() as session, session.begin():
        user = await store.user_by_name(session, normalise_username(username))
        if user is None:
            raise AccountError(f"no account {username!r}")
        await store.set_password(session, user, hashed, now)
        await store.end_user_sessions(session, user.id)
        await audit.append(
            session, actor=actor, action="staff.password", target=f"staff:{user.username}", now=now
        )
    return generated


def _lock_remaining(count: int, oldest: datetime | None, limit: int, now: datetime) -> timedelta | None:
    if count < limit or oldest is None:
        return None
    return max(oldest + THROTTLE_WINDOW - now, timedelta(seconds=1))


async def sign_in(sessions: Sessions, *, username: str, password: str, remote: str, now: datetime) -> SignIn:
    """Check a password under the throttling rules; on success open a new session."""
    name = normalise_username(username)[:64]
    since = now - THROTTLE_WINDOW
    async with sessions() as session, session.begin():
        by_user = await store.recent_failures(session, username=name, since=since)
        by_remote = await store.recent_failures(session, remote=remote, since=since)
        user = await store.user_by_name(session, name)
        stored_hash = user.password_hash if user is not None and user.active and user.role in _ROLES else None
    locked = _lock_remaining(*by_user, MAX_USER_FAILURES, now) or _lock_remaining(
        *by_remote, MAX_REMOTE_FAILURES, now
    )
    if locked is not None:
        return SignIn(throttled_for=locked)
    matches = await passwords.averify_password(stored_hash, password)
    async with sessions() as session, session.begin():
        await store.record_attempt(session, username=name, remote=remote, succeeded=matches, now=now)
        if not matches or user is None or stored_hash is None:
            return SignIn()
        row = await store.user_by_id(session, user.id)
        assert row is not None
        if passwords.needs_rehash(row.password_hash):
            row.password_hash = await passwords.ahash_password(password)
        row.last_login_at = now
        await store.purge_sessions(session, now)
        await store.purge_attempts(session, now - timedelta(days=90))
        cookie_value, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        created = await store.create_session(
            session,
            cookie_value=cookie_value,
            user_id=row.id,
            csrf_token=csrf,
            now=now,
            expires_at=now + SESSION_IDLE,
        )
        await audit.append(
            session, actor=row.username, action="staff.sign_in", target=f"staff:{row.username}", now=now
        )
    identity = Identity(row.id, row.username, Role(row.role), session_id=created.id, csrf_token=csrf)
    return SignIn(identity=identity, cookie_value=cookie_value)


async def resume(sessions: Sessions, cookie_value: str, now: datetime) -> Identity | None:
    """The identity behind a session cookie, or None when unknown, expired or the account is disabled."""
    async with sessions() as session:
        found = await store.session_with_user(session, cookie_value)
    if found is None:
        return None
    row, user = found
    if row.expires_at <= now or not user.active or user.role not in set(Role):
        async with sessions() as session, session.begin():
            await store.end_session(session, row.id)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        expires = min(row.created_at + SESSION_MAX, now + SESSION_IDLE)
        async with sessions() as session, session.begin():
            await store.touch_session(session, row.id, now=now, expires_at=expires)
    return Identity(user.id, user.username, Role(user.role), session_id=row.id, csrf_token=row.csrf_token)


async def sign_out(sessions: Sessions, identity: Identity, now: datetime) -> None:
    async with sessions() as session, session.begin():
        if identity.session_id is not None:
            await store.end_session(session, identity.session_id)
        await audit.append(
            session,
            actor=identity.actor,
            action="staff.sign_out",
            target=f"staff:{identity.username}",
            now=now,
        )


async def create_token(
    sessions: Sessions, *, username: str, name: str, actor: str, now: datetime
) -> tuple[ApiToken, str]:
    """A new API token for `username`'s role; the token text is returned once and never stored."""
    label = name.strip()[:100]
    if not label:
        raise AccountError("a token needs a name saying what uses it")
    token = "psp_" + secrets.token_urlsafe(32)
    async with sessions() as session, session.begin():
        user = await store.user_by_name(session, normalise_username(username))
        if user is None or not user.active:
            raise AccountError(f"no active account {username!r}")
        row = await store.add_token(
            session, token=token, user_id=user.id, name=label, created_by=actor, now=now
        )
        await audit.append(
            session,
            actor=actor,
            action="token.create",
            target=f"token:{row.id}",
            now=now,
            detail={"user": user.username, "name": label},
        )
    return row, token


async def revoke_token(sessions: Sessions, *, token_id: int, actor: str, now: datetime) -> None:
    async with sessions() as session, session.begin():
        row = await store.get_token(session, token_id)
        if row is None:
            raise AccountError(f"no token #{token_id}")
        if row.revoked_at is None:
            row.revoked_at = now
            await audit.append(session, actor=actor, action="token.revoke", target=f"token:{row.id}", now=now)


async def authenticate_token(sessions: Sessions, token: str, now: datetime) -> Identity | None:
    if not token.startswith("psp_") or len(token) > 200:
        return None
    async with sessions() as session:
        found = await store.token_with_user(session, token)
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or not user.active or user.role not in set(Role):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        async with sessions() as session, session.begin():
            await store.mark_token_used(session, row.id, now)
    return Identity(user.id, user.username, Role(user.role), token_id=row.id)
