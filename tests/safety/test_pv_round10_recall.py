"""Round 10 of issue #13 (branch round10-recall): general causes of misses and of serious messages not put in
`case` in es, fr, de, pt and ar (and English where the family is general), read from blind set 11 (spent),
training corpus D's harmless-looking cases and the remaining misses of blind sets 3-10.

Each family holds in every language with our own probe sentences (none copied from a set) and our own hard
negatives. `serious`: a case marked serious; `case`: a case; `flag`: case or review; `clear`: clear.
"""

from __future__ import annotations

import pytest

from tests.safety.probes import lexicon as _lexicon

# A passive wish to be gone (sleep without waking, others better off, dark thoughts, a weight on others) is
# suicidal ideation: serious. Serious cues are never stemmed, so each wording's forms are listed.
SUICIDAL_PASSIVE = [
    ("en", "some days I think everyone would be better off without me", "serious"),
    ("en", "lately I wish I could just go to sleep and not wake up", "serious"),
    ("en", "since the dose went up I keep having really dark thoughts", "serious"),
    ("es", "últimamente pienso que todos estarían mejor sin mí", "serious"),
    ("es", "a veces quisiera dormirme y no despertar", "serious"),
    ("es", "desde la dosis nueva pienso que sería más fácil no estar", "serious"),
    ("es", "tengo pensamientos muy oscuros desde que empecé", "serious"),
    ("es", "me siento un peso para mi familia", "serious"),
    ("fr", "je me dis qu'ils seraient mieux sans moi", "serious"),
    ("fr", "parfois j'aimerais m'endormir et ne pas me réveiller", "serious"),
    ("fr", "ce serait plus facile si j'étais plus là", "serious"),
    ("fr", "j'ai des pensées très noires depuis le traitement", "serious"),
    ("fr", "je me sens un poids pour tout le monde", "serious"),
    ("de", "manchmal denke ich, alle wären besser dran ohne mich", "serious"),
    ("de", "ich wünschte, ich würde einfach nicht mehr aufwachen", "serious"),
    ("de", "ich denk oft daran, nicht mehr aufzuwachen", "serious"),
    ("de", "hab schon überlegt, wie ich es beenden könnte", "serious"),
    ("de", "seit der Erhöhung hab ich ganz dunkle Gedanken", "serious"),
    ("pt", "acho que todo mundo ficaria melhor sem mim", "serious"),
    ("pt", "às vezes queria dormir e não acordar mais", "serious"),
    ("pt", "seria mais fácil se eu não estivesse mais aqui", "serious"),
    ("pt", "ando com pensamentos sombrios desde o remédio", "serious"),
    ("pt", "me sinto um peso para todos", "serious"),
    ("ar", "حاسس إن الكل هيرتاح مني", "serious"),
    ("ar", "نفسي أنام وما أصحاش", "serious"),
    ("ar", "بفكر إنه أحسن ما كون موجود", "serious"),
    ("ar", "عندي أفكار سودا من وقت الدوا", "serious"),
    ("ar", "صار بدي الناس ترتاح مني", "serious"),
    ("ar", "ana 7asis en el nas hatertah meni", "serious"),
]

# ... while absence for logistics, a good night's sleep or a meeting without me stay clear.
SUICIDAL_NEGATIVES = [
    ("en", "I'll be on holiday next week, the office will cope without me", "clear"),
    ("en", "slept so well I didn't want to wake up", "clear"),
    ("es", "la semana que viene no estaré, mándenlo el lunes", "clear"),
    ("es", "dormí tan rico que no quería despertar", "clear"),
    ("fr", "je ne serai pas là demain, livrez lundi svp", "clear"),
    ("fr", "ils ont fait la réunion sans moi, tant mieux", "clear"),
    ("de", "morgen bin ich nicht da, bitte am Montag liefern", "clear"),
    ("de", "hab das Abo beendet, wie kann ich es neu starten?", "clear"),
    ("pt", "semana que vem não vou estar aqui, entreguem segunda", "clear"),
    ("pt", "dormi tão bem que nem queria acordar", "clear"),
    ("ar", "مش هكون موجود بكرة، ابعتوا الدوا بعدين", "clear"),
    ("ar", "الحمد لله ارتحت من الزحمة", "clear"),
]

# Jaw bone laid bare after an extraction (osteonecrosis of the jaw), told by what is seen: serious.
JAW_BONE = [
    ("en", "after the tooth came out there's bone showing in the gap and it won't heal", "serious"),
    ("en", "dentist says the jaw bone is exposed where the extraction was", "serious"),
    ("es", "desde que me sacaron la muela se me ve el hueso y no cierra", "serious"),
    ("es", "tengo un pedazo de hueso al aire en la encía hace semanas", "serious"),
    ("fr", "depuis l'extraction, on voit l'os dans la gencive, ça ne cicatrise pas", "serious"),
    ("fr", "le dentiste dit que l'os de la mâchoire est à nu", "serious"),
    ("de", "seit der Zahn raus ist, sieht man den Knochen im Kiefer, heilt nicht", "serious"),
    ("de", "Zahnarzt sagt, da liegt Knochen am Kiefer frei", "serious"),
    ("pt", "depois que tirei o dente ficou um osso à mostra na gengiva", "serious"),
    ("pt", "o dentista disse que o osso da mandíbula está exposto", "serious"),
    ("ar", "من ساعة ما خلعت الضرس العضم باين ومش بيخف", "serious"),
    ("ar", "دكتور الاسنان قال في عظم مكشوف في الفك", "serious"),
]

JAW_NEGATIVES = [
    ("de", "Knochendichtemessung war unauffällig, bin diese Woche frei", "clear"),
    ("fr", "j'ai mangé du poulet avec l'os, c'est bon", "clear"),
    ("pt", "fiz sopa de osso ontem", "clear"),
    ("ar", "عملت شوربة عضم امبارح", "clear"),
]

# An HIV test come back positive (infection despite prophylaxis) is medically important: serious; a negative
# monitoring test stays clear.
HIV_POSITIVE = [
    ("en", "my last hiv test came back positive even though I take the prep pill daily", "serious"),
    ("en", "I tested positive for HIV at the clinic today", "serious"),
    ("es", "la prueba del VIH me dio positivo y tomo la PrEP todos los días", "serious"),
    ("es", "salí positivo al VIH en el control", "serious"),
    ("fr", "mon dépistage VIH est positif alors que je prends la PrEP", "serious"),
    ("fr", "je suis positif au VIH depuis le dernier test", "serious"),
    ("de", "mein HIV-Test war positiv, obwohl ich die PrEP nehme", "serious"),
    ("de", "wurde heute positiv auf HIV getestet", "serious"),
    ("pt", "meu teste de HIV deu positivo mesmo tomando a PrEP", "serious"),
    ("pt", "deu positivo para HIV no exame de rotina", "serious"),
    ("ar", "تحليل الايدز طلع ايجابي وانا باخد الدوا كل يوم", "serious"),
    ("ar", "طلعت ايجابي لفيروس نقص المناعه", "serious"),
]

HIV_NEGATIVES = [
    ("en", "hiv test negative again, kidney bloods fine", "clear"),
    ("es", "la prueba de VIH salió negativa otra vez", "clear"),
    ("fr", "dépistage VIH négatif, tout va bien", "clear"),
    ("de", "HIV-Test negativ, alles gut", "clear"),
    ("pt", "teste de HIV negativo de novo, tudo certo", "clear"),
    ("ar", "تحليل الايدز طلع سلبي الحمد لله", "clear"),
    ("en", "when is my next hiv test due?", "clear"),
]

# Loss of consciousness told (a negation does not reach past 'after': 'can't drive after I blacked out') in
# passing or in dialect (keeled over at the wheel, out cold, fell unconscious, Tunisian and Egyptian 'I was
# gone'): serious.
BLACKOUT = [
    ("en", "can't drive for a while after I keeled over behind the wheel last week", "serious"),
    ("en", "he collapsed and was out cold for a minute", "serious"),
    ("es", "no puedo manejar desde que me desvanecí al volante", "serious"),
    ("es", "mi papá se desplomó y quedó inconsciente en la cocina", "serious"),
    ("es", "se cayó sin conocimiento en el baño", "serious"),
    ("fr", "je ne conduis plus depuis que je suis tombé dans les pommes au volant", "serious"),
    ("fr", "elle s'est effondrée, inconsciente, dans le salon", "serious"),
    ("de", "darf nicht Auto fahren, bin letzte Woche am Steuer umgekippt", "serious"),
    ("de", "nach dem Umkippen beim Fahren nehm ich jetzt den Bus", "serious"),
    ("de", "er ist zusammengesackt und war kurz bewusstlos", "serious"),
    ("pt", "não posso dirigir depois que apaguei no volante", "serious"),
    ("pt", "minha mãe caiu desacordada no banheiro", "serious"),
    ("ar", "نهار اللي غبت وانا نسوق في الطريق", "serious"),
    ("ar", "راجلي طاح فاقد الوعي في الكوزينة", "serious"),
    ("ar", "أغمي عليا وأنا سايقة العربية", "serious"),
    ("ar", "ghebt 3an el wa3y w ana bsou2", "serious"),
    ("ar", "طحت وفقدت وعيي دقيقة", "serious"),
]

# ... while things that tip over, a missed appointment and a deleted message stay clear.
BLACKOUT_NEGATIVES = [
    ("pt", "não posso ir na consulta depois que mudei de cidade", "clear"),
    ("es", "no puedo ir a la cita después de que cambiaron el horario", "clear"),
    ("de", "kann nicht kommen, nachdem der Termin verschoben wurde", "clear"),
    ("fr", "je ne peux pas venir après que le rendez-vous a été changé", "clear"),
    ("ar", "غبت عن الشغل يومين عشان السفر", "clear"),
    ("ar", "غبت عن الموعد، ممكن موعد جديد؟", "clear"),
]

# Lack of efficacy in everyday words: a treatment that stopped working, the illness 'the same as before
# starting' (which says the treatment has started), new lesions on a scan, no weight lost after months.
EFFICACY_LOST = [
    ("en", "the tablets stopped doing anything after a few months", "case"),
    ("en", "MRI showed two new lesions, neuro wants to switch", "case"),
    ("es", "la pastilla dejó de hacer efecto hace un mes", "case"),
    ("es", "las manchas están igual que antes de empezar", "case"),
    ("es", "la resonancia mostró lesiones nuevas", "case"),
    ("es", "cinco meses con la inyección y ni un kilo menos", "case"),
    ("fr", "le médicament a cessé de faire effet", "case"),
    ("fr", "mes plaques sont comme avant de commencer", "case"),
    ("fr", "l'IRM montre de nouvelles lésions", "case"),
    ("fr", "5 mois de stylo et pas un kilo de perdu", "case"),
    ("de", "die Tabletten haben aufgehört zu wirken", "case"),
    ("de", "die Flecken sind genau wie vor dem Start", "case"),
    ("de", "im MRT sind neue Herde aufgetaucht", "case"),
    ("de", "nach 5 Monaten mit dem Pen kein Kilo weniger", "case"),
    ("pt", "o remédio deixou de fazer efeito", "case"),
    ("pt", "as manchas estão iguais a antes de começar", "case"),
    ("pt", "a ressonância mostrou lesões novas", "case"),
    ("pt", "5 meses de caneta e nem um quilo a menos", "case"),
    ("ar", "الدوا بطل يجيب نتيجة", "case"),
    ("ar", "البقع زي ما هي قبل ما ابدا العلاج", "case"),
    ("ar", "الرنين طلع فيه بؤر جديدة", "case"),
    ("ar", "النوبات لسه زي ما هي مع الدوا الجديد", "case"),
]

# ... while a stable scan, an app that stopped working and a question before starting stay clear.
EFFICACY_NEGATIVES = [
    ("en", "MRI showed no new lesions, all stable", "clear"),
    ("es", "la resonancia sin lesiones nuevas, todo estable", "clear"),
    ("fr", "IRM stable, aucune nouvelle lésion", "clear"),
    ("de", "MRT stabil, keine neuen Herde", "clear"),
    ("pt", "ressonância sem lesões novas, tudo estável", "clear"),
    ("ar", "الرنين مفيهوش بؤر جديدة الحمد لله", "clear"),
    ("pt", "o aplicativo deixou de funcionar ontem", "clear"),
    ("pt", "antes de começar quero saber se posso beber", "clear"),
]

# An illness told in passing in a delivery message is a case: 'only next week' about a delivery is no 'I
# have not started yet', which would make the whole message a question about the future.
ILLNESS_IN_LOGISTICS = [
    ("en", "please hold the delivery till next week, I'm off work with shingles", "case"),
    ("es", "manden el pedido recién la semana que viene, estoy de baja con culebrilla", "case"),
    ("fr", "livrez seulement la semaine prochaine svp, je suis en arrêt maladie avec un zona", "case"),
    ("de", "Lieferung erst nächste Woche bitte, bin mit Gürtelrose krankgeschrieben", "case"),
    ("de", "Paket erst nächsten Monat, liege mit Lungenentzündung flach", "case"),
    ("pt", "só entreguem semana que vem, estou de atestado com herpes zoster", "case"),
    ("ar", "ابعتوا الدوا الاسبوع الجاي، انا عندي الحزام الناري وفي اجازه مرضيه", "case"),
]

# ... while a patient who starts later and asks about an effect is still asking.
NOT_STARTED_STILL_NEUTRAL = [
    ("de", "fange erst nächste Woche an, bekommt man davon Kopfschmerzen?", "clear"),
    ("de", "ich starte erst nächsten Monat, macht das müde?", "clear"),
    ("es", "empiezo la semana que viene, ¿da dolor de cabeza?", "clear"),
    ("fr", "je commence la semaine prochaine, est-ce que ça donne des nausées ?", "clear"),
    ("pt", "começo semana que vem, dá dor de cabeça?", "clear"),
    ("ar", "لسه ما بديت، هل بيعمل صداع؟", "clear"),
]

# Pregnancy told as news, by its weeks or its due date, the patient's or the partner's (paternal exposure):
# a special situation.
PREGNANCY_NEWS = [
    ("en", "guess what, we're expecting! 8 weeks today", "case"),
    ("en", "my wife is 12 weeks along and I'm on the injections, any issue?", "case"),
    ("es", "¡vamos a ser papás! ya 7 semanas", "case"),
    ("es", "mi mujer está de 12 semanas y yo me pongo las inyecciones", "case"),
    ("es", "la FPP es en julio, ¿puedo seguir con la pastilla?", "case"),
    ("fr", "on va être parents, déjà 8 semaines !", "case"),
    ("fr", "ma femme est à 12 semaines et je prends le traitement", "case"),
    ("fr", "le terme est prévu en juillet, je continue le stylo ?", "case"),
    ("de", "wir werden Eltern, schon 8 Wochen!", "case"),
    ("de", "meine Frau ist schwanger, ich bekomme die Infusionen, ist das ein Problem?", "case"),
    ("de", "der errechnete Termin ist im Juli, kann ich den Pen weiter nehmen?", "case"),
    ("pt", "vamos ser pais! já 7 semanas", "case"),
    ("pt", "minha mulher está de 12 semanas e eu tomo o remédio", "case"),
    ("pt", "a data provável do parto é em julho, sigo com a caneta?", "case"),
    ("ar", "هنبقى اب وام، سبع اسابيع", "case"),
    ("ar", "مراتي حامل في الشهر التالت وانا باخد الحقن", "case"),
    ("ar", "ميعاد الولاده في يوليو، اكمل الدوا؟", "case"),
]

# ... while waiting for a delivery, a contract's term and an appointment date stay clear.
PREGNANCY_NEWS_NEGATIVES = [
    ("es", "estamos esperando el pedido desde hace 2 semanas", "clear"),
    ("pt", "estamos esperando a entrega faz 2 semanas", "clear"),
    ("fr", "le terme de mon contrat est prévu en juillet", "clear"),
    ("de", "der Termin beim Arzt ist im Juli", "clear"),
    ("en", "the delivery is due next week", "clear"),
    ("ar", "ميعاد الدكتور في يوليو", "clear"),
]

# Taking someone else's prescription, or a medicine bought from a friend without one: a special situation
# (misuse or a medication error), whoever tells it.
SOMEONE_ELSES_MEDICINE = [
    ("en", "I've been taking my sister's pills to lose a few kilos", "case"),
    ("en", "my teenager uses his mum's migraine pills for his own headaches", "case"),
    ("es", "me estoy tomando las pastillas de mi hermana para bajar de peso", "case"),
    ("es", "mi hijo usa las pastillas de su padre para el dolor de cabeza", "case"),
    ("es", "compré las cápsulas a una amiga sin receta", "case"),
    ("fr", "je prends les comprimés de ma sœur pour maigrir", "case"),
    ("fr", "mon fils prend les comprimés de sa mère pour ses migraines", "case"),
    ("fr", "j'ai acheté les gélules à une copine sans ordonnance", "case"),
    ("de", "ich nehme die Tabletten meiner Schwester zum Abnehmen", "case"),
    ("de", "mein Sohn nimmt die Tabletten seiner Mutter gegen seine Migräne", "case"),
    ("de", "hab die Kapseln ohne Rezept von einer Freundin gekauft", "case"),
    ("pt", "tô tomando os comprimidos da minha irmã pra emagrecer", "case"),
    ("pt", "meu filho toma os comprimidos da mãe pra enxaqueca dele", "case"),
    ("pt", "comprei as cápsulas de uma amiga sem receita", "case"),
    ("ar", "باخد حبوب اختي عشان اخس", "case"),
    ("ar", "ابني بياخد دوا ابوه للصداع", "case"),
    ("ar", "اشتريت الكبسولات من صاحبتي من غير روشته", "case"),
]

# ... while collecting a relative's medicine at the pharmacy stays clear.
SOMEONE_ELSES_MEDICINE_NEGATIVES = [
    ("es", "tomo las mismas pastillas que mi hermana", "clear"),
    ("en", "I take the same pills as my mum", "clear"),
    ("fr", "je ne prends pas les comprimés de ma mère", "clear"),
    ("de", "ich nehme nie die Tabletten meiner Frau", "clear"),
    ("en", "I pick up my sister's pills from the pharmacy on Fridays", "clear"),
    ("es", "recojo las pastillas de mi madre en la farmacia", "clear"),
    ("fr", "je récupère les comprimés de ma mère à la pharmacie", "clear"),
    ("de", "ich hole die Tabletten meiner Mutter in der Apotheke ab", "clear"),
    ("pt", "eu busco os remédios da minha mãe na farmácia", "clear"),
]

# Off-label use told plainly: prescribed for one illness 'not for' the usual one, an illness the leaflet
# does not list, 'not approved for this': a special situation.
OFF_LABEL = [
    ("en", "the leaflet doesn't list alopecia but my doctor prescribed it for that", "case"),
    ("es", "me lo recetaron para la psoriasis y no aparece en el prospecto", "case"),
    ("es", "la reumatóloga dice que no está aprobado para esto pero lo probamos", "case"),
    ("fr", "on me l'a prescrit pour la pelade, ce n'est pas dans la notice", "case"),
    ("fr", "il n'est pas indiqué pour ça mais le dermato veut essayer", "case"),
    ("de", "verschrieben gegen Haarausfall, steht aber nicht im Beipackzettel", "case"),
    ("de", "dafür ist es nicht zugelassen, sagt die Apotheke", "case"),
    ("pt", "me receitaram pra alopecia e não está na bula", "case"),
    ("pt", "não é aprovado pra isso mas o médico quis tentar", "case"),
    ("ar", "كتبهولي للثعلبه ومش مكتوب في النشره", "case"),
    ("ar", "الصيدلي قال انه مش معتمد للحاله دي", "case"),
]

# ... while having read the leaflet stays clear.
OFF_LABEL_NEGATIVES = [
    ("en", "read the leaflet, all clear, thanks", "clear"),
    ("es", "leí el prospecto, todo claro", "clear"),
    ("fr", "j'ai lu la notice, c'est clair merci", "clear"),
    ("de", "Beipackzettel gelesen, alles klar", "clear"),
    ("pt", "li a bula, tudo certo", "clear"),
    ("ar", "قريت النشره، تمام شكرا", "clear"),
]

# Urine told by its colour (dark, brown, like tea or cola) is a finding.
DARK_URINE = [
    ("en", "my pee has gone brown like tea since the new tablets", "case"),
    ("es", "la orina me sale color café oscuro", "case"),
    ("es", "¿es normal que el pis salga como coca cola?", "case"),
    ("fr", "mes urines sont très foncées depuis lundi", "case"),
    ("fr", "le pipi est couleur thé, c'est normal ?", "case"),
    ("de", "mein Urin ist ganz dunkel, fast wie Cola", "case"),
    ("pt", "meu xixi está escuro cor de café", "case"),
    ("pt", "a urina tá saindo marrom", "case"),
    ("ar", "لون البول غامق زي الشاي", "case"),
    ("ar", "البول بقى بني غامق", "case"),
]

# Smell lost, said in everyday words, is a lost function.
LOST_SMELL = [
    ("en", "can't smell anything anymore, not even coffee", "case"),
    ("es", "ya no huelo nada, ni el café", "case"),
    ("fr", "je ne sens plus aucune odeur", "case"),
    ("de", "ich rieche gar nichts mehr", "case"),
    ("pt", "não sinto mais cheiro de nada", "case"),
    ("ar", "ما عدت شم اي ريحه", "case"),
    ("ar", "مبقتش اشم حاجه خالص", "case"),
]

# ... while coffee, tea and cola as drinks stay clear.
COLOUR_NEGATIVES = [
    ("es", "la caja del café llegó rota", "clear"),
    ("fr", "je bois du thé avec le comprimé, ça va ?", "clear"),
    ("pt", "posso tomar café escuro com o remédio?", "clear"),
    ("ar", "اقدر اشرب شاي مع الدوا؟", "clear"),
]

# A cold-chain failure told by the state of the cool pack or the pens (melted, lukewarm) is a quality
# complaint; so is a broken needle in Arabizi and dialect.
COLD_CHAIN = [
    ("ar", "el ebra etkasaret w ana bad2 el 7o2na", "case"),
    ("ar", "el sen maksoor fel 3elba", "case"),
    ("ar", "الابره جت مكسوره في العلبه", "case"),
    ("en", "the ice packs were completely melted when the box came", "case"),
    ("en", "pens arrived lukewarm, can I still use them?", "case"),
    ("es", "el gel refrigerante llegó derretido y las plumas tibias", "case"),
    ("fr", "les pains de glace étaient fondus, les stylos tièdes", "case"),
    ("de", "Kühlakkus waren geschmolzen, die Pens lauwarm", "case"),
    ("pt", "o gelo do pacote chegou derretido e as canetas mornas", "case"),
    ("ar", "التلج اللي في الكرتونه كان دايب والاقلام دافيه", "case"),
]

# ... while melting in the heat, a lukewarm drink and reading the leaflet stay clear.
COLD_CHAIN_NEGATIVES = [
    ("es", "el café llegó tibio, qué rabia", "clear"),
    ("fr", "j'ai lu la notice en entier", "clear"),
    ("de", "gibt es den Beipackzettel auch auf Englisch?", "clear"),
    ("pt", "a água está morna, posso tomar o comprimido com ela?", "clear"),
    ("ar", "الجو دافي النهارده", "clear"),
]

# Seriousness in Arabic dialects and Arabizi (Egyptian, Levantine, Gulf, Maghrebi, Iraqi): a stay in
# hospital, sight lost in one eye, a heavy chest, a broken needle or the emergency ward, seizures,
# breathing, clots, bleeding, death, self-harm.
ARABIC_SERIOUS_DIALECTS = [
    ("ar", "دخلوني الطوارئ امبارح بالليل", "serious"),
    ("ar", "نقلوه على العنايه المركزه", "serious"),
    ("ar", "رقدوني في السبيطار جمعه", "serious"),
    ("ar", "دخلت المستشفى يومين بسبب الحقنه", "serious"),
    ("ar", "جابولي الاسعاف من الدار", "serious"),
    ("ar", "نمت بالمستشفى ثلاث ليالي", "serious"),
    ("ar", "dakhalt el mostashfa 3 ayam", "serious"),
    ("ar", "ra7t el tawari2 emberi7", "serious"),
    ("ar", "khdouni l sbitar b lil", "serious"),
    ("ar", "جاته نوبه صرع وهو نايم", "serious"),
    ("ar", "جاتو التشنجات قدامي", "serious"),
    ("ar", "ما قدرت اتنفس وزرقت شفايفي", "serious"),
    ("ar", "وجهي انتفخ وزوري سكر", "serious"),
    ("ar", "ma2dartesh atnafas w weshi wirim", "serious"),
    ("ar", "gatlo tashannogat", "serious"),
    ("ar", "جاتلي جلطه في رجلي", "serious"),
    ("ar", "عمل جلطه بالقلب الاسبوع اللي فات", "serious"),
    ("ar", "نزيف ما وقف من الانف ساعتين", "serious"),
    ("ar", "تقيأت دم الصبح", "serious"),
    ("ar", "wi2ef 2albo w 3amalolo en3ash", "serious"),
    ("ar", "توفى ابويا الله يرحمه بعد الجرعه التانيه", "serious"),
    ("ar", "بابا مات امبارح", "serious"),
    ("ar", "خديت العلبه كلها قاصده", "serious"),
    ("ar", "بدي انتحر", "serious"),
    ("ar", "bfaker enta7er", "serious"),
    ("ar", "nfsi amoot", "serious"),
    ("ar", "من امبارح مش شايفه بعيني اليمين", "serious"),
    ("ar", "ma bshouf b3eni el shmal mn el sob7", "serious"),
    ("ar", "7asa b ta2l fi sedri mn sa3et el 7o2na", "serious"),
    ("ar", "صرت مش عايز اكون موجود", "serious"),
    ("ar", "el ebra tele3et maksoora mn el kis", "case"),
]

# A count taken instead of the prescribed one, told with the taking verb and no unit ('I take 3 instead of
# 1'): a medication error.
COUNT_INSTEAD = [
    ("en", "before exams I take 3 instead of 1 to calm down", "case"),
    ("es", "cuando viajo tomo 2 en vez de 1", "case"),
    ("fr", "le soir j'en prends 2 au lieu d'1", "case"),
    ("de", "vor Prüfungen nehme ich 3 statt 1", "case"),
    ("pt", "antes da prova tomo 3 em vez de 1", "case"),
    ("ar", "باخد 2 بدل 1 لما اكون تعبان", "case"),
]

# ... while other counts instead of others (walks, water, sleep) stay clear.
COUNT_INSTEAD_NEGATIVES = [
    ("en", "I walk 3 miles instead of 1 now", "clear"),
    ("es", "ahora camino 5 km en vez de 2, feliz", "clear"),
    ("fr", "je fais 3 séances au lieu de 2 à la salle", "clear"),
    ("fr", "je peux la prendre à 10h au lieu de 9h ?", "clear"),
    ("pt", "agora durmo 8 horas em vez de 5", "clear"),
    ("es", "tomé el bus de las 8 y tardó 50 minutos en vez de 20", "clear"),
]

# An animal in a comparison ('like a dog', Brazilian 'q nem') is an image: the finding is the patient's.
ANIMAL_IMAGES = [
    ("en", "shedding hair like a dog in spring since the tablets", "case"),
    ("es", "se me cae el pelo como a un perro en verano", "case"),
    ("fr", "je perds mes cheveux comme un chien qui mue", "case"),
    ("de", "mir fallen die Haare aus wie einem Hund im Fellwechsel", "case"),
    ("pt", "tô soltando cabelo q nem cachorro", "case"),
    ("ar", "شعري بيقع زي القطه", "case"),
]

FAMILIES = {
    "suicidal_passive": SUICIDAL_PASSIVE,
    "suicidal_negatives": SUICIDAL_NEGATIVES,
    "jaw_bone": JAW_BONE,
    "jaw_negatives": JAW_NEGATIVES,
    "hiv_positive": HIV_POSITIVE,
    "hiv_negatives": HIV_NEGATIVES,
    "blackout": BLACKOUT,
    "blackout_negatives": BLACKOUT_NEGATIVES,
    "efficacy_lost": EFFICACY_LOST,
    "efficacy_negatives": EFFICACY_NEGATIVES,
    "illness_in_logistics": ILLNESS_IN_LOGISTICS,
    "not_started_still_neutral": NOT_STARTED_STILL_NEUTRAL,
    "pregnancy_news": PREGNANCY_NEWS,
    "pregnancy_news_negatives": PREGNANCY_NEWS_NEGATIVES,
    "someone_elses_medicine": SOMEONE_ELSES_MEDICINE,
    "someone_elses_medicine_negatives": SOMEONE_ELSES_MEDICINE_NEGATIVES,
    "off_label": OFF_LABEL,
    "off_label_negatives": OFF_LABEL_NEGATIVES,
    "dark_urine": DARK_URINE,
    "lost_smell": LOST_SMELL,
    "colour_negatives": COLOUR_NEGATIVES,
    "cold_chain": COLD_CHAIN,
    "cold_chain_negatives": COLD_CHAIN_NEGATIVES,
    "arabic_serious_dialects": ARABIC_SERIOUS_DIALECTS,
    "count_instead": COUNT_INSTEAD,
    "count_instead_negatives": COUNT_INSTEAD_NEGATIVES,
    "animal_images": ANIMAL_IMAGES,
}
CASES = [(family, lang, text, want) for family, rows in FAMILIES.items() for lang, text, want in rows]


def _tier(text: str, lang: str) -> str:
    result = _lexicon(text, lang)
    return "serious" if result.tier == "case" and result.serious else result.tier


@pytest.mark.parametrize(("family", "lang", "text", "want"), CASES)
def test_round_10_family(family: str, lang: str, text: str, want: str) -> None:
    got = _tier(text, lang)
    if want == "flag":
        assert got != "clear", (family, text)
    elif want == "case":
        assert got in ("case", "serious"), (family, text)
    else:
        assert got == want, (family, text, got)


def test_every_family_speaks_the_five_languages() -> None:
    """A family is a cause, not a phrase: each one is probed in es, fr, de, pt and ar."""
    for family, rows in FAMILIES.items():
        if all(want == "clear" for _, _, want in rows) or family.startswith("arabic_"):
            continue  # hard negatives; Arabic dialect families
        assert {"es", "fr", "de", "pt", "ar"} <= {lang for lang, _, _ in rows}, family
