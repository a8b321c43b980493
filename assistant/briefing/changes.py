"""What changed: two statements of one thread, at different dates, whose facts differ, with the
difference named.

A pair is shown only when all of these hold:

- **one thread**: the later event is dated after the earlier one (by `change_min_gap_days`), the
  two sentences are close in meaning (MiniLM cosine >= `change_min_cosine`, 0.5; a figure asks
  for 0.6), and their main clauses (facts.main_clause: what they report, not an aside) share an
  actor besides the topic (a capitalised name: "Hamlin", "Security Council") or content stems
  besides the topic's words (two, or one making 30 % of the shorter clause: "terminal");
- **a named difference** in those main clauses, one of
  - a **number** of the same measure, with another value: the same word just after both
    figures ("151 people were killed" -> "killed"; vague words such as "people" or "more"
    skipped), or, for figures with no such word, the same two words just before them ("the
    death toll rose to 5,000"): "killed: 120 → 151", "death toll: 5,000 → 35,000";
  - a **status**: each side has a word of state in lower case (critical, stable, released,
    arrested, charged, banned, closed, reopened, ...; "open" after keep/remain/stay, "close"
    before its object) and the later has one the earlier lacks, neither clause negated
    ("no documents were recovered" is not "recovered"): "status: critical → released";
  - a **position**: one side supports (supports, backs, favours, ...) and the other opposes
    (opposes, rejects, criticised, ...): "position: opposes → supports"; or the later report
    names a shift of an actor both share ("a clear softening of the line he took in the
    spring"; soften, harden, shift, U-turn, reversal, backed down, walked back, change of
    course): "position: softening".

So a March missile launch and a September nuclear test are not a change (no shared measure,
state or stance), while "Hamlin remains in critical condition" and, a week later, "Hamlin was
released from the hospital" are.  The three best pairs (cosine x the two facts' relevance, a
figure counting most) with no fact used twice are shown, oldest first.
"""

from __future__ import annotations

import math
import re

from assistant.briefing.event_dates import without_dates
from assistant.briefing.facts import Fact, actors, main_clause
from assistant.briefing.model import BriefConfig, Difference
from assistant.briefing.views import stems
from assistant.text import STOPWORDS

# States of a person, a body or a thing (not events: "launched", "approved" report what happened).
STATES = frozenset(
    """critical stable serious improving recovering released discharged hospitalized hospitalised dead alive
    missing found rescued recovered arrested detained charged indicted convicted acquitted sentenced jailed freed
    resigned ousted suspended reinstated elected defeated reopened closed closure shut banned lifted
    retired bankrupt insolvent""".split()
)
# "open" and "close" are states only in these uses ("keep the terminal open", "to close the terminal").
_OPEN = re.compile(r"\b(?:keep|kept|keeping|remain\w*|stay\w*|reopen\w*)\b(?:\s+\S+){0,5}?\s+open\b", re.I)
_CLOSE = re.compile(r"\bclose\s+(?:the|a|an|its|their|his|her|all)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|no|never|nor|without)\b|n['’]t\b", re.I)
# A later report that itself names a change of line.
_SHIFT = re.compile(
    r"\b(?:soften\w*|harden\w*|shift\w*|u-turn|backed down|back down|walked back|walk back|reversal|"
    r"change of (?:course|heart|tone)|flip-flop\w*)\b",
    re.I,
)
SUPPORT = frozenset("supports support supported backs backed favors favours favored favoured endorses endorsed welcomes welcomed praised".split())
OPPOSE = frozenset("opposes oppose opposed rejects rejected criticised criticized condemned refuses refused denounced".split())
# Words beside a figure that say nothing of what it measures.
_VAGUE = frozenset("people more than least about nearly over some around almost roughly times total were was are is had have".split())
_SCALE = {"million": 1e6, "billion": 1e9, "thousand": 1e3}
_FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent|million|billion|thousand))?(?![\w])")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
NUMBER_MIN_COSINE = 0.6


def changed_facts(facts: list[Fact], cfg: BriefConfig, topic_words: set[str]) -> list[tuple[Fact, Fact, float, Difference]]:
    """The pairs to show (see the module docstring), oldest first."""
    dated = [f for f in facts if f.when and f.lead.vector is not None][:60]
    pairs: list[tuple[float, Fact, Fact, float, Difference]] = []
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            early, late = (a, b) if a.when.sort_key <= b.when.sort_key else (b, a)  # type: ignore[union-attr]
            if (late.when.start - early.when.end).days < cfg.change_min_gap_days:  # type: ignore[union-attr]
                continue
            cosine = float(early.lead.vector @ late.lead.vector)  # type: ignore[operator]
            if cosine < cfg.change_min_cosine:
                continue
            difference = name_difference(early.lead.quote, late.lead.quote, topic_words)
            if difference is None or (difference.kind == "number" and cosine < NUMBER_MIN_COSINE):
                continue
            score = cosine * math.sqrt(early.score * late.score) * (1.2 if difference.kind == "number" else 1.0)
            pairs.append((score, early, late, cosine, difference))
    pairs.sort(key=lambda p: p[0], reverse=True)
    chosen: list[tuple[Fact, Fact, float, Difference]] = []
    used: set[int] = set()
    for _, early, late, cosine, difference in pairs:
        if id(early) in used or id(late) in used:
            continue
        used.update((id(early), id(late)))
        chosen.append((early, late, cosine, difference))
        if len(chosen) >= cfg.max_changes:
            break
    return sorted(chosen, key=lambda p: p[0].when.sort_key)  # type: ignore[union-attr]


def same_thread(a: str, b: str, topic_words: set[str]) -> bool:
    """The same actors (besides the topic) or the same subject: two content stems besides the
    topic's shared, or one making 30 % of the shorter clause's ("the terminal was closed")."""
    if shared_actors(a, b, topic_words):
        return True
    sa, sb = stems(without_dates(a)) - topic_words, stems(without_dates(b)) - topic_words
    shared = len(sa & sb)
    return shared >= 2 or (shared == 1 and shared / max(min(len(sa), len(sb)), 1) >= 0.3)


def shared_actors(a: str, b: str, topic_words: set[str]) -> set[str]:
    return set((actors(a) - topic_words) & (actors(b) - topic_words))


def name_difference(before: str, after: str, topic_words: set[str] = frozenset()) -> Difference | None:  # type: ignore[assignment]
    """The difference between an earlier and a later statement of one thread (the module
    docstring's rules), or None when they are not one thread or nothing named differs."""
    a, b = main_clause(before), main_clause(after)
    if not same_thread(a, b, topic_words):
        return None
    found = _number_change(a, b) or _state_change(a, b) or _stance_change(a, b)
    if found is None:
        shift = _SHIFT.search(after)
        if shift and shared_actors(before, after, topic_words):
            return Difference("position", "position", "", shift.group(0).lower())
    return found


def figures(sentence: str) -> list[tuple[str, float, str, list[str]]]:
    """(figure as written, value, the word just after it, the three words before it) for each
    figure that is not a date or a year (stopwords left out)."""
    text = without_dates(sentence)
    out = []
    for match in _FIGURE.finditer(text):
        if re.fullmatch(r"(?:19|20)\d\d", match.group(1)):
            continue  # a year
        value = float(match.group(1).replace(",", "")) * _SCALE.get((match.group(2) or "").lower(), 1.0)
        after = [w.lower() for w in _WORD.findall(text[match.end() :])[:3]]
        percent = (match.group(2) or "").lower() in ("%", "percent")
        unit = "" if percent else next((w for w in after if w not in STOPWORDS | _VAGUE and w not in _SCALE), "")
        before = [w.lower() for w in _WORD.findall(text[: match.start()]) if w.lower() not in STOPWORDS][-3:]
        out.append((match.group(0).strip(), value, unit, before))
    return out


def _number_change(before: str, after: str) -> Difference | None:
    """A figure of the same measure (the same word after it, or the same two before it) that changed."""
    for written_a, value_a, unit_a, lead_a in figures(before):
        for written_b, value_b, unit_b, lead_b in figures(after):
            if value_a == value_b:
                continue
            if unit_a and unit_a == unit_b:
                return Difference("number", unit_a, written_a, written_b)
            shared = [w for w in lead_b if w in lead_a]
            if not unit_a and not unit_b and len(shared) >= 2:
                return Difference("number", " ".join(shared), written_a, written_b)
    return None


def _state_change(before: str, after: str) -> Difference | None:
    if _NEGATED.search(before) or _NEGATED.search(after):
        return None
    sa, sb = _states(before), _states(after)
    new = [w for w in sb if w not in sa]
    if sa and new:
        return Difference("status", "status", sa[0], new[0])
    return None


def _states(clause: str) -> list[str]:
    """The clause's words of state, in order ("Freed" capitalised is a name, not a state)."""
    found = [w.lower() for w in _WORD.findall(clause) if w.islower() and w.lower() in STATES]
    if _OPEN.search(clause):
        found.append("open")
    if _CLOSE.search(clause):
        found.append("close")
    return found


def _stance_change(before: str, after: str) -> Difference | None:
    for first, second in ((SUPPORT, OPPOSE), (OPPOSE, SUPPORT)):
        a = [w for w in _words(before) if w in first]
        b = [w for w in _words(after) if w in second]
        if a and b:
            return Difference("position", "position", a[0], b[0])
    return None


def _words(sentence: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(sentence)]
