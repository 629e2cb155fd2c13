"""Fill the gettext catalogs in locales/<lang>/LC_MESSAGES/messages.po from the reviewed table below.

Why a script: the headers and the entry layout are Babel's (read_po/write_po), so a later
`pybabel update` merges cleanly; the words themselves are in TRANSLATIONS, one block per source string
with every language side by side, so a reviewer can compare them.

Usage (from the repository root):
    python locales/fill_catalogs.py               # fill entries that are empty or fuzzy
    python locales/fill_catalogs.py --overwrite   # also replace translations that differ from the table
It prints every catalog entry the table does not cover yet and exits 1 when there is one.

Conventions for translators:
- Formal address: usted (es), vous (fr), Sie (de), você (pt); Arabic: Modern Standard Arabic, polite plural
  (أنتم), which is also gender-neutral.
- Keywords a patient must type are written as the bot's keyword lists accept them (bot/core/lexicon/*.yaml):
  es PARAR / EMPEZAR / MENU / AYUDA, fr ARRET / DEMARRER / MENU / AIDE, de STOPP / START / MENU / HILFE,
  pt PARAR / COMECAR / MENU / AJUDA, ar «توقف» / «ابدأ» / «القائمة» / «مساعدة» (STOP and START work everywhere).
- Straight apostrophes and no typographic spaces in Latin-script languages: an SMS stays in the GSM-7
  alphabet where the language allows it (cheaper, 160 characters a segment).
- Example times and cities are ones the bot understands when typed (see tests/test_catalogs.py).
- Plural entries: a tuple with one string per form, in the order of the catalog's Plural-Forms
  (Arabic: six forms).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

LOCALES_DIR = Path(__file__).resolve().parent
LANGS = ("en", "es", "fr", "de", "pt", "ar")

TEAMS = {
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "ar": "Arabic",
}

Translation = str | tuple[str, ...]

# msgid -> {lang: msgstr}. English is the msgid itself and is not listed.
TRANSLATIONS: dict[str, dict[str, Translation]] = {
    "Type your answer and press Enter.": {
        "es": "Escriba su respuesta y pulse Intro.",
        "fr": "Tapez votre réponse et appuyez sur Entrée.",
        "de": "Geben Sie Ihre Antwort ein und drücken Sie die Eingabetaste.",
        "pt": "Digite a sua resposta e pressione Enter.",
        "ar": "يُرجى كتابة إجابتكم ثم الضغط على مفتاح الإدخال (Enter).",
    },
    "Welcome to the patient support program. Please choose your language.": {
        "es": "Le damos la bienvenida al programa de apoyo al paciente. Por favor, elija su idioma.",
        "fr": "Bienvenue dans le programme d'accompagnement des patients. Veuillez choisir votre langue.",
        "de": "Willkommen beim Patientenbetreuungsprogramm. Bitte wählen Sie Ihre Sprache.",
        "pt": "Boas-vindas ao programa de apoio ao paciente. Por favor, escolha o seu idioma.",
        "ar": "مرحبًا بكم في برنامج دعم المرضى. يُرجى اختيار لغتكم.",
    },
    "I agree": {
        "es": "Acepto",
        "fr": "J'accepte",
        "de": "Einverstanden",
        "pt": "Concordo",
        "ar": "أوافق",
    },
    "I do not agree": {
        "es": "No acepto",
        "fr": "Je refuse",
        "de": "Nicht einverstanden",
        "pt": "Não concordo",
        "ar": "لا أوافق",
    },
    (
        "Before we start: this program sends you reminders and information about your treatment, and stores "
        "your messages to support you. Anything you tell us about side effects is passed to the drug safety team "
        "as the law requires. You can stop at any time by sending STOP. Do you agree?"
    ): {
        "es": (
            "Antes de empezar: este programa le envía recordatorios e información sobre su tratamiento, y guarda "
            "sus mensajes para poder ayudarle. Todo lo que nos cuente sobre efectos secundarios se comunica al "
            "equipo de seguridad de los medicamentos, como exige la ley. Puede dejar el programa en cualquier "
            "momento enviando PARAR. ¿Está de acuerdo?"
        ),
        "fr": (
            "Avant de commencer : ce programme vous envoie des rappels et des informations sur votre traitement, "
            "et conserve vos messages pour mieux vous accompagner. Tout ce que vous nous dites sur des effets "
            "indésirables est transmis à l'équipe de sécurité des médicaments, comme la loi l'exige. Vous pouvez "
            "arrêter à tout moment en envoyant ARRET. Êtes-vous d'accord ?"
        ),
        "de": (
            "Bevor wir beginnen: Dieses Programm schickt Ihnen Erinnerungen und Informationen zu Ihrer Behandlung "
            "und speichert Ihre Nachrichten, um Sie zu unterstützen. Alles, was Sie uns über Nebenwirkungen "
            "mitteilen, wird wie gesetzlich vorgeschrieben an das Team für Arzneimittelsicherheit weitergegeben. "
            "Sie können jederzeit aufhören, indem Sie STOPP senden. Sind Sie einverstanden?"
        ),
        "pt": (
            "Antes de começar: este programa envia lembretes e informações sobre o seu tratamento e guarda as suas "
            "mensagens para poder apoiar você. Tudo o que você nos contar sobre efeitos colaterais é repassado à "
            "equipe de segurança de medicamentos, como exige a lei. Você pode sair a qualquer momento enviando "
            "PARAR. Você concorda?"
        ),
        "ar": (
            "قبل أن نبدأ: يرسل إليكم هذا البرنامج تذكيرات ومعلومات عن علاجكم، ويحتفظ برسائلكم لتقديم الدعم لكم. "
            "وكل ما تخبروننا به عن الآثار الجانبية يُحال إلى فريق سلامة الأدوية كما يقتضي القانون. "
            "يمكنكم التوقف في أي وقت بإرسال «توقف» (STOP). هل توافقون؟"
        ),
    },
    "Please type the enrolment code you received from your doctor or pharmacy.": {
        "es": "Por favor, escriba el código de inscripción que recibió de su médico o de su farmacia.",
        "fr": "Veuillez saisir le code d'inscription que vous avez reçu de votre médecin ou de votre pharmacie.",
        "de": "Bitte geben Sie den Anmeldecode ein, den Sie von Ihrer Arztpraxis oder Apotheke erhalten haben.",
        "pt": "Por favor, digite o código de inscrição que você recebeu do seu médico ou da sua farmácia.",
        "ar": "يُرجى كتابة رمز التسجيل الذي حصلتم عليه من طبيبكم أو صيدليتكم.",
    },
    "Yes": {
        "es": "Sí",
        "fr": "Oui",
        "de": "Ja",
        "pt": "Sim",
        "ar": "نعم",
    },
    "No, choose another": {
        "es": "No, elegir otra",
        "fr": "Non, en choisir un autre",
        "de": "Nein, andere wählen",
        "pt": "Não, escolher outro",
        "ar": "لا، اختيار منطقة أخرى",
    },
    "Is your time zone {zone}?": {
        "es": "¿Está usted en la zona horaria de {zone}?",
        "fr": "Votre fuseau horaire est-il celui de {zone} ?",
        "de": "Ist Ihre Zeitzone {zone}?",
        "pt": "O seu fuso horário é o de {zone}?",
        "ar": "هل أنتم في المنطقة الزمنية لمدينة {zone}؟",
    },
    "Which time zone are you in? Choose a city or type the name of a city near you.": {
        "es": "¿En qué zona horaria se encuentra? Elija una ciudad o escriba el nombre de una ciudad cercana.",
        "fr": (
            "Dans quel fuseau horaire vous trouvez-vous ? Choisissez une ville ou tapez le nom d'une ville "
            "proche de chez vous."
        ),
        "de": (
            "In welcher Zeitzone sind Sie? Wählen Sie eine Stadt oder geben Sie den Namen einer Stadt in Ihrer "
            "Nähe ein."
        ),
        "pt": "Em qual fuso horário você está? Escolha uma cidade ou digite o nome de uma cidade perto de você.",
        "ar": "في أي منطقة زمنية أنتم؟ اختاروا مدينة أو اكتبوا اسم مدينة قريبة منكم.",
    },
    "At what time of day would you like your reminder? Type a time such as 8:30 or 20:00.": {
        "es": "¿A qué hora del día quiere recibir su recordatorio? Escriba una hora, por ejemplo 8:30 o 20:00.",
        "fr": "À quelle heure souhaitez-vous recevoir votre rappel ? Tapez une heure, par exemple 8h30 ou 20h.",
        "de": (
            "Um welche Uhrzeit möchten Sie Ihre Erinnerung erhalten? Geben Sie eine Uhrzeit ein, zum Beispiel "
            "8:30 oder 20:00."
        ),
        "pt": (
            "Em que horário você gostaria de receber o seu lembrete? Digite um horário, por exemplo 8:30 ou "
            "20:00."
        ),
        "ar": "في أي وقت من اليوم تودّون أن يصلكم التذكير؟ اكتبوا وقتًا مثل 8:30 أو 20:00.",
    },
    (
        "You are enrolled in {program}. We will remind you every day at {time} ({zone} time). "
        "Send MENU at any time to see what you can do, or HELP to reach a person."
    ): {
        "es": (
            "Su inscripción en {program} se ha completado. Le enviaremos un recordatorio todos los días a las "
            "{time} (hora de {zone}). Envíe MENU en cualquier momento para ver lo que puede hacer, o AYUDA para "
            "hablar con una persona."
        ),
        "fr": (
            "Votre inscription à {program} est confirmée. Nous vous enverrons un rappel chaque jour à {time} "
            "(heure locale : {zone}). Envoyez MENU à tout moment pour voir ce que vous pouvez faire, ou AIDE pour "
            "joindre une personne."
        ),
        "de": (
            "Sie sind jetzt bei {program} angemeldet. Wir erinnern Sie jeden Tag um {time} Uhr (Zeitzone {zone}). "
            "Senden Sie jederzeit MENU, um zu sehen, was Sie tun können, oder HILFE, um mit einem Menschen zu "
            "sprechen."
        ),
        "pt": (
            "Sua inscrição em {program} foi concluída. Vamos lembrar você todos os dias às {time} (horário de "
            "{zone}). Envie MENU a qualquer momento para ver o que você pode fazer, ou AJUDA para falar com uma "
            "pessoa."
        ),
        "ar": (
            "تم تسجيلكم في {program}. سنذكّركم كل يوم في الساعة {time} (بتوقيت {zone}). أرسلوا «القائمة» في أي "
            "وقت لمعرفة ما يمكنكم القيام به، أو «مساعدة» للتحدث مع أحد أعضاء فريقنا."
        ),
    },
    "Choose your language by pressing a button or typing its number.": {
        "es": "Elija su idioma pulsando un botón o escribiendo su número.",
        "fr": "Choisissez votre langue en appuyant sur un bouton ou en tapant son numéro.",
        "de": "Wählen Sie Ihre Sprache, indem Sie auf eine Schaltfläche tippen oder ihre Nummer eingeben.",
        "pt": "Escolha o seu idioma tocando em um botão ou digitando o número dele.",
        "ar": "اختاروا لغتكم بالضغط على أحد الأزرار أو بكتابة رقمها.",
    },
    "Answer yes if you agree to join the program, or no if you do not. Nothing is sent if you say no.": {
        "es": (
            "Responda sí si acepta participar en el programa, o no si no acepta. Si responde no, no le "
            "enviaremos nada."
        ),
        "fr": (
            "Répondez oui si vous acceptez de participer au programme, ou non dans le cas contraire. Si vous "
            "répondez non, vous ne recevrez aucun message."
        ),
        "de": (
            "Antworten Sie mit Ja, wenn Sie am Programm teilnehmen möchten, oder mit Nein, wenn nicht. Wenn Sie "
            "Nein sagen, schicken wir Ihnen nichts."
        ),
        "pt": (
            "Responda sim se você concorda em participar do programa, ou não se não concorda. Se responder não, "
            "você não receberá nenhuma mensagem."
        ),
        "ar": (
            "أجيبوا بـ«نعم» إذا كنتم توافقون على الانضمام إلى البرنامج، أو بـ«لا» إذا كنتم لا توافقون. "
            "لن نرسل إليكم أي شيء إذا أجبتم بـ«لا»."
        ),
    },
    "The enrolment code is printed on the leaflet from your doctor or pharmacy, for example ABCD-XY-1234.": {
        "es": (
            "El código de inscripción figura en el folleto que le dio su médico o su farmacia, por ejemplo "
            "ABCD-XY-1234."
        ),
        "fr": (
            "Le code d'inscription est imprimé sur la brochure remise par votre médecin ou votre pharmacie, par "
            "exemple ABCD-XY-1234."
        ),
        "de": (
            "Der Anmeldecode steht auf dem Informationsblatt Ihrer Arztpraxis oder Apotheke, zum Beispiel "
            "ABCD-XY-1234."
        ),
        "pt": (
            "O código de inscrição está impresso no folheto que você recebeu do seu médico ou da sua farmácia, "
            "por exemplo ABCD-XY-1234."
        ),
        "ar": "رمز التسجيل مطبوع على النشرة التي حصلتم عليها من طبيبكم أو صيدليتكم، مثلًا: ABCD-XY-1234.",
    },
    "We need your time zone to send reminders at the right local time. Type a city near you.": {
        "es": (
            "Necesitamos su zona horaria para enviarle los recordatorios a la hora local correcta. Escriba el "
            "nombre de una ciudad cercana."
        ),
        "fr": (
            "Nous avons besoin de votre fuseau horaire pour vous envoyer les rappels à la bonne heure locale. "
            "Tapez le nom d'une ville proche de chez vous."
        ),
        "de": (
            "Wir brauchen Ihre Zeitzone, damit die Erinnerungen zur richtigen Ortszeit kommen. Geben Sie eine "
            "Stadt in Ihrer Nähe ein."
        ),
        "pt": (
            "Precisamos do seu fuso horário para enviar os lembretes no horário local certo. Digite o nome de "
            "uma cidade perto de você."
        ),
        "ar": (
            "نحتاج إلى معرفة منطقتكم الزمنية لنرسل إليكم التذكيرات في الوقت المحلي الصحيح. اكتبوا اسم مدينة "
            "قريبة منكم."
        ),
    },
    "Type the time you want your daily reminder, for example 9:00 or 21:30.": {
        "es": "Escriba la hora a la que quiere recibir su recordatorio diario, por ejemplo 9:00 o 21:30.",
        "fr": (
            "Tapez l'heure à laquelle vous souhaitez recevoir votre rappel quotidien, par exemple 9h00 ou 21h30."
        ),
        "de": "Geben Sie die Uhrzeit für Ihre tägliche Erinnerung ein, zum Beispiel 9:00 oder 21:30.",
        "pt": "Digite o horário em que você quer receber o lembrete diário, por exemplo 9:00 ou 21:30.",
        "ar": "اكتبوا الوقت الذي تريدون أن يصلكم فيه التذكير اليومي، مثل 9:00 أو 21:30.",
    },
    "To talk to a person, call {phone}.": {
        "es": "Para hablar con una persona, llame al {phone}.",
        "fr": "Pour parler à une personne, appelez le {phone}.",
        "de": "Wenn Sie mit einem Menschen sprechen möchten, rufen Sie {phone} an.",
        "pt": "Para falar com uma pessoa, ligue para {phone}.",
        "ar": "للتحدث مع أحد أعضاء فريقنا، اتصلوا بالرقم {phone}.",
    },
    "Sorry, I did not understand that.": {
        "es": "Lo siento, no he entendido su mensaje.",
        "fr": "Désolé, je n'ai pas compris.",
        "de": "Entschuldigung, das habe ich nicht verstanden.",
        "pt": "Desculpe, não entendi.",
        "ar": "عذرًا، لم أفهم ذلك.",
    },
    (
        "Understood. You will not receive any messages from this program. If you change your mind, send START."
    ): {
        "es": "Entendido. No recibirá ningún mensaje de este programa. Si cambia de opinión, envíe EMPEZAR.",
        "fr": (
            "C'est noté. Vous ne recevrez aucun message de ce programme. Si vous changez d'avis, envoyez "
            "DEMARRER."
        ),
        "de": (
            "Verstanden. Sie erhalten keine Nachrichten von diesem Programm. Wenn Sie es sich anders überlegen, "
            "senden Sie START."
        ),
        "pt": "Entendido. Você não receberá nenhuma mensagem deste programa. Se mudar de ideia, envie COMECAR.",
        "ar": "حسنًا. لن تصلكم أي رسائل من هذا البرنامج. إذا غيّرتم رأيكم، أرسلوا «ابدأ».",
    },
    "That code is not valid. Please check it and type it again.": {
        "es": "Ese código no es válido. Por favor, compruébelo y escríbalo de nuevo.",
        "fr": "Ce code n'est pas valide. Veuillez le vérifier et le saisir à nouveau.",
        "de": "Dieser Code ist ungültig. Bitte prüfen Sie ihn und geben Sie ihn noch einmal ein.",
        "pt": "Esse código não é válido. Por favor, confira e digite novamente.",
        "ar": "هذا الرمز غير صحيح. يُرجى التحقق منه وكتابته مرة أخرى.",
    },
    "This program is not available in your language yet. Please call your pharmacy.": {
        "es": "Este programa todavía no está disponible en su idioma. Por favor, llame a su farmacia.",
        "fr": "Ce programme n'est pas encore disponible dans votre langue. Veuillez appeler votre pharmacie.",
        "de": "Dieses Programm gibt es noch nicht in Ihrer Sprache. Bitte rufen Sie Ihre Apotheke an.",
        "pt": "Este programa ainda não está disponível no seu idioma. Por favor, ligue para a sua farmácia.",
        "ar": "هذا البرنامج غير متاح بلغتكم حتى الآن. يُرجى الاتصال بصيدليتكم.",
    },
    "I could not find that place. Please type a large city near you, for example Madrid.": {
        "es": "No he encontrado ese lugar. Por favor, escriba una ciudad grande cercana, por ejemplo Madrid.",
        "fr": (
            "Je n'ai pas trouvé ce lieu. Veuillez taper le nom d'une grande ville proche de chez vous, par "
            "exemple Paris."
        ),
        "de": (
            "Diesen Ort habe ich nicht gefunden. Bitte geben Sie eine größere Stadt in Ihrer Nähe ein, zum "
            "Beispiel Berlin."
        ),
        "pt": (
            "Não encontrei esse lugar. Por favor, digite o nome de uma cidade grande perto de você, por exemplo "
            "São Paulo."
        ),
        # City names are understood in Latin letters only (bot.enrolment.rules.parse_timezone), hence the hint.
        "ar": (
            "لم أتمكن من العثور على هذا المكان. يُرجى كتابة اسم مدينة كبيرة قريبة منكم بالأحرف اللاتينية، "
            "مثل Cairo."
        ),
    },
    "My reminders": {
        "es": "Mis recordatorios",
        "fr": "Mes rappels",
        "de": "Meine Erinnerungen",
        "pt": "Meus lembretes",
        "ar": "تذكيراتي",
    },
    "Learn about my treatment": {
        "es": "Información sobre mi tratamiento",
        "fr": "En savoir plus sur mon traitement",
        "de": "Mehr über meine Behandlung",
        "pt": "Saber mais sobre meu tratamento",
        "ar": "معلومات عن علاجي",
    },
    "Report a side effect": {
        "es": "Informar de un efecto secundario",
        "fr": "Signaler un effet indésirable",
        "de": "Nebenwirkung melden",
        "pt": "Relatar um efeito colateral",
        "ar": "الإبلاغ عن أثر جانبي",
    },
    "Talk to a person": {
        "es": "Hablar con una persona",
        "fr": "Parler à une personne",
        "de": "Mit einem Menschen sprechen",
        "pt": "Falar com uma pessoa",
        "ar": "التحدث مع أحد أعضاء الفريق",
    },
    "Change language": {
        "es": "Cambiar de idioma",
        "fr": "Changer de langue",
        "de": "Sprache ändern",
        "pt": "Mudar de idioma",
        "ar": "تغيير اللغة",
    },
    "What would you like to do?": {
        "es": "¿Qué desea hacer?",
        "fr": "Que souhaitez-vous faire ?",
        "de": "Was möchten Sie tun?",
        "pt": "O que você gostaria de fazer?",
        "ar": "ماذا تودّون أن تفعلوا؟",
    },
    (
        "This is your treatment support program: reminders, information about your medicine and a way to report "
        "side effects. Send MENU to see the options or STOP to stop all messages."
    ): {
        "es": (
            "Este es su programa de apoyo al tratamiento: recordatorios, información sobre su medicamento y una "
            "forma de informar de efectos secundarios. Envíe MENU para ver las opciones o PARAR para dejar de "
            "recibir mensajes."
        ),
        "fr": (
            "Voici votre programme d'accompagnement du traitement : des rappels, des informations sur votre "
            "médicament et un moyen de signaler des effets indésirables. Envoyez MENU pour voir les options ou "
            "ARRET pour ne plus recevoir aucun message."
        ),
        "de": (
            "Dies ist Ihr Programm zur Unterstützung Ihrer Behandlung: Erinnerungen, Informationen zu Ihrem "
            "Medikament und eine Möglichkeit, Nebenwirkungen zu melden. Senden Sie MENU, um die Auswahl zu "
            "sehen, oder STOPP, um keine Nachrichten mehr zu erhalten."
        ),
        "pt": (
            "Este é o seu programa de apoio ao tratamento: lembretes, informações sobre o seu medicamento e uma "
            "forma de relatar efeitos colaterais. Envie MENU para ver as opções ou PARAR para não receber mais "
            "mensagens."
        ),
        "ar": (
            "هذا برنامج دعم علاجكم: تذكيرات، ومعلومات عن دوائكم، ووسيلة للإبلاغ عن الآثار الجانبية. أرسلوا "
            "«القائمة» لعرض الخيارات أو «توقف» لإيقاف جميع الرسائل."
        ),
    },
    "You will not receive any more messages from this program. Send START if you want to come back.": {
        "es": "No recibirá más mensajes de este programa. Envíe EMPEZAR si quiere volver.",
        "fr": "Vous ne recevrez plus de messages de ce programme. Envoyez DEMARRER si vous souhaitez revenir.",
        "de": (
            "Sie erhalten keine weiteren Nachrichten von diesem Programm. Senden Sie START, wenn Sie zurückkommen "
            "möchten."
        ),
        "pt": "Você não receberá mais mensagens deste programa. Envie COMECAR se quiser voltar.",
        "ar": "لن تصلكم أي رسائل أخرى من هذا البرنامج. أرسلوا «ابدأ» إذا رغبتم في العودة.",
    },
    "Welcome back. Your reminders are on again.": {
        "es": "Nos alegra tenerle de vuelta. Sus recordatorios vuelven a estar activos.",
        "fr": "Bon retour parmi nous. Vos rappels sont de nouveau activés.",
        "de": "Willkommen zurück. Ihre Erinnerungen sind wieder eingeschaltet.",
        "pt": "Que bom ter você de volta. Seus lembretes foram reativados.",
        "ar": "أهلًا بعودتكم. تم تفعيل تذكيراتكم من جديد.",
    },
    (
        "This may need urgent medical attention. Please call {number} or go to the nearest emergency department "
        "now. We have passed your message to our drug safety team."
    ): {
        "es": (
            "Esto puede requerir atención médica urgente. Llame ahora al {number} o acuda al servicio de urgencias "
            "más cercano. Hemos enviado su mensaje a nuestro equipo de seguridad de los medicamentos."
        ),
        "fr": (
            "Cela peut nécessiter des soins médicaux urgents. Appelez dès maintenant le {number} ou rendez-vous "
            "aux urgences les plus proches. Nous avons transmis votre message à notre équipe de sécurité des "
            "médicaments."
        ),
        "de": (
            "Das kann dringend ärztliche Hilfe erfordern. Rufen Sie jetzt {number} an oder gehen Sie sofort in die "
            "nächste Notaufnahme. Wir haben Ihre Nachricht an unser Team für Arzneimittelsicherheit weitergeleitet."
        ),
        "pt": (
            "Isso pode exigir atendimento médico urgente. Ligue agora para {number} ou vá imediatamente ao "
            "serviço de emergência mais próximo. Já encaminhamos a sua mensagem para a nossa equipe de segurança "
            "de medicamentos."
        ),
        "ar": (
            "قد تحتاج هذه الحالة إلى رعاية طبية عاجلة. اتصلوا الآن بالرقم {number} أو توجهوا فورًا إلى أقرب قسم "
            "طوارئ. لقد أحلنا رسالتكم إلى فريق سلامة الأدوية لدينا."
        ),
    },
    (
        "Thank you for telling us. Our drug safety team will review your message and may contact you. If you "
        "feel very unwell, call {number} or see a doctor."
    ): {
        "es": (
            "Gracias por contárnoslo. Nuestro equipo de seguridad de los medicamentos revisará su mensaje y es "
            "posible que se ponga en contacto con usted. Si se encuentra muy mal, llame al {number} o consulte a "
            "un médico."
        ),
        "fr": (
            "Merci de nous en avoir informés. Notre équipe de sécurité des médicaments va examiner votre message "
            "et pourra vous contacter. Si vous vous sentez très mal, appelez le {number} ou consultez un médecin."
        ),
        "de": (
            "Danke, dass Sie uns das mitgeteilt haben. Unser Team für Arzneimittelsicherheit prüft Ihre Nachricht "
            "und meldet sich eventuell bei Ihnen. Wenn es Ihnen sehr schlecht geht, rufen Sie {number} an oder "
            "gehen Sie zu einer Ärztin oder einem Arzt."
        ),
        "pt": (
            "Obrigado por nos contar. Nossa equipe de segurança de medicamentos vai analisar a sua mensagem e "
            "poderá entrar em contato com você. Se você se sentir muito mal, ligue para {number} ou procure um "
            "médico."
        ),
        "ar": (
            "شكرًا لإخبارنا. سيراجع فريق سلامة الأدوية لدينا رسالتكم وقد يتواصل معكم. إذا شعرتم بتوعك شديد، "
            "اتصلوا بالرقم {number} أو راجعوا طبيبًا."
        ),
    },
    "Sorry, I did not understand that. Send MENU to see what you can do.": {
        "es": "Lo siento, no he entendido su mensaje. Envíe MENU para ver lo que puede hacer.",
        "fr": "Désolé, je n'ai pas compris. Envoyez MENU pour voir ce que vous pouvez faire.",
        "de": "Entschuldigung, das habe ich nicht verstanden. Senden Sie MENU, um zu sehen, was Sie tun können.",
        "pt": "Desculpe, não entendi. Envie MENU para ver o que você pode fazer.",
        "ar": "عذرًا، لم أفهم ذلك. أرسلوا «القائمة» لمعرفة ما يمكنكم القيام به.",
    },
    "Your message was empty. Send MENU to see what you can do.": {
        "es": "Su mensaje estaba vacío. Envíe MENU para ver lo que puede hacer.",
        "fr": "Votre message était vide. Envoyez MENU pour voir ce que vous pouvez faire.",
        "de": "Ihre Nachricht war leer. Senden Sie MENU, um zu sehen, was Sie tun können.",
        "pt": "Sua mensagem estava vazia. Envie MENU para ver o que você pode fazer.",
        "ar": "وصلتنا رسالتكم فارغة. أرسلوا «القائمة» لمعرفة ما يمكنكم القيام به.",
    },
    "Please describe what happened: what you felt, when it started and whether you saw a doctor.": {
        "es": "Por favor, cuéntenos qué ha pasado: qué sintió, cuándo empezó y si fue al médico.",
        "fr": (
            "Veuillez décrire ce qui s'est passé : ce que vous avez ressenti, quand cela a commencé et si vous "
            "avez consulté un médecin."
        ),
        "de": (
            "Bitte beschreiben Sie, was passiert ist: was Sie gespürt haben, wann es angefangen hat und ob Sie "
            "bei einer Ärztin oder einem Arzt waren."
        ),
        "pt": "Por favor, descreva o que aconteceu: o que você sentiu, quando começou e se você foi ao médico.",
        "ar": "يُرجى وصف ما حدث: بماذا شعرتم، ومتى بدأ ذلك، وهل راجعتم طبيبًا.",
    },
    "Thank you. Your report has been passed to our drug safety team.": {
        "es": "Gracias. Hemos enviado su comunicación a nuestro equipo de seguridad de los medicamentos.",
        "fr": "Merci. Votre signalement a été transmis à notre équipe de sécurité des médicaments.",
        "de": "Danke. Ihre Meldung wurde an unser Team für Arzneimittelsicherheit weitergeleitet.",
        "pt": "Obrigado. O seu relato foi encaminhado para a nossa equipe de segurança de medicamentos.",
        "ar": "شكرًا لكم. تمت إحالة بلاغكم إلى فريق سلامة الأدوية لدينا.",
    },
    "A member of the support team will contact you soon.": {
        "es": "Una persona del equipo de apoyo se pondrá en contacto con usted pronto.",
        "fr": "Un membre de l'équipe d'accompagnement vous contactera bientôt.",
        "de": "Jemand aus dem Betreuungsteam meldet sich bald bei Ihnen.",
        "pt": "Uma pessoa da equipe de apoio entrará em contato com você em breve.",
        "ar": "سيتواصل معكم أحد أعضاء فريق الدعم قريبًا.",
    },
    "You have no reminders set.": {
        "es": "No tiene ningún recordatorio programado.",
        "fr": "Vous n'avez aucun rappel programmé.",
        "de": "Sie haben keine Erinnerungen eingestellt.",
        "pt": "Você não tem nenhum lembrete programado.",
        "ar": "ليس لديكم أي تذكيرات مفعّلة.",
    },
    "Your reminder is set for {times} ({zone} time).": {
        "es": (
            "Su recordatorio está programado para las {times} (hora de {zone}).",
            "Sus {n} recordatorios diarios están programados para las {times} (hora de {zone}).",
        ),
        "fr": (
            "Votre rappel est programmé à {times} (heure locale : {zone}).",
            "Vos {n} rappels quotidiens sont programmés à {times} (heure locale : {zone}).",
        ),
        "de": (
            "Ihre Erinnerung ist auf {times} Uhr eingestellt (Zeitzone {zone}).",
            "Ihre {n} täglichen Erinnerungen sind auf {times} Uhr eingestellt (Zeitzone {zone}).",
        ),
        "pt": (
            "Seu lembrete está programado para as {times} (horário de {zone}).",
            "Seus {n} lembretes diários estão programados para as {times} (horário de {zone}).",
        ),
        "ar": (
            "تذكيراتكم مضبوطة على {times} (بتوقيت {zone}).",
            "تذكيركم مضبوط على الساعة {times} (بتوقيت {zone}).",
            "تذكيراكم اليوميان مضبوطان على {times} (بتوقيت {zone}).",
            "تذكيراتكم اليومية الـ{n} مضبوطة على {times} (بتوقيت {zone}).",
            "تذكيراتكم اليومية الـ{n} مضبوطة على {times} (بتوقيت {zone}).",
            "تذكيراتكم اليومية الـ{n} مضبوطة على {times} (بتوقيت {zone}).",
        ),
    },
    "There is no new information for you right now.": {
        "es": "Por ahora no hay información nueva para usted.",
        "fr": "Il n'y a pas de nouvelle information pour vous pour le moment.",
        "de": "Im Moment gibt es keine neuen Informationen für Sie.",
        "pt": "No momento, não há novas informações para você.",
        "ar": "لا توجد معلومات جديدة لكم في الوقت الحالي.",
    },
    "You did not join the program. Send START if you want to enrol.": {
        "es": "No se ha inscrito en el programa. Envíe EMPEZAR si desea inscribirse.",
        "fr": "Vous n'avez pas rejoint le programme. Envoyez DEMARRER si vous souhaitez vous inscrire.",
        "de": "Sie nehmen nicht am Programm teil. Senden Sie START, wenn Sie sich anmelden möchten.",
        "pt": "Você não se inscreveu no programa. Envie COMECAR se quiser se inscrever.",
        "ar": "لم تنضموا إلى البرنامج. أرسلوا «ابدأ» إذا رغبتم في التسجيل.",
    },
}


def _is_empty(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return not all(strings)


def _wanted(message: Message, lang: str) -> Translation | None:
    """The table's translation for one entry, or None when the table has none yet."""
    if lang == "en":
        return tuple(message.id) if message.pluralizable else str(message.id)
    entry = TRANSLATIONS.get(message.id if isinstance(message.id, str) else message.id[0], {})
    return entry.get(lang)


def _set_header(catalog: Catalog, lang: str) -> None:
    team = TEAMS[lang]
    catalog.fuzzy = False
    catalog.header_comment = (
        f"# {team} translations for psp-bot.\n"
        "# Copyright (C) 2026 the psp-bot contributors\n"
        "# This file is distributed under the same license as psp-bot (Apache-2.0).\n"
        "# Filled from locales/fill_catalogs.py; edit the table there and re-run it.\n"
        "#"
    )
    catalog.last_translator = "psp-bot translators"
    catalog.language_team = f"{team} (psp-bot translators)"
    catalog.revision_date = datetime.now(UTC).replace(microsecond=0)


def fill(lang: str, overwrite: bool = False) -> list[str]:
    """Fill one catalog in place; returns the msgids the table does not cover."""
    path = LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing: list[str] = []
    changed = False
    for message in catalog:
        if not message.id:
            continue
        wanted = _wanted(message, lang)
        if wanted is None:
            if _is_empty(message) or message.fuzzy:
                missing.append(str(message.id))
            continue
        if message.pluralizable:
            if not isinstance(wanted, tuple) or len(wanted) != catalog.num_plurals:
                raise SystemExit(f"{lang}: {message.id!r} needs {catalog.num_plurals} plural forms")
        elif not isinstance(wanted, str):
            raise SystemExit(f"{lang}: {message.id!r} is not a plural entry")
        current = tuple(message.string) if message.pluralizable else message.string
        if _is_empty(message) or message.fuzzy or (overwrite and current != wanted):
            message.string = wanted
            message.flags.discard("fuzzy")
            message.previous_id = []
            changed = True
    if changed or catalog.fuzzy:
        _set_header(catalog, lang)
        with path.open("wb") as fh:
            write_po(fh, catalog, width=76, include_previous=True)
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--overwrite", action="store_true", help="replace translations that differ from the table"
    )
    parser.add_argument("langs", nargs="*", default=list(LANGS))
    args = parser.parse_args(argv)
    status = 0
    for lang in args.langs:
        missing = fill(lang, overwrite=args.overwrite)
        for msgid in missing:
            print(f"{lang}: no translation yet for {msgid!r}", file=sys.stderr)
        status = status or (1 if missing else 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
