"""The answer-type prior: does a sentence hold the *kind* of thing the question asks for?

The trained scorer (trained.py) ranks a lead that restates the question's topic above a later
sentence that answers it ("How many ferry workers backed the strike?": the lead says they voted
to strike, paragraph 2 says "412 of its 455 members backed the walkout").  What the lead lacks is
generic, not learned: the question's wh-form says what an answer must contain, and a sentence
that holds none of it (or only what the question already says) cannot be the answer.

- `expected_type(question)`: number (how many / how much / what percentage / how old / how long),
  date (when / what year / which day), name (who / whom / which person), place (where / which
  city or country), statement ("what did X say / announce / promise / would do"), reason (why);
  None for anything else (no prior).  Number, date, name and place come from the direct-answer
  span rules (assistant/spans.py), so one definition decides what "a number for how many" is.
- `type_match(question, sentence)`: the sentence holds a *new* token of that type (not in the
  question); for a statement, a reporting verb or quote with the speaker (or a pronoun) present;
  for a reason, a causal cue.
- `TypePrior.adjust(question, sentence)`: + w_type on a match, - w_miss when the type is known and
  absent: added to the trained logit.  The weights (per type) were chosen on the validation split's
  sentence groups and confirmed in the chain on validation (docs/benchmarks.md, issue 13).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.spans import DATE, NAME, NUMBER, PLACE, asked_words, candidate_spans, question_kind
from assistant.text import content_words

STATEMENT, REASON = "statement", "reason"

_WHY = re.compile(r"^\s*(?:and\s+)?why\b|\bfor what reason\b|\bwhat (?:is|was) the reason\b|\bwhat (?:led|caused|prompted)\b", re.I)
_REPORTING = (
    r"say|said|announce|announced|promise|promised|pledge|pledged|vow|vowed|tell|told|claim|claimed|warn|warned|"
    r"propose|proposed|suggest|suggested|plan|planned|threaten|threatened|offer|offered|urge|urged|call for|called for|"
    r"reveal|revealed|declare|declared|ask|asked|demand|demanded"
)
# "What did the mayor say she would do?", "What has Carvalho promised?", "What did X announce on Monday?"
_STATEMENT_Q = re.compile(
    rf"^\s*(?:and\s+)?what\s+(?:did|does|do|has|have|had|will|would|is|was|were|are)\s+(?P<who>.+?)\s+(?:{_REPORTING})\b"
    rf"|^\s*(?:and\s+)?what\s+(?:did|does|do|will|would)\s+(?P<who2>.+?)\s+(?:(?:say|said)\s+\w+\s+)?(?:would|will)\s+do\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(?:says?|said|announced|announces|promised|promises|pledged|vowed|told|tells|claimed|warned|proposed|"
    r"suggested|plans?|planned|threatened|offered|urged|called for|revealed|declared|added|stated|according to|"
    r"would|will|intends? to|wants? to)\b|[\"“”]",
    re.I,
)
_PRONOUNS = re.compile(r"\b(?:he|she|they|it|we|his|her|their)\b", re.I)
_REASON_CUE = re.compile(
    r"\b(?:because|due to|owing to|thanks to|as a result of|after|citing|cited|amid|over concerns?|in order to|"
    r"in a bid to|so that|so as to|to protest|in protest|blamed|reasons?|caused by|following|since|given that|"
    r"aimed at|meant to|to avoid|to prevent|to ensure|to reduce|to cut|to keep|to stop)\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_RELATIVE_DATE = re.compile(
    r"\b(?:yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month|year)|"
    r"(?:last|next) (?:week|month|year|night)|(?:\w+ )?(?:days?|weeks?|months?|years?) (?:ago|later|earlier))\b",
    re.I,
)
_SPEAKER_TITLES = frozenset({"the", "a", "an", "of", "s", "mr", "mrs", "ms", "dr"})


def expected_type(question: str) -> str | None:
    """What an answer to this question must contain, from its wh-form (None: no prior)."""
    if _WHY.search(question):
        return REASON
    if _STATEMENT_Q.search(question):
        return STATEMENT
    return question_kind(question)


def speaker_words(question: str) -> list[str]:
    """The speaker of a "what did X say" question, as lower-case words ("mayor", "carvalho")."""
    match = _STATEMENT_Q.search(question)
    if not match:
        return []
    who = match.group("who") or match.group("who2") or ""
    return [w for w in content_words(who) if w not in _SPEAKER_TITLES]


def type_match(question: str, sentence: str, kind: str | None = None) -> bool:
    """True when the sentence holds a new token of the expected type (see the module docstring)."""
    kind = kind if kind is not None else expected_type(question)
    if kind is None:
        return False
    if kind == REASON:
        return bool(_REASON_CUE.search(sentence))
    if kind == STATEMENT:
        if not _REPORTED.search(sentence):
            return False
        lowered = set(content_words(sentence))
        speaker = speaker_words(question)
        return bool(speaker and lowered & set(speaker)) or bool(_PRONOUNS.search(sentence))
    if candidate_spans(question, sentence, kind):
        return True
    if kind == DATE:
        asked = asked_words(question)
        return any(y not in asked for y in _YEAR.findall(sentence)) or bool(_RELATIVE_DATE.search(sentence))
    return False


def mentions_subject(question: str, sentence: str) -> bool:
    """The sentence shares a content word with the question (it is about the asked-for thing)."""
    return bool(set(content_words(question)) & set(content_words(sentence)))


@dataclass(frozen=True)
class TypePrior:
    """score' = logit + w_type * match - w_miss * (type known and absent), per expected type.

    Only the gap w_type + w_miss reorders a question's sentences; `miss_share` splits it into a
    penalty on a miss and a bonus on a match, which moves the scale the relevance gate reads.
    Gaps chosen on the validation split's sentence groups (benchmarks/answer_type_groups.py):
    number +17 points top-1 at a gap of 3 (69 groups; the feature marks 91 % of answering
    sentences, 41 % of the others), date flat (17 groups; as discriminating as numbers: 88 % vs
    31 %), place best at 0.5 and worse from 1.5 (220 groups: 54 % vs 30 %), name flat at 0.5
    (89 groups: 90 % vs 77 % -- most news sentences bring a new name); statement and reason have
    too few groups (3 and 7) to decide and get the best uniform gap over all groups, 0.5.
    """

    gaps: tuple[tuple[str, float], ...] = (
        (NUMBER, 3.0), (DATE, 3.0), (PLACE, 0.5), (NAME, 0.5), (STATEMENT, 0.5), (REASON, 0.5),
    )
    miss_share: float = 0.5

    def weights(self, kind: str | None) -> tuple[float, float]:
        """(w_type, w_miss) for a question of this expected type ((0, 0) when unknown)."""
        gap = dict(self.gaps).get(kind, 0.0) if kind else 0.0
        return gap * (1.0 - self.miss_share), gap * self.miss_share

    def adjust(self, question: str, sentence: str, kind: str | None = None) -> float:
        """Logits to add to the sentence's trained score."""
        kind = kind if kind is not None else expected_type(question)
        w_type, w_miss = self.weights(kind)
        if not (w_type or w_miss):
            return 0.0
        return w_type if type_match(question, sentence, kind) else -w_miss


__all__ = ["DATE", "NAME", "NUMBER", "PLACE", "REASON", "STATEMENT", "TypePrior", "expected_type", "mentions_subject",
           "speaker_words", "type_match"]
