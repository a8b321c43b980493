"""Names of people, places, organisations and events in article text, found by how news writes them.

Suggested follow-ups and the example questions must be about things a reader would name ("Rex
W. Tillerson", "the Security Council", "Guam", "the Helsinki summit"), never headline words
("Port", "plan").  There is no tagger model here (nothing to download, ~1 ms per article):
English news capitalises names mid-sentence, consistently, and puts them in recognisable
company ("President ___", "___ said", "in ___", "the ___ Council").  So:

- a name is a run of capitalised words (with "of", "de", "bin" ... inside), minus a sentence's
  first word when that word is also written lower-case, minus leading titles ("President") and
  "the"; a run that is only a title, a month, a weekday or a common word is not a name;
- a name is kept only when the text writes it capitalised nearly every time (so "Port" in a
  headline, "port" in the story, is not a name) and it is not mostly a modifier ("Chinese
  firms", "North Korean officials");
- its kind comes from its company: a title or a reporting verb -> person; a head word like
  Council or Ministry -> organisation; Summit, Election, "the ___ talks" -> event; "in/to/from
  ___" -> place; a digit in it (Hwasong-15, Boeing 737) -> thing.

`names_in(text)` gives the names of one text; `names_across(texts)` counts in how many texts each
name appears (the example questions read the newest articles this way).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from assistant.name_words import (
    AGENCIES,
    CALENDAR,
    CONNECTORS,
    COUNTRIES,
    COUNTRY_PHRASES,
    EVENT_HEADS,
    EVENT_NOUNS,
    GENERAL_AFTER,
    OFFICE_WORDS,
    ORGANISATION_HEADS,
    PLACE_BEFORE,
    PLACE_HEADS,
    SPEECH,
    THE_HEADS,
    THE_PLACES,
    TITLES,
)
from assistant.text import STOPWORDS

PERSON, PLACE, ORGANISATION, EVENT, THING, OTHER = "person", "place", "organisation", "event", "thing", "other"
_SPEAKER = "speaker"  # one word that speaks ("Musk said"): a person only if a full name ends with it

_WORD = re.compile(r"[A-Z](?:\.[A-Z])+\.?|[A-Z][\w'’.\-]*[\w]|[A-Z]\.?")
_CONNECTOR_GAP = re.compile(r" (?:of the|%s) " % "|".join(sorted(CONNECTORS)))
_EVENT_PHRASE = re.compile(rf"\b[Tt]he ((?:[A-Z][\w'’\-]*\s+){{1,3}}(?:{EVENT_NOUNS}))\b")
_DEMONYM = re.compile(r"(?:an|ans|ese|ish|ian|ians|ean|eans|i|ch)$")
_COMPASS = frozenset({"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central"})
_POSSESSIVE = re.compile(r"['’]s?$")
# A name must be written capitalised at least this share of the times its words appear.
MIN_CAPITALISED = 0.85
_CONTEXT = 60  # characters either side read to classify a mention
_TOKEN = re.compile(r"[^\W_][\w\-]*")
_CONTRACTION = re.compile(r"['’](?:m|ll|ve|re|d|t)$", re.I)


@dataclass(frozen=True)
class Name:
    """A thing the text names, how often, and what kind of thing it probably is."""

    text: str  # as written, without titles or a leading "the": "Rex W. Tillerson", "Security Council"
    kind: str  # PERSON, PLACE, ORGANISATION, EVENT, THING or OTHER
    mentions: int  # in the text (names_in) or texts holding it (names_across)
    first: int  # offset of the first mention (names_in) or index of the first text (names_across)
    the: bool = False  # usually written "the X" ("the Security Council")

    @property
    def phrase(self) -> str:
        """How a question names it: "the Security Council", "Guam"."""
        return f"the {self.text}" if self.the else self.text

    @property
    def words(self) -> set[str]:
        return {w.lower().strip(".") for w in self.text.split() if w.lower() not in CONNECTORS}


@dataclass
class _Evidence:
    mentions: int = 0
    first: int = -1
    kinds: Counter[str] | None = None
    the: int = 0
    modifier: int = 0
    mid: int = 0  # mentions not at the start of a sentence

    def add(self, start: int, kind: str, the: bool, modifier: bool, mid: bool) -> None:
        self.mentions += 1
        self.mid += mid
        self.first = start if self.first < 0 else self.first
        self.kinds = self.kinds or Counter()
        self.kinds[kind] += 1
        self.the += the
        self.modifier += modifier


def _runs(text: str) -> Iterable[tuple[int, int, list[str]]]:
    """(start, end, words) of each run of capitalised words, connectors allowed inside."""
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        run: list[re.Match[str] | str] = [words[i]]
        j = i + 1
        while j < len(words):
            gap = text[run[-1].end() : words[j].start()]
            if gap == " " or gap == "-":
                run.append(words[j])
            elif _CONNECTOR_GAP.fullmatch(gap):
                run.extend(gap.split())
                run.append(words[j])
            else:
                break
            j += 1
        yield run[0].start(), run[-1].end(), [w if isinstance(w, str) else text[w.start() : w.end()] for w in run]
        i = j


def _clean(words: list[str], at_sentence_start: bool, lower_words: set[str]) -> tuple[list[str], bool, bool]:
    """The name inside a run: no sentence-initial common word, no leading "The", titles or
    adjectives of nationality, no possessive, no trailing connector or month.  Returns (words,
    introduced by a title, written with "the")."""
    for k, word in enumerate(words[:-1]):
        if _POSSESSIVE.search(word) and "'" in word or "’" in word[-2:]:
            words = words[: k + 1]  # "Korea's Kim": the name ends at the possessive
            break
    words = [*words[:-1], _POSSESSIVE.sub("", words[-1])] if words else words
    the = bool(words) and words[0] == "The"
    if the or words and words[0] in ("A", "An"):
        words = words[1:]
    elif words and at_sentence_start and words[0] not in TITLES and (words[0].lower() in STOPWORDS or words[0].lower() in lower_words):
        words = words[1:]
    titled = False
    for k in range(len(words) - 1, -1, -1):
        word = words[k].rstrip(".")
        if word in TITLES or (word == "General" and k > 0 and words[k - 1] in GENERAL_AFTER):
            rest = k + 1
            while rest < len(words) - 1 and words[rest] == "of" or rest < len(words) - 1 and words[rest] in OFFICE_WORDS:
                rest += 1
            if rest < len(words) and words[rest] in OFFICE_WORDS:
                return [], False, False  # "... Secretary of State": an office, no name after it
            if rest < len(words) and words[rest][:1].isupper():
                words, titled, the = words[rest:], True, False
                if "of" in words:  # "Xi Jinping of China": the person ends before "of"
                    words = words[: words.index("of")]
                break
    lead = 0
    while lead < len(words) - 1 and (words[lead] in _COMPASS or _DEMONYM.search(words[lead]) and not words[lead].isupper()):
        lead += 1
    rest_words = words[lead:]
    if lead and _DEMONYM.search(words[lead - 1]) and (len(rest_words) > 1 or rest_words[0].isupper()):
        words = rest_words  # "American THAAD" -> "THAAD"; "Korean Peninsula" and "North Korea" stay
    while words and (words[-1].lower() in CONNECTORS or words[-1].rstrip(".") in CALENDAR):
        words = words[:-1]
    while words and (words[0].lower() in CONNECTORS or words[0].rstrip(".") in CALENDAR):
        words = words[1:]  # "Saturday for Stephanie Parze"
    return words, titled, the


def _at_sentence_start(text: str, start: int) -> bool:
    """Whether a word at `start` begins a sentence, a line or a quote (so it is capitalised anyway)."""
    before = text[max(0, start - 40) : start]
    stripped = before.rstrip()
    if not stripped or "\n" in before[len(stripped) :]:
        return True
    return stripped[-1] in ".!?:;\"“‘(—-–|*#>"


def _kind(name_words: list[str], titled: bool, before: str, after: str) -> str:
    last = name_words[-1].rstrip(".")
    if any(ch.isdigit() for ch in "".join(name_words)):
        return THING
    if last in EVENT_HEADS:
        return EVENT
    single = len(name_words) == 1
    key = " ".join(name_words).lower().rstrip(".")
    if key in COUNTRIES or key in COUNTRY_PHRASES or (not single and last in PLACE_HEADS):
        return PLACE
    if any(w in ORGANISATION_HEADS for w in name_words):
        return ORGANISATION
    next_word = re.match(r"\s*,?\s*([a-z]+)", after)
    prev_word = re.search(r"([a-z]+)\s*$", before)
    speaks = (next_word and next_word.group(1) in SPEECH) or (prev_word and prev_word.group(1) in SPEECH)
    # "Pyongyang said", "Washington warned": a capital speaking for its government is no person.
    the = re.search(r"\bthe\s+$", before)
    if titled or (not single and not the and (speaks or re.match(r",\s+who\b", after))):
        return PERSON
    if single and speaks:
        return _SPEAKER
    if prev_word and prev_word.group(1) in PLACE_BEFORE:
        return PLACE
    return OTHER


def _is_modifier(after: str) -> bool:
    """Followed by a lower-case noun ("Chinese firms", "Trump administration"), not by a verb."""
    following = re.match(r" ([a-z][a-z\-]+)", after)
    if not following:
        return False
    word = following.group(1)
    return word not in STOPWORDS and word not in SPEECH and not word.endswith("ed")


def _skipped(words: list[str]) -> bool:
    """Runs that name nothing: only titles, months, weekdays or common words; shouted datelines
    and headers ("BEIJING", "UNITED NATIONS"); a bare point of the compass."""
    if not words or all(w.rstrip(".") in CALENDAR | TITLES | _COMPASS or w.lower() in STOPWORDS for w in words):
        return True
    if any(w.isupper() and len(w) > 5 for w in words) or (len(words) > 1 and all(w.isupper() for w in words)):
        return True
    if any(_CONTRACTION.search(w) for w in words):
        return True  # "I'm", "We'll"
    return len(words) == 1 and len(words[0].rstrip(".")) < 2


def _evidence(text: str) -> tuple[dict[str, _Evidence], dict[str, str]]:
    """name key -> evidence, name key -> the name as first written."""
    lower_words = set(re.findall(r"\b[a-z][a-z'’\-]*\b", text))
    found: dict[str, _Evidence] = defaultdict(_Evidence)
    shown: dict[str, str] = {}
    for start, end, words in _runs(text):
        at_start = _at_sentence_start(text, start)
        name_words, titled, the = _clean(words, at_start, lower_words)
        if _skipped(name_words):
            continue
        name = " ".join(name_words)
        if at_start and name.isupper() and re.match(r"\s*(?:\(|[—–-]|,)", text[end : end + 3]):
            continue  # a dateline: "SEOUL — ..."
        if not titled and name.lower() not in COUNTRIES and all(w in _COMPASS or _DEMONYM.search(w) for w in name_words):
            continue  # "Chinese", "South Korean": describe things, name none of them
        name_start = text.find(name, start)
        name_start = name_start if name_start >= 0 else start
        before = text[max(0, name_start - _CONTEXT) : name_start]
        after = text[name_start + len(name) : name_start + len(name) + _CONTEXT]
        after = _POSSESSIVE.sub("", after[:2]) + after[2:] if after[:1] in "'’" else after
        kind = _kind(name_words, titled, before, after)
        if kind == PERSON and " of " in name:
            name = name[: name.index(" of ")]  # "William Coleman of Redding"
        key = name.lower().replace("’", "'")
        shown.setdefault(key, name)
        modifier = _is_modifier(after)
        the = (the or bool(re.search(r"\bthe\s+$", before))) and not modifier
        mid = not (at_start and name_start == start)
        found[key].add(name_start, kind, the, modifier, mid)
    for match in _EVENT_PHRASE.finditer(text):
        phrase = match.group(1)
        first_word = phrase.split()[0]
        if first_word in CALENDAR or first_word.lower() in STOPWORDS or _skipped(phrase.split()[:-1]):
            continue
        key = phrase.lower()
        shown.setdefault(key, phrase)
        found[key].add(match.start(1), EVENT, True, False, True)
    return found, shown


def _capitalised_share(name: str, counts: Counter[str]) -> float:
    """How often the name is written capitalised rather than lower-case in the text: for one word,
    that word; for several, the most name-like of them ("Council" is also a common noun, but
    "Northern Fisheries Council" is a name because "Fisheries" is never written "fisheries")."""
    shares = []
    for word in name.split():
        bare = word.strip(".")
        if word.lower() in CONNECTORS or not bare[:1].isalpha() or bare.lower() == bare:
            continue
        upper, lower = counts[bare], counts[bare.lower()]
        if upper + lower:
            shares.append(upper / (upper + lower))
    return max(shares) if shares else 1.0


def _decide(key: str, evidence: _Evidence, shown: str) -> Name:
    kinds = evidence.kinds or Counter()
    kind = kinds.most_common(1)[0][0]
    if kind == OTHER and len(kinds) > 1:
        kind = next(k for k, _ in kinds.most_common() if k != OTHER)
    if kinds[PERSON] and kind == PLACE and kinds[PERSON] >= kinds[PLACE]:
        kind = PERSON
    return Name(shown, kind, evidence.mentions, evidence.first, _takes_the(shown, kind, evidence.the * 2 > evidence.mentions))


def _takes_the(name: str, kind: str, written_so: bool) -> bool:
    """Whether a question names it with "the": as the text mostly writes it, or as English names
    such organisations and places ("the Security Council", "the United States")."""
    if kind == PERSON or "'" in name or "’" in name:
        return False
    last = name.split()[-1]
    return written_so or (kind == ORGANISATION and last in THE_HEADS) or name.lower() in THE_PLACES or name in PLACE_HEADS


def names_in(text: str, min_mentions: int = 1, whole: str | None = None) -> list[Name]:
    """The names in one text, most mentioned first (ties: first mentioned first).

    A surname mentioned alone ("Tillerson said") counts towards the full name ("Rex W.
    Tillerson") and makes it a person.  `whole`: the full text `text` is part of, for telling
    names from common words by how the whole writes them.
    """
    found, shown = _evidence(text)
    counts = Counter(_TOKEN.findall(whole or text))
    names: dict[str, Name] = {}
    for key, evidence in found.items():
        name = shown[key]
        if _capitalised_share(name, counts) < MIN_CAPITALISED:
            continue  # written lower-case too: a common word
        last = name.split()[-1]
        modifier = _DEMONYM.search(last) or "." in name or name.isupper() and not any(c.isdigit() for c in name)
        if evidence.modifier * 10 >= evidence.mentions * 6 and modifier:
            continue  # "North Korean officials", "U.S. forces": describes things, names none of them
        names[key] = _decide(key, evidence, name)
    merged = _merge_surnames(names)
    for key in [k for k in merged if " " in k and k in found and not found[k].mid]:
        tail = key.split(" ", 1)[1]
        if tail in merged:  # "Numerous Twitter" at a sentence's start is "Twitter"
            kept = merged[tail]
            merged[tail] = Name(kept.text, kept.kind, kept.mentions + merged.pop(key).mentions, kept.first, kept.the)
    for key, name in list(merged.items()):  # "Harlow" only ever in "the Harlow summit" is the summit
        head = key.rsplit(" ", 1)[0]
        if name.kind == EVENT and " " in key and head in merged and merged[head].mentions <= name.mentions:
            del merged[head]
    # Only ever capitalised as a sentence's first word: no sign it is a name.
    merged = {k: n for k, n in merged.items() if " " in k or k not in found or found[k].mid}
    ordered = sorted(merged.values(), key=lambda n: (-n.mentions, n.first, n.text))
    return [n for n in ordered if n.mentions >= min_mentions]


def _personal(name: str) -> bool:
    """Written like a person's name: capitalised words, short lower-case parts only after a hyphen
    ("Kim Jong-un"), no digits."""
    return all(re.fullmatch(r"[A-Z][a-zA-Z'’.]*(?:-[a-zA-Z]{1,3})?", w) for w in name.split())


def _merge_surnames(names: dict[str, Name]) -> dict[str, Name]:
    """"Tillerson" joins "Rex W. Tillerson" when exactly one longer name ends with it and one of
    them is known to be a person."""
    out = dict(names)
    for key, name in names.items():
        if " " in key or key in COUNTRIES:
            continue
        longer = [k for k in names if k != key and " " in k and k.split()[-1] == key and _personal(names[k].text)]
        if len(longer) == 1 and {PERSON, _SPEAKER} & {name.kind, names[longer[0]].kind}:
            full = out[longer[0]]
            out[longer[0]] = Name(full.text, PERSON, full.mentions + name.mentions, min(full.first, name.first), False)
            del out[key]
    return {k: n if n.kind != _SPEAKER else Name(n.text, OTHER, n.mentions, n.first, n.the) for k, n in out.items()}


def names_across(texts: Sequence[str], min_texts: int = 2) -> list[Name]:
    """Names found in at least `min_texts` of the texts: `mentions` counts texts, `first` is the
    first text's index; the kind is the one most texts agree on."""
    seen: dict[str, list[Name]] = defaultdict(list)
    for number, text in enumerate(texts):
        for name in names_in(text):
            seen[name.text.lower()].append(Name(name.text, name.kind, 1, number, name.the))
    out = []
    for group in seen.values():
        if len(group) < min_texts:
            continue
        kinds = Counter(n.kind for n in group)
        kind = next((k for k, _ in kinds.most_common() if k != OTHER), OTHER)
        the = _takes_the(group[0].text, kind, sum(n.the for n in group) * 2 > len(group))
        out.append(Name(group[0].text, kind, len(group), group[0].first, the))
    return sorted(out, key=lambda n: (-n.mentions, n.first, n.text))


def mentions_any(name: Name, asked: Iterable[str]) -> bool:
    """Whether the questions already ask about this name (a person by surname, others whole)."""
    words = [w.lower().strip(".") for w in name.text.split()]
    for question in asked:
        lowered = " ".join(re.findall(r"[\w'’\-]+", question.lower()))
        if name.kind == PERSON and re.search(rf"\b{re.escape(words[-1])}\b", lowered):
            return True
        if re.search(rf"\b{re.escape(' '.join(w for w in words))}\b", lowered):
            return True
    return False


def is_outlet(name: Name, sources: Iterable[str]) -> bool:
    """Whether the name is a news agency or one of the archive's outlets ("cnn.com" is CNN)."""
    key = name.text.lower()
    if key in AGENCIES:
        return True
    squashed = re.sub(r"[^a-z0-9]", "", key)
    for source in sources:
        outlet = source.lower().strip()
        stem = re.sub(r"^www\.|\.(?:com|co\.uk|org|net|co|news|uk)$", "", outlet)
        if key == outlet or squashed and squashed == re.sub(r"[^a-z0-9]", "", stem):
            return True
    return False

