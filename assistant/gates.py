"""Whether to answer at all: the relevance gate and the key-term coverage gate, and the abstention.

Every backend asks the same question before it answers: is there evidence on target?

- **relevance**: the best sentence's score (from the pluggable SentenceScorer) is below the
  scorer's calibrated `abstain_below`, or no sentence shares a meaningful word with the question;
- **coverage**: the question's key names, years or archive-unknown words are missing from the
  evidence the answer would quote (assistant/coverage.py).

With filters that leave only unrelated articles, both gates read the same filtered evidence, so
they fire as they would for an empty archive.  An abstention says it found nothing, says why
when a key term is missing, and lists up to three nearest articles as leads, not as evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from assistant.answer import Answer, Lead
from assistant.coverage import ArchiveWords, key_terms, uncovered_terms, vocabulary
from assistant.relevance.heuristic import split_carried_topic
from assistant.relevance.protocols import Thresholds
from assistant.retrieve import Evidence, Retrieval

NO_EVIDENCE = "no evidence"
LOW_RELEVANCE = "low relevance"
MISSING_TERMS = "key terms missing"


@dataclass(frozen=True)
class GateConfig:
    """Which gates run; each is switchable for the ablation in benchmarks/answer_ablation.py."""

    relevance: bool = True
    coverage: bool = True
    min_overlap: float = 0.15  # no sentence shares this much of the question's words: off target
    # When the passages read lack a key term, read instead the best passages (of the top
    # `covering_depth`) whose articles name them all, before abstaining.
    covering_depth: int = 5


@dataclass(frozen=True)
class Verdict:
    """Why the assistant does not answer (`reason`) and the key terms the evidence lacks."""

    reason: str
    missing: tuple[str, ...] = ()


def missing_terms(question: str, retrieval: Retrieval, read: Sequence[Evidence], archive: ArchiveWords | None = None) -> list[str]:
    """The question's key terms that the articles of the `read` passages never mention."""
    own, _ = split_carried_topic(question)
    skip = retrieval.period.phrase if retrieval.period is not None and retrieval.period_coverage is not None else ""
    articles = {ev.article_id for ev in read}
    vocab = vocabulary(retrieval.articles[a] for a in articles if a in retrieval.articles)
    return uncovered_terms(key_terms(own, skip), vocab, archive)


def judge(
    question: str,
    retrieval: Retrieval,
    read: Sequence[Evidence],
    best_score: float | None,
    best_overlap: float,
    thresholds: Thresholds,
    config: GateConfig,
    archive: ArchiveWords | None = None,
) -> Verdict | None:
    """None when the evidence is on target, else the Verdict to abstain with.

    `read` are the passages the answer would quote (their articles are the evidence the coverage
    gate reads), `best_score` the best sentence's relevance (None: no quotable sentence),
    `best_overlap` the best share of question words a sentence holds.
    """
    if best_score is None:
        return Verdict(NO_EVIDENCE)
    if config.relevance and (best_score < thresholds.abstain_below or best_overlap < config.min_overlap):
        # Declined for relevance, but a key term the nearest articles never mention is still named
        # ("... never mention “Mars”"): the user sees why. Only MISSING_TERMS reads further passages.
        return Verdict(LOW_RELEVANCE, tuple(missing_terms(question, retrieval, read, archive)) if config.coverage else ())
    if config.coverage:
        missing = missing_terms(question, retrieval, read, archive)
        if missing:
            return Verdict(MISSING_TERMS, tuple(missing))
    return None


def abstention(question: str, retrieval: Retrieval, backend: str, verdict: Verdict | None = None) -> Answer:
    """"Nothing in the archive" with up to three nearest articles as leads."""
    leads: list[Lead] = []
    for ev in retrieval.evidence:
        if ev.article_id not in {lead.article_id for lead in leads}:
            leads.append(Lead.of(ev))
        if len(leads) == 3:
            break
    text = "I found nothing in the archive that answers this."
    if verdict is not None and verdict.missing:
        named = ", ".join(f"“{term}”" for term in verdict.missing)
        text = f"I found nothing in the archive that answers this: the articles nearest to it never mention {named}."
    if leads:
        text += " The nearest articles are listed below as leads, not as evidence."
    return Answer(
        question=question,
        answer=text,
        abstained=True,
        leads=leads,
        backend=backend,
        abstain_reason=verdict.reason if verdict else NO_EVIDENCE,
        missing_terms=list(verdict.missing) if verdict else [],
    )
