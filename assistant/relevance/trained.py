"""The trained relevance model behind the seams: TrainedSentenceScorer (the default) and TrainedReranker.

The model (assistant/relevance/model.py) is a 6-layer MiniLM cross-encoder trained on real news
quiz questions (`newsdesk train relevance`, models/README.md) to put the sentence that *answers*
above sentences that are merely on topic.  It reads "title | sentence" (dateline included) with
the user's own question and gives a logit; its thresholds are on that scale and were calibrated
on the validation split (benchmarks/calibrate_gates.py), never on the dev set.

Why a lexical prefilter: one pair costs ~6.5 ms on one core in bf16, and the passages an answer
reads hold 10-70 quotable sentences.  Only the `prefilter` (24) sentences with the best
IDF-weighted word overlap with the question (plus a small bonus for the passage's rank) are
scored; the rest are NaN (never quoted).  On validation a prefilter of 24-32 lost nothing
against scoring every sentence of the top 10 passages (research log, models/README.md).
Scores of the current question are cached, so the reranker and the answerer never score a
sentence twice.

The model leans towards a lead that restates the question's topic; the answer-type prior
(answertype.py: a number for "how many", a date for "when" ...) is added to its logit by default
("trained-plain" in the registry is the logit alone; weights chosen on validation).
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from assistant.relevance.answertype import TypePrior, expected_type
from assistant.relevance.heuristic import novelty, question_terms, split_carried_topic
from assistant.relevance.model import ModelFileError, RelevanceModel
from assistant.relevance.pairs import PairScorer
from assistant.relevance.protocols import SentenceCandidate, Thresholds
from assistant.retrieve import Retrieval
from assistant.text import overlap_scores


def models_dir() -> Path:
    """Shipped weights: assistant/models in an installed wheel, the top-level models/ in a checkout."""
    package = Path(__file__).resolve().parents[1]
    shipped = package / "models"
    return shipped if shipped.is_dir() else package.parent / "models"


DEFAULT_MODEL = "relevance"  # models/relevance: model.safetensors + model.json (+ metrics.json)


@dataclass(frozen=True)
class TrainedConfig:
    """How the trained scorer is used, and its thresholds (logits; calibrated on validation)."""

    prefilter: int = 24  # sentences scored per question: the latency budget (~6.5 ms each, one core)
    rank_weight: float = 0.03  # prefilter only: a sentence of a better-ranked passage goes first on ties
    # Logits added when a sentence brings what the question asks for and lacks (a number for "how
    # many", a new name for "who": heuristic.novelty).  The model leans towards leads that restate
    # the question's topic; validation decides whether this nudge helps (docs/benchmarks.md).
    novelty_weight: float = 0.0
    # The answer-type prior (answertype.py): logits added when a sentence holds a new token of the
    # kind the question asks for (a number for "how many", a date for "when", ...), taken away when
    # it has none.  Chosen on validation (docs/benchmarks.md); None = the model's logit alone.
    type_prior: TypePrior | None = TypePrior()
    # Calibrated on the validation split (benchmarks/calibrate_gates.py --scorer trained; docs/
    # benchmarks.md issue 13): the highest logit that withholds at most 7.7 % (10 % less one
    # standard error) of the answers whose gold is in the top 2 passages, coverage gate on.
    # A model folder's thresholds.json (calibrated(), written by calibrate_gates.py --write) wins.
    abstain_below: float = -2.25
    # No setting made its short answers right 80 % of the time on validation (at best 75 % on 8):
    # like the heuristic, it never leads with one.
    confident_above: float = math.inf
    confident_margin: float = 0.0
    keep_within: float = 4.0  # further quoted sentences score within this many logits of the best


THRESHOLDS_FILE = "thresholds.json"  # a model folder's own calibrated threshold (benchmarks/calibrate_gates.py --write)


def calibrated(directory: Path, config: TrainedConfig) -> TrainedConfig:
    """`config` with the abstention threshold calibrated for the model in `directory`, if it has one.

    Why in the folder: a logit scale belongs to one checkpoint, so its threshold travels with its
    weights (a retrained model brings its own, and NEWSDESK_RELEVANCE_MODEL=<folder> is judged at
    its own threshold).  A caller that set `abstain_below` itself keeps it."""
    path = directory / THRESHOLDS_FILE
    if config.abstain_below != TrainedConfig.abstain_below or not path.is_file():
        return config
    try:
        value = float(json.loads(path.read_text(encoding="utf-8"))["abstain_below"])
        if not math.isfinite(value):
            raise ValueError(value)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise ModelFileError(f"{path}: not a thresholds file (it needs a finite number 'abstain_below')") from None
    return replace(config, abstain_below=value)


@lru_cache(maxsize=4)
def load_pair_scorer(directory: Path) -> PairScorer:
    """One loaded model per folder per process (an Assistant per request must not reload it)."""
    return PairScorer(RelevanceModel.load(directory))


class TrainedSentenceScorer:
    """SentenceScorer "trained": the cross-encoder's logit for the best `prefilter` sentences."""

    name = "trained"

    def __init__(self, pairs: PairScorer, config: TrainedConfig | None = None) -> None:
        self.pairs = pairs
        self.config = config or TrainedConfig()
        self._lock = threading.Lock()
        self._cached: tuple[str, dict[tuple[str, str], float]] = ("", {})
        self.pairs_scored = 0  # pairs the model has run on (the benchmarks report it per question)

    @classmethod
    def load(cls, directory: Path | None = None, config: TrainedConfig | None = None) -> "TrainedSentenceScorer":
        folder = (directory or models_dir() / DEFAULT_MODEL).resolve()
        return cls(load_pair_scorer(folder), calibrated(folder, config or TrainedConfig()))

    @property
    def thresholds(self) -> Thresholds:
        cfg = self.config
        return Thresholds(cfg.abstain_below, cfg.confident_above, cfg.keep_within, cfg.confident_margin)

    def shortlist(self, question: str, sentences: Sequence[SentenceCandidate], retrieval: Retrieval, size: int) -> list[int]:
        """Indices of the `size` sentences sharing the most (IDF-weighted) question words."""
        lexical = overlap_scores(question_terms(question, retrieval), [s.in_context for s in sentences])
        keyed = [lexical[i] + self.config.rank_weight / s.evidence.rank for i, s in enumerate(sentences)]
        return sorted(range(len(sentences)), key=lambda i: -keyed[i])[:size]

    def score(self, question: str, sentences: Sequence[SentenceCandidate], retrieval: Retrieval) -> np.ndarray:
        return self.score_some(question, sentences, retrieval, self.config.prefilter)

    def score_some(self, question: str, sentences: Sequence[SentenceCandidate], retrieval: Retrieval, size: int) -> np.ndarray:
        scores = np.full(len(sentences), np.nan, dtype=np.float64)
        if not sentences:
            return scores
        own, _ = split_carried_topic(question)
        chosen = self.shortlist(question, sentences, retrieval, size)
        items = [(sentences[i].in_context, sentences[i].title) for i in chosen]
        with self._lock:
            cached_for, cache = self._cached
            if cached_for != own:
                cache = {}
            todo = sorted({item for item in items if item not in cache})
            if todo:
                cache.update(zip(todo, (float(x) for x in self.pairs.score(own, todo))))
                self.pairs_scored += len(todo)
            self._cached = (own, cache)
        cfg = self.config
        kind = expected_type(own) if cfg.type_prior else None
        for i, item in zip(chosen, items):
            text = sentences[i].text
            scores[i] = cache[item] + (cfg.novelty_weight * novelty(own, text) if cfg.novelty_weight else 0.0)
            if cfg.type_prior and kind:
                scores[i] += cfg.type_prior.adjust(own, text, kind)
        return scores


@dataclass(frozen=True)
class RerankConfig:
    depth: int = 10  # fused candidates reordered (research: deeper lost, the scorer cannot see time)
    prefilter: int = 32  # sentences scored across them
    rank_mix: float = 0.3  # passage score = best sentence logit + rank_mix * 10 / fused rank


class TrainedReranker:
    """PassageReranker "trained": the top `depth` passages by their best sentence's logit, mixed with the fused rank."""

    name = "trained"

    def __init__(self, scorer: TrainedSentenceScorer, config: RerankConfig | None = None) -> None:
        self.scorer = scorer
        self.config = config or RerankConfig()
        self.depth = self.config.depth

    def rerank(self, question: str, retrieval: Retrieval) -> Retrieval:
        from assistant.extractive import sentence_candidates  # the answerer's own sentence split

        cfg = self.config
        pool, rest = retrieval.evidence[: cfg.depth], retrieval.evidence[cfg.depth :]
        sentences = sentence_candidates(pool, retrieval)
        scores = self.scorer.score_some(question, sentences, retrieval, cfg.prefilter)
        best = {ev.chunk_id: -math.inf for ev in pool}
        for s, value in zip(sentences, scores):
            if not np.isnan(value):
                best[s.evidence.chunk_id] = max(best[s.evidence.chunk_id], float(value))
        keyed = [best[ev.chunk_id] + cfg.rank_mix * 10.0 / ev.rank for ev in pool]
        order = sorted(range(len(pool)), key=lambda i: -keyed[i])
        evidence = [replace(ev, rank=r) for r, ev in enumerate([pool[i] for i in order] + rest, start=1)]
        return replace(retrieval, evidence=evidence)
