"""What a topic names: its proper names (with their aliases) and its other words, read against
the archive, and where they occur in an article.

A brief is about its topic only if the articles it quotes name it.  `analyse_topic` splits the
topic into **names** and **words** by asking the archive how it writes them, so "north korea"
typed in lower case is still the name "North Korea", while "spy balloon" stays two words even when
typed "Spy Balloon":

- the longest runs of the topic's words are tried first; a run is a name when the archive writes
  it capitalised (every word, outside sentence starts) in at least 60 % of its uses, or 25 % when
  the topic itself capitalises it ("Turkey" the country against "turkey" the bird);
- runs whose words are each a country ("Turkey Syria") are separate names;
- what the archive never mentions keeps the topic's own casing (a name nobody wrote about finds
  no article, and the brief says so).

Each name gets its aliases from aliases.py.  The gate on articles and statements (briefer.py,
evidence.py): **every name** must occur in an article (as a name or a global alias), and if the
topic also has words, **one of them**; without names, **every word**.  terms.py has the matching
rules (case, word boundaries, inflections).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assistant.briefing.aliases import Alias, countries, find_aliases
from assistant.briefing.terms import names_pattern, offsets, words_pattern
from assistant.periods import find_period
from assistant.text import STOPWORDS, content_words
from ingest.catalog import Catalog

NAME_SHARE = 0.6  # capitalised in this share of the archive's uses: a name
NAME_SHARE_IF_TYPED = 0.25  # ... or in this share when the topic capitalises it too
SAMPLE_ARTICLES = 80  # articles read to see how the archive writes a run of words
MAX_RUN = 5
# Words that ask for a briefing rather than say what about.
GENERIC = frozenset(
    "briefing brief timeline news latest update updates situation story stories coverage developments overview "
    "happened happening events event summary".split()
)
_CONNECTORS = frozenset({"of", "and", "the", "de", "&", "for"})
_TOKEN = re.compile(r"[\w][\w'’&.\-]*")
_SENTENCE_START = re.compile(r"(?:^|[\n.!?:;][\"'”’)\]]*\s+|[\"“‘(\[—–-]\s*)$")


@dataclass
class TermGroup:
    """One name (with its aliases) or one word of the topic."""

    label: str
    kind: str  # "name" | "word"
    aliases: tuple[Alias, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Forms that put an article on topic: the label and the global aliases."""
        return (self.label, *(a.form for a in self.aliases if not a.local))

    @property
    def local_forms(self) -> tuple[str, ...]:
        """Forms that count only in an article that has one of `forms`."""
        return tuple(a.form for a in self.aliases if a.local)

    def pattern(self, local: bool = False) -> re.Pattern[str] | None:
        if self.kind == "word":
            return None if local else words_pattern([self.label])
        return names_pattern(self.local_forms if local else self.forms)

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.label, "kind": self.kind, "aliases": [{"form": a.form, "why": a.why, "local": a.local} for a in self.aliases]}


@dataclass
class TopicTerms:
    topic: str
    names: list[TermGroup] = field(default_factory=list)
    words: list[TermGroup] = field(default_factory=list)

    @property
    def groups(self) -> list[TermGroup]:
        return [*self.names, *self.words]

    @property
    def empty(self) -> bool:
        return not self.groups

    def fts_groups(self) -> list[list[str]]:
        """The article query for the catalog: each name (any global form); then one of the words
        (or, without names, each word)."""
        groups = [list(g.forms) for g in self.names]
        if self.names and self.words:
            groups.append([g.label for g in self.words])
        elif not self.names:
            groups += [[g.label] for g in self.words]
        return groups

    def mentions(self, text: str) -> "Mentions":
        """Where each term occurs in an article (local aliases only if a global form is there)."""
        found: list[list[int]] = []
        for group in self.groups:
            spots = offsets(group.pattern(), text)
            if spots and group.local_forms:
                spots = sorted(spots + offsets(group.pattern(local=True), text))
            found.append(spots)
        return Mentions(len(self.names), found)

    def to_dict(self) -> list[dict[str, Any]]:
        return [g.to_dict() for g in self.groups]


@dataclass
class Mentions:
    """Offsets of each term group in one article; names first (`names` of them), then words."""

    names: int
    offsets: list[list[int]]

    def on_topic(self) -> bool:
        """The article gate: every name, and one word (every word when there is no name)."""
        names, words = self.offsets[: self.names], self.offsets[self.names :]
        if not all(names):
            return False
        if not words:
            return bool(names)
        return any(words) if names else all(words)

    def within(self, start: int, end: int) -> "Mentions":
        return Mentions(self.names, [[o for o in spots if start <= o < end] for spots in self.offsets])

    def anchored(self) -> bool:
        """Statement gate on its context: a name (any) and a word (any), or every word without names."""
        names, words = self.offsets[: self.names], self.offsets[self.names :]
        if names and not any(names):
            return False
        if not words:
            return True
        return any(words) if names else all(words)

    @property
    def count(self) -> int:
        return sum(len(spots) for spots in self.offsets)

    @property
    def name_count(self) -> int:
        return sum(len(spots) for spots in self.offsets[: self.names])


def analyse_topic(topic: str, catalog: Catalog, anchor: date | None = None) -> TopicTerms:
    """The topic's names (with aliases) and words; see the module docstring."""
    tokens = _topic_tokens(topic, anchor)
    terms = TopicTerms(topic)
    used = [False] * len(tokens)
    for size in range(min(MAX_RUN, len(tokens)), 0, -1):
        for i in range(len(tokens) - size + 1):
            run = tokens[i : i + size]
            if any(used[i : i + size]) or not _can_be_name(run):
                continue
            typed = all(t[0].isupper() or t.lower() in _CONNECTORS for t in run)
            form, texts = _archive_name(run, catalog, typed)
            if form is None and size == 1 and typed and _is_rare(run[0], catalog):
                form, texts = run[0], []  # unknown to the archive: keep the user's casing
            if form is None:
                continue
            for j in range(i, i + size):
                used[j] = True
            terms.names.append(TermGroup(form, "name", tuple(find_aliases(form, catalog, texts))))
    for token, taken in zip(tokens, used):
        word = token.lower().strip(".'’")
        if not taken and word not in STOPWORDS and word not in GENERIC and len(word) > 1 and content_words(word):
            if word not in {g.label for g in terms.words}:
                terms.words.append(TermGroup(word, "word"))
    return terms


def _topic_tokens(topic: str, anchor: date | None) -> list[str]:
    """The topic's words in order, casing kept, without its time phrase ("since March")."""
    period = find_period(topic, anchor) if anchor else None
    time_words = set(content_words(period.phrase)) | {"since", "until", "from", "in", "during"} if period else set()
    tokens = []
    for token in _TOKEN.findall(topic):
        if not re.fullmatch(r"(?:[A-Za-z]\.){2,}", token):
            token = token.rstrip(".")
        if token and token.lower() not in time_words:
            tokens.append(token)
    return tokens


def _can_be_name(run: list[str]) -> bool:
    """A run starts and ends with a content word and holds no stopword but connectors; words that
    are each a country are several names, not one ("Turkey Syria")."""
    if run[0].lower() in STOPWORDS or run[-1].lower() in STOPWORDS or run[0].lower() in GENERIC:
        return False
    if any(t.lower() in STOPWORDS and t.lower() not in _CONNECTORS for t in run):
        return False
    table = countries()
    return not (len(run) > 1 and all(t in table for t in run))


def _archive_name(run: list[str], catalog: Catalog, typed: bool) -> tuple[str | None, list[str]]:
    """How the archive writes the run: (its usual capitalised form, texts using it) when that is
    a name by the shares above, else (None, texts)."""
    phrase = " ".join(run)
    ids = catalog.articles_matching([[phrase]], limit=SAMPLE_ARTICLES)
    if not ids:
        return None, []
    texts = [a.text for a in catalog.articles(ids).values()]
    pattern = re.compile(r"(?<![\w&])" + r"\s+".join(re.escape(t) for t in run) + r"(?![\w&])", re.I)
    capital: dict[str, int] = {}
    lower = 0
    for text in texts:
        for match in pattern.finditer(text):
            words = match.group(0).split()
            if len(run) == 1 and _SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()]):
                continue  # a capital at a sentence start says nothing
            if match.group(0).isupper() and not "".join(run).isupper():
                continue  # a heading in capitals
            checked = words[1:] if len(words) > 1 and _SENTENCE_START.search(text[max(0, match.start() - 4) : match.start()]) else words
            if all(w[0].isupper() or w.lower() in _CONNECTORS or _inner_capital(w) for w in checked):
                form = " ".join(words)
                capital[form] = capital.get(form, 0) + 1
            else:
                lower += 1
    upper = sum(capital.values())
    if not upper or (len(run) > 1 and upper < 2 and lower > 0):
        return None, texts  # a run of words seen capitalised once among lower-case uses: a coincidence
    share = upper / (upper + lower)
    if share >= NAME_SHARE or (typed and share >= NAME_SHARE_IF_TYPED):
        return max(capital, key=capital.get), texts  # type: ignore[arg-type]
    return None, texts


def _inner_capital(word: str) -> bool:
    return any(c.isupper() for c in word[1:])  # "iPhone", "eBay"


def _is_rare(token: str, catalog: Catalog) -> bool:
    return not catalog.articles_matching([[token]], limit=1)
