"""Which sentences of a question's articles answer it: the training labels.

Positives, in order of trust (measured by reading samples, see README "Labels"):
- located evidence: an article sentence holding >= 70 % of the content words of a sentence of
  the quiz's own evidence text (and >= 4 of them).  Below that, matches are mostly sentences
  about the same event that do not state the answer, so 0.5-0.7 is left unlabelled;
- answer-bearing: names the gold answer (whole words) and shares >= 2 key terms of the
  question (one when the question has <= 3).  Naming the gold with fewer shared terms is
  mostly incidental ("Texas" in a weather aside), so it is left unlabelled too;
- the quiz's evidence text itself (sentences naming the gold, or all of it when none does):
  clean, but written by the quiz, so it is only ever a positive beside article negatives.
Negatives: quotable sentences that neither name a gold answer nor match the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.text import content_words, stem
from ingest.sentences import sentence_spans
from training.data import QuizArticle, QuizQuestion, answer_pattern, clean_answer

MIN_WORDS, MAX_WORDS = 5, 80  # what the answerer quotes (assistant/extractive.sentence_candidates)
EVIDENCE_RECALL = 0.7
EVIDENCE_UNSURE = 0.5
EVIDENCE_MIN_SHARED = 4

POSITIVE, NEGATIVE, UNSURE = 1, 0, -1


@lru_cache(maxsize=200_000)
def stems_of(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in content_words(text))


@dataclass(frozen=True)
class Sentence:
    """A quotable sentence of an article, `text == article.text[start:end]`."""

    article: str
    start: int
    end: int
    text: str
    position: int  # index among the article's quotable sentences


def article_sentences(article: QuizArticle) -> list[Sentence]:
    out: list[Sentence] = []
    for lo, hi in sentence_spans(article.text):
        text = article.text[lo:hi]
        n = len(text.split())
        if MIN_WORDS <= n <= MAX_WORDS:
            out.append(Sentence(article.key, lo, hi, text, len(out)))
    return out


def key_terms(q: QuizQuestion) -> frozenset[str]:
    """The question's content stems, minus words that only come from its answer choices."""
    return stems_of(q.question) - stems_of(" ".join(clean_answer(c) for c in q.choices))


def evidence_units(evidence: str) -> list[frozenset[str]]:
    out = []
    for lo, hi in sentence_spans(evidence):
        words = stems_of(evidence[lo:hi])
        if len(words) >= 3:
            out.append(words)
    return out


def evidence_positives(q: QuizQuestion) -> list[str]:
    """Sentences of the quiz's evidence text to use as positives (they state the answer)."""
    if not q.evidence.strip():
        return []
    pattern = answer_pattern(q.answers)
    units = [q.evidence[lo:hi] for lo, hi in sentence_spans(q.evidence) if len(q.evidence[lo:hi].split()) >= 4]
    naming = [u for u in units if pattern and pattern.search(u)]
    chosen = naming or units[:2]
    return [u for u in chosen if len(u.split()) <= MAX_WORDS]


@dataclass(frozen=True)
class Labeller:
    """Labels sentences for one question; built once per question."""

    question: QuizQuestion

    def __post_init__(self) -> None:
        object.__setattr__(self, "_gold", answer_pattern(self.question.answers))
        wrong = self.question.wrong_choices
        object.__setattr__(self, "_wrong", answer_pattern(wrong) if wrong else None)
        object.__setattr__(self, "_terms", key_terms(self.question))
        object.__setattr__(self, "_evidence", evidence_units(self.question.evidence))

    @property
    def terms(self) -> frozenset[str]:
        return self._terms  # type: ignore[attr-defined]

    def names_gold(self, text: str) -> bool:
        return bool(self._gold and self._gold.search(text))  # type: ignore[attr-defined]

    def names_wrong_choice(self, text: str) -> bool:
        return bool(self._wrong and self._wrong.search(text) and not self.names_gold(text))  # type: ignore[attr-defined]

    def shared_terms(self, text: str) -> int:
        return len(self.terms & stems_of(text))

    def evidence_recall(self, text: str) -> tuple[float, int]:
        words = stems_of(text)
        best = (0.0, 0)
        for unit in self._evidence:  # type: ignore[attr-defined]
            shared = len(unit & words)
            best = max(best, (shared / len(unit), shared))
        return best

    def label(self, text: str) -> int:
        recall, shared = self.evidence_recall(text)
        if recall >= EVIDENCE_RECALL and shared >= EVIDENCE_MIN_SHARED:
            return POSITIVE
        gold = self.names_gold(text)
        if gold:
            need = 1 if len(self.terms) <= 3 else 2
            return POSITIVE if self.shared_terms(text) >= need else UNSURE
        if recall >= EVIDENCE_UNSURE:
            return UNSURE
        return NEGATIVE

    @property
    def usable(self) -> bool:
        return self._gold is not None or bool(self._evidence)  # type: ignore[attr-defined]
