"""Round 9 of issue #13 (branch round9-recall): general causes of misses and of serious messages not put in
`case`, read from blind set 10 (spent), each a family in six languages with hard negatives.

The sentences are our own probes, not the set's: each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.evaluate import default_screen, read_examples
from tests.safety.probes import lexicon as _lexicon

# Blood results quoted without their range (the round-8 open family): clearly abnormal values are cases, also
# when a carer quotes a relative's result.
LAB_OUT_OF_RANGE = [
    ("en", "got my bloods back, platelet count 62 and they want a repeat"),
    ("en", "my a1c is 10.1 even on the higher dose"),
    ("en", "my husband's ALT came back at 240 on his new tablets"),
    ("en", "neutrophils 0.7 this week, clinic called"),
    ("es", "me salieron las plaquetas en 70 en el análisis"),
    ("es", "la hemoglobina glicosilada me dio 9,8 con la insulina nueva"),
    ("es", "las transaminasas en 210, el médico quiere repetir"),
    ("fr", "prise de sang : plaquettes à 55"),
    ("fr", "mon hémoglobine glyquée est à 9,6 malgré le stylo"),
    ("fr", "ma créatinine est montée à 2,6 depuis le début du traitement"),
    ("de", "Laborwerte da, Thrombozyten nur 58"),
    ("de", "Langzeitzucker immer noch 9,9 trotz der Spritze"),
    ("de", "meine Leberwerte: GPT 260, der Arzt will nochmal messen"),
    ("pt", "fiz exame, as plaquetas deram 64"),
    ("pt", "a hemoglobina glicada continua em 10,2 mesmo com a caneta"),
    ("pt", "TGP 190 no último exame de sangue"),
    ("ar", "طلعت الصفائح 60 في التحليل الاخير"),
    ("ar", "السكر التراكمي لسه 10 رغم الحقن"),
    ("ar", "انزيمات الكبد 220 في التحليل"),
]

# ... values inside their range, or a result that came down into it, are reported as fine.
LAB_IN_RANGE = [
    ("en", "bloods fine, platelets 240 and a1c 6.4"),
    ("en", "my a1c went from 9.5 down to 6.9, the nurse was pleased"),
    ("es", "hemoglobina glicosilada 6,8, muy contenta"),
    ("fr", "hémoglobine glyquée à 6,5, la diabéto est ravie"),
    ("de", "HbA1c 6,7, alles im grünen Bereich"),
    ("pt", "hemoglobina glicada 6,9, a médica gostou"),
    ("ar", "السكر التراكمي 6.5 والدكتور مبسوط"),
]


@pytest.mark.parametrize(("lang", "text"), LAB_OUT_OF_RANGE)
def test_a_lab_value_far_out_of_range_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), LAB_IN_RANGE)
def test_a_lab_value_in_range_is_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


# The pulse in everyday words, out of range and in range.
PULSE = [
    ("es", "latidos a 138 sentada en el sofá", "case"),
    ("fr", "coeur à 145 depuis la piqûre", "case"),
    ("de", "Puls bei 39 heute früh", "case"),
    ("pt", "batimento só 40 no relógio", "case"),
    ("ar", "nabdi 140 mn sa3et el 7o2na", "case"),
    ("fr", "coeur à 72 au repos, tout va bien", "clear"),
    ("pt", "batimentos 75, tudo certo", "clear"),
]


@pytest.mark.parametrize(("lang", "text", "tier"), PULSE)
def test_the_pulse_in_everyday_words_is_read(lang: str, text: str, tier: str) -> None:
    assert _lexicon(text, lang).tier == tier, text


def test_a_longer_lab_word_reads_its_own_value() -> None:
    # "hemoglobina" inside "hemoglobina glicada 7,5" is not a haemoglobin of 7.5 g/dL
    assert _lexicon("hemoglobina glicada 7,5, tudo bem", "pt").tier == "clear"
    assert _lexicon("hemoglobina 7,1 no exame de ontem", "pt").tier == "case"


# Seriousness in lay words that blind set 10 showed in new shapes: death by a condolence formula or in
# dialect, loss of consciousness told by what came before and after, a severe skin reaction (a burns unit), an
# emergency heart procedure, a congenital anomaly, an overdose treated by pumping the stomach, an infection in
# the blood, a hospital stay told by its length, Arabic suicidal thoughts in MSA and a seizure in dialects.
SERIOUS_LAY = [
    ("en", "my aunt passed on sunday, god rest her soul, she was on your injections"),
    ("en", "took my dose, drove off, came round on the floor of the car park"),
    ("en", "they moved him to the burns unit after the rash spread"),
    ("en", "heart went crazy, they had to shock my heart in A&E"),
    ("en", "they found a blocked artery and put a stent in last night"),
    ("en", "our son was born with a cleft palate, I was on the tablets all through"),
    ("en", "she swallowed the lot and they pumped her stomach"),
    ("en", "it turned into blood poisoning after the injection site got infected"),
    ("es", "mi padre se nos fue el martes, que Dios lo tenga en su gloria, usaba su pluma"),
    ("es", "me puse la insulina, todo se puso negro y desperté en el suelo de la cocina"),
    ("es", "lo tienen en la unidad de quemados por la reacción"),
    ("es", "le hicieron una cardioversión por la arritmia"),
    ("es", "mi bebé nació con una malformación y tomé las pastillas todo el embarazo"),
    ("es", "se tomó la caja entera y le hicieron un lavado de estómago"),
    ("es", "pasé cinco días en el hospital con una infección en la sangre"),
    ("fr", "mon oncle nous a quittés hier, paix à son âme, il prenait votre traitement"),
    ("fr", "j'ai eu un trou noir au volant juste après l'injection"),
    ("fr", "elle est au service des grands brûlés à cause de la réaction"),
    ("fr", "on m'a posé un stent hier soir"),
    ("fr", "il a fait une septicémie après la piqûre"),
    ("fr", "j'ai passé quatre jours à l'hôpital avec le traitement"),
    ("de", "da Papa is gstorbn letzte Woch, er hat eure Spritzen ghabt"),
    ("de", "nach der Spritze war plötzlich alles schwarz, bin auf dem Boden aufgewacht"),
    ("de", "sie liegt auf der Verbrennungsstation wegen der Haut"),
    ("de", "musste zur Kardioversion, Herz völlig aus dem Takt"),
    ("de", "unser Kind kam mit einer Lippenspalte zur Welt, ich hab das Mittel genommen"),
    ("de", "er hat die Packung geschluckt, Magen ausgepumpt"),
    ("de", "Blutvergiftung nach der Injektion"),
    ("pt", "a minha avó faleceu, que Deus a tenha, tomava o vosso remédio"),
    ("pt", "depois da insulina ficou tudo preto e acordei no chão"),
    ("pt", "ele está na unidade de queimados por causa da alergia"),
    ("pt", "precisei de cardioversão no pronto-socorro"),
    ("pt", "meu filho nasceu com uma malformação, tomei o remédio na gravidez"),
    ("pt", "passei três dias no hospital com infecção no sangue"),
    ("ar", "ابويا اتوفى امبارح البقاء لله، كان بياخد الحقن بتاعتكم"),
    ("ar", "بعد الحقنه فجأه ظلام وصحيت لقيت نفسي في الارض"),
    ("ar", "حطوه في قسم الحروق من الحساسيه"),
    ("ar", "عملولي قسطره في القلب وركبولي دعامه"),
    ("ar", "ابني اتولد بعيب في القلب وانا كنت باخد الدوا وانا حامل"),
    ("ar", "عندي افكار عن الانتحار من ساعة الدوا"),
    ("ar", "لا اريد ان اعيش بعد الآن"),
    ("ar", "اخوي وگع وصار يرجف وطلع زبد من فمه"),
    ("ar", "zori et2afal ba3d el 7o2na"),
    ("ar", "قعدت اربع ايام في المستشفى بعد الجرعه"),
]

# ... and their hard negatives: a question about the risk, a figure, an everyday "black", a planned procedure
# named without an event, the illness at birth of a relative long known.
SERIOUS_LAY_NOT = [
    ("en", "the screen went dark again on the app, can you check it?"),
    ("en", "does this pen raise the risk of needing a stent? just reading the leaflet"),
    ("es", "el cardiólogo quiere ponerme un stent en marzo, ¿sigo con las pastillas?"),
    ("es", "se me puso negra la pantalla del móvil, ¿me reenvían el enlace?"),
    ("fr", "le colis a fini dans le fossé, le livreur l'a jeté"),
    ("de", "der Bildschirm wurde schwarz, bitte nochmal schicken"),
    ("de", "ich trag heute alles schwarz zur Beerdigung meiner Nachbarin"),
    ("pt", "o ecrã do telemóvel ficou escuro, podem reenviar?"),
    ("ar", "اشتريت دعامه للركبه عشان الجري"),
]


@pytest.mark.parametrize(("lang", "text"), SERIOUS_LAY)
def test_lay_seriousness_is_a_serious_case(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, (text, result.evidence)


@pytest.mark.parametrize(("lang", "text"), SERIOUS_LAY_NOT)
def test_everyday_words_near_seriousness_are_not_serious(lang: str, text: str) -> None:
    assert not _lexicon(text, lang).serious, text


# Special situations blind set 10 showed in forms the lexicons lacked: the medicine given, sold or shared in
# any form (pens, injections, patches), a cloudy medicine or one with lumps, two medicines taken together told
# as a fact, and no weight lost told as "not even a kilo less".
SITUATIONS = [
    ("en", "I gave a couple of my pens to my cousin, she wants to slim down", "misuse_abuse"),
    ("en", "a lad at the gym sells me his injections", "misuse_abuse"),
    ("es", "le pasé dos de mis plumas a mi vecina", "misuse_abuse"),
    ("es", "comparto mis inyecciones con mi pareja", "misuse_abuse"),
    ("fr", "j'ai donné deux de mes stylos à ma copine", "misuse_abuse"),
    ("fr", "un collègue me vend ses stylos pas cher", "misuse_abuse"),
    ("de", "ein Bekannter verkauft mir Pens aus seiner Packung", "misuse_abuse"),
    ("de", "ich teile meine Spritzen mit meinem Freund", "misuse_abuse"),
    ("pt", "dei três das minhas canetas à minha vizinha", "misuse_abuse"),
    ("pt", "divido as minhas injeções com o meu namorado", "misuse_abuse"),
    ("ar", "عطيته من الابر حقتي عشان ينحف", "misuse_abuse"),
    ("ar", "صاحبي بيبيعلي الحقن بتاعته", "misuse_abuse"),
    ("en", "been giving my son half my pills before his exams", "misuse_abuse"),
    ("es", "a mi cuñada le di unas cuantas de las mías", "misuse_abuse"),
    ("fr", "j'ai donné quelques-unes des miennes à ma belle-soeur", "misuse_abuse"),
    ("de", "meine Schwägerin kriegt oft welche von meinen Tabletten", "misuse_abuse"),
    ("pt", "dei umas das minhas pra minha cunhada", "misuse_abuse"),
    ("ar", "اديتها شويه من حبوبي", "misuse_abuse"),
    ("en", "the new pen has gone cloudy, is that ok?", "quality_complaint"),
    ("es", "la pluma nueva se ve turbia por dentro", "quality_complaint"),
    ("fr", "il y a des grumeaux dans la cartouche", "quality_complaint"),
    ("de", "in der Ampulle schwimmen Klümpchen", "quality_complaint"),
    ("pt", "a caneta ficou turva depois de chegar", "quality_complaint"),
    ("ar", "الدوا عكر وفيه حبيبات", "quality_complaint"),
    ("de", "ich nehme das Schmerzmittel und die Tabletten seit Tagen beide zusammen ein", "drug_interaction"),
    ("ar", "باخد المسكن مع الحبوب بتاعتكم، باخدهم مع بعض من اسبوع", "drug_interaction"),
    ("en", "three months on the jab and not a pound lighter", "lack_of_efficacy"),
    ("es", "dos meses con la pluma y ni un gramo menos", "lack_of_efficacy"),
    ("fr", "trois mois de stylo et pas un kilo de moins", "lack_of_efficacy"),
    ("de", "drei Monate Spritze und kein Gramm weniger", "lack_of_efficacy"),
    ("pt", "três meses de caneta e não emagreci nada", "lack_of_efficacy"),
    ("ar", "تلات شهور على الحقن وما نزلت شي", "lack_of_efficacy"),
]

# ... and hard negatives: sharing other things, a cloudy day, "both" of something else, weight as good news.
SITUATIONS_NOT = [
    ("en", "I share my car with my sister on Tuesdays"),
    ("es", "hoy el día está turbio, ¿cambian la entrega?"),
    ("fr", "je partage mes recettes avec ma voisine"),
    ("de", "wir kommen beide zusammen zum Termin"),
    ("pt", "a minha irmã vende as bolachas dela na feira"),
    ("ar", "انا واختي هنيجي الموعد الاتنين بكره"),
]


@pytest.mark.parametrize(("lang", "text", "situation"), SITUATIONS)
def test_special_situations_in_new_forms_are_cases(lang: str, text: str, situation: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and situation in result.situations, (text, result.situations)


@pytest.mark.parametrize(("lang", "text"), SITUATIONS_NOT)
def test_everyday_sharing_and_cloudiness_are_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


# Constipation in lay words, and people who stop responding or whose eyes roll back (serious).
LAY_FINDINGS = [
    ("en", "no poo since Thursday on the new tablets", False),
    ("es", "desde la inyección no puedo hacer caca", False),
    ("fr", "pas été à la selle depuis lundi avec le traitement", False),
    ("de", "seit der Spritze kann ich nicht aufs Klo", False),
    ("pt", "não consigo fazer cocô desde a injeção", False),
    ("ar", "من ساعة الحقنه مش قادر اعمل حمام", False),
    ("en", "she stopped responding and her eyes rolled back", True),
    ("es", "no respondía y tenía los ojos en blanco", True),
    ("fr", "il ne répondait plus, les yeux révulsés", True),
    ("de", "er reagierte nicht mehr und verdrehte die Augen", True),
    ("pt", "ele não respondia e estava revirando os olhos", True),
    ("ar", "ما كانش بيرد علينا وعنيه مقلوبه", True),
]


@pytest.mark.parametrize(("lang", "text", "serious"), LAY_FINDINGS)
def test_lay_findings_are_cases(lang: str, text: str, serious: bool) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious == serious, (text, result.evidence)


def test_faces_of_pain_pair_with_a_body_part() -> None:
    assert _lexicon("😖 tummy", "en").tier == "case"
    assert _lexicon("mi espalda 😣", "es").tier == "case"
    assert _lexicon("the app logged me out again 😣", "en").tier == "clear"


# Arabic "خالص" / "نهائي" after a plain statement intensify it ("my head hurts a lot"); after a negation they
# keep it negated.
ARABIC_INTENSIFIERS = [
    ("راسي بتوجعني خالص من امبارح", "case"),
    ("تعبانه نهائي من ساعة الحقنه", "case"),
    ("القلم وصل سخن خالص", "case"),
    ("مش تعبانه خالص", "clear"),
    ("ما عنديش صداع خالص", "clear"),
]


@pytest.mark.parametrize(("text", "tier"), ARABIC_INTENSIFIERS)
def test_arabic_intensifiers_do_not_negate_a_plain_statement(text: str, tier: str) -> None:
    assert _lexicon(text, "ar").tier == tier, text


# Arabizi and dialect spellings of seriousness cues the lexicon knew in one spelling only.
ARABIZI_SERIOUS = [
    "kont ha moot men el wag3 ba3d el 7o2na",
    "7aset en 2alby wa2ef ba3d el dawa",
    "jatni nawba emberi7 ba3d ma bada2t el 7abba",
    "ma2dertsh atnafes ba3d el 7o2na",
    "wa2a3t w 8ebt 3an el wa3y",
    "dkhlt l'urgence lbare7 mn ba3d dwa",
    "حطوني على الاكسجين بعد الجرعه",
    "ماقدرتش اتنفس بعد الحقنه",
    "fi dam fel bul men yom ma bdit",
]


@pytest.mark.parametrize("text", ARABIZI_SERIOUS)
def test_arabizi_and_dialect_seriousness_is_a_serious_case(text: str) -> None:
    result = _lexicon(text, "ar")
    assert result.tier == "case" and result.serious, (text, result.evidence)


# A question that reveals an experience: "is it normal to be/get...?" in Portuguese, "how long does it last"
# in French (a review at least), and everyday sleepiness and flushing in Spanish.
REVEALING = [
    ("pt", "é normal ficar com as pernas tão pesadas depois da injeção?"),
    ("pt", "é normal aparecer umas manchas roxas?"),
    ("fr", "ça dure combien de temps les vertiges après l'injection ?"),
    ("es", "¿es normal tener tanto sueño desde la pluma?"),
    ("es", "¿a alguien más le da calor en la cara con esto?"),
]

# ... but a question about logistics or storage stays clear.
REVEALING_NOT = [
    ("pt", "é normal a entrega demorar três dias?"),
    ("fr", "combien de temps le stylo se garde hors du frigo ?"),
]


@pytest.mark.parametrize(("lang", "text"), REVEALING)
def test_questions_that_reveal_an_experience_are_reported(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier in ("case", "review"), text


@pytest.mark.parametrize(("lang", "text"), REVEALING_NOT)
def test_logistics_questions_are_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


# A use question followed by a sentence that says the patient already takes both: a question after the use
# (a possible interaction), not a question before it.
ALREADY_TAKING = [
    ("en", "Can I take tramadol with my tablets? I've been taking both since Sunday"),
    ("es", "¿Puedo tomar tramadol con la pastilla? Ya las estoy tomando juntas desde el lunes"),
    ("fr", "Je peux prendre du tramadol avec ? Je les prends déjà ensemble depuis lundi"),
    ("de", "Kann ich Tramadol dazu nehmen? Nehme ich schon seit Montag"),
    ("pt", "Posso tomar tramadol com o remédio? Já estou tomando os dois"),
    ("ar", "ينفع اخد الترامادول مع الحبوب؟ باخدهم مع بعض من اسبوع"),
]

# ... while the same question before any use stays a question.
NOT_YET_TAKING = [
    ("en", "Can I take tramadol with my tablets? The dentist offered it"),
    ("es", "¿Puedo tomar tramadol con la pastilla? Me lo ofreció el dentista"),
    ("de", "Kann ich Tramadol dazu nehmen? Der Zahnarzt hat es angeboten"),
    ("ar", "ينفع اخد الترامادول مع الحبوب؟ دكتور الاسنان عايز يكتبه"),
]


@pytest.mark.parametrize(("lang", "text"), ALREADY_TAKING)
def test_a_use_question_after_the_use_is_an_interaction(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "drug_interaction" in result.situations, (text, result.evidence)


@pytest.mark.parametrize(("lang", "text"), NOT_YET_TAKING)
def test_a_use_question_before_the_use_stays_a_question(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


# Second wave, from our own probes (not from any set's misses): vomit like coffee grounds, sudden loss of
# sight in one eye, signs of a stroke, the throat or tongue swelling, kept under observation, thought to die.
SERIOUS_SECOND_WAVE = [
    ("en", "since the new dose I brought up stuff like coffee grounds"),
    ("en", "woke up and couldn't see out of one eye after the shot"),
    ("es", "vomité algo como posos de café desde la pastilla"),
    ("es", "se me torció la cara y no me salían las palabras"),
    ("fr", "après la piqûre ma gorge se fermait"),
    ("fr", "ils m'ont gardée en observation toute la nuit après l'injection"),
    ("de", "nach der Spritze hat mein Hals zugemacht"),
    ("de", "sie haben mich zur Beobachtung dabehalten"),
    ("pt", "depois da injeção a metade da cara caiu e fiquei com a boca torta"),
    ("pt", "fiquei em observação a noite toda por causa da reação"),
    ("ar", "بعد الحقنه لساني اتنفخ"),
    ("ar", "افتكرت اني هموت من الدوخه بعد الجرعه"),
]

# ... and everyday words beside them that are not serious.
SERIOUS_SECOND_WAVE_NOT = [
    ("en", "I drink my coffee black, is that fine with the tablets?"),
    ("de", "Blutabnahme zur Überwachung der Werte am Montag"),
    ("es", "el médico me tiene en seguimiento por la tiroides"),
    ("fr", "mon dossier est en cours d'examen à la mutuelle"),
]


@pytest.mark.parametrize(("lang", "text"), SERIOUS_SECOND_WAVE)
def test_second_wave_of_lay_seriousness_is_a_serious_case(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, (text, result.evidence)


@pytest.mark.parametrize(("lang", "text"), SERIOUS_SECOND_WAVE_NOT)
def test_monitoring_and_coffee_are_not_serious(lang: str, text: str) -> None:
    assert not _lexicon(text, lang).serious, text


# An interval contrary to the label told over two clauses (the round-8 open family): what was told (a label or
# prescriber word with a frequency) against what is done (the patient's own use with another frequency).
INTERVAL_CONTRARY = [
    ("en", "the leaflet says once a week. I've been taking it every day since Friday"),
    ("es", "El prospecto dice una vez por semana. Yo la tomo todos los días"),
    ("fr", "On m'a dit une fois par mois, mais je me pique chaque semaine"),
    ("de", "Laut Packungsbeilage alle zwei Wochen. Ich spritze jede Woche"),
    ("pt", "A receita diz uma vez por semana. Tenho tomado todo dia"),
    ("ar", "المكتوب مره في الشهر، وانا باخدها كل اسبوع"),
]

# ... the same interval told twice, a switch told by the prescriber, or a weekday for "weekly" are no error.
INTERVAL_AGREES = [
    ("en", "the leaflet says once a week, so I take it every Sunday"),
    ("en", "my doctor prescribed it monthly, I inject every 4 weeks"),
    ("es", "La receta dice una vez al mes y la tomo una vez al mes"),
    ("fr", "La notice dit une fois par semaine, je la prends chaque lundi"),
    ("de", "Laut Beipackzettel einmal täglich, ich nehme sie jeden Morgen"),
    ("pt", "A bula diz uma vez por dia e eu tomo toda manhã"),
    ("ar", "المكتوب مره في اليوم وانا باخدها كل يوم الصبح"),
]


@pytest.mark.parametrize(("lang", "text"), INTERVAL_CONTRARY)
def test_an_interval_contrary_to_the_label_is_a_medication_error(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "medication_error" in result.situations, (text, result.evidence)


@pytest.mark.parametrize(("lang", "text"), INTERVAL_AGREES)
def test_an_interval_as_on_the_label_is_no_error(lang: str, text: str) -> None:
    assert "medication_error" not in _lexicon(text, lang).situations, text


# A dose counter that does not move (quality), urinary hesitancy in lay words, and "no improvement at all"
# said with a strong no (lack of efficacy).
MORE_FAMILIES = [
    ("en", "the counter on my inhaler hasn't moved in a week", "quality_complaint"),
    ("es", "el contador del inhalador no se mueve", "quality_complaint"),
    ("fr", "le compteur de l'inhalateur est bloqué", "quality_complaint"),
    ("de", "das Zählwerk vom Spray hängt seit Tagen", "quality_complaint"),
    ("pt", "o contador da bombinha está parado", "quality_complaint"),
    ("ar", "العداد بتاع البخاخ واقف", "quality_complaint"),
    ("en", "takes forever to pee since the new puffer", None),
    ("es", "desde el inhalador tardo mucho en hacer pis", None),
    ("fr", "depuis le spray j'ai du mal à faire pipi", None),
    ("de", "seit dem Spray pinkeln dauert ewig", None),
    ("pt", "desde a bombinha o xixi não sai direito", None),
    ("ar", "من ساعة البخاخ باخد وقت طويل عشان اعمل بيبي", None),
    ("de", "drei Monate Tabletten und keinerlei Besserung", "lack_of_efficacy"),
    ("es", "tres meses con la pastilla y cero mejoría", "lack_of_efficacy"),
    ("fr", "trois mois de traitement, zéro amélioration", "lack_of_efficacy"),
    ("pt", "três meses de remédio e zero melhora", "lack_of_efficacy"),
    ("en", "three months in and zero improvement", "lack_of_efficacy"),
    ("ar", "تلات شهور على الدوا ومفيش اي تحسن", "lack_of_efficacy"),
]


@pytest.mark.parametrize(("lang", "text", "situation"), MORE_FAMILIES)
def test_more_families_are_cases(lang: str, text: str, situation: str | None) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case", (text, result.evidence)
    assert situation is None or situation in result.situations, (text, result.situations)


# A carer's suspicion that points at a treatment the lexicon does not know by name ("the only new thing is the
# Xyz"): a relative's findings beside it are the carer's report, not the relative's everyday illness.
SUSPICION = [
    ("en", "my dad is covered in bruises, the only new thing is the Xarelto"),
    ("es", "mi madre tiene la cara hinchada, lo único nuevo es el Zentra"),
    ("fr", "ma mère a des vertiges, la seule chose nouvelle c'est le Mivax"),
    ("de", "Oma ist ständig schwindlig, das einzig Neue ist das Korvan"),
    ("pt", "minha mãe está cheia de manchas roxas, a única coisa nova é o Zentra"),
    ("ar", "ابويا جسمه كله كدمات، الحاجه الوحيده الجديده هي الزنترا"),
]

# ... without it, a relative's everyday illness stays theirs.
NO_SUSPICION = [
    ("en", "my dad is covered in bruises from the fall, I'll call tomorrow"),
    ("es", "mi madre tiene gripe, llamo mañana"),
    ("de", "Oma hat Schnupfen, ich melde mich morgen"),
]


@pytest.mark.parametrize(("lang", "text"), SUSPICION)
def test_a_carers_suspicion_keeps_the_relatives_findings(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NO_SUSPICION)
def test_a_relatives_everyday_illness_stays_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


# Blind set 10 is spent (read for this round's causes): its serious messages are all cases now (round 8
# measured 0.943 on it, ar 0.762). A floor per language keeps what this round fixed (whole screen).
BLIND10 = Path(__file__).resolve().parents[2] / "tests" / "data" / "pv_blind10"
BLIND10_SERIOUS_FLOOR = 0.98


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pt", "ar"])
def test_blind_set_10s_serious_messages_are_cases(lang: str) -> None:
    with (BLIND10 / f"{lang}.jsonl").open(encoding="utf-8") as fh:
        serious = [e for e in read_examples(fh) if e.positive and e.serious]
    in_case = [e.text for e in serious if default_screen(e.text, e.lang).tier == "case"]
    share = len(in_case) / len(serious)
    assert serious and share >= BLIND10_SERIOUS_FLOOR, (lang, len(in_case), len(serious))
