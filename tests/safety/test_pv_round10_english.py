"""Round 10 of issue #13 (branch round10-english): English recall on fresh chat text and patient reviews.

The families come from the English misses of the spent sets (blind set 11 above all, corpus D,
blind sets 3-10) and from PsyTAR *train*; PsyTAR dev was only measured. A family that is not
English-only is written in all six languages. Every sentence here is our own probe: each family
holds for wordings nobody tuned on, and each has hard negatives beside the positives.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# English "'s" ("hair's", "tumour's", "Dad's") hid the word it is glued to: the word is read without it.
CLITIC_S = [
    ("en", "my hair's coming out on the pillow since the pills"),
    ("en", "my face's all puffy and red this morning"),
    ("en", "my eye's all swollen since the shot"),
    ("en", "my throat's closing up"),
]
CLITIC_S_CLEAR = [
    ("en", "my hair's grown back nicely, all good"),
    ("en", "it's fine, thanks, that's all for today"),
    ("en", "what's the best time to take it?"),
]

# A negated expectation ("I never thought the withdrawal would be this bad") denies the belief, not the
# finding.
EXPECTATION = [
    ("en", "I never expected the dizziness to be this strong"),
    ("en", "I didn't realise how bad the withdrawal would get"),
    ("en", "would never have guessed the nausea could last a whole week"),
    ("es", "nunca pensé que los mareos serían tan fuertes"),
    ("es", "no me esperaba que la abstinencia fuera tan dura"),
    ("fr", "je n'aurais jamais cru que les vertiges dureraient autant"),
    ("fr", "je ne m'attendais pas à avoir autant de nausées"),
    ("de", "ich hätte nie gedacht, dass die Übelkeit so lange dauert"),
    ("de", "nicht damit gerechnet, dass der Schwindel so stark ist"),
    ("pt", "nunca imaginei que a tontura fosse tão forte"),
    ("pt", "não esperava que o enjoo durasse tanto"),
    ("ar", "عمري ما توقعت ان الدوخه تبقى بالقوه دي"),
    ("ar", "ما كنتش متخيل ان الصداع هيطول كده"),
]
# ... and the same words before a real denial stay clear.
EXPECTATION_CLEAR = [
    ("en", "never expected it to be this easy, no nausea at all"),
    ("es", "nunca pensé que sería tan fácil, sin mareos"),
    ("fr", "je ne pensais pas que ce serait aussi simple, aucun effet secondaire"),
    ("de", "hätte nie gedacht, dass es so gut wirkt, keine Nebenwirkungen"),
    ("pt", "nunca imaginei que ia ficar tão bem, sem enjoo nenhum"),
    ("ar", "ما توقعت ان الدوا يكون كويس كده، مفيش اي تعب"),
]

# The illness growing, spreading or worse despite the treatment, or a child who barely grew on it: lack of
# efficacy.
DESPITE = [
    ("en", "the scan says the cancer is spreading despite the tablets"),
    ("en", "my eczema got worse despite the injections"),
    ("en", "she has only grown 2 cm this year on the growth jabs"),
    ("es", "el tumor ha crecido otra vez a pesar de las pastillas"),
    ("es", "mi hijo solo creció un centímetro este año con las inyecciones"),
    ("fr", "le scanner montre que la tumeur a encore grossi malgré le traitement"),
    ("fr", "mon fils n'a grandi que de 1 cm cette année avec les piqûres"),
    ("de", "laut CT ist der Tumor trotz der Tabletten gewachsen"),
    ("de", "der Krebs hat trotz Therapie gestreut"),
    ("pt", "a tomografia mostrou que o tumor cresceu apesar do remédio"),
    ("pt", "meu filho só cresceu 1 cm esse ano com as injeções"),
    ("ar", "الاشعه بتقول الورم كبر رغم العلاج"),
    ("ar", "ابني ما طولش السنه دي مع الحقن"),
]
DESPITE_CLEAR = [
    ("en", "I went to the gym despite the rain, feeling great"),
    ("es", "salí a caminar a pesar del frío, todo bien"),
    ("fr", "le bébé a bien grandi malgré sa naissance prématurée, tout va bien"),
    ("pt", "fui à academia apesar do frio, tudo ótimo"),
    ("ar", "رحت الشغل رغم المطر والحمد لله كويس"),
]

# An unknown capitalised word after a product cue ("she's on Xyz", "after his Xyz", "sous Xyz") is a
# medicine the lexicon cannot know by name: a carer's report about it is kept like one about "the tablets".
PRODUCT_NAME = [
    ("en", "my mum's ankles are really swollen, she's on Nortavel"),
    ("en", "my husband keeps throwing up after his Zelmora"),
    ("en", "grandad gets dizzy every morning on the Plixotan"),
    ("es", "mi padre tiene mucha diarrea, toma su Varnexo cada mañana"),
    ("fr", "mon mari a des vertiges depuis qu'il est sous Varnexo"),
    ("pt", "minha mãe está com muita tontura, toma sua Varnexo de manhã"),
]
# ... but a day, a place of two words or a person after "with" is no product.
PRODUCT_NAME_CLEAR = [
    ("en", "my husband has the flu, I'll do my Onvexa on Monday"),
    ("en", "my son has a cold, we're off to the Lake District"),
    ("en", "my wife has a migraine, she's with Sarah today"),
    ("es", "mi madre tiene gripe, está con Marta en casa"),
    ("fr", "ma mère a la grippe, elle est avec Julie"),
    ("pt", "minha mãe está gripada, está com a Ana"),
]

# "gone" followed by its complement ("gone a bit yellow", "gone muffled") is a change, not an improvement.
GONE_WORSE = [
    ("en", "my eyes have gone a bit yellow since the tablets"),
    ("en", "my ear's gone muffled since the injection"),
]
GONE_BETTER = [
    ("en", "the rash has gone away since the tablets, brilliant"),
    ("en", "the swelling has gone down since the new tablets, really pleased"),
]

# A stay on a hospital ward told plainly, sent in by the doctor, a road accident after a spell: serious.
WARD_AND_ROAD = [
    ("en", "I was on a ward for 4 days with my liver after the jab"),
    ("en", "the GP sent me in and they kept me two nights"),
    ("en", "felt faint at the wheel and I went off the road"),
    ("es", "estuve cinco días en planta por el hígado"),
    ("es", "me mareé conduciendo y me salí de la carretera"),
    ("fr", "j'ai passé quatre jours dans le service de cardiologie"),
    ("fr", "j'ai eu un malaise au volant et je suis sorti de la route"),
    ("de", "mir wurde am Steuer schwarz und ich bin im Graben gelandet"),
    ("de", "ich lag fünf Tage auf Station"),
    ("pt", "fiquei quatro dias na enfermaria por causa do fígado"),
    ("pt", "tive uma tontura dirigindo e saí da estrada"),
    ("ar", "قعدت اربع ايام في العنبر بسبب الكبد"),
    ("ar", "دخت وانا سايق وعملت حادثه"),
]
WARD_CLEAR = [
    ("en", "the parcel ended up in a ditch, the driver just threw it"),
    ("fr", "le colis a fini dans le fossé, le livreur l'a jeté"),
    ("de", "das Paket ist im Graben gelandet, bitte neu schicken"),
    ("en", "I work on the ward, long shift today, all fine with the pen"),
    ("en", "I sent her in the form yesterday, thanks"),
]

# Memory lost in the moment ("forgets what you told him a minute later"), a "funny turn": a finding.
MEMORY = [
    ("en", "he forgets what you told him a minute later since the new tablets"),
    ("en", "I forget what I'm saying halfway through a sentence"),
    ("en", "my wife had a funny turn after her injection"),
    ("es", "se le olvida todo lo que le dices al minuto"),
    ("es", "olvido lo que iba a decir a mitad de frase"),
    ("fr", "j'oublie ce que je voulais dire au milieu de la phrase"),
    ("de", "er vergisst alles, was man ihm sagt"),
    ("pt", "esqueço o que ia dizer no meio da frase"),
    ("ar", "بقى ينسى كل حاجه بعد دقايق"),
]
# Chat shorthand for nausea and vomiting, a headache typed by ear.
MEMORY += [
    ("en", "N+V x3 days since the jab"),
    ("en", "n/v all night after the new tablets"),
    ("en", "hed ake every day since starting"),
]
MEMORY_CLEAR = [
    ("en", "I forgot what time I took it this morning, is that ok?"),
]

# The patient's own medicine given to, or taken by, someone else, whatever word stands between: misuse.
GIFTS = [
    ("en", "my cousin wanted to lose weight so I gave her three of my Fenlora pens"),
    ("en", "my flatmate pinched a couple of my sleeping tablets"),
    ("es", "le di dos de mis inyecciones de Fenlora a mi prima para adelgazar"),
    ("fr", "je lui ai donné deux de mes stylos Fenlora pour maigrir"),
    ("de", "ich gab ihm zwei von meinen Fenlora Pens zum Abnehmen"),
    ("pt", "dei pra ela duas das minhas canetas de Fenlora"),
    ("ar", "اديتها شريط من الحبوب بتاعتي عشان تخس"),
    ("ar", "اختي بتاخد من الكبسولات بتاعتي"),
]
# A carer giving the patient THEIR dose, or someone giving the patient theirs, is no gift.
GIFTS_CLEAR = [
    ("en", "I gave him his injection at 8, all good"),
    ("en", "my husband gave me my injection tonight, all fine"),
    ("en", "my son nicked my phone charger again"),
    ("ar", "جوزي اداني الحقنه بتاعتي النهارده، كله تمام"),
]

# Trouble after missed doses told without its symptom, a job lost to the treatment: a doubt for review.
MISSED_DOSES_AND_JOB = [
    ("en", "within hours of missing a dose I'm a wreck"),
    ("en", "missing a dose can wreck my whole weekend"),
    ("es", "a las pocas horas de saltarme una dosis lo noto muchísimo"),
    ("fr", "quelques heures après avoir oublié une prise je suis dans un état pas possible"),
    ("de", "ein paar Stunden nach einer vergessenen Dosis geht es los"),
    ("pt", "poucas horas depois de esquecer uma dose já sinto"),
    ("ar", "بعد ما انسى جرعه بساعات بتقلب عليا"),
    ("es", "perdí el trabajo por culpa de la medicación"),
    ("fr", "j'ai perdu mon travail à cause de ce médicament"),
    ("de", "ich habe meinen Job verloren wegen der Tabletten"),
    ("pt", "perdi o emprego por causa do remédio"),
    ("ar", "خسرت شغلي بسبب الدوا"),
]
MISSED_DOSES_CLEAR = [
    ("en", "what happens if I miss a dose?"),
    ("en", "I never miss a dose, all good"),
]


@pytest.mark.parametrize(("lang", "text"), MISSED_DOSES_AND_JOB)
def test_trouble_after_missed_doses_or_a_lost_job_is_reported(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier in ("case", "review"), text


@pytest.mark.parametrize(("lang", "text"), GIFTS)
def test_the_patients_own_medicine_given_to_someone_else_is_misuse(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "misuse_abuse" in result.situations, text


@pytest.mark.parametrize(("lang", "text"), WARD_AND_ROAD)
def test_a_ward_stay_or_a_road_accident_is_serious(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and result.serious, text


@pytest.mark.parametrize(("lang", "text"), CLITIC_S + EXPECTATION + PRODUCT_NAME + GONE_WORSE + MEMORY)
def test_the_finding_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(
    ("lang", "text"),
    CLITIC_S_CLEAR
    + EXPECTATION_CLEAR
    + DESPITE_CLEAR
    + PRODUCT_NAME_CLEAR
    + GONE_BETTER
    + WARD_CLEAR
    + MEMORY_CLEAR
    + GIFTS_CLEAR
    + MISSED_DOSES_CLEAR,
)
def test_hard_negatives_stay_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), DESPITE)
def test_the_illness_growing_despite_the_treatment_is_lack_of_efficacy(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "lack_of_efficacy" in result.situations, text
