"""Matching an answer to the options on offer: a pressed button, "2", the option's word, or a near typo."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.keywords import small_word
from bot.core.messages import Option
from bot.core.text import close_match, fold


def match_option(
    text: str, pressed: str | None, options: Sequence[Option], locale: str | None = None
) -> str | None:
    """The key of the chosen option, or None when the answer matches none of them."""
    keys = [o.key for o in options]
    if pressed is not None:
        return pressed if pressed in keys else None
    folded = fold(text)
    if not folded:
        return None
    if folded.isdigit():
        index = int(folded) - 1
        return keys[index] if 0 <= index < len(keys) else None
    by_label = {fold(o.label): o.key for o in options}
    by_key = {fold(o.key.split(":")[-1]): o.key for o in options}
    for table in (by_label, by_key):
        if folded in table:
            return table[folded]
    # yes/no options answer to "si", "oui", "نعم" ...
    word = small_word(text, locale)
    if word in ("yes", "no"):
        for key in keys:
            if key.endswith(":" + word) or key == word:
                return key
    if any(ch.isdigit() for ch in folded):
        return None  # "20:00" is not a typo of "09:00": numbers are never guessed
    guess = close_match(folded, list(by_label))
    return by_label[guess] if guess else None
