"""The main menu: a chosen entry goes to the feature registered for it; talking to a person is built in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.conversation import fallback
from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.core.options import match_option
from bot.core.programs import Program
from bot.storage import queries


@dataclass
class MainMenu:
    router: Router
    programs: Mapping[str, Program] = field(default_factory=dict)

    async def __call__(self, turn: Turn) -> None:
        locale, patient = turn.patient.locale, turn.patient
        choice = match_option(turn.inbound.text, turn.inbound.option, menu.menu_options(locale), locale)
        entry = choice.split(":", 1)[1] if choice and choice.startswith("menu:") else None
        if entry is not None and (flow := self.router.menu_entries.get(entry)) is not None:
            await flow(turn)
        elif entry == "person":
            await queries.open_support_task(
                turn.session, patient.id, "callback", "Patient asked to talk to a person", turn.now
            )
            turn.replies.append(menu.callback_requested(locale))
        elif entry == "reminders":
            turn.replies.append(
                menu.reminders_summary(locale, list(patient.reminder_times or []), patient.timezone)
            )
        elif entry == "learn":
            turn.replies.append(menu.nothing_to_learn(locale))
        elif turn.escalated:
            return  # the safety reply already answered this message
        elif not await fallback.suggest(turn, self.router, self.programs.get(patient.program_id or "")):
            turn.replies.append(menu.menu(locale, not_understood=True))
