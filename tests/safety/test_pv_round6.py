"""Round 6 of issue #13: general causes read from blind set 7 (spent), each a family in six languages.

The sentences are our own probes, not the set's: each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import always_scored as _always_scored
from tests.safety.probes import lexicon as _lexicon

# Serious in everyday words: lying in hospital now, an operation after the event, a clot, a passive wish to
# die, an overdose taken to make everything stop.
SERIOUS_ROUND6 = [
    ("en", "had an operation on my gut last night, they said it was twisted"),
    ("en", "scan showed a blood clot behind my knee"),
    ("en", "honestly they'd all be better off without me"),
    ("en", "swallowed the whole packet so it would make it all stop"),
    ("es", "sigo en el hospital, me tienen con suero"),
    ("es", "me operaron ayer del apéndice de urgencia"),
    ("es", "el médico vio un coágulo en la pierna"),
    ("es", "a veces quisiera desaparecer para siempre"),
    ("fr", "je suis encore à l'hôpital pour une semaine"),
    ("fr", "on m'a trouvé une phlébite au mollet"),
    ("fr", "j'ai été opérée de la vésicule en catastrophe"),
    ("fr", "des fois j'aimerais ne plus me réveiller"),
    ("de", "lag fünf Tage Klinik mit der Galle"),
    ("de", "wurde am Sonntag notoperiert"),
    ("de", "die Ärztin hat ein Gerinnsel im Bein gesehen"),
    ("de", "am liebsten würde ich einfach verschwinden"),
    ("pt", "minha mãe continua no hospital desde sexta"),
    ("pt", "fui operada às pressas ontem"),
    ("pt", "deu trombose na perna esquerda"),
    ("pt", "tem dia que eu queria sumir pra sempre"),
    ("ar", "ابويا منوم في المستشفى من يومين"),
    ("ar", "عملولي عمليه امبارح في البطن"),
    ("ar", "الدكتور قال عندي جلطه في الرجل"),
    ("ar", "بحس ان الكل هيرتاح لو مشيت"),
]


@pytest.mark.parametrize(("lang", "text"), SERIOUS_ROUND6)
def test_round6_serious_everyday_words_are_serious_cases(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, result


# Everyday families that were missed: a lost function (stairs, eating, hearing, sex; "no more"), a device that
# gives nothing, a disease that does not decrease on treatment, a call to a poison centre, a raised blood
# pressure from 160/100 and a slow pulse below 50.
CASES_ROUND6 = [
    ("en", "no more erections at all since the dose went up"),
    ("en", "grandpa can't manage the stairs anymore since the tablets"),
    ("en", "she won't eat anything since the new dose"),
    ("en", "nothing came out of the pen when I pressed it"),
    ("en", "his fits haven't decreased one bit on the syrup"),
    ("en", "we phoned the poison line after he got into the bottle"),
    ("en", "bp 164/101 this evening"),
    ("en", "pulse 47 when I woke up"),
    ("es", "desde la inyección ya no puedo subir las escaleras"),
    ("es", "el niño no quiere comer desde el jarabe"),
    ("es", "aprieto el inhalador y no sale nada"),
    ("es", "los ataques no han disminuido con las pastillas"),
    ("es", "llamamos a toxicología por si acaso"),
    ("fr", "il n'arrive plus à monter les escaliers depuis la perfusion"),
    ("fr", "elle ne veut plus manger depuis le sirop"),
    ("fr", "j'appuie sur l'inhalateur et rien ne sort"),
    ("fr", "les crises n'ont pas diminué sous traitement"),
    ("fr", "on a appelé l'antipoison par précaution"),
    ("de", "seit der Infusion schafft er die Treppe nicht mehr"),
    ("de", "beim Drücken kommt nichts raus aus dem Pen"),
    ("de", "die Anfälle sind nicht weniger geworden mit dem Saft"),
    ("de", "wir haben sofort den Giftnotruf angerufen"),
    ("pt", "não consigo mais subir escada desde a infusão"),
    ("pt", "aperto a bombinha e não sai nada"),
    ("pt", "as convulsões não diminuíram com o xarope"),
    ("pt", "ligamos pro ciatox na hora"),
    ("ar", "مبقتش قادر اطلع السلم من ساعة الحقنه"),
    ("ar", "البخاخ بضغط عليه ومبيطلعش حاجه"),
    ("ar", "النوبات ما قلتش مع العلاج"),
    ("ar", "اتصلنا بمركز السموم"),
]


@pytest.mark.parametrize(("lang", "text"), CASES_ROUND6)
def test_round6_general_families_are_cases(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case"


# Deliberate clears: holiday wishes, the condition named as the reason for the treatment. The score does not
# reopen them.
CLEAR_ROUND6 = [
    ("en", "merry christmas to everyone on the team"),
    ("en", "I've had type 1 diabetes since childhood, that's why I'm on this"),
    ("es", "felices fiestas a todo el equipo"),
    ("es", "tengo colitis desde niña, por eso tomo esto"),
    ("fr", "bonnes fêtes à toute l'équipe"),
    ("fr", "j'ai du diabète depuis l'enfance, c'est pour ça que j'ai ce stylo"),
    ("de", "schöne Feiertage euch allen"),
    ("de", "hab Asthma seit der Kindheit, deshalb das Spray"),
    ("pt", "boas festas pra equipe toda"),
    ("pt", "tenho rinite desde criança, por isso uso a bombinha"),
    ("ar", "رمضان كريم عليكم"),
    ("ar", "عندي سكر من وانا صغير عشان كده باخد الابر"),
]


@pytest.mark.parametrize(("lang", "text"), CLEAR_ROUND6)
def test_round6_greetings_and_reasons_are_deliberate_clears(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear"
    assert _always_scored().screen(text, lang).tier == "clear"


# Addiction words whose object is an app, videos, recipes or tips are figures of speech (the lexicon is clear;
# the score may still read them), but not when the clause names a medicine.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "totally addicted to the recipes in this app haha"),
        ("es", "estoy enganchada a los videos del programa"),
        ("fr", "je suis accro aux conseils de l'appli"),
        ("de", "bin süchtig nach den Videos in der App"),
        ("pt", "tô viciado nas dicas do app"),
    ],
)
def test_round6_addiction_to_an_app_is_a_figure(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "I think I'm addicted to the pills, the app reminds me but I take more"),
        ("pt", "tô viciada no remédio, já tomei mais do que devia"),
    ],
)
def test_round6_addiction_to_a_medicine_stays_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "my skin is nearly clear now"),
        ("fr", "ma peau est enfin nette"),
        ("pt", "minha pele tá quase limpa"),
        ("ar", "جلدي نضف خالص"),
    ],
)
def test_round6_a_body_part_said_to_be_clear_is_reassured(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear"


# A relative's findings in a message that links them to something ("since", "desde", "depuis"): maybe a
# carer's report about a medicine the lexicon does not know by name, so the score may put it in review.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "my wife has had cramps every night since the zentrolo"),
        ("es", "mi marido tiene diarrea desde el qualmix"),
        ("fr", "ma fille a des nausées depuis le trevadol"),
        ("pt", "minha filha tá com tontura desde o brivax"),
    ],
)
def test_round6_relative_with_a_link_word_is_open_to_the_score(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear"
    assert _always_scored().screen(text, lang).tier == "review"


# Without a link word a relative's everyday illness stays a deliberate clear (tried as a general rule: the
# untouched blind2 and holdout 4 lost specificity), as do a pet's and an outsider's.
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "my husband has a cold, I'll call later"),
        ("es", "mi hermana tiene gripe, luego te escribo"),
        ("en", "our cat has diarrhoea again"),
        ("es", "mi vecino tiene gripe, luego te escribo"),
    ],
)
def test_round6_pets_outsiders_and_unlinked_relatives_stay_deliberate_clears(lang: str, text: str) -> None:
    assert _always_scored().screen(text, lang).tier == "clear"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "eye pressure 17 in the left one, all fine"),
        ("es", "presión del ojo en 18, bien"),
    ],
)
def test_round6_a_lone_small_pressure_is_not_a_blood_pressure(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear"


# English families from the PsyTAR dev misses (categories, not sentences): a function with a problem word
# before it, an effect that fades, dreams, a flare.
@pytest.mark.parametrize(
    ("lang", "text", "tier"),
    [
        ("en", "big problems with my memory lately", "case"),
        ("en", "trouble with focus at work since the switch", "case"),
        ("en", "the capsules lost their effect after the summer", "case"),
        ("en", "honestly it wears off by lunchtime", "case"),
        ("en", "these dreams are so intense I wake up exhausted", "review"),
        ("en", "my colitis flared up again on it", "review"),
    ],
)
def test_round6_psytar_families(lang: str, text: str, tier: str) -> None:
    assert _lexicon(text, lang).tier in (tier, "case")


# "May I take, give or drink X with the treatment?" before any use is a general question; a use or a symptom
# told in the same message is not.
@pytest.mark.parametrize(
    ("lang", "text", "tier"),
    [
        ("en", "can I give her paracetamol with the drops? nothing given yet", "clear"),
        ("es", "¿puedo tomar un café con las pastillas?", "clear"),
        ("fr", "je peux prendre un ibuprofène avec le stylo ?", "clear"),
        ("de", "darf ich zur Tablette ein Radler trinken?", "clear"),
        ("pt", "posso beber vinho com o remédio?", "clear"),
        ("ar", "ينفع اشرب شاي مع الحبوب؟", "clear"),
        (
            "en",
            "can I give her paracetamol with the drops? she already had some and is covered in hives",
            "case",
        ),
        ("pt", "posso tomar mais uma? já tomei três hoje", "case"),
    ],
)
def test_round6_may_i_take_it_with_questions(lang: str, text: str, tier: str) -> None:
    assert _lexicon(text, lang).tier == tier


# Self-harm and a life not worth living (causes of the serious misses in the training corpora, our own words).
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "she's been cutting herself again, found plasters on her arms"),
        ("en", "some days life just isn't worth living"),
        ("es", "encontré que se corta los brazos desde hace semanas"),
        ("es", "la verdad no vale la pena vivir así"),
        ("fr", "mon fils se scarifie depuis la rentrée"),
        ("fr", "j'ai plus envie de vivre"),
        ("de", "sie ritzt sich seit ein paar Wochen"),
        ("de", "ich sehe keinen Sinn mehr zu leben"),
        ("pt", "ele voltou a se cortar no banheiro"),
        ("pt", "tô sem vontade de viver"),
        ("ar", "ابني بيجرح نفسه بالموس"),
        ("ar", "تعبت من الحياه ومش قادره اكمل"),
    ],
)
def test_round6_self_harm_is_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, result


def test_round6_wanting_to_live_more_is_not_serious() -> None:
    assert not _lexicon("tengo más ganas de vivir desde el tratamiento", "es").serious


# A pacemaker fitted, a throat closing, a wish not to wake up: serious (general families, own wording).
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "they fitted a pacemaker on tuesday"),
        ("es", "me pusieron un marcapasos porque el pulso bajaba mucho"),
        ("es", "de repente se me cierra la garganta al tragar"),
        ("fr", "on m'a mis un stimulateur cardiaque"),
        ("fr", "j'avais la gorge qui se fermait"),
        ("de", "sie haben mir einen Schrittmacher eingesetzt"),
        ("pt", "coloquei marca-passo semana passada"),
        ("ar", "ركبولي منظم ضربات للقلب"),
        ("ar", "نفسي انام وما اصحاش"),
    ],
)
def test_round6_pacemaker_throat_and_not_waking_are_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, result
