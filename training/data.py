"""Training data: RealTime QA quiz questions, their search-result articles, and a week split.

Why by week: questions of one quiz week share their news (and their articles), so a random
split would leak the week's stories into validation.  The LAST weeks by quiz date are the
validation split (as the product meets questions about news it has not seen), earlier weeks
train.  Every article keeps the shape the product indexes (title, text, ISO published day).
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.dates import normalise_date

VALIDATION_SHARE = 0.15  # the last 15 % of quiz weeks: 28 weeks, 440 questions


@dataclass(frozen=True)
class QuizArticle:
    """One search-result article of the training data (`key` is the data set's own id)."""

    key: str
    title: str
    text: str
    published: str  # ISO day or ""
    url: str


@dataclass(frozen=True)
class QuizQuestion:
    """One quiz question; `week` is its quiz id prefix (YYYYMMDD of the quiz)."""

    qid: str
    week: str
    asked: date | None
    question: str
    answers: tuple[str, ...]
    choices: tuple[str, ...]
    evidence: str
    source: str
    results: tuple[str, ...]  # article keys, in search order

    @property
    def wrong_choices(self) -> tuple[str, ...]:
        gold = {clean_answer(a).lower() for a in self.answers}
        return tuple(c for c in self.choices if clean_answer(c).lower() not in gold)


def _iso(value: str | None) -> str:
    return normalise_date(value or "") or ""


def load_questions(path: Path) -> list[QuizQuestion]:
    """questions.jsonl of the training data (the dev set is never read here)."""
    out: list[QuizQuestion] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        asked = _iso(item.get("asked"))
        answers = item.get("answers") or []
        out.append(
            QuizQuestion(
                qid=str(item["id"]),
                week=str(item["id"]).split("_")[0],
                asked=date.fromisoformat(asked) if asked else None,
                question=str(item["question"]),
                answers=tuple(str(a) for a in ([answers] if isinstance(answers, str) else answers) if str(a).strip()),
                choices=tuple(str(c) for c in item.get("choices") or ()),
                evidence=str(item.get("evidence") or ""),
                source=str(item.get("source") or ""),
                results=tuple(item.get("search_results") or ()),
            )
        )
    return out


def load_articles(path: Path) -> dict[str, QuizArticle]:
    """articles.jsonl.gz of the training data, by the data set's own article id."""
    out: dict[str, QuizArticle] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            text = str(item.get("text") or "")
            if not text.strip():
                continue
            out[str(item["id"])] = QuizArticle(
                key=str(item["id"]),
                title=" ".join(str(item.get("title") or "").split()),
                text=text,
                published=_iso(item.get("published")),
                url=str(item.get("url") or ""),
            )
    return out


def week_split(questions: list[QuizQuestion], share: float = VALIDATION_SHARE) -> tuple[list[QuizQuestion], list[QuizQuestion]]:
    """(train, validation): the last `share` of quiz weeks (by date) are validation."""
    weeks = sorted({q.week for q in questions})
    cut = weeks[int(round(len(weeks) * (1 - share)))]
    return [q for q in questions if q.week < cut], [q for q in questions if q.week >= cut]


_QUOTES = "\"'“”‘’«»"


def clean_answer(answer: str) -> str:
    """A gold answer as it would appear in prose: outer quotes and final stops removed."""
    return answer.strip().strip(_QUOTES).strip().rstrip(".").strip(_QUOTES).strip()


GENERIC_ANSWERS = frozenset({"all of the above", "none of the above", "true", "false", "yes", "no", "both", "neither"})


def answer_pattern(answers: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive matcher of the gold answers (None when none is usable)."""
    usable = [clean_answer(a) for a in answers]
    usable = [a for a in usable if len(a) >= 2 and a.lower() not in GENERIC_ANSWERS]
    if not usable:
        return None
    return re.compile("|".join(rf"(?<!\w){re.escape(a)}(?!\w)" for a in usable), re.I)
