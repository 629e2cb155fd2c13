"""A patient talking to the bot through the console channel, for dialogue-table tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count
from typing import Any

from bot.channels.console import ConsoleChannel
from bot.core.messages import Inbound
from scheduler.dispatch import Dispatcher

_ids = count(1)


@dataclass
class ConsolePatient:
    services: Any
    address: str = "patient-1"
    channel_name: str = "console"
    language_hint: str | None = None
    received: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.channel = ConsoleChannel(self.received.append)
        self.dispatcher = Dispatcher(
            self.services.sessions, {"console": self.channel}, clock=self.services.clock
        )

    async def says(
        self,
        text: str,
        *,
        option: str | None = None,
        external_id: str | None = None,
        event: str | None = None,
    ) -> list[str]:
        """Send one message; return the texts the bot sent back (delivered through the outbox)."""
        before = len(self.received)
        inbound = Inbound(
            channel=self.channel_name,
            address=self.address,
            text=text,
            option=option,
            received_at=self.services.clock(),
            external_id=external_id or f"ext-{next(_ids)}",
            language_hint=self.language_hint,
            event=event,
        )
        self.last_outcome = await self.services.conversation.receive(inbound)
        await self.dispatcher.drain()
        return self.received[before:]

    @property
    def last_options(self) -> list[dict[str, str]]:
        return list(self.channel.sent[-1].options) if self.channel.sent else []


async def run_dialogue(patient: ConsolePatient, script: list[tuple[str, str | list[str]]]) -> None:
    """Each line: what the patient types, and a fragment (or fragments) the bot's answer must contain."""
    for said, expected in script:
        replies = await patient.says(said)
        joined = "\n".join(replies)
        for fragment in [expected] if isinstance(expected, str) else expected:
            assert fragment.casefold() in joined.casefold(), (
                f"after {said!r} expected {fragment!r} in:\n{joined}"
            )
