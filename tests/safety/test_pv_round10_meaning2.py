"""Round 10 of issue #13 (specificity, branch round10-spec-what2): false alarms of training corpus D whose
cause is what the words mean, after the first specificity branch (test_pv_round10_meaning.py). Each family
in six languages, with hard negatives and the positives that must stay reported.

The sentences are our own probes, not the set's: each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# A cold going round, named after a contrast word that opens its clause ("..., but half the office has it").
GOING_ROUND = [
    ("en", "Sore throat and a runny nose, but the whole family has it this week"),
    ("es", "Tengo tos y mocos, pero en casa estamos todos igual"),
    ("fr", "Le nez qui coule, mais à la maison tout le monde l'a en ce moment"),
    ("de", "Husten und Schnupfen, aber bei uns im Haus haben es alle gerade"),
    ("pt", "Estou com tosse e coriza, mas aqui a família toda pegou"),
    ("ar", "عندي رشح وكحة، بس كل العيله كمان عندهم نفس الشي"),
]

# ... but a new finding after the contrast, or one tied to the treatment, stays a case.
GOING_ROUND_REPORTED = [
    ("en", "Runny nose since the injection, but the whole family has it this week"),
    ("es", "Tengo tos, pero además me salió un sarpullido desde la pastilla"),
    ("fr", "Le nez qui coule, mais aussi des plaques rouges depuis la piqûre"),
    ("de", "Schnupfen, aber seit der Spritze auch Ausschlag am Arm"),
    ("pt", "Tosse, mas também manchas vermelhas desde a injeção"),
]

# A figure of speech whose cause stands in the clause before a causative ("the prices are a robbery, makes me
# want to throw up", "esta burocracia, dá-me vómitos").
FIGURE_VERBS = [
    ("en", "The parking prices at the clinic are a joke, makes me want to throw up"),
    ("es", "Los precios de la luz este mes, me dan ganas de vomitar"),
    ("fr", "Les prix du parking, ça me donne envie de vomir"),
    ("de", "Die Preise im Parkhaus, da krieg ich Bauchweh"),
    ("pt", "Os preços da farmácia, dá-me vontade de vomitar"),
    ("pt", "Estou farto desta papelada do convênio, me dá enjoo"),
]

# ... but the treatment in the figure's sentence, or a finding in a clause of its own, stays a case.
FIGURE_VERBS_REPORTED = [
    ("en", "The new tablets are a nightmare, makes me want to throw up"),
    ("en", "The paperwork is awful, and I've had a rash since Tuesday"),
    ("pt", "O preço é alto, e a caneta me dá enjoo"),
    ("fr", "Les papiers de la mutuelle, et depuis la piqûre j'ai des vertiges"),
]

# A test or scan put in the diary: a routine appointment, not care sought for an event.
ROUTINE_TESTS = [
    ("en", "Blood test booked for Thursday, fasting from midnight"),
    ("es", "¿Puedo mover el análisis de sangre del martes al miércoles?"),
    ("fr", "Je serai à l'hôpital lundi pour l'IRM annuelle, on peut décaler l'appel ?"),
    ("de", "Blutabnahme am Montag um 9, nüchtern, wann nehme ich dann die Tablette?"),
    ("pt", "Tenho exame de sangue de rotina na quinta, em jejum"),
]

# ... but a test beside a finding, or after the treatment, stays a case.
ROUTINE_TESTS_REPORTED = [
    ("en", "I fainted on Monday and they did a blood test"),
    ("es", "Tengo sangre en la orina desde el jueves"),
    ("fr", "Prise de sang lundi, mes plaquettes sont très basses"),
    ("de", "Seit Montag Ausschlag, Blutabnahme am Freitag"),
    ("pt", "Desmaiei na quinta e fizeram exame de sangue"),
]

# A symptom said to have decreased ("the pain has halved", "deutlich weniger geworden"): efficacy, even when
# the treatment is a brand the lexicon does not know.
DECREASED = [
    ("en", "The joint pain has halved since I started Plorvex"),
    ("en", "My headaches have decreased a lot this month"),
    ("es", "El dolor de rodilla ha disminuido mucho desde el Brovital"),
    ("fr", "Les douleurs au dos ont diminué depuis le Zentrix"),
    ("de", "Die Rückenschmerzen sind deutlich weniger geworden seit dem Korvat"),
    ("pt", "A dor no joelho diminuiu bastante desde o Fenvira"),
    ("ar", "وجع الظهر صار اقل من ساعة ما بديت العلاج"),
]

# ... but a function, a vital sign or a lab that decreased is a finding, a stopped treatment is a
# dechallenge, and a finding beside the decrease stays a case.
DECREASED_REPORTED = [
    ("en", "My appetite has decreased since the tablets"),
    ("en", "My blood pressure has decreased a lot since the pills"),
    ("en", "headaches have decreased since I stopped the pills"),
    ("en", "The pain has halved but now I have a rash"),
    ("en", "I have a rash, but the pain has halved"),
    ("es", "El dolor ha disminuido, pero me salieron moretones desde la inyección"),
    ("fr", "Ma libido a diminué depuis le traitement"),
    ("de", "Die Schmerzen sind weniger geworden, aber ich habe seit der Spritze Durchfall"),
    ("pt", "Minha libido diminuiu muito desde o remédio"),
]


@pytest.mark.parametrize(("lang", "text"), GOING_ROUND)
def test_a_cold_going_round_after_a_contrast_explains_the_symptom(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), GOING_ROUND_REPORTED)
def test_a_finding_after_the_contrast_or_tied_to_the_treatment_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), FIGURE_VERBS)
def test_a_causative_carries_the_figure_of_the_clause_before(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), FIGURE_VERBS_REPORTED)
def test_a_figure_beside_the_treatment_or_a_separate_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), ROUTINE_TESTS)
def test_a_test_in_the_diary_is_a_routine_appointment(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ROUTINE_TESTS_REPORTED)
def test_a_test_beside_a_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), DECREASED)
def test_a_symptom_that_decreased_is_efficacy(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), DECREASED_REPORTED)
def test_a_function_or_vital_that_decreased_or_a_finding_beside_it_is_reported(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier != "clear", text


def test_a_faint_beside_a_routine_test_stays_serious() -> None:
    assert _lexicon("I fainted on Monday and they did a blood test", "en").serious


# A count in words smaller than before ("three attacks instead of ten", "antes eran ocho"): efficacy.
FEWER_IN_WORDS = [
    ("en", "Two migraines this month instead of ten"),
    ("es", "Tuve tres crisis este mes, antes eran nueve"),
    ("fr", "Deux crises de migraine ce mois-ci au lieu de huit"),
    ("de", "Zwei Migräneanfälle diesen Monat statt zehn"),
    ("pt", "Tive duas crises de enxaqueca este mês, em vez de oito"),
    ("ar", "اتنين نوبات صداع هالشهر بدل عشر"),
]

# ... but a count larger than before, or doses taken instead of another, stay cases.
MORE_IN_WORDS = [
    ("en", "Ten migraines this month instead of three"),
    ("fr", "J'ai pris deux comprimés au lieu d'un"),
    ("de", "Ich habe zwei Tabletten statt einer genommen"),
    ("es", "Me tomé dos pastillas en vez de una"),
    ("pt", "Tive oito crises este mês em vez de duas"),
]


@pytest.mark.parametrize(("lang", "text"), FEWER_IN_WORDS)
def test_a_count_in_words_smaller_than_before_is_efficacy(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), MORE_IN_WORDS)
def test_a_larger_count_in_words_or_a_dose_instead_of_another_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A storage question where its clause starts ("how long can the pen stay out of the fridge?"): asked, not
# a complaint about a pen left out.
STORAGE_QUESTIONS = [
    ("en", "how long can the pen stay out of the fridge?"),
    ("es", "¿Cuánto tiempo puede estar la pluma fuera de la nevera?"),
    ("fr", "Combien de temps peut rester le stylo hors du frigo ?"),
    ("de", "Wie lange darf der Pen außerhalb vom Kühlschrank liegen?"),
    ("pt", "Quanto tempo pode ficar a caneta fora da geladeira?"),
    ("ar", "كم يقدر القلم يقعد برا الثلاجة؟"),
]

# ... but a pen already left out, or a finding asked about, stays a case.
STORAGE_REPORTED = [
    ("en", "My pen was out of the fridge for two days, how long can it stay out?"),
    ("en", "The pen was left out of the fridge all weekend and now it looks cloudy"),
    ("en", "how long can this headache last?"),
    ("de", "Wie lange kann der Ausschlag noch bleiben? Seit der Spritze juckt es"),
]


@pytest.mark.parametrize(("lang", "text"), STORAGE_QUESTIONS)
def test_a_storage_question_is_not_a_complaint(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), STORAGE_REPORTED)
def test_a_pen_left_out_or_a_finding_asked_about_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# Paperwork that runs out or expires ("my prescription expires next week", "Rezept läuft ab"): no product
# problem.
PAPERWORK = [
    ("en", "my prescription expires next week, can you remind the GP?"),
    ("es", "Se me venció la receta, ¿qué hago?"),
    ("fr", "Mon ordonnance a expiré, vous pouvez relancer le médecin ?"),
    ("de", "Mein Rezept läuft Ende des Monats aus, wie bekomme ich ein neues?"),
    ("pt", "Minha receita venceu, como renovo?"),
]

# ... but a pen or a dose that expired, leaked or broke stays a case, prescription or not.
PAPERWORK_REPORTED = [
    ("en", "The pen from my new prescription is expired"),
    ("en", "The pen leaked, the prescription is new"),
    ("de", "Der Pen ist ausgelaufen, Rezept ist neu"),
    ("ar", "الابرة انتهت صلاحيتها وأخذتها"),
]


@pytest.mark.parametrize(("lang", "text"), PAPERWORK)
def test_paperwork_that_expires_is_no_product_problem(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), PAPERWORK_REPORTED)
def test_a_product_that_expired_or_leaked_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text
