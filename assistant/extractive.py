"""The default answerer: quote the 1-3 sentences of the evidence that best answer the question.

No language model: every answer sentence *is* a verbatim sentence of an article, so citations
are correct by construction and the answer is fast and offline.  Sentences are scored by the
same MiniLM model (meaning) plus IDF-weighted word overlap with the question (names and
numbers), with small nudges for the retrieval rank and for naming the asked-about month.
When even the best sentence is weak, it abstains and offers the nearest articles as leads.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from assistant.answer import Answer, Citation, Lead
from assistant.citations import compose
from assistant.periods import mentions_month
from assistant.retrieve import Evidence, Retrieval
from assistant.text import STOPWORDS, content_words, stem
from ingest.embedder import Embedder
from ingest.sentences import sentence_spans


@dataclass(frozen=True)
class ExtractiveConfig:
    """Defaults calibrated on the RealTime QA dev set (docs/benchmarks.md, "abstention")."""

    passages: int = 2  # evidence passages whose sentences compete (dev set: 2 beat 3 by 2.5 points, 5 by 8)
    prefilter: int = 8  # sentences embedded per question: the latency budget (dev accuracy equal from 8 to 24, -0.4 pt at 6)
    max_sentences: int = 3
    semantic_weight: float = 0.55
    lexical_weight: float = 0.45
    rank_weight: float = 0.03
    month_weight: float = 0.04
    novelty_weight: float = 0.3  # the sentence adds a name or number the question does not have
    question_penalty: float = 0.1  # a sentence that is itself a question rarely answers one (dev: +0.4 pt)
    keep_within: float = 0.2  # further sentences must score within this of the best
    abstain_below: float = 0.65  # best score under this -> "nothing in the archive" (calibrated: docs/benchmarks.md)
    min_overlap: float = 0.15  # ... or when no sentence shares a meaningful word with the question


@dataclass(frozen=True)
class Candidate:
    evidence: Evidence
    start: int  # offsets in the article
    end: int
    text: str
    lexical: float
    semantic: float = 0.0
    score: float = 0.0


def sentence_candidates(evidence: list[Evidence], retrieval: Retrieval) -> list[tuple[Evidence, int, int, str]]:
    """Every quotable sentence of the passages: whole sentences of 5-80 words."""
    out: list[tuple[Evidence, int, int, str]] = []
    seen: set[tuple[str, int]] = set()
    for ev in evidence:
        text = retrieval.articles[ev.article_id].text
        for start, end in sentence_spans(text, ev.start, ev.end):
            quote = text[start:end]
            words = len(quote.split())
            if words < 5 or words > 80 or (ev.article_id, start) in seen:
                continue
            seen.add((ev.article_id, start))
            out.append((ev, start, end, quote))
    return out


_WANTS_NUMBER = re.compile(
    r"\bhow (?:many|much|long|old|far|often)\b|\bwhat (?:year|percentage|percent|number|age|share|amount)\b"
    r"|\bwhen\b|\bsince (?:when|at least)\b|\bby how much\b|\bwhich year\b",
    re.I,
)
_NUMBER = re.compile(r"\d[\d,.]*")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’&.-]+")


def novelty(question: str, sentence: str) -> float:
    """1.0 when the sentence brings what the question asks for and does not itself contain.

    An answer adds something: a number for "how many / when" questions, a name (a capitalised
    word not in the question) for the rest.  Restating the question scores 0.
    """
    asked = {t.lower() for t in re.findall(r"[\w'’&.-]+", question)}
    numbers = [n for n in _NUMBER.findall(sentence) if n.strip(".,") not in asked]
    if _WANTS_NUMBER.search(question):
        return 1.0 if numbers else 0.0
    names = [re.sub(r"['’]s$", "", n) for n in _NAME.findall(sentence)]
    names = [n for n in names if n.lower().strip(".") not in asked and n.lower() not in STOPWORDS]
    return 1.0 if names else 0.5 if numbers else 0.0


def split_carried_topic(question: str) -> tuple[str, str]:
    """("Who did the new sanctions target?", "Tillerson") from "... target (Tillerson)?"."""
    match = re.fullmatch(r"(.*?)\s*\(([^()]*)\)\s*([?.!]?)", question.strip())
    if not match:
        return question, ""
    return f"{match.group(1)}{match.group(3)}", match.group(2)


def overlap_scores(question_terms: list[str], sentences: list[str]) -> list[float]:
    """IDF-weighted share of the question's words found in each sentence (IDF over these sentences)."""
    q = [stem(t) for t in question_terms]
    if not q:
        return [0.0] * len(sentences)
    bags = [{stem(t) for t in content_words(s)} for s in sentences]
    df = Counter(t for bag in bags for t in set(q) & bag)
    n = max(len(sentences), 1)
    idf = {t: math.log(1 + n / (1 + df.get(t, 0))) for t in q}
    total = sum(idf.values()) or 1.0
    return [sum(idf[t] for t in set(q) if t in bag) / total for bag in bags]


class ExtractiveAnswerer:
    """Backend "extractive": implements the answerer interface (answer / stream)."""

    name = "extractive"

    def __init__(self, embedder: Embedder, config: ExtractiveConfig | None = None) -> None:
        self.embedder = embedder
        self.config = config or ExtractiveConfig()

    def rank_sentences(self, question: str, retrieval: Retrieval) -> list[Candidate]:
        """All candidate sentences of the top passages, best first."""
        cfg = self.config
        evidence = retrieval.evidence[: cfg.passages]
        raw = sentence_candidates(evidence, retrieval)
        if not raw:
            return []
        own, carried = split_carried_topic(question)
        query_vector = retrieval.query_vector
        terms = retrieval.terms or content_words(question)
        if carried:
            # A follow-up's borrowed topic found the right articles; the sentence must answer
            # the user's own words, not merely mention the borrowed name again.
            terms = [t for t in terms if t not in set(content_words(carried))]
        lexical = overlap_scores(terms, [r[3] for r in raw])
        prior = [cfg.rank_weight / r[0].rank for r in raw]
        order = sorted(range(len(raw)), key=lambda i: lexical[i] + prior[i], reverse=True)[: cfg.prefilter]
        texts = [raw[i][3] for i in order]
        if carried:
            vectors = self.embedder.encode([own, *texts])
            query_vector, vectors = vectors[0], vectors[1:]
        else:
            vectors = self.embedder.encode(texts)
        semantic = vectors @ query_vector
        month = retrieval.period.month if retrieval.period else None
        ranked: list[Candidate] = []
        for j, i in enumerate(order):
            ev, start, end, quote = raw[i]
            score = cfg.semantic_weight * float(semantic[j]) + cfg.lexical_weight * lexical[i] + prior[i]
            score += cfg.novelty_weight * novelty(own, quote)
            if month and mentions_month(quote, month):
                score += cfg.month_weight
            if not re.search(r"[.!?\"”’)]$", quote):
                score -= 0.1  # headlines, captions, link lines and cut-off text rarely answer anything
            elif re.search(r"\?[\"”’)]*$", quote):
                score -= cfg.question_penalty
            ranked.append(Candidate(ev, start, end, quote, lexical[i], float(semantic[j]), score))
        ranked.sort(key=lambda c: c.score, reverse=True)
        return ranked

    def select(self, ranked: list[Candidate]) -> list[Candidate]:
        """The best sentence plus up to two close runners-up that add something new."""
        cfg = self.config
        if not ranked or ranked[0].score < cfg.abstain_below or max(c.lexical for c in ranked) < cfg.min_overlap:
            return []
        chosen = [ranked[0]]
        for cand in ranked[1:]:
            if len(chosen) >= cfg.max_sentences or cand.score < ranked[0].score - cfg.keep_within:
                break
            if any(_redundant(cand.text, c.text) for c in chosen):
                continue
            chosen.append(cand)
        # Read in story order when the quotes come from one article.
        chosen.sort(key=lambda c: (c.evidence.rank if len({x.evidence.article_id for x in chosen}) > 1 else 0, c.start))
        return chosen

    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        chosen = self.select(self.rank_sentences(question, retrieval))
        if not chosen:
            return abstention(question, retrieval, self.name)
        text, sentences, citations = compose([(c.text, [Citation.of(c.evidence, c.text, c.start, c.end)]) for c in chosen])
        return Answer(question=question, answer=text, abstained=False, citations=citations, sentences=sentences, backend=self.name)

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]:
        """Extractive answers are ready at once: one text chunk, then the Answer."""
        result = self.answer(question, retrieval)
        yield result.answer
        yield result


def abstention(question: str, retrieval: Retrieval, backend: str) -> Answer:
    """"Nothing in the archive" with up to three nearest articles as leads."""
    leads: list[Lead] = []
    for ev in retrieval.evidence:
        if ev.article_id not in {lead.article_id for lead in leads}:
            leads.append(Lead.of(ev))
        if len(leads) == 3:
            break
    text = "I found nothing in the archive that answers this."
    if leads:
        text += " The nearest articles are listed below as leads, not as evidence."
    return Answer(question=question, answer=text, abstained=True, leads=leads, backend=backend)


def _redundant(a: str, b: str) -> bool:
    wa, wb = set(content_words(a)), set(content_words(b))
    return bool(wa and wb) and len(wa & wb) / min(len(wa), len(wb)) > 0.7
