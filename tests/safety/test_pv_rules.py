"""Table tests for the screening rules: negation, Arabizi, emoji, mixed languages, spelling, seriousness."""

from __future__ import annotations

import dataclasses

import pytest

from bot.safety import SITUATIONS, Screener, ScreenResult, screen

# (message, escalate?) -- negation is scoped, and a past occurrence is still reportable.
NEGATION = [
    ("no nausea", False),
    ("no nausea but a terrible headache", True),
    ("I haven't had any headache this week", False),
    ("not dizzy anymore", True),
    ("the nausea is gone now", True),
    ("no more headaches since last week", True),
    ("I don't know why I feel so dizzy", True),
    ("I don't feel well", True),
    ("no rash or itching, skin looks normal", False),
    ("sin náuseas, todo bien", False),
    ("ya no tengo náuseas", True),
    ("no me siento bien", True),
    ("pas de nausées, mais mal à la tête", True),
    ("aucun effet secondaire", False),
    ("j'ai mal nulle part", False),
    ("keine Übelkeit", False),
    ("kein Kopfweh mehr", True),
    ("nee alles gut", False),
    ("mir geht es nicht gut", True),
    ("sem enjoo, tudo certo", False),
    ("não to mais tonta", True),
    ("ما عندي صداع", False),
    ("ما عندي غثيان بس عندي صداع", True),
    ("لا انا كويس", False),
]


@pytest.mark.parametrize(("text", "escalate"), NEGATION)
def test_negation_is_scoped(text: str, escalate: bool) -> None:
    assert screen(text).escalate is escalate


ARABIZI = [
    ("3andi waja3 fi rasi", "adverse_event", "waja3"),
    ("ana ta3ban awi mn el dawa", "adverse_event", "ta3ban"),
    ("dayekh w 3andi ghathayan", "adverse_event", "ghathayan"),
    ("ana 7amel fi el shahr el talet", "special_situation", "7amel"),
    ("khadt 2 7abbat badal wa7da bel ghalat", "special_situation", "bel ghalat"),
]


@pytest.mark.parametrize(("text", "kind", "quoted"), ARABIZI)
def test_arabizi_is_screened_as_arabic(text: str, kind: str, quoted: str) -> None:
    result = screen(text)
    assert (result.kind, result.lang) == (kind, "ar")
    assert any(quoted in q for q in result.evidence)


def test_arabizi_breathing_trouble_is_serious() -> None:
    assert screen("mesh 2ader atnaffes kwayes").serious


@pytest.mark.parametrize(
    "text", ["shukran ktir, kollo tamam", "ma 3andi ay a3rad janibiya", "khalas akhadt el dawa ✅"]
)
def test_arabizi_without_events(text: str) -> None:
    result = screen(text)
    assert not result.escalate and result.lang == "ar"


EMOJI = [
    ("🤢", True, False),
    ("🤮🤮 all night", True, False),
    ("feeling 🤒 today", True, False),
    ("😵‍💫", True, False),
    ("🚑", True, True),
    ("no 🤢 today", False, False),
    ("taken ✅", False, False),
    ("👍", False, False),
    ("😂😂😂", False, False),
    ("❤️ thank you", False, False),
]


@pytest.mark.parametrize(("text", "escalate", "serious"), EMOJI)
def test_emoji(text: str, escalate: bool, serious: bool) -> None:
    result = screen(text)
    assert (result.escalate, result.serious) == (escalate, serious)


MIXED = [
    ("tengo headache since yesterday", "headache"),
    ("j'ai mal, stomach pain all night", "stomach pain"),
    ("mir ist so dizzy heute", "dizzy"),
    ("عندي rash في وشي", "rash"),
    ("to com febre, is it normal?", "febre"),
]


@pytest.mark.parametrize(("text", "quoted"), MIXED)
def test_mixed_language_messages(text: str, quoted: str) -> None:
    result = screen(text)
    assert result.kind == "adverse_event"
    assert any(quoted in q for q in result.evidence)


@pytest.mark.parametrize(("text", "lang"), [("tengo headache", "es"), ("rash everywhere", "fr")])
def test_given_language_does_not_hide_other_languages(text: str, lang: str) -> None:
    result = screen(text, lang=lang)
    assert result.escalate and result.lang == lang


SPELLING = [
    "im sooo dizzzy",
    "NAUSEOUS AGAIN",
    "diarhea all week",
    "terrible headach today",
    "naúseas",
    "nauseas",
    "mareadaaaa",
    "nausées",
    "nausees",
    "Übelkeit",
    "uebelkeit",
    "صُدَاع",
    "صـــداع",
    "أشعر بالغثيان",
    "دوخة",
]


@pytest.mark.parametrize("text", SPELLING)
def test_spelling_variants_are_recognised(text: str) -> None:
    assert screen(text).kind == "adverse_event"


NOT_EVENTS = [
    "what are the side effects?",
    "can it cause hair loss?",
    "can i take it with ibuprofen?",
    "this traffic is killing me",
    "I'm sick of waiting on hold",
    "lol im dead 😂",
    "that concert was sick 🔥",
    "me muero de risa",
    "cuales son los efectos secundarios?",
    "mdr je suis mort 😂",
    "ich lach mich tot",
    "kkkkk morri 😂",
    "when is my refill due?",
    "thanks!",
    "taken ✅",
    "the hospital pharmacy has my refill ready?",
    "my blood pressure was 120/80 this morning 💪",
    "my back is fine now, thanks",
]


@pytest.mark.parametrize("text", NOT_EVENTS)
def test_plainly_not_an_occurrence(text: str) -> None:
    assert not screen(text).escalate


REVEALING = [
    "is it normal that my hands tingle?",
    "does it cause headaches? because I have one every day",
    "my back is killing me",
    "I feel strange since the last shot",
    "my ankles look like balloons lol",
]


@pytest.mark.parametrize("text", REVEALING)
def test_questions_and_remarks_that_reveal_an_event(text: str) -> None:
    assert screen(text).kind == "adverse_event"


SERIOUS = [
    ("chest pain since this morning", True),
    ("i passed out at work", True),
    ("sometimes I have suicidal thoughts", True),
    ("my face and lips are swelling up", True),
    ("was hospitalized for 3 days", True),
    ("i can't breathe", True),
    ("my father passed away on sunday", True),
    ("I had a miscarriage", True),
    ("me desmayé", True),
    ("douleur thoracique", True),
    ("bin ohnmächtig geworden", True),
    ("tive uma convulsão", True),
    ("اغمى علي", True),
    ("mild headache", False),
    ("a bit of nausea", False),
]


@pytest.mark.parametrize(("text", "serious"), SERIOUS)
def test_seriousness(text: str, serious: bool) -> None:
    result = screen(text)
    assert result.escalate and result.serious is serious


SITUATION_EXAMPLES = {
    "pregnancy": "just found out I'm pregnant",
    "breastfeeding": "I'm breastfeeding my baby",
    "overdose": "took a double dose yesterday",
    "medication_error": "took my wife's pills by mistake",
    "lack_of_efficacy": "this medicine isn't working",
    "off_label": "my friend told me it helps with stage fright",
    "misuse_abuse": "my cousin crushes them and snorts them",
    "accidental_exposure": "my toddler swallowed one of my pills",
    "drug_interaction": "took it with ibuprofen and a few beers",
    "quality_complaint": "the blister pack was open and the tablets crumble",
}


@pytest.mark.parametrize("situation", SITUATIONS)
def test_each_special_situation_escalates_without_harm(situation: str) -> None:
    result = screen(SITUATION_EXAMPLES[situation])
    expected = "quality_complaint" if situation == "quality_complaint" else "special_situation"
    assert result.kind == expected and situation in result.situations
    assert result.escalate and not result.serious


def test_event_with_situation_is_an_adverse_event_listing_the_situation() -> None:
    result = screen("im 12 weeks pregnant and throwing up a lot")
    assert result.kind == "adverse_event"
    assert result.situations == ("pregnancy",)


def test_pregnancy_question_still_escalates() -> None:
    assert screen("can I take it while pregnant?").situations == ("pregnancy",)


def test_result_contract() -> None:
    result = screen("No nausea but a TERRIBLE Headache, is it normal?")
    assert isinstance(result, ScreenResult)
    assert 0.0 <= result.score <= 1.0
    assert result.to_dict() == {
        "escalate": True,
        "tier": "case",
        "score": result.score,
        "kind": "adverse_event",
        "situations": [],
        "serious": False,
        "evidence": ["Headache", "is it normal"],
        "lang": "en",
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.escalate = False  # type: ignore[misc]


def test_situations_follow_the_contract_order() -> None:
    result = screen("accidentally took 2 pills instead of 1, and I'm pregnant")
    assert result.situations == ("pregnancy", "overdose", "medication_error")


@pytest.mark.parametrize(("given", "reported"), [("es", "es"), ("pt-BR", "pt"), ("AR", "ar"), ("it", "it")])
def test_given_language_is_reported(given: str, reported: str) -> None:
    result = screen("tengo náuseas", lang=given)
    assert result.escalate and result.lang == reported


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("me duele mucho la cabeza", "es"),
        ("j'ai la tête qui tourne depuis hier", "fr"),
        ("mir ist seit gestern schwindelig", "de"),
        ("to com dor de cabeça desde ontem", "pt"),
        ("عندي صداع من امبارح", "ar"),
        ("3andi sda3 men embare7", "ar"),
        ("I have a headache since yesterday", "en"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert screen(text).lang == lang


def test_empty_message() -> None:
    assert screen("").to_dict() == {
        "escalate": False,
        "tier": "clear",
        "score": 0.0,
        "kind": "none",
        "situations": [],
        "serious": False,
        "evidence": [],
        "lang": "en",
    }


def test_screening_is_pure() -> None:
    text = "my toddler swallowed one of my pills and now he is sleepy"
    assert screen(text) == screen(text)


def test_three_tiers_and_escalate_is_case() -> None:
    case = screen("terrible headache since yesterday")
    review = screen("ever since my 2nd injection something is up")
    clear = screen("thanks, see you tomorrow")
    assert (case.tier, case.escalate) == ("case", True)
    assert (review.tier, review.escalate, review.kind) == ("review", False, "adverse_event")
    assert review.evidence
    assert (clear.tier, clear.escalate, clear.kind, clear.evidence) == ("clear", False, "none", ())
    assert screen("I passed out and they called an ambulance").tier == "case"  # serious is always a case


def test_a_statistical_scorer_turns_clear_into_review_only() -> None:
    seen: list[tuple[str, str]] = []

    def scorer(text: str, lang: str) -> float:
        seen.append((text, lang))
        return 0.73

    screener = Screener(scorer=scorer, review_threshold=0.6)
    doubted = screener.screen("thanks, see you tomorrow", "en")
    assert (doubted.tier, doubted.escalate, doubted.score) == ("review", False, 0.73)
    assert doubted.evidence == ("statistical score 0.73",)
    assert seen == [("thanks, see you tomorrow", "en")]
    case = screener.screen("terrible headache since yesterday")
    assert (case.tier, case.score) == ("case", 0.73)
    low = Screener(scorer=lambda text, lang: 0.2, review_threshold=0.6).screen("thanks, see you tomorrow")
    assert (low.tier, low.score, low.evidence) == ("clear", 0.2, ())
    assert set(doubted.to_dict()) == {
        "escalate",
        "tier",
        "score",
        "kind",
        "situations",
        "serious",
        "evidence",
        "lang",
    }


def test_short_function_words_are_not_spelling_corrected() -> None:
    # Regression: the German "ue" -> "ü" variant turned Spanish "pues" into "pus".
    assert screen("pues nada, gracias", "es").tier == "clear"
    assert screen("pues nada, gracias").tier == "clear"
    assert screen("mir ist uebel").escalate  # the variant still helps a long word no lexicon knows


def test_a_figure_of_speech_tied_to_the_treatment_does_not_mask() -> None:
    # Regression: "my heart skipped a beat when" (a benign figure) hid real palpitations.
    assert screen("my heart skipped a beat when I took the pill").escalate
    assert screen("gave me a heart attack right after my shot").escalate
    assert screen("my heart skipped a beat when I saw the bill").tier == "clear"
    assert screen("almost had a heart attack when i saw the price").tier == "clear"


@pytest.mark.parametrize(
    "text",
    [
        "I gained weight",
        "the tremors are worse",
        "I have been so irritable",
        "mis manos tiemblan",
        "j'ai des vertiges",
        "meine Beine kribbeln",
        "estou muito inchada",
    ],
)
def test_one_entry_covers_its_inflections(text: str) -> None:
    assert screen(text).tier != "clear"


@pytest.mark.parametrize(
    "text",
    [
        "can I talk to a nurse about my enrollment?",  # "nursing" is breastfeeding, not "nurse"
        "ayer se me olvido la dosis, hoy la tome normal",  # "olvidos" (forgetfulness) is not "olvido"
        "hab gestern meine dosis vergessen, heute normal genommen",
        "the blister pack was open",
    ],
)
def test_stems_do_not_join_everyday_words_to_symptoms(text: str) -> None:
    assert screen(text).kind != "adverse_event"


@pytest.mark.parametrize(
    "text",
    [
        "I left the pen out of the fridge all night",
        "the pen jammed halfway and the needle is bent",
        "the box seal was broken when it arrived",
        "these pills look fake, I bought them online",
        "la pluma se congelo en el refri",
        "le stylo est bloqué, rien n'est sorti",
        "der Pen klemmt und die Packung war beschädigt",
        "a caneta ficou fora da geladeira o dia todo",
        "القلم علق ومش بيطقطق",
    ],
)
def test_quality_complaints_are_their_own_kind(text: str) -> None:
    result = screen(text)
    assert (result.tier, result.kind, result.situations) == (
        "case",
        "quality_complaint",
        ("quality_complaint",),
    )


def test_a_quality_complaint_with_harm_is_an_adverse_event() -> None:
    result = screen("the pen leaked and now my skin is red and itchy")
    assert result.kind == "adverse_event" and "quality_complaint" in result.situations


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("no appetite at all", "case"),
        ("my libido is gone", "case"),
        ("could barely walk yesterday", "case"),
        ("I have no trouble sleeping", "clear"),
        ("perdí el apetito", "case"),
        ("plus de libido depuis un mois", "case"),
        ("keine Lust mehr auf Sex", "case"),
        ("sem apetite nenhum", "case"),
        ("مفيش نفس للاكل خالص", "case"),
    ],
)
def test_loss_of_a_normal_function(text: str, tier: str) -> None:
    assert screen(text).tier == tier


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("my sugar was 45 this morning", "case"),
        ("sugar at 300 after lunch", "case"),
        ("glucose 3.1 mmol/l", "case"),
        ("BP 190/115 last night", "case"),
        ("pulse 130", "case"),
        ("resting heart rate 40", "case"),
        ("130 bpm when I stand up", "case"),
        ("my sugar was 110", "clear"),
        ("my BP was 120/80, all good", "clear"),
        ("pulse 72 this morning", "clear"),
        ("I put 2 sugars in my coffee", "clear"),
        ("checked my pulse again 30 minutes later", "clear"),
        ("mi azúcar en 45", "case"),
        ("ma tension à 18/11", "case"),  # cmHg
        ("glycémie à 0,5", "case"),  # 0.5 g/L = 50 mg/dL
        ("glycémie à 1,1 g/l", "clear"),
        ("glycémie à 0,5 g/l", "case"),
        ("Blutzucker 320", "case"),
        ("minha pressão 20 por 12", "case"),
        ("الضغط 190 على 120", "case"),
        ("presión 120/80", "clear"),
    ],
)
def test_measurements_out_of_range(text: str, tier: str) -> None:
    assert screen(text).tier == tier


@pytest.mark.parametrize(
    ("text", "situation"),
    [
        ("took it every day instead of weekly", "medication_error"),
        ("I did two injections in one week", "medication_error"),
        ("took extra to feel it more", "misuse_abuse"),
        ("doubled up to make it work faster", "misuse_abuse"),
        ("this medication has done absolutely NOTHING for me", "lack_of_efficacy"),
        ("I think I developed a tolerance", "lack_of_efficacy"),
        ("ya no me funciona", "lack_of_efficacy"),
        ("ça ne marche plus", "lack_of_efficacy"),
        ("wirkt nicht mehr", "lack_of_efficacy"),
        ("não funciona mais", "lack_of_efficacy"),
        ("mesh nafe3 khales", "lack_of_efficacy"),
        ("tomé de más para sentirlo más", "misuse_abuse"),
        ("todo dia em vez de semanal", "medication_error"),
    ],
)
def test_situation_families(text: str, situation: str) -> None:
    assert situation in screen(text).situations


@pytest.mark.parametrize(
    "text",
    [
        "brain zaps since I stopped",
        "tengo síndrome de abstinencia",
        "sevrage terrible depuis l'arrêt",
        "Absetzsymptome seit einer Woche",
        "sintomas de abstinencia horriveis",
        "أعراض الانسحاب صعبة",
        "my mind was in a fog all week",
        "no sex drive",
        "tendon rupture in my heel",
    ],
)
def test_withdrawal_and_english_families_are_cases(text: str) -> None:
    assert screen(text).tier == "case"


@pytest.mark.parametrize(
    "text", ["kont hamoot", "دخلوني المستشفى", "rqadt f sbitar", "me internaron 3 dias", "hospitalisée hier"]
)
def test_seriousness_in_dialects_and_languages(text: str) -> None:
    result = screen(text)
    assert result.tier == "case" and result.serious


@pytest.mark.parametrize(
    ("text", "serious"),
    [
        ("I get up 3 times a night to pee", False),
        ("I keep losing my train of thought", False),
        ("can barely lift my arms", False),
        ("sed horrible todo el dia", False),
        ("de un humor de perros", False),
        ("tout le temps soif", False),
        ("ich verliere den Faden", False),
        ("perco o fio da meada", False),
        ("نزلت 4 كيلو", False),
        ("my poop is black", True),
        ("اغمى عليا", True),
        ("je suis tombée dans les pommes", True),
    ],
)
def test_everyday_families_in_every_language(text: str, serious: bool) -> None:
    result = screen(text)
    assert result.tier == "case" and result.serious is serious


@pytest.mark.parametrize(
    "text", ["my cholesterol hasnt moved", "el colesterol no ha bajado nada", "ma glycémie ne baisse pas"]
)
def test_a_lab_value_that_does_not_move_is_lack_of_efficacy(text: str) -> None:
    assert "lack_of_efficacy" in screen(text).situations


# Round 2 of generalisation (issue #13): seriousness in everyday and dialect wording is always a serious case.
@pytest.mark.parametrize(
    "text",
    [
        "had to call an ambulance last night",
        "i blacked out at the bus stop",
        "my lips went all swollen after the tablet",
        "coughing up blood again",
        "se me hinchó la lengua",
        "acabé en cuidados intensivos",
        "j'ai fait un malaise au supermarché",
        "crachats de sang ce matin",
        "mir wurde schwarz vor Augen",
        "der Notarzt musste kommen",
        "fiquei internado dois dias",
        "tive uma convulsão ontem",
        "oghmi 3alaya fel share3",
        "نقلوني على المستشفى بالليل",
        "ما قدرتش نتنفس مزيان",
        "صدري بيوجعني جامد",
        "دم في البراز امبارح",
        "sadri waja3ni mn embare7",
    ],
)
def test_everyday_and_dialect_seriousness_is_a_serious_case(text: str) -> None:
    result = screen(text)
    assert result.tier == "case" and result.serious, result


@pytest.mark.parametrize(
    "text",
    [
        "my husband has the flu, I'll call later",
        "mi hija está resfriada, ¿cambiamos la cita?",
        "mon fils a la grippe",
        "meine Tochter ist erkältet",
        "meu marido tá gripado",
        "جوزي عنده برد",
        "it fits in my bag",
        "c'est le 15 du mois",
        "ça tourne bien au travail",
        "I'll send the form tomorrow",
        "glycémie à 1,05 ce matin",
        "on my way to the clinic for the appointment",
        "der Stau auf dem Weg zur Klinik",
    ],
)
def test_other_peoples_everyday_illness_and_everyday_words_stay_clear(text: str) -> None:
    result = screen(text)
    assert result.tier != "case", result


@pytest.mark.parametrize(
    "text",
    [
        "my son threw up after his shot",  # a caregiver writing about the patient's treatment
        "my husband says I was talking nonsense last night",  # a relative's report about the patient
        "my dad had a stroke on tuesday",  # seriousness is kept: the relative may be the patient
        "mon mari s'est cassé le bras au foot et moi j'ai mal au dos",
    ],
)
def test_relatives_do_not_hide_the_patient(text: str) -> None:
    assert screen(text).tier == "case"


def test_a_defect_word_next_to_a_body_part_is_an_injury_not_a_quality_complaint() -> None:
    injury = screen("je me suis cassé le bras", "fr")
    assert injury.tier == "case" and injury.kind == "adverse_event" and not injury.situations
    pen = screen("le stylo est cassé", "fr")
    assert pen.situations == ("quality_complaint",)


def test_a_pets_illness_is_not_reopened_by_the_score() -> None:
    assert screen("le chien a vomi toute la nuit, le pauvre", "fr").tier == "clear"
    assert screen("o cachorro vomitou a noite toda, coitado", "pt").tier == "clear"


# Round 3 (issue #13): people outside the household are not the patient, even when the news is serious; help
# they call is for the patient. Probes written for the rule, not copied from any labelled set.
OUTSIDERS = [
    ("en", "my colleague had a heart attack last week, the office is in shock"),
    ("es", "mi jefe está en la uci desde el lunes, qué pena"),
    ("fr", "ma voisine a fait un AVC, on est tous sous le choc"),
    ("de", "meine Kollegin liegt im Krankenhaus mit einer Lungenentzündung"),
    ("pt", "a colega do trabalho foi internada ontem"),
    ("ar", "زميلي دخل المستشفى امبارح"),
]


@pytest.mark.parametrize(("lang", "text"), OUTSIDERS)
def test_an_outsiders_serious_illness_is_not_the_patients_case(lang: str, text: str) -> None:
    assert Screener().screen(text, lang).tier == "clear"


RESCUED = [
    ("en", "passed out in the kitchen, my neighbour called an ambulance"),
    ("es", "me caí redonda y una amiga llamó a la ambulancia"),
    ("fr", "j'ai fait un malaise au travail, un collègue a appelé le samu"),
    ("de", "bin im Büro umgekippt, der Kollege hat den Notarzt gerufen"),
    ("pt", "desmaiei no mercado, um amigo chamou o samu"),
    ("ar", "ghmi 3alaya fel shoghl w zamili talab el is3af"),
]


@pytest.mark.parametrize(("lang", "text"), RESCUED)
def test_help_called_by_an_outsider_is_for_the_patient(lang: str, text: str) -> None:
    result = Screener().screen(text, lang)
    assert result.tier == "case" and result.serious


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("es", "¿hay ayuda para el copago este mes?"),
        ("es", "mi perro lleva toda la semana raro"),
        ("es", "vaya partido el del domingo"),
        ("en", "is the nurse line open on bank holidays?"),
        ("en", "can the gp fax the prescription over?"),
    ],
)
def test_words_that_only_look_like_a_signal_stay_clear(lang: str, text: str) -> None:
    assert Screener(review_threshold=2.0, review_thresholds={}).screen(text, lang).tier == "clear"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "will it make me dizzy? I haven't started yet"),
        ("es", "¿da náuseas? todavía no he empezado"),
        ("fr", "ça donne des maux de tête ? j'ai pas encore commencé"),
        ("de", "macht das müde? fange morgen an"),
        ("pt", "dá enjoo? ainda não comecei"),
        ("ar", "بيعمل دوخة؟ لسه ما بديت"),
    ],
)
def test_before_the_first_dose_symptom_words_are_a_question(lang: str, text: str) -> None:
    assert Screener(review_threshold=2.0, review_thresholds={}).screen(text, lang).tier == "clear"


def test_not_started_does_not_hide_what_the_patient_has() -> None:
    result = Screener().screen("haven't started the new box yet but I have a rash from the last one", "en")
    assert result.tier == "case"


# Round 3: medically important events said in everyday words are serious (emergency advice, 24-hour clock).
SERIOUS_EVERYDAY = [
    ("en", "lately I think my family would be better off without me"),
    ("es", "me tienen con suero desde ayer en la planta"),
    ("fr", "j'ai vomi du sang ce matin"),
    ("de", "seit gestern schwarzer Stuhl und mir ist schwindlig"),
    ("pt", "meus olhos amarelos e a urina escura desde segunda"),
    ("ar", "البراز اسود من امبارح"),
]


@pytest.mark.parametrize(("lang", "text"), SERIOUS_EVERYDAY)
def test_medically_important_events_in_everyday_words_are_serious(lang: str, text: str) -> None:
    result = Screener().screen(text, lang)
    assert result.tier == "case" and result.serious


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "mein Sohn hat sich beim Fußball den Arm gebrochen"),
        ("en", "what a match, pure adrenaline!"),
        ("fr", "j'ai hâte d'en finir avec ces papiers"),
    ],
)
def test_everyday_words_near_serious_ones_are_not_serious(lang: str, text: str) -> None:
    assert not Screener().screen(text, lang).serious


# Round 3: a symptom said to be better since the treatment is efficacy; better since STOPPING is a
# dechallenge.
IMPROVED = [
    ("en", "my knees are much better since I started the injections"),
    ("es", "la tos mejoró mucho desde que empecé las pastillas"),
    ("fr", "mes douleurs ont disparu depuis les piqûres, merci"),
    ("de", "seit den Tabletten sind die Kopfschmerzen viel besser"),
    ("pt", "a dor de cabeça melhorou desde que comecei a caneta"),
    ("ar", "وجع الركبة خف من ساعة ما بدأت الحقن"),
]


@pytest.mark.parametrize(("lang", "text"), IMPROVED)
def test_a_symptom_better_since_the_treatment_is_efficacy(lang: str, text: str) -> None:
    assert Screener(review_threshold=2.0, review_thresholds={}).screen(text, lang).tier == "clear"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "since I stopped the pills my headache is better"),
        ("en", "the cough is better since the new inhaler but now I get palpitations"),
        ("pt", "parei o remédio e a tontura melhorou"),
    ],
)
def test_better_after_stopping_or_with_a_new_symptom_still_reaches_an_officer(lang: str, text: str) -> None:
    assert Screener().screen(text, lang).tier == "case"


# Round 5 (general causes found on spent blind set 6): the lexicon screen alone (no statistical score).
def _lexicon(text: str, lang: str) -> ScreenResult:
    return Screener().screen(text, lang)


# Serious in everyday words: a brain bleed, a transfusion, adrenaline given, kept in or sent straight to
# hospital, a wish to die, an overdose taken on purpose. Each must be a serious case, not a review.
SERIOUS_ROUND5 = [
    ("en", "the scan at A&E showed a small bleed on the brain"),
    ("en", "they had to give me two units of blood last night"),
    ("en", "took the whole packet on purpose, sorry"),
    ("en", "honestly some days I wish I was dead"),
    ("es", "me hicieron un tac y era una hemorragia cerebral"),
    ("es", "a mi padre lo ingresaron anoche con fiebre muy alta"),
    ("es", "me tomé toda la caja a propósito"),
    ("fr", "on m'a fait une transfusion hier soir"),
    ("fr", "ils l'ont gardée au CHU pour la nuit"),
    ("fr", "des fois je veux plus vivre"),
    ("de", "mein vater liegt seit gestern auf station"),
    ("de", "hab zwei blutkonserven gebraucht"),
    ("de", "hab absichtlich die ganze packung genommen"),
    ("pt", "fui parar no pronto atendimento com falta de ar"),
    ("pt", "ela ficou internada dois dias"),
    ("pt", "tomei a cartela toda de propósito"),
    ("ar", "الدكتور قال نزيف في المخ"),
    ("ar", "حجزوني يومين في المستشفى"),
    ("ar", "خدت العلبه كلها عمدا"),
]


@pytest.mark.parametrize(("lang", "text"), SERIOUS_ROUND5)
def test_round5_serious_everyday_words_are_serious_cases(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, result


# Lack of efficacy told by the disease's markers, lost senses, complaints of a body part, sharing, eyelash
# use,
# a dispensing mix-up, a cold-chain break: cases an officer must see.
CASES_ROUND5 = [
    ("en", "viral load has gone up again even though I never miss"),
    ("en", "the oncologist says the tumour has grown a bit"),
    ("en", "she hasn't grown at all since the summer"),
    ("es", "la carga viral me salió alta otra vez"),
    ("es", "el niño no ha crecido nada este año"),
    ("fr", "la charge virale remonte depuis un mois"),
    ("fr", "ma fille se plaint du ventre depuis les piqûres"),
    ("fr", "depuis hier je vois plus rien de près"),
    ("de", "der tumor ist trotzdem gewachsen"),
    ("de", "ich höre nichts mehr auf dem linken ohr"),
    ("pt", "a carga viral subiu de novo"),
    ("pt", "meu filho reclama das pernas desde a injeção"),
    ("ar", "الورم كبر في الاشعه الاخيره"),
    ("ar", "ما عدت اسمع كويس"),
    ("en", "my brother had a bad back so I gave him some of my pills"),
    ("es", "uso las gotas para las pestañas"),
    ("fr", "la pharmacie m'a donné du 20 au lieu du 10"),
    ("pt", "tomei as cápsulas na semana de descanso sem querer"),
    ("de", "das paket stand den ganzen tag in der sonne, der pen war warm angekommen"),
    ("en", "INR was 5.8 this morning"),
    ("pt", "meu inr deu 4,9"),
    ("en", "temperature 38.6 since lunch"),
    ("en", "eye pressure 29 in the left eye"),
    ("es", "me quedo como un gato mareado toda la tarde"),
]


@pytest.mark.parametrize(("lang", "text"), CASES_ROUND5)
def test_round5_general_families_are_cases(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case"


# What a PV officer does not want to see: figures of speech with a non-medical cause, a normal result, a small
# count beside good news, a question denied in the next sentence.
CLEAR_ROUND5 = [
    ("en", "this series gives me a headache it's so bad lol"),
    ("es", "el papeleo me da dolor de cabeza"),
    ("fr", "le feuilleton me donne la nausée tellement c'est nul"),
    ("de", "die steuererklärung macht mir kopfschmerzen"),
    ("pt", "essa burocracia me dá dor de cabeça"),
    ("ar", "المسلسل ده بيجيبلي صداع"),
    ("ar", "الماتش كان هيجيبلي جلطه 😂"),
    ("en", "INR 2.6 today, right in range"),
    ("de", "augendruck 15, alles gut"),
    ("pt", "tsh deu 1,8"),
    ("en", "great month, only one migraine"),
    ("es", "mes genial, solo una migraña"),
    ("de", "super monat, nur eine migräne"),
    ("pt", "mês ótimo, só uma crise de enxaqueca"),
    ("en", "can I drink beer with it? haven't had any, just wondering"),
    ("de", "darf man dabei wein trinken? hab nix getrunken"),
    ("fr", "on peut boire de l'alcool avec? j'ai pas bu"),
    ("de", "keinerlei beschwerden bisher"),
]


@pytest.mark.parametrize(("lang", "text"), CLEAR_ROUND5)
def test_round5_figures_normal_values_and_denied_questions_are_clear(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "clear", result


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # A figure-cause word does not hide a serious cue or a symptom tied to the treatment.
        ("en", "during the match I had a seizure"),
        ("en", "this series gives me a headache, and the pills make me throw up"),
        ("pt", "depois do jogo fiquei com falta de ar e fui pro pronto socorro"),
        # Good news does not hide a count beside a serious cue.
        ("en", "great month, only one seizure"),
        # A denied question followed by a real experience still reaches an officer.
        ("en", "can I drink with it? I had two glasses and now my heart is racing"),
        # A normal INR beside a symptom is still a case.
        ("en", "INR 2.5 but my gums keep bleeding"),
    ],
)
def test_round5_rules_keep_what_matters(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case"
