"""Reading groups: template questions whose answer sits past the lead, made from the training articles.

Why: the quiz asks mostly about a story's main event, so a scorer trained on it alone learns
that the lead which restates the topic answers (models/README.md: it put "412 of its 455
members" 2.9 logits under the ferry lead).  Readers also ask about details further down — a
count, who holds a role, what someone said, why, when — and for those the answering sentence
shares the question's *focus* words (the counted noun, the speaker, the clause), while the lead
shares only the title's topic.  These groups teach exactly that contrast:
- the positive is one sentence past the lead; the question is built from it with its answer
  removed (a number -> "How many <noun> ...", a name -> "Who ...", a speaker -> "What did <X>
  say ...", a cause -> "Why ...", a date -> "When ..."), plus a topic word of the title, as
  real questions name their story;
- the negatives are the same article's other sentences: the lead first, then sentences that hold
  an answer of the same type (another number, another name), then the rest.
Questions are ungrammatical at times ("How many recommendations report makes Greyfell?"); the
scorer only has to learn which words matter.  Only training-week articles make training groups;
the validation weeks' articles make the synthetic validation groups (reported separately, never
used to choose the checkpoint: that stays the real quiz questions' MRR).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable

from assistant.spans import DATE, NAME, NUMBER, candidate_spans
from assistant.text import content_words
from training.groups import GROUP_NEGATIVES, Group, SentenceBank, Text
from training.labels import Sentence, stems_of

STATEMENT, REASON = "statement", "reason"
KINDS = (NUMBER, NAME, STATEMENT, REASON, DATE)
MIN_NEGATIVES = 4
CONTEXT_WORDS = 6  # at most this many of the sentence's own words go into the question

_REPORTING = re.compile(
    r"(?P<who>(?:[A-Z][\w.'’-]+ ){0,3}[A-Z][\w.'’-]+),?(?: [a-z]+){0,6}?,? (?P<verb>said|says|told|announced|promised|"
    r"warned|pledged|vowed|argued|insisted)\b(?: that)? (?P<what>.{12,})"
)
_CAUSE = re.compile(r"\b(?:because(?: of)?|due to|owing to|after|citing|in order to|to avoid|to prevent|so that|as a result of)\b")
_BOILERPLATE = re.compile(r"\b(?:privacy policy|cookies?|subscribe|newsletter|sign up|contributing:|click here|all rights reserved|follow (?:along|us))\b", re.I)
_TITLED = re.compile(r"^(?:Mr|Mrs|Ms|Dr|The|A|An|But|And|In|On|At|It|He|She|They|We|This|That)\.?$")


@dataclass(frozen=True)
class Made:
    """A template question, the answer text it was made from (a span, or a clause), its kind."""

    question: str
    kind: str
    answer: str


def _context(words: list[str], rng: random.Random, limit: int = CONTEXT_WORDS) -> list[str]:
    """Some of the sentence's own content words, in order (a real question paraphrases a few)."""
    kept = [w for w in words if rng.random() > 0.3] or words
    if len(kept) > limit:
        lo = rng.randrange(len(kept) - limit + 1)
        kept = kept[lo : lo + limit]
    return kept


def _topic(title: str, used: Iterable[str], rng: random.Random) -> list[str]:
    """One or two title words the question does not already hold: the story it is about."""
    have = {w.lower() for w in used}
    words = [w for w in content_words(title) if w.lower() not in have and len(w) > 3]
    if not words or rng.random() < 0.25:
        return []
    return rng.sample(words, min(len(words), rng.choice((1, 2))))


def _outside(sentence: str, start: int, end: int) -> list[str]:
    return content_words(sentence[:start] + " " + sentence[end:])


def make_question(sentence: str, title: str, kind: str, rng: random.Random) -> Made | None:
    """A question of `kind` answered by `sentence`, or None when the sentence has no such answer.

    Every kind but the statement is "<wh-phrase> <some of the sentence's other words> <title
    words>"; a span's question needs 2 of the sentence's words, a cause's (the words before it,
    at least 3) is asked with whatever the sampling kept."""
    least = 2
    if kind == NUMBER:
        spans = [s for s in candidate_spans("", sentence, NUMBER) if re.search(r"[a-z]{3,}$", s.text)]
        if not spans:
            return None
        span = rng.choice(spans)
        noun = span.text.split()[-1]
        if noun in {"percent", "million", "billion", "thousand", "hundred", "trillion"}:
            lead = "What percentage" if noun == "percent" else "How much"
        else:
            lead = f"How many {noun}"
        words = [w for w in _outside(sentence, span.start, span.end) if w.lower() != noun.lower()]
        answer = span.text
    elif kind in (NAME, DATE):
        spans = [s for s in candidate_spans("", sentence, kind) if kind == DATE or (" " in s.text and not _TITLED.match(s.text.split()[0]))]
        if not spans:
            return None
        span = rng.choice(spans)
        lead = "Who" if kind == NAME else "When"
        words, answer = _outside(sentence, span.start, span.end), span.text
    elif kind == STATEMENT:
        m = _REPORTING.search(sentence)
        if not m or _TITLED.match(m.group("who").split()[0]) and " " not in m.group("who"):
            return None
        verb = {"says": "say", "said": "say", "told": "tell"}.get(m.group("verb"), m.group("verb")[:-1] if m.group("verb").endswith("ed") else m.group("verb"))
        who = m.group("who")
        question = f"What did {who} {verb}" + "".join(f" {w}" for w in _topic(title, who.split(), rng)) + "?"
        return Made(question, kind, m.group("what"))
    elif kind == REASON:
        m = _CAUSE.search(sentence)
        words = content_words(sentence[: m.start()]) if m else []
        if not m or len(words) < 3:
            return None
        lead, answer, least = "Why", sentence[m.start() :], 0
    else:
        return None
    context = _context(words, rng)
    if len(context) < least:
        return None
    return Made(" ".join([lead, *context, *_topic(title, context, rng)]) + "?", kind, answer)


def _holds_answer(text: str, made: Made) -> bool:
    if made.kind in (NUMBER, NAME, DATE):
        return made.answer.lower() in text.lower()
    answer = stems_of(made.answer)
    return bool(answer) and len(answer & stems_of(text)) >= 0.6 * len(answer)


def _same_kind(text: str, kind: str) -> bool:
    if kind in (NUMBER, NAME, DATE):
        return bool(candidate_spans("", text, kind))
    return bool(_REPORTING.search(text) if kind == STATEMENT else _CAUSE.search(text))


def article_group(key: str, bank: SentenceBank, rng: random.Random, qid: str, first: str = NUMBER) -> Group | None:
    """One reading group from an article: a question on a sentence past the lead, or None.

    `first` is the kind tried first, so the kinds stay balanced (names are in most sentences)."""
    sentences = bank.of(key)
    if len(sentences) < MIN_NEGATIVES + 2:
        return None
    title = bank.title(key)
    later = sentences[1:]
    rng.shuffle(later)
    kinds = [k for k in KINDS if k != first]
    rng.shuffle(kinds)
    for kind in [first, *kinds]:
        for s in later[:8]:
            if _BOILERPLATE.search(s.text):
                continue
            made = make_question(s.text, title, kind, rng)
            if made is None:
                continue
            negatives = _negatives(sentences, s, made, rng)
            if len(negatives) < MIN_NEGATIVES:
                continue
            text = bank.text(s.text, key, s.position)
            return Group(qid, made.question, text, tuple(bank.text(n.text, key, n.position) for n in negatives), True)
    return None


def _negatives(sentences: list[Sentence], positive: Sentence, made: Made, rng: random.Random) -> list[Sentence]:
    """The lead first, then sentences holding an answer of the same kind, then any other."""
    others = [s for s in sentences if s is not positive and not _holds_answer(s.text, made)]
    leads = [s for s in others if s.position <= 1]
    rest = [s for s in others if s.position > 1]
    rng.shuffle(rest)
    rest.sort(key=lambda s: not _same_kind(s.text, made.kind))
    return (leads + rest)[:GROUP_NEGATIVES]


def reading_groups(
    keys: Iterable[str], bank: SentenceBank, count: int, seed: int, prefix: str = "synthetic", log: Callable[[str], None] | None = None
) -> list[Group]:
    """Up to `count` groups, one per article, from a seeded shuffle of `keys`."""
    rng = random.Random(seed)
    pool = sorted(set(keys))
    rng.shuffle(pool)
    out: list[Group] = []
    for key in pool:
        if len(out) >= count:
            break
        group = article_group(key, bank, rng, f"{prefix}-{key}", KINDS[len(out) % len(KINDS)])
        if group is not None:
            out.append(group)
    if log:
        kinds = dict(Counter(g.question.split()[0] for g in out))
        log(f"reading groups ({prefix}): {len(out)} from {len(pool)} articles; by first word {kinds}")
    return out
