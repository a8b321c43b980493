"""The seams a trained relevance model plugs into (assistant/relevance): chosen by name, and every
gate reads its scores through them."""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np
import pytest

from assistant.api import Assistant
from assistant.relevance import (
    RERANKERS,
    SENTENCE_SCORERS,
    HeuristicSentenceScorer,
    IdentityReranker,
    SentenceCandidate,
    Thresholds,
    make_reranker,
    make_sentence_scorer,
)
from assistant.relevance.trained import TrainedSentenceScorer
from assistant.retrieve import Retrieval
from assistant.settings import AssistantSettings
from ingest.errors import ConfigError


class FlatScorer:
    """Scores every sentence the same: the gates must then follow this scorer's thresholds."""

    name = "flat"

    def __init__(self, value: float) -> None:
        self.value = value
        self.thresholds = Thresholds(abstain_below=0.0, confident_above=10.0, keep_within=0.0)
        self.calls = 0

    def score(self, question: str, sentences: Sequence[SentenceCandidate], retrieval: Retrieval) -> np.ndarray:
        self.calls += 1
        return np.full(len(sentences), self.value)


class ReversingReranker:
    """Wants 8 candidates and puts the retriever's order upside down."""

    name = "reversing"
    depth = 8

    def rerank(self, question: str, retrieval: Retrieval) -> Retrieval:
        evidence = [replace(ev, rank=i) for i, ev in enumerate(reversed(retrieval.evidence), start=1)]
        return replace(retrieval, evidence=evidence)


def test_defaults_are_the_trained_scorer_and_the_identity(sample_settings) -> None:
    assistant = Assistant(sample_settings)
    assert isinstance(assistant.scorer, TrainedSentenceScorer) and isinstance(assistant.reranker, IdentityReranker)
    assert assistant.answerer.scorer is assistant.scorer and assistant.chain.reranker is assistant.reranker
    assert AssistantSettings.load().sentence_scorer == "trained"
    heuristic = Assistant(sample_settings, AssistantSettings.load(sentence_scorer="heuristic"))
    assert isinstance(heuristic.scorer, HeuristicSentenceScorer)


def test_an_unknown_name_is_one_clear_error(sample_settings) -> None:
    assistant = Assistant(sample_settings)
    with pytest.raises(ConfigError, match="sentence scorer 'nope': use one of heuristic"):
        make_sentence_scorer("nope", assistant.index)
    with pytest.raises(ConfigError, match="reranker 'nope': use one of identity"):
        make_reranker("nope", assistant.index, assistant.scorer)


def test_a_registered_scorer_plugs_in_by_name_and_drives_the_relevance_gate(sample_settings, monkeypatch) -> None:
    low, high = FlatScorer(-1.0), FlatScorer(1.0)
    monkeypatch.setitem(SENTENCE_SCORERS, "low", lambda index: low)
    monkeypatch.setitem(SENTENCE_SCORERS, "high", lambda index: high)
    question = "What did the UN Security Council decide about North Korea?"
    declined = Assistant(sample_settings, AssistantSettings.load(sentence_scorer="low")).ask(question)
    assert low.calls and declined.abstained and declined.abstain_reason == "low relevance"
    answered = Assistant(sample_settings, AssistantSettings.load(sentence_scorer="high")).ask(question)
    assert high.calls and not answered.abstained and answered.citations


def test_a_registered_reranker_sees_its_depth_and_orders_the_evidence(sample_settings, monkeypatch) -> None:
    monkeypatch.setitem(RERANKERS, "reversing", lambda index, scorer: ReversingReranker())
    question = "What did the UN Security Council decide about North Korea?"
    plain = Assistant(sample_settings)
    reranked = Assistant(sample_settings, AssistantSettings.load(reranker="reversing"))
    top8 = plain.retriever.retrieve(question, k=8).evidence
    turn = reranked.chain.retrieve(reranked.chain.condense(reranked.turn(question, k=3)))
    assert turn.retrieval is not None and len(turn.retrieval.evidence) == 3
    assert [ev.chunk_id for ev in turn.retrieval.evidence] == [ev.chunk_id for ev in reversed(top8)][:3]
