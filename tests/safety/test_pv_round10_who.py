"""Round 10 of issue #13 (specificity, who / when / whether): false alarms whose cause is WHO the finding
belongs to, WHEN it happened or WHETHER it happened at all, read from blind set 11 and corpus D (spent), each
a family in six languages, with hard negatives and the positives that must stay reported.

The sentences are our own probes, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.safety import Screener
from tests.safety.probes import lexicon as _lexicon


@lru_cache(maxsize=1)
def _strongly_scored() -> Screener:
    """A score of 1.0 reopens every clear but a deliberate aside (someone else's, or a plain all-clear)."""
    return Screener(scorer=lambda _text, _lang: 1.0, review_threshold=0.5, reopen_denied=0.9)


# A relative said plainly not to be on the product ("she's not on any of your meds"): the treatment word that
# ends that phrase names no treatment of the patient's, so the relative's illness and stay are theirs.
NOT_ON_IT = [
    ("en", "Dad is in hospital with pneumonia, he isn't on any of your medicines, so I may be slow"),
    ("en", "My sister had a seizure on Sunday, she doesn't take any of these pills"),
    ("es", "Mi hermana está ingresada por una neumonía, ella no toma ninguno de estos medicamentos"),
    ("es", "A mi tío lo operaron del corazón, no toma nada de sus tratamientos, por eso no contesté"),
    ("fr", "Mon père est hospitalisé pour une pneumonie, il ne prend aucun de vos médicaments"),
    ("fr", "Ma sœur a fait une crise d'épilepsie, elle ne prend rien de chez vous"),
    ("de", "Mein Bruder liegt mit Lungenentzündung im Krankenhaus, er nimmt keins eurer Medikamente"),
    ("de", "Meine Oma hatte einen Herzinfarkt, sie nimmt aber nichts von euch"),
    ("pt", "O meu pai está internado com pneumonia, ele não toma nada de vocês, vou demorar"),
    ("pt", "Minha irmã teve uma convulsão ontem, ela não usa nada de vocês"),
    ("ar", "ابويا في المستشفى عنده التهاب رئوي، هو مش بياخد حاجه من أدويتكم"),
    ("ar", "اختي جاتها جلطه، هي ما تاخذ شي من علاجاتكم، عشان كذا بتأخر بالرد"),
]

# ... but a relative on the product, or one whose illness follows their dose, is still a case.
NOT_ON_IT_REPORTED = [
    ("en", "Dad is in hospital with pneumonia since his second injection of your medicine"),
    ("es", "Mi hermana está ingresada desde que empezó con sus pastillas"),
    ("fr", "Mon père est hospitalisé depuis sa dernière piqûre"),
    ("de", "Mein Bruder liegt im Krankenhaus seit der letzten Spritze"),
    ("pt", "O meu pai está internado desde a última injeção"),
    ("ar", "ابويا في المستشفى من بعد الحقنه"),
]

# Another person's illness or side effect, with the patient set apart ("not me", "I'm fine"): theirs.
NOT_ME = [
    ("en", "My brother has had a rotten cough all week, I'm fine so far"),
    ("en", "The whole family went down with a tummy bug except me"),
    ("en", "My friend quit her injections because of hair loss. Nothing like that for me"),
    ("es", "Mi hermano lleva toda la semana con tos, yo estoy bien"),
    ("es", "Toda mi familia con diarrea menos yo"),
    ("es", "A mi vecina se le cae el pelo con su tratamiento de otra marca, yo nada"),
    ("fr", "Mon fils a une grosse toux depuis lundi, moi je vais bien"),
    ("fr", "Tout le monde à la maison a vomi cette nuit sauf moi"),
    ("fr", "Ma voisine a arrêté son traitement à cause des nausées, moi rien"),
    ("de", "Mein Mann hat seit Tagen Husten und Fieber, mir geht es gut"),
    ("de", "Die ganze Familie hatte Magen-Darm außer mir"),
    ("de", "Meine Kollegin hat von ihrer Spritze Ausschlag bekommen, ich hab nichts dergleichen"),
    ("pt", "O meu irmão está com tosse há uma semana, eu estou bem"),
    ("pt", "A família toda pegou virose menos eu"),
    ("pt", "Minha amiga teve queda de cabelo com outro remédio, comigo nada"),
    ("ar", "اخويا عنده كحه من اسبوع، انا الحمد لله"),
    ("ar", "البيت كله جاله اسهال الا انا"),
    ("ar", "صاحبتي شعرها وقع من دوا تاني، انا ولا حاجه"),
    # "since yesterday" is no tie to a treatment; "الوالده" is the mother.
    ("en", "My husband has had a temperature since Sunday, I'm fine"),
    ("pt", "O meu filho está com tosse desde sexta, eu estou bem"),
    ("ar", "الوالده عندها كحه من يومين، انا الحمد لله"),
]

# ... but the patient ill too, a relative's finding tied to a treatment, or a seriousness cue is a case.
NOT_ME_REPORTED = [
    ("en", "My brother has a cough and now I have a cough too"),
    ("en", "My son threw up after his injection, I'm fine though"),
    ("en", "My husband has the flu, not me, but I've got a rash since the last shot"),
    ("es", "Mi hermano tiene tos y yo también tengo fiebre"),
    ("es", "Mi hijo vomitó después de su inyección, yo estoy bien"),
    ("fr", "Mon fils a vomi après sa piqûre, moi je vais bien"),
    ("fr", "Mon mari a la grippe et moi j'ai de la fièvre aussi"),
    ("de", "Mein Sohn hat nach seiner Spritze erbrochen, mir geht es gut"),
    ("de", "Mein Mann hat Husten und ich habe jetzt auch Fieber"),
    ("pt", "Meu filho vomitou depois da injeção dele, eu estou bem"),
    ("pt", "Meu irmão está com tosse e eu também estou com febre"),
    ("ar", "ابني استفرغ بعد الحقنه بتاعته، انا كويسه"),
    ("ar", "جوزي عنده برد وانا كمان عندي سخونيه"),
]

# An event the patient already told the programme about (mentioned, phoned about, sent a photo of, discussed)
# and says is over, in its sentence or the next: an update of a known report.
TOLD_AND_OVER = [
    ("en", "The cough I mentioned on the phone has cleared up"),
    ("en", "That bruise I sent you a photo of? All gone now."),
    ("en", "As we discussed last week, the itchy eyes have settled"),
    ("es", "La tos que les conté la semana pasada ya se me quitó"),
    ("es", "Como hablamos por teléfono, el picor ya desapareció"),
    ("fr", "La toux dont je vous ai parlé la semaine dernière est passée"),
    ("fr", "Suite à notre appel, les rougeurs ont disparu"),
    ("de", "Der Husten, den ich letzte Woche gemeldet hab, ist abgeheilt"),
    ("de", "Wie am Telefon besprochen: die Augen jucken nicht mehr, ist vorbei"),
    ("pt", "A tosse que reportei semana passada já passou"),
    ("pt", "Como combinamos, a coceira nos olhos sumiu"),
    ("ar", "الكحه اللي قلتلكم عليها الاسبوع اللي فات خفت خلاص"),
    ("ar", "زي ما اتفقنا، الهرش اللي في عينيا اختفى"),
]

# ... but a told event that is back, still there, or followed by a new finding is a case.
TOLD_AND_OVER_REPORTED = [
    ("en", "The cough I mentioned on the phone is back and worse"),
    ("en", "That bruise I sent you a photo of? Still there and spreading."),
    ("en", "The cough I mentioned has cleared up but now I have a fever"),
    ("es", "La tos que les conté sigue igual de fuerte"),
    ("es", "La tos que les conté ya se me quitó, pero ahora tengo fiebre"),
    ("fr", "La toux dont je vous ai parlé est revenue, encore pire"),
    ("fr", "La toux dont je vous ai parlé est passée mais j'ai de la fièvre maintenant"),
    ("de", "Der Husten, den ich gemeldet hab, ist wieder da"),
    ("de", "Der Husten, den ich gemeldet hab, ist weg, aber jetzt hab ich Fieber"),
    ("pt", "A tosse que reportei voltou pior"),
    ("pt", "A tosse que reportei já passou, mas agora estou com febre"),
    ("ar", "الكحه اللي قلتلكم عليها رجعت تاني"),
    ("ar", "الكحه اللي قلتلكم عليها خفت بس دلوقتي عندي سخونيه"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_ON_IT)
def test_a_relative_not_on_the_product_is_not_the_patient(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), NOT_ON_IT_REPORTED)
def test_a_relative_whose_stay_follows_a_dose_is_a_serious_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NOT_ME)
def test_another_persons_illness_beside_not_me_is_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), NOT_ME_REPORTED)
def test_the_patient_ill_too_or_a_carers_report_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_a_relatives_stay_beside_not_me_stays_serious() -> None:
    # Seriousness cues are never set aside by "not me": a relative's stay stays serious.
    result = _lexicon("My dad was rushed to hospital with a stroke, I'm fine", "en")
    assert result.tier == "case" and result.serious


@pytest.mark.parametrize(("lang", "text"), TOLD_AND_OVER)
def test_an_event_told_before_and_over_is_an_update(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), TOLD_AND_OVER_REPORTED)
def test_a_told_event_back_or_a_new_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_a_resolution_word_is_no_efficacy_by_itself() -> None:
    # "gone down" is read only beside an earlier report: without one, a swelling since the shot stays.
    assert _lexicon("The swelling since the shot hasn't gone down", "en").tier == "case"


# A finding told as a hypothesis (after "if", a worry or hearsay word) in a question, or beside a statement
# that it has not happened: no report.
NOT_HAPPENED = [
    ("en", "If I get a rash after the jab, should I call you? Not happened yet, just planning ahead"),
    ("en", "Can I take cough syrup with it if I catch a cold?"),
    ("en", "Really nervous about getting headaches on this, is that common?"),
    ("es", "Si me da fiebre después de la inyección, ¿la aplazo? De momento nada"),
    ("es", "¿Puedo tomar jarabe si me resfrío?"),
    ("es", "Me da miedo que se me caiga el pelo con esto, ¿pasa mucho?"),
    ("fr", "Si j'ai de la fièvre après l'injection, je dois vous appeler ? Pour l'instant rien"),
    ("fr", "Je peux prendre du sirop si j'attrape un rhume ?"),
    ("fr", "J'ai peur d'avoir des vertiges avec ce traitement, c'est fréquent ?"),
    ("de", "Falls ich nach der Spritze Fieber bekomme, soll ich anrufen? Ist noch nicht passiert"),
    ("de", "Darf ich Hustensaft nehmen, falls ich mich erkälte?"),
    ("de", "Ich habe Angst vor Haarausfall mit dem Medikament, kommt das oft vor?"),
    ("pt", "Se eu tiver febre depois da injeção, ligo para vocês? Até agora nada"),
    ("pt", "Posso tomar xarope se eu pegar um resfriado?"),
    ("pt", "Tenho medo de ter tontura com esse remédio, é comum?"),
    ("ar", "لو جالي سخونيه بعد الحقنه اعمل ايه؟ لسه ما حصلش"),
    ("ar", "ينفع اخد شراب كحه لو اتبرد؟"),
    ("ar", "خايفه من تساقط الشعر مع الدوا ده، ده بيحصل كتير؟"),
]

# ... but a finding the patient has, even told beside "if" or a worry, is a case.
NOT_HAPPENED_REPORTED = [
    ("en", "I have a rash after the jab, if it spreads should I call you?"),
    ("en", "I was worried about headaches and now I get one every day"),
    ("en", "If I take it at night I get dizzy, should I switch?"),
    ("es", "Tengo fiebre desde la inyección, ¿si sube la aplazo?"),
    ("es", "Tenía miedo de la caída de pelo y ahora se me cae a mechones"),
    ("fr", "J'ai de la fièvre depuis l'injection, si ça monte je vous appelle ?"),
    ("fr", "J'avais peur des vertiges et maintenant j'en ai tous les matins"),
    ("de", "Ich habe Fieber seit der Spritze, falls es steigt, soll ich anrufen?"),
    ("de", "Ich hatte Angst vor Haarausfall und jetzt fallen sie mir büschelweise aus"),
    ("pt", "Estou com febre desde a injeção, se piorar ligo para vocês?"),
    ("pt", "Tinha medo de tontura e agora tenho todo dia"),
    ("ar", "عندي سخونيه من بعد الحقنه، لو زادت اعمل ايه؟"),
    ("ar", "كنت خايفه من الدوخه ودلوقتي بتجيلي كل يوم"),
]


@pytest.mark.parametrize(("lang", "text"), NOT_HAPPENED)
def test_a_hypothetical_finding_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), NOT_HAPPENED_REPORTED)
def test_a_finding_the_patient_has_beside_if_or_a_worry_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_a_bare_worry_word_after_a_finding_stays_a_symptom() -> None:
    # "... and I'm scared": a worry with no object may be the patient's own anxiety.
    assert _lexicon("وأنا خايف ومش قادر انام", "ar").tier != "clear"


def test_a_hypothetical_serious_cue_stays_serious() -> None:
    result = _lexicon("If I can't breathe after the injection, what should I do? Not happened yet", "en")
    assert result.tier == "case" and result.serious


# What the news, the leaflet or other people say, told with a worry or beside "I'm fine": no report.
HEARD_NOT_HAD = [
    ("en", "Saw on the news that these pens can cause gallstones, bit scary. I'm fine myself"),
    ("en", "The leaflet says it can cause hair thinning and I'm worried about that"),
    ("en", "Does this make you constipated? That scares me a bit"),
    ("es", "Vi en las noticias que estas plumas dan cálculos, qué miedo. Yo estoy bien"),
    ("es", "El prospecto dice que puede dar caída de pelo y me da miedo"),
    ("es", "¿Esto da estreñimiento? Me da miedo eso"),
    ("fr", "Vu aux infos que ces stylos donnent des calculs, ça fait peur. Moi ça va"),
    ("fr", "La notice dit que ça peut faire tomber les cheveux, ça me fait peur"),
    ("fr", "Ça constipe, ce traitement ? Ça me fait peur"),
    ("de", "In den Nachrichten kam, dass die Pens Gallensteine machen, macht mir Angst. Mir geht es gut"),
    ("de", "Im Beipackzettel steht Haarausfall, ich habe Angst davor"),
    ("de", "Macht das Verstopfung? Davor habe ich Angst"),
    ("pt", "Vi no jornal que essas canetas dão pedra na vesícula, que medo. Eu estou bem"),
    ("pt", "A bula diz que pode dar queda de cabelo e tenho medo"),
    ("pt", "Isso dá prisão de ventre? Tenho medo disso"),
    ("ar", "شفت في الاخبار ان الاقلام دي بتعمل حصوه في المراره، انا كويسه"),
    ("ar", "النشره مكتوب فيها تساقط الشعر وانا خايفه من ده"),
    ("ar", "الدوا ده بيعمل امساك؟ خايفه من كده"),
]

# ... but what the patient has, told with the news or the leaflet, is a case.
HEARD_REPORTED = [
    ("en", "The leaflet says it can cause hair thinning. I have it now, my hair is coming out in clumps"),
    ("es", "El prospecto dice que puede dar caída de pelo. Yo tengo caída de pelo desde hace un mes"),
    ("fr", "La notice parle de chute de cheveux. J'ai une chute de cheveux depuis un mois"),
    ("de", "Im Beipackzettel steht Haarausfall und mir fallen die Haare büschelweise aus"),
    ("pt", "A bula fala de queda de cabelo. Eu tenho queda de cabelo faz um mês"),
    ("ar", "النشره مكتوب فيها تساقط الشعر وشعري بيقع جامد"),
]


@pytest.mark.parametrize(("lang", "text"), HEARD_NOT_HAD)
def test_what_others_say_with_a_worry_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), HEARD_REPORTED)
def test_what_the_leaflet_says_and_the_patient_has_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A finding from before the treatment, said to be no worse or long over: no new finding.
PRE_EXISTING = [
    ("en", "I've had psoriasis on my knees for years, no worse since the injections"),
    ("en", "Before I started I used to get nosebleeds, but that's long gone"),
    ("es", "Tengo dolor de rodilla desde hace años, ni mejor ni peor con las pastillas"),
    ("es", "Antes de empezar tenía acidez, ya se me pasó hace tiempo"),
    ("fr", "J'ai des douleurs au genou depuis des années, pas pire depuis le traitement"),
    ("fr", "Avant le traitement j'avais des brûlures d'estomac, ça s'est arrangé depuis longtemps"),
    ("de", "Knieschmerzen hab ich seit Jahren, durch die Tabletten nicht schlimmer"),
    ("de", "Vor der Therapie hatte ich oft Sodbrennen, ist schon vor Jahren weg"),
    ("pt", "Tenho dor no joelho há anos, nem melhor nem pior com o remédio"),
    ("pt", "Antes do tratamento eu tinha azia, mas já passou há muito tempo"),
    ("ar", "وجع الركبه عندي من سنين، لا زاد ولا نقص مع الدوا"),
    ("ar", "قبل العلاج كان عندي حموضه، راحت من سنين"),
]

# ... but the illness the same as before (a treatment that does nothing), or a new finding, is a case.
PRE_EXISTING_REPORTED = [
    ("en", "My knee pain is the same as before the treatment, it isn't helping"),
    ("en", "I've had psoriasis for years, no worse, but since the shot I have a new rash on my arms"),
    ("es", "El dolor de rodilla sigue igual que antes del tratamiento, no me hace nada"),
    ("fr", "Mes douleurs sont les mêmes qu'avant le traitement, ça ne marche pas"),
    ("de", "Die Knieschmerzen sind genauso wie vor der Therapie, es hilft nicht"),
    ("pt", "A dor no joelho continua igual a antes do tratamento, não está fazendo efeito"),
    ("ar", "وجع الركبه زي ما هو قبل العلاج، الدوا مش نافع"),
]


@pytest.mark.parametrize(("lang", "text"), PRE_EXISTING)
def test_a_finding_from_before_the_treatment_no_worse_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), PRE_EXISTING_REPORTED)
def test_the_illness_as_before_or_a_new_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A denial of any side effect after a first clause ("three months on it and not one side effect") is a
# deliberate all-clear: the score does not reopen it.
DENIED_ALL = [
    ("en", "Two months on the tablets and not a single side effect, no stomach upset either"),
    ("es", "Dos meses con las pastillas y ni un efecto, nada de estómago"),
    ("fr", "Deux mois de traitement et aucun effet secondaire, pas de souci d'estomac"),
    ("de", "Zwei Monate mit den Tabletten und keinerlei Nebenwirkungen, kein Magendrücken"),
    ("pt", "Dois meses com o remédio e nenhum efeito colateral, nada de estômago"),
    ("ar", "شهرين على الدوا ومفيش اعراض جانبيه خالص، ولا معده ولا حاجه"),
]

# ... but a contrast after the denial still lets the score see what the lexicon may miss.
DENIED_ALL_TURNED = [
    ("en", "No side effects at all, but I keep feeling a bit off"),
    ("es", "Ningún efecto secundario, pero me noto rara"),
]


@pytest.mark.parametrize(("lang", "text"), DENIED_ALL)
def test_a_denial_of_any_side_effect_is_not_reopened(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text
    assert _strongly_scored().screen(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), DENIED_ALL_TURNED)
def test_a_denial_turned_by_but_may_be_reopened(lang: str, text: str) -> None:
    assert _strongly_scored().screen(text, lang).tier != "clear", text
