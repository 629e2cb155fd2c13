"""PV intake in the conversation: a screened message opens or joins a case; "Report a side effect" from the
menu.

The screen itself is `bot.safety.screen` (run by the pipeline on every message); this module records what it
found as a case with its 24-hour clock and answers with the safety reply.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.conversation import country
from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.core.programs import Program, program_or_default
from bot.i18n import supported
from bot.pv import review, store, unenrolled
from bot.pv.second_look import SecondLookPolicy
from bot.safety import ScreenResult, screen
from bot.storage import queries
from bot.storage.models import Message

REPORT_FLOW = "report"


def register(
    router: Router,
    programs: Mapping[str, Program],
    due_hours: int,
    review_hours: int = 24,
    second_look: SecondLookPolicy | None = None,
) -> Intake:
    intake = Intake(programs, due_hours, review_hours, second_look or SecondLookPolicy())
    router.escalation = intake.screened
    router.menu("report", intake.ask_report)
    router.state(REPORT_FLOW, intake.report)
    return intake


@dataclass
class Intake:
    programs: Mapping[str, Program]
    due_hours: int = 24
    review_hours: int = 24  # the review queue's clock, from the message's receipt
    second_look: SecondLookPolicy = field(default_factory=SecondLookPolicy)

    async def screened(self, turn: Turn, result: ScreenResult) -> None:
        """Record the screen's tier on the message; a review item or second look when due; a case on
        `case`."""
        message = turn.message or await turn.session.get(Message, turn.message_id)
        assert message is not None  # stored by this transaction
        await review.after_screen(
            turn.session,
            message=message,
            tier=result.tier,
            lang=result.lang,
            score=result.score,
            evidence=list(result.evidence),
            review_hours=self.review_hours,
            policy=self.second_look,
        )
        if result.escalate:
            await self.escalate(turn, result.kind, result.situations, result.serious, result.evidence)

    async def escalate(
        self, turn: Turn, kind: str, situations: Sequence[str], serious: bool, evidence: Sequence[str]
    ) -> None:
        program = self.programs.get(turn.patient.program_id or "")
        case, created = await store.open_or_extend_case(
            turn.session,
            patient_id=turn.patient.id,
            program_id=program.id if program else None,
            product=program.product.brand if program else None,
            message_id=turn.message_id,
            kind=kind,
            situations=list(situations),
            serious=serious,
            evidence=list(evidence),
            received_at=turn.inbound.received_at,
            due_hours=self.due_hours,
        )
        turn.escalated, turn.pv_case_id = True, case.id
        if created and turn.patient.program_id is None:
            await unenrolled.group_if_many(turn.session, case, turn.now)
        if turn.self_harm:
            await self.self_harm(turn, program, case.id)
            return
        if not turn.address.opted_out:
            # Before the patient chose a language, answer in the one their app reports (else English).
            locale = turn.patient.locale or supported(turn.inbound.language_hint)
            turn.replies.append(menu.safety_reply(locale, serious, self.emergency_number(turn)))

    def emergency_number(self, turn: Turn) -> str:
        """The number for the patient's country; an SMS patient's country is known from the number itself,
        even on their very first message (before enrolment records it)."""
        program = program_or_default(self.programs, turn.patient.program_id)
        where = country.known_country(turn.patient, turn.address)
        return program.emergency_number(where) if program else "112"

    async def self_harm(self, turn: Turn, program: Program | None, case_id: int) -> None:
        """The country's crisis line beside the emergency number, and an urgent task: a person calls back."""
        await queries.open_support_task(
            turn.session,
            turn.patient.id,
            "self_harm",
            f"Possible self-harm cue in message #{turn.message_id} (PV case #{case_id}): call the patient "
            "now.",
            turn.now,
            urgent=True,
        )
        if turn.address.opted_out:
            return
        locale = turn.patient.locale or supported(turn.inbound.language_hint)
        program = program or program_or_default(self.programs, None)
        where = country.known_country(turn.patient, turn.address)
        crisis = program.crisis_line(where) if program else None
        turn.replies.append(menu.crisis_reply(locale, crisis, self.emergency_number(turn)))

    async def ask_report(self, turn: Turn) -> None:
        """The menu's "Report a side effect": the next message is the report."""
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=REPORT_FLOW,
            step="describe",
            data={},
            options=[],
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(menu.report_prompt(turn.patient.locale))

    async def report(self, turn: Turn) -> None:
        """A patient-volunteered report is an adverse-event report whatever the screener says."""
        await queries.clear_state(turn.session, turn.patient.id)
        if turn.escalated:
            return
        result = screen(turn.inbound.text, turn.patient.locale)
        kind = result.kind if result.kind != "none" else "adverse_event"
        await self.escalate(turn, kind, result.situations, result.serious, result.evidence)
        turn.replies[-1:] = [menu.report_received(turn.patient.locale)]
