"""What the patient is offered when the menu cannot place a message: what fits, not just "not understood".

"I forgot my pills at my sister's house" is about a missed dose: the program's approved missed-dose guide is
offered, beside talking to a person and the menu. The cue words are a short list per language; anything else
gets the menu (which has "Talk to a person") with a "not understood".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.conversation.router import Router
from bot.conversation.turn import Turn
from bot.core.messages import Option, Reply
from bot.core.options import match_option
from bot.core.programs import Program
from bot.core.text import fold
from bot.i18n import t
from bot.storage import queries

FLOW = "fallback"
MISSED_DOSE_CUES: dict[str, tuple[str, ...]] = {
    "en": (
        "forgot",
        "forget",
        "forgotten",
        "missed",
        "miss a dose",
        "left my pills",
        "left my tablets",
        "lost my",
    ),
    "es": ("olvide", "se me olvido", "olvidado", "no tome", "perdi la dosis", "me salte"),
    "fr": ("oublie", "pas pris", "rate ma dose", "perdu mes"),
    "de": ("vergessen", "nicht genommen", "verpasst"),
    "pt": ("esqueci", "esquecido", "nao tomei", "perdi a dose", "deixei os comprimidos", "deixei meus"),
    "ar": ("نسيت", "لم اتناول", "فاتتني", "نسيان"),
}


@lru_cache(maxsize=1)
def _missed_dose() -> re.Pattern[str]:
    words = sorted({fold(w) for ws in MISSED_DOSE_CUES.values() for w in ws}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


def about_a_missed_dose(text: str) -> bool:
    """True when the message sounds like a forgotten or missed dose, in any supported language."""
    return _missed_dose().search(fold(text)) is not None


def missed_dose_offer(locale: str | None, guide: Option) -> Reply:
    """The approved guide (a Learn option), a person, and the way to the menu."""
    text = t(
        locale,
        "I am not sure I understood. If you missed a dose, this approved guide says what to do. You can also "
        "talk to a person, or send MENU to see everything you can do.",
    )
    return Reply(text, (guide, Option("menu:person", t(locale, "Talk to a person"))))


async def suggest(turn: Turn, router: Router, program: Program | None) -> bool:
    """For a message the menu cannot place: offer what fits (the missed-dose guide); True if so."""
    if program is None or not program.missed_dose_module or router.module_offer is None:
        return False
    if not about_a_missed_dose(turn.inbound.text):
        return False
    guide = router.module_offer(turn, program.missed_dose_module)
    if guide is None:
        return False
    reply = missed_dose_offer(turn.patient.locale, guide)
    await queries.set_state(
        turn.session,
        turn.patient.id,
        flow=FLOW,
        step="offer",
        data={},
        options=[{"key": o.key, "label": o.label} for o in reply.options],
        attempts=0,
        now=turn.now,
    )
    turn.replies.append(reply)
    return True


@dataclass
class OfferAnswer:
    """The answer to the offer ("1", "Talk to a person"): the guide's flow, the menu's entry, or the menu."""

    router: Router

    async def __call__(self, turn: Turn) -> None:
        state = await queries.get_state(turn.session, turn.patient.id)
        offered = tuple(Option(o["key"], o["label"]) for o in (state.options if state else []))
        chosen = match_option(turn.inbound.text, turn.inbound.option, offered, turn.patient.locale)
        await queries.clear_state(turn.session, turn.patient.id)
        if chosen is not None:
            turn.inbound = replace(turn.inbound, option=chosen)  # as if its button had been pressed
        pressed = self.router.for_button(chosen)
        if pressed is not None:
            await pressed(turn)
            return
        await self.router.show_menu(turn)
