"""Round 9 of issue #13 (branch round9-psytar): English recall on patient-review wording.

The families come from what the lexicon screen missed and flagged on PsyTAR *train* (English drug reviews);
PsyTAR dev was only measured. The general families are written in all six languages. Every sentence here is
our own probe, not a review's: each family must hold for wordings nobody tuned on, and each has hard negatives
beside the positives that must stay reported.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# "never ... before / until" tells of something new: the negation does not deny it.
NEVER_BEFORE = [
    ("en", "I had never had a single migraine until the second injection"),
    ("en", "never had heartburn before this tablet"),
    ("en", "I have never been this bloated before"),
    ("es", "nunca había tenido urticaria antes de la inyección"),
    ("fr", "je n'avais jamais eu de vertiges avant ce traitement"),
    ("de", "ich hatte nie Sodbrennen vorher, erst seit dem Pen"),
    ("pt", "nunca tive enjoo antes do remédio"),
    ("ar", "عمري ما جاني صداع قبل الحقنه"),
    # any denial followed by "until I / hasta que" tells when it began
    ("en", "I didn't have any stomach cramps until I doubled the dose"),
    ("es", "no tuve mareos hasta que subieron la dosis"),
    ("fr", "je n'avais pas de vertiges jusqu'à ce que la dose augmente"),
    ("de", "keine Kopfschmerzen bis zur dritten Spritze"),
    ("pt", "não tive enjoo até que aumentaram a dose"),
    ("ar", "ما كان عندي صداع لحد ما زودوا الجرعه"),
]

# ... but "never" alone is still a denial, and "before" in another clause changes nothing.
NEVER_DENIED = [
    ("en", "I never get headaches on it"),
    ("en", "never had any rash, I take it before breakfast"),
    ("es", "nunca tuve mareos con esto"),
    ("fr", "jamais eu de nausées avec ce traitement"),
    ("de", "nie Kopfschmerzen gehabt"),
    ("pt", "nunca tive tontura com ele"),
    # "until now" / "bis jetzt" means "so far"
    ("en", "no side effects until now"),
    ("de", "nie Kopfschmerzen bis jetzt"),
]

# Discontinuation that fails or hurts (withdrawal told as trouble stopping).
FAILED_DISCONTINUATION = [
    ("en", "three attempts now and I still can't get off these tablets"),
    ("en", "the effects of coming off it were brutal for a fortnight"),
    ("en", "it is the hardest thing to come off, I have tried twice"),
    ("es", "me cuesta muchísimo dejarlo, lo intenté dos veces"),
    ("fr", "impossible d'arrêter ce médicament, j'ai essayé deux fois"),
    ("de", "ich komme von den Tabletten einfach nicht davon los"),
    ("pt", "não consigo largar o remédio de jeito nenhum"),
    ("ar", "مش قادر ابطله كل مره احاول"),
]

# A function lost: driving, work, attention.
LOST_FUNCTIONS = [
    ("en", "the first week I was too drowsy to drive anywhere"),
    ("en", "I couldn't go to work for most of the month on it"),
    ("en", "my attention span is awful since the higher dose"),
    ("en", "I'd read a page and forget what I just read"),
    ("es", "la primera semana no podía manejar, me dormía"),
    ("fr", "je n'ai pas pu conduire pendant dix jours"),
    ("de", "ich konnte eine Woche lang nicht Auto fahren"),
    ("pt", "não conseguia dirigir nos primeiros dias"),
    ("ar", "ما قدرت اسوق اول اسبوع"),
]

# Emotional blunting and loss of interest.
BLUNTING = [
    ("en", "nothing excites me any more, not even my hobbies"),
    ("en", "I stopped caring about my friends and my garden"),
    ("en", "I have no passion left for music since the increase"),
    ("es", "nada me emociona desde que lo tomo"),
    ("fr", "plus aucune émotion depuis que je le prends"),
    ("de", "mir ist alles egal seit der Umstellung"),
    ("pt", "nada me anima desde que comecei"),
    ("ar", "ما عاد يهمني شي من وقت الدوا"),
]

# Too little or too much sleep, told by the hours.
SLEEP_HOURS = [
    ("en", "slept 3 hours a night all week"),
    ("en", "I've been sleeping 14 hours and still tired"),
    ("es", "dormí 2 horas anoche con la pastilla"),
    ("fr", "dormi 3 heures cette nuit, encore"),
    ("de", "nur 3 Stunden geschlafen seit der Spritze"),
    ("pt", "dormi 2 horas essa noite"),
    ("ar", "نمت ساعتين بس امبارح"),
]

# No improvement seen, tolerance, the illness as before (lack of efficacy).
NO_IMPROVEMENT = [
    ("en", "two months in and I have not seen any real improvement"),
    ("en", "it worked at first, then my mood sank again"),
    ("en", "I'm just as depressed as when I started"),
    ("en", "nothing seems to help with the low mood"),
    ("es", "no he notado ninguna mejoría en dos meses"),
    ("fr", "je n'ai vu aucune différence en deux mois"),
    ("de", "keinen Unterschied bemerkt nach acht Wochen"),
    ("pt", "não vi melhora nenhuma em dois meses"),
    ("ar", "ما شفت اي تحسن من شهرين"),
]

# Disliking a symptom is no denial of it.
DISLIKED = [
    ("en", "I don't like the dizziness it gives me"),
    ("es", "no me gusta el mareo que me da"),
    ("fr", "j'aime pas les vertiges que ça me donne"),
    ("pt", "não gosto da tontura que ele me dá"),
    ("ar", "ما حبيت الدوخه اللي بتجيني منه"),
]

# Everyday names of reactions and their common misspellings.
EVERYDAY_WORDS = [
    ("en", "dilated pupils all evening since the dose went up"),
    ("en", "so much diahrrea the first week"),
    ("en", "feel nautious after every dose"),
    ("en", "I'm so listless and my brain is fuzzy"),
    ("en", "racing thoughts every night since I started"),
    ("en", "constant jaw clenching since the increase"),
    ("en", "my blood pressure has increased on it"),
    ("en", "I snapped at my kids over nothing all week"),
    ("en", "haven't pooed in four days on these"),
    ("es", "no hago caca desde hace cuatro días"),
    ("pt", "faz quatro dias que não faço cocô"),
    ("ar", "ما دخلت الحمام من اربع ايام"),
    ("en", "😣 my back"),
    ("en", "my mind goes blank mid-sentence on these"),
    ("en", "my periods stopped after the second month"),
]

# A relative's finding with "the only thing new is ..." (a treatment the lexicon may not know by name).
ONLY_THING_NEW = [
    ("en", "Dad keeps getting nosebleeds, the only thing new is the Zentrava"),
    ("es", "mi padre sangra por la nariz, lo único nuevo es el Zentrava"),
    ("fr", "mon père saigne du nez, la seule nouveauté c'est le Zentrava"),
    ("de", "Papa hat ständig Nasenbluten, das einzig neue ist das Zentrava"),
    ("pt", "meu pai sangra pelo nariz, a única coisa nova é o Zentrava"),
    ("ar", "ابويا بينزف من مناخيره، الشي الوحيد الجديد هو الزنترافا"),
]

# ... without it, a relative's everyday illness stays theirs.
RELATIVE_ONLY = [
    ("en", "my husband has a nosebleed, can you deliver tomorrow instead?"),
    ("en", "the pharmacy lost my order again 😩"),
    ("en", "I take it for my hypertension, refill due Friday"),
    ("en", "how do I inject without hurting myself?"),
    ("en", "our leaflet mentions agranulocytosis, what does it look like?"),
    ("fr", "la notice parle de rhabdomyolyse, ça se voit comment ?"),
    ("pt", "a bula fala em sepse, o que é isso?"),
]

# Hard negatives: good news after a feeling, worries, comparisons, the treatment itself started, therapy
# beside it, "can't think of", and a question about a missed dose.
CLEAR = [
    ("en", "I feel hopeful and calmer than last year"),
    ("en", "I feel more alert and focused at work"),
    ("en", "I worry about the side effects of this medication"),
    ("en", "I'm scared of the withdrawal everybody talks about"),
    ("en", "it has fewer side effects than the last one"),
    ("en", "I started taking it on my doctor's advice last month"),
    ("en", "along with therapy it has given me my life back"),
    ("en", "I get along with my colleagues much better now"),
    ("en", "I can't think of a single side effect"),
    ("en", "what happens if I miss a dose?"),
    ("en", "I've been searching for the side effects online before I start"),
    ("en", "I don't seem to have any serious side effects so far"),
    ("en", "I can't say I've had any headaches on it"),
    ("es", "me preocupan los efectos secundarios"),
    ("es", "tiene menos efectos secundarios que el anterior"),
    ("es", "no siento nada malo, todo bien"),
    ("fr", "j'ai peur des effets secondaires"),
    ("fr", "que faire si j'oublie une dose ?"),
    ("de", "ich habe Angst vor Nebenwirkungen"),
    ("de", "was passiert, wenn ich eine Dosis vergesse?"),
    ("pt", "tenho medo dos efeitos colaterais"),
    ("ar", "خايف من الاعراض الجانبيه"),
]

# ... and the same worries with a finding stay reported.
WORRY_WITH_FINDING = [
    ("en", "I worry about the side effects, I've had a headache for three days"),
    ("es", "tengo miedo a los efectos secundarios, ayer tuve mareos"),
    ("en", "since I started taking it my stomach hurts"),
    ("en", "I've been searching for the side effects online, I get headaches every day since the jab"),
    ("en", "I started taking ibuprofen for the pain"),
    ("en", "the leaflet lists tachycardia and I have had it since Monday"),
]


# Clinical names of reactions (a patient quoting a letter), and important medical events as serious.
CLINICAL = [
    ("en", "the cardiologist says it's tachycardia from the tablets"),
    ("es", "el médico dice que tengo parestesias desde la inyección"),
    ("fr", "le médecin a parlé de paresthésies depuis le traitement"),
    ("de", "laut Arzt eine Tachykardie seit der Spritze"),
    ("pt", "o médico disse que é parestesia por causa do remédio"),
    ("ar", "الدكتور قال عندي تسارع ضربات القلب من الدوا"),
]
CLINICAL_SERIOUS = [
    ("en", "they admitted me with pancreatitis after the third pen"),
    ("es", "me diagnosticaron pancreatitis después de la tercera dosis"),
    ("fr", "on m'a trouvé une pancréatite après la troisième dose"),
    ("de", "Pankreatitis nach der dritten Spritze"),
    ("pt", "tive pancreatite depois da terceira dose"),
    ("ar", "جالي التهاب البنكرياس بعد الجرعه التالته"),
    # a hope or a fear of self-harm said with "without"
    ("en", "I just hope I get through this month without killing myself"),
    ("es", "ojalá salga de esta sin suicidarme"),
    ("fr", "j'espère tenir sans me suicider"),
    ("de", "ich hoffe, ich komme da durch, ohne mich umzubringen"),
    ("pt", "espero aguentar sem me matar"),
    ("ar", "ان شاء الله اعدي الفتره دي من غير ما اقتل نفسي"),
]


@pytest.mark.parametrize(("lang", "text"), CLINICAL)
def test_a_clinical_name_of_a_reaction_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), CLINICAL_SERIOUS)
def test_a_clinical_name_of_an_important_event_is_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, text


@pytest.mark.parametrize(("lang", "text"), NEVER_BEFORE)
def test_never_before_is_news_not_a_denial(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NEVER_DENIED)
def test_never_alone_is_still_a_denial(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(
    ("lang", "text"), FAILED_DISCONTINUATION + LOST_FUNCTIONS + BLUNTING + SLEEP_HOURS + EVERYDAY_WORDS
)
def test_review_wording_of_a_reaction_is_reported(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier in ("case", "review"), text


@pytest.mark.parametrize(("lang", "text"), ONLY_THING_NEW)
def test_a_relatives_finding_with_the_only_new_thing_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), RELATIVE_ONLY)
def test_a_relatives_illness_or_a_sigh_alone_is_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), NO_IMPROVEMENT)
def test_no_improvement_seen_is_lack_of_efficacy(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "lack_of_efficacy" in result.situations, text


@pytest.mark.parametrize(("lang", "text"), DISLIKED)
def test_disliking_a_symptom_is_no_denial(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), CLEAR)
def test_good_feelings_worries_and_comparisons_are_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), WORRY_WITH_FINDING)
def test_a_worry_or_a_start_with_a_finding_stays_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text
