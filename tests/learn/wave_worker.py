"""`python -m tests.learn.wave_worker URL ISO_TIME WAVE`: one journey tick in a process of its own, for the
crash test (killed with SIGKILL halfway through). Prints `ready` once the services are open."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from bot.app import close_services, open_services
from scheduler.content_jobs import journey_tick
from tests.conftest import make_settings


async def main(url: str, at: str, wave: int) -> None:
    now = datetime.fromisoformat(at)
    services = await open_services(make_settings(url), clock=lambda: now)
    print("ready", flush=True)
    try:
        stats = await journey_tick(
            services.sessions, services.programs, services.modules, lambda: now, wave=wave
        )
        print(f"sent={stats.sent}", flush=True)
    finally:
        await close_services(services)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
