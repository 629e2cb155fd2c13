"""What the patient is offered when the menu cannot place a message: what fits, not just "not understood".

"I forgot my pills at my sister's house" is about a missed dose: the program's approved missed-dose guide is
offered, beside talking to a person and the menu. The cue words are a short list per language; anything else
gets the menu (which has "Talk to a person") with a "not understood".
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.messages import Option, Reply
from bot.core.text import fold
from bot.i18n import t

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
        "I am not sure I understood. If you missed a dose, this approved guide says what to do. You can also talk "
        "to a person, or send MENU to see everything you can do.",
    )
    return Reply(text, (guide, Option("menu:person", t(locale, "Talk to a person"))))
