"""A tiny quiz data set in the training data's format, written for the tests (no shared text).

Four quiz weeks, two questions each; every question's search results are two invented articles
whose answering sentence sits past the lead among on-topic sentences that do not answer.  The
by-week split puts the last week in validation.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

TOWNS = ["Port Halvard", "Lindqvist Bay", "Maren Falls", "Ostrava Cove", "Kellsmoor", "Trevane", "Ashgrove", "Dunmere"]
WEEKS = ["20220107", "20220114", "20220121", "20220128"]


def _article(town: str, number: int, day: str) -> tuple[dict[str, str], dict[str, object]]:
    members = 300 + number * 7
    backed = members - 40 - number
    text = (
        f"{town.upper()} — Ferry workers in {town} voted on Monday to strike over pay and rotas. "
        f"The dispute has closed the harbour crossing twice this year, the port authority said. "
        f"Commuters in {town} were told to expect long queues at the bus terminal this week. "
        f"The union said {backed} of its {members} members backed the walkout in the ballot. "
        f"Talks with the operator are due to resume on Thursday at the town hall in {town}. "
        f"The mayor of {town} said she would ask the regional government to mediate the dispute."
    )
    article = {"id": f"a{number}", "title": f"{town} ferry workers vote to strike", "text": text,
               "published": f"{day[:4]}-{day[4:6]}-{day[6:]}", "url": f"https://example.org/{number}"}
    question = {
        "id": f"{day}_{number}", "asked": f"{day[:4]}-{day[4:6]}-{day[6:]}", "source": "fixture",
        "question": f"How many ferry workers in {town} backed the strike?",
        "answers": [str(backed)], "choices": [str(backed), str(members), "12", "all of them"],
        "evidence": f"The union said {backed} of its {members} members in {town} backed the walkout.",
        "search_results": [f"a{number}", f"a{(number + 1) % len(TOWNS)}"],
    }
    return article, question


def write_quiz_data(folder: Path) -> Path:
    """questions.jsonl and articles.jsonl.gz in `folder`; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    articles, questions = [], []
    for number, town in enumerate(TOWNS):
        article, question = _article(town, number, WEEKS[number // 2])
        articles.append(article)
        questions.append(question)
    (folder / "questions.jsonl").write_text("".join(json.dumps(q) + "\n" for q in questions), encoding="utf-8")
    with gzip.open(folder / "articles.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(a) + "\n" for a in articles)
    return folder
