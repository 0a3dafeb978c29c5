"""The seed page's content (Düsseldorf's international-relations page), in German, English and
Hebrew, with the partners' names in Polish too: Polish shows that a language added with its
names alone falls back to German for the rest, and says so (partnerships/fallbacks.py).

Years, coordinates, populations and statuses come from partner-facts.csv beside this file, which
names a source for each; an empty cell there stays empty here.
"""

KINDS = [
    {
        "code": "twin_city",
        "order": 10,
        "name_de": "Städtepartnerschaft",
        "name_en": "Twin city",
        "name_he": "עיר תאומה",
        "section_title_de": "Partnerstädte",
        "section_title_en": "Twin cities",
        "section_title_he": "ערים תאומות",
        "section_text_de": (
            "Grundlage des internationalen Engagements Düsseldorfs sind die "
            "Städtepartnerschaften mit Reading im Vereinigten Königreich, Haifa in Israel, "
            "Warschau in Polen, Moskau in Russland und Chongqing in China."
        ),
        "section_text_en": (
            "Fundamental to Düsseldorf's international commitment are the city's twinning "
            "agreements with Reading in the United Kingdom, Haifa in Israel, Warsaw in Poland, "
            "Moscow in Russia and Chongqing in China."
        ),
        "section_text_he": (
            "בבסיס המחויבות הבינלאומית של דיסלדורף עומדים הסכמי הערים התאומות עם רדינג "
            "שבבריטניה, חיפה שבישראל, ורשה שבפולין, מוסקבה שברוסיה וצ'ונגצ'ינג שבסין."
        ),
    },
    {
        "code": "domestic_partnership",
        "order": 20,
        "name_de": "Innerdeutsche Städtepartnerschaft",
        "name_en": "Domestic partnership",
        "name_he": "שותפות ערים בתוך גרמניה",
        "section_title_de": "Innerdeutsche Partnerschaft",
        "section_title_en": "Domestic partnership",
        "section_title_he": "שותפות בתוך גרמניה",
        "section_text_de": (
            "Neben diesen internationalen Partnerschaften ist Düsseldorf der Stadt Chemnitz "
            "im Osten Deutschlands verbunden."
        ),
        "section_text_en": (
            "In addition to these international partnerships, Düsseldorf also has domestic "
            "ties with the city of Chemnitz in Eastern Germany."
        ),
        "section_text_he": (
            "לצד השותפויות הבינלאומיות האלה, דיסלדורף קשורה גם לעיר קמניץ שבמזרח גרמניה."
        ),
    },
    {
        "code": "city_friendship",
        "order": 30,
        "name_de": "Städtefreundschaft",
        "name_en": "City friendship",
        "name_he": "ידידות ערים",
        "section_title_de": "Städtefreundschaften",
        "section_title_en": "International city friendships",
        "section_title_he": "ידידויות ערים בינלאומיות",
        "section_text_de": (
            "Weitere internationale Städtefreundschaften bestehen mit Palma de Mallorca in "
            "Spanien und Toulouse in Frankreich."
        ),
        "section_text_en": (
            "Other international city friendships include Palma de Mallorca, Spain, and "
            "Toulouse, France."
        ),
        "section_text_he": (
            "ידידויות ערים בינלאומיות נוספות קיימות עם פלמה דה מיורקה שבספרד ועם טולוז שבצרפת."
        ),
    },
    {
        "code": "business_partnership",
        "order": 40,
        "name_de": "Wirtschaftspartnerschaft",
        "name_en": "Business partnership",
        "name_he": "שותפות כלכלית",
        "section_title_de": "Wirtschaftskooperationen",
        "section_title_en": "Business collaborations",
        "section_title_he": "שיתופי פעולה כלכליים",
        "section_text_de": (
            "Seit dem Zweiten Weltkrieg haben Städtepartnerschaften Menschen in aller Welt "
            "zusammengeführt. Heute bilden sie zunehmend die Grundlage internationaler "
            "Wirtschaftsbeziehungen, die den Wohlstand der beteiligten Städte stärken sollen. "
            "Zu Düsseldorfs wirtschaftlich geprägten Beziehungen gehören die Partnerschaften "
            "mit den chinesischen Städten Shenyang und Guangzhou sowie mit der Präfektur Chiba "
            "in Japan."
        ),
        "section_text_en": (
            "Since the Second World War, city twinning agreements have provided an avenue for "
            "peoples around the world to reach out to each other in friendship. Nowadays their "
            "importance lies increasingly in providing the basis for international business "
            "relationships geared to boost the prosperity of the communities involved. "
            "Düsseldorf's business-driven relationships include partnerships with the Chinese "
            "cities of Shenyang and Guangzhou as well as Chiba Prefecture, Japan."
        ),
        "section_text_he": (
            "מאז מלחמת העולם השנייה קירבו הסכמי הערים התאומות בין בני אדם ברחבי העולם. כיום "
            "הם משמשים יותר ויותר בסיס ליחסים כלכליים בינלאומיים, שנועדו לחזק את השגשוג של "
            "הערים השותפות. בין הקשרים הכלכליים של דיסלדורף נמנות השותפויות עם הערים הסיניות "
            "שניאנג וגואנגג'ואו ועם מחוז צ'יבה שביפן."
        ),
    },
    {
        "code": "agenda21_partnership",
        "order": 50,
        "name_de": "Nord-Süd-Partnerschaft (Lokale Agenda 21)",
        "name_en": "North-South partnership (Local Agenda 21)",
        "name_he": "שותפות צפון–דרום (אג'נדה 21 המקומית)",
        "section_title_de": "Lokale Agenda 21",
        "section_title_en": "The Local Agenda 21",
        "section_title_he": "אג'נדה 21 המקומית",
        "section_text_de": (
            "Im Rahmen der Lokalen Agenda 21 unterhält die Stadt Nord-Süd-Agenda-"
            "Partnerschaften mit Belo Horizonte in Brasilien, Mbombela in Südafrika und ihrer "
            "Partnerstadt Chongqing in China."
        ),
        "section_text_en": (
            "As part of its Local Agenda 21 commitments, the city also maintains North-South "
            "Agenda Partnerships with Belo Horizonte, Brazil, Mbombela, South Africa, and its "
            "sister city Chongqing in China."
        ),
        "section_text_he": (
            "במסגרת אג'נדה 21 המקומית מקיימת העיר שותפויות צפון–דרום עם בלו הוריזונטה "
            "שבברזיל, עם מבומבלה שבדרום אפריקה ועם העיר התאומה שלה צ'ונגצ'ינג שבסין."
        ),
    },
]

# One entry per partner of the seed page, keyed by the English name in partner-facts.csv.
# Wikidata ids were written from the public Wikidata entries of these places; other names are
# some of their labels there (the place's own name, its names in other languages) and former
# names, which the directory's search finds the partner by.
PARTNERS = {
    "Reading": {
        "slug": "reading",
        "wikidata_id": "Q161491",
        "region": "Berkshire",
        "name_he": "רדינג",
        "name_pl": "Reading",
        "description_de": "Stadt in der Grafschaft Berkshire, westlich von London.",
        "description_en": "Town in Berkshire, west of London.",
        "description_he": "עיר במחוז ברקשייר, ממערב ללונדון.",
    },
    "Haifa": {
        "slug": "haifa",
        "wikidata_id": "Q41621",
        "name_he": "חיפה",
        "name_pl": "Hajfa",
        "description_de": "Hafenstadt am Mittelmeer und drittgrößte Stadt Israels.",
        "description_en": "Port city on the Mediterranean and Israel's third-largest city.",
        "description_he": "עיר נמל לחוף הים התיכון והעיר השלישית בגודלה בישראל.",
    },
    "Warsaw": {
        "slug": "warsaw",
        "other_names": "Warszawa\nVarsovie\nVarsavia\nVarsovia\nVaršava\nVarsó\nВаршава",
        "wikidata_id": "Q270",
        "region": "Masowien",
        "name_he": "ורשה",
        "name_pl": "Warszawa",
        "description_de": "Hauptstadt Polens an der Weichsel.",
        "description_en": "Capital of Poland, on the Vistula.",
        "description_he": "בירת פולין, על נהר הוויסלה.",
    },
    "Moscow": {
        "slug": "moscow",
        "other_names": "Москва\nMoskwa\nMoscou\nMosca",
        "wikidata_id": "Q649",
        "name_he": "מוסקבה",
        "name_pl": "Moskwa",
        "description_de": "Hauptstadt Russlands.",
        "description_en": "Capital of Russia.",
        "description_he": "בירת רוסיה.",
    },
    "Chongqing": {
        "slug": "chongqing",
        "other_names": "重庆\nChungking",
        "wikidata_id": "Q11725",
        "name_he": "צ'ונגצ'ינג",
        "name_pl": "Chongqing",
        "description_de": "Regierungsunmittelbare Stadt im Südwesten Chinas am Jangtse.",
        "description_en": "Municipality in south-western China on the Yangtze.",
        "description_he": "עיר בדרום-מערב סין על נהר היאנגצה, הכפופה ישירות לממשל המרכזי.",
    },
    "Chemnitz": {
        "slug": "chemnitz",
        "other_names": "Karl-Marx-Stadt",
        "wikidata_id": "Q2795",
        "region": "Sachsen",
        "name_he": "קמניץ",
        "name_pl": "Chemnitz",
        "description_de": (
            "Stadt in Sachsen; die Partnerschaft wurde 1988 mit Karl-Marx-Stadt geschlossen."
        ),
        "description_en": (
            "City in Saxony; the partnership was sealed in 1988 with Karl-Marx-Stadt."
        ),
        "description_he": "עיר בסקסוניה; השותפות נחתמה ב-1988 עם קרל-מרקס-שטאדט.",
    },
    "Palma de Mallorca": {
        "slug": "palma",
        "wikidata_id": "Q8826",
        "region": "Balearische Inseln",
        "name_de": "Palma de Mallorca",
        "name_he": "פלמה דה מיורקה",
        "name_pl": "Palma de Mallorca",
        "description_de": "Hauptstadt der Balearen auf Mallorca.",
        "description_en": "Capital of the Balearic Islands, on Majorca.",
        "description_he": "בירת האיים הבלאריים, באי מיורקה.",
    },
    "Toulouse": {
        "slug": "toulouse",
        "wikidata_id": "Q7880",
        "region": "Okzitanien",
        "name_he": "טולוז",
        "name_pl": "Tuluza",
        "description_de": "Stadt im Südwesten Frankreichs und Zentrum der europäischen Luftfahrt.",
        "description_en": "City in south-western France and a centre of European aviation.",
        "description_he": "עיר בדרום-מערב צרפת ומרכז של תעשיית התעופה האירופית.",
    },
    "Shenyang": {
        "slug": "shenyang",
        "other_names": "沈阳\nMukden",
        "wikidata_id": "Q11720",
        "region": "Liaoning",
        "name_he": "שניאנג",
        "name_pl": "Shenyang",
        "description_de": "Hauptstadt der Provinz Liaoning im Nordosten Chinas.",
        "description_en": "Capital of Liaoning province in north-eastern China.",
        "description_he": "בירת מחוז ליאונינג בצפון-מזרח סין.",
    },
    "Guangzhou": {
        "slug": "guangzhou",
        "other_names": "广州\nKanton\nCanton",
        "wikidata_id": "Q16572",
        "region": "Guangdong",
        "name_he": "גואנגג'ואו",
        "name_pl": "Kanton",
        "description_de": "Hauptstadt der Provinz Guangdong in Südchina.",
        "description_en": "Capital of Guangdong province in southern China.",
        "description_he": "בירת מחוז גואנגדונג בדרום סין.",
    },
    "Chiba Prefecture": {
        "slug": "chiba",
        "other_names": "千葉県",
        "wikidata_id": "Q80011",
        "name_he": "מחוז צ'יבה",
        "name_pl": "Prefektura Chiba",
        "description_de": "Präfektur östlich von Tokio.",
        "description_en": "Prefecture east of Tokyo.",
        "description_he": "מחוז ממזרח לטוקיו.",
    },
    "Belo Horizonte": {
        "slug": "belo-horizonte",
        "wikidata_id": "Q42800",
        "region": "Minas Gerais",
        "name_he": "בלו הוריזונטה",
        "name_pl": "Belo Horizonte",
        "description_de": "Hauptstadt des Bundesstaates Minas Gerais in Brasilien.",
        "description_en": "Capital of the state of Minas Gerais, Brazil.",
        "description_he": "בירת מדינת מינאס ז'ראיס בברזיל.",
    },
    "Mbombela": {
        "slug": "mbombela",
        "other_names": "Nelspruit",
        "region": "Mpumalanga",
        "name_he": "מבומבלה",
        "name_pl": "Mbombela",
        "description_de": "Gemeinde in der Provinz Mpumalanga in Südafrika; umfasst Nelspruit.",
        "description_en": "Municipality in Mpumalanga province, South Africa; includes Nelspruit.",
        "description_he": "רשות מקומית במחוז מפומלנגה שבדרום אפריקה; כוללת את נלספרויט.",
    },
}

# Relationships beyond the facts file's one row per partner.
EXTRA_RELATIONSHIPS = [
    # Chongqing is a twin city and one of the three North-South (Agenda 21) partners.
    {"partner": "Chongqing", "kind": "agenda21_partnership", "since": "", "status": "active"},
    # Chiba's joint declaration of 2005 became a formal partnership agreement on 25 May 2019.
    {"partner": "Chiba Prefecture", "kind": "twin_city", "since": "2019-05-25", "status": "active"},
]

# Summaries of some relationships (German, English, Hebrew), from the facts file's notes.
SUMMARIES = {
    ("Moscow", "twin_city"): (
        "Die Partnerschaft ruht seit dem russischen Angriff auf die Ukraine im Februar 2022.",
        "The partnership has been on hold since the Russian invasion of Ukraine in February 2022.",
        "השותפות מוקפאת מאז הפלישה הרוסית לאוקראינה בפברואר 2022.",
    ),
    ("Toulouse", "city_friendship"): (
        "Eine Freundschaft seit 2003, erneuert 2017 und 2021.",
        "A friendship since 2003, renewed in 2017 and 2021.",
        "ידידות מאז 2003, שחודשה ב-2017 וב-2021.",
    ),
    ("Chiba Prefecture", "twin_city"): (
        "Aus der Wirtschaftskooperation von 2005 wurde 2019 eine förmliche Partnerschaft.",
        "The business cooperation of 2005 became a formal partnership in 2019.",
        "שיתוף הפעולה הכלכלי משנת 2005 הפך ב-2019 לשותפות רשמית.",
    ),
}

# The seed page names Chemnitz as a domestic tie, where the facts file says twin city.
KIND_OVERRIDES = {"Chemnitz": "domestic_partnership"}

# (date, German, English, Hebrew) per relationship.
MILESTONES = {
    ("Moscow", "twin_city"): [
        (
            "1992",
            "Partnerschaftsvertrag unterzeichnet",
            "Partnership agreement signed",
            "נחתם הסכם השותפות",
        ),
        (
            "2022",
            "Im Februar 2022 nach dem russischen Angriff auf die Ukraine ausgesetzt",
            "Suspended in February 2022 after the Russian invasion of Ukraine",
            "הושעתה בפברואר 2022 בעקבות הפלישה הרוסית לאוקראינה",
            "suspended",
        ),
    ],
    ("Chongqing", "twin_city"): [
        (
            "2004-07-22",
            "Partnerschaftsvertrag unterzeichnet",
            "Partnership agreement signed",
            "נחתם הסכם השותפות",
        ),
    ],
    ("Chemnitz", "domestic_partnership"): [
        (
            "1988",
            "Partnerschaft mit Karl-Marx-Stadt (DDR) besiegelt",
            "Partnership sealed with Karl-Marx-Stadt (GDR)",
            "השותפות נחתמה עם קרל-מרקס-שטאדט (גרמניה המזרחית)",
        ),
    ],
    ("Palma de Mallorca", "city_friendship"): [
        (
            "2003-03-19",
            "Erklärung über den Ausbau der freundschaftlichen Beziehungen in Palma unterzeichnet",
            "Declaration on closer friendly relations signed in Palma",
            "בפלמה נחתמה הצהרה על הרחבת יחסי הידידות",
        ),
    ],
    ("Toulouse", "city_friendship"): [
        ("2017-07-01", "Freundschaft erneuert", "Friendship renewed", "הידידות חודשה"),
        (
            "2021-01-22",
            "Kooperationsvertrag unterzeichnet",
            "Cooperation agreement signed",
            "נחתם הסכם שיתוף פעולה",
        ),
    ],
    ("Chiba Prefecture", "business_partnership"): [
        (
            "2005",
            "Gemeinsame Erklärung zur Wirtschaftskooperation",
            "Joint declaration on business cooperation",
            "הצהרה משותפת על שיתוף פעולה כלכלי",
        ),
    ],
    ("Chiba Prefecture", "twin_city"): [
        ("2019-03-07", "Beschluss des Stadtrats", "City council decision", "החלטת מועצת העיר"),
        (
            "2019-05-25",
            "Partnerschaftsvertrag unterzeichnet",
            "Partnership agreement signed",
            "נחתם הסכם השותפות",
        ),
    ],
}

# Examples of the civic side of the partnerships (partnerships/exchanges/): the associations are
# made up for the demo, so they have neither a website nor an e-mail address.
ASSOCIATIONS = [
    {
        "name_de": "Freundeskreis Düsseldorf–Reading (Beispiel)",
        "name_en": "Düsseldorf–Reading Friends (example)",
        "name_he": "חוג הידידים דיסלדורף–רדינג (דוגמה)",
        "kind": "partnership_association",
        "contact_person": "Erika Beispiel",
        "description_de": "Organisiert seit Jahrzehnten Besuche zwischen Familien beider Städte.",
        "description_en": "Has organised visits between families of both towns for decades.",
        "description_he": "מארגן כבר עשרות שנים ביקורים בין משפחות משתי הערים.",
        "relationships": [("Reading", "twin_city")],
    },
    {
        "name_de": "Schulpartnerschaft Düsseldorf–Toulouse (Beispiel)",
        "name_en": "Düsseldorf–Toulouse school partnership (example)",
        "name_he": "שותפות בתי הספר דיסלדורף–טולוז (דוגמה)",
        "kind": "school_partnership",
        "description_de": "Drei Gymnasien beider Städte tauschen jedes Jahr eine Klasse aus.",
        "description_en": "Three grammar schools of both cities exchange a class every year.",
        "description_he": "שלוש גימנסיות משתי הערים מחליפות מדי שנה כיתה אחת.",
        "relationships": [("Toulouse", "city_friendship")],
    },
]

# Keyed by the German title; each names its partnership and, where it has one, its association.
EVENTS = [
    {
        "title_de": "Jugendaustausch in Reading",
        "title_en": "Youth exchange in Reading",
        "title_he": "חילופי נוער ברדינג",
        "relationship": ("Reading", "twin_city"),
        "association": "Freundeskreis Düsseldorf–Reading (Beispiel)",
        "kind": "youth_exchange",
        "place_de": "Reading",
        "place_en": "Reading",
        "place_he": "רדינג",
        "start_date": "2027-07-05",
        "end_date": "2027-07-12",
        "summary_de": "Zwanzig Jugendliche aus Düsseldorf verbringen eine Woche in Reading.",
        "summary_en": "Twenty young people from Düsseldorf spend a week in Reading.",
        "summary_he": "עשרים בני נוער מדיסלדורף מבלים שבוע ברדינג.",
    },
    {
        "title_de": "Warschauer Kulturwoche",
        "title_en": "Warsaw cultural week",
        "title_he": "שבוע התרבות של ורשה",
        "relationship": ("Warsaw", "twin_city"),
        "kind": "cultural_week",
        "place_de": "Düsseldorf, Rathaus",
        "place_en": "Düsseldorf, town hall",
        "place_he": "דיסלדורף, בניין העירייה",
        "start_date": "2027-05-10",
        "end_date": "2027-05-16",
        "summary_de": "Konzerte, Lesungen und Filme aus Warschau.",
        "summary_en": "Concerts, readings and films from Warsaw.",
        "summary_he": "קונצרטים, ערבי קריאה וסרטים מוורשה.",
    },
    {
        "title_de": "Empfang für die Delegation aus Chongqing",
        "title_en": "Reception for the delegation from Chongqing",
        "title_he": "קבלת פנים למשלחת מצ'ונגצ'ינג",
        "relationship": ("Chongqing", "twin_city"),
        "kind": "delegation",
        "place_de": "Düsseldorf, Jan-Wellem-Saal",
        "place_en": "Düsseldorf, Jan Wellem Hall",
        "place_he": "דיסלדורף, אולם יאן ולם",
        "start_date": "2027-03-18",
        "start_time": "18:00",
        "end_time": "20:00",
    },
    {
        "title_de": "Schüleraustausch mit Toulouse",
        "title_en": "School exchange with Toulouse",
        "title_he": "חילופי תלמידים עם טולוז",
        "relationship": ("Toulouse", "city_friendship"),
        "association": "Schulpartnerschaft Düsseldorf–Toulouse (Beispiel)",
        "kind": "school_exchange",
        "place_de": "Toulouse",
        "place_en": "Toulouse",
        "place_he": "טולוז",
        "start_date": "2025-10-06",
        "end_date": "2025-10-10",
    },
]

OFFICE = {
    "name_de": "Amt für Wirtschaftsförderung – Internationale Beziehungen",
    "name_en": "Office of Economic Development – International relations",
    "name_he": "המשרד לפיתוח כלכלי – יחסים בינלאומיים",
    "street": "Burgplatz 1",
    "postal_code": "40213",
    "city": "Düsseldorf",
    "phone": "+49 (0) 211.89-23155",
    "email": "international@duesseldorf.de",
}

CONTACTS = [
    {"name": "Benjamin Leonhardt", "phone": "+49 (0) 211.89-92294", "order": 10},
    {"name": "Lilia Scheliga", "phone": "+49 (0) 211.89-95506", "order": 20},
    {"name": "Frauke Hausmann", "phone": "+49 (0) 211.89-21394", "order": 30},
]

# What the software processes, as docs/deploy.md sets it up: nginx and gunicorn logs, the
# editors' session and CSRF cookies, django-axes' login records, the feedback form. How long the
# reports are kept the page adds from the settings (templates/partnerships/privacy.html).
PRIVACY_DE = """<h2>Wer ist verantwortlich?</h2>
<p>Verantwortlich für diese Website ist die Landeshauptstadt Düsseldorf, vertreten durch den
Oberbürgermeister (Anschrift im Impressum). Sie erreichen die behördliche
Datenschutzbeauftragte unter derselben Anschrift.</p>
<h2>Wenn Sie die Seiten aufrufen</h2>
<p>Der Webserver (nginx) und der Anwendungsserver (gunicorn) schreiben bei jedem Aufruf ein
Protokoll: Ihre IP-Adresse, Datum und Uhrzeit, die aufgerufene Adresse, den Statuscode, die
übertragene Datenmenge, die zuvor besuchte Seite (Referrer) und die Kennung Ihres Browsers. Wir
brauchen diese Daten, um die Website sicher zu betreiben und Fehler und Angriffe zu erkennen
(Art. 6 Abs. 1 Buchst. e DSGVO). Die Protokolle werden nach 14 Tagen gelöscht.</p>
<p>Die öffentlichen Seiten setzen keine Cookies. Es gibt keine Analyse- oder Werbedienste, und
die Seiten laden nichts von anderen Servern: Schriften, Karte und Video kommen von diesem
Server.</p>
<h2>Redaktionsbereich</h2>
<p>Wer die Inhalte bearbeitet, meldet sich im Redaktionsbereich an. Dafür setzt die Website zwei
technisch notwendige Cookies: „sessionid“ hält die Anmeldung, „csrftoken“ schützt die Formulare
vor gefälschten Anfragen (§ 25 Abs. 2 TDDDG). Anmeldungen und fehlgeschlagene
Anmeldeversuche werden mit IP-Adresse, Browserkennung, Benutzername und Zeitpunkt gespeichert,
damit nach mehreren Fehlversuchen die Adresse gesperrt werden kann.</p>
<h2>Wenn Sie uns eine Barriere melden</h2>
<p>Mit dem Formular zur Meldung von Barrieren senden Sie uns die Seite, Ihre Beschreibung und,
wenn Sie möchten, Ihren Namen und Ihre E-Mail-Adresse für eine Antwort. Wir speichern die
Meldung und schicken sie per E-Mail an das Amt, um Ihnen zu antworten und die Barriere zu
beheben (Art. 6 Abs. 1 Buchst. c und e DSGVO, § 12b BGG). Damit niemand das Formular
missbraucht, wird Ihre IP-Adresse kurz im Zwischenspeicher gehalten.</p>
<h2>Ihre Rechte</h2>
<p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der Verarbeitung und
Widerspruch (Art. 15 bis 21 DSGVO). Sie können sich bei der Aufsichtsbehörde beschweren: der
Landesbeauftragten für Datenschutz und Informationsfreiheit Nordrhein-Westfalen,
Kavalleriestraße 2–4, 40213 Düsseldorf.</p>"""

PRIVACY_EN = """<h2>Who is responsible?</h2>
<p>This website is run by the City of Düsseldorf, represented by the Lord Mayor (address in the
imprint). The city's data protection officer can be reached at the same address.</p>
<h2>When you visit the pages</h2>
<p>The web server (nginx) and the application server (gunicorn) log every request: your IP
address, date and time, the address requested, the status code, the amount of data sent, the
page you came from (referrer) and your browser's identification. We need these to run the site
securely and to detect faults and attacks (Art. 6(1)(e) GDPR). The logs are deleted after 14
days.</p>
<p>The public pages set no cookies. There are no analytics or advertising services, and the
pages load nothing from other servers: fonts, map and video come from this server.</p>
<h2>Editing area</h2>
<p>Editors sign in to the editing area. For this the site sets two strictly necessary cookies:
“sessionid” keeps the sign-in, “csrftoken” protects the forms against forged requests. Sign-ins
and failed sign-in attempts are stored with IP address, browser identification, user name and
time, so that an address can be locked out after several failures.</p>
<h2>When you report a barrier</h2>
<p>With the form for reporting barriers you send us the page, your description and, if you
wish, your name and e-mail address for a reply. We store the report and e-mail it to the office,
to answer you and remove the barrier (Art. 6(1)(c) and (e) GDPR, § 12b BGG). To keep the form
from being misused, your IP address is held briefly in the cache.</p>
<h2>Your rights</h2>
<p>You have the right of access, rectification, erasure, restriction of processing and to
object (Art. 15 to 21 GDPR). You may complain to the supervisory authority: the State
Commissioner for Data Protection and Freedom of Information of North Rhine-Westphalia,
Kavalleriestraße 2–4, 40213 Düsseldorf, Germany.</p>"""

PRIVACY_HE = """<h2>מי אחראי?</h2>
<p>את האתר מפעילה העיר דיסלדורף, המיוצגת על ידי ראש העיר (הכתובת מופיעה בדף פרטי
המפרסם). אפשר לפנות לממונה על הגנת המידע של העיר באותה כתובת.</p>
<h2>כשאתם מבקרים בדפים</h2>
<p>שרת האינטרנט (nginx) ושרת היישום (gunicorn) רושמים ביומן כל בקשה: כתובת ה-IP שלכם, התאריך
והשעה, הכתובת המבוקשת, קוד הסטטוס, כמות הנתונים שנשלחה, הדף שממנו הגעתם (referrer) וזיהוי
הדפדפן שלכם. אנו זקוקים לנתונים האלה כדי להפעיל את האתר באופן מאובטח ולזהות תקלות ומתקפות
(סעיף 6(1)(e) ל-GDPR). היומנים נמחקים לאחר 14 יום.</p>
<p>הדפים הציבוריים אינם שומרים עוגיות (cookies). אין באתר שירותי ניתוח או פרסום, והדפים אינם
טוענים דבר משרתים אחרים: הגופנים, המפה והסרטון מגיעים מהשרת הזה.</p>
<h2>אזור העריכה</h2>
<p>העורכים נכנסים לאזור העריכה. לשם כך האתר שומר שתי עוגיות הכרחיות: "sessionid" שומרת על
החיבור, "csrftoken" מגינה על הטפסים מפני בקשות מזויפות. כניסות וניסיונות כניסה שנכשלו נשמרים
עם כתובת ה-IP, זיהוי הדפדפן, שם המשתמש והשעה, כדי שאפשר יהיה לחסום כתובת לאחר כמה ניסיונות
כושלים.</p>
<h2>כשאתם מדווחים על מחסום נגישות</h2>
<p>בטופס לדיווח על מחסומי נגישות אתם שולחים לנו את הדף ואת התיאור שלכם, ואם תרצו, גם את שמכם
ואת כתובת הדוא"ל שלכם כדי שנוכל להשיב לכם. אנו שומרים את הדיווח ושולחים אותו בדוא"ל למשרד,
כדי להשיב לכם ולהסיר את המחסום (סעיף 6(1)(c) ו-(e) ל-GDPR, § 12b BGG). כדי למנוע שימוש לרעה
בטופס, כתובת ה-IP שלכם נשמרת לזמן קצר בזיכרון המטמון.</p>
<h2>הזכויות שלכם</h2>
<p>יש לכם זכות לעיין במידע, לתקן אותו, למחוק אותו, להגביל את עיבודו ולהתנגד לעיבודו (סעיפים 15
עד 21 ל-GDPR). אתם רשאים להגיש תלונה לרשות הפיקוח: הממונה על הגנת המידע וחופש המידע של מדינת
נורדריין-וסטפאליה, Kavalleriestraße 2–4, 40213 Düsseldorf, גרמניה.</p>"""

# Leichte Sprache: short sentences, one thought each, hard words explained, compounds split.
EASY_LANGUAGE_DE = """<h2>Was steht auf dieser Internet-Seite?</h2>
<p>Diese Internet-Seite ist von der Stadt Düsseldorf.</p>
<p>Düsseldorf hat Freunde in anderen Städten.
Diese Städte sind in vielen Ländern.
Zum Beispiel in Polen, in Israel und in China.</p>
<p>Die Freundschaft zwischen 2 Städten heißt: Städte-Partnerschaft.</p>
<p>Hier steht:</p>
<ul>
<li>Welche Partner-Städte hat Düsseldorf?</li>
<li>Seit wann gibt es die Partnerschaft?</li>
<li>Wer hilft Ihnen bei Fragen?</li>
</ul>
<h2>So benutzen Sie die Internet-Seite</h2>
<ul>
<li>Auf der Start-Seite ist eine Karte.
Auf der Karte sind die Partner-Städte.</li>
<li>Unter der Karte ist eine Liste.
In der Liste stehen die Namen von den Städten.</li>
<li>Klicken Sie auf einen Namen.
Dann lesen Sie mehr über die Stadt.</li>
<li>Sie suchen eine Stadt?
Dann klicken Sie oben auf: Alle Partnerschaften.
Dort können Sie suchen.</li>
<li>Oben können Sie die Sprache wählen:
Deutsch, Englisch oder Hebräisch.</li>
</ul>
<h2>Barriere-Freiheit</h2>
<p>Barriere-frei heißt:
Alle Menschen können die Internet-Seite gut benutzen.
Auch Menschen mit Behinderung.</p>
<p>Wir prüfen die Internet-Seite oft.
Fast alles ist barriere-frei.
Eine Sache fehlt noch:
Ein Film in Gebärden-Sprache.
Der Film kommt bald.</p>
<p>Haben Sie ein Problem mit der Internet-Seite?
Dann schreiben Sie uns eine E-Mail.
Oder rufen Sie uns an.
Die E-Mail-Adresse und die Telefon-Nummer stehen in der Erklärung zur Barriere-Freiheit.</p>
<p>Wir antworten Ihnen.
Sie sind mit der Antwort nicht zufrieden?
Dann können Sie sich bei der Schlichtungs-Stelle melden.
Die Schlichtungs-Stelle hilft bei Streit.
Das kostet nichts.</p>"""

EASY_LANGUAGE_EN = """<h2>What is on this website?</h2>
<p>This website is from the City of Düsseldorf.
Düsseldorf has friends in other cities.
These cities are in many countries.
For example in Poland, in Israel and in China.</p>
<p>Here you find out:</p>
<ul>
<li>Which cities are Düsseldorf's partners?</li>
<li>Since when?</li>
<li>Who helps you with questions?</li>
</ul>
<h2>How to use the website</h2>
<ul>
<li>The start page has a map with the partner cities.</li>
<li>Below the map is a list of the cities.
Click on a name to read more.</li>
<li>Looking for a city?
Click on: All partnerships.
You can search there.</li>
<li>At the top you choose the language:
German, English or Hebrew.</li>
</ul>
<h2>Accessibility</h2>
<p>Everybody should be able to use this website.
People with disabilities too.
We check the website often.
One thing is still missing: a video in sign language.
It comes soon.</p>
<p>Is something difficult on the website?
Write us an e-mail or call us.
You find the e-mail address and the phone number in the accessibility statement.</p>"""

# שפה קלה: short sentences, one thought each, everyday words, the reader addressed in plural.
EASY_LANGUAGE_HE = """<h2>מה יש באתר הזה?</h2>
<p>את האתר הזה עשתה העיר דיסלדורף.
לדיסלדורף יש חברים בערים אחרות.
הערים האלה נמצאות בהרבה ארצות.
למשל בפולין, בישראל ובסין.</p>
<p>כאן אפשר לקרוא:</p>
<ul>
<li>אילו ערים הן השותפות של דיסלדורף?</li>
<li>ממתי?</li>
<li>מי עוזר לכם כשיש לכם שאלות?</li>
</ul>
<h2>איך משתמשים באתר</h2>
<ul>
<li>בדף הראשי יש מפה.
במפה רואים את הערים השותפות.</li>
<li>מתחת למפה יש רשימה של הערים.
לחצו על שם של עיר.
כך תקראו עוד על העיר.</li>
<li>אתם מחפשים עיר?
לחצו על: כל השותפויות.
שם אפשר לחפש.</li>
<li>למעלה בוחרים שפה:
גרמנית, אנגלית או עברית.</li>
</ul>
<h2>נגישות</h2>
<p>אנחנו רוצים שכל האנשים יוכלו להשתמש באתר הזה.
גם אנשים עם מוגבלות.
אנחנו בודקים את האתר הרבה פעמים.
דבר אחד עוד חסר: סרטון בשפת סימנים.
הסרטון יגיע בקרוב.</p>
<p>משהו באתר קשה לכם?
כתבו לנו אימייל או התקשרו אלינו.
את כתובת האימייל ואת מספר הטלפון תמצאו בהצהרת הנגישות.</p>"""


PAGES = [
    {
        "key": "overview",
        "title_de": "Düsseldorf international",
        "title_en": "Düsseldorf's international relations",
        "subtitle_de": (
            "Städte weltweit verbinden: Türen öffnen für Bürgerschaft, Wirtschaft und Kultur"
        ),
        "subtitle_en": (
            "Connecting cities worldwide: opening doors for citizens, business and culture"
        ),
        "title_he": "דיסלדורף הבינלאומית",
        "subtitle_he": "מחברים ערים ברחבי העולם: פותחים דלתות לתושבים, לכלכלה ולתרבות",
        "meta_description_he": (
            "הערים התאומות של דיסלדורף, ידידויות הערים, השותפויות הכלכליות ושותפויות "
            "צפון–דרום, עם אנשי הקשר במשרד לפיתוח כלכלי."
        ),
        "introduction_he": (
            "לעיר פעילה כל כך בזירה הבינלאומית כמו דיסלדורף חשוב לקיים דיאלוג מעבר לגבולות "
            "עירוניים ולאומיים. דיסלדורף מילאה תפקיד מרכזי בהקמת רשת עולמית של אזורי "
            "מטרופולין המאחדים כוחות כדי לעמוד באתגרי המאה ה-21.\n\n"
            "היחסים הבינלאומיים האלה אינם מטרה בפני עצמה. הם אמורים לשמש במה חשובה לחילופים "
            "בכלכלה, בתרבות, בחינוך, בספורט ובחברה האזרחית. שכן יהיה סוג הקשר אשר יהיה, "
            "המכריע הוא מעורבותם של התושבים, החברות, העמותות והמוסדות."
        ),
        "quote_he": "אנו רוצים להרחיב עוד יותר את הקשרים העולמיים של עירנו.",
        "quote_author_he": "ראש העיר דירק אלברס",
        "meta_description_de": (
            "Düsseldorfs Partnerstädte, Städtefreundschaften, Wirtschafts- und "
            "Nord-Süd-Partnerschaften, mit den Ansprechpersonen im Amt für Wirtschaftsförderung."
        ),
        "meta_description_en": (
            "Düsseldorf's twin cities, city friendships, business and North-South partnerships, "
            "with the contacts in the Office of Economic Development."
        ),
        "introduction_de": (
            "Für eine international so aktive Stadt wie Düsseldorf ist der Dialog über "
            "kommunale und nationale Grenzen hinweg wichtig. Düsseldorf hat eine zentrale Rolle "
            "beim Aufbau eines weltweiten Netzes von Metropolregionen gespielt, die ihre Kräfte "
            "bündeln, um die Herausforderungen des 21. Jahrhunderts zu meistern.\n\n"
            "Diese internationalen Beziehungen sind kein Selbstzweck. Sie sollen eine wertvolle "
            "Plattform für den Austausch in Wirtschaft, Kultur, Bildung, Sport und "
            "Bürgerschaft bieten. Denn welcher Art die Beziehung auch ist: Entscheidend ist das "
            "Engagement der Bürgerinnen und Bürger, der Unternehmen, Vereine und Institutionen."
        ),
        "introduction_en": (
            "For a city like Düsseldorf that is extremely active on the international stage, it "
            "is important to seek dialogue across municipal and national borders. Düsseldorf "
            "has played a central role in establishing a worldwide network of metropolitan "
            "regions which are pooling their resources to meet the challenges of the 21st "
            "century.\n\n"
            "It goes without saying that these international relations are not an end in "
            "themselves. They should provide a valuable platform for business, cultural, "
            "educational, sportive and civic exchange. Because whatever the type of "
            "relationship, it is the active involvement of residents, companies, associations "
            "and institutions that really counts."
        ),
        "quote_de": "Wir wollen die weltweiten Verbindungen unserer Stadt noch weiter ausbauen.",
        "quote_en": "We plan to expand our city's global connections even further.",
        "quote_author_de": "Oberbürgermeister Dirk Elbers",
        "quote_author_en": "Lord Mayor Dirk Elbers",
    },
    {
        "key": "accessibility",
        "title_de": "Erklärung zur Barrierefreiheit",
        "title_en": "Accessibility statement",
        "introduction_de": (
            "Die Landeshauptstadt Düsseldorf ist bemüht, ihre Website im Einklang mit der "
            "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) barrierefrei zugänglich "
            "zu machen. Diese Erklärung gilt für die Seiten der internationalen Beziehungen."
        ),
        "introduction_en": (
            "The City of Düsseldorf strives to make its website accessible in accordance with "
            "the German Barrier-Free Information Technology Ordinance (BITV 2.0). This statement "
            "applies to the pages of the city's international relations."
        ),
        "title_he": "הצהרת נגישות",
        "meta_description_he": (
            "עד כמה אתר היחסים הבינלאומיים של דיסלדורף נגיש, מה עדיין אינו נגיש ולמי לפנות."
        ),
        "introduction_he": (
            "העיר דיסלדורף שואפת להנגיש את אתר האינטרנט שלה בהתאם לתקנה הגרמנית בדבר "
            "טכנולוגיית מידע נגישה (BITV 2.0). הצהרה זו חלה על דפי היחסים הבינלאומיים של העיר."
        ),
        # The statement's facts (ACCESSIBILITY_STATEMENT below) make the page; the text that
        # pointed to contact details the page did not have is gone (`--reset` clears it too).
        "body_de": "",
        "body_en": "",
        "body_he": "",
    },
    {
        "key": "imprint",
        "title_de": "Impressum",
        "title_en": "Imprint",
        # The imprint's facts (IMPRINT below) make the page; this text follows them.
        "body_de": (
            "Die Bilder der Partnerstädte nennen ihre Urheberinnen und Urheber jeweils beim Bild."
        ),
        "body_en": "The pictures of the partner cities name their authors beside each picture.",
        "title_he": "פרטי המפרסם",
        "meta_description_he": "מי מפרסם את האתר, מי אחראי לתוכנו ואיך יוצרים קשר.",
        "body_he": "ליד כל אחת מתמונות הערים השותפות מצוין מי יצר אותה.",
    },
    {
        "key": "privacy",
        "title_de": "Datenschutzerklärung",
        "title_en": "Privacy statement",
        "meta_description_de": "Welche Daten diese Website verarbeitet, wozu und wie lange.",
        "meta_description_en": "Which data this website processes, for what and for how long.",
        "body_de": PRIVACY_DE,
        "body_en": PRIVACY_EN,
        "title_he": "הצהרת פרטיות",
        "meta_description_he": "אילו נתונים האתר הזה מעבד, לאיזו מטרה ולכמה זמן.",
        "body_he": PRIVACY_HE,
    },
    {
        "key": "easy-language",
        "title_de": "Leichte Sprache",
        "title_en": "Easy Language",
        "meta_description_de": "Diese Internet-Seite in Leichter Sprache erklärt.",
        "meta_description_en": "This website explained in simple words.",
        "body_de": EASY_LANGUAGE_DE,
        "body_en": EASY_LANGUAGE_EN,
        "title_he": "שפה קלה",
        "meta_description_he": "האתר הזה מוסבר במילים פשוטות.",
        "body_he": EASY_LANGUAGE_HE,
    },
    {
        "key": "sign-language",
        "title_de": "Deutsche Gebärdensprache",
        "title_en": "German Sign Language",
        "meta_description_de": "Diese Website in Deutscher Gebärdensprache (DGS) erklärt.",
        "meta_description_en": "This website explained in German Sign Language (DGS).",
        "introduction_de": (
            "In diesem Video erklären wir in Deutscher Gebärdensprache (DGS), was diese Website "
            "bietet, wie Sie sie benutzen und was in der Erklärung zur Barrierefreiheit steht."
        ),
        "introduction_en": (
            "In this video we explain in German Sign Language (DGS) what this website offers, "
            "how to use it and what the accessibility statement says."
        ),
        "title_he": "שפת הסימנים הגרמנית",
        "meta_description_he": "האתר הזה מוסבר בשפת הסימנים הגרמנית (DGS).",
        "introduction_he": (
            "בסרטון הזה אנחנו מסבירים בשפת הסימנים הגרמנית (DGS) מה האתר מציע, איך משתמשים בו "
            "ומה כתוב בהצהרת הנגישות."
        ),
        # No text besides the introduction and the video, as in German and English (`--reset`
        # clears the imprint's address that stood here before).
        "body_he": "",
    },
]

# The office's own pages (OfficePage): one in the navigation, one linked from the overview.
# The Hebrew title without a Hebrew text shows the fallback note on /he/.
OFFICE_PAGES = [
    {
        "slug": "exchange-funding",
        "title_de": "Förderung von Austauschen",
        "title_en": "Funding for exchanges",
        "title_he": "מימון חילופי משלחות",
        "meta_description_de": (
            "Wie Vereine, Schulen und Gruppen Zuschüsse für Begegnungen mit Düsseldorfs "
            "Partnerstädten beantragen."
        ),
        "meta_description_en": (
            "How associations, schools and groups apply for grants for meetings with "
            "Düsseldorf's partner cities."
        ),
        "body_de": (
            "<p>Die Landeshauptstadt Düsseldorf fördert Begegnungen von Bürgerinnen und Bürgern "
            "mit den Partnerstädten: Jugend- und Schulaustausche, Sport- und Kulturbegegnungen "
            "und Fachbesuche.</p>\n<h2>Wer kann einen Antrag stellen?</h2>\n"
            "<ul><li>Vereine und Initiativen mit Sitz in Düsseldorf</li>"
            "<li>Schulen und Jugendeinrichtungen</li></ul>\n"
            "<p>Anträge bitte spätestens acht Wochen vor der Begegnung an das Amt für "
            "Wirtschaftsförderung, Telefon +49 211 89-23155.</p>"
        ),
        "body_en": (
            "<p>The City of Düsseldorf supports meetings of its citizens with the partner "
            "cities: youth and school exchanges, sports and cultural meetings and professional "
            "visits.</p>\n<h2>Who can apply?</h2>\n"
            "<ul><li>Associations and initiatives based in Düsseldorf</li>"
            "<li>Schools and youth centres</li></ul>\n"
            "<p>Please apply at least eight weeks before the meeting to the Office of Economic "
            "Development, phone +49 211 89-23155.</p>"
        ),
        "placement": "overview",
        "is_published": True,
        "order": 10,
    },
    {
        "slug": "school-exchange",
        "title_de": "Schüleraustausch",
        "title_en": "School exchange",
        "meta_description_de": "Schulpartnerschaften mit Düsseldorfs Partnerstädten.",
        "meta_description_en": "School partnerships with Düsseldorf's partner cities.",
        "body_de": (
            "Viele Düsseldorfer Schulen pflegen Partnerschaften mit Schulen in Reading, Haifa, "
            "Warschau und Toulouse.\n\nDas Amt vermittelt Kontakte zu Partnerschulen."
        ),
        "body_en": (
            "Many Düsseldorf schools have partner schools in Reading, Haifa, Warsaw and "
            "Toulouse.\n\nThe office helps schools find a partner school."
        ),
        "placement": "navigation",
        "is_published": True,
        "order": 20,
    },
]

# The accessibility statement's facts (the EU model statement), and what is not accessible yet.
ACCESSIBILITY_STATEMENT = {
    "status": "partial",
    "prepared_on": "2026-11-30",
    "reviewed_on": "2026-11-30",
    "method": "self",
    "method_details_de": (
        "Selbstbewertung: automatische Prüfungen jeder Seite nach WCAG 2.1 (Stufen A und AA) "
        "mit axe und dem Nu HTML Checker in Deutsch, Englisch und Hebräisch, dazu eine Prüfung "
        "mit der Tastatur."
    ),
    "method_details_en": (
        "Self-assessment: every page is tested automatically against WCAG 2.1 (levels A and AA) "
        "with axe and the Nu HTML Checker in German, English and Hebrew, and checked with the "
        "keyboard."
    ),
    "method_details_he": (
        "הערכה עצמית: כל דף נבדק באופן אוטומטי מול WCAG 2.1 (רמות A ו-AA) באמצעות axe "
        "ו-Nu HTML Checker בגרמנית, באנגלית ובעברית, ונבדק גם באמצעות המקלדת."
    ),
    "feedback_email": "international@duesseldorf.de",
    "feedback_phone": "+49 (0) 211.89-23155",
    "arbitration_body_de": (
        "Ombudsstelle für barrierefreie Informationstechnik des Landes Nordrhein-Westfalen"
    ),
    "arbitration_body_en": (
        "Ombudsman's office for accessible information technology of North Rhine-Westphalia"
    ),
    "arbitration_body_he": (
        "נציבות תלונות הציבור לטכנולוגיית מידע נגישה של מדינת נורדריין-וסטפאליה"
    ),
    "arbitration_address_de": (
        "bei der Beauftragten der Landesregierung für Menschen mit Behinderung\n"
        "Fürstenwall 25\n40219 Düsseldorf"
    ),
    "arbitration_address_en": (
        "at the State Government Commissioner for People with Disabilities\n"
        "Fürstenwall 25\n40219 Düsseldorf, Germany"
    ),
    "arbitration_address_he": (
        "אצל נציבת ממשלת המדינה לאנשים עם מוגבלות\nFürstenwall 25\n40219 Düsseldorf, גרמניה"
    ),
    "arbitration_email": "ombudsstelle-barrierefreie-it@mags.nrw.de",
}
INACCESSIBLE_PARTS = [
    {
        "order": 10,
        "description_de": "Das Video in Deutscher Gebärdensprache ist noch nicht veröffentlicht.",
        "description_en": "The video in German Sign Language has not been published yet.",
        "description_he": "הסרטון בשפת הסימנים הגרמנית טרם פורסם.",
        "reason": "non_compliance",
        "explanation_de": "Das Video wird zurzeit gedreht.",
        "explanation_en": "The video is being filmed.",
        "explanation_he": "הסרטון מצולם בימים אלה.",
        "alternative_de": (
            "Die Seite in Leichter Sprache erklärt dasselbe. Fragen beantwortet das Amt auch "
            "per E-Mail."
        ),
        "alternative_en": (
            "The page in Easy Language explains the same. The office also answers questions "
            "by e-mail."
        ),
        "alternative_he": "הדף בשפה קלה מסביר את אותם הדברים. המשרד עונה על שאלות גם בדוא״ל.",
    },
]

# What § 5 DDG and § 18 MStV require of a public body.
IMPRINT = {
    "publisher_de": "Landeshauptstadt Düsseldorf",
    "publisher_en": "City of Düsseldorf (Landeshauptstadt Düsseldorf)",
    "publisher_he": "העיר דיסלדורף (Landeshauptstadt Düsseldorf)",
    "legal_form_de": "Körperschaft des öffentlichen Rechts",
    "legal_form_en": "Public-law corporation",
    "legal_form_he": "תאגיד לפי המשפט הציבורי",
    "representative_de": "Oberbürgermeister Dr. Stephan Keller",
    "representative_en": "Lord Mayor Dr. Stephan Keller",
    "representative_he": "ראש העיר ד״ר שטפן קלר",
    "department_de": "Amt für Wirtschaftsförderung – Internationale Beziehungen",
    "department_en": "Office of Economic Development – International relations",
    "department_he": "המשרד לפיתוח כלכלי – יחסים בינלאומיים",
    "street": "Burgplatz 1",
    "postal_code": "40213",
    "city": "Düsseldorf",
    "email": "international@duesseldorf.de",
    "phone": "+49 (0) 211.89-23155",
    "supervisory_authority_de": "Bezirksregierung Düsseldorf",
    "supervisory_authority_en": "Düsseldorf District Government (Bezirksregierung Düsseldorf)",
    "supervisory_authority_he": "הממשל המחוזי דיסלדורף (Bezirksregierung Düsseldorf)",
    "supervisory_address_de": "Cecilienallee 2\n40474 Düsseldorf",
    "supervisory_address_en": "Cecilienallee 2\n40474 Düsseldorf, Germany",
    "supervisory_address_he": "Cecilienallee 2\n40474 Düsseldorf, גרמניה",
    "responsible_for_content_de": (
        "Die Leitung des Amtes für Wirtschaftsförderung, Burgplatz 1, 40213 Düsseldorf"
    ),
    "responsible_for_content_en": (
        "The head of the Office of Economic Development, Burgplatz 1, 40213 Düsseldorf, Germany"
    ),
    "responsible_for_content_he": (
        "הנהלת המשרד לפיתוח כלכלי, Burgplatz 1, 40213 Düsseldorf, גרמניה"
    ),
}
