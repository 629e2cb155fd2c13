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

# A finding told in passing after logistics and an afterthought marker ("oh and", "übrigens", "au fait", "por
# cierto", "aliás", "على فكره"): the marker ends the all-clear, so the finding is read.
AFTERTHOUGHT = [
    (
        "en",
        "pens arrived fine, all in the fridge. oh and the spot where I did the last one has gone red and hot",
        "case",
    ),
    ("en", "Delivery all good thanks. Btw I've had a dry cough for a week, could it be the tablets?", "case"),
    (
        "de",
        "Lieferung passt, danke. Übrigens hab ich seit einer Woche Reizhusten, kommt das von den Tabletten?",
        "case",
    ),
    ("fr", "livraison ok merci. au fait j'ai une toux sèche depuis dix jours, c'est le médicament ?", "case"),
    ("es", "Todo llegó bien, gracias. Por cierto, llevo una semana con tos seca, ¿será la pastilla?", "case"),
    (
        "pt",
        "chegou tudo certo, obrigada. aliás, tô com uma tosse seca faz uma semana, pode ser o remédio?",
        "case",
    ),
    ("ar", "الشحنه وصلت تمام شكرا. على فكره عندي كحه ناشفه من اسبوع، ممكن من الدوا؟", "case"),
]

# ... while an afterthought that asks a practical question leaves the all-clear clear.
AFTERTHOUGHT_NEGATIVES = [
    ("en", "all good, thanks! by the way can you move my call to Friday?", "clear"),
    ("de", "Alles gut angekommen. Übrigens, können Sie den Termin verschieben?", "clear"),
    ("fr", "tout va bien, merci. au fait, je peux décaler le rendez-vous ?", "clear"),
    ("es", "todo bien, gracias. por cierto, ¿me pueden cambiar la cita al lunes?", "clear"),
    ("pt", "tudo certo, obrigado. aliás, posso mudar a consulta pra sexta?", "clear"),
    ("ar", "كله تمام الحمد لله. على فكره ممكن نغير ميعاد الزياره؟", "clear"),
]

# Redness with heat or warmth told together (a local inflammation, at an injection site or elsewhere): a case.
RED_AND_HOT = [
    ("en", "the area round the injection is red and warm since yesterday", "case"),
    ("de", "Die Einstichstelle ist rot und warm geworden", "case"),
    ("fr", "là où j'ai piqué c'est rouge et chaud", "case"),
    ("es", "donde me pinché está rojo y caliente", "case"),
    ("pt", "o lugar da aplicação ficou vermelho e quente", "case"),
    ("ar", "مكان الحقنه احمر وسخن من امبارح", "case"),
]

# ... not in a question about what might happen, nor on a pet.
RED_AND_HOT_NEGATIVES = [
    ("es", "¿y si algún día el sitio se pone rojo y caliente, qué hago?", "clear"),
    ("en", "the dog's paw is red and hot, taking him to the vet", "clear"),
    ("de", "was mache ich, wenn die Einstichstelle mal rot und warm wird?", "clear"),
    ("fr", "que faire si un jour la zone devient rouge et chaude ?", "clear"),
    ("pt", "o que faço se o local ficar vermelho e quente algum dia?", "clear"),
    ("ar", "لو مكان الحقنه بقى احمر وسخن اعمل ايه؟", "clear"),
]

# A test positive again during or after the treatment (the illness back): a case.
POSITIVE_AGAIN = [
    ("en", "tested positive again for the infection a month after finishing the course", "case"),
    ("en", "test came back negative again, all clear", "clear"),
    ("de", "der Test ist nach der Kur wieder positiv ausgefallen", "case"),
    ("fr", "le test est de nouveau positif un mois après la fin du traitement", "case"),
    ("es", "terminé el tratamiento y volví a dar positivo en el análisis", "case"),
    ("pt", "acabei o tratamento e o exame deu positivo de novo", "case"),
    ("ar", "خلصت العلاج والتحليل طلع ايجابي تاني", "case"),
]

# ... not a hypothetical, nor a positive mood.
POSITIVE_AGAIN_NEGATIVES = [
    ("en", "if the test is positive again what happens next?", "clear"),
    ("en", "feeling positive again after a rough week, thanks for asking", "clear"),
    ("fr", "je me sens de nouveau positive, merci pour votre soutien", "not_serious"),
    ("es", "intento pensar positivo otra vez, gracias por el apoyo", "clear"),
    ("pt", "tô tentando ter pensamento positivo de novo, obrigada", "clear"),
    ("ar", "بحاول ابقى ايجابي من جديد الحمد لله", "clear"),
    ("de", "bin wieder positiv gestimmt, danke der Nachfrage", "clear"),
]

# The patient's own medicine (a substitution or controlled drug named by its common name, injections or pens)
# given to or taken by someone else: misuse.
DIVERSION = [
    ("en", "my mate's trying to come off heroin so I've been giving him some of my methadone", "case"),
    ("en", "my cousin keeps helping himself to my ritalin before exams", "case"),
    ("es", "le estoy dando a mi cuñado parte de mi metadona", "case"),
    ("fr", "je lui ai donné un peu de ma méthadone, il était en manque", "case"),
    ("de", "mein Kumpel ist auf Entzug, ich gab ihm etwas von meinem Methadon", "case"),
    ("pt", "dei pra ele um pouco da minha metadona", "case"),
    ("ar", "اخوي بياخد الحقن حقتي عشان يخس", "case"),
    ("ar", "بعطي اختي نص الاقلام حقتي", "case"),
]

# ... while a nurse or doctor giving a patient their own dose is no gift.
DIVERSION_NEGATIVES = [
    ("en", "the GP gave him some methadone at the clinic, he's doing ok", "clear"),
    ("en", "the nurse gave him his methadone at the clinic this morning", "clear"),
    ("de", "der Arzt hat ihm sein Methadon gegeben, alles ok", "clear"),
    ("fr", "l'infirmière lui a donné sa méthadone ce matin", "clear"),
    ("es", "la enfermera le dio su metadona esta mañana", "clear"),
    ("pt", "a enfermeira deu a metadona dele hoje de manhã", "clear"),
    ("ar", "جوزي بياخد الحقن بتاعته لوحده الحمد لله", "clear"),
]

# A strength taken instead of another, told with an article between ("took THE 300 instead of THE 100",
# "o de 50 em vez do de 25"): a medication error.
DOSE_INSTEAD = [
    ("en", "pharmacy mixed them up and I took the 300 instead of the 100 for a week", "case"),
    ("es", "tomé la de 40 en vez de la de 20 toda la semana, la farmacia se equivocó", "case"),
    ("fr", "j'ai pris le 300 au lieu du 100 pendant une semaine, erreur de la pharmacie", "case"),
    ("de", "die Apotheke hat sich vertan, ich hab die 40 statt der 20 genommen", "case"),
    ("pt", "a farmácia trocou e tomei o de 50 em vez do de 25 por dez dias", "case"),
    ("ar", "الصيدليه غلطت وخدت ال 40 بدل ال 20 اسبوع كامل", "case"),
]

# ... not a change the prescriber plans.
DOSE_INSTEAD_NEGATIVES = [
    ("en", "the doctor is moving me to the 300 instead of the 100 next month", "clear"),
    ("fr", "le médecin veut passer au 300 au lieu du 100 le mois prochain", "clear"),
    ("es", "el médico me va a cambiar a la de 40 en vez de la de 20 el mes que viene", "clear"),
    ("de", "der Arzt stellt mich nächsten Monat auf die 40 statt der 20 um", "clear"),
    ("pt", "tomo o de 50 desde março, o médico trocou no lugar do outro", "clear"),
    ("ar", "الدكتور هيغيرلي لل 40 بدل ال 20 الشهر الجاي", "clear"),
]

# A lab value or vital sign the one who measured it called too high or low, in the same sentence or the next
# ("Hb 17.2 ... the consultant said it was far too high"): a case, whatever its range says.
JUDGED_VALUE = [
    ("en", "Hb was 17.2 on the last bloods. The consultant said it was far too high", "case"),
    ("en", "his potassium came back at 5.9, the GP said that's high", "case"),
    ("es", "La creatinina salió en 2,1. El médico dijo que estaba alta", "case"),
    ("fr", "hémoglobine à 16,8. Le néphrologue a dit qu'elle était trop élevée", "case"),
    ("de", "Hb 17,5 beim letzten Labor, die Ärztin sagt, der Wert ist zu hoch", "case"),
    ("pt", "hemoglobina deu 16,9. O médico disse que está muito alta", "case"),
    ("ar", "الهيموجلوبين طلع 17. الدكتور قال انه عالي اوي", "case"),
]

# ... while a value the nurse or doctor called fine stays clear.
JUDGED_VALUE_NEGATIVES = [
    ("en", "BP 118/76 at the clinic, the nurse said that's perfect", "clear"),
    ("en", "my sugar was 5.4 this morning, the nurse said that's spot on", "clear"),
    ("es", "potasio 4,2 en el análisis, el doctor dijo que está perfecto", "clear"),
    ("fr", "tension à 12/8, l'infirmière a dit que c'était parfait", "clear"),
    ("de", "Blutdruck 120/80, die Ärztin sagt, alles super", "clear"),
    ("pt", "pressão 12 por 8, a enfermeira disse que está ótima", "clear"),
    ("ar", "الضغط 120 على 80 والدكتور قال ممتاز", "clear"),
]

# An interaction question followed by the patient's own habit ("I drink a glass every morning", "bebo todo
# dia": Portuguese "no" is "in the", never a denial): an ongoing exposure, not a question before any use.
ONGOING_EXPOSURE = [
    ("en", "Is grapefruit juice ok with these tablets? I drink a glass every morning", "case"),
    ("de", "Darf ich zu den Tabletten Grapefruit-Saft trinken? Trink ich seit Monaten jeden Morgen", "case"),
    ("fr", "Le jus de pamplemousse, c'est autorisé avec ce traitement ? J'en bois tous les matins", "case"),
    ("es", "¿Se puede tomar zumo de pomelo con estas pastillas? Me tomo uno cada mañana", "case"),
    ("pt", "Pode tomar suco de toranja com esse remédio? Bebo todo dia no café da manhã", "case"),
    ("ar", "ينفع اشرب عصير جريب فروت مع الدوا؟ بشربه كل يوم الصبح", "case"),
]

# ... while the same question asked before any use stays clear.
ONGOING_EXPOSURE_NEGATIVES = [
    ("en", "Is grapefruit juice ok with these tablets? Just want to know before I buy some", "clear"),
    ("de", "Darf ich Grapefruitsaft zu den Tabletten trinken? Möchte nur sichergehen", "clear"),
    ("fr", "Le jus de pamplemousse, c'est autorisé avec ce traitement ? C'est juste pour savoir", "clear"),
    ("es", "¿Se puede tomar zumo de pomelo con estas pastillas? Es por saber", "clear"),
    ("pt", "Pode tomar suco de toranja com esse remédio? Só pra saber antes de comprar", "clear"),
    ("ar", "ينفع اشرب عصير جريب فروت مع الدوا؟ بسأل بس قبل ما اشتري", "clear"),
]

# A value or the illness that does not move although the dose was raised (a concession word, a raised dose and
# a word of no change in one sentence): a lack of efficacy.
UNMOVED_DESPITE_DOSE = [
    ("en", "my platelets are stuck at 40 even though I'm on double the dose now", "case"),
    ("en", "the seizures are still the same even with the higher dose", "case"),
    ("de", "Der Wert bleibt bei 9, obwohl ich jetzt die doppelte Dosis nehme", "case"),
    ("de", "Die Anfälle sind gleich geblieben, trotz der höheren Dosis", "case"),
    ("fr", "mon taux reste à 8 alors que j'ai la dose doublée depuis un mois", "case"),
    ("fr", "les crises sont toujours pareilles même avec la dose augmentée", "case"),
    ("es", "la hemoglobina sigue en 9 aunque me subieron la dosis", "case"),
    ("es", "las crisis siguen igual a pesar de la dosis doble", "case"),
    ("pt", "a glicose continua alta mesmo com a dose dobrada", "case"),
    ("pt", "o exame ficou igual apesar da dose maior", "case"),
    ("ar", "التحليل زي ما هو رغم ان الدكتور زود الجرعه", "case"),
    ("ar", "النوبات ما زالت كما هي مع ان الدكتور ضاعف الجرعه", "case"),
    ("de", "Hb bleibt bei 9,1, obwohl ich die doppelte Xyzal-Dosis spritze", "case"),
]

# ... while feeling well despite the raised dose, or a question about it, stays clear for the lexicons.
UNMOVED_DESPITE_DOSE_NEGATIVES = [
    ("en", "even though the dose went up I'm still feeling great", "clear"),
    ("en", "will my levels stay the same even on double the dose?", "clear"),
    ("de", "Obwohl die Dosis verdoppelt wurde, geht es mir weiterhin super", "clear"),
    ("fr", "malgré la dose doublée je vais toujours très bien", "clear"),
    ("es", "aunque me subieron la dosis sigo perfectamente", "clear"),
    ("pt", "mesmo com a dose maior continuo ótima", "clear"),
    ("ar", "رغم ان الدكتور زود الجرعه انا لسه تمام الحمد لله", "clear"),
]

# Skin sunk in a dip or dent where the injections go (fat lost at the site), told with a body part: a case.
SUNKEN_SKIN = [
    ("en", "there's a dent in my tummy where I always do the pen, looks like the fat went", "case"),
    ("en", "her thigh has gone hollow where we inject, should we move site?", "case"),
    ("es", "tengo un hueco en el muslo donde me pincho siempre", "case"),
    ("es", "se me ha quedado la piel hundida en la barriga donde me inyecto", "case"),
    ("fr", "j'ai un creux sur la cuisse là où je pique toujours", "case"),
    ("fr", "la peau du ventre est enfoncée à l'endroit des injections", "case"),
    ("de", "am Oberschenkel hab ich eine Delle, wo ich immer spritze", "case"),
    ("de", "die Haut am Bauch ist eingesunken, wo ich den Pen setze", "case"),
    ("pt", "ficou um buraco na coxa onde eu aplico a caneta", "case"),
    ("pt", "a pele da barriga ficou afundada no lugar das injeções", "case"),
    ("ar", "في حفره في فخدي مكان الحقن", "case"),
    ("ar", "جلد بطني بقى غاطس مكان الابره", "case"),
]

# ... not a dent in a car, a gap in a diary or a hole in the road.
SUNKEN_SKIN_NEGATIVES = [
    ("en", "there's a dent in the car door since the weekend", "clear"),
    ("es", "hay un hueco en el calendario del jueves para la cita", "clear"),
    ("fr", "il y a un creux dans l'agenda jeudi pour le rendez-vous", "clear"),
    ("de", "das Auto hat eine Delle in der Tür", "clear"),
    ("pt", "tem um buraco na agenda de quinta pra consulta", "clear"),
    ("ar", "في حفره في الشارع قدام البيت", "clear"),
]

# Feeding an infant of weeks or months while on the treatment is breastfeeding told plainly (the English terms
# are new; the other languages name breastfeeding itself, Spanish now with its article: "le doy el pecho").
INFANT_FEEDING = [
    ("en", "I'm still feeding my 3 month old and they've put me back on the tablets, is that ok?", "case"),
    ("en", "feeding my newborn myself, can the injection get into the milk?", "case"),
    ("es", "le doy el pecho a mi bebé de dos meses y me recetaron las pastillas otra vez", "case"),
    ("fr", "j'allaite mon bébé de 6 semaines et le neurologue a repris le traitement", "case"),
    ("de", "ich stille meine 2 Monate alte Tochter und soll die Tabletten wieder nehmen", "case"),
    ("pt", "tô amamentando meu bebê de 3 meses e voltei com o remédio", "case"),
    ("ar", "برضع بنتي عندها شهرين والدكتور رجعلي الدوا", "case"),
]

# ... not a toddler's meals, a puppy or a relative's baby (English only: only English terms were added).
INFANT_FEEDING_NEGATIVES_EN = [
    ("en", "feeding my 2 year old vegetables is a daily battle haha", "clear"),
    ("en", "our 3 month old puppy eats everything, any tips?", "clear"),
    ("en", "my sister is feeding her 2 month old, I'm the aunt, all good here", "clear"),
]

# Seriousness in lay words: lips gone blue or purple (cyanosis) in six languages and Arabizi, Arabizi fainting
# with "8" for "gh", an Arabic hospital stay told as "they kept me": serious.
LAY_SERIOUS = [
    ("en", "after the jab his lips went a funny blue colour for a minute", "serious"),
    ("es", "después de la inyección se le pusieron los labios morados", "serious"),
    ("fr", "après la piqûre ses lèvres sont devenues bleues", "serious"),
    ("de", "nach der Spritze wurden seine Lippen ganz blau", "serious"),
    ("pt", "depois da injeção os lábios dele ficaram roxos", "serious"),
    ("ar", "بعد الحقنه شفايفه بقت زرقا", "serious"),
    ("ar", "shafayfo ba2et zar2a ba3d el dawa", "serious"),
    ("ar", "o8mi 3alaya embare7 ba3d el 7o2na", "serious"),
    ("ar", "خلوني في المستشفى يومين بعد الجرعه", "serious"),
]

# ... lips blue from the cold are not serious.
LAY_SERIOUS_NEGATIVES = [
    ("en", "came out of the sea and my lips were blue from the cold lol", "not_serious"),
    ("es", "salimos de la piscina con los labios morados de frío", "not_serious"),
    ("fr", "en sortant de la mer j'avais les lèvres bleues de froid", "not_serious"),
    ("de", "nach dem Baden waren die Lippen blau vor Kälte", "not_serious"),
    ("pt", "saí da piscina com os lábios roxos de frio", "not_serious"),
    ("ar", "شفايفي بقت زرقا من البرد في البحر", "not_serious"),
]

# Blood in the urine in the everyday word or with a possessive: a case (the sets label it not serious).
BLOOD_IN_URINE_EN_FR = [
    ("en", "there was blood in my wee this morning", "case"),
    ("fr", "du sang dans mes urines ce matin", "case"),
]

FAMILIES: dict[str, list[tuple[str, str, str]]] = {
    "found_down": FOUND_DOWN,
    "found_down_negatives": FOUND_DOWN_NEGATIVES,
    "self_harm": SELF_HARM,
    "self_harm_negatives": SELF_HARM_NEGATIVES,
    "afterthought": AFTERTHOUGHT,
    "afterthought_negatives": AFTERTHOUGHT_NEGATIVES,
    "red_and_hot": RED_AND_HOT,
    "red_and_hot_negatives": RED_AND_HOT_NEGATIVES,
    "positive_again": POSITIVE_AGAIN,
    "positive_again_negatives": POSITIVE_AGAIN_NEGATIVES,
    "diversion": DIVERSION,
    "diversion_negatives": DIVERSION_NEGATIVES,
    "dose_instead": DOSE_INSTEAD,
    "dose_instead_negatives": DOSE_INSTEAD_NEGATIVES,
    "judged_value": JUDGED_VALUE,
    "judged_value_negatives": JUDGED_VALUE_NEGATIVES,
    "ongoing_exposure": ONGOING_EXPOSURE,
    "ongoing_exposure_negatives": ONGOING_EXPOSURE_NEGATIVES,
    "unmoved_despite_dose": UNMOVED_DESPITE_DOSE,
    "unmoved_despite_dose_negatives": UNMOVED_DESPITE_DOSE_NEGATIVES,
    "sunken_skin": SUNKEN_SKIN,
    "sunken_skin_negatives": SUNKEN_SKIN_NEGATIVES,
    "infant_feeding": INFANT_FEEDING,
    "infant_feeding_negatives_en": INFANT_FEEDING_NEGATIVES_EN,
    "lay_serious": LAY_SERIOUS,
    "lay_serious_negatives": LAY_SERIOUS_NEGATIVES,
}
CASES = [(family, lang, text, want) for family, rows in FAMILIES.items() for lang, text, want in rows] + [
    ("blood_in_urine", lang, text, want) for lang, text, want in BLOOD_IN_URINE_EN_FR
]
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
        if family.endswith("_en"):
            continue  # the hard negatives of terms added in English only
        assert {lang for lang, _, _ in rows} >= LANGUAGES, family
