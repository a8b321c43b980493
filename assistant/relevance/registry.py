"""Relevance models by name: which sentence scorer and passage reranker the assistant uses.

AssistantSettings.sentence_scorer / .reranker (NEWSDESK_SENTENCE_SCORER, NEWSDESK_RERANKER) name
them; `make_sentence_scorer` / `make_reranker` build them once per Assistant.  A trained model
registers a factory here, loading its weights from the package (models/, or the folder named by
NEWSDESK_RELEVANCE_MODEL); the answerer, the gates and the chain never branch on which one runs.

Defaults: the "trained" sentence scorer (it won on validation, docs/benchmarks.md issue 13) and
the "identity" reranker (reranking passages by the trained scorer did not win beyond noise).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from assistant.relevance.heuristic import HeuristicSentenceScorer, IdentityReranker
from assistant.relevance.protocols import PassageReranker, SentenceScorer
from assistant.relevance.trained import DEFAULT_MODEL, TrainedConfig, TrainedReranker, TrainedSentenceScorer, models_dir
from ingest.errors import ConfigError
from ingest.index import Index

DEFAULT_SCORER, DEFAULT_RERANKER = "trained", "identity"


def relevance_model_folder() -> Path:
    """The trained model's folder the assistant loads: NEWSDESK_RELEVANCE_MODEL, else the shipped one
    (calibrate_gates.py --write writes that folder's thresholds.json, so both must agree)."""
    folder = os.environ.get("NEWSDESK_RELEVANCE_MODEL")
    return (Path(folder) if folder else models_dir() / DEFAULT_MODEL).resolve()


def _trained_scorer(index: Index, config: TrainedConfig | None = None) -> SentenceScorer:
    return TrainedSentenceScorer.load(relevance_model_folder(), config)


def _trained_reranker(index: Index, scorer: SentenceScorer) -> PassageReranker:
    return TrainedReranker(scorer if isinstance(scorer, TrainedSentenceScorer) else _trained_scorer(index))  # type: ignore[arg-type]


SENTENCE_SCORERS: dict[str, Callable[[Index], SentenceScorer]] = {
    "heuristic": lambda index: HeuristicSentenceScorer(index.embedder),
    "trained": _trained_scorer,
    # The model's logit alone, without the answer-type prior (the ablation's switch).
    "trained-plain": lambda index: _trained_scorer(index, TrainedConfig(type_prior=None)),
}
RERANKERS: dict[str, Callable[[Index, SentenceScorer], PassageReranker]] = {
    "identity": lambda index, scorer: IdentityReranker(),
    "trained": _trained_reranker,
}


def make_sentence_scorer(name: str, index: Index) -> SentenceScorer:
    factory = SENTENCE_SCORERS.get(name)
    if factory is None:
        raise ConfigError(f"sentence scorer {name!r}: use one of {', '.join(sorted(SENTENCE_SCORERS))}")
    return factory(index)


def make_reranker(name: str, index: Index, scorer: SentenceScorer) -> PassageReranker:
    factory = RERANKERS.get(name)
    if factory is None:
        raise ConfigError(f"reranker {name!r}: use one of {', '.join(sorted(RERANKERS))}")
    return factory(index, scorer)
