"""Words that mean a patient may be thinking of harming themselves, in every supported language.

The safety screen decides about adverse events; this short list only decides which reply a patient gets:
the crisis line of their country beside the emergency number, and an urgent call-back by a person. It is
checked in every language whatever the patient's own, because people in distress may switch language. When in
doubt it matches: a crisis line offered to someone who did not need it costs little; one missing costs a lot.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.core.text import fold

CUES: dict[str, tuple[str, ...]] = {
    "en": (
        "hurt myself",
        "hurting myself",
        "harm myself",
        "harming myself",
        "kill myself",
        "killing myself",
        "end my life",
        "ending my life",
        "take my own life",
        "suicide",
        "suicidal",
        "want to die",
        "wish i was dead",
        "wish i were dead",
        "better off dead",
        "don't want to live",
        "do not want to live",
        "no reason to live",
        "sleep and never wake up",
        "sleep and not wake up",
        "cut myself",
        "cutting myself",
    ),
    "es": (
        "hacerme dano",
        "quitarme la vida",
        "acabar con mi vida",
        "suicidarme",
        "suicidio",
        "matarme",
        "quiero morir",
        "quiero morirme",
        "no quiero vivir",
        "dormir y no despertar",
        "cortarme",
    ),
    "fr": (
        "me faire du mal",
        "me suicider",
        "suicide",
        "me tuer",
        "envie de mourir",
        "veux mourir",
        "mettre fin a mes jours",
        "en finir avec la vie",
        "ne plus me reveiller",
        "me couper",
    ),
    "de": (
        "mir etwas antun",
        "mich umbringen",
        "mir das leben nehmen",
        "selbstmord",
        "suizid",
        "sterben will",
        "nicht mehr leben",
        "nicht mehr aufwachen",
        "mich verletzen",
        "mich ritzen",
    ),
    "pt": (
        "me machucar",
        "me ferir",
        "me matar",
        "tirar minha vida",
        "tirar a minha vida",
        "acabar com a minha vida",
        "acabar com minha vida",
        "suicidio",
        "quero morrer",
        "queria morrer",
        "nao quero mais viver",
        "nao quero viver",
        "nao acordar mais",
        "me cortar",
    ),
    "ar": (
        "اوذي نفسي",
        "ايذاء نفسي",
        "اقتل نفسي",
        "انتحار",
        "الانتحار",
        "اريد ان اموت",
        "اتمنى الموت",
        "لا اريد ان اعيش",
        "انهي حياتي",
        "انام ولا استيقظ",
    ),
}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    phrases = sorted({fold(cue) for cues in CUES.values() for cue in cues}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


def self_harm_cue(text: str) -> str | None:
    """The words of `text` that are a self-harm cue (as folded), or None."""
    found = _pattern().search(fold(text))
    return found.group(0) if found else None
