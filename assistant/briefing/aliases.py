"""Other names of a topic's name, found in the archive: how its articles refer to it.

A brief on "North Korea" must also read "Pyongyang said ..." and "North Korean troops ...", and
one on "Silicon Valley Bank" the later "SVB".  Every alias is learnt or checked in the archive,
so it holds for topics nobody listed in advance:

- **acronyms** spelled out in an article ("Silicon Valley Bank (SVB)", "SVB (Silicon Valley
  Bank)"), for a topic written either way; the acronym counts everywhere when the archive never
  spells it out as anything else, otherwise only in the articles that spell it out this way;
- **short forms** used after the full name ("Damar Hamlin ... Hamlin said"): the last word of a
  two- to four-word name, when the name's articles use it on its own and the archive rarely
  writes it in lower case ("Hamlin" yes; "State" of "Michigan State", "Bank", "Korea" no).  A
  short form counts only in an article that also has the full name;
- **countries**: other names, demonyms and seats of government from data/countries.tsv (what a
  reader knows and the text cannot teach: "Dutch", "Swiss", "Bern").  A seat of government is an
  alias only where the archive uses it as one: in at least 60 % of the archive's articles that
  mention it, the country is named too ("Pyongyang" for North Korea; "Washington" fails for the
  United States, as it is also a state, a newspaper and a president, and counts only next to the
  country's name).  A capital given as a topic stays a city (it does not widen to the country).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from assistant.briefing.terms import name_regex
from assistant.text import STOPWORDS
from ingest.catalog import Catalog

CAPITAL_SHARE = 0.6  # a seat of government is a global alias when the country is named beside it this often
SHORT_FORM_MIN_USES = 1  # standalone uses of a short form in the name's articles
SHORT_FORM_MAX_LOWER = 0.15  # lower-case uses per capitalised use: above it the word is a common noun
_CONNECTORS = frozenset({"of", "and", "for", "the", "de", "&", "on", "in"})


@dataclass(frozen=True)
class Alias:
    """Another way the archive names the same thing; `local` ones count only in an article that
    also has one of the name's global forms."""

    form: str
    why: str
    local: bool = False


@dataclass(frozen=True)
class Country:
    name: str
    other_names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.other_names, *self.demonyms)


@lru_cache(maxsize=1)
def countries() -> dict[str, Country]:
    """Every form of every country (name, other name, demonym) -> its Country."""
    text = resources.files("assistant.briefing").joinpath("data/countries.tsv").read_text(encoding="utf-8")
    table: dict[str, Country] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, others, demonyms, capitals = (line.split("\t") + ["", "", ""])[:4]
        split = lambda cell: tuple(x.strip() for x in cell.split(";") if x.strip())  # noqa: E731
        country = Country(name.strip(), split(others), split(demonyms), split(capitals))
        for form in country.names:
            table.setdefault(form, country)
    return table


@lru_cache(maxsize=1)
def _capitals() -> frozenset[str]:
    return frozenset(c for country in set(countries().values()) for c in country.capitals)


def place_words() -> frozenset[str]:
    """Every word of a country form or capital: never a person's short form ("Korea", "Lima")."""
    words = {w for form in countries() for w in form.split()}
    return frozenset(words | {w for c in _capitals() for w in c.split()})


def find_aliases(name: str, catalog: Catalog, texts: Sequence[str]) -> list[Alias]:
    """The name's aliases (see the module docstring); `texts` are articles that contain the name."""
    found: dict[str, Alias] = {}
    for alias in [*country_aliases(name, catalog), *acronym_aliases(name, texts, catalog), *short_forms(name, texts)]:
        if alias.form != name and alias.form not in found:
            found[alias.form] = alias
    return list(found.values())


def country_aliases(name: str, catalog: Catalog) -> list[Alias]:
    country = countries().get(name)
    if country is None or name in _capitals():
        return []
    aliases = [Alias(form, f"another name of {country.name}") for form in (country.name, *country.other_names)]
    aliases += [Alias(form, f"demonym of {country.name}") for form in country.demonyms]
    for capital in country.capitals:
        with_capital = catalog.articles_matching([[capital]])
        both = catalog.articles_matching([[capital], list(country.names)])
        if not both:
            continue
        share = len(both) / max(len(with_capital), 1)
        why = f"seat of government of {country.name}, named with it in {len(both)} of the {len(with_capital)} articles that mention it"
        aliases.append(Alias(capital, why, local=share < CAPITAL_SHARE))
    return aliases


def acronym_aliases(name: str, texts: Sequence[str], catalog: Catalog) -> list[Alias]:
    """"Silicon Valley Bank (SVB)" and "SVB (Silicon Valley Bank)"; for an acronym topic, its spelling out."""
    if _is_acronym(name):
        expansions = _expansions(name, texts)
        if not expansions:
            return []
        best = max(expansions, key=expansions.get)  # type: ignore[arg-type]
        return [Alias(best, f"spelt out as {name} in {expansions[best]} article(s)", local=len(expansions) > 1)]
    if len(name.split()) < 2:
        return []
    found: dict[str, int] = {}
    body = name_regex(name)
    patterns = [
        re.compile(body + r"\s*\(\s*(?P<acr>[A-Z][A-Za-z&]{1,9})\s*\)"),
        re.compile(r"(?<![\w&])(?P<acr>[A-Z][A-Z&]{1,9})\s*\(\s*" + body[len(r"(?<![\w&])") :] + r"\s*\)"),
    ]
    for text in texts:
        seen: set[str] = set()
        for pattern in patterns:
            for match in pattern.finditer(text):
                acronym = match.group("acr")
                if acronym not in seen and _spells(acronym, name.split()):
                    seen.add(acronym)
                    found[acronym] = found.get(acronym, 0) + 1
    aliases = []
    for acronym, count in found.items():
        others = _expansions(acronym, _texts(catalog, acronym))
        ambiguous = any(not _same_words(e, name) and not e.startswith(name) for e in others)
        aliases.append(Alias(acronym, f"acronym spelt out in {count} of its articles", local=ambiguous))
    return aliases


def short_forms(name: str, texts: Sequence[str]) -> list[Alias]:
    """The last word of a person's or organisation's name used alone after it ("Hamlin")."""
    words = name.split()
    last = words[-1]
    if not 2 <= len(words) <= 4 or len(last) < 3 or not last[0].isupper() or last.isupper():
        return []
    if last.lower() in STOPWORDS or last in place_words():
        return []
    alone = re.compile(r"(?<![\w&’'])" + re.escape(last) + r"(?![\w&])")
    lower = re.compile(r"(?<![\w&])" + re.escape(last.lower()) + r"(?![\w&])")
    uses = lowers = 0
    for text in texts:
        lowers += len(lower.findall(text))
        for match in alone.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            after = text[match.end() : match.end() + 30]
            if re.search(r"[A-Z][\w.&’'-]*\s+$", before) and not re.search(r"(?:^|[.!?\"“”]\s*)[A-Z][\w.]*\s+$", before):
                continue  # part of another name ("Halle Hamlin"); a title or sentence start is fine
            if re.match(r"\s+[A-Z][a-z]", after) and not re.match(r"\s+(?:said|says|told|wrote)\b", after):
                continue  # the start of another name ("Bank Holding Co", "State Department")
            uses += 1
    if uses < SHORT_FORM_MIN_USES or lowers > SHORT_FORM_MAX_LOWER * uses:
        return []
    return [Alias(last, f"short form used on its own {uses} times in its articles", local=True)]


def _is_acronym(name: str) -> bool:
    letters = name.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isalnum() and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1)


def _spells(acronym: str, words: Sequence[str]) -> bool:
    """Do the capitals of the acronym spell the words' initials (connector words may be skipped)?"""
    letters = [c for c in acronym if c.isupper()]
    initials = [w[0] for w in words if w.lower() not in _CONNECTORS]
    every = [w[0].upper() for w in words]
    return letters == [i.upper() for i in initials] or letters == every


def _expansions(acronym: str, texts: Sequence[str]) -> dict[str, int]:
    """How the texts spell the acronym out: "Words Of Name (ACR)" and "ACR (Words Of Name)"."""
    found: dict[str, int] = {}
    acr = re.escape(acronym)
    before = re.compile(r"((?:[A-Z][\w&’'.-]*\s+(?:(?:of|and|for|the|de|&)\s+)*){1,7})\(\s*" + acr + r"\s*\)")
    after = re.compile(r"(?<![\w&])" + acr + r"\s*\(\s*([A-Z][^()]{2,80}?)\s*\)")
    for text in texts:
        seen = set()
        for match in before.finditer(text):
            words = match.group(1).split()
            for k in range(1, len(words) + 1):  # the shortest tail of words that spells it ("The" is no part)
                tail = words[len(words) - k :]
                if tail[0][0].isupper() and _spells(acronym, tail):
                    seen.add(" ".join(tail).strip(" ,"))
                    break
        for match in after.finditer(text):
            if _spells(acronym, match.group(1).split()):
                seen.add(match.group(1).strip())
        for expansion in seen:
            found[expansion] = found.get(expansion, 0) + 1
    return found


def _same_words(a: str, b: str) -> bool:
    return a.lower().split() == b.lower().split()


def _texts(catalog: Catalog, phrase: str, limit: int = 120) -> list[str]:
    ids = catalog.articles_matching([[phrase]], limit=limit)
    return [a.text for a in catalog.articles(ids).values()]
