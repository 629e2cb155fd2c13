"""Round 11 of issue #13 (branch round11-recall): general causes of misses and of serious messages not put in
`case`, read from blind set 12 (spent), blind sets 10-11, corpora C and D and PsyTAR train.

Each family is a shape of sentence (who, when, whether, why), probed in six languages with our own sentences
(none copied from a set) and our own hard negatives that name the same words in another sense. Verdicts
are the ones a user sees (the shipped screen, score included): `serious` is a case marked serious; `case` a
case; `flag` a case or a review; `not_serious` anything but a serious case; `clear` is clear for the lexicons
and not serious for the shipped screen (the statistical score may still ask for a review, never a case).
"""

from __future__ import annotations

import pytest

from bot.safety import screen
from tests.safety.probes import lexicon as _lexicon

# A person found on the floor or the ground (a collapse), told by an object pronoun, a relative or "me":
# serious. An object or the medicine named before it (in its sentence or the one before) is what was found.
FOUND_DOWN = [
    (
        "en",
        "came home and found her on the bathroom floor, she doesn't remember going down. new tablets monday",
        "serious",
    ),
    ("en", "my neighbour rang, they found my dad on the kitchen floor this morning", "serious"),
    ("en", "found him lying on the landing, grey and sweaty", "serious"),
    ("de", "Hab ihn heute früh im Flur am Boden gefunden, er weiß nicht, was passiert ist", "serious"),
    ("de", "Meine Frau hat mich auf dem Boden liegend gefunden", "serious"),
    ("de", "Wir haben Oma im Bad am Boden liegend gefunden, seit den neuen Tabletten", "serious"),
    ("fr", "je l'ai retrouvé allongé dans la cuisine, il ne se souvient de rien", "serious"),
    ("fr", "ma fille m'a trouvée par terre dans la salle de bain", "serious"),
    ("es", "anoche lo encontré tirado en el pasillo, no se acuerda de nada", "serious"),
    ("es", "encontré a mi madre en el suelo del baño esta mañana", "serious"),
    ("es", "me encontraron en el piso de la cocina, no sé cuánto tiempo estuve así", "serious"),
    ("pt", "encontrei ela caída no chão do banheiro hoje cedo", "serious"),
    ("pt", "meu filho me achou caído no corredor", "serious"),
    ("ar", "رجعت البيت لقيته واقع في المطبخ ومش بيرد", "serious"),
    ("ar", "لقيت ابويا مرمي على الارض الصبح", "serious"),
    ("ar", "la2eto 3al ard el sob7 w mesh fakir 7aga", "serious"),
]

FOUND_DOWN_NEGATIVES = [
    ("en", "dropped my pen, found it on the floor under the sofa, can I still use it?", "not_serious"),
    ("en", "found my keys on the floor at last lol", "not_serious"),
    (
        "de",
        "Der Pen ist runtergefallen, hab ihn am Boden gefunden. Geht er noch?",
        "not_serious",
    ),
    ("de", "Das Paket lag vor der Tür, ich hab es am Boden gefunden", "not_serious"),
    ("fr", "le colis était devant la porte, je l'ai trouvé par terre", "not_serious"),
    ("fr", "mon stylo est tombé, je l'ai retrouvé par terre, je peux encore l'utiliser ?", "not_serious"),
    ("es", "se me cayó la pastilla y la encontré en el suelo, ¿me la puedo tomar?", "not_serious"),
    ("es", "el paquete, lo encontré en el suelo de la entrada", "not_serious"),
    ("pt", "o comprimido caiu e encontrei ele no chão, posso tomar?", "not_serious"),
    ("pt", "a caixa dos remédios, achei ela no chão da sala", "not_serious"),
    ("ar", "الحباية وقعت مني لقيتها على الارض، ينفع اخدها؟", "not_serious"),
    ("ar", "الكرتونه لقيتها على الارض قدام الباب", "not_serious"),
]

# Thoughts of harming oneself or of disappearing, a farewell letter written by the patient: serious. A leaving
# party or card for a colleague is not.
SELF_HARM = [
    ("en", "since the new dose I keep having thoughts of harming myself", "serious"),
    ("en", "I wrote a goodbye letter to my kids last night, haven't told anyone", "serious"),
    ("en", "honestly I just want to disappear since starting these", "serious"),
    ("de", "seit der Spritze hab ich Gedanken, mir was anzutun", "serious"),
    ("de", "hab gestern einen Abschiedsbrief geschrieben, weiß nicht mehr weiter", "serious"),
    ("de", "ich will einfach verschwinden, seit ich die Tabletten nehme", "serious"),
    ("fr", "depuis le traitement j'ai des idées de me faire du mal", "serious"),
    ("fr", "j'ai écrit une lettre d'adieu hier soir", "serious"),
    ("fr", "j'ai envie de disparaître depuis que j'ai commencé", "serious"),
    ("es", "desde la pastilla tengo pensamientos de hacerme daño", "serious"),
    ("es", "anoche escribí una carta de despedida para mi familia", "serious"),
    ("es", "quiero desaparecer, no aguanto más", "serious"),
    ("pt", "desde o remédio penso em sumir o tempo todo", "serious"),
    ("pt", "escrevi um bilhete de despedida pros meus filhos", "serious"),
    ("pt", "tô com pensamentos de me machucar desde o aumento da dose", "serious"),
    ("ar", "من ساعة الدوا بتجيلي افكار ايذاء نفسي", "serious"),
    ("ar", "كتبت رسالة وداع لاهلي امبارح", "serious"),
    ("ar", "صرت بدي ريحهم مني كلهم", "serious"),
    ("ar", "نفسي اختفي من الدنيا من ساعة الحقن", "serious"),
]

SELF_HARM_NEGATIVES = [
    ("en", "wrote a farewell card for a colleague who is retiring", "clear"),
    ("en", "the magician made the coin disappear, my son loved it", "clear"),
    ("de", "der Kollege hat eine Abschiedsmail an alle geschickt", "clear"),
    ("fr", "on a fait un pot de départ pour ma collègue", "clear"),
    ("es", "mañana es la comida de despedida de un compañero del trabajo", "clear"),
    ("pt", "fizemos uma festa de despedida pro meu colega", "clear"),
    ("ar", "عملنا حفلة وداع لزميلنا في الشغل", "clear"),
]

FAMILIES: dict[str, list[tuple[str, str, str]]] = {
    "found_down": FOUND_DOWN,
    "found_down_negatives": FOUND_DOWN_NEGATIVES,
    "self_harm": SELF_HARM,
    "self_harm_negatives": SELF_HARM_NEGATIVES,
}
CASES = [(family, lang, text, want) for family, rows in FAMILIES.items() for lang, text, want in rows]
LANGUAGES = {"en", "es", "fr", "de", "pt", "ar"}


def _verdict(result: object) -> str:
    tier = getattr(result, "tier")  # noqa: B009
    return "serious" if tier == "case" and getattr(result, "serious") else tier  # noqa: B009


@pytest.mark.parametrize(("family", "lang", "text", "want"), CASES)
def test_round_11_family(family: str, lang: str, text: str, want: str) -> None:
    shown = screen(text, lang)
    got = _verdict(shown)
    if want == "flag":
        assert shown.escalate or shown.tier == "review", (family, text, got)
    elif want == "case":
        assert shown.escalate and shown.kind != "none", (family, text, got)
    elif want == "serious":
        assert shown.escalate and shown.serious, (family, text, got)
    elif want == "not_serious":
        assert not shown.serious and not _lexicon(text, lang).serious, (family, text, got)
    else:
        assert _lexicon(text, lang).tier == "clear" and not shown.serious, (family, text, got)


def test_every_family_speaks_six_languages() -> None:
    """A family is a cause, not a phrase: each one is probed in every language, negatives included."""
    for family, rows in FAMILIES.items():
        assert {lang for lang, _, _ in rows} >= LANGUAGES, family
