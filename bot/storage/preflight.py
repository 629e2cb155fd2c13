"""Start-up checks on the database that turn an operator's mistake into one line naming what to fix.

- the database cannot be reached (PostgreSQL refusing connections, an SQLite file in a directory that does not
  exist): the message names PSP_DATABASE_URL;
- the data was encrypted with another PSP_SECRET_KEY: refuse to start rather than treat enrolled patients
as new
  (their addresses would not be found) or fail later with InvalidTag.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage import crypto

T = TypeVar("T")


class PreflightError(Exception):
    """One line for the operator; the first word is the variable to fix."""


def sqlite_directory(url: str) -> None:
    """An SQLite file in a directory that does not exist: say so before any connection thread starts."""
    database = make_url(url).database
    if url.startswith("sqlite") and database and database != ":memory:":
        parent = Path(database).expanduser().absolute().parent
        if not parent.is_dir():
            raise PreflightError(f"PSP_DATABASE_URL: the directory {parent} does not exist (create it first)")


async def reachable(url: str, step: Callable[[], Awaitable[T]]) -> T:
    """Run `step` (connect, migrate); a connection failure becomes one PreflightError line."""
    try:
        return await step()
    except (OSError, OperationalError, DBAPIError, sqlite3.OperationalError) as exc:
        if isinstance(exc, DBAPIError) and not _connection_problem(exc):
            raise
        where = url.split("@")[-1] if "@" in url else url
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0][:160]
        raise PreflightError(f"PSP_DATABASE_URL: cannot open the database at {where}: {reason}") from None


def _connection_problem(exc: DBAPIError) -> bool:
    return bool(exc.connection_invalidated) or isinstance(exc, OperationalError)


async def key_matches(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Decrypt one stored address with the configured key; PreflightError when it belongs to another key."""
    async with sessions() as session:
        sample = await session.scalar(
            text("SELECT value FROM addresses WHERE value LIKE :prefix ORDER BY id LIMIT 1"),
            {"prefix": crypto.PREFIX + "%"},
        )
    if sample is None:
        return
    try:
        crypto.decrypt(str(sample))
    except Exception:  # noqa: BLE001 - InvalidTag, or anything else a wrong key produces
        raise PreflightError(
            "PSP_SECRET_KEY: does not match the data in this database (it was written with another key); "
            "set the key the data was written with"
        ) from None
