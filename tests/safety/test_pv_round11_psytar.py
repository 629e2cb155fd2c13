"""Round 11 of issue #13 (branch round11-psytar): English drug-review language (PsyTAR's shape).

The families come from sorting the screen's misses and false alarms on PsyTAR *train* into causes
(`bench/psytar_train.py`); PsyTAR dev was only measured. Every sentence here is our own wording, written for
the shape of the sentence (who, when, whether), with hard cases beside each family that must keep their
verdict. Each tuple names the verdict a user would see from the lexicon and rules: "case" (escalated),
"review" or "clear".
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# Drug-review idioms: the medicine turned the patient into someone else; emptiness; anger at the people
# around; spending; behaviour out of character; the blood pressure said to rise.
IDIOMS = [
    ("en", "case", "It turned me into a zombie for the whole spring."),
    ("en", "case", "honestly this stuff turned me into a monster"),
    ("en", "case", "After a month on it I turned into a couch potato."),
    ("en", "case", "Within weeks I had turned into a recluse."),
    ("en", "case", "It left me feeling empty inside."),
    ("en", "case", "I just feel so empty all the time on it."),
    ("en", "case", "I was yelling at my kids over every little thing."),
    ("en", "case", "I was screaming at everyone for no reason."),
    ("en", "case", "I went on a shopping spree I could not afford."),
    ("en", "case", "I was doing things I would never normally do."),
    ("en", "case", "My BP rose a lot in the first month."),
    ("en", "case", "my bp went up on the higher dose"),
    ("en", "case", "I became a hermit and stopped seeing friends."),
    ("en", "case", "I started picking fights with my partner."),
    ("en", "case", "Everything felt unreal, like a dream."),
    ("en", "case", "Whenever I turned my head I got electric jolts."),
    ("en", "case", "There was a whooshing in my ears every time I moved."),
    ("en", "case", "I get crying jags most evenings now."),
    ("en", "case", "Word finding has become really hard for me."),
]
IDIOMS_CLEAR = [
    ("en", "clear", "It turned me into a calmer person."),
    ("en", "clear", "I spent money on a new phone."),
    ("en", "clear", "My blood pressure was 120/80, perfect."),
    ("en", "clear", "The whooshing of the dishwasher keeps me up."),
]

# Withdrawal and lack of efficacy in review words: the trouble of getting off, the illness as before, the bad
# outweighing the good, "not for me", one problem traded for another, no different.
WITHDRAWAL_AND_EFFICACY = [
    ("en", "case", "I had a hard time getting off it, dizzy for weeks."),
    ("en", "case", "I am having a hard time weaning, it is rough."),
    ("en", "case", "This stuff is really hard to get off."),
    ("en", "case", "Three months in and I'm back to where I was."),
    ("en", "case", "Felt like I never took it at all."),
    ("en", "case", "For me the bad outweighs the good."),
    ("en", "case", "Honestly this drug is not for me."),
    ("en", "case", "It traded my anxiety for another set of issues."),
    ("en", "case", "I felt no different after two months."),
    ("en", "case", "It never made me feel any better."),
    ("en", "case", "It never made me feel less depressed."),
    ("en", "case", "I was off work for six weeks because of the dizziness."),
    ("en", "case", "I have been off work for two months due to the fatigue."),
]
WITHDRAWAL_AND_EFFICACY_CLEAR = [
    ("en", "clear", "I was off work this week for my holiday."),
    ("en", "clear", "I cut my dose in half on my doctor's advice, no problems."),
]

# Functions lost in everyday words: a conversation, sex ("finish in bed", "love life", intimacy); "wasn't able
# to" is "not able to". An own function named in a question or a plain use stays clear.
FUNCTIONS = [
    ("en", "case", "I could not hold a conversation with my wife."),
    ("en", "case", "I was not able to finish in bed."),
    ("en", "case", "It has ruined my love life."),
    ("en", "case", "I wasn't able to sleep for days."),
    ("en", "case", "I wasn't able to concentrate at work."),
    ("en", "case", "I was not able to sleep at all on it."),
]
FUNCTIONS_CLEAR = [
    ("en", "clear", "Can I hold a conversation in the waiting room?"),
    ("en", "clear", "I am finally able to sleep through the night."),
    ("en", "clear", "Since the second week I was able to sleep again."),
]

# Denials that name the effect they deny reach a list after them; a drug class named as a category the
# patient has tried or ranks is no second medicine; the illness said to be better is efficacy.
DENIALS_AND_CATEGORIES_CLEAR = [
    ("en", "clear", "It never made me feel sleepy or groggy."),
    ("en", "clear", "It never made me feel drowsy or foggy."),
    ("en", "clear", "I can't name a single side effect."),
    ("en", "clear", "I have had no sexual side effects on it."),
    ("en", "clear", "Lexapro is the best antidepressant I have had."),
    ("en", "clear", "It was my first SSRI and it suits me."),
    ("en", "clear", "I have tried several antidepressants over the years."),
    ("en", "clear", "Many SSRIs never suited me, this one does."),
    ("en", "clear", "I've been on SSRIs for ten years."),
    ("en", "clear", "My mood swings have evened out."),
    ("en", "clear", "Fewer migraines since the injections began."),
    ("en", "clear", "The tablets took away the fibro pain within a month."),
]
# ... and the hard cases beside them stay flagged.
STILL_FLAGGED = [
    ("en", "case", "I take another antidepressant with it and my heart races."),
    ("en", "case", "I am on an SSRI too and now I bruise easily."),
    ("en", "case", "My migraines have improved but now I have a rash."),
    ("en", "case", "My sleep has improved but my ankles are swollen since the shot."),
    ("en", "case", "It didn't make me feel any better, just numb."),
]

# The indication: an illness named right after "take it for", "prescribed it for" or "anyone with" is what the
# treatment is for; an event told in the next clause, a seriousness cue and a special situation stay flagged.
INDICATION_CLEAR = [
    ("en", "clear", "I take it for my psoriasis."),
    ("en", "clear", "I started it for generalized anxiety."),
    ("en", "clear", "I would recommend it to anyone with anxiety."),
    ("en", "clear", "Great option for people with depression who can't sleep."),
    ("en", "clear", "I was put on it for depression last spring."),
]
INDICATION_FLAGGED = [
    ("en", "case", "I take it for depression and now I have headaches."),
    ("en", "case", "I was put on it for depression and it made me suicidal."),
    ("en", "case", "Prescribed it for eczema, but the rash got worse."),
    ("en", "case", "I take it for my psoriasis, since last week I have had diarrhoea."),
]

# A dose stepped down or stopped and a hard time told in the same sentence: withdrawal in a reviewer's words,
# a doubt for review. Without the hard time, asked about, or a hard time with nothing stepped down: clear.
STEP_DOWN = [
    ("en", "review", "I went down to 20mg and it has been a terrible week."),
    ("en", "review", "Dropping to 75 mg has been awful."),
    ("en", "review", "Tapering from 20 to 10 was brutal."),
    ("en", "review", "The first week off was the worst."),
    ("en", "review", "Cutting down to half a pill has been rough."),
]
STEP_DOWN_CLEAR = [
    ("en", "clear", "I went down to 20mg and feel great."),
    ("en", "clear", "Tapering went fine, no problems at all."),
    ("en", "clear", "The weather has been awful this week."),
    ("en", "clear", "I cut down on coffee and feel better."),
    ("en", "clear", "Will tapering be awful?"),
]

# A state the treatment made the patient feel ("it made me so slow", "makes me feel detached"), and states
# that are findings by themselves (loopy, dopey, robotic). Praise in the same shape, someone else who "makes
# me crazy", and a state made smaller stay clear.
MADE_ME = [
    ("en", "case", "These tablets made me so slow at work."),
    ("en", "case", "It makes me feel detached from my kids."),
    ("en", "case", "The higher dose made me really clumsy."),
    ("en", "case", "I was loopy for the first two weeks."),
    ("en", "case", "I felt robotic the whole time."),
    ("en", "case", "It made me feel heavy all day."),
]
MADE_ME_CLEAR = [
    ("en", "clear", "It makes me feel calm."),
    ("en", "clear", "My boss makes me crazy."),
    ("en", "clear", "It made me less hungry, great for my diet."),
]


@pytest.mark.parametrize(
    ("lang", "tier", "text"),
    IDIOMS
    + IDIOMS_CLEAR
    + WITHDRAWAL_AND_EFFICACY
    + WITHDRAWAL_AND_EFFICACY_CLEAR
    + FUNCTIONS
    + FUNCTIONS_CLEAR
    + DENIALS_AND_CATEGORIES_CLEAR
    + STILL_FLAGGED
    + INDICATION_CLEAR
    + INDICATION_FLAGGED
    + STEP_DOWN
    + STEP_DOWN_CLEAR
    + MADE_ME
    + MADE_ME_CLEAR,
)
def test_drug_review_wordings_get_their_verdict(lang: str, tier: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == tier, (text, result.tier, result.evidence)
    assert result.escalate == (tier == "case"), text
    if tier == "clear":
        assert result.kind == "none" and not result.serious, text


def test_a_serious_event_after_the_indication_stays_serious() -> None:
    result = _lexicon("I was put on it for depression and it made me suicidal.", "en")
    assert result.tier == "case" and result.serious


LACK_OF_EFFICACY = [
    ("en", "case", "It never made me feel any better."),
    ("en", "case", "It never made me feel less depressed."),
    ("en", "case", "Honestly this drug is not for me."),
    ("en", "case", "For me the bad outweighs the good."),
    ("en", "case", "I felt no different after two months."),
    ("en", "case", "Three months in and I'm back to where I was."),
]


@pytest.mark.parametrize(("lang", "tier", "text"), LACK_OF_EFFICACY)
def test_the_treatment_not_helping_is_lack_of_efficacy(lang: str, tier: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == tier and "lack_of_efficacy" in result.situations, (text, result.situations)
