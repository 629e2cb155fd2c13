"""A tiny aiohttp server on a free loopback port, shared by the provider doubles.

The doubles run as real HTTP servers so that aiogram and twilio-python exercise their own
request building, encoding and error mapping in our tests; only the far end is fake.
"""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web


class LoopbackServer:
    """Serves `self.app` on 127.0.0.1 with a port chosen by the OS; `base_url` has no trailing slash."""

    def __init__(self) -> None:
        self.app = web.Application()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """`http://127.0.0.1:PORT` once started."""
        if self._base_url is None:
            raise RuntimeError(f"{type(self).__name__} is not started: use `async with` or await start()")
        return self._base_url

    async def start(self) -> Self:
        # shutdown_timeout is short: a double never holds work that must finish.
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._base_url = f"http://{host}:{port}"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
