"""Sign-in throttling holds under concurrency: parallel guesses are refused before any password is hashed."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from bot.staff import accounts
from bot.storage.models import LoginAttempt
from tests.console.conftest import PASSWORD, add_staff


async def _try(services: Any, password: str, remote: str = "203.0.113.9") -> accounts.SignIn:
    return await accounts.sign_in(
        services.sessions, username="sam", password=password, remote=remote, now=services.clock()
    )


async def test_forty_parallel_guesses_are_not_all_evaluated(services: Any) -> None:
    await add_staff(services, "sam", "support_agent")
    results = await asyncio.gather(*(_try(services, f"wrong-guess-{n:02d}") for n in range(40)))
    async with services.sessions() as session:
        evaluated = await session.scalar(select(func.count()).select_from(LoginAttempt))
    refused = [r for r in results if r.throttled_for is not None]
    assert evaluated is not None and evaluated <= 4, f"{evaluated} of 40 parallel guesses reached the hash"
    assert len(refused) == 40 - evaluated
    assert not any(r.ok for r in results)


async def test_a_right_password_hidden_among_parallel_guesses_after_failures_is_refused(
    services: Any,
) -> None:
    await add_staff(services, "sam", "support_agent")
    for n in range(4):  # earlier failures: the account now waits between tries
        await _try(services, f"wrong-guess-{n}")
    guesses = [f"wrong-guess-{n:02d}" for n in range(19)] + [PASSWORD]
    results = await asyncio.gather(*(_try(services, guess) for guess in guesses))
    assert not any(r.ok for r in results), "nothing is evaluated while the backoff runs"
    services.clock.advance(seconds=2)
    assert (await _try(services, PASSWORD)).ok, "the owner gets in once it has passed"


async def test_many_failures_from_one_source_slow_it_without_locking_colleagues_out(services: Any) -> None:
    await add_staff(services, "sam", "support_agent")
    for n in range(12):  # a password spray from one proxy address over many names
        await accounts.sign_in(
            services.sessions, username=f"user{n}", password="x", remote="198.51.100.1", now=services.clock()
        )
    slowed = await _try(services, PASSWORD, remote="198.51.100.1")
    assert slowed.throttled_for is not None and slowed.throttled_for.total_seconds() <= 30
    services.clock.advance(seconds=31)
    assert (await _try(services, PASSWORD, remote="198.51.100.1")).ok
