"""Relevance: the seams a trained model plugs into, and today's heuristic implementations.

    from assistant.relevance import SentenceScorer, PassageReranker, SentenceCandidate, Thresholds
    from assistant.relevance import HeuristicSentenceScorer, IdentityReranker
    from assistant.relevance import SENTENCE_SCORERS, RERANKERS, make_sentence_scorer, make_reranker

See protocols.py for the contracts and registry.py for plugging a model in by name.
"""

from assistant.relevance.heuristic import HeuristicConfig, HeuristicSentenceScorer, IdentityReranker, split_carried_topic
from assistant.relevance.protocols import PassageReranker, SentenceCandidate, SentenceScorer, Thresholds
from assistant.relevance.registry import RERANKERS, SENTENCE_SCORERS, make_reranker, make_sentence_scorer

__all__ = [
    "HeuristicConfig", "HeuristicSentenceScorer", "IdentityReranker", "PassageReranker", "RERANKERS",
    "SENTENCE_SCORERS", "SentenceCandidate", "SentenceScorer", "Thresholds", "make_reranker", "make_sentence_scorer",
    "split_carried_topic",
]
