"""How far could better ranking take the dev set?  Oracle bounds and a learned reranker, one run.

    .venv/bin/python benchmarks/retrieval_ceiling.py --index benchmarks/.cache/rtqa-bf16

Issue 4 asks for hit@5 >= 0.65 and extractive accuracy >= 60 %.  Before spending more effort on
ranking, this measures what ranking *can* reach with the candidates the default retriever finds:

- "gold in top k" of the default retriever for k up to 100.  For k > 5 it is the hit@5 a perfect
  reranker of those k candidates would reach; for k = 2 (the passages the extractive answerer
  reads) it bounds extractive accuracy, since a quote can only contain what its passage holds.
- corpus ceilings: a gold string anywhere in the archive (the issue's 0.808), as whole words
  (not "Noma" inside "nominations"), and as whole words in an article of the asked fortnight.
- a learned reranker: logistic regression over features of the top 30 (fusion score, rank,
  dense and BM25 scores, share of question words in the passage and in its title, title
  similarity), trained and tested leave-one-week-out so no question scores its own model.
"""

from __future__ import annotations

import argparse
import re
from datetime import timedelta

import numpy as np
from common import gold_rank, machine, shared
from sklearn.linear_model import LogisticRegression

from assistant.evaluate import load_questions
from assistant.filters import Filters
from assistant.metrics import contains_gold, retrieval_metrics
from assistant.retrieve import Evidence, Retriever
from assistant.text import content_words, stem
from ingest.embedder import use_threads
from ingest.index import Index
from ingest.settings import Settings

DEPTHS = (1, 2, 3, 5, 10, 30, 100)
RERANK_DEPTH = 30
FEATURES = ("fusion", "inverse rank", "dense", "BM25", "question words in passage", "in title", "title similarity")


def whole_word(answers: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<!\w){re.escape(a)}(?!\w)" for a in answers if a), re.I)


def features(evidence: list[Evidence], terms: list[str], title_sim: np.ndarray) -> np.ndarray:
    """One row per candidate; scores scaled by the question's best so questions are comparable."""
    stems = [stem(t) for t in terms]
    top = max(e.score for e in evidence) or 1.0
    top_lex = max(e.lexical for e in evidence) or 1.0
    n = max(len(stems), 1)
    rows = []
    for i, e in enumerate(evidence):
        body = {stem(t) for t in content_words(e.text)}
        title = {stem(t) for t in content_words(e.title)}
        rows.append(
            [e.score / top, 1 / e.rank, e.dense, e.lexical / top_lex,
             sum(t in body for t in stems) / n, sum(t in title for t in stems) / n, float(title_sim[i])]
        )
    return np.array(rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    args = parser.parse_args()
    questions = load_questions(shared("eval/realtimeqa-dev.jsonl"))
    index = Index.open(Settings.load(index=args.index))
    use_threads(1)
    retriever = Retriever(index)
    print(f"{len(questions)} questions, {index.catalog.stats().articles} articles; {machine()}")

    ranks: list[int | None] = []
    candidates: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # question id -> (features, labels)
    for q in questions:
        found = retriever.retrieve(q.question, Filters(), q.asked, k=max(DEPTHS))
        labels = np.array([contains_gold(e.text, q.answers) for e in found.evidence], dtype=int)
        ranks.append(gold_rank(labels))
        top = found.evidence[:RERANK_DEPTH]
        if top:
            title_sim = index.embedder.encode([e.title for e in top]) @ found.query_vector
            candidates[q.id] = (features(top, found.terms, title_sim), labels[:RERANK_DEPTH])

    n = len(questions)
    print("\n| gold in the default retriever's top k | k=" + " | k=".join(map(str, DEPTHS)) + " |")
    print("|---" * (len(DEPTHS) + 1) + "|")
    print("| share of questions | " + " | ".join(f"{sum(1 for r in ranks if r and r <= k) / n:.3f}" for k in DEPTHS) + " |")

    anywhere = word = fortnight = 0
    rows = [(a.text, a.published) for a in index.catalog.iter_articles(ordered=False)]
    for q in questions:
        pattern = whole_word(q.answers)
        anywhere += any(contains_gold(text, q.answers) for text, _ in rows)
        word += any(pattern.search(text) for text, _ in rows)
        if q.asked:
            lo, hi = (q.asked - timedelta(days=14)).isoformat(), (q.asked + timedelta(days=2)).isoformat()
            fortnight += any(lo <= (pub or "")[:10] <= hi and pattern.search(text) for text, pub in rows)
    print("\n| corpus ceiling | share of questions |\n|---|---|")
    print(f"| gold string anywhere in the archive | {anywhere / n:.3f} |")
    print(f"| gold as whole words anywhere | {word / n:.3f} |")
    print(f"| gold as whole words in an article of asked-14 .. asked+2 days | {fortnight / n:.3f} |")

    # Learned reranker, leave-one-week-out (question ids start with the quiz week).
    weeks = sorted({qid.split("_")[0] for qid in candidates})
    reranked: list[int | None] = []
    weights = []
    for week in weeks:
        train = [candidates[qid] for qid in candidates if not qid.startswith(week)]
        model = LogisticRegression(max_iter=2000).fit(np.vstack([x for x, _ in train]), np.concatenate([y for _, y in train]))
        weights.append(model.coef_[0])
        for qid in (qid for qid in candidates if qid.startswith(week)):
            x, y = candidates[qid]
            order = np.argsort(-model.decision_function(x), kind="stable")
            reranked.append(gold_rank(y[order]))
    reranked += [None] * (n - len(reranked))  # questions with no candidates at all
    base, learned = retrieval_metrics(ranks), retrieval_metrics(reranked)
    print(f"\n| ranking of the top {RERANK_DEPTH} | hit@1 | hit@5 | hit@10 | MRR@10 |\n|---|---|---|---|---|")
    for name, m in (("default (fusion order)", base), ("learned reranker, leave-one-week-out", learned)):
        print(f"| {name} | {m['hit@1']:.3f} | {m['hit@5']:.3f} | {m['hit@10']:.3f} | {m['mrr@10']:.3f} |")
    mean = np.mean(weights, axis=0)
    print("\nmean weights: " + ", ".join(f"{name} {w:+.2f}" for name, w in zip(FEATURES, mean)))


if __name__ == "__main__":
    main()
