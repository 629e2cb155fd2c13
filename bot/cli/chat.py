"""`psp chat`: a patient in the terminal, through the same conversation engine and database.

What the terminal shows is what the patient answers: messages sent to this address (a reminder from
`psp serve`) appear as they are sent, not after the next line; a numbered answer is bound to the message that
was on screen when the patient started typing it (as pressing that message's button would be); a line is read
whole whatever its length (prompt_toolkit on a terminal: the tty's 4,095-character line limit does not apply);
Ctrl-C leaves at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from bot.app import close_services, open_services
from bot.channels.base import OutboundMessage
from bot.channels.console import NAME, ConsoleChannel, prompt_hint
from bot.config import Settings
from bot.core.messages import Inbound
from bot.storage import queries
from bot.storage.models import Address
from scheduler.dispatch import Dispatcher

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

POLL_SECONDS = 1.0  # how often the terminal looks for messages it did not ask for (reminders)


@dataclass
class Screen:
    """The last message shown, so an answer can be bound to what the patient was looking at."""

    shown: OutboundMessage | None = None

    def bind(self, line: str, on_screen: OutboundMessage | None) -> str | None:
        """The option key a bare number chooses on the message that was on screen, else None (free text)."""
        text = line.strip()
        if on_screen is None or not text.isdigit() or not on_screen.options:
            return None
        index = int(text) - 1
        return str(on_screen.options[index]["key"]) if 0 <= index < len(on_screen.options) else None


class Chat:
    """One terminal patient: sends lines, and delivers what waits for this address under one lock."""

    def __init__(self, services: Any, address: str, lang: str | None, write: Callable[[str], None]) -> None:
        self.services, self.address, self.lang = services, address, lang
        self.screen = Screen()
        self._write = write
        self.channel = ConsoleChannel(self._show)
        self._lock = asyncio.Lock()

    def _show(self, text: str) -> None:
        self.screen.shown = self.channel.sent[-1] if self.channel.sent else None
        self._write(f"bot> {text}\n")

    async def say(self, text: str, on_screen: OutboundMessage | None, event: str | None = None) -> None:
        option = self.screen.bind(text, on_screen) if event is None else None
        inbound = Inbound(
            channel=NAME,
            address=self.address,
            text=text,
            option=option,
            received_at=datetime.now(UTC),
            external_id=f"console-{uuid4().hex}",
            language_hint=self.lang,
            event=event,
        )
        async with self._lock:
            await self.services.conversation.receive(inbound)
        await self.deliver()

    async def deliver(self) -> None:
        """Print whatever is waiting for this terminal, including reminders queued while it was closed."""
        async with self._lock:
            async with self.services.sessions() as session:
                found = await queries.find_address(session, NAME, self.address)
            if found is not None:
                await Dispatcher(self.services.sessions, {NAME: self.channel}, address_ids=[found.id]).drain()

    async def watch(self) -> None:
        """Show messages sent to this terminal by others (the scheduler) as they arrive."""
        while True:
            await asyncio.sleep(POLL_SECONDS)
            await self.deliver()


async def run_chat(settings: Settings, address: str, lang: str | None) -> int:
    services = await open_services(settings)
    lines = _terminal_lines if sys.stdin.isatty() else _piped_lines
    watcher: asyncio.Task[None] | None = None
    try:
        async with services.sessions() as session:
            known = await queries.find_address(session, NAME, address)
            locale = lang or await _patient_locale(session, known)
        async with lines(prompt_hint(locale)) as (read, write):
            chat = Chat(services, address, lang, write)
            if known is None:
                await chat.say("/start", None, event="started")
            else:
                await chat.deliver()
            watcher = asyncio.create_task(chat.watch())
            while (line := await read(chat.screen)) is not None:
                text, on_screen = line
                await chat.say(text, on_screen)
    except KeyboardInterrupt:
        return 130
    finally:
        if watcher is not None:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher  # stopped before the database closes, not in the middle of a delivery
        await close_services(services)
    return 0


async def _patient_locale(session: AsyncSession, address: Address | None) -> str | None:
    """The language of the patient behind a known terminal address, so the hint is in their language."""
    if address is None or address.patient_id is None:
        return None
    patient = await queries.get_patient(session, address.patient_id)
    return patient.locale if patient is not None else None


Reader = Callable[[Screen], Any]


@asynccontextmanager
async def _terminal_lines(hint: str) -> AsyncIterator[tuple[Reader, Callable[[str], None]]]:
    """A real terminal: prompt_toolkit reads whole lines; the prompt stays below new messages."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.patch_stdout import patch_stdout

    session: PromptSession[str] = PromptSession()
    started: list[OutboundMessage | None] = []  # what was on screen at the first key of the current line
    screen_ref: list[Screen] = []

    def first_key(buffer: Any) -> None:
        if buffer.text and not started and screen_ref:
            started.append(screen_ref[0].shown)

    session.default_buffer.on_text_changed += first_key

    async def read(screen: Screen) -> tuple[str, OutboundMessage | None] | None:
        screen_ref[:] = [screen]
        started.clear()
        try:
            text = await session.prompt_async("> ")
        except EOFError:
            return None
        on_screen = started[0] if started else screen.shown
        return text, on_screen

    with patch_stdout(raw=True):
        print(hint + "\n", flush=True)
        yield read, lambda text: print(text, flush=True)


@asynccontextmanager
async def _piped_lines(hint: str) -> AsyncIterator[tuple[Reader, Callable[[str], None]]]:
    """Input from a pipe or file: a daemon thread reads whole lines; Ctrl-C never waits for it."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for raw in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, raw.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="psp-chat-stdin", daemon=True).start()

    async def read(screen: Screen) -> tuple[str, OutboundMessage | None] | None:
        text = await queue.get()
        return None if text is None else (text, screen.shown)

    print(hint + "\n", flush=True)
    yield read, lambda text: print(text, flush=True)
