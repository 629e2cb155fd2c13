"""Table tests for the context rules: who a message is about, links to the treatment, accidental exposure,
praise of the treatment, first-person states, and spelling help for French elisions."""

from __future__ import annotations

import pytest

from bot.safety import screen
from bot.safety.lexicon import LEXICON_DIR, load_lexicon
from tests.safety.pv_data import LANGUAGES

# (message, escalate?) -- a pet is plainly not the patient; a person may be (a caregiver writes for them).
OTHER_SUBJECTS = [
    ("the dog threw up on the carpet ugh", False),
    ("el perro vomitó en la alfombra", False),
    ("le chat a vomi sur le canapé", False),
    ("der Hund hat auf den Teppich gekotzt", False),
    ("o cachorro vomitou no tapete", False),
    ("القطة استفرغت على الكنبة", False),
    ("the dog threw up and then I threw up too", True),
    ("my dog bit my hand and it's swollen", True),
    ("my mom fell in the kitchen", True),
    ("the dog ate one of my tablets", True),
]


@pytest.mark.parametrize(("text", "escalate"), OTHER_SUBJECTS)
def test_events_of_pets_are_not_the_patients(text: str, escalate: bool) -> None:
    assert (screen(text).tier != "clear") is escalate


# (message, escalate?) -- a link word + treatment word, with only filler words between, is a weak signal.
TREATMENT_LINKS = [
    ("i feel strange since the last shot", True),
    ("ever since my 2nd injection something is up", True),
    ("me siento rara desde la última inyección", True),
    ("bizarre depuis la dernière piqûre", True),
    ("komisch seit der letzten Spritze", True),
    ("estranha desde a última injeção", True),
    ("مش طبيعي من بعد الحبة", True),
    ("mrdt mn nhar bdit had dwa", True),
    ("after lunch i took the pill ✅", False),
    ("despues de comer me tome la pastilla ✅", False),
    ("nach dem Mittagessen Tablette genommen ✅", False),
    ("since the last shot i feel great", False),
]


@pytest.mark.parametrize(("text", "escalate"), TREATMENT_LINKS)
def test_a_change_tied_to_the_treatment(text: str, escalate: bool) -> None:
    assert (screen(text).tier != "clear") is escalate


EXPOSURES = [
    "my grandson got into my pills, he chewed one",
    "mi nene se tomó unas pastillas mías",
    "mon petit a avalé un de mes cachets",
    "mein Kleiner hat eine Tablette von mir verschluckt",
    "meu filho engoliu um comprimido meu",
    "ابني بلع حباية من دوايا",
]


@pytest.mark.parametrize("text", EXPOSURES)
def test_child_swallow_and_medicine_in_one_sentence_is_accidental_exposure(text: str) -> None:
    result = screen(text)
    assert "accidental_exposure" in result.situations


@pytest.mark.parametrize(
    "text",
    [
        "my son ate a cookie and the pills are in the cupboard",
        "my granddaughter has her birthday today",
        "ma soeur a eu une petite fille hier 🎉",
        "my son didn't swallow any pills, i checked",
    ],
)
def test_children_without_an_exposure_are_not_one(text: str) -> None:
    assert "accidental_exposure" not in screen(text).situations


# (message, escalate?) -- praise of the effect makes "no more X since I started" efficacy, not a past event.
PRAISE = [
    ("no more migraines since I started, it's working great", False),
    ("no he tenido más migrañas desde que empecé, funciona súper", False),
    ("seit ich das nehm keine Migräne mehr, super", False),
    ("nunca mais tive enxaqueca desde que comecei, tá funcionando", False),
    ("no more headaches since last week", True),
    ("it's working great but my hair is falling out", True),
    ("it's not working great, still dizzy", True),
]


@pytest.mark.parametrize(("text", "escalate"), PRAISE)
def test_praise_of_the_treatment(text: str, escalate: bool) -> None:
    assert (screen(text).tier != "clear") is escalate


# (message, escalate?) -- "I'm so..." says how the patient is, unless the word is a happy or neutral one.
FIRST_PERSON_STATES = [
    ("i'm so wonky today", True),
    ("ando super despistada", True),
    ("je suis trop patraque", True),
    ("bin so schlapp", True),
    ("to muito aérea hoje", True),
    ("im so excited for my trip", False),
    ("estoy muy ocupada hoy", False),
    ("je suis trop contente", False),
    ("bin so gespannt", False),
    ("to muito feliz com o programa", False),
]


@pytest.mark.parametrize(("text", "escalate"), FIRST_PERSON_STATES)
def test_first_person_states(text: str, escalate: bool) -> None:
    assert (screen(text).tier != "clear") is escalate


def test_a_possessive_after_a_general_question_reports_the_event() -> None:
    assert screen("can it cause hair loss? mine is falling out").kind == "adverse_event"
    assert not screen("can it cause hair loss?").escalate


@pytest.mark.parametrize(
    "text",
    [
        "jallaite mon bébé, c est compatible",
        "j ai trop mal a lestomac depuis hier",
        "plus dappetit du tout depuis lundi",
    ],
)
def test_french_elisions_typed_without_apostrophe(text: str) -> None:
    assert screen(text).escalate


def test_a_known_word_is_never_split_as_an_elision() -> None:
    assert screen("dolor raro en la rodilla").situations == ()  # not "olor raro" (a quality complaint)


@pytest.mark.parametrize(
    "text", ["الدوا مش بيجيب نتيجة خالص", "no me hace efecto para nada", "ça ne fait aucun effet du tout"]
)
def test_a_trailing_cue_intensifies_a_negative_term(text: str) -> None:
    assert "lack_of_efficacy" in screen(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "casi me da un infarto cuando vi la factura jaja",
        "almost had a heart attack when i saw the bill",
        "j'ai failli faire une crise cardiaque en voyant la facture",
        "fast nen Herzinfarkt bekommen als ich die Rechnung sah",
        "quase tive um infarto quando vi a conta kkkk",
    ],
)
def test_hyperbole_is_not_a_heart_attack(text: str) -> None:
    assert not screen(text).escalate


CONTEXT_KEYS = (
    "link_words",
    "link_fillers",
    "treatment_words",
    "other_subjects",
    "first_person",
    "exposure_subjects",
    "exposure_verbs",
    "efficacy_praise",
    "feelings",
)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_the_context_lists(lang: str) -> None:
    text = (LEXICON_DIR / f"{lang}.yaml").read_text(encoding="utf-8")
    missing = [key for key in CONTEXT_KEYS if f"\n{key}:" not in text]
    assert not missing
    categories = {label.category for _, label in load_lexicon(LEXICON_DIR / f"{lang}.yaml").entries}
    assert {
        "link",
        "filler",
        "treatment",
        "other",
        "exposure_subject",
        "exposure_verb",
        "praise",
    } <= categories


@pytest.mark.parametrize(
    "text",
    ["Dos veces por semana", "ich nehme sie zweimal täglich", "باخده مرة واحدة في اليوم", "Twice a week"],
)
def test_a_dosing_frequency_is_not_an_overdose(text: str) -> None:
    assert not screen(text).escalate
