"""The word lists assistant/names.py reads: titles, offices, countries, head words of
organisations, places and events, reporting verbs, news agencies.

English news conventions, not anything learned from a data set; kept apart so names.py stays the
logic and a list can grow without touching it.
"""

from __future__ import annotations

CONNECTORS = frozenset({"of", "de", "del", "da", "der", "van", "von", "bin", "al", "al-", "la", "le", "du", "for"})
TITLES = frozenset(
    """President Secretary Minister Mr Mrs Ms Dr Gen Sen Senator Rep Representative Gov Governor Judge
    Justice King Queen Prince Princess Pope Chancellor Chairman Chairwoman Chair Ambassador Mayor Premier
    Sir Lord Lady Rev Lt Col Adm Sgt Capt Commissioner Director Spokesman Spokeswoman Leader Envoy
    Counsel Speaker Sheikh Emir Coach Professor Prof Officer Attorney Detective Sheriff Trooper Agent
    Inspector Colonel Sergeant Lieutenant Captain Commander Admiral Bishop Rabbi Dean Superintendent CEO
    Actor Actress Singer Rapper Author Dr Justice""".split()
)
# "Secretary of State Rex W. Tillerson", "Minister of Foreign Affairs Wang Yi": the office, not the name.
OFFICE_WORDS = frozenset(
    """State Defense Defence Foreign Affairs Finance Treasury Commerce Energy Health Education Justice Labor
    Labour Agriculture Transportation Interior Homeland Security Trade Economy Unification the""".split()
)
GENERAL_AFTER = frozenset({"Attorney", "Secretary", "Inspector", "Surgeon", "Solicitor", "Postmaster"})
# Countries (and a few regions) are places whatever verb follows them: "South Korea said ...".
COUNTRIES = frozenset(
    """afghanistan albania algeria angola argentina armenia australia austria azerbaijan bahrain bangladesh
    belarus belgium bolivia bosnia brazil bulgaria burma cambodia cameroon canada chad chile china colombia
    congo croatia cuba cyprus czechia denmark ecuador egypt england estonia ethiopia europe finland france
    georgia germany ghana greece guam guatemala haiti honduras hong kong hungary iceland india indonesia iran
    iraq ireland israel italy jamaica japan jordan kazakhstan kenya korea kosovo kuwait kyrgyzstan laos latvia
    lebanon libya lithuania luxembourg macedonia madagascar malaysia mali malta mexico moldova mongolia
    montenegro morocco mozambique myanmar namibia nepal netherlands nicaragua niger nigeria norway oman
    pakistan palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda
    scotland senegal serbia singapore slovakia slovenia somalia spain sudan sweden switzerland syria
    taiwan tajikistan tanzania thailand tibet tunisia turkey turkmenistan uganda ukraine uruguay
    uzbekistan venezuela vietnam wales yemen zambia zimbabwe africa asia america antarctica arctic
    crimea gaza kashmir""".split()
)
COUNTRY_PHRASES = frozenset(
    {"north korea", "south korea", "united states", "united kingdom", "saudi arabia", "new zealand", "south africa",
     "united arab emirates", "sri lanka", "north macedonia", "costa rica", "el salvador", "ivory coast",
     "hong kong", "west bank", "latin america", "south sudan", "czech republic", "dominican republic", "u.s", "u.k"}
)
CALENDAR = frozenset(
    """January February March April May June July August September October November December Jan Feb
    Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Monday Tuesday Wednesday Thursday Friday Saturday Sunday""".split()
)
ORGANISATION_HEADS = frozenset(
    """Council Ministry Department Agency Bank Party Committee Commission Court Congress Parliament
    University College School Company Corporation Corp Inc Ltd Association Union Nations Organization
    Organisation Forces Force Army Navy Senate Board Authority Fund Group Office Service Institute Center
    Centre Foundation Administration Assembly Police Airlines Bureau Cabinet Federation League Club Team
    Guard Command Reserve Exchange Church Hospital Museum Network Alliance Coalition Movement Front
    Regime Government Times Post News Journal Press""".split()
)
# Places by their last word ("Andersen Air Force Base", "Jagang Province"); before organisations.
PLACE_HEADS = frozenset(
    """Base Province County City Island Islands Peninsula Sea Ocean River Lake Mountains Mountain Valley Bay
    Strait Coast Street Square Airport Port Harbor Harbour Park Beach Region District Border Zone Village
    Town Canal Desert Gulf Station Stadium Plant""".split()
)
# Organisations people name with "the": "the Security Council", "the Treasury Department".
THE_HEADS = frozenset(
    """Council Ministry Department Agency Committee Commission Court Congress Parliament Senate Board
    Authority Fund Office Service Institute Administration Assembly Police Bureau Cabinet Federation League
    Alliance Coalition Movement Front Regime Government Army Navy Forces Force Guard Command Reserve
    Organization Organisation Nations Union""".split()
)
THE_PLACES = frozenset({"united states", "united kingdom", "netherlands", "philippines", "united arab emirates",
                         "czech republic", "dominican republic", "west bank", "gaza strip", "korean peninsula"})  # fmt: skip
EVENT_HEADS = frozenset(
    """Summit Games Olympics Election Elections War Festival Conference Crisis Cup Championship
    Championships Forum Talks Accord Agreement Treaty Act Protests Revolution Bowl Open Marathon Awards
    Oscars Expo Fair Parade Tour Series Trial Referendum""".split()
)
# Lower-case heads after a name that make an event of it: "the Helsinki summit", "the Brexit vote".
EVENT_NOUNS = (
    "summit|talks|election|elections|meeting|test|tests|attack|attacks|visit|deal|trial|vote|referendum|crisis|"
    "protests|protest|strike|strikes|sanctions|negotiations|conference|ceremony|parade|rally|festival|hearing|"
    "investigation|inquiry|scandal|war|shooting|bombing|earthquake|hurricane|storm|fire|floods|outbreak"
)
PLACE_BEFORE = frozenset({"in", "near", "across", "outside", "around", "visited"})
SPEECH = frozenset(
    """said says told added asked wrote warned urged argued noted insisted explained announced declared
    tweeted stated suggested replied acknowledged admitted claimed""".split()
)
# Who reports or photographs the news is not what the news is about.
AGENCIES = frozenset(
    {"associated press", "ap", "reuters", "afp", "agence france-presse", "getty images", "getty", "bloomberg",
     "ap photo", "upi", "efe", "dpa", "xinhua", "kyodo", "yonhap", "pa images", "shutterstock", "epa"}
)
