/*
 * demo_data.h - the word parts, places, sectors and names the demo programme
 * (demo_programme.c) composes its companies and graduates from. Included by
 * demo_programme.c only. Every code here (NACE Rev. 2, HS 2022, ISCED-F,
 * ISO 3166-1, ISO 639-1) is checked against the code lists by tests/unit/test_demo.c.
 */
#ifndef TB_DEMO_DATA_H
#define TB_DEMO_DATA_H

/* The three operators' countries, in the order of the operators. */
enum { HOME_SE, HOME_SI, HOME_EE, HOME__MAX };

struct demo_place {
    const char *region, *city;
    const char *local[3];   /* local names for company names, NULL-padded */
};

struct demo_home {
    const char *country, *currency, *suffix;
    const char *const *prefixes;         /* first word of company names */
    const struct demo_place *places;     /* NULL-terminated by region */
    const char *near_markets;            /* where its SMEs already sell */
    const char *far_markets;             /* where they want to go next */
    const char *reg_format;              /* registration number: # = digit */
    long rate_per_eur;                   /* currency units per EUR, x100 (SEK 11.43) */
    int pay_min, pay_max;                /* trainee pay per month, major units */
};

/* Company names start with a local name (of the region, a river, a landscape)
 * or, less often, a neutral one. */
static const char *const se_prefixes[] = {"Svea", "Nordic", "Norden", "Birka", "Polar", "Scandia", NULL};
static const char *const si_prefixes[] = {"Javor", "Lipa", "Breza", "Macesen", "Krpan", NULL};
static const char *const ee_prefixes[] = {"Balti", "Läänemere", "Nord", "Metsa", "Põhjala", NULL};

static const struct demo_place se_places[] = {
    {"Stockholms län", "Stockholm", {"Mälardalens", "Stockholms", NULL}},
    {"Stockholms län", "Södertälje", {"Mälardalens", "Södertälje", NULL}},
    {"Stockholms län", "Norrtälje", {"Roslagens", NULL, NULL}},
    {"Västra Götalands län", "Göteborg", {"Göta", "Västkust", "Hisingens"}},
    {"Västra Götalands län", "Borås", {"Sjuhärads", "Borås", NULL}},
    {"Västra Götalands län", "Trollhättan", {"Göta Älv", "Trollhätte", NULL}},
    {"Västra Götalands län", "Skövde", {"Skaraborgs", "Billingens", NULL}},
    {"Skåne län", "Malmö", {"Öresunds", "Skåne", NULL}},
    {"Skåne län", "Helsingborg", {"Öresunds", "Kullabygdens", NULL}},
    {"Skåne län", "Lund", {"Skåne", NULL, NULL}},
    {"Östergötlands län", "Linköping", {"Östgöta", "Linköpings", NULL}},
    {"Östergötlands län", "Norrköping", {"Östgöta", "Bråvikens", NULL}},
    {"Jönköpings län", "Jönköping", {"Vättern", "Småland", NULL}},
    {"Jönköpings län", "Värnamo", {"Småland", "Värnamo", NULL}},
    {"Jönköpings län", "Gislaved", {"Småland", "Nissadalens", NULL}},
    {"Västernorrlands län", "Sundsvall", {"Norrland", "Medelpads", NULL}},
    {"Västernorrlands län", "Örnsköldsvik", {"Höga Kusten", "Ådalens", NULL}},
    {"Norrbottens län", "Luleå", {"Norrbottens", "Luleå", NULL}},
    {"Västerbottens län", "Umeå", {"Västerbottens", "Umeälvens", NULL}},
    {"Västerbottens län", "Skellefteå", {"Västerbottens", "Skellefte", NULL}},
    {"Dalarnas län", "Falun", {"Dala", "Kopparbergs", NULL}},
    {"Dalarnas län", "Borlänge", {"Dala", "Dalälvens", NULL}},
    {"Uppsala län", "Uppsala", {"Upplands", "Fyrisåns", NULL}},
    {"Värmlands län", "Karlstad", {"Klarälv", "Vänern", "Värmlands"}},
    {"Örebro län", "Örebro", {"Bergslagens", "Närkes", NULL}},
    {"Kronobergs län", "Växjö", {"Småland", "Kronobergs", NULL}},
    {"Kronobergs län", "Älmhult", {"Småland", "Älmhults", NULL}},
    {"Hallands län", "Halmstad", {"Hallands", "Nissans", NULL}},
    {"Hallands län", "Varberg", {"Hallands", "Västkust", NULL}},
    {"Västmanlands län", "Västerås", {"Mälardalens", "Västmanlands", NULL}},
    {"Gävleborgs län", "Gävle", {"Gästrike", "Gävle", NULL}},
    {"Gävleborgs län", "Sandviken", {"Gästrike", "Storsjö", NULL}},
    {"Kalmar län", "Kalmar", {"Kalmarsunds", NULL, NULL}},
    {"Blekinge län", "Karlskrona", {"Blekinge", NULL, NULL}},
    {NULL, NULL, {NULL, NULL, NULL}}};
static const struct demo_place si_places[] = {
    {"Osrednjeslovenska", "Ljubljana", {"Ljubljanica", "Emona", NULL}},
    {"Osrednjeslovenska", "Domžale", {"Bistrica", "Kamnik", NULL}},
    {"Osrednjeslovenska", "Vrhnika", {"Ljubljanica", "Barje", NULL}},
    {"Osrednjeslovenska", "Grosuplje", {"Krka", "Višnja", NULL}},
    {"Podravska", "Maribor", {"Pohorje", "Drava", NULL}},
    {"Podravska", "Ptuj", {"Drava", "Haloze", NULL}},
    {"Podravska", "Slovenska Bistrica", {"Pohorje", "Dravinja", NULL}},
    {"Savinjska", "Celje", {"Savinja", "Celeia", NULL}},
    {"Savinjska", "Velenje", {"Paka", "Šalek", NULL}},
    {"Savinjska", "Žalec", {"Savinja", "Polzela", NULL}},
    {"Gorenjska", "Kranj", {"Kokra", "Karavanke", NULL}},
    {"Gorenjska", "Škofja Loka", {"Sora", "Blegoš", NULL}},
    {"Gorenjska", "Jesenice", {"Karavanke", "Bohinj", NULL}},
    {"Goriška", "Nova Gorica", {"Soča", "Vipava", NULL}},
    {"Goriška", "Ajdovščina", {"Vipava", "Nanos", NULL}},
    {"Goriška", "Idrija", {"Idrijca", NULL, NULL}},
    {"Jugovzhodna Slovenija", "Novo mesto", {"Krka", "Gorjanci", NULL}},
    {"Jugovzhodna Slovenija", "Kočevje", {"Kolpa", "Rog", NULL}},
    {"Obalno-kraška", "Koper", {"Istra", "Rižana", NULL}},
    {"Obalno-kraška", "Sežana", {"Kras", NULL, NULL}},
    {"Pomurska", "Murska Sobota", {"Mura", "Goričko", NULL}},
    {"Koroška", "Slovenj Gradec", {"Mislinja", "Uršlja", NULL}},
    {"Koroška", "Ravne na Koroškem", {"Meža", "Peca", NULL}},
    {"Posavska", "Krško", {"Sava", "Gorjanci", NULL}},
    {"Posavska", "Brežice", {"Sotla", "Sava", NULL}},
    {"Primorsko-notranjska", "Postojna", {"Snežnik", "Nanos", NULL}},
    {NULL, NULL, {NULL, NULL, NULL}}};
static const struct demo_place ee_places[] = {
    {"Harju maakond", "Tallinn", {"Rävala", "Toompea", "Põhjaranna"}},
    {"Harju maakond", "Tallinn", {"Rävala", "Kadrioru", NULL}},
    {"Harju maakond", "Maardu", {"Rävala", "Põhjaranna", NULL}},
    {"Harju maakond", "Saue", {"Harju", "Rävala", NULL}},
    {"Harju maakond", "Keila", {"Harju", "Keila", NULL}},
    {"Tartu maakond", "Tartu", {"Emajõe", "Ugandi", NULL}},
    {"Tartu maakond", "Elva", {"Emajõe", "Elva", NULL}},
    {"Pärnu maakond", "Pärnu", {"Pärnu Lahe", "Soomaa", NULL}},
    {"Ida-Viru maakond", "Narva", {"Alutaguse", "Narva", NULL}},
    {"Ida-Viru maakond", "Jõhvi", {"Alutaguse", "Virumaa", NULL}},
    {"Lääne-Viru maakond", "Rakvere", {"Virumaa", NULL, NULL}},
    {"Viljandi maakond", "Viljandi", {"Sakala", NULL, NULL}},
    {"Järva maakond", "Paide", {"Järva", "Kõrvemaa", NULL}},
    {"Saare maakond", "Kuressaare", {"Saaremaa", "Muhu", NULL}},
    {"Hiiu maakond", "Kärdla", {"Hiiumaa", NULL, NULL}},
    {"Võru maakond", "Võru", {"Võrumaa", "Haanja", NULL}},
    {"Valga maakond", "Valga", {"Otepää", "Valga", NULL}},
    {"Jõgeva maakond", "Jõgeva", {"Vooremaa", "Peipsi", NULL}},
    {"Rapla maakond", "Rapla", {"Rapla", "Kõrvemaa", NULL}},
    {NULL, NULL, {NULL, NULL, NULL}}};

static const struct demo_home homes[HOME__MAX] = {
    [HOME_SE] = {"SE", "SEK", "AB", se_prefixes, se_places, "NO DK FI DE GB NL PL EE US",
                 "DE AT FR ES IT PL CZ NL JP KR CN US GB", "556###-####", 1143, 27000, 33000},
    [HOME_SI] = {"SI", "EUR", "d.o.o.", si_prefixes, si_places, "AT DE IT HR RS BA HU",
                 "FR ES PL CZ SE NL GB US CN DE AT IT", "6######000", 100, 1300, 1750},
    [HOME_EE] = {"EE", "EUR", "OÜ", ee_prefixes, ee_places, "FI LV LT SE NO DE",
                 "DE FR NL PL DK GB JP US NO ES IT UA", "1#######", 100, 1400, 1900},
};

/* Sectors. word[] is the business word of the name in each home country (NULL:
 * no such SMEs there); products are HS 2022 6-digit codes that sector makes;
 * markets are where such products sell (positions pick targets from them). */
struct demo_sector {
    const char *nace;
    const char *word[HOME__MAX];
    const char *products[4];
    const char *noun;              /* English, for titles and objectives */
    const char *markets;
    const char *fair;              /* a trade fair the trainee may work */
    int keur_per_employee;         /* turnover per employee, thousand EUR */
    int export_min, export_max;    /* export share of turnover, percent */
    int weight[HOME__MAX];
};

static const struct demo_sector sectors[] = {
    {"28.13", {"Pumpteknik", "Črpalke", "Pumbad"}, {"841370", "841381", "841391", NULL},
     "industrial pumps", "DE AT FR PL NL IT ES US CN", "IFAT Munich", 210, 40, 80, {4, 2, 1}},
    {"28.12", {"Hydraulik", "Hidravlika", "Hüdraulika"}, {"841221", "841229", "848120", NULL},
     "hydraulic cylinders and valves", "DE AT FR IT PL CZ US JP KR", "Hannover Messe", 190, 45, 85, {3, 3, 1}},
    {"25.73", {"Verktyg", "Orodjarna", "Tööriist"}, {"820760", "820770", "820790", NULL},
     "cutting tools", "DE AT IT CZ PL FR US CN", "EMO Hannover", 150, 40, 75, {2, 4, 1}},
    {"25.11", {"Stålbyggnad", "Jeklene konstrukcije", "Metallkonstruktsioonid"}, {"730890", "730820", NULL, NULL},
     "steel structures", "NO FI DE DK SE NL FR GB", "Nordbygg Stockholm", 160, 25, 60, {1, 2, 3}},
    {"25.62", {"Mekaniska", "Strojna obdelava", "Metallitöötlus"}, {"732690", "731815", "761699", NULL},
     "precision machined parts", "DE AT SE FI NO CZ IT FR", "Elmia Subcontractor Jönköping", 120, 30, 70, {2, 2, 2}},
    {"31.09", {"Möbler", "Pohištvo", "Mööbel"}, {"940360", "940161", "940330", NULL},
     "wooden furniture", "DE NO DK FR NL GB US JP", "imm cologne", 130, 35, 80, {2, 2, 3}},
    {"16.23", {"Trähus", "Lesna industrija", "Puitmajad"}, {"940610", "441819", "441899", NULL},
     "prefabricated wooden houses and joinery", "NO DE FR GB JP SE DK NL FI", "BAU Munich", 170, 50, 90, {2, 1, 4}},
    {"16.10", {"Såg", "Žaga", "Saeveski"}, {"440711", "440712", NULL, NULL},
     "sawn softwood", "GB DE NL DK FR JP", "Holz-Handelstage", 260, 50, 85, {1, 0, 2}},
    {"26.51", {"Sensorteknik", "Merilna tehnika", "Mõõtetehnika"}, {"902610", "902690", "903289", NULL},
     "flow and level sensors", "DE FR IT US JP KR CN GB NL", "SENSOR+TEST Nuremberg", 180, 50, 90, {3, 2, 2}},
    {"27.12", {"Elkraft", "Elektro", "Elektrisüsteemid"}, {"853710", "853690", "850440", NULL},
     "switchgear and power converters", "DE NO FI PL NL FR GB US", "Light + Building Frankfurt", 200, 35, 75, {2, 2, 2}},
    {"27.40", {"Belysning", "Svetila", "Valgustid"}, {"940542", "940511", NULL, NULL},
     "LED luminaires", "DE NL FR GB DK NO US", "Light + Building Frankfurt", 170, 40, 80, {2, 1, 1}},
    {"10.51", {"Mejeri", "Mlekarna", "Piimatööstus"}, {"040690", "040610", NULL, NULL},
     "cheese", "DE FI NL IT JP CN US", "Anuga Cologne", 420, 15, 45, {1, 2, 1}},
    {"10.20", {"Fisk", NULL, "Kalatööstus"}, {"160412", "160413", "030244", NULL},
     "preserved herring and sprats", "DE FI PL NL FR JP UA", "Seafood Expo Global Barcelona", 380, 40, 85, {1, 0, 3}},
    {"10.82", {"Choklad", "Slaščice", "Kommivabrik"}, {"180690", "170490", NULL, NULL},
     "chocolate and confectionery", "DE FI NL GB US CN JP FR", "ISM Cologne", 240, 25, 60, {1, 2, 1}},
    {"11.02", {NULL, "Vinska klet", NULL}, {"220421", NULL, NULL, NULL},
     "bottled wine", "AT DE IT HR GB US CN JP NL", "ProWein Düsseldorf", 230, 20, 55, {0, 3, 0}},
    {"11.01", {"Destilleri", "Žganjarna", "Piiritusetehas"}, {"220860", "220870", NULL, NULL},
     "vodka and liqueurs", "DE FI GB US CN JP NO", "ProWein Düsseldorf", 300, 30, 70, {1, 1, 2}},
    {"22.29", {"Plast", "Plastika", "Plast"}, {"392690", "392390", "392321", NULL},
     "technical plastic components and packaging", "DE FI NO PL CZ AT FR NL", "K Düsseldorf", 190, 30, 70, {2, 3, 2}},
    {"32.50", {"Medicinteknik", "Medicinska tehnika", "Meditsiinitehnika"}, {"901890", "902110", "901831", NULL},
     "medical devices", "DE FR IT ES NL US JP KR GB", "MEDICA Düsseldorf", 200, 55, 90, {3, 2, 1}},
    {"32.30", {"Sportutrustning", "Športna oprema", "Spordivarustus"}, {"950611", "950699", "950691", NULL},
     "sports equipment", "DE AT CH FR IT US JP NO", "ISPO Munich", 180, 45, 85, {1, 2, 1}},
    {"30.12", {"Båtvarv", "Ladjedelnica", "Paadiehitus"}, {"890331", "890321", "890399", NULL},
     "leisure boats", "NO FI DE FR NL GB US HR", "boot Düsseldorf", 160, 60, 90, {1, 1, 2}},
    {"20.42", {"Hudvård", "Kozmetika", "Kosmeetika"}, {"330499", "340130", "330510", NULL},
     "natural skincare", "DE FR FI NL GB CN JP KR US", "Cosmoprof Bologna", 210, 30, 70, {1, 1, 2}},
    {"23.13", {"Glasbruk", "Steklarna", NULL}, {"701349", "701391", NULL, NULL},
     "hand-blown glassware", "DE US JP GB NO DK NL", "Ambiente Frankfurt", 110, 40, 75, {1, 1, 0}},
    {"46.69", {"Industrihandel", "Trgovina s stroji", "Tehnikakaubandus"}, {"848180", "847989", "842890", NULL},
     "industrial equipment (distribution)", "NO FI DK DE PL LV LT HR RS", "Hannover Messe", 550, 20, 55, {2, 2, 2}},
    {"46.38", {"Livsmedelshandel", "Trgovina z živili", "Toidukaubandus"}, {"210690", "190590", "190531", NULL},
     "specialty foods (distribution)", "FI NO DK DE LV LT PL HR AT", "SIAL Paris", 600, 15, 45, {1, 1, 2}},
};
#define N_SECTORS (sizeof sectors / sizeof sectors[0])

/* Nationalities of graduates. Surnames "m:f" differ by gender. */
struct demo_nat {
    const char *country, *lang;
    const char *const *male, *const *female, *const *surnames;
    const char *const *universities;
    int family_first;      /* Vietnamese order: family name first */
    int two_surnames;      /* Spanish: two surnames */
    const char *phone;     /* pattern, # = digit */
    const char *school;    /* languages learnt at school (A2..B1 without a stay) */
};

#define L(...) ((const char *const[]){__VA_ARGS__, NULL})

static const struct demo_nat nats[] = {
    {"SE", "sv", L("Erik", "Oskar", "Viktor", "Johan", "Axel", "Filip", "Gustav", "Emil", "Anton", "Albin", "Hugo", "Isak"),
     L("Elin", "Emma", "Sara", "Ida", "Linnea", "Maja", "Klara", "Frida", "Hanna", "Wilma", "Ebba", "Tove"),
     L("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
       "Gustafsson", "Lindberg", "Lindström", "Bergström", "Sandberg", "Forsberg", "Holmgren", "Sjöberg",
       "Engström", "Lundqvist", "Nyström", "Hedlund", "Åberg"),
     L("Uppsala University", "Lund University", "Stockholm School of Economics", "University of Gothenburg",
       "Linköping University", "Umeå University", "Jönköping University", "Luleå University of Technology",
       "Linnaeus University", "Örebro University", "Stockholm University", "Karlstad University",
       "Mid Sweden University"),
     0, 0, "+46 7# ### ## ##", "de fr es"},
    {"SI", "sl", L("Luka", "Žiga", "Jan", "Nejc", "Matic", "Rok", "Tilen", "Anže", "Miha", "Gašper", "Jaka", "Blaž"),
     L("Nina", "Maša", "Eva", "Tjaša", "Špela", "Urška", "Nika", "Lara", "Ana", "Katja", "Petra", "Manca"),
     L("Novak", "Horvat", "Kovačič", "Krajnc", "Zupančič", "Potočnik", "Kovač", "Mlakar", "Kos", "Vidmar",
       "Golob", "Turk", "Božič", "Kralj", "Zupan", "Bizjak", "Hribar", "Kastelic", "Oblak", "Rozman"),
     L("University of Ljubljana", "University of Ljubljana, School of Economics and Business", "University of Maribor",
       "University of Primorska", "University of Nova Gorica"),
     0, 0, "+386 4# ### ###", "de it hr"},
    {"EE", "et", L("Markus", "Rasmus", "Kristjan", "Martin", "Karl", "Sander", "Oliver", "Robin", "Mihkel", "Siim", "Joonas", "Henri"),
     L("Liis", "Kadri", "Mari", "Kertu", "Triin", "Laura", "Helen", "Anu", "Grete", "Kätlin", "Merilin", "Getter"),
     L("Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Kuusk",
       "Väli", "Karu", "Ots", "Raudsepp", "Luik", "Kivi", "Lõhmus", "Jõgi"),
     L("University of Tartu", "Tallinn University of Technology", "Tallinn University", "Estonian Business School",
       "Estonian University of Life Sciences"),
     0, 0, "+372 5### ####", "ru de fi"},
    {"PL", "pl", L("Jakub", "Mateusz", "Piotr", "Kacper", "Michał", "Bartosz", "Tomasz", "Paweł"),
     L("Zuzanna", "Aleksandra", "Natalia", "Katarzyna", "Agnieszka", "Julia", "Magdalena", "Weronika"),
     L("Nowak", "Kowalski:Kowalska", "Wiśniewski:Wiśniewska", "Wójcik", "Kamiński:Kamińska",
       "Lewandowski:Lewandowska", "Zieliński:Zielińska", "Szymański:Szymańska", "Dąbrowski:Dąbrowska",
       "Kozłowski:Kozłowska", "Mazur", "Krawczyk"),
     L("University of Warsaw", "Jagiellonian University", "SGH Warsaw School of Economics",
       "Poznań University of Economics and Business", "University of Gdańsk",
       "Wrocław University of Economics and Business"),
     0, 0, "+48 ### ### ###", "de fr es"},
    {"DE", "de", L("Lukas", "Felix", "Jonas", "Maximilian", "Leon", "Paul", "Niklas", "Tobias"),
     L("Anna", "Lena", "Laura", "Sophie", "Lea", "Hannah", "Johanna", "Katharina"),
     L("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schulz",
       "Koch", "Richter", "Wolf", "Neumann"),
     L("University of Mannheim", "LMU Munich", "University of Cologne", "Humboldt University of Berlin",
       "University of Hamburg", "Goethe University Frankfurt", "Leipzig University", "Kiel University"),
     0, 0, "+49 15# ########", "fr es"},
    {"AT", "de", L("Florian", "David", "Simon", "Fabian"), L("Theresa", "Magdalena", "Julia", "Valentina"),
     L("Gruber", "Huber", "Bauer", "Wagner", "Pichler", "Steiner", "Moser", "Mayer"),
     L("University of Vienna", "WU Vienna University of Economics and Business", "University of Graz",
       "University of Innsbruck"),
     0, 0, "+43 664 ### ####", "fr it"},
    {"ES", "es", L("Alejandro", "Pablo", "Javier", "Daniel", "Diego", "Sergio", "Carlos", "Álvaro"),
     L("Lucía", "María", "Paula", "Laura", "Marta", "Carmen", "Elena", "Irene"),
     L("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz",
       "Díaz", "Moreno", "Navarro", "Romero"),
     L("University of Barcelona", "Complutense University of Madrid", "University of Valencia",
       "University of Granada", "University of Salamanca", "Pompeu Fabra University"),
     0, 1, "+34 6## ### ###", "fr de"},
    {"IT", "it", L("Marco", "Luca", "Alessandro", "Matteo", "Giovanni", "Francesco", "Andrea", "Davide"),
     L("Giulia", "Chiara", "Francesca", "Sara", "Martina", "Elena", "Alessia", "Federica"),
     L("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco",
       "Bruno", "Gallo", "Conti", "De Luca"),
     L("University of Bologna", "Bocconi University", "University of Padua", "Sapienza University of Rome",
       "University of Trieste", "Ca' Foscari University of Venice", "University of Milan"),
     0, 0, "+39 3## ### ####", "fr de es"},
    {"FR", "fr", L("Lucas", "Hugo", "Thomas", "Nicolas", "Antoine", "Julien", "Maxime", "Mathieu"),
     L("Camille", "Léa", "Manon", "Chloé", "Inès", "Pauline", "Claire", "Juliette"),
     L("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
       "Lefebvre", "Girard", "Fournier", "Mercier"),
     L("Sorbonne University", "Université Lumière Lyon 2", "Sciences Po", "Université Grenoble Alpes",
       "University of Strasbourg", "Université Toulouse Capitole"),
     0, 0, "+33 6 ## ## ## ##", "es de it"},
    {"CN", "zh", L("Haoran", "Yuxuan", "Zihao", "Junjie", "Tianyu", "Wei", "Bowen", "Jiahao"),
     L("Xinyi", "Yutong", "Jiayi", "Mengqi", "Shuang", "Yuqing", "Siyu", "Xiaoxue"),
     L("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu", "Sun"),
     L("Peking University", "Fudan University", "Shanghai International Studies University",
       "Beijing Foreign Studies University", "Zhejiang University", "Sun Yat-sen University"),
     0, 0, "+86 13# #### ####", "ja"},
    {"VN", "vi", L("Đức Minh", "Quang Huy", "Văn Nam", "Hoàng Long", "Tuấn Anh", "Minh Khôi"),
     L("Thị Lan", "Thu Trang", "Ngọc Anh", "Phương Linh", "Thanh Hương", "Bảo Ngọc"),
     L("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"),
     L("Vietnam National University, Hanoi", "Foreign Trade University", "University of Economics Ho Chi Minh City",
       "Hanoi University"),
     1, 0, "+84 9# ### ####", "fr"},
    {"HR", "hr", L("Ivan", "Marko", "Luka", "Josip", "Ante", "Filip"), L("Ana", "Ivana", "Petra", "Marija", "Lucija", "Mia"),
     L("Horvat", "Kovačević", "Babić", "Marić", "Jurić", "Novak", "Knežević", "Vuković", "Pavlović"),
     L("University of Zagreb", "University of Rijeka", "University of Split"),
     0, 0, "+385 9# ### ####", "de it"},
    {"RS", "sr", L("Nikola", "Stefan", "Marko", "Aleksandar"), L("Jelena", "Milica", "Ana", "Teodora"),
     L("Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović"),
     L("University of Belgrade", "University of Novi Sad"),
     0, 0, "+381 6# ### ####", "de"},
    {"FI", "fi", L("Mikko", "Juho", "Eetu", "Aleksi", "Ville", "Onni"), L("Aino", "Emilia", "Sanna", "Veera", "Iida", "Noora"),
     L("Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen"),
     L("University of Helsinki", "Aalto University", "University of Turku", "Tampere University"),
     0, 0, "+358 40 ### ####", "sv de"},
    {"LV", "lv", L("Jānis", "Mārtiņš", "Kristaps", "Artūrs", "Roberts"), L("Anna", "Laura", "Elīza", "Katrīna", "Marta"),
     L("Bērziņš:Bērziņa", "Kalniņš:Kalniņa", "Ozols:Ozola", "Jansons:Jansone", "Liepiņš:Liepiņa", "Krūmiņš:Krūmiņa"),
     L("University of Latvia", "Riga Technical University", "Stockholm School of Economics in Riga"),
     0, 0, "+371 2### ####", "ru de"},
    {"UA", "uk", L("Oleksandr", "Andrii", "Dmytro", "Maksym", "Serhii", "Bohdan"),
     L("Olena", "Anastasiia", "Iryna", "Kateryna", "Yuliia", "Sofiia"),
     L("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko", "Kravchenko", "Melnyk", "Boiko", "Oliinyk"),
     L("Taras Shevchenko National University of Kyiv", "Kyiv National Economic University",
       "Lviv Polytechnic National University", "Ivan Franko National University of Lviv"),
     0, 0, "+380 67 ### ####", "de pl"},
    {"CZ", "cs", L("Jakub", "Tomáš", "Petr", "Jan", "Ondřej"), L("Tereza", "Kateřina", "Lucie", "Veronika", "Barbora"),
     L("Novák:Nováková", "Svoboda:Svobodová", "Dvořák:Dvořáková", "Černý:Černá", "Procházka:Procházková"),
     L("Charles University", "Prague University of Economics and Business", "Masaryk University"),
     0, 0, "+420 7## ### ###", "de"},
    {"NL", "nl", L("Daan", "Sem", "Bram", "Thijs", "Jesse"), L("Sanne", "Lotte", "Fleur", "Anouk", "Eva"),
     L("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit"),
     L("Erasmus University Rotterdam", "University of Groningen", "Maastricht University", "Utrecht University"),
     0, 0, "+31 6 ########", "de fr"},
    {"JP", "ja", L("Haruto", "Yuto", "Sota", "Ren"), L("Yui", "Hina", "Aoi", "Sakura"),
     L("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito"),
     L("Waseda University", "Keio University", "Osaka University"),
     0, 0, "+81 90 #### ####", "de fr"},
    {"KR", "ko", L("Minjun", "Seojun", "Jiho", "Dohyun"), L("Seoyeon", "Jiwoo", "Minji", "Yuna"),
     L("Kim", "Lee", "Park", "Choi", "Jung", "Kang"),
     L("Seoul National University", "Yonsei University", "Korea University"),
     0, 0, "+82 10 #### ####", "ja de"},
};
#define N_NATS (sizeof nats / sizeof nats[0])

/* Who applies to each operator ("country:weight"). */
static const char *const nat_mix[HOME__MAX] = {
    [HOME_SE] = "SE:34 DE:6 PL:5 ES:5 IT:4 FR:4 CN:5 VN:3 FI:3 NL:2 UA:3 JP:1 KR:2 AT:1 CZ:1",
    [HOME_SI] = "SI:30 HR:5 IT:5 DE:4 AT:3 RS:3 CZ:2 PL:2 ES:2 FR:2 CN:2 UA:2",
    [HOME_EE] = "EE:28 LV:5 FI:5 UA:6 DE:3 PL:3 CN:3 VN:2 ES:2 IT:2 FR:2 JP:1 KR:1 NL:1",
};

/* Where students go on exchange or to work, for each home country of theirs. */
static const char *const exchange_to = "DE DE DE FR FR ES ES IT NL AT PL CZ GB US CN JP KR FI DK NO";
static const char *const work_in = "DE GB NO NL FR ES DK FI IE US AT CH";
static const char *const lived_in = "ES FR DE US GB CN NO IT CH NL";

struct demo_field {
    const char *code;
    int weight;
    const char *const *skills;
};

static const struct demo_field fields_[] = {
    {"0413", 24, L("export market research", "B2B sales", "CRM (HubSpot)", "project management", "Excel financial modelling",
                   "supply chain management", "price calculation")},
    {"0311", 14, L("market analysis", "Excel financial modelling", "Power BI", "trade statistics (Eurostat, UN Comtrade)",
                   "price calculation", "econometrics (Stata)")},
    {"0414", 16, L("digital marketing", "SEO and Google Ads", "LinkedIn prospecting", "content marketing",
                   "trade fair preparation", "CRM (HubSpot)", "Adobe InDesign")},
    {"0412", 7, L("letters of credit", "export credit insurance", "Excel financial modelling", "SAP FI",
                  "currency risk management")},
    {"0231", 12, L("technical translation", "interpreting", "localisation of websites", "intercultural communication",
                   "copywriting")},
    {"0232", 4, L("technical translation", "copywriting", "intercultural communication", "localisation of websites")},
    {"0421", 4, L("international contract law", "Incoterms 2020", "customs documentation", "EU product compliance (CE)")},
    {"0312", 3, L("EU trade policy", "market research", "public procurement (TED tenders)", "report writing")},
    {"0715", 6, L("technical sales", "CAD (SolidWorks)", "product specifications", "quality management (ISO 9001)")},
    {"0714", 5, L("technical sales", "PLC basics", "product specifications", "technical documentation")},
    {"0721", 5, L("food safety (HACCP)", "retail listings", "product specifications", "food labelling rules")},
};
#define N_FIELDS (sizeof fields_ / sizeof fields_[0])

static const char *const common_skills[] = {
    "Incoterms 2020", "customs documentation", "negotiation", "trade fair preparation", "Salesforce",
    "distributor management", "presentation skills", "Microsoft Excel", "tender writing", "SAP SD", NULL};

/* People in companies (contacts, mentors, logins): managers are a generation
 * older than the graduates, so their first names differ. */
struct demo_elders {
    const char *const *male, *const *female;
};
static const struct demo_elders elders[HOME__MAX] = {
    [HOME_SE] = {L("Anders", "Mats", "Peter", "Magnus", "Per", "Johan", "Stefan", "Fredrik", "Henrik", "Mikael",
                   "Tomas", "Ulf", "Jonas", "Patrik"),
                 L("Anna", "Eva", "Maria", "Lena", "Helena", "Camilla", "Annika", "Susanne", "Malin", "Ulrika",
                   "Cecilia", "Jenny", "Åsa", "Johanna")},
    [HOME_SI] = {L("Marko", "Boštjan", "Andrej", "Aleš", "Gregor", "Janez", "Tomaž", "Matjaž", "Primož", "Uroš",
                   "Robert", "Damjan"),
                 L("Mojca", "Barbara", "Nataša", "Alenka", "Irena", "Tanja", "Darja", "Mateja", "Polona", "Simona",
                   "Vesna", "Andreja")},
    [HOME_EE] = {L("Andres", "Toomas", "Jaan", "Rein", "Margus", "Priit", "Urmas", "Tarmo", "Indrek", "Raivo",
                   "Meelis", "Aivar"),
                 L("Tiina", "Kristiina", "Katrin", "Piret", "Marika", "Ene", "Reet", "Külli", "Eve", "Merike",
                   "Signe", "Anneli")},
};

/* People in companies (contacts, mentors, logins). */
static const char *const contact_roles[] = {"Managing Director", "Export Manager", "Head of Sales",
                                            "Sales Director", "CFO", "Marketing Manager", NULL};

/* The showcase company of the company@ login, fixed so the demo story is stable. */
#define SHOWCASE_COMPANY "Norrland Pumpteknik AB"

#undef L

#endif
