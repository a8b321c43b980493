"""Metric code on tiny hand-made cases, and `newsdesk eval` end to end on the sample."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.answer import Answer, Citation, Quote
from assistant.cli import main
from assistant.evaluate import QuestionResult, classify, load_questions, summarise, verbatim_count
from assistant.metrics import contains_gold, first_hit, gold_answers, retrieval_metrics
from ingest.errors import ConfigError


def row(**kw) -> QuestionResult:  # type: ignore[no-untyped-def]
    base = dict(id="q", question="?", asked="", gold=["x"], answer="", abstained=False, hit_rank=None, correct=False,
                citations=0, citations_verbatim=0, citations_with_gold=0, latency_ms=10.0)
    base.update(kw)
    return QuestionResult(**base)  # type: ignore[arg-type]


def test_hit_is_a_case_insensitive_substring_in_a_retrieved_passage() -> None:
    passages = ["Nothing here.", "The buffalo bills won.", "Buffalo Bills again."]
    assert first_hit(passages, ["Buffalo Bills"]) == 2
    assert first_hit(passages, ["Cincinnati Bengals"]) is None
    assert first_hit(["x"] * 10 + ["Buffalo Bills"], ["Buffalo Bills"]) is None  # scored to depth 10 only
    assert contains_gold("… the Buffalo Bills [1]", ["buffalo bills"])


def test_gold_answers_come_as_a_list_or_one_string() -> None:
    assert gold_answers({"answers": ["A", " ", "B"]}) == ("A", "B")
    assert gold_answers({"answer": "Bengals"}) == ("Bengals",)
    assert gold_answers({"question": "no gold"}) == ()


def test_metrics_module_imports_nothing_heavy() -> None:
    """benchmarks/peer_newsrag.py imports it in a venv without torch or newsdesk's dependencies."""
    import ast

    import assistant.metrics as metrics

    tree = ast.parse(open(metrics.__file__, encoding="utf-8").read())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported <= {"__future__", "typing", "re"}, imported  # the standard library only


def test_retrieval_metrics_hit_at_k_and_mrr() -> None:
    metrics = retrieval_metrics([1, 3, None, 7])
    assert metrics["hit@1"] == 0.25 and metrics["hit@3"] == 0.5 and metrics["hit@5"] == 0.5 and metrics["hit@10"] == 0.75
    assert metrics["mrr@10"] == pytest.approx((1 + 1 / 3 + 1 / 7) / 4)


def test_non_verbatim_quote_lowers_citation_precision(sample_assistant) -> None:
    article = next(sample_assistant.index.catalog.iter_articles())
    good = Citation(1, article.article_id, article.title, article.url, article.published, article.source,
                    article.text[0:40], 0, 40)
    bad = Citation(2, article.article_id, article.title, article.url, article.published, article.source,
                   "A sentence the article never said.", 0, 34)
    answer = Answer("q", "x [1] y [2]", False, [good, bad])
    assert verbatim_count(sample_assistant, answer) == (1, 2)
    # One source per article: a citation's later quotes are checked too, not only its first.
    second_bad = good.with_passages([Quote(good.quote, 0, 40), Quote("A sentence the article never said.", 50, 84)])
    second_good = good.with_passages([Quote(good.quote, 0, 40), Quote(article.text[50:90], 50, 90)])
    assert verbatim_count(sample_assistant, Answer("q", "x [1] y [1]", False, [second_bad])) == (0, 1)
    assert verbatim_count(sample_assistant, Answer("q", "x [1] y [1]", False, [second_good])) == (1, 1)
    report = summarise([row(citations=2, citations_verbatim=1, correct=True)], k=5, backend="extractive")
    assert report.metrics["citation_verbatim"] == 0.5


def test_failure_reasons() -> None:
    assert classify(row(correct=True), 5) == ""
    assert classify(row(gold_in_archive=False), 5) == "gold answer not in the archive"
    assert classify(row(abstained=True, hit_rank=2), 5) == "abstained wrongly"
    assert classify(row(abstained=True), 5) == "abstained (evidence not retrieved)"
    assert classify(row(), 5) == "retrieval miss"
    assert classify(row(hit_rank=8), 5) == "evidence ranked too low"
    assert classify(row(hit_rank=2), 5) == "wrong sentence picked"


def test_load_questions_reads_realtimeqa_format_and_rejects_bad_lines(tmp_path: Path) -> None:
    good = {"id": "20230106_0", "asked": "2023/01/05", "question": "Which team?", "choices": ["A", "B"], "answers": ["B"]}
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps(good) + "\n", encoding="utf-8")
    (q,) = load_questions(path)
    assert q.asked and q.asked.isoformat() == "2023-01-05" and q.answers == ("B",) and q.choices == ("A", "B")
    path.write_text(json.dumps(good) + "\n" + json.dumps({"id": "x", "question": "No gold?"}) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="line 2"):
        load_questions(path)


@pytest.mark.parametrize(("order", "asked"), [("month-first", "2017-07-08"), ("day-first", "2017-08-07")])
def test_the_eval_command_reads_asked_dates_in_the_index_date_order(sample_settings, tmp_path: Path, capsys, monkeypatch, order: str, asked: str) -> None:
    monkeypatch.setenv("NEWSDESK_DATE_ORDER", order)
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "d1", "asked": "07/08/2017", "question": "Which exports did the UN ban?", "answers": ["coal"]}) + "\n", encoding="utf-8")
    code = main(["eval", str(path), "--index", str(sample_settings.index), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["rows"][0]["asked"] == asked


def test_eval_command_end_to_end_on_the_sample(sample_settings, tmp_path: Path, capsys) -> None:
    questions = [
        {"id": "s1", "asked": "2017/08/23", "question": "What must North Korea give up before talks, according to Tillerson in March?",
         "choices": [], "answers": ["nuclear weapons"]},
        {"id": "s2", "asked": "2017/08/07", "question": "Which exports did the UN ban this week?", "choices": [], "answers": ["coal"]},
        {"id": "s3", "asked": "2017/08/23", "question": "Which planet did the probe land on?", "choices": [], "answers": ["Neptune"]},
    ]
    path = tmp_path / "sample-questions.jsonl"
    path.write_text("\n".join(json.dumps(q) for q in questions), encoding="utf-8")
    out = tmp_path / "report.md"
    code = main(["eval", str(path), "--index", str(sample_settings.index), "--json", "--out", str(out)])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["questions"] == 3
    by_id = {r["id"]: r for r in report["rows"]}
    assert by_id["s1"]["correct"] and by_id["s1"]["hit_rank"] == 1
    assert by_id["s2"]["correct"]
    assert not by_id["s3"]["correct"] and by_id["s3"]["failure"] == "gold answer not in the archive"
    assert report["metrics"]["citation_verbatim"] == 1.0
    text = out.read_text(encoding="utf-8")
    assert "| answer accuracy" in text and "GPT-3 + Google search results" in text
    # Failures come first in the per-question table.
    table = text.split("## Per question (failures first)")[1]
    assert table.index("| s3 |") < table.index("| s1 |")
