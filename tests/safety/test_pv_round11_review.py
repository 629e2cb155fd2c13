"""Round 11 of issue #13 (branch round11-review): what sends a negative to the review tier.

About 40 % of the false alarms on blind sets 10-12 were reviews, most of them a clear the lexicon reached by
setting its findings aside, then reopened by the per-language review threshold because the clear was not
deliberate. Four mechanisms, each for the shape of a sentence and every language:

1. A finding a figure of speech masks ("the insurance forms give me a headache") leaves a clear as deliberate
   as a stated non-medical cause: only a strong score (``reopen_denied``) reopens it.
2. A finding the patient counts as better, fewer or smaller than before (better since the treatment, a count
   that fell, a symptom said to have decreased, a moderate weight loss told as good news, as it always was in
   a message that does not talk of the treatment) likewise, unless the improvement word is also a loss word
   ("gone", "ya no").
3. A treatment link goes with the settled finding it tied ("the redness after the second shot that I
   reported has not come back"): the weak signal keeps its finding's scope.
4. A body part named alone ("my period") is settled by good news later in its sentence, with no contrast
   word between.

Each family keeps a finding of the patient's own told beside it ("..., but since the new dose I get
palpitations"). The sentences are our own probes.
"""

from __future__ import annotations

import pytest

from bot.safety.screener import Screener
from tests.safety.probes import fixed_score_screener, lexicon, lexicon_screener


def _scored(score: float) -> Screener:
    """A screener whose score is always ``score``: an openable clear reopens at 0.5, a denied one at 0.9."""
    return fixed_score_screener(score, reopen_denied=0.9)


def _deliberate(text: str, lang: str) -> str:
    return lexicon_screener().verdict(text, lang)[1]


# 1. Figures of speech: the cause is plainly not medical.
FIGURES = [
    ("en", "The hold music on your hotline gives me a headache every single time"),
    ("en", "Honestly the insurance forms are making me sick, three pages for one refill"),
    ("es", "la burocracia del seguro me provoca dolor de cabeza, otra vez un formulario"),
    ("fr", "les formulaires de la mutuelle me filent la migraine"),
    ("fr", "le service client m'a donné mal à la tête, quarante minutes d'attente"),
    ("de", "die Formulare von der Krankenkasse machen mir Kopfschmerzen"),
    ("de", "die Warteschleife der Hotline macht mich krank"),
    ("pt", "a papelada do seguro está me dando dor de cabeça"),
    ("pt", "a fila de espera da linha de apoio me deixa doente"),
    ("ar", "الأوراق بتاعة التأمين جابتلي صداع"),
    ("ar", "خدمة العملاء جابتلي وجع راس، ساعة وانا مستني"),
]

# ... beside a finding of the patient's own tied to the treatment: a case.
FIGURES_AND_A_FINDING = [
    ("en", "The insurance forms are making me sick, and since the last injection I have a rash on my arm"),
    ("es", "la burocracia me da dolor de cabeza, y desde la última inyección tengo ronchas en el brazo"),
    ("fr", "les formulaires me filent la migraine, et depuis la dernière injection j'ai des plaques au bras"),
    ("de", "die Formulare machen mir Kopfschmerzen, und seit der letzten Spritze habe ich Ausschlag am Arm"),
    ("pt", "a papelada me dá dor de cabeça, e desde a última injeção estou com manchas no braço"),
    ("ar", "الأوراق جابتلي صداع، ومن ساعة آخر حقنة طلعلي طفح في دراعي"),
]

# 2. Fewer or smaller than before.
LESSENED = [
    ("en", "migraine days went from 9 a month to 2"),
    ("en", "my knee pain has halved over the last weeks"),
    ("en", "lost 3 kilos this month, the nurse was really pleased"),
    ("es", "2 migrañas este mes en vez de 9"),
    ("es", "el dolor de rodilla ha disminuido muchísimo estas semanas"),
    ("es", "bajé 3 kilos este mes, la enfermera quedó contenta"),
    ("fr", "2 migraines ce mois-ci au lieu de 9"),
    ("fr", "j'ai perdu 3 kilos ce mois-ci, l'infirmière était contente"),
    ("de", "die Knieschmerzen sind in den letzten Wochen viel weniger geworden"),
    ("pt", "2 enxaquecas este mês em vez de 9"),
    ("pt", "perdi 3 quilos este mês, a enfermeira ficou contente"),
    ("ar", "نزلت ٣ كيلو الشهر ده والممرضة كانت مبسوطة"),
    # better since the treatment
    ("en", "my back pain got much better since I started the injections"),
    ("es", "el dolor de espalda mejoró mucho desde que empecé las inyecciones"),
    ("fr", "mes douleurs au dos vont beaucoup mieux depuis que j'ai commencé les injections"),
    ("de", "meine Rückenschmerzen sind viel besser, seit ich mit den Spritzen angefangen habe"),
    ("pt", "a dor nas costas melhorou muito desde que comecei as injeções"),
    ("ar", "وجع ضهري بقى أحسن بكتير من ساعة ما بدأت الحقن"),
    # as it always was, in a message that does not talk of the treatment
    ("en", "my knees creak in the damp weather as always, nothing new there"),
    ("es", "el dolor de rodillas con la humedad, como siempre, nada nuevo"),
    ("fr", "la fatigue de ma sclérose en plaques, comme d'habitude, rien de nouveau"),
    ("de", "die Knie knirschen bei Kälte wie immer, nichts Neues"),
    ("pt", "a dor nos joelhos é a de sempre, nada de novo"),
    ("ar", "ركبي بتوجعني مع البرد زي كل سنة، مفيش جديد"),
]

# ... beside a new finding after a contrast, or a weight loss too large to be the expected effect: a case.
LESSENED_AND_A_FINDING = [
    (
        "en",
        "Migraine attacks went from eight a month to two, but since the new dose I get palpitations at night",
    ),
    (
        "es",
        "los ataques de migraña pasaron de ocho al mes a dos, pero desde la nueva dosis tengo palpitaciones",
    ),
    (
        "fr",
        "les crises sont passées de huit par mois à deux, mais depuis la nouvelle dose j'ai des palpitations",
    ),
    (
        "de",
        "die Migräneanfälle sind von acht auf zwei gesunken, aber seit der neuen Dosis habe ich Herzrasen",
    ),
    ("pt", "as crises passaram de oito por mês para duas, mas desde a nova dose tenho palpitações"),
    ("ar", "النوبات نزلت من تمانية لاتنين، بس من ساعة الجرعة الجديدة عندي خفقان"),
    ("en", "lost 12 kilos in a month without trying, the nurse was pleased"),
    ("en", "my back pain got much better since I started the injections, but now my ankles are swollen"),
    ("pt", "a dor nas costas melhorou desde que comecei as injeções, mas agora tenho tonturas"),
    ("en", "my knees creak as always, nothing new. But since the last shot I have a rash on my arms"),
    # as always beside the treatment: it may do nothing
    ("en", "the migraines are as bad as always even on the tablets"),
    ("de", "Kopfschmerzen wie immer, obwohl ich die Tabletten nehme"),
    ("es", "los dolores de cabeza siguen como siempre aunque tomo las pastillas"),
    # an improvement word that is also a loss word tells of a function lost
    ("en", "my appetite is gone since I started the injections"),
    ("es", "ya no tengo apetito desde que empecé las inyecciones"),
]


@pytest.mark.parametrize(("lang", "text"), FIGURES + LESSENED)
def test_a_clear_set_aside_this_way_is_deliberate(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "clear", text
    assert _deliberate(text, lang) == "denied", text
    assert _scored(0.85).screen(text, lang).tier == "clear", text  # above every review threshold
    assert _scored(0.95).screen(text, lang).tier == "review", text  # a strong score still reopens it


@pytest.mark.parametrize(("lang", "text"), FIGURES_AND_A_FINDING + LESSENED_AND_A_FINDING)
def test_a_finding_of_the_patients_own_beside_it_stays_a_case(lang: str, text: str) -> None:
    result = _scored(0.0).screen(text, lang)
    assert result.tier == "case" and result.escalate, text


def test_a_term_that_holds_its_own_cause_does_not_make_the_clear_deliberate() -> None:
    # the lexicon wrote "lost my job because of it" as a finding: the mask stays, the clear stays openable
    text = "not sure it's related but I lost my job because of it"
    assert _deliberate(text, "en") != "denied"
    assert _scored(0.85).screen(text, "en").tier != "clear"


# 3. A settled finding takes its treatment link with it.
SETTLED = [
    ("en", "The redness after the second shot that I reported last month hasn't come back"),
    ("es", "El enrojecimiento después de la segunda inyección, que ya les reporté, no ha vuelto"),
    ("de", "Die Rötung nach der zweiten Spritze, die ich Ihnen gemeldet hatte, ist nicht wiedergekommen"),
    ("ar", "الاحمرار بعد الحقنة التانية اللي بلغتكم عنه مارجعش تاني"),
]

SETTLED_AND_A_NEW_EVENT = [
    (
        "en",
        "The itching after the first shot that I told the nurse about has gone, but now I get dizzy",
    ),
    (
        "es",
        "El sarpullido que ya reporté se fue, pero me arde la piel desde el último pinchazo",
    ),
    (
        "fr",
        "Les nausées du premier comprimé, déjà signalées, sont passées, mais depuis hier j'ai des vertiges",
    ),
    (
        "de",
        "Die Rötung nach der Spritze, die ich gemeldet hatte, ist weg, aber seit Montag hab ich Kopfweh",
    ),
]


@pytest.mark.parametrize(("lang", "text"), SETTLED)
def test_a_settled_findings_link_is_no_weak_signal(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), SETTLED_AND_A_NEW_EVENT)
def test_a_new_event_after_the_settled_one_stays_a_case(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "case", text


# A recurrence asked about keeps its link, which is what puts it in front of an officer: no cue marks "again".
RECURRENCES = [
    ("fr", "Si je vomis encore après le comprimé comme hier, je le reprends ?"),
    ("de", "Wenn mir wieder so schwindelig wird wie nach der letzten Spritze, was soll ich tun?"),
    ("pt", "Se a dor de cabeça depois da injeção voltar, o que faço? Semana passada foi forte"),
    ("es", "Si me vuelve el mareo de después de la inyección, ¿qué hago? Ayer fue muy fuerte"),
]


@pytest.mark.parametrize(("lang", "text"), RECURRENCES)
def test_a_recurrence_asked_about_stays_in_review(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "review", text


# 4. A body part named alone, settled by good news later in its sentence.
BODY_SETTLED = [
    ("en", "my period came on time this month, so I'm relieved"),
    ("fr", "mes règles sont arrivées à l'heure, je suis soulagée"),
    ("de", "meine Periode kam pünktlich, bin erleichtert"),
    ("pt", "minha menstruação veio no dia certo, fiquei aliviada"),
]

BODY_WITH_A_CONTRAST = [
    ("en", "my period came on time, but my legs have been swelling since the new pill"),
    ("de", "meine Tage kamen pünktlich, aber meine Beine sind seit der neuen Pille geschwollen"),
]


@pytest.mark.parametrize(("lang", "text"), BODY_SETTLED)
def test_a_body_part_settled_by_good_news_is_no_weak_signal(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), BODY_WITH_A_CONTRAST)
def test_a_contrast_keeps_the_body_part_a_finding(lang: str, text: str) -> None:
    assert lexicon(text, lang).tier == "case", text
