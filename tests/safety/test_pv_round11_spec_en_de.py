"""Round 11 of issue #13 (specificity, English and German): false alarms of blind set 12 (spent), blind set 11
and corpora C and D sorted by the shape of their sentence, each shape a family with our own wordings and the
hard cases that must stay reported.

- The illness as it was (unchanged, from before the treatment, already reported and over) and the illness
  named as the reason for the treatment: a clear the score does not reopen.
- A stated cause with the treatment set apart ("after the night shift, but the pen is done", "nothing to do
  with the tablets"), an infection with its source named (brought home from nursery).
- Someone else's side effect on another medicine, the patient set apart ("mine has been fine").
- A worry that did not come true ("worried I'd faint, but it turned out fine").
- Hearsay asked about ("is it true ...? saw it on TikTok") and questions before the first appointment.
- Values: a number after a measurement word is its value, not the emergency number; a value that fell beside
  good news is efficacy, so is a measured thing said to be fine ("Leberwerte passen"); a problem word denied
  beside a body part ("not even red") is a denial.
- Figures of speech (paperwork, laughing) and a symptom easing in everyday words.

The sentences are our own probes, not the sets'.
"""

from __future__ import annotations

from functools import lru_cache

import pytest

from bot.safety import Screener, screen
from tests.safety.probes import lexicon as _lexicon


@lru_cache(maxsize=1)
def _strongly_scored() -> Screener:
    """A score of 1.0 reopens every clear but a deliberate aside."""
    return Screener(scorer=lambda _text, _lang: 1.0, review_threshold=0.5, reopen_denied=0.9)


def _flagged(text: str, lang: str) -> bool:
    return screen(text, lang).tier in ("case", "review")


# The illness as it was: not reopened by a strong score (the lexicon read the whole story).
AS_BEFORE = [
    ("en", "My psoriasis has been there for years, no worse since starting the injections"),
    ("en", "Had the tremor long before the tablets, it hasn't changed"),
    ("en", "The knee pain I told the nurse about last month has cleared up completely"),
    ("en", "Had this wheeze for ages before I started, it's the asthma, no different now"),
    ("de", "Die Migräne hab ich schon seit Jahren, durch die Tabletten nicht schlimmer"),
    ("de", "Den Ausschlag hab ich letzte Woche schon gemeldet, der ist inzwischen ganz weg"),
    ("de", "Das Ohrensausen hab ich seit Jahren, ist nicht anders als vor der Therapie"),
]
AS_BEFORE_REPORTED = [
    ("en", "Had eczema for years, no worse, but since the jab I've got a new rash on my neck"),
    ("en", "The rash I reported last month is gone, but now my ankles are swollen"),
    ("de", "Rückenschmerzen seit Jahren, nicht schlimmer, aber seit der Spritze hab ich Ausschlag am Hals"),
    ("de", "Den Schwindel hab ich schon gemeldet, ist weg, aber jetzt hab ich Herzstolpern"),
]

# The illness named as the reason for the treatment.
REASON = [
    ("en", "Joint pain is why I'm on the injections and it's much better this month"),
    ("en", "My hands swell up, that's the reason I take them, and they're a lot better"),
    ("de", "Ich nehme die Tabletten wegen meiner Kopfschmerzen, die sind viel besser geworden"),
    ("de", "Die Gelenke tun morgens weh, deswegen krieg ich ja die Spritze"),
]
REASON_REPORTED = [
    ("en", "I'm on the pen because of my psoriasis, but it gave me a rash on my arms"),
    ("de", "Ich nehme die Tabletten wegen meiner Kopfschmerzen, aber seitdem ist mir ständig übel"),
    ("en", "The doctor has me on the pen for my eczema, not the psoriasis it is licensed for"),
]

# A stated cause with the treatment named only after it: not reopened by a strong score.
CAUSE_SET_APART = [
    ("en", "Shattered after three night shifts in a row, but the pen's done for this week"),
    ("en", "Sore throat, the kids brought it home from nursery, nothing to do with the tablets"),
    ("en", "Wiped out after my niece's christening party yesterday, took my tablet anyway"),
    ("en", "Knackered after being on call all weekend, jab done though"),
    ("de", "Völlig fertig nach der Spätschicht, Tablette hab ich trotzdem genommen"),
    ("de", "Schnupfen aus der Kita mitgebracht, hat nichts mit der Spritze zu tun"),
    ("de", "Rücken tut weh vom Umzug am Wochenende, hat nix mit dem Medikament zu tun"),
]
CAUSE_REPORTED = [
    ("en", "Tired after my night shift, took my tablet and an hour later my lips swelled up"),
    ("en", "Cold from the office, but since the last jab I also have a rash on my chest"),
    ("de", "Nach der Nachtschicht müde, aber seit der Spritze hab ich Ausschlag am Bauch"),
    ("de", "Erkältung von den Kindern mitgebracht, und seit der Tablette hab ich Herzrasen"),
]

# Someone else's side effect on another medicine, the patient set apart.
OTHERS = [
    ("en", "My sister is on a different statin and gets cramps, mine has been fine"),
    ("en", "A friend stopped her jab because of hair loss, luckily not me"),
    ("de", "Mein Kollege nimmt ein anderes Präparat und hat davon Ausschlag, bei mir ist zum Glück nichts"),
    ("de", "Meine Kollegin hat von ihrer Pille Kopfweh, ich zum Glück gar nicht"),
]
OTHERS_REPORTED = [
    ("en", "My sister gets cramps on her statin, and now I've got them too"),
    ("de", "Meine Nachbarin hatte Ausschlag davon und ich jetzt auch"),
    ("de", "Mein Mann hat Durchfall, bei mir zum Glück nichts, aber ich hab seit der Spritze Fieber"),
]

# A worry that did not come true.
WORRY_UNFOUNDED = [
    ("en", "I was worried I'd be sick after the first dose but it turned out fine"),
    ("en", "Was scared I'd feel dizzy at the infusion, nothing happened in the end"),
    ("de", "Ich hatte Angst, dass mir von der Spritze schlecht wird, ist aber nichts passiert"),
    ("de", "Hatte Schiss, dass mir schwindlig wird, lief aber alles gut"),
]
WORRY_CAME_TRUE = [
    ("en", "I was worried I'd be sick after the dose and I was, threw up twice"),
    ("de", "Hatte Angst, dass ich umkippe, und bin dann tatsächlich umgekippt"),
    ("de", "Hatte Angst vor der Spritze, ging alles gut, aber seitdem Kopfweh"),
]

# Hearsay asked about, and questions before the first dose.
HEARSAY_QUESTIONS = [
    ("en", "Is it true the weight jabs cause pancreatitis? My cousin saw it on TikTok"),
    ("en", "Is that true these pills thin your hair? Read it on reddit"),
    ("de", "Stimmt es, dass man von den Tabletten Haarausfall kriegt? Hab das auf Instagram gesehen"),
    ("de", "Ist da was dran, dass die Spritze müde macht? Kam im Radio"),
]
BEFORE_FIRST = [
    ("de", "Welche Nebenwirkungen sind häufig? Ich hab übermorgen die erste Spritze"),
    ("en", "What side effects should I expect? My first injection is on Friday"),
]
QUESTIONS_REPORTED = [
    ("en", "Is it true these cause hair loss? Because my hair is coming out in clumps"),
    ("de", "Stimmt es, dass die Spritze müde macht? Ich bin seit Tagen total erschöpft"),
    ("en", "What side effects are common? I've had the first two and feel sick all the time"),
]

# Values.
VALUES = [
    ("de", "Zucker morgens 112, alles im Rahmen"),
    ("en", "sugar 112 this morning fasting, happy with that"),
    ("en", "LDL went from 180 to 70, my GP is thrilled"),
    ("de", "HbA1c von 9 auf 6,5 runter, die Ärztin ist zufrieden"),
    ("de", "HbA1c jetzt 6,4 statt früher 8, super"),
    ("en", "HbA1c 6.1 instead of 8 last year, brilliant"),
    ("de", "Leberwerte passen, sagt die Hausärztin"),
    ("en", "The injection site looks clean, not even red"),
    ("de", "Die Haut an der Einstichstelle ist ruhig, nicht mal geschwollen"),
]
VALUES_REPORTED = [
    ("de", "Zucker 35, mein Mann hat 112 gerufen"),
    ("en", "blood sugar was 30 so my wife called 999"),
    ("en", "Platelets dropped from 250 to 40, the haematologist is worried"),
    ("en", "The injection site is not red but it's really swollen and hot"),
    ("de", "Leberwerte passen nicht, die Ärztin will nochmal messen"),
    ("de", "Zucker jetzt 250 statt 120, super nervig"),
]

# Figures of speech and a symptom easing.
FIGURES = [
    ("en", "I nearly died laughing at my son's school play"),
    ("en", "I'm sick to death of the pharmacy losing my order"),
]
EASING = [
    ("en", "Still get the odd headache when I'm tired but way better than before"),
    ("de", "Die Neurodermitis an den Armen ist noch da, aber viel weniger als vorher"),
]
EASING_REPORTED = [
    ("en", "My headaches are way better, but the injection site is red and hot"),
    ("de", "Er kann kaum noch die Tasse halten, seit er die neuen Tabletten nimmt"),
]


@pytest.mark.parametrize(("lang", "text"), AS_BEFORE + CAUSE_SET_APART + HEARSAY_QUESTIONS)
def test_a_story_the_lexicon_reads_whole_is_not_reopened(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text
    assert _strongly_scored().screen(text, lang).tier == "clear", text
    assert screen(text, lang).tier == "clear", text


@pytest.mark.parametrize(
    ("lang", "text"), REASON + OTHERS + WORRY_UNFOUNDED + BEFORE_FIRST + VALUES + FIGURES + EASING
)
def test_the_shipped_screen_clears_the_shape(lang: str, text: str) -> None:
    result = screen(text, lang)
    assert result.tier == "clear" and not result.escalate, text


@pytest.mark.parametrize(
    ("lang", "text"),
    AS_BEFORE_REPORTED
    + REASON_REPORTED
    + CAUSE_REPORTED
    + OTHERS_REPORTED
    + WORRY_CAME_TRUE
    + QUESTIONS_REPORTED
    + VALUES_REPORTED
    + EASING_REPORTED,
)
def test_the_patients_own_event_beside_the_shape_is_flagged(lang: str, text: str) -> None:
    assert _flagged(text, lang), text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("de", "Zucker 35, mein Mann hat 112 gerufen"),
        ("en", "blood sugar was 30 so my wife called 999"),
        ("de", "Hatte Angst, dass ich umkippe, und bin dann tatsächlich umgekippt"),
    ],
)
def test_serious_cues_beside_the_shape_stay_serious_cases(lang: str, text: str) -> None:
    result = screen(text, lang)
    assert result.tier == "case" and result.escalate and result.serious, text


def test_a_paperwork_figure_is_a_denial_only_a_strong_score_reopens() -> None:
    # Main's round-11 rule (fr/ar branch): a clear a figure explains is reopened by a strong score only.
    text = "Bei dem ganzen Antragskram platzt mir gleich der Schädel"
    assert _lexicon(text, "de").tier == "clear"
    assert _strongly_scored().screen(text, "de").tier == "review"


def test_a_worry_never_clears_a_serious_cue() -> None:
    # Serious cues are never cleared by a rule: a faint feared and "all fine" stays for an officer.
    assert screen("Was scared I'd pass out at the infusion, nothing happened in the end", "en").serious


def test_a_relatives_finding_tied_to_their_pill_stays_a_carers_report() -> None:
    # A relative (not an outsider) may be the patient: "my sister ... from her pill" is not set aside.
    text = "Meine Schwester hat von ihrer Pille Kopfweh, ich zum Glück gar nicht"
    assert _lexicon(text, "de").tier == "case"


def test_a_serious_word_inside_a_figure_is_part_of_it() -> None:
    result = _lexicon("I nearly died laughing at the nurse's joke", "en")
    assert not result.serious and result.tier == "clear"
    assert _lexicon("I nearly died, I couldn't breathe after the injection", "en").serious


def test_a_finding_whose_term_holds_the_figure_cause_may_be_reopened() -> None:
    # Main's rule (round11-review): such a term is masked, but the clear is not deliberate.
    text = "I couldn't concentrate at all, which made it impossible to do my job"
    assert _strongly_scored().screen(text, "en").tier != "clear"
