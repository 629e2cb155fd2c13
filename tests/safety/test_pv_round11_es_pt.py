"""Round 11 of issue #13 (specificity, Spanish and Portuguese): the causes of blind set 12's false alarms in
es and pt, each written as a shape (who, when, whether, why) and tested with our own new wordings, plus the
hard cases that must still be reported.

The sentences are our own probes, not the sets': each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.safety import Screener
from tests.safety.probes import lexicon as _lexicon


@lru_cache(maxsize=1)
def _strongly_scored() -> Screener:
    """A score of 1.0 reopens every clear but a deliberate aside (someone else's, history, an all-clear)."""
    return Screener(scorer=lambda _text, _lang: 1.0, review_threshold=0.5, reopen_denied=0.9)


# 1. A finding the patient had before the treatment and says is unchanged: history told on purpose, which a
# strong score does not reopen; "had it before starting" tells that the patient has started.
BEFORE_AND_SAME = [
    ("es", "El dolor de espalda ya lo tenía antes del tratamiento, ni mejor ni peor"),
    ("es", "Las migrañas las tengo desde hace años, no han empeorado con la pluma"),
    ("es", "El zumbido en el oído ya lo tenía de antes, el otorrino lo sabe, no ha empeorado"),
    ("pt", "A dor nas costas eu já tinha antes do tratamento, nem melhor nem pior"),
    ("pt", "O zumbido no ouvido já tinha antes de começar a caneta, o médico sabe, não piorou"),
    ("pt", "As cãibras tenho há anos, nem melhor nem pior com o remédio"),
]

# ... but a new finding, or a serious one, after the old one stays reported.
BEFORE_AND_NOW = [
    ("es", "Los calambres ya los tenía antes de empezar, pero ahora me desmayé en el súper"),
    ("es", "Tenía eczema desde antes de empezar y no empeoró, pero desde la inyección salió un sarpullido"),
    ("pt", "As cãibras já tinha antes de começar, mas agora desmaiei no mercado"),
    ("pt", "Tinha eczema desde antes de começar e não piorou, mas desde a injeção apareceu uma alergia"),
]


@pytest.mark.parametrize(("lang", "text"), BEFORE_AND_SAME)
def test_a_finding_from_before_the_treatment_unchanged_is_not_reopened(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text
    assert _strongly_scored().screen(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), BEFORE_AND_NOW)
def test_a_new_finding_after_the_old_one_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


def test_a_faint_after_an_old_finding_is_serious() -> None:
    for lang, text in BEFORE_AND_NOW[::2]:
        result = _lexicon(text, lang)
        assert result.escalate and result.serious, text


# 2. A worry in the finding's own clause, settled by an all-clear after it: the feared finding did not happen.
FEARED_NOT_HAD = [
    ("es", "Me daba miedo marearme con la dosis nueva, pero todo normal"),
    ("es", "Estaba preocupada por si me salía sarpullido con el cambio, y de momento sin problemas"),
    ("es", "Tenía miedo de que la pluma me dejara moretones, al final todo tranquilo"),
    ("pt", "Estava com medo de ter enjoo com a dose nova, mas tudo certo"),
    ("pt", "Tinha medo que a caneta deixasse nódoas negras, mas está tudo bem"),
]

# ... but a finding told in its own clause after the worry is the patient's, and a serious cue stays.
FEARED_AND_HAD = [
    ("es", "Tenía miedo de marearme y me mareé dos veces, pero todo bien"),
    ("es", "Tenía miedo de la inyección y me salió un sarpullido, lo demás todo bien"),
    ("pt", "Tinha medo de ter enjoo e vomitei duas vezes, mas agora tudo bem"),
    ("pt", "Tinha medo de desmaiar na primeira aplicação, mas foi tudo tranquilo"),
]


@pytest.mark.parametrize(("lang", "text"), FEARED_NOT_HAD)
def test_a_worry_settled_by_an_all_clear_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), FEARED_AND_HAD)
def test_a_finding_told_after_the_worry_or_a_serious_cue_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 3. An outsider (neighbour, friend, colleague) on a medicine of their own: their findings and their other
# medicine are theirs over a comma or an "and", even when the patient asks whether it could happen to them.
OUTSIDER_ON_A_MEDICINE = [
    ("es", "Mi amiga se pone otra inyección para adelgazar y vomita mucho, ¿me pasará lo mismo?"),
    ("es", "Mi amigo usa otro inhalador para el asma y le tiemblan las manos, ¿eso es de la medicina?"),
    ("es", "Mi vecino toma un medicamento distinto para la tensión y tiene tos seca, ¿eso es frecuente?"),
    ("pt", "Minha amiga toma outro comprimido pra emagrecer e vomita muito, vai acontecer comigo?"),
    ("pt", "Meu colega usa outra bombinha e treme as mãos, isso é do remédio?"),
    ("pt", "O meu vizinho toma um remédio diferente para a tensão e tem tosse seca, posso ter isso?"),
]

# ... but the patient's own finding beside it, or "and now I have it too", stays a case.
OUTSIDER_AND_ME = [
    ("es", "Mi vecina tuvo un sarpullido con su pastilla y ahora yo también tengo uno"),
    ("es", "Mi vecina toma otro medicamento, y tengo dolores musculares desde la pluma"),
    ("es", "Mi amiga usa la misma pluma, pero me dio un mareo fuerte ayer"),
    ("pt", "A minha vizinha teve uma alergia com o comprimido dela e agora eu também tenho"),
    ("pt", "Minha amiga usa a mesma caneta, mas tive uma tontura forte ontem"),
]


@pytest.mark.parametrize(("lang", "text"), OUTSIDER_ON_A_MEDICINE)
def test_an_outsiders_side_effect_on_their_medicine_is_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), OUTSIDER_AND_ME)
def test_the_patients_own_finding_beside_an_outsiders_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 4. A cold going round a group the patient belongs to, caught "too": the stated cause is shared, and "too"
# beside the patient's own word is no contrast that would separate it from the finding.
CAUGHT_FROM_THE_GROUP = [
    ("es", "La mitad de la clase de mi hijo tiene gripe y yo también la pillé, fiebre y tos"),
    ("es", "Todos en la oficina están con catarro y yo también, mocos sin parar"),
    ("pt", "Metade da turma do meu filho está com gripe e eu apanhei também, febre e tosse"),
    ("pt", "Todo mundo lá no trabalho está gripado e eu também peguei, nariz entupido"),
]

# ... but a finding tied to the treatment, or another person's finding the patient now has too, stays.
CAUGHT_AND_TIED = [
    ("es", "La mitad de la oficina tiene gripe y yo también, con fiebre desde la inyección"),
    ("es", "Mi vecina tuvo un sarpullido y ahora yo también tengo uno"),
    ("pt", "Metade do escritório está gripado e eu também, com febre desde a injeção"),
    ("pt", "A minha vizinha teve uma alergia com o comprimido dela e agora eu também tenho"),
]


@pytest.mark.parametrize(("lang", "text"), CAUGHT_FROM_THE_GROUP)
def test_a_cold_caught_from_the_group_is_explained(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), CAUGHT_AND_TIED)
def test_a_finding_tied_to_the_treatment_or_shared_with_a_person_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 5. Already told ("lo hablé con la doctora", "que eu contei pra vocês") and over ("nunca más"): an update
# of a known report, its link to the dose included.
TOLD_AND_OVER = [
    ("es", "La picazón de la que lo hablamos por teléfono se fue sola, gracias"),
    ("es", "Las náuseas del mes pasado ya lo hablé con el enfermero, nunca más volvieron"),
    ("pt", "A coceira que eu contei para a enfermeira já passou, obrigada"),
    ("pt", "A dor de cabeça depois da segunda dose, que eu relatei, nunca mais voltou"),
    ("pt", "Já tinha avisado vocês do enjoo em abril, já passou"),
]

# ... but an event told before that is back, or a new finding beside it, stays a case.
TOLD_AND_BACK = [
    ("es", "La picazón de la que lo hablamos por teléfono volvió más fuerte"),
    ("es", "Lo de las náuseas ya lo hablé con el enfermero, pero ahora tengo diarrea"),
    ("pt", "A coceira que eu contei para a enfermeira voltou ontem"),
    ("pt", "Já tinha avisado vocês do enjoo, já passou, mas agora apareceu uma alergia"),
]


@pytest.mark.parametrize(("lang", "text"), TOLD_AND_OVER)
def test_an_event_told_and_over_is_an_update(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), TOLD_AND_BACK)
def test_an_event_told_and_back_or_a_new_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 6. A relative ill from something they ate: an eating verb with no child or pet to swallow a medicine tells
# of no exposure, so the relative's illness is theirs.
RELATIVE_ATE_SOMETHING = [
    ("es", "Mi hermano está con vómitos, comió pescado en mal estado el domingo"),
    ("es", "Mi mujer tiene diarrea desde que comió en ese restaurante nuevo"),
    ("pt", "Meu marido está com diarreia por causa de algo que comeu na festa, ele não toma nada"),
    ("pt", "O meu irmão vomitou a noite toda, comeu um frango mal passado"),
]

# ... but a child who ate the patient's medicine is an exposure, and a relative's finding after a dose stays.
RELATIVE_ATE_MEDICINE = [
    ("es", "Mi hijo se comió dos pastillas mías y está vomitando"),
    ("es", "Mi hermano comió algo y ahora vomita desde la inyección"),
    ("pt", "Meu filho comeu dois comprimidos meus e está vomitando"),
    ("pt", "O meu irmão comeu e vomitou logo depois da injeção"),
]


@pytest.mark.parametrize(("lang", "text"), RELATIVE_ATE_SOMETHING)
def test_a_relative_ill_from_a_meal_is_not_the_patient(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), RELATIVE_ATE_MEDICINE)
def test_a_child_eating_the_medicine_or_a_relative_after_a_dose_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 7. Where the dose goes ("a injeção no olho"): the route, not an accidental exposure.
def test_the_site_of_an_eye_injection_is_no_accidental_exposure() -> None:
    result = _lexicon("Amanhã tenho a injeção no olho às 9h, posso ir de carro depois?", "pt")
    assert "accidental_exposure" not in result.situations and result.tier == "clear"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("pt", "Meu filho pegou a caneta e espirrou no olho"),
        ("pt", "Depois da injeção no olho fiquei com a vista embaçada"),
        ("es", "Me cayó en el ojo una gota del colirio de mi marido"),
    ],
)
def test_a_splash_in_the_eye_or_a_finding_after_the_eye_injection_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 8. A practical question by how long ("¿cuántas horas aguanta fuera de la nevera?") before any use.
HOW_LONG = [
    ("es", "¿Cuántos días puede estar la pluma fuera de la nevera?"),
    ("es", "¿Aguanta la insulina un viaje de 6 horas sin frío?"),
    ("pt", "Quantas horas a caneta aguenta fora da geladeira?"),
    ("pt", "Até quando posso deixar o remédio fora do frigorífico?"),
]

# ... but a pen already left out, or a finding asked about, stays a case.
HOW_LONG_AFTER = [
    ("es", "Estuvo la pluma fuera de la nevera dos días, ¿cuántos días aguanta?"),
    ("es", "¿Cuántos días dura el dolor de cabeza después de la inyección?"),
    ("pt", "Deixei a caneta fora da geladeira dois dias, quantos dias aguenta?"),
    ("pt", "Quantos dias dura a dor de cabeça depois da injeção?"),
]


@pytest.mark.parametrize(("lang", "text"), HOW_LONG)
def test_a_how_long_question_before_use_is_no_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), HOW_LONG_AFTER)
def test_a_pen_left_out_or_a_finding_asked_about_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# 9. A fit of laughter is no attack; a faint or a real attack after it stays serious.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Me dio un ataque de risa cuando llegó la cuenta del gas"),
        ("es", "Casi me da un ataque de risa con el video que mandaste"),
        ("pt", "Tive um ataque de riso na fila da farmácia kkk"),
    ],
)
def test_a_fit_of_laughter_is_no_attack(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "Me dio un ataque de risa y luego me desmayé"),
        ("es", "Me dio un ataque de risa y después me dio un ataque de asma"),
        ("pt", "Tive um ataque de riso e depois desmaiei"),
    ],
)
def test_a_faint_after_a_fit_of_laughter_is_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.escalate and result.serious, text


# 10. Everyday causes in more forms (caring for someone, a long flight, teething) explain their sentence.
EVERYDAY_CAUSES = [
    ("es", "Mi suegra está con neumonía y yo agotada de cuidarla toda la semana"),
    ("es", "Tras catorce horas de vuelo tengo las piernas hinchadas y sueño"),
    ("pt", "O bebé está a nascer os dentes, ninguém dorme e eu ando exausta"),
    ("pt", "Depois de 12 horas de voo fiquei com os pés inchados"),
]

# ... but a finding tied to the treatment beside the cause stays a case.
EVERYDAY_CAUSES_TIED = [
    ("es", "Desde la pluma tengo las piernas hinchadas, aunque también fueron muchas horas de vuelo"),
    ("pt", "Desde a caneta fiquei com os pés inchados, mas também foram muitas horas de voo"),
]


@pytest.mark.parametrize(("lang", "text"), EVERYDAY_CAUSES)
def test_an_everyday_cause_explains_its_sentence(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), EVERYDAY_CAUSES_TIED)
def test_a_finding_tied_to_the_treatment_beside_a_cause_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text
