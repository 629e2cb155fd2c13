"""Round 8 of issue #13: general causes of false alarms read from blind set 9 (spent), each a family in six
languages, with hard negatives and the positives that must stay reported.

The sentences are our own probes, not the set's: each family must hold for wordings nobody tuned on.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# A practical question about using the treatment, asked at the start of a sentence that ends in "?", with no
# finding and no experience: a question before any use, not an interaction or a link to the treatment.
USE_QUESTIONS = [
    ("en", "Can I have a pint with my mates on the new pen?"),
    ("en", "Is it ok to go in the hot tub after my injection?"),
    ("es", "¿Puedo tomarme un vinito en la cena con las pastillas?"),
    ("es", "¿Cuánto tiempo después de la pastilla puedo desayunar?"),
    ("fr", "Est-ce que je peux boire un verre de champagne avec le traitement ?"),
    ("fr", "Combien de temps après le comprimé je peux manger ?"),
    ("de", "Darf ich nach der Spritze ins Fitnessstudio?"),
    ("de", "Kann man die Tabletten mit Grapefruitsaft schlucken?"),
    ("pt", "Posso tomar uma taça de vinho no aniversário com o remédio?"),
    ("pt", "Quanto tempo depois da injeção posso ir à academia?"),
    ("ar", "ينفع اشرب شاي بعد الحبايه على طول؟"),
    ("ar", "هل يمكن اخذ الدواء مع عصير الجريب فروت؟"),
]

# ... but a finding or an experience in the same sentence, or in the next one, is still reported.
USE_QUESTIONS_REPORTED = [
    ("en", "Can I take paracetamol for the headache I've had since the jab?"),
    ("en", "Can I drink wine on it? I threw up after the last dose"),
    ("es", "¿Puedo tomar ibuprofeno? me duele mucho la cabeza desde la inyección"),
    ("fr", "Je peux prendre un doliprane ? j'ai mal à la tête depuis la piqûre"),
    ("de", "Darf ich weiter spritzen? Seit dem Pen habe ich einen Ausschlag"),
    ("pt", "Posso continuar? tô com muita coceira desde a injeção"),
    ("ar", "ينفع اكمل؟ عندي صداع من ساعة الحقنه"),
]

# A negative pregnancy test (the routine check of a pregnancy-prevention programme) is no exposure ...
NEGATIVE_TEST = [
    ("en", "monthly pregnancy test came back negative, uploaded the photo"),
    ("es", "la prueba de embarazo salió negativa otra vez, ya la subí"),
    ("fr", "test de grossesse négatif ce mois-ci aussi"),
    ("de", "wieder ein negativer Schwangerschaftstest, Foto kommt gleich"),
    ("pt", "teste de gravidez deu negativo de novo"),
    ("ar", "تحليل الحمل طلع سلبي زي كل شهر"),
]

# ... a positive one is.
POSITIVE_TEST = [
    ("en", "pregnancy test came back positive this morning"),
    ("es", "la prueba de embarazo salió positiva"),
    ("fr", "test de grossesse positif ce matin"),
    ("de", "positiver Schwangerschaftstest heute früh"),
    ("pt", "teste de gravidez deu positivo"),
    ("ar", "تحليل الحمل طلع ايجابي"),
]

# A vaccination named by its illness is no illness.
VACCINES = [
    ("en", "is the flu shot fine with my tablets or should I wait a week"),
    ("es", "el jueves me toca la vacuna de la gripe, ya aviso"),
    ("fr", "je fais le vaccin contre la grippe jeudi à la pharmacie"),
    ("de", "am Montag habe ich die Grippeschutzimpfung beim Hausarzt"),
    ("pt", "amanhã tomo a vacina da gripe no posto"),
    ("ar", "بكره هاخد لقاح الانفلونزا في المستوصف"),
]

# "Almost had an attack": hyperbole beyond the heart attack, in everyday complaints.
ALMOST_ATTACK = [
    ("en", "the price of petrol nearly gave me a heart attack"),
    ("es", "vi la factura de la luz y casi me da un ataque"),
    ("fr", "quand j'ai vu le loyer j'ai failli faire une crise"),
    ("de", "bei der Stromrechnung hätte ich fast einen Anfall bekommen"),
    ("pt", "vi o preço da gasolina e quase tive um treco"),
    ("ar", "لما شفت الفاتوره كان هيجيلي جلطه"),
]

# The doctor's words with good news are no care-seeking ...
DOCTOR_GOOD_NEWS = [
    ("en", "check-up went well, the doctor said everything looks great"),
    ("pt", "fui na consulta e o médico disse que tá tudo ótimo"),
    ("ar", "الدكتور قال كله تمام"),
]

# ... the doctor's words with a finding are.
DOCTOR_FINDING = [
    ("en", "the doctor said the rash is from the injection"),
    ("pt", "o médico disse que a alergia é do remédio"),
    ("ar", "الدكتور قال الحساسيه من الدوا"),
]

# English problem words that are everyday words of another language ("fast" is "almost" in German).
FALSE_FRIENDS = [
    ("de", "die Haut ist fast ganz rein, danke"),
]


@pytest.mark.parametrize(("lang", "text"), USE_QUESTIONS)
def test_a_practical_question_about_use_is_not_a_report(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), USE_QUESTIONS_REPORTED)
def test_a_practical_question_with_a_finding_is_still_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


@pytest.mark.parametrize(("lang", "text"), NEGATIVE_TEST)
def test_a_negative_pregnancy_test_is_no_exposure(lang: str, text: str) -> None:
    assert "pregnancy" not in _lexicon(text, lang).situations, text


@pytest.mark.parametrize(("lang", "text"), POSITIVE_TEST)
def test_a_positive_pregnancy_test_is_an_exposure(lang: str, text: str) -> None:
    result = _lexicon(text, lang)
    assert result.tier == "case" and "pregnancy" in result.situations, text


@pytest.mark.parametrize(("lang", "text"), VACCINES + ALMOST_ATTACK + DOCTOR_GOOD_NEWS + FALSE_FRIENDS)
def test_vaccines_hyperbole_good_news_and_false_friends_are_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), DOCTOR_FINDING)
def test_the_doctors_words_with_a_finding_are_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# A moderate weight loss told as good news is the expected effect of a weight-loss product ...
EXPECTED_LOSS = [
    ("en", "down 4 kilos since last month and my GP is really pleased"),
    ("es", "perdí 3 kilos este mes, estoy feliz"),
    ("fr", "j'ai perdu 3 kilos en un mois, le diabétologue est content"),
    ("de", "4 Kilo abgenommen seit dem letzten Termin, super zufrieden"),
    ("pt", "perdi 2 quilos esse mês, a nutri ficou feliz"),
    ("ar", "نزلت 3 كيلو الشهر ده والدكتور مبسوط"),
]

# ... a larger loss, or one without good news, is still a finding.
WORRYING_LOSS = [
    ("en", "lost 12 kilos in a month, is that normal?"),
    ("es", "perdí 3 kilos y no tengo nada de hambre"),
    ("fr", "j'ai perdu 9 kilos en trois semaines, content mais bon"),
    ("pt", "perdi 10 quilos em um mês, tô feliz"),
]

# Before the first dose, a symptom word is a question about the future.
NOT_STARTED = [
    ("es", "¿la diarrea es frecuente? todavía no empecé el tratamiento"),
    ("pt", "dá muita náusea no início? ainda nem comecei"),
    ("ar", "هل الدوا بيعمل صداع؟ لسه ما ابتديتش"),
]

# A pet's illness is not the patient's.
PETS = [
    ("ar", "القطوه تعبانه وبترجع من امبارح"),
]


@pytest.mark.parametrize(("lang", "text"), EXPECTED_LOSS + NOT_STARTED + PETS)
def test_expected_loss_not_started_and_pets_are_clear(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), WORRYING_LOSS)
def test_a_large_or_unwelcome_weight_loss_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# "Also" breaks a negation's reach, not who a clause is about: someone else's illness stays theirs ...
ALSO_OTHERS = [
    ("en", "my colleague also has eczema, could she sign up too?"),
    ("es", "mi compañera de trabajo también tiene artritis, ¿se puede apuntar?"),
    ("fr", "ma collègue a aussi de l'eczéma, elle peut s'inscrire ?"),
    ("de", "mein Kollege hat auch Neurodermitis, kann er mitmachen?"),
    ("pt", "meu colega também tem artrite, ele pode participar?"),
    ("ar", "زميلتي في الشغل عندها كمان اكزيما، ينفع تشترك؟"),
]

# ... and the patient's own finding after "also" is still the patient's.
ALSO_OWN = [
    ("en", "my colleague has a cold and I also have a fever since the shot"),
    ("es", "mi compañera está resfriada y yo también tengo fiebre desde la inyección"),
    ("de", "mein Kollege ist erkältet und ich habe auch Fieber seit der Spritze"),
]


@pytest.mark.parametrize(("lang", "text"), ALSO_OTHERS)
def test_someone_elses_illness_after_also_is_theirs(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "clear", text


@pytest.mark.parametrize(("lang", "text"), ALSO_OWN)
def test_the_patients_finding_after_also_is_a_case(lang: str, text: str) -> None:
    assert _lexicon(text, lang).tier == "case", text


# The partner of a treated man expecting is an exposure in pregnancy (paternal), and no weight lost at all on
# a weight-loss treatment is a lack of efficacy.
PARTNER_EXPECTING = [
    ("en", "my partner's expecting in spring, I'm still on the tablets"),
    ("es", "mi mujer está esperando y yo sigo con las inyecciones"),
    ("fr", "ma femme attend un bébé et je continue le traitement"),
    ("de", "meine Frau erwartet im Mai, ich nehme das Mittel weiter"),
    ("pt", "minha esposa está esperando e eu continuo com o remédio"),
    ("ar", "مراتي مستنيه بيبي وانا لسه باخد الحقن"),
]
NO_LOSS = [
    ("en", "two months on the pen and I haven't lost a single pound"),
    ("es", "dos meses con la pluma y no bajé ni un kilo"),
    ("fr", "deux mois de stylo et toujours pas perdu un kilo"),
    ("de", "zwei Monate Pen und kein Kilo abgenommen"),
    ("pt", "dois meses de caneta e não perdi nem um quilo"),
    ("ar", "شهرين على الحقن وما نزلتش ولا كيلو"),
]


@pytest.mark.parametrize(("lang", "text"), PARTNER_EXPECTING)
def test_a_partner_expecting_is_a_pregnancy_exposure(lang: str, text: str) -> None:
    assert "pregnancy" in _lexicon(text, lang).situations, text


@pytest.mark.parametrize(("lang", "text"), NO_LOSS)
def test_no_weight_lost_is_a_lack_of_efficacy(lang: str, text: str) -> None:
    assert "lack_of_efficacy" in _lexicon(text, lang).situations, text
