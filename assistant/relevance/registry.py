"""Relevance models by name: which sentence scorer and passage reranker the assistant uses.

AssistantSettings.sentence_scorer / .reranker (NEWSDESK_SENTENCE_SCORER, NEWSDESK_RERANKER) name
them; `make_sentence_scorer` / `make_reranker` build them once per Assistant.  A trained model
registers a factory here (`SENTENCE_SCORERS["trained"] = lambda index: ...`), loading its
weights from the package; the answerer, the gates and the chain never branch on which one runs.
"""

from __future__ import annotations

from typing import Callable

from assistant.relevance.heuristic import HeuristicSentenceScorer, IdentityReranker
from assistant.relevance.protocols import PassageReranker, SentenceScorer
from ingest.errors import ConfigError
from ingest.index import Index

SENTENCE_SCORERS: dict[str, Callable[[Index], SentenceScorer]] = {
    "heuristic": lambda index: HeuristicSentenceScorer(index.embedder),
}
RERANKERS: dict[str, Callable[[Index, SentenceScorer], PassageReranker]] = {
    "identity": lambda index, scorer: IdentityReranker(),
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
