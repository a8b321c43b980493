"""Our own evaluation sets (eval/) are what eval/README.md says they are.

The reading set is checked offline: every gold answer is verbatim in its article's body, past the
lead (neither in the title nor in the first sentence), in no other article, not in the question,
and the question paraphrases (shares at most 4 consecutive words with the answer sentence).
Files about the RealTime QA corpus are checked against ../shared (skipped outside CI when absent,
failing with CI=true): unanswerable terms really are absent, twins and covered periods really
answerable, uncovered periods really uncovered, and no 8-word run of corpus text was copied.
Why each check exists: eval/README.md.
"""

from __future__ import annotations

import collections
import json
import re
from datetime import date
from pathlib import Path

import pytest

from support import CORPUS_NAME, REPO, require_shared

EVAL = REPO / "eval"
ARTICLES = EVAL / "reading" / "articles"
QUESTION_KINDS = {"number", "name", "reason", "plan", "place", "date", "quote"}
UNANSWERABLE_KINDS = {"absurd_premise", "invented_entity", "after_archive", "wrong_year", "wrong_place", "unrelated_topic", "not_reported"}
MAX_SHARED_RUN = 4
COPY_RUN = 8
NEAR = 300


def load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())


def _term(needle: str) -> re.Pattern[str]:
    return re.compile(r"(?<![0-9A-Za-z])" + re.escape(needle.strip()) + r"(?![0-9A-Za-z])", re.IGNORECASE)


def occurs(needle: str, haystack: str) -> bool:
    """Case-insensitive, not glued to a letter or digit; "A && B" = A within NEAR characters of B."""
    low = haystack.lower()
    if any(part.strip().lower() not in low for part in needle.split("&&")):
        return False  # the cheap test first: most texts do not hold the term at all
    if "&&" in needle:
        first, second = needle.split("&&", 1)
        return any(occurs(second, haystack[max(0, m.start() - NEAR) : m.end() + NEAR]) for m in _term(first).finditer(haystack))
    return _term(needle).search(haystack) is not None


def longest_shared_run(a: str, b: str) -> int:
    x, y = words(a), words(b)
    best = 0
    for i in range(len(x)):
        for j in range(len(y)):
            k = 0
            while i + k < len(x) and j + k < len(y) and x[i + k] == y[j + k]:
                k += 1
            best = max(best, k)
    return best


def naive_first_sentence(text: str) -> str:
    match = re.search(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])", text)
    return text[: match.end()] if match else text


@pytest.fixture(scope="module")
def reading() -> dict[str, tuple[object, str, list[tuple[int, int]]]]:
    """file name -> (Article as newsdesk reads it, its conservative lead, its sentence spans)."""
    from ingest.readers import read_articles
    from ingest.sentences import sentence_spans

    out = {}
    for path in sorted(ARTICLES.iterdir()):
        found = list(read_articles(path))
        assert len(found) == 1 and hasattr(found[0], "text"), f"{path.name}: reader gave {found!r}"
        article = found[0]
        spans = list(sentence_spans(article.text))
        lead = max(article.text[spans[0][0] : spans[0][1]], naive_first_sentence(article.text), key=len)
        out[path.name] = (article, lead, spans)
    return out


def gold_problems(where: str, gold: str, name: str, question: str, reading: dict) -> list[str]:
    """Why `gold` would not be a fair "answer past the lead" for `question` (empty: fair)."""
    article, lead, spans = reading[name]
    if gold not in article.text:
        return [f"{where}: gold {gold!r} not verbatim in {name}"]
    problems = []
    if gold.lower() in article.title.lower():
        problems.append(f"{where}: gold {gold!r} is in the title")
    if gold.lower() in lead.lower():
        problems.append(f"{where}: gold {gold!r} is in the first sentence")
    elsewhere = [n for n, (a, _, _) in reading.items() if n != name and occurs(gold, a.title + "\n" + a.text)]
    if elsewhere:
        problems.append(f"{where}: gold {gold!r} also in {elsewhere}")
    if occurs(gold, question):
        problems.append(f"{where}: gold {gold!r} is in the question")
    sentence = next((article.text[a:b] for a, b in spans if gold.lower() in article.text[a:b].lower()), "")
    if longest_shared_run(question, sentence) > MAX_SHARED_RUN:
        problems.append(f"{where}: question copies the answer sentence")
    return problems


def test_reading_articles_are_original_wire_stories(reading: dict) -> None:
    assert len(reading) >= 20
    for name, (article, lead, _) in reading.items():
        assert article.title and article.published and article.source and article.url and article.authors, name
        assert 180 <= len(article.text.split()) <= 450, name
        assert re.match(r"[A-Z][A-Z .,'’-]+(, [A-Z][a-z]+)? — ", article.text), f"{name}: no PLACE — dateline"
        assert not re.search(r"\b(Mr|Mrs|Ms|Dr|St|No|Prof)\.\s*$", naive_first_sentence(article.text).strip()), name


def test_reading_questions_are_answered_past_the_lead(reading: dict) -> None:
    rows = load(EVAL / "reading" / "questions.jsonl")
    assert len(rows) >= 40 and len({r["id"] for r in rows}) == len(rows)
    problems = []
    for row in rows:
        assert set(row) == {"id", "question", "answers", "article", "kind", "lead"} and row["lead"] is False, row["id"]
        assert row["kind"] in QUESTION_KINDS and row["article"] in reading and row["answers"], row["id"]
        for gold in row["answers"]:
            problems += gold_problems(row["id"], gold, row["article"], row["question"], reading)
    assert not problems, problems
    assert set(reading) == {r["article"] for r in rows}  # every article is asked about


def test_the_gold_checks_fire_on_unfair_questions(reading: dict) -> None:
    """The checks above can fail: a gold in the lead, a gold copied into the question."""
    name = "2024-02-12-port-halvard-ferry-strike-vote.txt"
    assert gold_problems("x", "to strike", name, "What did they vote for?", reading)
    assert gold_problems("x", "412", name, "Did 412 members back the walkout?", reading)
    assert not gold_problems("x", "412", name, "How many ferry workers backed the strike?", reading)


def test_follow_ups_lean_on_their_history(reading: dict) -> None:
    rows = load(EVAL / "reading" / "followups.jsonl")
    assert len(rows) >= 10
    for row in rows:
        roles = [turn["role"] for turn in row["history"]]
        assert roles[0] == "user" and roles[-1] == "assistant" and all(a != b for a, b in zip(roles, roles[1:])), row["id"]
        names = [w for w in row["question"].split()[1:] if w[:1].isupper() and w != "I"]
        assert not names, f"{row['id']}: names {names}; a follow-up must lean on the history"
        for gold in row["answers"]:
            assert not gold_problems(row["id"], gold, row["article"], row["question"], reading)
            assert not any(occurs(gold, turn["content"]) for turn in row["history"]), row["id"]


def test_unanswerable_questions_over_the_reading_set(reading: dict) -> None:
    rows = load(EVAL / "unanswerable.jsonl")
    assert len(rows) >= 30 and len({r["id"] for r in rows}) == len(rows)
    texts = [a.title + "\n" + a.text for a, _, _ in reading.values()]
    for row in rows:
        assert set(row) == {"id", "question", "kind", "archive", "why", "absent", "present"}, row["id"]
        assert row["kind"] in UNANSWERABLE_KINDS and row["archive"] in ("reading", "rtqa", "both") and row["absent"], row["id"]
        if row["archive"] != "rtqa":
            assert_terms(row, texts, "the reading set")


def assert_terms(row: dict, texts: list[str], archive: str) -> None:
    """Its `absent` terms are nowhere in the archive, its `present` terms (the topic it leans on) are."""
    for term in row["absent"]:
        assert not any(occurs(term, t) for t in texts), f"{row['id']}: {term!r} occurs in {archive}"
    for term in row["present"]:
        assert any(occurs(term, t) for t in texts), f"{row['id']}: {term!r} is not in {archive}"


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    path = require_shared(CORPUS_NAME)
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_day(article: dict) -> date | None:
    match = re.match(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})", article.get("published") or "")
    return date(int(match[1]), int(match[2]), int(match[3])) if match else None


def test_unanswerable_questions_over_the_corpus(corpus: list[dict]) -> None:
    texts = [(c.get("title") or "") + "\n" + (c.get("text") or "") for c in corpus]
    for row in load(EVAL / "unanswerable.jsonl"):
        if row["archive"] != "reading":
            assert_terms(row, texts, "the corpus")


def test_answerable_twins_are_answerable(corpus: list[dict]) -> None:
    unanswerable = {r["id"]: r for r in load(EVAL / "unanswerable.jsonl")}
    by_id = {c["id"]: c for c in corpus}
    rows = load(EVAL / "answerable_twins.jsonl")
    assert len(rows) >= 20
    for row in rows:
        twin = unanswerable[row["twin_of"]]
        assert twin["archive"] != "reading" and twin["kind"] == row["kind"], row["id"]
        assert row["answers"][0].lower() in by_id[row["article_id"]]["text"].lower(), row["id"]


def test_period_questions_are_covered_or_uncovered_as_labelled(corpus: list[dict]) -> None:
    dated = [(corpus_day(c), c) for c in corpus]
    kinds = collections.Counter()
    for row in load(EVAL / "periods.jsonl"):
        lo, hi = date.fromisoformat(row["window"][0]), date.fromisoformat(row["window"][1])
        inside = [c for day, c in dated if day and lo <= day <= hi]
        kinds[row["kind"]] += 1
        if row["kind"] == "covered":
            holders = [c["id"] for c in inside if any(g.lower() in c["text"].lower() for g in row["answers"])]
            assert row["article_id"] in holders, row["id"]
        else:
            assert row["kind"] == "uncovered" and not inside and row["answers"] == [], row["id"]
            assert any(occurs(t, c["text"]) for c in corpus for t in row["topic_terms"]), row["id"]
            for term in row["absent"]:
                assert not any(occurs(term, (c.get("title") or "") + "\n" + c["text"]) for c in corpus), (row["id"], term)
    assert kinds["covered"] >= 10 and kinds["uncovered"] >= 5


def test_no_corpus_text_is_copied_into_our_files(corpus: list[dict]) -> None:
    grams: set[int] = set()
    for c in corpus:
        w = words(c.get("text") or "")
        grams.update(hash(tuple(w[i : i + COPY_RUN])) for i in range(len(w) - COPY_RUN + 1))
    for name in ("unanswerable.jsonl", "answerable_twins.jsonl", "periods.jsonl"):
        for row in load(EVAL / name):
            for key, value in row.items():
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        w = words(text)
                        copied = [i for i in range(len(w) - COPY_RUN + 1) if hash(tuple(w[i : i + COPY_RUN])) in grams]
                        assert not copied, f"{name} {row['id']} {key}: copies corpus text"
