"""Round 9 of issue #13 (specificity): general causes of false alarms read from blind sets 10 and 9 (spent),
each a family in six languages, with hard negatives and the positives that must stay reported.

The sentences are our own probes, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# A symptom whose non-medical cause is stated in its sentence (sport, a hangover, moving house, a kitchen
# burn, pollen) is explained: no report.
OTHER_CAUSE = [
    ("en", "Calves are killing me after my first half marathon, proud though"),
    ("en", "Rolled my ankle playing squash, it's a bit puffy, can I still jab tonight?"),
    ("en", "Bit hungover after the stag do, head pounding, lesson learned"),
    ("es", "Tengo las piernas destrozadas del entrenamiento de ayer, ¿me pongo la inyección igual?"),
    ("es", "Tengo una ampolla en el talón de la caminata de ayer"),
    ("es", "Con la resaca de anoche me duele la cabeza, culpa mía"),
    ("fr", "J'ai des courbatures partout après la rando de samedi"),
    ("fr", "Brûlé le doigt avec la poêle en cuisinant, petite cloque, rien de grave"),
    ("fr", "Grosse gueule de bois, mal au crâne, je l'ai bien cherché"),
    ("de", "Hab mir beim Skifahren das Knie verdreht, ist etwas geschwollen"),
    ("de", "Rücken tut weh vom Umzug, drei Tage Kisten schleppen"),
    ("de", "Total verkatert nach der Feier, Kopfweh ohne Ende"),
    ("pt", "Torci o pé no futebol de ontem, está inchado"),
    ("pt", "Me queimei no forno fazendo bolo, ficou uma bolha na mão"),
    ("pt", "Ressaca forte depois da festa, dor de cabeça o dia todo"),
    ("ar", "رجليا بتوجعني من التمرين امبارح"),
    ("ar", "تعبان جدا من العزال طول الاسبوع"),
    ("ar", "اتحرقت من الفرن وانا بعمل الاكل"),
]

# ... but a link to the treatment in the sentence, a denied or compared cause, a contrast before a new finding
# or a seriousness cue is still a case.
OTHER_CAUSE_REPORTED = [
    ("en", "My legs ache after the gym session ever since the injection"),
    ("en", "Sore after football but also a rash all over my chest"),
    ("en", "Fainted during my run this morning"),
    ("en", "Aching all over like after a marathon, and I haven't done any sport"),
    ("es", "Me duelen las piernas después del entrenamiento desde la inyección"),
    ("es", "Cansada por la mudanza, pero además me salieron ronchas en los brazos"),
    ("fr", "Mal aux jambes après le footing depuis la piqûre"),
    ("fr", "Courbatures après la rando, mais aussi des plaques rouges sur le ventre"),
    ("de", "Muskelkater nach dem Training seit der Spritze, das hatte ich nie"),
    ("de", "Kopfweh nach der Feier, aber dazu noch Ausschlag am Hals"),
    ("pt", "Dor nas pernas depois do treino desde a injeção"),
    ("pt", "Cansada da mudança, mas também apareceram manchas na pele"),
    ("ar", "رجلي بتوجعني من التمرين من بعد الحقنه"),
    ("ar", "تعبانه من السهره بس كمان طلعلي طفح في ايدي"),
]

# An event already reported and said to be over in its sentence is an update of a known report.
SETTLED = [
    ("en", "The itching I reported two weeks ago has completely gone, just so you know"),
    ("en", "I already mentioned the dizzy spells to the nurse, they have passed now"),
    ("es", "El sarpullido que ya les comenté se me quitó del todo"),
    ("es", "Ya avisé del mareo de la semana pasada, ya se me pasó"),
    ("fr", "Les démangeaisons que j'avais signalées sont parties, merci"),
    ("fr", "Je vous avais parlé des vertiges, c'est passé depuis"),
    ("de", "Den Ausschlag hatte ich ja schon gemeldet, der ist inzwischen ganz weg"),
    ("de", "Schwindel wie schon gesagt, ist jetzt vorbei"),
    ("pt", "Já avisei da coceira, já passou"),
    ("pt", "A tontura que relatei mês passado sumiu"),
    ("ar", "الحكه اللي بلغت عنها راحت خلاص"),
    ("ar", "سبق وحكيت عن الدوخه، هلا راحت الحمد لله"),
]

# ... but a finding still there, a new one after a contrast, or a seriousness cue is a case.
SETTLED_REPORTED = [
    ("en", "I already reported the rash, it's still spreading"),
    ("en", "The itching I reported is gone but now my lips are swelling"),
    ("en", "Already told the nurse about the rash, now I also have a fever"),
    ("es", "Ya les comenté lo del sarpullido, pero ahora tengo fiebre"),
    ("fr", "Les démangeaisons que j'avais signalées sont parties mais j'ai des vertiges"),
    ("de", "Den Ausschlag hab ich schon gemeldet, aber jetzt kommt Fieber dazu"),
    ("pt", "Já avisei da coceira, mas agora estou com febre"),
    ("ar", "سبق وبلغت عن الحكه بس هلا عندي سخونيه"),
]

# Another person's everyday illness with a question about the patient's own dose is theirs.
RELATIVE_OWN_DOSE = [
    ("en", "My wife has a stomach bug, can I still take my tablets as normal?"),
    ("es", "Mi hija tiene varicela, ¿puedo seguir con mi tratamiento?"),
    ("fr", "Mon fils a une angine, je peux faire ma piqûre quand même ?"),
    ("de", "Meine Tochter hat Fieber, kann ich meine Tabletten normal nehmen?"),
    ("pt", "Minha filha está com febre, posso tomar meu remédio normal?"),
    ("ar", "ابني عنده سخونيه، اقدر اخد دوايا عادي؟"),
]

# ... a carer writing about the relative's own treatment is not.
RELATIVE_TREATED = [
    ("en", "My son has had a fever since his injection yesterday"),
    ("en", "My daughter has a fever, can I give her the injection?"),
    ("es", "Mi hijo tiene fiebre desde su inyección"),
    ("fr", "Ma fille a de la fièvre depuis sa piqûre"),
    ("de", "Mein Sohn hat Fieber seit seiner Spritze"),
    ("pt", "Meu filho está com febre desde a injeção dele"),
    ("ar", "ابني عنده سخونيه من بعد الحقنه"),
]

# Practical questions about food or drink with the treatment, or with a finding denied in the question.
USE_QUESTIONS = [
    ("en", "Is the new pill ok with orange juice at breakfast?"),
    ("en", "Can I keep the pen in my bag all day so it doesn't get cold?"),
    ("es", "¿Puedo comer pomelo si estoy con el tratamiento?"),
    ("fr", "Est-ce que le traitement va avec un verre de vin ?"),
    ("de", "Verträgt sich das Medikament mit einem Glas Sekt?"),
    ("pt", "Pode beber café com o comprimido?"),
    ("ar", "mumkin ashrab 2ahwe ma3 el 7abbe?"),
]

USE_QUESTIONS_REPORTED = [
    ("en", "Is it ok with wine? I had a rash after the last glass"),
    ("es", "¿Puedo tomar vino? me dio urticaria la última vez"),
    ("pt", "Pode beber cerveja? fiquei com tontura da última vez"),
]

# Annoyance told as a symptom: a plainly non-medical cause in the same clause.
FIGURE_CAUSES = [
    ("en", "The hold music alone gives me a headache"),
    ("es", "El tráfico de esta ciudad me da dolor de cabeza"),
    ("fr", "Ce formulaire me donne mal à la tête"),
    ("de", "Das Finanzamt macht mir Kopfschmerzen"),
    ("pt", "O trânsito daqui me dá dor de cabeça"),
    ("ar", "المعامله دي جابتلي صداع"),
]

FIGURE_CAUSES_REPORTED = [
    ("en", "The new tablets give me a headache"),
    ("es", "El tráfico me estresa pero la inyección me da dolor de cabeza"),
    ("de", "Die Spritze macht mir Kopfschmerzen"),
]

# The illness itself, said to be as before ("that's the arthritis", "like for years").
ILLNESS_AS_BEFORE = [
    ("en", "Knees stiff first thing, that's just my arthritis"),
    ("es", "Me pica la piel, es de la psoriasis"),
    ("fr", "Un peu essoufflée le matin, c'est l'asthme"),
    ("de", "Morgens Husten, Raucherhusten halt"),
    ("pt", "Dor nos joelhos, isso é a artrite"),
    ("ar", "ركبي بتوجعني الصبح، هذا من الروماتيزم"),
]

ILLNESS_AS_BEFORE_REPORTED = [
    ("en", "Knees stiff, that's my arthritis, but since the injection my ankles swell"),
    ("de", "Husten wie immer, aber seit der Spritze Ausschlag"),
]

# Words that look like a product problem or a situation but are administrative or another word.
ADMIN_FALSE_FRIENDS = [
    ("en", "My prescription has expired, I'll ask the GP for a new one"),
    ("es", "Se me venció la receta, pido otra al médico"),
    ("fr", "Le site ne marche pas, je n'arrive pas à me connecter"),
    ("fr", "Je serai à Roubaix la semaine prochaine"),
    ("de", "Rezept abgelaufen, ich hol mir beim Hausarzt ein neues"),
    ("de", "Hatte erst zwei Spritzen bisher, bin gespannt"),
    ("pt", "A receita venceu, vou pedir outra"),
]

ADMIN_REPORTED = [
    ("en", "The pens in the box had expired and I injected one"),
    ("de", "Die Spritze war abgelaufen und ich hab sie benutzt"),
    ("ar", "الحقنه كانت وسخه من جوه"),
    ("pt", "Meu filho roubou os comprimidos"),
]


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE)
def test_a_stated_non_medical_cause_explains_the_symptom(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE_REPORTED)
def test_a_cause_with_a_link_a_contrast_or_seriousness_is_still_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_fainting_after_sport_stays_serious() -> None:
    assert _lexicon("Fainted during my run this morning", "en").serious


@pytest.mark.parametrize(("lang", "text"), SETTLED)
def test_an_event_already_reported_and_over_is_an_update(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), SETTLED_REPORTED)
def test_a_reported_event_still_there_or_a_new_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_a_reported_serious_event_stays_serious() -> None:
    result = _lexicon("I already told the nurse about the chest pain, it's gone now", "en")
    assert result.tier == "case" and result.serious


@pytest.mark.parametrize(("lang", "text"), RELATIVE_OWN_DOSE)
def test_a_relatives_illness_with_a_question_about_my_dose_is_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), RELATIVE_TREATED)
def test_a_relative_on_a_treatment_is_still_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), USE_QUESTIONS)
def test_a_practical_question_about_food_or_drink_is_not_a_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), USE_QUESTIONS_REPORTED)
def test_a_practical_question_with_an_experience_is_still_reported(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier in ("case", "review"), text


@pytest.mark.parametrize(("lang", "text"), FIGURE_CAUSES)
def test_an_annoyance_told_as_a_symptom_is_a_figure(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), FIGURE_CAUSES_REPORTED)
def test_a_symptom_the_treatment_gives_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), ILLNESS_AS_BEFORE)
def test_the_illness_as_before_is_no_new_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ILLNESS_AS_BEFORE_REPORTED)
def test_the_illness_and_a_new_finding_since_the_treatment_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), ADMIN_FALSE_FRIENDS)
def test_administrative_words_are_no_product_problem(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ADMIN_REPORTED)
def test_a_product_problem_is_still_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# The illness still there while the treatment is given the time it needs to work.
TOO_EARLY = [
    ("en", "Still got the patches on my shins, the nurse says it takes 16 weeks to work"),
    ("es", "Todavía tengo las placas en las rodillas, el médico dice que tarda unas semanas en hacer efecto"),
    ("fr", "J'ai encore mes plaques sur le dos, il faut quelques semaines pour que ça marche"),
    ("de", "Die Gelenke tun noch weh, der Arzt sagt es dauert ein paar Wochen bis es wirkt"),
    ("pt", "Ainda tenho as placas nos joelhos, a médica disse que leva uns meses"),
    ("ar", "البقع لسه على رجلي، الدكتوره قالت ياخد كم شهر"),
]

# ... but a new finding since the treatment, or after a contrast word, is a case.
TOO_EARLY_REPORTED = [
    ("en", "Still got the patches, it takes 16 weeks to work, but my face has swollen since the injection"),
    ("es", "Todavía tengo placas, tarda unas semanas, pero desde la inyección tengo fiebre"),
    ("de", "Die Gelenke tun noch weh, dauert ein paar Wochen, aber seit der Spritze habe ich Ausschlag"),
    ("pt", "Ainda tenho as placas, leva uns meses, mas desde a injeção estou com febre"),
]

# A routine check quoted with its value and good news; an out-of-range value stays a finding.
ROUTINE_VALUES = [
    ("en", "Blood pressure 124/79 at the clinic this morning, all fine"),
    ("es", "Tensión 12/8 en el centro de salud, todo bien"),
    ("pt", "Pressão 12 por 8 no posto hoje, tudo certo"),
]

ROUTINE_VALUES_REPORTED = [
    ("en", "Blood pressure 185/110 at the clinic this morning, all fine otherwise"),
    ("pt", "Pressão 19 por 12 no posto hoje, de resto tudo certo"),
]

# A relative's stay told with the writer's own delay ("missed your call"): theirs.
RELATIVE_DELAY = [
    ("en", "Sorry, couldn't pick up earlier, my sister is in hospital"),
    ("pt", "Minha irmã foi internada, por isso não respondi"),
    ("es", "Mi hermana está ingresada en el hospital, por eso no contesté"),
]

# No side effects at all, said with a phrase a lexicon term lives in.
NO_SIDE_EFFECTS = [
    ("pt", "Sem efeitos colaterais nenhuns, tudo ótimo"),
    ("es", "Sin efectos secundarios por ahora"),
    ("fr", "Sans effets secondaires pour l'instant"),
    ("de", "Bisher ohne Nebenwirkungen"),
    ("en", "Three months in without any side effects"),
    ("ar", "لحد دلوقتي من غير اعراض جانبيه"),
]

# A comparison or a long acquaintance names no cause and no illness as before.
NO_CAUSE_REPORTED = [
    ("en", "My whole body aches as if I had run a marathon since the new tablets"),
    ("es", "Me duele todo el cuerpo como si hubiera corrido una maratón"),
    ("pt", "Ando muito esquecida, troco o nome de amigas de há anos"),
    ("fr", "Mal partout comme si j'avais fait un marathon"),
]


@pytest.mark.parametrize(("lang", "text"), TOO_EARLY)
def test_the_illness_still_there_while_the_treatment_needs_time_is_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), TOO_EARLY_REPORTED)
def test_a_new_finding_while_waiting_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), ROUTINE_VALUES)
def test_a_routine_check_with_a_normal_value_is_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ROUTINE_VALUES_REPORTED)
def test_a_routine_check_with_an_abnormal_value_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), RELATIVE_DELAY)
def test_a_relatives_stay_with_the_writers_delay_is_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), NO_SIDE_EFFECTS)
def test_no_side_effects_is_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), NO_CAUSE_REPORTED)
def test_a_comparison_or_an_old_acquaintance_is_no_explanation(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier in ("case", "review"), text


# Hearsay asked about: what someone read or heard, in a sentence that ends in a question mark.
HEARSAY_QUESTIONS = [
    ("en", "My cousin read that it makes your hair thin, is that true?"),
    ("es", "Mi suegra leyó que da calambres, ¿es cierto?"),
    ("fr", "Ma sœur a lu que ça fait grossir, c'est vrai ?"),
    ("de", "Meine Schwester hat gelesen, dass man davon Ausschlag kriegt, stimmt das?"),
    ("pt", "Minha tia leu que dá queda de cabelo, é verdade?"),
    ("ar", "اختي قرت انه بيعمل تساقط شعر، صح؟"),
]

# ... but the patient's own experience in that sentence keeps it reported.
HEARSAY_REPORTED = [
    ("en", "I read that it makes your hair thin and I have bald patches now, is that true?"),
    ("es", "Leí que da calambres y tengo calambres cada noche, ¿es cierto?"),
    ("pt", "Li que dá queda de cabelo e estou com muita queda, é verdade?"),
]


@pytest.mark.parametrize(("lang", "text"), HEARSAY_QUESTIONS)
def test_hearsay_asked_about_is_a_general_question(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), HEARSAY_REPORTED)
def test_hearsay_with_the_patients_own_experience_is_reported(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier in ("case", "review"), text
