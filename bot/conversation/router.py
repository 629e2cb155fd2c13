"""Typed flows and the router features register them with.

A feature never edits the pipeline: it registers what it answers.

- `state(name, flow)`: the patient's pending question (`conversation_states.flow == name`) is answered by
  `flow`;
- `menu(choice, flow)`: a main-menu entry (`"reminders"` for the option key `menu:reminders`);
- `button(prefix, flow)`: a pressed option whose key starts with `prefix:`, whatever was asked since;
- `on_stop(flow)`: runs when a patient sends STOP (e.g. planned reminders are cancelled);
- `before_keywords(step)`: a step that may answer a message before keywords are read (linking codes);
- `after_escalation(flow)`: runs after a message opened or joined a PV case (follow-up questions);
- `enrolment` and `escalation`: the one enrolment flow and the one PV intake;
- `module_offer`: an approved module as an option (Learn), which the menu suggests when it fits a message.

`show_menu(turn)` answers a message as the main menu would; flows call it for a message that is not theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from bot.conversation.turn import Turn
from bot.core.messages import Option
from bot.safety import ScreenResult


class Flow(Protocol):
    """Answers one message: appends replies to `turn.replies` and writes its state in `turn.session`."""

    async def __call__(self, turn: Turn) -> None: ...


class Step(Protocol):
    """A pipeline step that may answer a message: True when it did (nothing after it runs)."""

    async def __call__(self, turn: Turn) -> bool: ...


class Enrolment(Protocol):
    """The enrolment flow: starts it, answers its questions, explains its current question."""

    async def begin(self, turn: Turn) -> None: ...

    async def answer(self, turn: Turn) -> None: ...

    async def help(self, turn: Turn) -> None: ...


class ModuleOffer(Protocol):
    """An approved module as an option for this patient (None when it may not be served to them today)."""

    def __call__(self, turn: Turn, module_id: str) -> Option | None: ...


class Escalation(Protocol):
    """The PV intake of a screened message: a case (and the patient told what happens next), a review item for
    an officer, a random second look, or nothing, as the screen's tier says."""

    async def __call__(self, turn: Turn, result: ScreenResult) -> None: ...


@dataclass
class Router:
    states: dict[str, Flow] = field(default_factory=dict)
    menu_entries: dict[str, Flow] = field(default_factory=dict)
    buttons: dict[str, Flow] = field(default_factory=dict)
    stop_hooks: list[Flow] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    escalation_hooks: list[Flow] = field(default_factory=list)
    enrolment: Enrolment | None = None
    escalation: Escalation | None = None
    menu_flow: Flow | None = None  # set by the conversation: the main menu
    module_offer: ModuleOffer | None = None  # set by Learn: what the menu's fallback may suggest

    def state(self, name: str, flow: Flow) -> None:
        self.states[name] = flow

    def menu(self, choice: str, flow: Flow) -> None:
        self.menu_entries[choice] = flow

    def button(self, prefix: str, flow: Flow) -> None:
        self.buttons[prefix] = flow

    def on_stop(self, flow: Flow) -> None:
        self.stop_hooks.append(flow)

    def before_keywords(self, step: Step) -> None:
        self.steps.append(step)

    def after_escalation(self, flow: Flow) -> None:
        self.escalation_hooks.append(flow)

    def for_button(self, option: str | None) -> Flow | None:
        return self.buttons.get(option.split(":", 1)[0]) if option else None

    async def show_menu(self, turn: Turn) -> None:
        """Answer `turn` as the main menu would (a flow found the message is not one of its answers)."""
        assert self.menu_flow is not None, "the conversation sets the menu"
        await self.menu_flow(turn)
