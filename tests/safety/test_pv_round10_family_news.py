"""Round 10 of issue #13 (branch round10-model): a relative's good-news life event is family news.

Round 9's retrained candidate put a holdout negative in review: a message that only tells that the writer's
sister gave birth. The lexicon cleared it, but not deliberately, so any score above the language's review
threshold reopened it. The cause is general: a birth, a wedding, an engagement, a degree, a birthday or a new
job of a relative, told with no finding, treatment or special situation, is the relative's news, not a report
of the patient's. Such a clear is now deliberate like a relative's findings set aside: only a strong score
(``reopen_relative``, 0.9 in the model file) reopens it. The patient's own birth stays a pregnancy case, and a
finding of the patient's beside the news stays a case. The sentences are our own probes.
"""

from __future__ import annotations

import pytest

from bot.safety.screener import Screener
from tests.safety.probes import fixed_score_screener, lexicon

LANGS = ("en", "es", "fr", "de", "pt", "ar")

# A relative's good news, nothing else: clear, and not reopened by a score below the strong bound.
FAMILY_NEWS = [
    ("en", "my sister gave birth last week!"),
    ("en", "my brother got married on saturday, what a party"),
    ("en", "my niece graduated yesterday"),
    ("es", "mi hermana dio a luz el martes"),
    ("es", "mi primo se casó el sábado"),
    ("fr", "ma sœur a accouché hier soir"),
    ("fr", "mon frère s'est marié samedi"),
    ("de", "meine Schwester hat am Montag entbunden"),
    ("de", "mein Bruder hat geheiratet, war ein schönes Fest"),
    ("pt", "minha irmã deu à luz ontem"),
    ("pt", "meu irmão se casou no sábado"),
    ("ar", "بنت خالتي ولدت امبارح"),
    ("ar", "اخويا اتجوز الخميس اللي فات"),
]

# The patient's own birth is a pregnancy case, whatever the family words.
OWN_BIRTH = [
    ("en", "I gave birth last week"),
    ("es", "di a luz hace una semana"),
    ("fr", "j'ai accouché la semaine dernière"),
    ("de", "ich habe letzte Woche entbunden"),
    ("pt", "dei à luz semana passada"),
    ("ar", "انا ولدت الاسبوع اللي فات"),
]

# The relative's news beside a finding of the patient's: a case.
NEWS_AND_A_FINDING = [
    ("en", "my sister gave birth last week and since then I have had terrible headaches"),
    ("es", "mi hermana dio a luz y desde entonces tengo mareos"),
    ("fr", "ma sœur a accouché et depuis j'ai des vertiges"),
    ("de", "meine Schwester hat entbunden und seitdem habe ich Schwindel"),
    ("pt", "minha irmã deu à luz e desde então tenho tonturas"),
    ("ar", "اختي ولدت ومن ساعتها عندي دوخه"),
]


def _scored(score: float) -> Screener:
    """A screener whose score is always ``score``: an openable clear reopens at 0.5, the news at 0.9."""
    return fixed_score_screener(score, reopen_relative=0.9)


@pytest.mark.parametrize(("lang", "text"), FAMILY_NEWS)
def test_a_relatives_good_news_is_a_clear_a_middling_score_does_not_reopen(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "clear", text
    assert _scored(0.85).screen(text, lang).tier == "clear", text


# A relative's wedding (no older all-clear phrase covers it, as some do a relative's birth): a strong score
# still reopens the news.
WEDDINGS = [
    ("en", "my brother got married on saturday, what a party"),
    ("es", "mi primo se casó el sábado"),
    ("fr", "mon frère s'est marié samedi"),
    ("de", "mein Bruder hat geheiratet, war ein schönes Fest"),
    ("pt", "meu irmão se casou no sábado"),
    ("ar", "اخويا اتجوز الخميس اللي فات"),
]


@pytest.mark.parametrize(("lang", "text"), WEDDINGS)
def test_a_strong_score_still_reopens_it(lang: str, text: str) -> None:
    assert _scored(0.95).screen(text, lang).tier == "review", text


@pytest.mark.parametrize(("lang", "text"), OWN_BIRTH)
def test_the_patients_own_birth_stays_a_pregnancy_case(lang: str, text: str) -> None:
    result = lexicon(text, lang)
    assert result.tier == "case" and "pregnancy" in result.situations, text


@pytest.mark.parametrize(("lang", "text"), NEWS_AND_A_FINDING)
def test_a_finding_beside_the_news_stays_a_case(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "case", text


def test_the_round9_holdout_negative_is_family_news() -> None:
    text = "اختي ولدت الاسبوع اللي فات!"  # holdout4_ar: "my sister gave birth last week!"
    assert lexicon(text, "ar").tier == "clear"
    assert _scored(0.85).screen(text, "ar").tier == "clear"


def test_a_treatment_word_keeps_the_clear_openable() -> None:
    # the news beside a question about the patient's own injection: the score may still put it in review
    text = "اختي ولدت، ينفع اشيل البيبي بعد الحقنه؟"
    assert _scored(0.85).screen(text, "ar").tier != "clear"
