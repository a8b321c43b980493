"""The briefing evaluation: the topic set, the scoring rules and `newsdesk eval --briefs`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.briefing.evaluation import load_topics, quote_context, score_brief, BriefTopic
from assistant.cli import main
from ingest.errors import ConfigError
from support import REPO


def test_the_evaluation_set_has_at_least_15_topics_with_patterns() -> None:
    topics = load_topics(REPO / "eval" / "briefs" / "topics.jsonl")
    assert len(topics) >= 15 and len({t.id for t in topics}) == len(topics)
    assert all(t.on_topic for t in topics)
    assert (REPO / "eval" / "briefs" / "README.md").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not a topic line"),
        ('{"topic": "x"}', "need topic and on_topic"),
        ('{"topic": "x", "on_topic": ["(unclosed"]}', "not a topic line"),
        ('{"topic": " ", "on_topic": ["x"]}', "must not be empty"),
    ],
)
def test_a_bad_topic_line_names_the_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "topics.jsonl"
    path.write_text('{"topic": "fine", "on_topic": ["fine"]}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"topics.jsonl:2: .*{message}"):
        load_topics(path)


def test_a_quotes_context_is_its_line_and_the_two_before() -> None:
    text = "Headline\nThe balloon was seen.\nIt flew east.\nThen it was shot down.\nLater news."
    start = text.index("Then")
    context = quote_context(text, start, start + len("Then it was shot down."))
    assert context == "The balloon was seen.\nIt flew east.\nThen it was shot down."


def test_scoring_counts_off_topic_articles_repeats_and_late_dates(harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    catalog = harbor_assistant.index.catalog
    by_title = {a.title: a for a in catalog.iter_articles()}
    ferry, library = by_title["Ferry Capsizes Off Harbor City"], by_title["Harbor City Opens New Library"]

    def cite(n: int, article, sentence: str) -> dict:  # type: ignore[no-untyped-def, type-arg]
        start = article.text.index(sentence)
        return {"n": n, "article_id": article.article_id, "title": article.title, "url": "", "published": article.published,
                "source": article.source, "quote": sentence, "start": start, "end": start + len(sentence)}  # fmt: skip

    lead = "At least 120 people were killed in the ferry disaster, officials said on Sunday."
    aside = "The library cost 12 million dollars and took three years to build."
    payload = {
        "citations": [cite(1, ferry, lead), cite(2, library, aside)],
        "summary": [{"text": lead, "citations": [1], "date": "2023-02-05", "precision": "day"}],
        "timeline": [
            {"text": lead, "citations": [1], "date": "2023-02-05", "precision": "day"},
            {"text": aside, "citations": [2], "date": "2023-02-09", "precision": "day"},  # after Feb 5
        ],
        "changes": [],
    }
    topic = BriefTopic("ferry", "Harbor City ferry", ("(?i)ferry",))
    score = score_brief(payload, topic, catalog, harbor_assistant.index.embedder.encode, 12.0)
    assert (score.articles_cited, score.articles_on_topic, score.precision) == (2, 1, 0.5)
    assert score.off_topic == ["Harbor City Opens New Library"]
    assert score.repeated == 1 and score.dated_lines == 3 and score.after_publication == 1
    assert score.undated_kept == 0 and score.ms == 12.0


def test_newsdesk_eval_briefs_reports_each_topic(harbor_assistant, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    topics = tmp_path / "topics.jsonl"
    topics.write_text(
        '{"id": "ferry", "topic": "Harbor City ferry", "on_topic": ["(?i)ferry|capsiz|HCPA|Whitlock"]}\n'
        '{"id": "mayor", "topic": "Dana Whitlock", "on_topic": ["Whitlock"]}\n',
        encoding="utf-8",
    )
    index = str(harbor_assistant.index.settings.index)
    report = tmp_path / "report.md"
    assert main(["eval", "--briefs", str(topics), "--index", index, "--json", "--out", str(report)]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in payload["topics"]] == ["ferry", "mayor"]
    summary = payload["summary"]
    assert summary["min_precision"] == 1.0 and summary["repeated"] == 0 and summary["after_publication"] == 0
    assert summary["undated_kept"] >= 1 and summary["p50_ms"] > 0
    text = report.read_text(encoding="utf-8")
    assert "| Harbor City ferry |" in text and "| **all 2** |" in text
    assert main(["eval", "--index", index]) == 2  # neither questions nor --briefs
    assert "give a question file (and/or --unanswerable FILE), or --briefs TOPICS" in capsys.readouterr().err
