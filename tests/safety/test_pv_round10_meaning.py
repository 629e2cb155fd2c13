"""Round 10 of issue #13 (specificity, branch round10-spec-what): false alarms whose cause is what the
words mean, read from blind set 11 (spent) and training corpus D; each a family in six languages, with hard
negatives and the positives that must stay reported.

The sentences are our own probes, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# A symptom with another stated cause: shift work, food poisoning, a cold going round, a period named as the
# cause, or the patient setting the treatment aside ("nothing to do with the tablets").
OTHER_CAUSE = [
    ("en", "So tired after three night shifts in a row, I'll reply tomorrow"),
    ("en", "Stomach upset since last night, pretty sure it's food poisoning from the barbecue"),
    ("en", "Runny nose and sneezing, there's a cold going round the school"),
    ("en", "Headache today, nothing to do with the tablets, I barely slept"),
    ("en", "Awful cramps today but it's my period, same every month"),
    ("es", "Agotada por el doble turno, mañana te contesto"),
    ("es", "Tengo diarrea desde anoche, creo que fue algo que comí en la feria"),
    ("es", "Estoy con tos y mocos, es un resfriado que anda rondando en el colegio"),
    ("es", "Me duele la cabeza, nada que ver con las pastillas, dormí fatal"),
    ("fr", "Crevée après mes gardes de nuit, je réponds demain"),
    ("fr", "Mal au ventre depuis hier soir, une intoxication alimentaire je pense"),
    ("fr", "Le nez qui coule, il y a un rhume qui circule à l'école"),
    ("fr", "Mal à la tête aujourd'hui, rien à voir avec le traitement, j'ai mal dormi"),
    ("de", "Total müde nach drei Nachtschichten, melde mich morgen"),
    ("de", "Durchfall seit gestern Abend, war wohl eine Lebensmittelvergiftung"),
    ("de", "Schnupfen und Husten, da geht grad was rum in der Schule"),
    ("de", "Kopfweh heute, hat nichts mit den Tabletten zu tun, schlecht geschlafen"),
    ("pt", "Exausta depois do plantão, respondo amanhã"),
    ("pt", "Diarreia desde ontem, acho que foi intoxicação alimentar"),
    ("pt", "Tosse e nariz entupido, tem uma gripe que tá rodando na escola"),
    ("pt", "Dor de cabeça hoje, nada a ver com o remédio, dormi mal"),
    ("ar", "تعبانه جدا من شغل الليل، برد عليكم بكره"),
    ("ar", "عندي اسهال من امبارح، اكيد تسمم غذائي"),
    ("ar", "راسي بيوجعني بس مش من الدوا، منمتش كويس"),
]

# ... but a new finding after a contrast, or one tied to the treatment, stays a case.
OTHER_CAUSE_REPORTED = [
    ("en", "So tired after night shifts but also a rash on my arms since the new pen"),
    ("en", "Headache every day since the tablets, nothing to do with work"),
    ("es", "Tengo diarrea desde que empecé la pastilla, no es algo que comí"),
    ("fr", "Le nez qui coule mais aussi des plaques rouges depuis la piqûre"),
    ("de", "Kopfweh seit der Spritze, und nein, nicht vom Umzug"),
]

# The illness said to be unchanged or as before the treatment ("no better no worse", "had it for years").
UNCHANGED = [
    ("en", "Had psoriasis on my knees for years, it has not got worse since the injections"),
    ("es", "La rigidez de las manos ni mejor ni peor, la tengo desde hace años"),
    ("fr", "Les douleurs aux genoux, ni mieux ni pire depuis le début du traitement"),
    ("de", "Die Gelenkschmerzen sind gleich geblieben, weder besser noch schlechter"),
    ("pt", "A dor nos joelhos nem melhor nem pior desde que comecei"),
    ("ar", "وجع المفاصل لا زاد ولا نقص من ساعة ما بديت"),
]

# ... but a new finding after a contrast, a link elsewhere in the sentence, or seriousness is still a case.
UNCHANGED_REPORTED = [
    ("en", "Psoriasis unchanged, but headaches since the pill"),
    ("en", "My eczema is no better no worse, but I fainted yesterday"),
    ("es", "La rigidez ni mejor ni peor, pero me salió un sarpullido"),
    ("fr", "Douleurs ni mieux ni pire, mais j'ai des vertiges depuis la dernière dose"),
    ("de", "Gelenke gleich geblieben, aber seit der Spritze Ausschlag"),
    ("pt", "Dor nos joelhos nem melhor nem pior, mas estou com manchas desde a injeção"),
    ("ar", "وجع المفاصل ما تغير بس طلعلي طفح من بعد الحقنه"),
]


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE)
def test_another_stated_cause_explains_the_symptom(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE_REPORTED)
def test_a_finding_tied_to_the_treatment_or_after_a_contrast_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), UNCHANGED)
def test_the_illness_unchanged_is_no_new_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), UNCHANGED_REPORTED)
def test_a_new_finding_beside_the_unchanged_illness_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_fainting_beside_an_unchanged_illness_stays_serious() -> None:
    assert _lexicon("My eczema is no better no worse, but I fainted yesterday", "en").serious


# A practical question (carrying the pens on a plane, a food with the treatment) where its clause starts, and
# a food or drink named just before it with no word of the patient's own: asked, not taken.
USE_QUESTIONS = [
    ("en", "Flying to Lisbon next month, how do I carry the pens on the plane?"),
    ("es", "Me voy de viaje en agosto, ¿cómo llevo las plumas en el avión?"),
    ("fr", "Je pars en Italie cet été, comment je transporte les stylos dans l'avion ?"),
    ("de", "Wir fliegen im Mai nach Spanien, wie nehme ich die Pens im Flugzeug mit?"),
    ("pt", "Vou para o Chile em julho, como levo as canetas no avião?"),
    ("ar", "مسافر الشهر الجاي، ينفع اخد الحقن معايا في الطيارة؟"),
    ("en", "Grapefruit juice, is it safe with these tablets?"),
    ("fr", "Le jus de pamplemousse, c'est déconseillé avec ce traitement ?"),
    ("ar", "نجم ناكل الجريب فروت مع الدوا؟"),
]

# ... but a use told before the question, or a dose error, stays reported.
USE_QUESTIONS_REPORTED = [
    ("en", "Had two glasses of wine with my tablets last night, is that bad?"),
    ("en", "I started taking St John's wort, can I keep taking it with this?"),
    ("es", "Empecé a tomar hipérico, ¿puedo seguir con la pastilla?"),
    ("pt", "Comecei a tomar chá de hibisco, posso continuar com o remédio?"),
    ("en", "I had a beer with my pill, can I take the next one?"),
    ("en", "Double dose this morning, can I take tomorrow's as normal?"),
    ("es", "Me tomé una cerveza con la pastilla, ¿puedo tomar la siguiente?"),
]

# In-range vital signs: "pulse" is not a problem word of the blood pressure beside it.
VITALS_IN_RANGE = [
    ("en", "Blood pressure 124/80, pulse 72 at the clinic today"),
    ("es", "Tensión 118/76 y pulso 70 en la farmacia"),
    ("pt", "Pressão 120/80 e pulso 66 no posto hoje"),
]

VITALS_OUT_OF_RANGE = [
    ("en", "Blood pressure 185/110, pulse 72 at the clinic today"),
    ("en", "Pulse 140 and pounding, BP 120/80"),
    ("es", "Pulso 135 y tensión 120/80"),
]


@pytest.mark.parametrize(("lang", "text"), USE_QUESTIONS)
def test_a_practical_question_is_not_a_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), USE_QUESTIONS_REPORTED)
def test_a_use_told_before_the_question_is_still_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), VITALS_IN_RANGE)
def test_vital_signs_in_range_are_no_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), VITALS_OUT_OF_RANGE)
def test_a_vital_sign_out_of_range_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A count smaller than before ("down from 15", "au lieu de 9", "statt 11") is efficacy, not a finding.
FEWER_THAN_BEFORE = [
    ("en", "Just 4 headache days in March, down from 15 in January"),
    ("es", "Este mes 3 crisis de migraña en vez de 10"),
    ("fr", "Ce mois-ci 3 crises de migraine au lieu de 9"),
    ("de", "Nur 3 Migränetage im März statt 11 im Januar"),
    ("pt", "Só 2 crises de enxaqueca este mês em vez de 8"),
    ("ar", "صداع نصفي ٣ مرات الشهر ده بدل ١٠"),
]

# ... but a count larger than before, or a dose interval "instead of" the label's, stays a case.
MORE_THAN_BEFORE = [
    ("en", "Now 6 headache days a week instead of 2"),
    ("es", "Ahora tengo 8 crisis de migraña en vez de 3"),
    ("fr", "Maintenant 7 crises de migraine au lieu de 2"),
    ("de", "Jetzt 9 Migränetage statt 3"),
    ("pt", "Agora 6 crises de enxaqueca em vez de 2"),
    ("pt", "Apliquei a caneta com 10 dias em vez de 28, tive enxaqueca"),
]

# Figures of speech: the boss or the rota as a "headache", "an absolute nightmare", butterflies.
FIGURES = [
    ("en", "My boss is giving me a headache with this new schedule"),
    ("en", "Renewing the prescription online was an absolute nightmare"),
    ("es", "Mi jefe me está dando dolor de cabeza con los horarios"),
    ("fr", "Mon chef me donne mal à la tête avec ses plannings"),
    ("de", "Mein Chef macht mir Kopfschmerzen mit dem Dienstplan"),
    ("pt", "Meu chefe me dá dor de cabeça com essas escalas"),
    ("de", "Hab Schmetterlinge im Bauch, neues Date heute"),
]

# ... but a finding the sentence ties to the treatment, or nightmares since the tablets, stays a case.
FIGURES_REPORTED = [
    ("en", "My boss noticed my headaches started with the new pills"),
    ("en", "I keep having nightmares since the new tablets"),
    ("fr", "Mon chef a remarqué que j'ai des vertiges depuis le traitement"),
]


@pytest.mark.parametrize(("lang", "text"), FEWER_THAN_BEFORE)
def test_a_count_smaller_than_before_is_efficacy(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), MORE_THAN_BEFORE)
def test_a_count_larger_than_before_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), FIGURES)
def test_a_figure_of_speech_is_no_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), FIGURES_REPORTED)
def test_a_finding_tied_to_the_treatment_is_no_figure(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A moderate weight loss with an expected-effect phrase ("as expected", "comme prévu", "wie erwartet") is the
# product's effect (round 8's rule, now with these phrases as good news); an everyday word one letter from a
# symptom ("sorting" the prescription) is no "snoring".
EXPECTED = [
    ("en", "Lost 3 kilos this month, right as expected"),
    ("es", "Bajé 3 kilos este mes, como se esperaba"),
    ("fr", "J'ai perdu 3 kilos ce mois-ci, comme prévu"),
    ("de", "3 Kilo abgenommen diesen Monat, wie erwartet"),
    ("pt", "Perdi 3 quilos este mês, como esperado"),
    ("ar", "نزلت ٣ كيلو الشهر ده مع الحقن زي ما الدكتورة توقعت"),
    ("en", "Thanks for sorting my delivery so quickly"),
]

EXPECTED_REPORTED = [
    ("en", "Lost 12 kilos this month without trying, is that expected?"),
    ("fr", "J'ai perdu 9 kilos en un mois, c'était prévu ?"),
    ("en", "Snoring a lot since the pills"),
]


@pytest.mark.parametrize(("lang", "text"), EXPECTED)
def test_an_expected_effect_is_no_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), EXPECTED_REPORTED)
def test_a_large_or_unexpected_loss_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text
