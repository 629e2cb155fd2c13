"""Round 8 of issue #13, seriousness half (branch round8-serious): serious messages told in lay words must be
`case` and serious. The causes were read from the spent blind sets (9 first, then 8 to 3 and the dev corpora);
each became a family in six languages (Arabic with dialects and Arabizi) with our own probe sentences, and
each family has hard negatives: figures of speech, general questions about seriousness, a plain mention.

The sentences are our own, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.evaluate import default_screen, read_examples
from tests.safety.probes import lexicon as _lexicon

# A wish to die or to harm oneself, told by a carer about the patient or in euphemism.
WISH_TO_DIE = [
    ("en", "our son keeps saying he wants to die since the dose went up"),
    ("en", "she told the nurse she might hurt herself, she's on the pen"),
    ("es", "mi madre dice que se quiere morir desde el cambio de pastillas"),
    ("es", "mi hija habla de quitarse la vida, lleva dos meses con el jarabe"),
    ("es", "últimamente pienso en no despertar más por la mañana"),
    ("fr", "mon fils a dit qu'il voulait mourir, il prend le sirop depuis mars"),
    ("fr", "je pense à mettre fin à mes jours depuis les nouvelles gélules"),
    ("fr", "le soir j'aimerais ne plus me réveiller"),
    ("de", "meine Tochter hat gedroht sich was anzutun und sich etwas antun zu wollen"),
    ("de", "manchmal wünsch ich mir, einfach nicht mehr aufzuwachen, nicht mehr aufwachen wär schön"),
    ("de", "mein Mann meint, alle wären besser dran ohne mich, seit der Depotspritze"),
    ("pt", "a minha filha tentou se matar, toma as cápsulas há 2 meses"),
    ("pt", "meu irmão falou em se enforcar depois que aumentaram a dose"),
    ("pt", "às vezes penso em não acordar mais"),
    ("ar", "ابني حاول ينتحر من بعد ما زادوا الجرعه"),
    ("ar", "بنتي صارت تأذي حالها من وقت الحبوب"),
    ("ar", "بفكر في انهاء حياتي من ساعه ما بديت الدوا"),
    ("ar", "sarli fatra bade mout, mn wa2t el 7bob"),
    ("ar", "ana ba2eit 3ayez a2tel nafsi mn el dawa da"),
]


# An operation because of it, told in lay words.
OPERATION = [
    ("en", "they operated on her bowel overnight after the pain on the pen"),
    ("en", "he was rushed into surgery for his gallbladder"),
    ("es", "la operaron de urgencia de la vesícula, está con el pen desde marzo"),
    ("es", "tuvieron que operarlo del intestino"),
    ("fr", "elle a été opérée d'urgence de l'appendice, sous injections"),
    ("fr", "ils ont opéré mon père cette nuit, il est passé au bloc à 3 h"),
    ("de", "musste operiert werden, Gallenblase raus, seit dem Pen"),
    ("de", "Notfall-OP am Darm letzte Nacht"),
    ("pt", "o meu pai foi operado de urgência à vesícula"),
    ("pt", "teve que operar o intestino ontem, toma a caneta há meses"),
    ("ar", "سوولي عمليه بالمراره بعد الابره"),
    ("ar", "امي دخلت العمليات امبارح بعد الالم"),
    ("ar", "3amlouli 3amaleya fel marara"),
]


# Kept in a unit that only admits the seriously ill; a fracture without a fall; a named grave diagnosis.
UNIT_AND_DIAGNOSIS = [
    ("en", "dad is on the coronary care unit since the infusion"),
    ("en", "the test came back, it's tuberculosis, I'm on the biologic"),
    ("es", "está en la unidad coronaria desde ayer"),
    ("es", "me han diagnosticado tuberculosis con el biológico"),
    ("fr", "il est aux soins intensifs depuis la perfusion"),
    ("fr", "on m'a trouvé une tuberculose sous le traitement"),
    ("de", "Papa liegt seit gestern auf der Intensiv"),
    ("de", "der Zahnarzt sagt, das ist eine Kiefernekrose"),
    ("pt", "o meu avô continua internado na unidade coronária"),
    ("pt", "descobriram tuberculose, estou no biológico"),
    ("ar", "ابوي في العنايه القلبيه من امس"),
    ("ar", "طلع عندي السل وانا على الحقن"),
    ("ar", "baba fel 3enaya men embare7"),
]


# A seizure told by what was seen; a person who could not be woken.
SEIZURE = [
    ("en", "he was foaming at the mouth and shaking, first time ever"),
    ("en", "we couldn't wake her this morning, she's on the syrup"),
    ("es", "lo encontré temblando en el suelo con espuma por la boca"),
    ("fr", "elle avait de la bave aux lèvres et tremblait par terre"),
    ("de", "lag zuckend am Boden, Schaum vorm Mund"),
    ("de", "der Kleine hatte drei Anfälle gehabt, seit das Medikament fehlt"),
    ("pt", "ficou tremendo no chão com espuma pela boca"),
    ("ar", "ابني كان بيترعش على الارض وطلع زبد من فمه"),
    ("ar", "kan 3ando tashannoj awel marra"),
]


# Death told as news or logistics, in dialect and Arabizi too.
DEATH = [
    ("en", "please stop the deliveries, she passed last night"),
    ("es", "cancelen los envíos por favor, mi padre se nos fue el domingo"),
    ("fr", "arrêtez les livraisons, ma mère nous a quittés mardi"),
    ("de", "bitte keine Lieferungen mehr, mein Mann ist von uns gegangen"),
    ("pt", "podem parar as entregas, o meu marido veio a falecer"),
    ("ar", "وقفوا التوصيل، امي انتقلت الى رحمه الله"),
    ("ar", "baba twaffa el jom3a, wa2fo el tawsil"),
    ("ar", "sitti etwafet embare7"),
]


# A crash from drowsiness and a fracture of the thigh bone are medically important.
CRASH_AND_FRACTURE = [
    ("en", "I fell asleep at the wheel and hit a post, since the injections"),
    ("es", "mi marido se durmió al volante, tuvo un accidente de coche"),
    ("fr", "il s'est endormi au volant, accident de la route hier"),
    ("de", "bin am Steuer eingeschlafen und hab einen Unfall gebaut"),
    ("pt", "dormiu ao volante e bateu o carro"),
    ("ar", "نمت وانا سايق وعملت حادثه"),
    ("en", "broke my femur just stepping off a kerb"),
    ("es", "fractura de fémur sin caerme, con la pastilla mensual"),
    ("fr", "fracture du fémur en marchant, sous le comprimé mensuel"),
    ("de", "Oberschenkel beim Treppensteigen gebrochen, ohne Sturz"),
    ("pt", "fratura do fêmur sem queda nenhuma"),
    ("ar", "انكسرت عظمه الفخده وانا ماشيه"),
]


# A second wave from our own probes: feeling a burden to others, a relative no longer wanting to live,
# resuscitation or a breathing tube, stopped breathing and turning blue.
BURDEN_AND_RESUSCITATION = [
    ("en", "I feel like a burden to everyone since the tablets"),
    ("en", "my daughter said she doesn't want to be here anymore"),
    ("en", "they had to intubate him in the ambulance bay"),
    ("es", "siento que soy una carga para todos"),
    ("es", "mi hijo ya no quiere vivir"),
    ("es", "lo tuvieron que intubar"),
    ("fr", "je me sens comme un fardeau pour ma famille"),
    ("fr", "ma fille ne veut plus vivre"),
    ("fr", "il est devenu tout bleu et ne respirait plus"),
    ("de", "ich bin allen nur eine Last"),
    ("de", "sie mussten ihn wiederbeleben"),
    ("de", "er ist blau angelaufen und atmete nicht mehr"),
    ("pt", "sinto que sou um peso pra todo mundo"),
    ("pt", "minha filha não quer mais viver"),
    ("pt", "foi entubado ontem à noite"),
    ("ar", "حاسس اني عبء على الكل"),
    ("ar", "بنتي ما عادت بدها تعيش"),
    ("ar", "حطوه على جهاز التنفس"),
    ("ar", "ana 7asis eni 3ab2 3ala el kol"),
]


SERIOUS = (
    WISH_TO_DIE
    + OPERATION
    + UNIT_AND_DIAGNOSIS
    + SEIZURE
    + DEATH
    + CRASH_AND_FRACTURE
    + BURDEN_AND_RESUSCITATION
)


@pytest.mark.parametrize(("lang", "text"), SERIOUS)
def test_seriousness_in_lay_words_is_a_serious_case(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, (text, result)


# Hard negatives: figures of speech with the same words, general questions about seriousness, plain wishes.
NOT_SERIOUS = [
    ("en", "I'd kill for a coffee right now"),
    ("en", "can this pen put me in hospital?"),
    ("en", "my exam passed, I passed it!"),
    ("es", "me muero de ganas de un café"),
    ("es", "¿este medicamento puede causar pensamientos de suicidio?"),
    ("es", "quiero seguir con el tratamiento, todo bien"),
    ("fr", "je meurs d'envie d'un bon café"),
    ("fr", "j'ai hâte d'en finir avec les papiers de la mutuelle"),
    ("fr", "mon rendez-vous en cardio est jeudi"),
    ("de", "ich sterbe vor Langeweile im Wartezimmer"),
    ("de", "kann man davon auf der Intensivstation landen?"),
    ("de", "die Migräne-Anfälle sind seltener geworden, super"),
    ("pt", "morrendo de vontade de um café"),
    ("pt", "o remédio pode causar pensamentos suicidas?"),
    ("pt", "quase enfartei com a conta da luz kkk"),
    ("ar", "هل الدوا ممكن يدخلني العنايه؟"),
    ("ar", "ميت من الضحك"),
    ("ar", "السلام عليكم، كله تمام"),
    ("ar", "هل لازم اوقف الابره قبل ما يعملوا لي عمليه في الركبه؟"),
    ("en", "do I need to stop the pen before my knee operation next month?"),
    ("pt", "preciso parar a caneta antes da cirurgia do joelho?"),
    ("en", "the cost of the pen is a real burden on our budget"),
    ("fr", "les papiers sont un fardeau pour moi"),
    ("de", "die Tabletten sind ganz blau, ist das richtig?"),
    ("pt", "minha avó não quer mais viajar"),
    ("ar", "الفاتوره صارت عبء على الميزانيه"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_SERIOUS)
def test_figures_questions_and_plain_wishes_are_not_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert not result.serious, (text, result)


# A relative plainly not the patient (not on the treatment, or the writer's own delay because of them): their
# hospital stay or grave illness is theirs, like their everyday illness.
RELATIVE_NOT_THE_PATIENT = [
    ("en", "grandad is in intensive care after a fall, he isn't on any of your products"),
    ("en", "dad had a heart attack on Sunday so I might not reply this week"),
    ("es", "a mi abuela la ingresaron por una neumonía, no toma nada de ustedes, solo aviso"),
    ("es", "mi padre está en la uci, por eso no contesté el cuestionario"),
    ("fr", "mon grand-père est en réanimation, il ne prend rien de chez vous"),
    ("fr", "ma sœur a été opérée hier, d'où le retard pour le questionnaire"),
    ("de", "mein Opa liegt auf der Intensiv, er nimmt nichts von euch"),
    ("de", "meine Schwester hatte einen Schlaganfall, ich werde später antworten"),
    ("pt", "o meu avô está na UTI, ele não toma nada de vocês"),
    ("pt", "minha sogra foi operada, vou demorar pra responder o formulário"),
    ("ar", "جدي في العنايه المركزه، ما ياخذ شي من ادويتكم"),
    ("ar", "اخوي صارت له جلطه، يمكن اتاخر بالرد"),
]


@pytest.mark.parametrize(("lang", "text"), RELATIVE_NOT_THE_PATIENT)
def test_a_relative_plainly_not_the_patient_is_not_a_case(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "clear", (text, result)


# ... but a relative on the treatment, or a carer reporting about the patient, stays a serious case.
RELATIVE_ON_TREATMENT = [
    ("en", "my dad is in intensive care since his second injection"),
    ("es", "a mi madre la ingresaron en la uci después de la infusión"),
    ("fr", "mon père est en réanimation depuis la perfusion"),
    ("de", "meine Mutter liegt auf der Intensiv seit der Spritze"),
    ("pt", "a minha mãe está na UTI desde a injeção"),
    ("ar", "امي في العنايه المركزه من بعد الحقنه"),
]


@pytest.mark.parametrize(("lang", "text"), RELATIVE_ON_TREATMENT)
def test_a_relative_on_the_treatment_stays_a_serious_case(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, (text, result)


# Lay signs of a grave event: a scan of the head, blood or a drip given, being kept in.
LAY_SIGNS = [
    ("en", "they put me on a drip and did a head scan after the fall"),
    ("es", "me hicieron un tac de la cabeza y me pusieron suero"),
    ("es", "me tuvieron que poner sangre, la hemoglobina estaba muy baja"),
    ("fr", "scanner de la tête puis on m'a mis du sang"),
    ("de", "die haben mich im Spital dabehalten, am Tropf"),
    ("de", "bin umkippt und hab mir den Kopf aufgschlagen"),
    ("pt", "fizeram tomografia da cabeça e fiquei no soro na veia"),
    ("pt", "tive que tomar sangue por causa da anemia"),
    ("ar", "ركبولي محاليل وعملولي اشعه على الراس"),
    ("ar", "نقلولي دم امبارح"),
]


@pytest.mark.parametrize(("lang", "text"), LAY_SIGNS)
def test_lay_signs_of_a_grave_event_are_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, (text, result)


# Arabic: "و" glued to a new verb starts a new clause; the negation of the first verb does not cancel the
# ambulance or the hospital after it. A plain negated stay ("I didn't go to hospital") stays negated.
AND_CLAUSES = [
    ("ما قدرت اصحى وجابوني بالاسعاف", True),
    ("ما حسيت بشي ونقلوني المستشفى", True),
    ("ma 2dert asha w gabouni bel es3af", True),
    ("ما رحت المستشفى", False),
    ("ما عندي صداع ولا دوخه", False),
]


@pytest.mark.parametrize(("text", "serious"), AND_CLAUSES)
def test_arabic_negation_stops_at_a_new_and_clause_for_seriousness(text: str, serious: bool) -> None:
    assert _lexicon(text, "ar").serious is serious, text


def test_french_ligatures_fold_to_the_lexicon_spelling() -> None:
    # "sœur" is the relative "soeur": her hospital stay, said not to be the patient's, is set aside.
    assert _lexicon("ma sœur est en réanimation, elle ne prend rien de chez vous", "fr").tier == "clear"
    assert _lexicon("j'ai le cœur qui s'emballe depuis la piqûre", "fr").tier == "case"


# Blind set 9 is spent (read for this round's causes): its serious messages are all cases now (round 7
# measured 0.862 on it, de and ar 0.762). A floor per language keeps what this round fixed (whole screen).
BLIND9 = Path(__file__).resolve().parents[2] / "tests" / "data" / "pv_blind9"
BLIND9_SERIOUS_FLOOR = 0.98


@pytest.mark.parametrize("lang", ["en", "es", "fr", "de", "pt", "ar"])
def test_blind_set_9s_serious_messages_are_cases(lang: str) -> None:
    with (BLIND9 / f"{lang}.jsonl").open(encoding="utf-8") as fh:
        serious = [e for e in read_examples(fh) if e.positive and e.serious]
    in_case = [e.text for e in serious if default_screen(e.text, e.lang).tier == "case"]
    assert serious and len(in_case) / len(serious) >= BLIND9_SERIOUS_FLOOR, (lang, len(in_case), len(serious))


# A stay or an operation long ago, with no treatment named, is history; with the treatment named, a report.
LONG_AGO = [
    ("en", "I had an operation on my knee ten years ago", False),
    ("es", "me operaron de la rodilla hace diez años", False),
    ("fr", "j'ai été opérée du genou il y a 10 ans", False),
    ("de", "ich wurde vor 10 Jahren am Knie operiert", False),
    ("pt", "fui operada do joelho há 10 anos", False),
    ("ar", "عملت عمليه في الركبه من عشر سنين", False),
    ("en", "two years ago I was hospitalised with pancreatitis on the pen", True),
    ("es", "hace dos años me ingresaron por pancreatitis con la inyección", True),
    ("fr", "il y a 2 ans j'ai été hospitalisée pour une pancréatite sous le stylo", True),
    ("de", "vor 2 Jahren kam ich mit Pankreatitis ins Krankenhaus, wegen der Spritze", True),
    ("pt", "há 2 anos fui internada com pancreatite por causa da caneta", True),
    ("ar", "من سنتين دخلت المستشفى بالتهاب البنكرياس من الابره", True),
]


@pytest.mark.parametrize(("lang", "text", "serious"), LONG_AGO)
def test_a_stay_long_ago_is_history_unless_treatment_is_named(lang: str, text: str, serious: bool) -> None:
    result = _lexicon(text, lang)
    assert result.serious is serious, (text, result)
    if serious:
        assert result.tier == "case", (text, result)
