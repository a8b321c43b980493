"""What changed: two statements of one thread, at different dates, whose facts differ, with the
difference named.

A pair is shown only when all of these hold:

- **one thread**: the later event is dated after the earlier one (by `change_min_gap_days`), the
  two sentences are close in meaning (MiniLM cosine >= `change_min_cosine`), and they share an
  actor besides the topic (a capitalised name: "Hamlin", "Security Council") or at least two
  content stems besides the topic's words ("death toll", "rescue teams");
- **a named difference**, one of
  - a **number** on the same measure: a figure whose neighbouring words (three before, two after)
    share a word with the other's, with another value: "killed: 120 → 151";
  - a **status**: each side has a word of state (critical, stable, released, arrested, charged,
    approved, banned, open, closed, ...) and the later has one the earlier lacks:
    "status: critical → released";
  - a **position**: one side supports (supports, backs, favours, ...) and the other opposes
    (opposes, rejects, criticised, ...): "position: opposed → backs".

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
from assistant.briefing.views import stems
from assistant.briefing.model import BriefConfig, Difference
from assistant.text import STOPWORDS

# States of a person, a body or a thing (not events: "launched", "approved" report what happened).
STATES = frozenset(
    """critical stable serious improving recovering released discharged hospitalized hospitalised dead alive
    missing found rescued recovered arrested detained charged indicted convicted acquitted sentenced jailed freed
    resigned ousted suspended reinstated elected defeated reopened reopen closed close closure open shut banned lifted
    retired bankrupt insolvent""".split()
)
# A later report that itself names a change of line.
_SHIFT = re.compile(
    r"\b(?:soften\w*|harden\w*|shift\w*|revers\w*|u-turn|no longer|backed down|back down|toughen\w*|relax\w*|"
    r"change of (?:course|heart|tone)|reversal|turnaround)\b",
    re.I,
)
SUPPORT = frozenset("supports support supported backs backed favors favours favored favoured endorses endorsed welcomes welcomed praised".split())
OPPOSE = frozenset("opposes oppose opposed rejects rejected criticised criticized condemned refuses refused denounced".split())
# Words beside a figure that say nothing of what it measures.
_VAGUE = frozenset("people more than least about nearly over some around almost roughly times total".split())
_FIGURE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(%|percent|million|billion|thousand))?(?![\w])")
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


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
            if cosine < cfg.change_min_cosine or not same_thread(early.lead.quote, late.lead.quote, topic_words):
                continue
            difference = name_difference(early.lead.quote, late.lead.quote)
            if difference is None:
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
    """The same actors (besides the topic) or the same subject (two content stems besides it)."""
    if (actors(a) - topic_words) & (actors(b) - topic_words):
        return True
    return len((stems(without_dates(a)) - topic_words) & (stems(without_dates(b)) - topic_words)) >= 2


def name_difference(before: str, after: str) -> Difference | None:
    """The difference between an earlier and a later statement: a figure, a state or a stance,
    each read in the sentences' main clauses (what they report, not their asides)."""
    shift = _SHIFT.search(after)
    before, after = main_clause(before), main_clause(after)
    found = _number_change(before, after) or _state_change(before, after) or _stance_change(before, after)
    if found is None and shift:
        return Difference("position", "position", "", shift.group(0).lower())
    return found


def figures(sentence: str) -> list[tuple[str, float, list[str]]]:
    """(figure as written, value, neighbouring content words) for each figure that is not a date."""
    text = without_dates(sentence)
    out = []
    for match in _FIGURE.finditer(text):
        written = match.group(0).strip()
        value = float(match.group(1).replace(",", ""))
        if re.fullmatch(r"(?:19|20)\d\d", match.group(1)):
            continue  # a year
        scale = {"million": 1e6, "billion": 1e9, "thousand": 1e3}.get((match.group(2) or "").lower(), 1.0)
        before = _WORD.findall(text[: match.start()])[-3:]
        after = _WORD.findall(text[match.end() :])[:3]
        near = [w.lower() for w in [*after, *before] if w.lower() not in STOPWORDS | _VAGUE and len(w) > 2]
        out.append((written, value * scale, near))
    return out


def _number_change(before: str, after: str) -> Difference | None:
    """A figure measuring the same thing: a word beside it (the very same word) in both."""
    for written_a, value_a, near_a in figures(before):
        for written_b, value_b, near_b in figures(after):
            shared = [w for w in near_b if w in near_a]
            if shared and value_a != value_b:
                return Difference("number", shared[0], written_a, written_b)
    return None


def _state_change(before: str, after: str) -> Difference | None:
    sa = [w for w in _words(before, lower_only=True) if w in STATES]
    sb = [w for w in _words(after, lower_only=True) if w in STATES]
    new = [w for w in sb if w not in sa]
    if sa and new:
        return Difference("status", "status", sa[0], new[0])
    return None


def _stance_change(before: str, after: str) -> Difference | None:
    for first, second in ((SUPPORT, OPPOSE), (OPPOSE, SUPPORT)):
        a = [w for w in _words(before) if w in first]
        b = [w for w in _words(after) if w in second]
        if a and b:
            return Difference("position", "position", a[0], b[0])
    return None


def _words(sentence: str, lower_only: bool = False) -> list[str]:
    """The sentence's words in lower case; `lower_only`: only those written in lower case (a
    capitalised "Freed" is a name, not a state)."""
    return [w.lower() for w in _WORD.findall(sentence) if not lower_only or w.islower()]
