"""Withdrawing consent, apart from STOP: the patient says which consent (messages, or the use of their data
for the program), confirms, and the withdrawal is recorded with their own words, its time and an audit entry.

- messages: like STOP on every address (nothing more is sent, planned reminders are cancelled); START brings
  them back and records the consent again.
- data: the patient's status becomes `withdrawn`: no reminders, no journey modules, no replies but the
  confirmation, and their rows are left out of every analytics export (`bot.analytics.store`). Messages they
  still send are stored and screened, because drug-safety reporting is a legal duty. START enrols them anew.

Reached by a keyword in every language (`withdraw` in `bot/core/wordlists/<lang>.yaml`: words the safety
screen reads as harmless, so "withdraw" itself, a drug-safety word, is not one), any time after enrolment.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core.keywords import withdraw_keyword
from bot.core.menu import stop_confirmation
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.core.programs import Program, program_or_default
from bot.i18n import t
from bot.storage import audit, queries

FLOW = "withdraw"
PREFIX = "withdraw"
SCOPES = ("messages", "data")
CANCEL = f"{PREFIX}:cancel"
CONFIRM = f"{PREFIX}:confirm"


def register(router: Router, programs: dict[str, Program]) -> Withdrawal:
    withdrawal = Withdrawal(router, programs)
    router.before_keywords(withdrawal.keyword)
    router.state(FLOW, withdrawal.answer)
    router.button(PREFIX, withdrawal.answer)
    return withdrawal


# --- words --------------------------------------------------------------------------------------------------


def scope_options(locale: str | None) -> tuple[Option, ...]:
    return (
        Option(f"{PREFIX}:messages", t(locale, "Messages: stop all messages from the program")),
        Option(f"{PREFIX}:data", t(locale, "My data: stop the use of my data for the program")),
        Option(CANCEL, t(locale, "Keep my consent")),
    )


def confirm_options(locale: str | None) -> tuple[Option, ...]:
    return (Option(CONFIRM, t(locale, "Yes, I am sure")), Option(CANCEL, t(locale, "Keep my consent")))


def ask_scope(locale: str | None) -> Reply:
    return Reply(t(locale, "Which consent do you want to withdraw?"), scope_options(locale))


def ask_confirmation(locale: str | None, scope: str) -> Reply:
    if scope == "messages":
        text = t(
            locale,
            "You are withdrawing your consent to receive messages: no more reminders or lessons. "
            "Are you sure?",
        )
    else:
        text = t(
            locale,
            "You are withdrawing your consent to the use of your data for the program: no more reminders or "
            "lessons, and your data is left out of the program's analyses. Are you sure?",
        )
    return Reply(text, confirm_options(locale))


def kept(locale: str | None) -> Reply:
    return Reply(t(locale, "Nothing has changed: your consent stays as it was."))


def data_withdrawn(locale: str | None) -> Reply:
    text = t(
        locale,
        "Your consent to the use of your data has been withdrawn. "
        "You will not receive any more messages from this program. Send START if you want to join again.",
    )
    return Reply(text, kind="stop_confirmation")


# --- the flow -----------------------------------------------------------------------------------------------


class Withdrawal:
    def __init__(self, router: Router, programs: dict[str, Program]) -> None:
        self.router = router
        self.programs = programs

    async def keyword(self, turn: Turn) -> bool:
        """The withdrawal keyword typed as a whole message by an enrolled patient starts the question."""
        patient = turn.patient
        if turn.inbound.option is not None or not withdraw_keyword(turn.inbound.text, patient.locale):
            return False
        if patient.status != "active" or turn.address.opted_out:
            return False
        await self._ask(turn, "scope", {"said": [turn.inbound.text]}, ask_scope(patient.locale))
        return True

    async def answer(self, turn: Turn) -> None:
        """The scope, then the confirmation; anything else keeps the consent as it was."""
        locale = turn.patient.locale
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is None or state.flow != FLOW:
            await self.router.show_menu(turn)  # an old button of a question already closed
            return
        said = [*state.data.get("said", []), turn.inbound.text]
        if state.step == "scope":
            choice = match_option(turn.inbound.text, turn.inbound.option, scope_options(locale), locale)
            scope = choice.split(":", 1)[1] if choice and choice != CANCEL else None
            if scope in SCOPES:
                data = {"said": said, "scope": scope}
                await self._ask(turn, "confirm", data, ask_confirmation(locale, scope))
                return
        elif state.step == "confirm":
            choice = match_option(turn.inbound.text, turn.inbound.option, confirm_options(locale), locale)
            if choice == CONFIRM:
                await queries.clear_state(turn.session, turn.patient.id)
                await self._withdraw(turn, str(state.data["scope"]), said)
                return
        await queries.clear_state(turn.session, turn.patient.id)
        turn.replies.append(kept(locale))

    async def _ask(self, turn: Turn, step: str, data: dict[str, Any], reply: Reply) -> None:
        options = [{"key": o.key, "label": o.label} for o in reply.options]
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=FLOW,
            step=step,
            data=data,
            options=options,
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(reply)

    async def _withdraw(self, turn: Turn, scope: str, said: list[str]) -> None:
        """Record (own words, time, channel), audit, then honour: nothing planned goes out any more."""
        patient = turn.patient
        program = program_or_default(self.programs, patient.program_id)
        await queries.record_consent(
            turn.session,
            patient.id,
            granted=False,
            version=program.consent_version if program else "",
            channel=turn.address.channel,
            verbatim=" / ".join(said),
            now=turn.now,
            kind=scope,
            language=patient.locale,
        )
        await audit.append(
            turn.session,
            actor=f"patient:{patient.patient_ref or patient.id}",
            action="consent.withdrawn",
            target=f"patient:{patient.id}",
            now=turn.now,
            detail={"scope": scope, "channel": turn.address.channel},
        )
        await queries.set_opt_out(turn.session, patient.id, True, turn.now)
        await queries.cancel_pending_outbox(turn.session, patient.id)
        for hook in self.router.stop_hooks:
            await hook(turn)  # planned reminders are cancelled
        if scope == "messages":
            patient.status, patient.stopped_at = "stopped", turn.now
            turn.replies.append(stop_confirmation(patient.locale))
        else:
            patient.status, patient.stopped_at = "withdrawn", turn.now
            turn.replies.append(data_withdrawn(patient.locale))
