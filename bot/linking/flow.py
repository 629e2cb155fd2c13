"""LINK asks for a one-time code; `LINK CODE` from a new address joins it to the code's patient.

Registered as a step before keywords: it runs after screening (a link message is screened like any other) and
answers only messages about linking.
"""

from __future__ import annotations

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core import menu
from bot.linking import rules
from bot.linking import store as links
from bot.storage import outbox, queries
from bot.storage.models import LinkCode


def register(router: Router) -> None:
    router.before_keywords(link)


async def link(turn: Turn) -> bool:
    """True when the message was about linking and has been answered."""
    request = rules.parse(turn.inbound.text) if turn.inbound.option is None else None
    if request is None:
        return False
    patient, session, locale = turn.patient, turn.session, turn.patient.locale
    if turn.address.opted_out or patient.status in ("stopped", "declined"):
        return False
    if request.kind == "bare" and patient.status != "enrolling":
        return False
    if request.kind == "ask":
        if patient.enrolled_at is None:
            turn.replies.append(rules.how_to_use(locale))
            return True
        code = await links.issue_code(session, patient.id, turn.now, rules.VALID_FOR, rules.new_code)
        turn.replies.append(rules.code_issued(locale, code))
        return True
    found = await links.find_active(session, request.code, turn.now) if request.code else None
    if found is None:
        if request.kind == "bare":
            return False  # an ordinary answer that happens to look like a code
        turn.replies.append(rules.invalid_code(locale))
        return True
    if found.patient_id == patient.id:
        turn.replies.append(rules.same_app(locale))
        return True
    if patient.enrolled_at is not None:
        await queries.open_support_task(
            session,
            patient.id,
            "merge_request",
            f"Patient used a link code of patient #{found.patient_id} from an address that is enrolled on "
            f"its own",
            turn.now,
        )
        turn.replies.append(rules.already_enrolled(locale))
        return True
    await _join(turn, found)
    return True


async def _join(turn: Turn, found: LinkCode) -> None:
    """Move this (temporary) patient's address and rows to the code's patient and tell the other addresses."""
    session = turn.session
    existing = await queries.get_patient(session, found.patient_id)
    assert existing is not None
    # The temporary patient's unsent enrolment prompts are moot; its rows move to the existing patient.
    await outbox.cancel_address(session, turn.address.id, "address linked to an existing patient")
    turn.address.patient_id = existing.id
    await links.merge_patient(session, turn.patient, existing)
    links.mark_used(found, turn.address.id, turn.now)
    turn.patient = existing
    for other in await queries.patient_addresses(session, existing.id):
        if other.id != turn.address.id and not (other.opted_out or other.unreachable):
            notice = rules.linked_notice(existing.locale)
            await outbox.enqueue(
                session, address=other, text=notice.text, options=[], kind=notice.kind, now=turn.now
            )
    turn.replies.append(rules.linked(existing.locale))
    if existing.status == "active":
        turn.replies.append(menu.menu(existing.locale))
