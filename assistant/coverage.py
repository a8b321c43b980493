"""Key-term coverage: does the evidence name what the question names?

A question about "ferry workers in Skarvik", "Port Halvard's mayor, Henrik Alster" or "the 2031
Eurovision Song Contest" must not be answered from evidence that never mentions Skarvik, Alster
or 2031: the archive has nothing on it, however close the topic.  The key terms are the
question's own (a follow-up's borrowed topic in parentheses is left out: it steered retrieval,
the user did not ask about it again):

- **names** (runs of capitalised words): covered when the evidence names them *as names*
  (capitalised), allowing the forms news writes for one name: "Biden" for "Joe Biden", "Chiefs"
  for "Kansas City Chiefs", "Ukrainian" for "Ukraine", "FDA" for "Food and Drug Administration".
  A name is judged by its last distinctive word (a surname, "Falls" of "Cedar Falls"); titles
  ("President", "Sen.") are not distinctive, and a different distinctive word before it names
  someone else ("Hunter Biden" is not "Joe Biden", "Meridale Biologics" not "Corvalex Biologics");
- **years** (1900-2099): covered when the evidence's text says the year or an evidence article
  was published in it;
- **other content words**: a paraphrase ("crews" for "ferry workers") must not cost an answer, so
  a word counts against the evidence only when the whole archive never uses it ("rugby" in an
  archive without a rugby story), and only in an archive big enough that every ordinary word
  occurs in it (`ArchiveWords.min_passages`): in 50 passages "require" may never occur even
  though the answer says "prerequisite".

The evidence is the articles the answer would quote (their titles and whole texts).  The gate
is switched by GateConfig.coverage and measured in docs/benchmarks.md (issue 13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Protocol

from assistant.condense import _QUESTION_WORDS
from assistant.periods import MONTHS, WEEKDAYS
from assistant.text import STOPWORDS, content_words, stem


class WordCounts(Protocol):
    """The catalog's word counts (ingest/catalog.py)."""

    def passage_count(self) -> int: ...

    def passages_mentioning(self, term: str, cap: int = 20) -> int: ...


class ArchiveWords:
    """Whether the archive ever uses a word, asked only of an archive big enough to know."""

    def __init__(self, catalog: WordCounts, min_passages: int = 5000) -> None:
        self.catalog = catalog
        self.min_passages = min_passages

    def unknown(self, word: str) -> bool:
        if self.catalog.passage_count() < self.min_passages:
            return False
        return self.catalog.passages_mentioning(word, 1) == 0


class ArticleText(Protocol):
    title: str
    text: str
    published: str


# A run of capitalised words; it ends at a word closing a sentence ("Vatican. Which") or a
# possessive ("Kenya’s Sabastian Sawe" is two names), and "British-born" contributes "British".
_WORD = (
    r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Prof|Lt|Col|Sgt|Capt|Jr|Sr|[A-Z])\.(?=\s+[A-Z])"
    r"|[A-Z](?:[\w&-]|\.(?=\w)|['’](?![sS]\b))*(?:\.(?=\s+[a-z]))?)"
)
_RUN = re.compile(rf"{_WORD}(?:\s+(?:(?:of|the|and|de|del|da|van|von|al|for)\s+)*{_WORD})*")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’.&-]*")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b(?!s)")
_JOINERS = frozenset({"of", "the", "and", "de", "del", "da", "van", "von", "al", "for"})
# Words that are capitalised in names but name nothing on their own.
_GENERIC = frozenset(
    """president prime minister sen senator rep representative gov governor mr mrs ms dr prof king queen prince
    princess pope judge justice chief secretary general mayor sir dame lord lady saint st ceo gen lt col capt sgt
    officer rev pastor bishop archbishop coach captain director chairman chairwoman speaker leader senate house
    congress parliament court supreme government ministry department city state states united national
    international republic kingdom federal union north south east west new old great world the""".split()
)
# Remainders of one name's forms after their common stem: Ukrain-e / Ukrain-ian, Chin-a / Chin-ese.
_FORM_ENDINGS = frozenset(
    ["", "a", "e", "y", "ia", "n", "an", "ian", "ians", "ans", "ese", "i", "ish", "ic", "s", "es", "ns", "ey", "ain",
     "en", "land"]
)
_ALIASES = [
    {"us", "usa", "america", "american", "americans", "united states"},
    {"uk", "britain", "british", "great britain", "united kingdom"},
    {"france", "french"}, {"netherlands", "dutch", "holland"}, {"wales", "welsh"}, {"spain", "spanish"},
    {"greece", "greek"}, {"denmark", "danish"}, {"norway", "norwegian"}, {"ireland", "irish"},
    {"scotland", "scottish", "scots"}, {"england", "english"}, {"switzerland", "swiss"},
    {"philippines", "filipino", "philippine"}, {"fed", "federal reserve"}, {"un", "united nations"},
    {"eu", "european union"}, {"ai", "artificial intelligence"},
]
# US states as datelines write them ("EL PASO, TX", "SACRAMENTO, Calif."): code and AP abbreviation.
# (Codes that are also words or names, "IN", "OR", "ME", "OH", "HI", "AL", "CO", "DE", "ID", "LA", "MS", are left out.)
_STATES = (
    "ala:alabama ak:alaska az ariz:arizona ar ark:arkansas ca calif:california colo:colorado ct conn:connecticut "
    "del:delaware fl fla:florida ga:georgia idaho:idaho il ill:illinois ind:indiana ia:iowa ks kan:kansas ky:kentucky "
    "md:maryland ma mass:massachusetts mi mich:michigan mn minn:minnesota miss:mississippi mo:missouri "
    "mt mont:montana ne neb:nebraska nv nev:nevada nh:new_hampshire nj:new_jersey nm:new_mexico ny:new_york "
    "nc:north_carolina nd:north_dakota okla:oklahoma ore:oregon pa:pennsylvania ri:rhode_island sc:south_carolina "
    "sd:south_dakota tn tenn:tennessee tx tex:texas ut:utah vt:vermont va:virginia wa:washington wv:west_virginia "
    "wi wis:wisconsin wy wyo:wyoming"
)
_ALIASES += [{*codes.split(), name.replace("_", " ")} for codes, name in re.findall(r"([a-z ]+?):(\S+)", _STATES)]


def name_key(token: str) -> str:
    """A name word as compared: lower case, no possessive, no dots ("U.S." -> "us")."""
    token = re.sub(r"['’]s?$", "", token.strip(".,;:!?\"“”‘’()"))
    return token.replace(".", "").lower()


def same_name(a: str, b: str) -> bool:
    """Two name words are one name: equal, or one stem with the endings of its forms."""
    if a == b:
        return True
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n >= 4 and a[n:] in _FORM_ENDINGS and b[n:] in _FORM_ENDINGS


def _aliases(phrase: str) -> set[str]:
    for group in _ALIASES:
        if phrase in group:
            return group
    return {phrase}


@dataclass(frozen=True)
class KeyTerms:
    """What the question names: its names (as word tuples), years and other content words."""

    names: tuple[tuple[str, ...], ...] = ()
    years: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


def key_terms(question: str, skip: str = "") -> KeyTerms:
    """The key terms of a question (its own words; `skip` is a phrase handled elsewhere, such as
    the period the retriever enforces)."""
    if skip:
        question = re.sub(re.escape(skip), " ", question, flags=re.I)
    names: list[tuple[str, ...]] = []
    name_words: set[str] = set()
    for match in _RUN.finditer(question):
        # "British-born" contributes "British"; "K-pop" and "X-ray" are plain words, not the name "K".
        words = [w.split("-")[0] if re.search(r"-[a-z]", w) else w for w in match.group(0).split() if not re.match(r"\w-[a-z]", w)]
        opening = words[0] if words else ""
        before = question[: match.start()].rstrip(" \"“‘'(")
        at_start = not before or before[-1] in ".?!:;"  # a sentence's first word is capitalised anyway
        while words and (name_key(words[0]) in _QUESTION_WORDS or name_key(words[0]) in _JOINERS):
            words.pop(0)
        words = [w for w in words if name_key(w) not in MONTHS and name_key(w) not in WEEKDAYS]
        while words and name_key(words[-1]) in _JOINERS:
            words.pop()
        if not words or (at_start and len(words) == 1 and opening == words[0]):
            continue  # a question's first word ("Stand-up comedian ...") is capitalised anyway: a plain word
        if all(name_key(w) in _JOINERS or re.fullmatch(r"(?:19|20)\d\d", name_key(w)) for w in words):
            continue
        names.append(tuple(words))
        name_words.update(name_key(w) for w in words)
    years = tuple(dict.fromkeys(_YEAR.findall(question)))
    words = tuple(
        w for w in content_words(question)
        if w not in name_words and w not in _QUESTION_WORDS and not any(c.isdigit() for c in w)
        and w not in MONTHS and w not in WEEKDAYS
    )
    return KeyTerms(tuple(names), years, words)


@dataclass
class EvidenceVocabulary:
    """The evidence as the coverage rules read it."""

    text: str  # titles and texts, lower-cased
    name_keys: set[str]  # every capitalised word, as a name key
    stems: set[str]
    years: set[str]  # years written in the text, and the years the articles were published
    acronyms: set[str]  # initials of capitalised runs ("Food and Drug Administration" -> "fda")
    before: dict[str, list[set[str]]]  # name word -> for each run naming it, the distinctive words before it


def vocabulary(articles: Iterable[ArticleText]) -> EvidenceVocabulary:
    texts, years = [], set()
    for article in articles:
        texts.append(f"{article.title}\n{article.text}")
        if article.published[:4].isdigit():
            years.add(article.published[:4])
    joined = "\n".join(texts)
    acronyms: set[str] = set()
    before: dict[str, list[set[str]]] = {}
    for run in _RUN.finditer(joined):
        words = [w for w in run.group(0).split() if w.lower() not in _JOINERS]
        initials = "".join(w[0] for w in words)
        if len(initials) >= 2:
            acronyms.add(initials.lower())
        keys = [name_key(w) for w in words]
        for i, key in enumerate(keys):
            distinctive = {k for k in keys[:i] if k not in _GENERIC and k not in STOPWORDS and k not in _QUESTION_WORDS}
            before.setdefault(key, []).append(distinctive)
    return EvidenceVocabulary(
        text=joined.lower(),
        name_keys={name_key(t) for t in _CAPITALISED.findall(joined)},
        stems={stem(w) for w in content_words(joined)},
        years=years | set(_YEAR.findall(joined)),
        acronyms=acronyms,
        before=before,
    )


def name_covered(name: tuple[str, ...], vocab: EvidenceVocabulary) -> bool:
    """Whether the evidence names this name (see the module docstring for the forms allowed)."""
    keys = [name_key(w) for w in name if name_key(w) not in _JOINERS]
    forms = _aliases(" ".join(name_key(w) for w in name)) | _aliases(" ".join(keys))
    if any(f in vocab.name_keys for f in forms if " " not in f):
        return True
    if any(" " in f and re.search(rf"(?<!\w){re.escape(f)}(?!\w)", vocab.text) for f in forms):
        return True
    if len(keys) > 1 and "".join(k[0] for k in keys) in vocab.name_keys | vocab.acronyms:
        return True  # "Food and Drug Administration" in the question, "FDA" in the evidence
    if len(keys) == 1 and name[0].isupper() and len(keys[0]) > 1 and keys[0] in vocab.acronyms:
        return True  # "FDA" in the question, "Food and Drug Administration" in the evidence
    distinctive = [k for k in keys if k not in _GENERIC and len(k) > 1] or keys
    head = distinctive[-1]
    mate = distinctive[-2] if len(distinctive) > 1 else ""
    heads = {f for f in _aliases(head) if " " not in f}  # "US House": "American" names the "US" of it
    for key in vocab.name_keys:
        if not any(key[:1] == h[:1] and same_name(h, key) for h in heads):
            continue
        # "Meridale Biologics" does not name "Corvalex Biologics", nor "Hunter Biden" "Joe Biden":
        # a run naming the head must have no distinctive word before it ("President Biden") or the
        # question's ("Winter Olympic Games" names "Winter Games").
        if not mate or any(not b or any(same_name(w, mate) for w in b) for b in vocab.before.get(key, [set()])):
            return True
    return False


def uncovered_terms(terms: KeyTerms, vocab: EvidenceVocabulary, archive: ArchiveWords | None = None) -> list[str]:
    """The key terms the evidence lacks, as the user wrote them (empty: covered)."""
    missing = [" ".join(name) for name in terms.names if not name_covered(name, vocab)]
    missing += [year for year in terms.years if year not in vocab.years]
    if archive is not None:
        for word in terms.words:
            if word in STOPWORDS or stem(word) in vocab.stems or word in vocab.text:
                continue
            if archive.unknown(word):
                missing.append(word)
    return missing
