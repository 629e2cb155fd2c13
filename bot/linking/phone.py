"""Linking a new WhatsApp address to the patient who already texts from the same number by SMS.

WhatsApp verifies that its user holds the phone number, but the same number can still be two people (a family
phone), so nothing is joined on the number alone: the first WhatsApp message from a number that an enrolled
patient uses for SMS asks whether it is the same person, and only a "yes" joins the address to that patient
(one history, one consent, one set of reminders). "No" starts an enrolment of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core import menu
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.i18n import supported, t
from bot.linking import rules as linking
from bot.storage import queries

if TYPE_CHECKING:
    from bot.conversation.pipeline import Conversation, Turn

FLOW = "phone_link"
YES, NO = "phone_link:yes", "phone_link:no"
LINKED_CHANNEL = {"whatsapp": "sms"}  # a new address on the key's channel may join the value's address


def question(locale: str | None) -> Reply:
    options = (Option(YES, t(locale, "Yes, it is me")), Option(NO, t(locale, "No, someone else")))
    text = t(
        locale,
        "This phone number already receives our program's messages by SMS. Is this you? If you say yes, "
        "WhatsApp joins your account: your history, consent and reminders are kept.",
    )
    return Reply(text, options, kind="link_question")


def register(conversation: Conversation) -> None:
    """Ask on a new WhatsApp address's first message; read the answer before enrolment does."""

    async def offer(turn: Turn) -> bool:
        other = LINKED_CHANNEL.get(turn.address.channel)
        if other is None:
            return False
        found = await queries.find_address_with_patient(turn.session, other, turn.address.value)
        if found is None or found[1].enrolled_at is None or found[1].status not in ("active", "paused"):
            return False
        existing = found[1]
        locale = existing.locale or supported(turn.inbound.language_hint)
        reply = question(locale)
        turn.patient.locale = turn.patient.locale or locale
        await queries.set_state(
            turn.session,
            turn.patient.id,
            flow=FLOW,
            step="confirm",
            data={"patient_id": existing.id},
            options=[{"key": o.key, "label": o.label} for o in reply.options],
            attempts=0,
            now=turn.now,
        )
        turn.replies.append(reply)
        return True

    async def answer(turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        assert state is not None
        options = tuple(Option(o["key"], o["label"]) for o in state.options)
        choice = match_option(turn.inbound.text, turn.inbound.option, options, turn.patient.locale)
        if choice is None:
            turn.replies.append(question(turn.patient.locale))  # asked again: nothing is joined by a guess
            return
        await queries.clear_state(turn.session, turn.patient.id)
        existing = await queries.get_patient(turn.session, int(state.data["patient_id"]))
        if choice == NO or existing is None:
            await conversation.begin_enrolment(turn)
            return
        await conversation.join_patient(turn, existing)
        turn.replies.append(linking.linked(existing.locale))
        if existing.status == "active":
            turn.replies.append(menu.menu(existing.locale))

    conversation.flows["on:first_message"] = offer
    conversation.flows[FLOW] = answer
    conversation.before_enrolment.add(FLOW)
