"""The default answerer: quote the 1-3 sentences of the evidence that best answer the question.

No language model: every answer sentence *is* a verbatim sentence of an article, so citations
are correct by construction and the answer is fast and offline.  Sentences are scored by the
pluggable SentenceScorer (assistant/relevance; by default the heuristic: MiniLM meaning + word
overlap + small nudges).  The answer's form (issue 13):

- the sentence that answers comes first (score order, not story order);
- a dateline ("SEOUL —") is not part of a quote (assistant/quotes.py): the quote starts later;
- two sentences of one article are one source [n] (assistant/citations.py);
- when the scorer is confident and the question asks for a number, name, date or place, the
  span that answers leads, cited ("412 of its 455 members [1]: The union said ...");
- when the evidence is off target (assistant/gates.py: relevance and key-term coverage) it
  abstains and offers the nearest articles as leads.
Each of these is switchable in ExtractiveConfig, for the ablation in docs/benchmarks.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

from assistant.answer import Answer, Citation, DirectAnswer
from assistant.citations import compose
from assistant.coverage import ArchiveWords
from assistant.gates import MISSING_TERMS, GateConfig, Verdict, abstention, judge, missing_terms
from assistant.quotes import dateline_end
from assistant.relevance.heuristic import HeuristicSentenceScorer, question_terms, split_carried_topic
from assistant.relevance.protocols import SentenceCandidate, SentenceScorer
from assistant.retrieve import Evidence, Retrieval
from assistant.spans import PLACE, direct_span, question_kind
from assistant.text import content_words, overlap_scores
from ingest.embedder import Embedder
from ingest.sentences import sentence_spans

__all__ = ["Candidate", "Decision", "ExtractiveAnswerer", "ExtractiveConfig", "abstention", "sentence_candidates"]


@dataclass(frozen=True)
class ExtractiveConfig:
    """What is quoted and how; the scorer's own weights and thresholds live with the scorer."""

    passages: int = 2  # evidence passages whose sentences compete (dev set: 2 beat 3 by 2.5 points, 5 by 8)
    max_sentences: int = 3
    answer_first: bool = True  # quotes in score order (False: story order, as before issue 13)
    trim_datelines: bool = True  # a quote starts after its dateline
    direct_answers: bool = True  # a confident short span leads the answer
    gates: GateConfig = field(default_factory=GateConfig)


@dataclass(frozen=True)
class Candidate:
    """A scored sentence: `article.text[start:end] == text`."""

    evidence: Evidence
    start: int
    end: int
    text: str
    lexical: float
    score: float


@dataclass
class Decision:
    """The ranked sentences, the ones chosen to quote, and why not to answer (None: answer)."""

    ranked: list[Candidate]
    chosen: list[Candidate]
    verdict: Verdict | None


def sentence_candidates(evidence: list[Evidence], retrieval: Retrieval, trim_datelines: bool = True) -> list[SentenceCandidate]:
    """Every quotable sentence of the passages: whole sentences of 5-80 words, datelines cut off."""
    out: list[SentenceCandidate] = []
    seen: set[tuple[str, int]] = set()
    for ev in evidence:
        text = retrieval.articles[ev.article_id].text
        for begin, end in sentence_spans(text, ev.start, ev.end):
            start = dateline_end(text, begin, end) if trim_datelines else begin
            quote = text[start:end]
            words = len(quote.split())
            if words < 5 or words > 80 or (ev.article_id, start) in seen:
                continue
            seen.add((ev.article_id, start))
            out.append(SentenceCandidate(ev, start, end, quote, text[begin:start]))
    return out


class ExtractiveAnswerer:
    """Backend "extractive": implements the answerer interface (answer / stream)."""

    name = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        config: ExtractiveConfig | None = None,
        scorer: SentenceScorer | None = None,
        archive: ArchiveWords | None = None,
    ) -> None:
        self.embedder = embedder
        self.config = config or ExtractiveConfig()
        self.scorer: SentenceScorer = scorer or HeuristicSentenceScorer(embedder)
        self.archive = archive  # the coverage gate asks it whether the archive ever uses a word

    def rank_sentences(self, question: str, retrieval: Retrieval, read: list[Evidence] | None = None) -> list[Candidate]:
        """The scored candidate sentences of the passages read (default: the top ones), best first."""
        read = retrieval.evidence[: self.config.passages] if read is None else read
        # A dateline says where the story happened: for a "which city" question it may be the
        # answer, so it stays on the quote (validation: the two answers trimming lost were these).
        trim = self.config.trim_datelines and question_kind(split_carried_topic(question)[0]) != PLACE
        raw = sentence_candidates(read, retrieval, trim)
        if not raw:
            return []
        scores = np.asarray(self.scorer.score(question, raw, retrieval), dtype=np.float64)
        lexical = overlap_scores(question_terms(question, retrieval), [r.in_context for r in raw])
        ranked = [
            Candidate(r.evidence, r.start, r.end, r.text, lexical[i], float(scores[i]))
            for i, r in enumerate(raw)
            if not np.isnan(scores[i])
        ]
        ranked.sort(key=lambda c: c.score, reverse=True)
        return ranked

    def decide(self, question: str, retrieval: Retrieval) -> Decision:
        """Rank, run the gates, and choose what to quote.

        When the passages read lack a key term of the question but lower-ranked passages (within
        `covering_depth`) come from articles that name every one, those are read instead.
        """
        gates = self.config.gates
        read = retrieval.evidence[: self.config.passages]
        ranked, verdict = self._judged(question, retrieval, read)
        if verdict is not None and verdict.reason == MISSING_TERMS:
            covering = [
                ev for ev in retrieval.evidence[self.config.passages : gates.covering_depth]
                if not missing_terms(question, retrieval, [ev], self.archive)
            ][: self.config.passages]
            if covering:
                again, second = self._judged(question, retrieval, covering)
                if second is None:
                    ranked, verdict = again, None
        return Decision(ranked, [] if verdict else self.select(ranked), verdict)

    def _judged(self, question: str, retrieval: Retrieval, read: list[Evidence]) -> tuple[list[Candidate], Verdict | None]:
        ranked = self.rank_sentences(question, retrieval, read)
        verdict = judge(
            question,
            retrieval,
            read,
            ranked[0].score if ranked else None,
            max((c.lexical for c in ranked), default=0.0),
            self.scorer.thresholds,
            self.config.gates,
            self.archive,
        )
        return ranked, verdict

    def select(self, ranked: list[Candidate]) -> list[Candidate]:
        """The best sentence plus up to two close runners-up that add something new."""
        cfg = self.config
        if not ranked:
            return []
        chosen = [ranked[0]]
        for cand in ranked[1:]:
            if len(chosen) >= cfg.max_sentences or cand.score < ranked[0].score - self.scorer.thresholds.keep_within:
                break
            if any(_redundant(cand.text, c.text) for c in chosen):
                continue
            chosen.append(cand)
        if not cfg.answer_first:
            # Before issue 13: read in story order when the quotes come from one article.
            chosen.sort(key=lambda c: (c.evidence.rank if len({x.evidence.article_id for x in chosen}) > 1 else 0, c.start))
        return chosen

    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        decision = self.decide(question, retrieval)
        if decision.verdict is not None or not decision.chosen:
            return abstention(question, retrieval, self.name, decision.verdict)
        chosen = decision.chosen
        parts = [(c.text, [Citation.of(c.evidence, c.text, c.start, c.end)]) for c in chosen]
        roles = ["quote"] * len(chosen)
        lead = chosen[0]
        span = None
        thresholds = self.scorer.thresholds
        runner_up = decision.ranked[1].score if len(decision.ranked) > 1 else -math.inf
        if self.config.direct_answers and lead.score >= thresholds.confident_above and lead.score - runner_up >= thresholds.confident_margin:
            span = direct_span(split_carried_topic(question)[0], lead.text)
        if span is not None:
            parts.insert(0, (span.text, parts[0][1]))
            roles.insert(0, "direct")
        text, sentences, citations = compose(parts, roles)
        direct = None
        if span is not None:
            direct = DirectAnswer(span.text, span.kind, sentences[0].citations[0], lead.start + span.start, lead.start + span.end, lead.score)
        return Answer(
            question=question, answer=text, abstained=False, citations=citations, sentences=sentences, backend=self.name, direct=direct
        )

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Extractive answers are ready at once: one text chunk, then the Answer."""
        result = self.answer(question, retrieval)
        yield result.answer
        yield result


def _redundant(a: str, b: str) -> bool:
    wa, wb = set(content_words(a)), set(content_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > 0.7

