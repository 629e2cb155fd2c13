"""Round 8 of issue #13, seriousness half (branch round8-serious): serious messages told in lay words must be
`case` and serious. The causes were read from the spent blind sets (9 first, then 8 to 3 and the dev corpora);
each became a family in six languages (Arabic with dialects and Arabizi) with our own probe sentences, and
each family has hard negatives: figures of speech, general questions about seriousness, a plain mention.

The sentences are our own, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

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


SERIOUS = WISH_TO_DIE + OPERATION + UNIT_AND_DIAGNOSIS + SEIZURE + DEATH + CRASH_AND_FRACTURE


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
    ("pt", "vou acabar com tudo o que tenho de papelada hoje"),
    ("ar", "هل الدوا ممكن يدخلني العنايه؟"),
    ("ar", "ميت من الضحك"),
    ("ar", "السلام عليكم، كله تمام"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_SERIOUS)
def test_figures_questions_and_plain_wishes_are_not_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert not result.serious, (text, result)
