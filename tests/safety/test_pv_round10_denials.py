"""Round 10 of issue #13 (branch round10-model): a denied pregnancy or breastfeeding is a denial.

The retrained candidate put negatives of the dev and holdout tables in review: "I'm not pregnant, I only
wanted the leaflet" in three languages. The lexicon cleared them, but a negated special situation did not
count as a denial the way a negated symptom does, so any score above the language's review threshold
reopened them. Now a pregnancy or breastfeeding the patient denies makes a deliberate clear that only a
strong score (``reopen_denied``, 0.9 in the model file) reopens. Other situations are not changed: "no noto
ninguna diferencia" negates its words and still tells of a lack of efficacy. The sentences are our own probes.
"""

from __future__ import annotations

import pytest

from bot.safety.screener import Screener
from tests.safety.probes import fixed_score_screener, lexicon

LANGS = ("en", "es", "fr", "de", "pt", "ar")

DENIED_PREGNANCY = [
    ("en", "I am not pregnant, I just wanted to check the leaflet"),
    ("es", "no estoy embarazada, solo quería ver el prospecto"),
    ("fr", "je ne suis pas enceinte, je voulais juste lire la notice"),
    ("de", "ich bin nicht schwanger, wollte nur den Beipackzettel lesen"),
    ("pt", "não estou grávida, só queria ler a bula"),
    ("ar", "انا مش حامل، كنت عايزه اقرا النشره بس"),
]

# A finding beside the denial is still a case.
DENIED_BUT_A_FINDING = [
    ("en", "not pregnant but my period is three weeks late and I keep throwing up"),
    ("es", "no estoy embarazada pero tengo vómitos cada mañana"),
    ("fr", "pas enceinte mais je vomis tous les matins"),
    ("de", "nicht schwanger, aber ich muss jeden Morgen erbrechen"),
    ("pt", "não estou grávida mas vomito toda manhã"),
    ("ar", "مش حامل بس برجع كل يوم الصبح"),
]


def _scored(score: float) -> Screener:
    """A screener whose score is always ``score``: an openable clear reopens at 0.5, a denial at 0.9."""
    return fixed_score_screener(score, reopen_denied=0.9)


@pytest.mark.parametrize(("lang", "text"), DENIED_PREGNANCY)
def test_a_denied_pregnancy_is_a_clear_only_a_strong_score_reopens(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "clear", text
    assert _scored(0.85).screen(text, lang).tier == "clear", text
    assert _scored(0.95).screen(text, lang).tier == "review", text


@pytest.mark.parametrize(("lang", "text"), DENIED_BUT_A_FINDING)
def test_a_finding_beside_the_denial_stays_a_case(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "case", text


def test_a_negated_lack_of_efficacy_stays_openable() -> None:
    text = "no noto ninguna diferencia con el tratamiento"
    assert _scored(0.85).screen(text, "es").tier == "review"
