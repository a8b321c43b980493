"""Backends "openai" and "local": a language model writes the answer, our code keeps it honest.

Per question: score the evidence sentences exactly as the extractive backend does and abstain
*before* calling the model when nothing scores (small models never refuse); show the model the
3-4 passages holding the best sentences, fenced as untrusted quoted material; stream its text;
then verify every sentence against the passages (assistant/llm/verify.py).  The verified Answer
cites verbatim quotes; when nothing verifies it has no citations and the chain quotes instead.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Iterator, Sequence

import numpy as np

from assistant.answer import Answer
from assistant.condense import Message, is_follow_up, message_text, standalone
from assistant.coverage import ArchiveWords
from assistant.extractive import Candidate, ExtractiveAnswerer, ExtractiveConfig, abstention
from assistant.relevance.heuristic import HeuristicSentenceScorer
from assistant.relevance.protocols import SentenceScorer
from assistant.llm.client import Generation, LLMClient
from assistant.llm.generated import drop_cut_off
from assistant.llm.prompts import format_passages, load_prompt
from assistant.llm.verify import Passage, VerifyConfig, verified_answer
from assistant.retrieve import Evidence, Retrieval
from assistant.text import content_words, stem
from ingest.embedder import Embedder
from ingest.errors import NewsdeskError


@dataclass(frozen=True)
class LLMConfig:
    # Retrieved passages whose sentences are scored (abstention and passage choice); the same
    # knob as ExtractiveConfig.passages, so `newsdesk eval --k` sets it for every backend.
    passages: int = 5
    min_passages: int = 3
    max_passages: int = 4  # ~150 words each: the prompt stays near 1,000 tokens
    # Passages whose best sentence scores this close to the best one, as a share of the scorer's
    # own `keep_within` (scales differ: 0.75 x 0.2 = 0.15 for the heuristic, 3 logits for the trained scorer).
    spread: float = 0.75
    history_messages: int = 4  # conversation shown to the condense prompt
    condense_max_tokens: int = 60
    verify: VerifyConfig = field(default_factory=VerifyConfig)


class _MemoEmbedder:
    """The shared embedder, remembering vectors within one answer (ranking and verifying
    embed many of the same sentences)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.name = embedder.name
        self.vectors: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str], progress: object = None) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            for text, vector in zip(missing, self.embedder.encode(missing)):
                self.vectors[text] = vector
        if not texts:
            return self.embedder.encode([])
        return np.stack([self.vectors[t] for t in texts])


class LLMAnswerer:
    """Implements the answerer interface (answer / stream) plus `condense` for follow-ups."""

    def __init__(
        self,
        name: str,
        client: LLMClient,
        embedder: Embedder,
        config: LLMConfig | None = None,
        scorer: SentenceScorer | None = None,
        archive: ArchiveWords | None = None,
    ) -> None:
        self.name = name
        self.client = client
        self.embedder = embedder
        self.config = config or LLMConfig()
        self.scorer = scorer  # None: the heuristic, sharing this answer's sentence vectors
        self.archive = archive

    # -- passages ---------------------------------------------------------------------------
    def passages_for(self, ranked: list[Candidate], retrieval: Retrieval, keep_within: float = 0.2) -> list[Passage]:
        """The passages holding the best sentences: those within `spread` x `keep_within` (the
        scorer's scale) of the best score, 3-4."""
        cfg = self.config
        best: dict[str, tuple[float, Evidence]] = {}
        for c in ranked:  # best first, so the first score seen per passage is its best
            best.setdefault(c.evidence.chunk_id, (c.score, c.evidence))
        order = [ev for _, ev in best.values()]
        top = ranked[0].score if ranked else 0.0
        chosen = [ev for score, ev in best.values() if score >= top - cfg.spread * keep_within][: cfg.max_passages]
        for ev in order + list(retrieval.evidence):
            if len(chosen) >= cfg.min_passages:
                break
            if ev.chunk_id not in {e.chunk_id for e in chosen}:
                chosen.append(ev)
        return [Passage(n, ev) for n, ev in enumerate(chosen, start=1)]

    def messages(self, question: str, passages: Sequence[Passage]) -> list[tuple[str, str]]:
        return load_prompt("answer").render(
            question=question.strip(), passages=format_passages([(p.n, p.evidence) for p in passages])
        )

    # -- the interface ------------------------------------------------------------------------
    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]:
        """The model's text as it arrives (unverified), then the verified Answer."""
        memo = _MemoEmbedder(self.embedder)
        scorer = self.scorer or HeuristicSentenceScorer(memo)  # type: ignore[arg-type]
        extractive = ExtractiveAnswerer(memo, ExtractiveConfig(passages=self.config.passages), scorer, self.archive)  # type: ignore[arg-type]
        decision = extractive.decide(question, retrieval)
        ranked = decision.ranked
        if decision.verdict is not None or not decision.chosen:
            result = abstention(question, retrieval, self.name, decision.verdict)
            result.notes.append("abstained before calling the model: no passage sentence answers the question")
            yield result.answer
            yield result
            return
        passages = self.passages_for(ranked, retrieval, scorer.thresholds.keep_within)
        generation = Generation()
        yield from self.client.stream_messages(self.messages(question, passages), generation)
        text = drop_cut_off(generation.text) if generation.finish_reason == "length" else generation.text
        started = time.perf_counter()
        result = verified_answer(
            question, text, passages, retrieval.articles, memo, self.name, retrieval.query_vector, self.config.verify  # type: ignore[arg-type]
        )
        verify_ms = (time.perf_counter() - started) * 1000
        if result.generated is not None:
            result.generated = replace(
                result.generated,
                model=self.client.model,
                first_token_ms=generation.first_token_ms,
                total_ms=generation.total_ms,
            )
        result.notes.append(
            f"{self.client.model}: {len(passages)} passages, first token {generation.first_token_ms / 1000:.1f} s, "
            f"generated in {generation.total_ms / 1000:.1f} s, verified in {verify_ms / 1000:.2f} s"
        )
        if not generation.text.strip():
            result.notes.append("the model returned no text")
        elif not text.strip():
            result.notes.append("the model's text hit the token limit before a sentence ended")
        yield result

    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        final: Answer | None = None
        for item in self.stream(question, retrieval):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    # -- follow-ups ---------------------------------------------------------------------------
    def condense(self, question: str, history: Sequence[Message]) -> str:
        """A follow-up rewritten as a standalone question by the model (prompts/condense.txt).

        Only questions that lean on the conversation go to the model; the rule-based rewrite
        (assistant/condense.py) is used when the model fails or its output is not a usable
        question: empty, rambling, still leaning on a pronoun, missing the words the user just
        asked with (small models echo the previous question), or about none of the
        conversation's words.
        """
        rules = standalone(question, history)
        if not history or not is_follow_up(question):
            return rules
        turns = [m for m in history if m.get("role") in ("user", "assistant")][-self.config.history_messages :]
        conversation = "\n".join(f"{m['role'].title()}: {_clip(message_text(m.get('content')))}" for m in turns)
        try:
            reply = self.client.complete_messages(
                load_prompt("condense").render(conversation=conversation, question=question.strip()),
                max_tokens=self.config.condense_max_tokens,
            )
        except NewsdeskError:
            return rules
        rewritten = _first_question(reply)
        words = {stem(w) for w in content_words(rewritten)}
        asked = {stem(w) for w in content_words(question)}
        known = {stem(w) for w in content_words(conversation)}
        if (
            not rewritten
            or len(rewritten) > 300
            or is_follow_up(rewritten)
            or len(words & asked) < min(len(asked), max(1, len(asked) // 2))  # lost what was asked
            or not (words & known)  # about nothing the conversation mentioned
        ):
            return rules
        return rewritten


def _clip(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _first_question(reply: str) -> str:
    for line in reply.strip().splitlines():
        line = re.sub(r"^\s*[\w' ]{1,30}:\s+(?=\S)", "", line)  # "Standalone question: ...", "The user asked: ..."
        line = line.strip().strip('"“”\'').strip()
        if line:
            return line
    return ""

