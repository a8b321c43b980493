"""The product's promise: cited answers, verbatim quotes, abstention, filters, periods, follow-ups."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer import Answer
from assistant.cli import main

CITATION_KEYS = {"n", "article_id", "title", "url", "published", "source", "quote", "start", "end", "passages"}


def assert_promise(answer: Answer, assistant) -> None:  # type: ignore[no-untyped-def]
    """Every sentence cited, markers match the numbered sources, every quote verbatim."""
    if answer.abstained and not answer.outside_period:
        assert not answer.citations and "nothing in the archive" in answer.answer
        return
    if answer.abstained:  # the period asked about has no coverage: the nearest quotes, labelled
        assert answer.period_coverage is not None and answer.answer.startswith(answer.period_coverage.notice())
    assert answer.citations, answer.answer
    markers = [int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)]
    assert sorted(set(markers)) == [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for sentence in answer.sentences:
        assert sentence.citations, sentence.text
        assert sentence.text in answer.answer
    assert len({c.article_id for c in answer.citations}) == len(answer.citations)  # one source per article
    for c in answer.citations:
        article = assistant.index.catalog.article(c.article_id)
        assert article is not None
        assert article.text[c.start : c.end] == c.quote and c.passages[0].quote == c.quote
        assert all(article.text[p.start : p.end] == p.quote for p in c.passages)
        assert (c.title, c.published, c.source, c.url) == (article.title, article.published, article.source, article.url)


SEED_MARCH = (
    "In his first trip to Seoul, South Korea, in March, Mr. Tillerson appeared to make North Korea’s "
    "surrender of nuclear weapons a prerequisite for talks."
)
SEED_TITLE = "Tillerson Suggests North Korea May Soon Be Ready for Talks"


def test_seed_tillerson_march_requirement_is_cited_verbatim(seed_corpus_assistant) -> None:
    answer = seed_corpus_assistant.ask("What did Tillerson require in March?")
    assert_promise(answer, seed_corpus_assistant)
    assert answer.citations[0].quote == SEED_MARCH and answer.citations[0].title == SEED_TITLE
    assert answer.answer.startswith(SEED_MARCH + " [1]")
    assert answer.period.startswith("in march")


def test_seed_new_sanctions_target_china_and_russia(seed_corpus_assistant) -> None:
    answer = seed_corpus_assistant.ask("Who did the new sanctions target?")
    assert_promise(answer, seed_corpus_assistant)
    assert any("against China and Russia" in p.quote for p in answer.citations[0].passages), answer.answer


def test_sample_answers_the_march_question_too(mixed_assistant) -> None:
    """With the sample and the seed together, either may answer; the quote must say it."""
    answer = mixed_assistant.ask("What did Tillerson require in March?")
    assert_promise(answer, mixed_assistant)
    first = answer.citations[0].quote.lower()
    assert "march" in first and "nuclear" in first and "talk" in first, first


def test_new_sanctions_target_china_and_russia(mixed_assistant) -> None:
    answer = mixed_assistant.ask("Who did the new sanctions target?")
    assert_promise(answer, mixed_assistant)
    assert "China" in answer.answer and "Russia" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    ["What did the Mars rover discover in the Atacama desert?", "Who won the 1998 Eurovision Song Contest?"],
)
def test_absent_topic_abstains_with_leads(mixed_assistant, question: str) -> None:
    answer = mixed_assistant.ask(question)
    assert answer.abstained, answer.answer
    assert answer.citations == [] and len(answer.leads) <= 3
    assert_promise(answer, mixed_assistant)


def test_date_filters_and_source_filter(sample_assistant) -> None:
    question = "What did the UN Security Council decide about North Korea?"
    late = sample_assistant.ask(question, since="2017-09-01")
    assert_promise(late, sample_assistant)
    assert late.citations and all(c.published >= "2017-09-01" for c in late.citations)
    early = sample_assistant.ask(question, until="2017-08-31")
    assert early.citations and all(c.published <= "2017-08-31" for c in early.citations)
    assert {c.article_id for c in late.citations}.isdisjoint({c.article_id for c in early.citations})
    sources = sample_assistant.index.catalog.sources()
    one = sources[0]
    only = sample_assistant.ask("What happened with North Korea?", sources=[one])
    assert all(c.source == one for c in only.citations)
    nowhere = sample_assistant.ask(question, sources=["No Such Gazette"])
    assert nowhere.abstained


def test_named_period_prefers_evidence_from_that_period(sample_assistant) -> None:
    august = sample_assistant.ask("What did the Security Council ban in August 2017?")
    september = sample_assistant.ask("What did the Security Council ban in September 2017?")
    assert_promise(august, sample_assistant)
    assert_promise(september, sample_assistant)
    assert august.citations[0].published.startswith("2017-08"), august.citations[0]
    assert september.citations[0].published.startswith("2017-09"), september.citations[0]
    assert "coal" in august.answer.lower()
    assert "oil" in september.answer.lower() or "petroleum" in september.answer.lower()


def test_relative_period_resolves_against_the_archive_not_today(sample_assistant) -> None:
    retrieval = sample_assistant.retriever.retrieve("What did North Korea test last summer?")
    assert retrieval.period is not None
    # The sample's newest article is 2017-11-30, so "last summer" is summer 2017, not 2026.
    assert (retrieval.period.start.isoformat(), retrieval.period.end.isoformat()) == ("2017-06-01", "2017-08-31")


def test_follow_ups_keep_the_thread_on_the_seed(seed_corpus_assistant) -> None:
    assistant = seed_corpus_assistant
    history: list[dict] = []
    first = assistant.ask("What did Tillerson require in March?", history=history)
    history += [{"role": "user", "content": "What did Tillerson require in March?"}, {"role": "assistant", "content": first.answer}]
    second = assistant.ask("And what did he later suggest would be enough?", history=history)
    assert second.standalone_question == "What did Tillerson later suggest would be enough?"
    assert_promise(second, assistant)
    assert re.search(r"pause", second.answer, re.I), second.answer
    # Gradio sends content as a list of parts: the thread must survive that shape too.
    history += [{"role": "user", "content": [{"type": "text", "text": "And what did he later suggest would be enough?"}]},
                {"role": "assistant", "content": second.answer}]
    third = assistant.ask("And who did the new sanctions target?", history=history)
    assert third.standalone_question == "Who did the new sanctions target (Tillerson)?"
    assert_promise(third, assistant)
    assert "China" in third.answer and "Russia" in third.answer


def test_follow_up_about_a_person_in_the_corpus(mixed_assistant) -> None:
    history = [{"role": "user", "content": "What happened to Damar Hamlin during the game?"}]
    answer = mixed_assistant.ask("Which team does he play for?", history=history)
    assert answer.standalone_question == "Which team does Damar Hamlin play for?"
    assert_promise(answer, mixed_assistant)
    # The thread carried: every quote comes from coverage of Hamlin, not of some other player.
    assert answer.citations and all("Hamlin" in c.title for c in answer.citations), answer.citations


def test_ask_json_schema_through_cli(sample_settings, capsys) -> None:
    code = main(["ask", "What did Tillerson require in March?", "--index", str(sample_settings.index), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {"question", "answer", "abstained", "citations", "timings_ms"} <= set(payload)
    assert set(payload["timings_ms"]) >= {"retrieve", "answer", "total"}
    assert payload["citations"] and all(set(c) == CITATION_KEYS for c in payload["citations"])
    assert all(isinstance(c["start"], int) and isinstance(c["n"], int) for c in payload["citations"])
    for c in payload["citations"]:  # the first passage is the citation's own quote
        assert c["passages"][0] == {"quote": c["quote"], "start": c["start"], "end": c["end"]}


def test_human_output_lists_numbered_sources(sample_settings, capsys) -> None:
    main(["ask", "Who did the new sanctions target?", "--index", str(sample_settings.index)])
    out = capsys.readouterr().out
    markers = sorted(set(re.findall(r"\[(\d+)\]", out.split("Sources:")[0])))
    listed = re.findall(r"^\[(\d+)\] ", out, re.M)
    assert markers and markers == sorted(listed)


def test_batch_mode_keeps_ids_history_and_reports_bad_lines(sample_settings, tmp_path: Path, capsys) -> None:
    batch = tmp_path / "questions.jsonl"
    lines = [
        {"id": "q1", "question": "What did Tillerson require in March?"},
        {"id": "q2", "question": "And what did he later suggest would be enough?",
         "history": [{"role": "user", "content": "What did Tillerson require in March?"}]},
        {"id": "q3", "question": "What happened this week?", "asked": "2017-08-23"},
    ]
    batch.write_text("\n".join(json.dumps(x) for x in lines[:2]) + "\n{oops\n" + json.dumps(lines[2]) + "\n", encoding="utf-8")
    code = main(["ask", "--batch", str(batch), "--index", str(sample_settings.index), "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0
    assert [r["id"] for r in rows] == ["q1", "q2", 3, "q3"]  # an unreadable line is named by its number
    assert "line 3" in rows[2]["error"]
    assert "Tillerson" in rows[1]["standalone_question"]
    assert rows[3]["period"].startswith("this week -> 2017-08")


def test_bad_filter_date_is_one_clear_error(sample_settings, capsys) -> None:
    code = main(["ask", "Anything?", "--index", str(sample_settings.index), "--since", "someday"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err == "newsdesk ask: --since 'someday': not a date (use YYYY-MM-DD, YYYY-MM or YYYY)"
