"""Support verification for generated text: every kept sentence is backed by a quote it cites.

A language model writes sentences with [n] markers pointing at the numbered passages it was
shown.  Small models cite the wrong passage, invent numbers and echo instructions planted in an
article, so nothing they write is trusted:

1. The text is split into sentences, each with the passage numbers it cites
   (assistant/llm/generated.py).
2. Each sentence is compared with every sentence of every passage: the share of its content
   words found in the passage sentence (lexical) blended with MiniLM cosine (meaning).  Its
   support from a passage is its best match there; that best-matching sentence becomes the quote.
3. A sentence keeps its citation when the cited passage supports it; it is re-pointed when
   another passage clearly supports it better (or when it cited nothing); otherwise it is
   dropped, or kept with `supported=False` when the caller asks for marking.  No passage
   supports a sentence naming a number or capitalised name the passage never states (the
   commonest small-model error: the right sentence with a date, count or place grafted on from
   elsewhere).  A sentence is never supported when it has fewer than `min_words` content words
   (no checkable claim), is a run-on or a repetition loop, does not address the question, or
   reads like an instruction to the assistant (prompt injection echoed back).
4. The result is an `Answer` whose citations carry verbatim quotes with article offsets
   (`quote == article.text[start:end]`) and whose `generated` field counts the sentences written
   and verified.  If no sentence survives, the Answer has no citations and the chain falls back
   to the extractive answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Sequence

import numpy as np

from assistant.answer import Answer, Citation, GeneratedText
from assistant.citations import compose
from assistant.llm.generated import GeneratedSentence, split_generated
from assistant.retrieve import Evidence
from assistant.text import content_words, stem
from ingest.catalog import StoredArticle
from ingest.embedder import Embedder
from ingest.sentences import sentence_spans


@dataclass(frozen=True)
class VerifyConfig:
    """Thresholds calibrated on paraphrases and planted errors (tests/assistant/test_llm_verify.py)."""

    semantic_weight: float = 0.5
    lexical_weight: float = 0.5
    accept: float = 0.62  # support needed for a sentence to stand
    repoint_margin: float = 0.08  # another passage must beat the cited one by this much
    min_words: int = 3  # content words in a sentence before it counts as a checkable claim
    max_words: int = 60  # longer "sentences" are run-ons no single quote can back
    min_relevance: float = 0.2  # cosine to the question, unless they share a content word
    min_quote_words: int = 4  # shorter passage sentences (bylines, datelines) are never quotes
    keep_unsupported: bool = False  # True: keep failing sentences marked supported=False


@dataclass(frozen=True)
class Passage:
    """A passage as the model saw it: `[n]` in the prompt is `n` here."""

    n: int
    evidence: Evidence


@dataclass(frozen=True)
class Quote:
    passage: int
    start: int  # offsets in the article
    end: int
    text: str


@dataclass(frozen=True)
class SentenceCheck:
    """The verdict on one generated sentence."""

    sentence: GeneratedSentence
    supported: bool
    support: float  # best sentence similarity in the passage it ends up citing
    cited_support: float  # ... in the passage(s) the model cited (0 when it cited none)
    quote: Quote | None
    action: str  # kept | repointed | assigned | dropped | marked
    reason: str = ""


@dataclass
class Verification:
    checks: list[SentenceCheck] = field(default_factory=list)

    @property
    def supported(self) -> int:
        """Generated sentences that verified, as written or after re-pointing."""
        return sum(c.supported for c in self.checks)


# -- similarity ------------------------------------------------------------------------------

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Sentences that talk to the assistant instead of about the news: injected instructions echoed
# back.  They never count as support and are never quoted, whatever they match.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,60}\b(?:instructions?|prompts?|rules|above|previous)\b"
    r"|\bsystem prompt\b|\byou are now\b|\b(?:respond|reply|answer|say)\s+only\s+with\b|\bas an ai\b",
    re.I,
)


def _stems(text: str) -> set[str]:
    return {stem(w) for w in content_words(text)}


def numbers_in(text: str) -> set[str]:
    """Numbers as written, normalised ("8,000" -> "8000"); years and days included."""
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def lexical_support(claim: set[str], source: set[str]) -> float:
    """Share of the claim's content words that the source sentence contains."""
    return len(claim & source) / len(claim) if claim else 0.0


@dataclass(frozen=True)
class _SourceSentence:
    passage: int
    start: int
    end: int
    text: str
    stems: frozenset[str]


def _source_sentences(passages: Sequence[Passage], articles: dict[str, StoredArticle], min_words: int) -> list[_SourceSentence]:
    out: list[_SourceSentence] = []
    for p in passages:
        article = articles.get(p.evidence.article_id)
        if article is None:
            continue
        spans = list(sentence_spans(article.text, p.evidence.start, p.evidence.end))
        usable = [(s, e) for s, e in spans if len(article.text[s:e].split()) >= min_words]
        for s, e in usable or spans:
            quote = article.text[s:e]
            if _INSTRUCTION.search(quote):
                continue
            out.append(_SourceSentence(p.n, s, e, quote, frozenset(_stems(quote))))
    return out


@dataclass(frozen=True)
class _PassageFacts:
    numbers: frozenset[str]
    words: frozenset[str]  # stems of every content word, headline and source included


_MONTHS = ("january february march april may june july august september october november december").split()


def _passage_facts(passages: Sequence[Passage], articles: dict[str, StoredArticle]) -> dict[int, _PassageFacts]:
    """What each passage states that a sentence may name: numbers and words, from its text,
    headline, source and publication date (the model is shown all of them)."""
    out: dict[int, _PassageFacts] = {}
    for p in passages:
        ev = p.evidence
        article = articles.get(ev.article_id)
        text = article.text[ev.start : ev.end] if article else ev.text
        numbers = numbers_in(text) | numbers_in(ev.title)
        words = _stems(" ".join((text, ev.title, ev.source)))
        if ev.published:  # "published on the 22nd, 2017": the year and day, not the month's number
            year, month, day = (ev.published.split("-") + ["", ""])[:3]
            numbers |= {year, day.lstrip("0")} - {""}
            if month.isdigit() and 1 <= int(month) <= 12:
                words.add(stem(_MONTHS[int(month) - 1]))
        out[p.n] = _PassageFacts(frozenset(numbers), frozenset(words))
    return out


_TITLES = frozenset("mr mrs ms dr sir president prime minister secretary general".split())


def names_in(text: str) -> set[str]:
    """Stems of the capitalised words inside a sentence (people, places, organisations,
    months), not its first word; short acronyms (UN, U.S.) are left out, models expand them."""
    found: set[str] = set()
    for m in re.finditer(r"\b[A-Z][\w'’\-]*", text):
        word = m.group(0)
        if m.start() == 0 or text[: m.start()].rstrip().endswith((":", '"', "“")):
            continue  # a sentence (or a quotation) starts with a capital whatever the word
        if (word.isupper() and len(word) <= 4) or word.lower() in _TITLES:
            continue
        found |= _stems(word)
    return found


def unstated(sentence: str, facts: _PassageFacts) -> list[str]:
    """Numbers and names in the sentence that the passage never states."""
    missing = sorted(numbers_in(sentence) - facts.numbers) + sorted(names_in(sentence) - facts.words)
    return missing


# -- the verdict -----------------------------------------------------------------------------


def check_sentences(
    sentences: Sequence[GeneratedSentence],
    passages: Sequence[Passage],
    articles: dict[str, StoredArticle],
    embedder: Embedder,
    question: str,
    question_vector: np.ndarray | None = None,
    config: VerifyConfig = VerifyConfig(),
) -> Verification:
    """Judge each generated sentence against the passages (see the module docstring)."""
    cfg = config
    result = Verification()
    if not sentences:
        return result
    sources = _source_sentences(passages, articles, cfg.min_quote_words)
    facts = _passage_facts(passages, articles)
    known = {p.n for p in passages}
    texts = [s.text for s in sentences]
    vectors = embedder.encode(texts + [s.text for s in sources] + ([] if question_vector is not None else [question]))
    claim_vectors = vectors[: len(texts)]
    source_vectors = vectors[len(texts) : len(texts) + len(sources)]
    q_vector = question_vector if question_vector is not None else vectors[-1]
    semantic = claim_vectors @ source_vectors.T if len(sources) else np.zeros((len(texts), 0))
    relevance = claim_vectors @ q_vector
    question_stems = _stems(question)
    kept: list[set[str]] = []  # claims already in the answer

    for i, sentence in enumerate(sentences):
        claim = _stems(sentence.text)
        best: dict[int, tuple[float, int]] = {}  # passage -> (support, source index)
        for j, source in enumerate(sources):
            score = cfg.semantic_weight * float(semantic[i, j]) + cfg.lexical_weight * lexical_support(claim, source.stems)
            if score > best.get(source.passage, (-1.0, -1))[0]:
                best[source.passage] = (score, j)
        cited = [n for n in sentence.cited if n in known]
        cited_support = max((best[n][0] for n in cited if n in best), default=0.0)

        def passes(n: int) -> bool:
            return n in best and best[n][0] >= cfg.accept and not unstated(sentence.text, facts[n])

        reason = ""
        if len(claim) < cfg.min_words:
            reason = "too short to check"
        elif len(sentence.text.split()) > cfg.max_words:
            reason = "too long to check against one quote"
        elif _repetitive(sentence.text):
            reason = "repeats itself"
        elif _INSTRUCTION.search(sentence.text):
            reason = "reads as an instruction, not a news fact"
        elif float(relevance[i]) < cfg.min_relevance and not (claim & question_stems):
            reason = "does not address the question"
        elif any(len(claim & earlier) / max(len(claim), 1) > 0.8 for earlier in kept):
            reason = "repeats an earlier sentence"

        ranked = sorted(best, key=lambda n: best[n][0], reverse=True)
        winner = next((n for n in ranked if passes(n)), None)
        own = max((n for n in cited if passes(n)), key=lambda n: best[n][0], default=None)
        if reason or winner is None:
            if not reason:
                top = ranked[0] if ranked else None
                missing = unstated(sentence.text, facts[top]) if top is not None and best[top][0] >= cfg.accept else []
                reason = f"{missing[0]!r} is not in the passage" if missing else "no passage supports it"
            fallback = own or (ranked[0] if ranked else None)
            quote = _quote(sources, best[fallback][1]) if fallback is not None and cfg.keep_unsupported else None
            support = best[fallback][0] if fallback is not None else 0.0
            action = "marked" if quote is not None else "dropped"
            result.checks.append(SentenceCheck(sentence, False, support, cited_support, quote, action, reason))
            if quote is not None:
                kept.append(claim)
            continue
        if own is not None and best[winner][0] < best[own][0] + cfg.repoint_margin:
            chosen, action = own, "kept"
        elif cited:
            chosen, action = winner, "repointed"
        else:
            chosen, action = winner, "assigned"
        result.checks.append(
            SentenceCheck(sentence, True, best[chosen][0], cited_support, _quote(sources, best[chosen][1]), action)
        )
        kept.append(claim)
    return result


def _repetitive(text: str) -> bool:
    """Degenerate decoding ("iron, iron ore, iron, iron ore, ..."): few distinct words."""
    words = [w.lower() for w in re.findall(r"\w+", text)]
    return len(words) >= 12 and len(set(words)) < 0.5 * len(words)


def _quote(sources: list[_SourceSentence], j: int) -> Quote:
    s = sources[j]
    return Quote(s.passage, s.start, s.end, s.text)


def verified_answer(
    question: str,
    text: str,
    passages: Sequence[Passage],
    articles: dict[str, StoredArticle],
    embedder: Embedder,
    backend: str,
    question_vector: np.ndarray | None = None,
    config: VerifyConfig = VerifyConfig(),
) -> Answer:
    """Generated `text` -> an Answer of verified sentences, each citing a verbatim quote.

    Notes record what was changed: re-pointed citations and dropped sentences with the reason.
    `generated` counts the sentences written and verified (the caller adds the model and its
    timings).  No surviving sentence -> an Answer with no citations (the chain then quotes instead).
    """
    sentences = split_generated(text)
    verification = check_sentences(sentences, passages, articles, embedder, question, question_vector, config)
    by_n = {p.n: p.evidence for p in passages}
    parts: list[tuple[str, list[Citation]]] = []
    flags: list[tuple[bool, float]] = []
    notes: list[str] = []
    for check in verification.checks:
        claim = check.sentence.text
        short = claim if len(claim) <= 90 else claim[:87] + "..."
        if check.action == "dropped":
            notes.append(f"dropped sentence ({check.reason}; support {check.support:.2f}): {short}")
            continue
        assert check.quote is not None
        q = check.quote
        if check.action == "repointed":
            was = ",".join(str(n) for n in check.sentence.cited)
            notes.append(f"re-pointed [{was}] to passage {q.passage} (support {check.cited_support:.2f} -> {check.support:.2f}): {short}")
        elif check.action == "marked":
            notes.append(f"unsupported sentence kept, marked ({check.reason}; support {check.support:.2f}): {short}")
        parts.append((claim, [Citation.of(by_n[q.passage], q.text, q.start, q.end)]))
        flags.append((check.supported, check.support))
    if sentences:
        notes.append(f"verified {verification.supported}/{len(verification.checks)} generated sentences")
    generated = GeneratedText(model="", sentences=len(verification.checks), verified=verification.supported)
    if not parts:
        return Answer(question=question, answer="", abstained=False, backend=backend, notes=notes, generated=generated)
    answer_text, composed, citations = compose(parts)
    return Answer(
        question=question,
        answer=answer_text,
        abstained=False,
        citations=citations,
        sentences=[replace(s, supported=ok, support=float(support)) for s, (ok, support) in zip(composed, flags)],
        backend=backend,
        notes=notes,
        generated=generated,
    )
