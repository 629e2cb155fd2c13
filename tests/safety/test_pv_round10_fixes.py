"""Round 10 of issue #13 (fixes): misses a reader of the screen found on main, each fixed at its cause as a
family, with hard negatives that must stay clear.

1. Hearsay or a general statement followed by the patient's own report of that very finding ("the leaflet says
   it can cause hair loss, and my hair is coming out") is a case.
2. Another person's finding followed by the patient's "and now I have it too" is the patient's finding.
3. A spoiled, expired or eaten food ("dodgy prawns", "leche caducada") is no product situation.
4. Vomited blood in the standard Arabic verb and its accusative ("تقيأت دماً") is serious.
5. "The same as before I started, it does nothing" is lack of efficacy (round10-recall fixed five languages;
   French "pareil qu'avant", with its elided "qu'" glued to "avant", is fixed here).

The sentences are our own probes, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# 1. Hearsay, then the patient's own finding of the same body part after a comma: a report.
HEARSAY_THEN_OWN = [
    ("en", "The leaflet says it can cause hair loss, and my hair is coming out"),
    ("en", "I read it can thin your hair, and now my hair is falling out in clumps"),
    ("es", "El prospecto dice que puede dar caída del pelo, y mi pelo se cae a puñados"),
    ("es", "Leí que puede dar caída del pelo, y mi pelo se está cayendo"),
    ("fr", "La notice dit que ça peut faire tomber les cheveux, et mes cheveux tombent"),
    ("fr", "J'ai lu que ça fait tomber les cheveux, et mes cheveux tombent par poignées"),
    ("de", "Im Beipackzettel steht, dass es Haarausfall machen kann, und mir fallen die Haare aus"),
    ("de", "Ich hab gelesen, dass es Haarausfall macht, und meine Haare fallen aus"),
    ("pt", "A bula diz que pode causar queda de cabelo, e meu cabelo está caindo"),
    ("pt", "Li que causa queda de cabelo, e o meu cabelo está caindo muito"),
    ("ar", "النشره بتقول انه ممكن يعمل تساقط شعر، وشعري بيقع"),
]

# ... but hearsay asked about, or the body part said to be fine or named with no finding, stays clear.
HEARSAY_ONLY = [
    ("en", "The leaflet says it can cause hair loss, will my hair fall out?"),
    ("en", "The leaflet says it can cause hair loss, and my hair is fine"),
    ("en", "My doctor says it can cause rashes, my skin is sensitive anyway"),
    ("es", "El prospecto dice que puede dar caída del pelo, ¿se me va a caer el pelo?"),
    ("fr", "La notice dit que ça peut faire tomber les cheveux, est-ce que mes cheveux vont tomber ?"),
    ("pt", "A bula diz que pode causar queda de cabelo, meu cabelo vai cair?"),
]

# 2. Another person's finding, then the patient's "and now I have it too".
ME_TOO = [
    ("en", "My brother has a cough and now I have one too"),
    ("en", "My wife came down with a stomach bug and I've got it as well"),
    ("es", "Mi hermano tiene tos y ahora yo también la tengo"),
    ("es", "Mi marido tiene diarrea desde el lunes y yo también"),
    ("fr", "Mon frère a de la toux et maintenant moi aussi"),
    ("fr", "Ma fille a la diarrhée depuis hier, et moi aussi depuis ce matin"),
    ("de", "Mein Bruder hat Husten und jetzt hab ich ihn auch"),
    ("de", "Meine Frau hat Durchfall und ich jetzt auch"),
    ("pt", "Meu irmão está com tosse e agora eu também"),
    ("pt", "A minha filha está com diarreia e eu também"),
    ("ar", "اخويا عنده كحه ودلوقتي انا كمان"),
    ("ar", "بنتي عندها اسهال وانا برضو"),
]

# ... but "I'm fine too", or another relative "too", stays someone else's.
NOT_ME_TOO = [
    ("en", "My brother has had a rotten cough all week, I'm fine too"),
    ("en", "My mum has a cough and my dad has one too"),
    ("es", "Mi hermano tiene tos, yo también estoy bien"),
    ("es", "Mi hermano tiene tos y mi hermana también"),
    ("fr", "Mon frère a de la toux, moi aussi je vais bien"),
    ("de", "Mein Bruder hat Husten, mir geht es auch gut"),
    ("pt", "Meu irmão está com tosse, eu também estou bem"),
    ("ar", "اخويا عنده كحه، انا كمان الحمد لله"),
    # An "also" that goes on to something else is no "me too".
    ("en", "My husband has the flu and I also have to work tomorrow"),
    ("es", "Mi hijo tiene varicela y yo también tengo que trabajar"),
    ("fr", "Mon fils a la varicelle et moi aussi je dois travailler"),
    ("de", "Mein Sohn hat Windpocken und ich muss auch arbeiten"),
    ("pt", "Meu filho está com catapora e eu também preciso trabalhar"),
    ("ar", "ابني عنده جديري وانا كمان لازم اروح الشغل"),
]

# 3. A spoiled, expired or eaten food is no product situation.
FOOD_NOT_PRODUCT = [
    ("en", "I ate some spoiled seafood"),
    ("en", "Think I had some expired yoghurt yesterday"),
    ("es", "Anoche cené gambas en mal estado"),
    ("es", "Me tomé una leche caducada sin darme cuenta"),
    ("fr", "J'ai mangé des moules avariées"),
    ("fr", "J'ai bu du lait périmé ce matin"),
    ("de", "Ich habe verdorbene Muscheln gegessen"),
    ("de", "Hab aus Versehen abgelaufenen Joghurt gegessen"),
    ("pt", "Ontem jantei camarão estragado"),
    ("pt", "Comi um iogurte vencido sem reparar"),
    ("ar", "كلت فراخ بايظه امبارح"),
    ("ar", "شربت لبن منتهي الصلاحيه"),
]

# ... but the product spoiled, broken or eaten stays a situation.
PRODUCT_STILL = [
    ("en", "The pens arrived damaged and the box was soaked"),
    ("en", "My son ate some of my tablets"),
    ("es", "Las pastillas llegaron caducadas"),
    ("fr", "Le stylo est arrivé cassé"),
    ("de", "Die Tabletten sind abgelaufen"),
    ("pt", "O comprimido veio quebrado"),
    ("ar", "القلم وصل مكسور"),
]

# 4. Vomited blood, in the standard Arabic verb and with the accusative ending: serious.
VOMITED_BLOOD = [
    ("ar", "تقيأت دماً"),
    ("ar", "تقيأت دما هذا الصباح"),
    ("ar", "أتقيأ دما منذ أمس"),
    ("ar", "ابني يتقيأ دماً بعد الجرعه"),
    ("ar", "استفرغت دماً بالليل"),
    ("en", "I vomited blood this morning"),
    ("es", "Vomité sangre esta mañana"),
    ("fr", "J'ai vomi du sang ce matin"),
    ("de", "Ich habe heute Morgen Blut erbrochen"),
    ("pt", "Vomitei sangue hoje de manhã"),
]


# 5. The same as before starting, and nothing from the treatment: lack of efficacy, not "not started yet".
SAME_AS_BEFORE = [
    ("en", "Everything is the same as before I started, it does nothing for me"),
    ("es", "Estoy igual que antes de empezar, no me hace nada"),
    ("fr", "C'est pareil qu'avant de commencer, ça ne me fait rien"),
    ("fr", "Toujours pareil qu'avant de commencer le traitement, aucun effet"),
    ("de", "Alles wie vor dem Start, es bringt mir nichts"),
    ("pt", "Estou igual a antes de começar, não me faz nada"),
    ("ar", "زي ما كنت قبل ما ابدأ، مش بيعمل حاجه"),
]


@pytest.mark.parametrize(("lang", "text"), SAME_AS_BEFORE)
def test_the_same_as_before_starting_is_lack_of_efficacy(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "lack_of_efficacy" in result.situations, (text, result)


def test_before_starting_alone_is_still_not_started() -> None:
    assert _lexicon("Avant de commencer, est-ce que ça donne des nausées ?", "fr").tier == "clear"


@pytest.mark.parametrize(("lang", "text"), HEARSAY_THEN_OWN)
def test_hearsay_then_the_patients_own_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), HEARSAY_ONLY)
def test_hearsay_asked_about_or_without_a_finding_stays_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ME_TOO)
def test_the_patients_me_too_makes_anothers_finding_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NOT_ME_TOO)
def test_fine_too_or_another_relative_too_stays_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), FOOD_NOT_PRODUCT)
def test_a_spoiled_or_expired_food_is_no_product_situation(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert not result.situations and result.tier == "clear", (text, result)


@pytest.mark.parametrize(("lang", "text"), PRODUCT_STILL)
def test_the_product_spoiled_or_eaten_stays_a_situation(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.situations, (text, result)


@pytest.mark.parametrize(("lang", "text"), VOMITED_BLOOD)
def test_vomited_blood_is_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, text


def test_a_tanween_word_keeps_its_written_form() -> None:
    # The accusative alef is dropped only as a second form: "شكراً" still reads as thanks, never a finding.
    assert _lexicon("شكراً جزيلاً على المساعده", "ar").tier == "clear"
