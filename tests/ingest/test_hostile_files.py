"""Issue 17: files that used to abort an ingest or sneak in as articles, each one line now.

Every fixture is made here: nesting 100,000 levels deep, a loop of symbolic links, a file name
holding a newline and an escape sequence, a header-only CSV, a page of navigation, a questions
file beside the articles, ambiguous numeric dates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from ingest.dates import date_order, normalise_date
from ingest.errors import ReadError, ReadProblem
from ingest.readers import find_article_files, read_articles

from support import consistent

DEEP = "[" * 100_000 + "]" * 100_000


def story(topic: str) -> str:
    body = " ".join(f"Sentence {i} about the {topic} tells who met whom at the harbour and what they agreed." for i in range(6))
    return f"The {topic} story\nDate: 2021-05-04\nSource: Test Gazette\n\n{body}\n"


def ingest_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, list[str]]:
    code = main(["ingest", *argv, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), [line for line in captured.err.splitlines() if line.strip()]


def test_deeply_nested_json_and_jsonl_cost_one_line_each_and_the_good_file_is_ingested(tmp_path: Path, capsys, embedder) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "deep.json").write_text(DEEP, encoding="utf-8")
    good_line = json.dumps({"id": "ok", "title": "Fine line", "text": story("line")})
    (folder / "feed.jsonl").write_text(good_line + "\n" + DEEP + "\n", encoding="utf-8")
    (folder / "good.txt").write_text(story("ferry"), encoding="utf-8")
    code, report, err = ingest_json(capsys, str(folder), "--index", str(tmp_path / "index"))
    assert code == 0 and report["added"] == 2 and report["failed"] == 2, err
    assert err == [
        f"{folder / 'deep.json'}: JSON nested too deeply to be an article (thousands of levels); skipped",
        f"{folder / 'feed.jsonl'} line 2: JSON nested too deeply to be an article (thousands of levels); skipped",
    ]
    assert consistent(tmp_path / "index")[0] == 2


def test_a_symlink_loop_is_one_line_and_the_rest_of_the_folder_is_ingested(tmp_path: Path, capsys, embedder) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "good.txt").write_text(story("bridge"), encoding="utf-8")
    code, report, err = ingest_json(capsys, str(folder), str(folder / "a.txt"), "--index", str(tmp_path / "index"))
    assert code == 0 and report["added"] == 1 and report["failed"] == 3
    loop = "symbolic link loop (the link leads back to itself); skipped"
    assert err == [f"{folder / 'a.txt'}: {loop}", f"{folder / 'b.txt'}: {loop}", f"{folder / 'a.txt'}: {loop}"]


def test_a_file_name_with_a_newline_or_an_escape_keeps_its_problem_on_one_safe_line(tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    bad = folder / "evil\nname\x1b]0;owned\x07.txt"
    bad.write_text("", encoding="utf-8")
    (problem,) = [p for p in _problems(folder)]
    line = str(problem)
    assert "\n" not in line and "\x1b" not in line and "\x07" not in line
    assert line == f"{folder}/evil\\nname.txt: empty file; skipped"


def _problems(folder: Path) -> list[ReadProblem]:
    found: list[ReadProblem] = []
    for item in find_article_files([folder]):
        if isinstance(item, ReadProblem):
            found.append(item)
            continue
        try:
            found.extend(p for p in read_articles(item) if isinstance(p, ReadProblem))
        except ReadError as err:
            found.append(err.problem)
    return found


def test_a_header_only_csv_and_an_empty_json_list_say_so(tmp_path: Path) -> None:
    (tmp_path / "header.csv").write_text("title,text,date\n", encoding="utf-8")
    (tmp_path / "empty.json").write_text("[]", encoding="utf-8")
    assert sorted(str(p) for p in _problems(tmp_path)) == [
        f"{tmp_path / 'empty.json'}: no article records in the JSON; skipped",
        f"{tmp_path / 'header.csv'}: only a header row, no articles; skipped",
    ]


def test_a_page_of_navigation_is_not_an_article(tmp_path: Path) -> None:
    page = "<html><head><title>Site</title></head><body><nav><ul><li><a href='/'>Home</a></li></ul></nav></body></html>"
    (tmp_path / "nav.html").write_text(page, encoding="utf-8")
    (problem,) = _problems(tmp_path)
    assert problem.reason.startswith("no article text found in the HTML (only 1 words: 'Home'")


def test_a_questions_file_beside_the_articles_is_reported_once_not_indexed(tmp_path: Path, capsys, embedder) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "story.txt").write_text(story("ferry"), encoding="utf-8")
    quiz = [
        {"id": f"q{i}", "question": f"Which harbour did the ferry {i} visit?", "choices": ["A", "B"], "answers": ["A"],
         "evidence": "The ferry visited harbour A on Tuesday after the storm."}
        for i in range(148)
    ]
    (folder / "questions.jsonl").write_text("\n".join(json.dumps(q) for q in quiz) + "\n", encoding="utf-8")
    # A QA record with a text field but no headline is not an article either.
    (folder / "qa.json").write_text(json.dumps([{"question": "Who?", "answer": "Ann", "text": "Ann did it."}] * 3), encoding="utf-8")
    code, report, err = ingest_json(capsys, str(folder), "--index", str(tmp_path / "index"))
    assert code == 0 and report["added"] == 1 and report["failed"] == 2
    assert err == [
        f"{folder / 'qa.json'}: not a file of articles: its records are question records (question, answer; no title); skipped",
        f"{folder / 'questions.jsonl'}: not a file of articles: its records are records without an article text field "
        "(no text/body/content/article/story/full_text; fields: answers, choices, evidence, id, question); skipped",
    ]


def test_a_question_record_among_articles_is_skipped_by_itself(tmp_path: Path) -> None:
    records = [{"id": f"a{i}", "title": f"Story {i}", "text": story(str(i))} for i in range(3)]
    records.insert(1, {"id": "q1", "question": "Which?", "answers": ["x"], "text": "x"})
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    items = list(read_articles(path))
    assert [str(p) for p in items if isinstance(p, ReadProblem)] == [
        f"{path} line 2: a question record (question, answers; no title), not an article; skipped"
    ]
    assert len([a for a in items if not isinstance(a, ReadProblem)]) == 3


def test_ambiguous_numeric_dates_follow_the_documented_order() -> None:
    assert normalise_date("03/04/2017") == "2017-03-04"  # month first by default
    assert normalise_date("13/04/2017") == "2017-04-13"  # only one reading possible
    with date_order(day_first=True):
        assert normalise_date("03/04/2017") == "2017-04-03"
        assert normalise_date("04/13/2017") == "2017-04-13"
        assert normalise_date("2017-03-04") == "2017-03-04"  # year first is never ambiguous
    assert normalise_date("03/04/2017") == "2017-03-04"  # the setting is scoped to the block


def test_ingest_reads_day_first_archives_with_the_setting(tmp_path: Path, capsys, monkeypatch, embedder) -> None:
    path = tmp_path / "uk.jsonl"
    path.write_text(json.dumps({"id": "u1", "title": "UK story", "text": story("tide"), "date": "03/04/2017"}) + "\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_DATE_ORDER", "day-first")
    ingest_json(capsys, str(path), "--index", str(tmp_path / "index"))
    code = main(["stats", "--index", str(tmp_path / "index"), "--json"])
    stats = json.loads(capsys.readouterr().out)
    assert code == 0 and stats["first_published"] == "2017-04-03"
    monkeypatch.setenv("NEWSDESK_DATE_ORDER", "sideways")
    assert main(["stats", "--index", str(tmp_path / "index")]) == 2
    assert "NEWSDESK_DATE_ORDER='sideways': use one of month-first, day-first" in capsys.readouterr().err
