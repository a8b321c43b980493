"""Training groups for the answer-sentence scorer: (question, 1 positive, n negatives).

A group is one softmax: the model must put the answering sentence above sentences that are
on topic but do not answer.  Negatives, by design mostly from the same articles:
- same article / same question, most key terms shared first (the lead that restates the topic);
- a sentence naming a wrong answer choice (when the articles have one);
- sentences of other questions' articles of the same quiz week that share a key term (what the
  retriever brings in from neighbouring stories).
Titles travel with sentences (the scorer may read "title | sentence"); the quiz's own evidence
text gets the title of the result article it overlaps most, so "no title" never means "positive".
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from training.data import QuizArticle, QuizQuestion
from training.labels import NEGATIVE, POSITIVE, Labeller, Sentence, article_sentences, evidence_positives, stems_of

GROUP_NEGATIVES = 7
MAX_POSITIVES = 4
NEIGHBOUR_ARTICLES = 12


@dataclass(frozen=True)
class Text:
    """A sentence with the title and publication day of its article."""

    sentence: str
    title: str
    published: str = ""
    position: int = -1  # among the article's quotable sentences (-1: the quiz's evidence text)


@dataclass(frozen=True)
class Group:
    qid: str
    question: str
    positive: Text
    negatives: tuple[Text, ...]
    located: bool  # the positive is an article sentence (not the quiz's evidence text)
    asked: str = ""


class SentenceBank:
    """Quotable sentences of every article, split once."""

    def __init__(self, articles: dict[str, QuizArticle]) -> None:
        self.articles = articles
        self._cache: dict[str, list[Sentence]] = {}

    def of(self, key: str) -> list[Sentence]:
        if key not in self._cache:
            art = self.articles.get(key)
            self._cache[key] = article_sentences(art) if art else []
        return self._cache[key]

    def title(self, key: str) -> str:
        art = self.articles.get(key)
        return art.title if art else ""

    def text(self, sentence: str, key: str, position: int = -1) -> "Text":
        art = self.articles.get(key)
        return Text(sentence, art.title if art else "", art.published if art else "", position)


def _evidence_title(q: QuizQuestion, bank: SentenceBank) -> str:
    if not q.results:
        return ""
    ev = stems_of(q.evidence)
    best = max(q.results, key=lambda k: len(ev & stems_of(bank.title(k) + " " + " ".join(s.text for s in bank.of(k)[:8]))))
    return bank.title(best)


def question_groups(
    q: QuizQuestion,
    bank: SentenceBank,
    week_keys: list[str],
    rng: random.Random,
    excluded: frozenset[str] = frozenset(),
) -> list[Group]:
    lab = Labeller(q)
    if not lab.usable:
        return []
    own = [k for k in q.results if k not in excluded]
    positives: list[tuple[Text, bool]] = []
    same_article: list[tuple[int, Text]] = []  # (shared key terms, text)
    wrong: list[Text] = []
    positive_articles: set[str] = set()
    labelled: list[tuple[str, Sentence, int]] = []
    for key in own:
        for s in bank.of(key):
            labelled.append((key, s, lab.label(s.text)))
    for key, s, y in labelled:
        if y == POSITIVE:
            positives.append((bank.text(s.text, key, s.position), True))
            positive_articles.add(key)
    for key, s, y in labelled:
        if y != NEGATIVE:
            continue
        t = bank.text(s.text, key)
        shared = lab.shared_terms(s.text) + (2 if key in positive_articles else 0)
        same_article.append((shared, t))
        if lab.names_wrong_choice(s.text):
            wrong.append(t)
    rng.shuffle(positives)
    positives = positives[:MAX_POSITIVES]
    ev_title = _evidence_title(q, bank)
    for text in evidence_positives(q):
        if len(positives) >= MAX_POSITIVES + 1:
            break
        positives.append((Text(text, ev_title, q.asked.isoformat() if q.asked else ""), False))
    if not positives:
        return []

    # Cross-question negatives: sentences of the week's other articles sharing a key term.
    neighbours: list[Text] = []
    others = [k for k in week_keys if k not in set(own) and k not in excluded]
    rng.shuffle(others)
    for key in others[:NEIGHBOUR_ARTICLES]:
        for s in bank.of(key):
            if lab.shared_terms(s.text) and lab.label(s.text) == NEGATIVE:
                neighbours.append(bank.text(s.text, key))
    same_article.sort(key=lambda x: -x[0])
    hard = [t for _, t in same_article[:15]]
    rest = [t for _, t in same_article[15:]]

    groups: list[Group] = []
    for pos, located in positives:
        negs: list[Text] = []
        negs += rng.sample(hard, min(3, len(hard)))
        if wrong:
            negs.append(rng.choice(wrong))
        if rest:
            negs += rng.sample(rest, min(1, len(rest)))
        negs += rng.sample(neighbours, min(GROUP_NEGATIVES - len(negs), len(neighbours)))
        pool = [t for t in hard + rest if t not in negs]
        while len(negs) < GROUP_NEGATIVES and pool:
            negs.append(pool.pop(rng.randrange(len(pool))))
        if len(negs) < 3:
            continue
        groups.append(Group(q.qid, q.question, pos, tuple(negs[:GROUP_NEGATIVES]), located, q.asked.isoformat() if q.asked else ""))
    return groups


def build_groups(
    questions: list[QuizQuestion],
    bank: SentenceBank,
    seed: int = 0,
    excluded: frozenset[str] = frozenset(),
) -> list[Group]:
    """Groups for every usable question; `excluded` articles (the validation weeks') are never read."""
    rng = random.Random(seed)
    by_week: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        for k in q.results:
            if k not in by_week[q.week]:
                by_week[q.week].append(k)
    out: list[Group] = []
    for q in questions:
        out.extend(question_groups(q, bank, by_week[q.week], rng, excluded))
    return out
