"""Staff passwords: argon2id hashes (argon2-cffi), generated passwords, and the length rule.

Hashing costs tens of milliseconds and 64 MiB on purpose; callers on the event loop use the `a*` variants,
which run it in a thread. Tests may `configure()` a cheaper hasher.
"""

from __future__ import annotations

import asyncio
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 12
_hasher = PasswordHasher()  # RFC 9106 "low memory" profile: argon2id, t=3, m=64 MiB, p=4
# A valid hash of a random password, verified against when the username is unknown, so that the
# answer takes as long as for a real account (no username probing by timing).
_DUMMY_HASH: str | None = None


def configure(hasher: PasswordHasher) -> None:
    """Use another cost profile (tests use a cheap one)."""
    global _hasher, _DUMMY_HASH
    _hasher, _DUMMY_HASH = hasher, None


def check_new_password(password: str) -> None:
    """ValueError when a chosen password is too weak to protect health data."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"password must be at least {MIN_LENGTH} characters")
    if password.strip() != password:
        raise ValueError("password must not start or end with spaces")


def generate_password() -> str:
    """20 URL-safe characters (120 bits), printed once to the administrator."""
    return secrets.token_urlsafe(15)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; an unknown account (None) still costs one verification."""
    global _DUMMY_HASH
    if stored_hash is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
        stored_hash, password = _DUMMY_HASH, password + "\x00never"
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


async def ahash_password(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def averify_password(stored_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(verify_password, stored_hash, password)
