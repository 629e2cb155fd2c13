"""Time segment counting and splitting on message sizes we send: `PYTHONPATH=. python bench/sms_text.py`."""

from __future__ import annotations

import random
import timeit
from functools import partial

from bot.channels.sms_text import count_segments, fit_to_budget

PROSE = {
    "en": "take your tablet with water each morning and tell us about any side effect you notice",
    "fr": "prenez votre comprimé avec de l'eau chaque matin et signalez tout effet indésirable",
    "ar": "تناول قرصك مع الماء كل صباح وأخبرنا عن أي أثر جانبي تلاحظه",
    "emoji": "take 💊 with 💧 each 🌅 and tell us 👍🏽 or 👎 about 🤢",
}


def text_of(lang: str, length: int) -> str:
    rng = random.Random(length)
    words = PROSE[lang].split()
    out = ""
    while len(out) < length:
        out += rng.choice(words) + rng.choice([" "] * 8 + [". ", "\n"])
    return out[:length].strip()


def main() -> None:
    print(f"{'lang':6} {'chars':>6} {'budget':>6} {'parts':>5} {'count µs':>9} {'split ms':>9}")
    runs = 20
    for lang in PROSE:
        for length, budget in [(300, 1), (1000, 3), (1600, 10), (5000, 1), (5000, 10)]:
            text = text_of(lang, length)
            count_us = timeit.timeit(partial(count_segments, text), number=runs) / runs * 1e6
            split_ms = timeit.timeit(partial(fit_to_budget, text, budget), number=runs) / runs * 1e3
            parts = len(fit_to_budget(text, budget))
            print(f"{lang:6} {length:6} {budget:6} {parts:5} {count_us:9.0f} {split_ms:9.2f}")


if __name__ == "__main__":
    main()
