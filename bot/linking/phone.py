"""Linking a new WhatsApp address to the patient who already texts from the same number by SMS.

WhatsApp verifies that its user holds the phone number, but the same number can still be two people (a family
phone), so nothing is joined on the number alone: the first WhatsApp message from a number that an enrolled
patient uses for SMS asks whether it is the same person, and only a "yes" joins the address to that patient
(one history, one consent, one set of reminders). "No" starts an enrolment of its own. Registered as a step
before keywords, after screening: a STOP or HELP while the question is open is read as usual.
"""

from __future__ import annotations

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core.keywords import global_keyword
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.i18n import supported, t
from bot.linking import flow
from bot.storage import queries

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


def register(router: Router) -> None:
    async def step(turn: Turn) -> bool:
        if turn.patient.status != "enrolling" or turn.address.opted_out:
            return False
        state = await queries.get_state(turn.session, turn.patient.id)
        if state is None:
            return await _offer(turn)
        if state.flow != FLOW:
            return False
        return await _answer(turn, router, state.options, int(state.data["patient_id"]))

    router.before_keywords(step)


async def _offer(turn: Turn) -> bool:
    """On a new WhatsApp address's first message: ask when an enrolled patient texts from this number."""
    other = LINKED_CHANNEL.get(turn.address.channel)
    if other is None:
        return False
    found = await queries.find_address_with_patient(turn.session, other, turn.address.value)
    if found is None or found[1].enrolled_at is None or found[1].status != "active":
        return False
    existing = found[1]
    locale = existing.locale or supported(turn.inbound.language_hint)
    turn.patient.locale = turn.patient.locale or locale
    reply = question(locale)
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


async def _answer(turn: Turn, router: Router, offered: list[dict[str, str]], patient_id: int) -> bool:
    options = tuple(Option(o["key"], o["label"]) for o in offered)
    choice = match_option(turn.inbound.text, turn.inbound.option, options, turn.patient.locale)
    if choice is None:
        if turn.inbound.option is None and global_keyword(turn.inbound.text, turn.patient.locale):
            return False  # STOP, HELP...: the keyword is answered as usual; the question stays open
        turn.replies.append(question(turn.patient.locale))  # asked again: nothing is joined by a guess
        return True
    await queries.clear_state(turn.session, turn.patient.id)
    existing = await queries.get_patient(turn.session, patient_id)
    if choice == NO or existing is None:
        assert router.enrolment is not None, "bot.enrolment registers the enrolment flow"
        await router.enrolment.begin(turn)
        return True
    await flow.join(turn, existing)
    return True
