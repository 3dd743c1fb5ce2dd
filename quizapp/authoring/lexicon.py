"""Small word lists the drafter classifies answers with (no model, no download)."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    return text.split()


COUNTRIES = _words("""
Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan
Bahamas Bahrain Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia
Botswana Brazil Brunei Bulgaria Burkina Burundi Cambodia Cameroon Canada Chad Chile China
Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica Ecuador Egypt
Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana
Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran
Iraq Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Kenya Kiribati Korea Kosovo
Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein Lithuania
Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico
Micronesia Moldova Monaco Mongolia Montenegro Morocco Mozambique Myanmar Burma Namibia Nauru
Nepal Netherlands Holland Nicaragua Niger Nigeria Norway Oman Pakistan Palau Palestine Panama
Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa Senegal Serbia
Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria
Taiwan Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Turkmenistan Tuvalu Uganda
Ukraine Uruguay Uzbekistan Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe England Scotland
Wales Britain Prussia Persia Byzantium Rome Sparta Athens Carthage Babylon Egypt Tibet
Chechnya Dagestan Xinjiang Crimea Donbas Kurdistan Manchuria Siberia Bavaria Catalonia
Flanders Normandy Burgundy Lombardy Tuscany Saxony Bohemia Moravia Silesia Galicia Ulster
Newfoundland Quebec Ontario Alaska Texas California Florida Virginia Massachusetts Ohio
Kentucky Georgia Carolina Pennsylvania Louisiana Kansas Missouri Illinois Michigan Maine
Vermont Maryland Alabama Mississippi Tennessee Oregon Nevada Utah Arizona Hawaii Bengal
Punjab Kashmir Balochistan Kandahar Helmand Herat Kunduz
""")

CITIES = _words("""
Kabul Moscow Washington Beijing Peking London Paris Berlin Rome Madrid Lisbon Vienna Prague
Warsaw Budapest Bucharest Sofia Athens Istanbul Constantinople Ankara Tehran Baghdad
Damascus Beirut Jerusalem Cairo Riyadh Doha Dubai Islamabad Karachi Delhi Mumbai Bombay
Calcutta Kolkata Dhaka Tokyo Kyoto Osaka Seoul Pyongyang Shanghai Hong Kong Taipei Manila
Jakarta Hanoi Saigon Bangkok Singapore Sydney Melbourne Ottawa Toronto Montreal Boston
Chicago Philadelphia Baltimore Atlanta Houston Dallas Denver Seattle Detroit Liverpool
Manchester Birmingham Glasgow Edinburgh Dublin Belfast Cardiff Oxford Cambridge Brussels
Amsterdam Rotterdam Antwerp Geneva Zurich Munich Hamburg Frankfurt Cologne Milan Venice
Florence Naples Genoa Marseille Lyon Bordeaux Kyiv Kiev Minsk Vilnius Riga Tallinn
Helsinki Stockholm Oslo Copenhagen Petersburg Leningrad Stalingrad Volgograd Odessa Tbilisi
Yerevan Baku Tashkent Dushanbe Bishkek Astana Almaty Ashgabat Samarkand Bukhara Havana
Mexico Lima Santiago Bogota Caracas Quito Rio Janeiro Buenos Aires Nairobi Lagos Accra
Dakar Algiers Tunis Tripoli Khartoum Addis Ababa Johannesburg Pretoria Kinshasa Mainz
Strasbourg Versailles Vichy Verdun Waterloo Gettysburg Yalta Potsdam Munich Sarajevo
Beslan Dubrovka Grozny Aleppo Mosul Kandahar Valentia
""")

REGIONS = _words("""
Europe Asia Africa America Americas Oceania Antarctica Arctic Atlantic Pacific Mediterranean
Caucasus Balkans Baltic Baltics Scandinavia Sahara Sahel Levant Maghreb Anatolia Siberia
Caribbean Himalaya Himalayas Alps Andes Urals Eurasia Indochina Patagonia Amazon Nile Rhine
Danube Thames Seine Volga Mississippi Ganges Yangtze Euphrates Tigris Oxus West East
North South Midwest Orient Occident Scandinavia Iberia Gaul Britannia Mesopotamia
""")

PLACES = frozenset(COUNTRIES + CITIES + REGIONS)

# Words that make a multi-word name a place or an organization.
PLACE_WORDS = frozenset(
    _words("""Island Islands Isle River Sea Ocean Mountain Mountains Mount Valley City Town Street
    Square Bay Lake Strait Straits Gulf Peninsula Kingdom Republic States Province County
    Canal Harbour Harbor Cape Coast Desert Forest Hall Palace Castle Bridge Port Fort Plains
    Asia America Europe Africa East West""")
)
ORG_WORDS = frozenset(
    _words("""Company Party Organization Organisation Union Council Ministry Navy Army Agency
    Committee Bank University College Institute Society Association Church Corporation Group
    Alliance Front League Parliament Congress Senate Court Office Department Commission
    Service Services Forces Force Treaty Pact Movement Times Post Journal Herald Monde
    Foundation Fund Club Academy School Board Assembly Federation Brigade Corps Police
    Cabinet Government Inc Ltd Co""")
)
TITLES = frozenset(
    _words("""President Minister Prime Chancellor King Queen Pope Sir Mr Mrs Ms Dr Doctor General
    Senator Governor Secretary Prince Princess Emperor Empress Lord Lady Professor Saint St
    Admiral Captain Colonel Major Lieutenant Sergeant Bishop Cardinal Ambassador Judge
    Justice Tsar Czar Sultan Shah Kaiser Chairman Commander Marshal Mayor Director Chief
    Dame Rev Reverend Father Brother Sister""")
)
MONTH_WORDS = frozenset(
    _words("""January February March April May June July August September October November
    December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday""")
)

STOPWORDS = frozenset(
    _words("""a about above after again against all almost also although always am among an and
    another any anything are around as at be because been before being below between both
    but by can cannot could did do does doing done down during each either else enough even
    ever every few for from further had has have having he her here hers herself him himself
    his how however i if in into is it its itself just least less like likely made make many
    may me might more most much must my myself neither never nevertheless no nor not nothing
    now of off often on once one only or other others otherwise our ours ourselves out over
    own perhaps quite rather really same several shall she should since so some something
    still such than that the their theirs them themselves then there therefore these they
    this those though through thus to too toward towards under until up upon us very was we
    were what whatever when where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves already certainly clearly indeed
    merely simply whole part way ways sense form kind terms case cases order point fact
    moreover despite instead whereas beyond above across along""")
)

# Sentence openers that lean on the sentence before (a weaker, context-dependent fact).
DEPENDENT_OPENERS = frozenset(
    _words("""it its they their them this these those he she his her both such that there the former
    latter""")
)

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALE_WORDS = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 10**9}

_MULTIWORD_PLACES = """New York|New Jersey|New England|New Orleans|New Zealand|New Delhi|New Mexico|
    Hong Kong|
    Buenos Aires|Addis Ababa|Rio de Janeiro|Sri Lanka|South Africa|North Korea|South Korea|
    Saudi Arabia|United States|United Kingdom|Soviet Union|Middle East|Far East|Near East|
    Central Asia|Southeast Asia|South Asia|East Asia|Latin America|North America|
    South America|Central America|Western Europe|Eastern Europe|Central Europe|Los Angeles|
    San Francisco|Costa Rica|Puerto Rico|El Salvador|Ivory Coast|Sierra Leone|Cape Town|
    Tel Aviv|Abu Dhabi|Kuala Lumpur|Ho Chi Minh City|St Petersburg|Saint Petersburg|
    Czech Republic|Dominican Republic|Nagorno-Karabakh|Persian Gulf|Red Sea|Black Sea|
    Baltic Sea|North Sea|Indian Ocean|Atlantic Ocean|Pacific Ocean|Rocky Mountains|
    Great Britain|Northern Ireland|West Bank|Gaza Strip"""
MULTIWORD_PLACES = frozenset(" ".join(_words(p)) for p in _MULTIWORD_PLACES.split("|"))

# Words that open a multi-word name that is not a person's ("Great Eastern", "Civil War").
NOT_GIVEN_NAMES = frozenset(
    _words("""Great New Old Civil Holy Cold First Second Third Royal National United Central Eastern
    Western Northern Southern Grand Little High Upper Lower Middle Greater Lesser Imperial
    Federal Soviet American British French German Russian Chinese European Islamic Christian
    Catholic Protestant Democratic Republican Red White Black Green Golden Cold World
    International Global North South East West Nord""")
)

# Names that can stand for one another (a capital for its state): never each other's
# distractors.
METONYMS = (
    {"Moscow", "Kremlin", "Russia", "Russian Federation"},
    {"Washington", "White House", "America", "United States", "US", "USA"},
    {"Beijing", "China", "Peking"},
    {"London", "Britain", "Great Britain", "United Kingdom", "Westminster", "Downing Street"},
    {"Paris", "France", "Elysée", "Élysée"},
    {"Berlin", "Germany"},
    {"Kabul", "Afghanistan"},
    {"Tehran", "Iran"},
    {"Ankara", "Turkey"},
    {"Kyiv", "Kiev", "Ukraine"},
    {"Brussels", "European Union", "EU"},
    {"Tokyo", "Japan"},
    {"Rome", "Italy", "Vatican"},
)
