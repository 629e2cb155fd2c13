"""Round 11 of issue #13 (specificity, French and Arabic): the false alarms of blind set 12 (spent) and of
the spent sets before it, sorted by the shape of the sentence, each family with hard cases that must stay
reported.

The sentences are our own probes, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import fixed_score_screener
from tests.safety.probes import lexicon as _lexicon

# A stated non-medical cause: an illness going round a group, a party or a short night told as the cause, a
# match or a knock, travel, or the patient who sets the treatment aside.
OTHER_CAUSE = [
    ("fr", "Tout le monde est malade au boulot, ça tousse de partout, et je tousse depuis hier"),
    ("fr", "Les enfants l'ont ramené de l'école, j'ai le nez qui coule et mal à la gorge"),
    ("fr", "Grosse migraine ce matin, on a fait la fête jusqu'à 4h pour le réveillon"),
    ("fr", "Courbatures partout après la séance de sport d'hier, je suis cassée"),
    ("fr", "Un bleu énorme sur la cuisse, un coup de pied pendant le match de hand"),
    ("fr", "Fatiguée et vaseuse, retour de voyage hier soir avec 9h de décalage"),
    ("fr", "Le genou gonflé, aucun rapport avec le traitement, je l'ai cogné au basket"),
    ("ar", "كلنا مرضانين في البيت بالزكام، وعندي كحه من امبارح"),
    ("ar", "العدوى منتشره في الشغل، عندي رشح والتهاب بالزور"),
    ("ar", "عندي صداع قوي لاني سهرت في عرس اختي لين الفجر"),
    ("ar", "ظهري يوجعني من الماتش امبارح، اتخبطت مع واحد"),
    ("ar", "راسي تقيل ودايخ شوي من السفر، فرق التوقيت تعبني"),
    ("ar", "ركبتي منفوخه شوي، ملوش دعوه بالعلاج، اتخبطت في الباب"),
]

# ... but a finding tied to the treatment, a serious event, or the patient's own new finding beside another
# person's stays reported.
OTHER_CAUSE_REPORTED = [
    ("fr", "On a fait la fête samedi, mais depuis la piqûre de lundi j'ai des vertiges tous les jours"),
    ("fr", "Ma voisine a eu des plaques avec ce traitement, et maintenant moi aussi j'ai des plaques"),
    ("fr", "Retour de voyage hier, et depuis la dernière injection j'ai des palpitations"),
    ("ar", "سهرنا في عرس بس من بعد الحقنه عندي دوخه كل يوم"),
    ("ar", "جارتي طلعلها طفح من الدوا ده ودلوقتي انا كمان طلعلي طفح على ايدي"),
]

OTHER_CAUSE_SERIOUS = [
    ("fr", "Toute la famille est malade, et moi on m'a emmené aux urgences en ambulance cette nuit"),
    ("ar", "كلنا مرضانين في البيت، وانا دخلت المستشفى امبارح بسبب ضيق في التنفس"),
]

# The illness the treatment is for (its indication), or there long before it: no new finding.
INDICATION = [
    ("fr", "Ces plaques aux jambes, c'est pour ça qu'on me donne la pommade, elles étaient déjà là avant"),
    ("fr", "Mon eczéma, c'est pour ça le traitement, il était déjà là bien avant"),
    ("fr", "La raideur des doigts, celle qui m'a fait commencer les comprimés, ça date de mes 30 ans"),
    ("ar", "الحكه اللي في ايدي هي سبب الكريم، من ساعة التشخيص وهي كده"),
    ("ar", "وجع المفاصل اللي باخد الدوا عشانه، ده من زمان قبل العلاج"),
    ("ar", "الكحه عندي من قبل ما نبدا العلاج بسنين، ما تبدلت"),
]

INDICATION_REPORTED = [
    ("fr", "Mon eczéma, c'est pour ça le traitement, mais depuis la piqûre j'ai des nausées"),
    ("ar", "الحكه هي سبب الكريم، بس من ساعة الحقنه عندي دوخه"),
]

# A worry about what did not happen, told with "in the end nothing".
WORRY_NOT_HAPPENED = [
    ("fr", "J'avais peur d'avoir des nausées avec la nouvelle dose, finalement rien"),
    ("fr", "J'ai eu peur d'avoir des nausées avec le nouveau stylo mais tout s'est bien passé"),
    ("fr", "Je craignais des maux de tête après la perfusion, mais rien, ça s'est très bien passé"),
]

WORRY_HAPPENED = [
    ("fr", "J'avais peur d'avoir des nausées et j'en ai eu toute la journée après la piqûre"),
    ("fr", "J'ai eu peur de faire une allergie, et j'ai eu des plaques rouges partout après la perfusion"),
]

# Before the first dose, or a general question about the risk.
NOT_STARTED_OR_GENERAL = [
    ("fr", "Est-ce que ça donne des vertiges ? Je commence jeudi"),
    ("fr", "Quels effets indésirables sont possibles avec ce stylo ? Première injection lundi"),
    ("fr", "Quel est le vrai risque de zona avec ce traitement ?"),
    ("fr", "Peut-on devenir dépendant à ces comprimés ?"),
    ("ar", "شو نسبه تساقط الشعر مع الحقن؟"),
    ("ar", "ايش هي الاعراض الجانبيه للحبوب؟ ابدا يوم الخميس"),
]

# Someone else on another medicine, or on none of the programme's.
ANOTHER_DRUG = [
    ("fr", "Mon frère a des crampes avec un autre traitement pour le cœur"),
    ("fr", "Ma collègue perd ses cheveux sous un autre médicament, c'est courant ?"),
    ("fr", "Mon mari a une bronchite, il n'est sous aucun traitement chez vous, je serai en retard"),
    ("ar", "ابويا بياخد علاج تاني للضغط وعنده دوخه"),
]

ANOTHER_DRUG_REPORTED = [
    ("fr", "Mon frère prend un autre traitement, moi depuis votre stylo j'ai des crampes la nuit"),
    ("ar", "اختي بتاخد دوا تاني، وانا من ساعة الحقنه عندي دوخه"),
]

# Figures of speech: dying of laughter, "this will kill me", a stroke from a bill, a line that rings out.
FIGURES = [
    ("fr", "Ma fille était morte de rire en me voyant danser"),
    ("fr", "Ces embouteillages vont finir par me tuer 😂"),
    ("fr", "La facture de l'électricien, j'ai failli faire une crise en l'ouvrant"),
    ("fr", "J'appelle la pharmacie depuis ce matin, ça sonne dans le vide"),
    ("ar", "صاحبتي كانت هتموت من الضحك على النكته"),
    ("ar", "الفاتوره دي هتجيبلي جلطه والله 😂"),
]

# An event already told to the programme and now over (Arabic inflections of "I told you", "recorded").
TOLD_AND_OVER = [
    ("ar", "الدوخه اللي ابلغتكم عنها الاسبوع اللي فات راحت خلاص"),
    ("ar", "الحكه اللي حكيتلك عنها خفت، والممرضه سجلتها"),
    ("ar", "الطفح اللي اتبلغ عنه الشهر الماضي زال تماما"),
]

TOLD_AND_NOT_OVER = [
    ("ar", "الدوخه اللي ابلغتكم عنها رجعت تاني"),
    ("ar", "الحكه اللي حكيتلك عنها خفت بس دلوقتي عندي سخونيه"),
]


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE)
def test_a_stated_non_medical_cause_explains_the_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE_REPORTED)
def test_a_cause_beside_a_finding_tied_to_the_treatment_stays_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), OTHER_CAUSE_SERIOUS)
def test_a_cause_never_clears_a_serious_event(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious and result.escalate, text


@pytest.mark.parametrize(("lang", "text"), INDICATION)
def test_the_illness_the_treatment_is_for_is_no_new_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), INDICATION_REPORTED)
def test_a_new_finding_after_the_indication_stays_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), WORRY_NOT_HAPPENED)
def test_a_worry_that_did_not_happen_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), WORRY_HAPPENED)
def test_a_worry_that_came_true_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NOT_STARTED_OR_GENERAL)
def test_a_general_question_or_one_before_the_first_dose_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ANOTHER_DRUG)
def test_someone_else_on_another_medicine_is_not_the_patient(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ANOTHER_DRUG_REPORTED)
def test_the_patients_own_finding_beside_someone_elses_medicine_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), FIGURES)
def test_a_figure_of_speech_is_no_report(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "clear" and not result.serious, text


@pytest.mark.parametrize(("lang", "text"), TOLD_AND_OVER)
def test_an_event_told_before_and_over_is_an_update(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), TOLD_AND_NOT_OVER)
def test_a_told_event_back_or_a_new_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A clear left by a figure of speech, a decrease or a smaller count is deliberate like a denial: a middling
# score does not reopen it, a strong one does.
MASKED_CLEARS = [
    ("fr", "Ce formulaire me donne mal à la tête rien qu'à le lire"),
    ("fr", "Mes crises de migraine ont diminué de moitié depuis le stylo"),
    ("fr", "Deux crises ce mois-ci au lieu de huit"),
    ("ar", "الفاتوره دي جابتلي وجع راس"),
]


@pytest.mark.parametrize(("lang", "text"), MASKED_CLEARS)
def test_a_masked_clear_is_reopened_only_by_a_strong_score(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text
    middling = fixed_score_screener(0.8, reopen_denied=0.9).screen(text, lang)
    strong = fixed_score_screener(0.95, reopen_denied=0.9).screen(text, lang)
    assert middling.tier == "clear", text
    assert strong.tier == "review", text


# A question followed by hearsay ("I heard it from my cousins"): a general question, unless the patient tells
# their own finding in the question.
HEARSAY_AFTER_QUESTION = [
    ("fr", "Ces comprimés font perdre les cheveux ? J'ai lu ça sur un forum"),
    ("fr", "Les piqûres donnent des crampes ? On m'a dit ça à la pharmacie"),
    ("ar", "الحبوب دي بتعمل صداع؟ سمعت كده من جارتي"),
    ("en", "Do these tablets cause hair loss? I read it on a forum"),
]

HEARSAY_AFTER_QUESTION_REPORTED = [
    ("fr", "J'ai des crampes, c'est les piqûres ? J'ai lu que ça arrive"),
    ("ar", "عندي صداع كل يوم، ده من الحبوب؟ سمعت كده من جارتي"),
]


@pytest.mark.parametrize(("lang", "text"), HEARSAY_AFTER_QUESTION)
def test_a_question_followed_by_hearsay_is_general(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), HEARSAY_AFTER_QUESTION_REPORTED)
def test_the_patients_own_finding_in_the_question_stays_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A test done, told with good news: no care-seeking; a finding beside it, or care that is no test, stays.
TEST_GOOD_NEWS = [
    ("fr", "Prise de sang faite ce matin, tout est normal 👍"),
    ("ar", "عملت التحاليل امبارح، كله تمام الحمد لله"),
    ("en", "Had my blood test on Monday, all fine"),
]

TEST_GOOD_NEWS_REPORTED = [
    ("fr", "Prise de sang faite ce matin, tout est normal mais j'ai toujours des vertiges"),
    ("ar", "عملت التحاليل، كله تمام بس عندي دوخه من الحقنه"),
]


@pytest.mark.parametrize(("lang", "text"), TEST_GOOD_NEWS)
def test_a_test_told_with_good_news_is_no_care_seeking(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), TEST_GOOD_NEWS_REPORTED)
def test_a_finding_beside_the_test_stays_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_a_pregnancy_years_ago_is_no_exposure_but_one_now_is() -> None:
    past = _lexicon("Mes cheveux sont fins depuis ma grossesse il y a 6 ans, rien de neuf", "fr")
    assert "pregnancy" not in past.situations
    now = _lexicon("Je suis enceinte de 8 semaines, j'ai arrêté la pilule il y a 2 ans", "fr")
    assert now.tier == "case" and "pregnancy" in now.situations


# Still there but milder ("still my cramps, but far less strong"): efficacy, even when "still" opens the
# sentence; not after the treatment was stopped.
STILL_BUT_MILDER = [
    ("fr", "Toujours des crampes le soir, mais bien moins fortes"),
    ("fr", "Encore quelques plaques sur les bras, mais beaucoup plus pâles"),
    ("ar", "بعدها الحكه موجوده بس صارت اخف بكتير"),
]


@pytest.mark.parametrize(("lang", "text"), STILL_BUT_MILDER)
def test_still_there_but_milder_is_efficacy(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


def test_milder_since_stopping_is_a_dechallenge() -> None:
    text = "Toujours des crampes le soir, mais bien moins fortes depuis que j'ai arrêté le traitement"
    assert _lexicon(text, "fr").tier == "case"


# An everyday stress named as the cause (an interview, an exam, work).
STRESS_CAUSE = [
    ("fr", "Mal au ventre toute la matinée, j'avais un entretien d'embauche à 10h"),
    ("ar", "معدتي توجعني من الامتحان، ادعولي"),
]


@pytest.mark.parametrize(("lang", "text"), STRESS_CAUSE)
def test_an_everyday_stress_named_as_the_cause_explains_the_finding(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


def test_a_moderate_expected_weight_loss_is_reopened_only_by_a_strong_score() -> None:
    text = "J'ai perdu 3 kg ce mois-ci avec le stylo, ma diététicienne est contente"
    assert fixed_score_screener(0.8, reopen_denied=0.9).screen(text, "fr").tier == "clear"
    assert fixed_score_screener(0.95, reopen_denied=0.9).screen(text, "fr").tier == "review"


def test_a_document_that_does_not_work_is_paperwork_but_the_medicine_is_not() -> None:
    assert _lexicon("الكوبون مش شغال في الصيدليه", "ar").tier == "clear"
    medicine = _lexicon("الدوا مش شغال معايا خالص", "ar")
    assert medicine.tier == "case" and "lack_of_efficacy" in medicine.situations


def test_not_present_after_a_result_negates_it() -> None:
    assert _lexicon("نتيجة التحليل: الفيروس مش موجود، الحمد لله", "ar").tier == "clear"
    assert _lexicon("عندي سخونيه ووجع في الزور من امبارح", "ar").tier == "case"
