"""`python -m tests.inbound.worker`: `psp serve`'s intake for the process tests — open_services and the
Telegram channel polling the Telegram double (TELEGRAM_API_URL), configured from the environment.

`PSP_TEST_STALL=<n>:<before|after>` freezes the whole process (time.sleep in SQLAlchemy's event) at the n-th
transaction that stores inbound messages: just before its COMMIT, or just after it (before the poller can
confirm the batch to Telegram). The worker then writes the file `stalled` in its directory; the test kills it
with SIGKILL there. It prints `ready` once polling runs.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from bot.app import close_services, enable_channels, open_services
from bot.config import load_settings
from bot.storage.models import Message


def _stall_at(spec: str) -> None:
    number, _, when = spec.partition(":")
    seen = [0]

    def _freeze() -> None:
        Path("stalled").write_text("stalled\n")
        time.sleep(600)  # the test kills us here

    @event.listens_for(Session, "after_flush")
    def _flushed(session: Session, _context: Any) -> None:
        if any(isinstance(o, Message) and o.direction == "in" for o in session.new):
            session.info["inbound"] = True

    @event.listens_for(Session, "do_orm_execute")
    def _inserted(state: ORMExecuteState) -> None:  # a batch stores its messages with one Core INSERT
        table = getattr(state.statement, "table", None)
        rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
        if state.is_insert and getattr(table, "name", None) == "messages":
            if any(row.get("direction") == "in" for row in rows):
                state.session.info["inbound"] = True

    @event.listens_for(Session, "before_commit")
    def _committing(session: Session) -> None:
        if not session.info.get("inbound") or session.in_nested_transaction():
            return  # a SAVEPOINT released inside the batch (the PV review queue uses them)
        seen[0] += 1
        if seen[0] == int(number):
            if when == "before":
                _freeze()
            session.info["stall"] = True

    @event.listens_for(Session, "after_commit")
    def _committed(session: Session) -> None:
        if session.in_nested_transaction():
            return
        if session.info.pop("stall", False):
            _freeze()
        session.info.pop("inbound", None)

    @event.listens_for(Session, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop("inbound", None)
        session.info.pop("stall", None)


async def main() -> None:
    settings = load_settings()
    services = await open_services(settings)
    if os.environ.get("PSP_TEST_STALL"):
        _stall_at(os.environ["PSP_TEST_STALL"])
    await enable_channels(services)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print("ready", flush=True)
    await stop.wait()
    await close_services(services)


if __name__ == "__main__":
    asyncio.run(main())
