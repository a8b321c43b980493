"""What a relevance model must implement to drive newsdesk's answers: the two seams.

- `SentenceScorer`: how well each quotable sentence of the evidence answers the question.  Its
  scores pick the quoted sentences, and its `thresholds` drive the gates: abstain when the best
  sentence scores below `abstain_below`; lead with a short direct answer only when the chosen
  sentence scores at least `confident_above`.  Thresholds belong to the scorer because each
  scorer has its own scale (the heuristic's is ~0..1.5; a trained model's are logits).
- `PassageReranker`: reorders the retriever's candidates before the answerer reads the top ones;
  it asks for `depth` candidates (0: keep the retriever's order and fetch nothing extra).

Today's implementations (assistant/relevance/heuristic.py) are the heuristic sentence score the
extractive answerer has always used (MiniLM cosine + IDF overlap + small nudges) and the
identity reranker.  A trained model plugs in by name (assistant/relevance/registry.py,
NEWSDESK_SENTENCE_SCORER / NEWSDESK_RERANKER); nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, Sequence

import numpy as np

if TYPE_CHECKING:
    from assistant.retrieve import Evidence, Retrieval


@dataclass(frozen=True)
class SentenceCandidate:
    """One quotable sentence of a retrieved passage: `article.text[start:end] == text`."""

    evidence: "Evidence"
    start: int
    end: int
    text: str
    lead_in: str = ""  # a dateline cut off the quote ("PORT HALVARD — "): context for scoring, not quoted

    @property
    def title(self) -> str:
        return self.evidence.title

    @property
    def in_context(self) -> str:
        """The sentence as the article prints it, dateline included: what a scorer should read."""
        return self.lead_in + self.text


@dataclass(frozen=True)
class Thresholds:
    """A scorer's calibrated decision points, on its own scale (see docs/benchmarks.md)."""

    abstain_below: float  # best sentence under this: "nothing in the archive answers this"
    confident_above: float  # chosen sentence at least this: a short direct answer may lead
    keep_within: float  # further sentences are quoted only when they score within this of the best
    confident_margin: float = 0.0  # ... and a direct answer also needs the chosen sentence this far ahead of the next


class SentenceScorer(Protocol):
    """Scores sentences for a question; higher = more answering.

    `score` returns one float per sentence; NaN marks a sentence the scorer chose not to score
    (the heuristic embeds only a short-list, for latency) and such sentences are never quoted.
    `retrieval` gives what a scorer may reuse: the question's vector, its terms, the period.
    A trained scorer wrapping `model.score(question, [(sentence, title), ...])` ignores it.
    """

    name: str
    thresholds: Thresholds

    def score(self, question: str, sentences: Sequence[SentenceCandidate], retrieval: "Retrieval") -> np.ndarray: ...


class PassageReranker(Protocol):
    """Reorders retrieved passages; returns a Retrieval whose `evidence` is re-ranked (rank 1..n)."""

    name: str
    depth: int  # how many of the retriever's candidates it wants to see (0: none extra)

    def rerank(self, question: str, retrieval: "Retrieval") -> "Retrieval": ...
