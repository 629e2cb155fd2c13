"""Round 11 of issue #13 (branch round11-fixes): two recall holes found on main.

1. A measured value that moved ("from X to Y", "von X auf Y", "de X a Y", "de X à Y", "de X para Y",
   "من X إلى Y") is judged by the value it ended at, for every measure (blood sugar, pressure pairs, pulse,
   blood results), not by the first figure; a value that fell or rose to the bound it moved towards counts as
   out of range ("Hb von 12 auf 8 gefallen"). An improvement into range stays clear.
2. The patient's own "and now I have it too" after another person's finding keeps that finding the
   patient's also when the clause goes on to say where the patient has it ("j'en ai moi aussi sur les bras"):
   a body part within five words after the additive word. A plain "me too" after a stated cause stays as it
   was.

The sentences are our own probes.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon

MOVED_OUT = [
    ("de", "mein Hb ist von 12 auf 8 gefallen, in nur zwei Wochen"),
    ("de", "Blutzucker ist von 110 auf 330 gestiegen seit der neuen Dosis"),
    ("de", "Puls von 75 auf 135 hochgegangen"),
    ("en", "my sugar went from 6 to 22 overnight"),
    ("en", "my blood pressure climbed from 125/80 to 185/112"),
    ("en", "haemoglobin dropped from 11.5 to 7.2 after the second cycle"),
    ("en", "my pulse went from 70 to 145 this afternoon"),
    ("es", "la glucosa pasó de 110 a 45 esta mañana"),
    ("es", "la tensión subió de 12/8 a 19/11"),
    ("es", "la hemoglobina bajó de 12 a 8"),
    ("fr", "mon hémoglobine est passée de 12 à 8 en un mois"),
    ("fr", "ma glycémie est passée de 1,10 à 0,45"),
    ("fr", "mon pouls est passé de 70 à 140"),
    ("pt", "a glicose subiu de 100 para 350 depois da injeção"),
    ("pt", "minha hemoglobina caiu de 12 para 7"),
    ("ar", "الهيموجلوبين نزل من ١٢ إلى ٨"),
    ("ar", "السكر طلع من 110 إلى 400"),
]

MOVED_INTO_RANGE = [
    ("de", "Blutzucker von 320 auf 110 gesunken, super"),
    ("de", "Hb von 6 auf 8 gestiegen, endlich"),
    ("de", "LDL von 190 auf 62, der Arzt ist zufrieden"),
    ("en", "sugar from 14 to 6.5 these days, really pleased"),
    ("en", "blood pressure down from 170/100 to 125/80, happy with that"),
    ("en", "pulse from 130 down to 72 now"),
    ("es", "la glucosa de 300 a 110 en un mes, muy contenta"),
    ("fr", "ma glycémie est passée de 2,50 à 1,05, enfin"),
    ("pt", "a glicose foi de 300 para 110 em um mês, ótimo"),
    ("ar", "السكر نزل من ٣٠٠ إلى ١٢٠ الحمد لله"),
]

ME_TOO_WHERE = [
    ("fr", "ma collègue avait des boutons après ce vaccin, et depuis hier j'en ai moi aussi sur le cou"),
    ("es", "mi vecina tuvo ronchas con este tratamiento y ahora yo también las tengo en los brazos"),
    ("es", "a mi compañera le salieron granos con esta inyección y ahora yo también los tengo en la cara"),
    ("de", "meine Nachbarin hatte Ausschlag von dem Medikament und ich hab das jetzt auch am Hals"),
    ("de", "mein Kollege bekam Pickel von der Spritze und jetzt hab ich die auch im Gesicht"),
    ("en", "my neighbour got a rash from this treatment and now I have it too on my arms"),
    ("pt", "minha vizinha teve manchas vermelhas com esse tratamento e agora eu também tenho nos braços"),
    ("ar", "جارتي طلع لها طفح من العلاج ده ودلوقتي انا كمان عندي في دراعي"),
]

# A stated cause with a plain "me too", or an "also" about something else: unchanged, not a case.
NOT_MINE = [
    ("fr", "tout le bureau est enrhumé, moi aussi"),
    ("es", "todos en la oficina están resfriados, yo también"),
    ("en", "my sister has psoriasis on her elbows, I also have to pick up her cream from the pharmacy"),
    ("fr", "ma voisine a des plaques sur les bras, moi aussi je dois aller à la pharmacie"),
]


@pytest.mark.parametrize(("lang", "text"), MOVED_OUT)
def test_a_value_that_moved_out_of_range_is_a_case(lang: str, text: str) -> None:
    result = lexicon(text, lang)
    assert result.tier == "case" and result.escalate and result.kind == "adverse_event", result


@pytest.mark.parametrize(("lang", "text"), MOVED_INTO_RANGE)
def test_a_value_that_moved_into_range_is_clear(lang: str, text: str) -> None:
    result = lexicon(text, lang)
    assert result.tier == "clear" and not result.escalate and not result.serious, result


@pytest.mark.parametrize(("lang", "text"), ME_TOO_WHERE)
def test_me_too_with_where_the_patient_has_it_is_a_case(lang: str, text: str) -> None:
    result = lexicon(text, lang)
    assert result.tier == "case" and result.escalate and result.kind == "adverse_event", result


@pytest.mark.parametrize(("lang", "text"), NOT_MINE)
def test_me_too_without_a_finding_of_ones_own_stays_clear(lang: str, text: str) -> None:
    result = lexicon(text, lang)
    assert result.tier == "clear" and not result.escalate, result


def test_a_short_fall_to_the_bound_is_a_case() -> None:
    assert lexicon("Hb von 11 auf 8 gefallen", "de").tier == "case"
