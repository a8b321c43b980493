"""Abstaining when the evidence is off target (key-term coverage, relevance, filters) and honouring
a period the question names (issue 13), on the reading set's original articles."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.coverage import ArchiveWords, key_terms, name_covered, uncovered_terms, vocabulary
from assistant.ui import render
from test_answers import assert_promise


class Text:
    def __init__(self, text: str, published: str = "2024-05-01", title: str = "") -> None:
        self.title, self.text, self.published = title, text, published


EVIDENCE = vocabulary([
    Text("American lawmakers in the House agreed. President Biden met Hunter Biden's lawyers. Meridale Biologics said its vaccine worked. The Kansas City "
         "Chiefs won; the Chiefs celebrated in Atlanta. Ukrainian troops held the line. The Food and Drug "
         "Administration approved it. U.S. officials agreed.")
])


@pytest.mark.parametrize(
    ("name", "covered"),
    [
        (("Joe", "Biden"), True),  # "President Biden": a title is no other name
        (("Corvalex", "Biologics"), False),  # "Meridale Biologics" is someone else
        (("Kansas", "City", "Chiefs"), True),
        (("Chiefs",), True),
        (("Atlantis",), False),  # not "Atlanta"
        (("Ukraine",), True),  # "Ukrainian" is the same name
        (("FDA",), True),  # initials of a name the evidence spells out
        (("United", "States"), True),  # "U.S."
        (("Skarvik",), False),
        (("US", "House"), True),  # the "US" of it: "U.S." or "American" in the evidence
        (("UK", "Parliament"), False),
    ],
)
def test_names_must_match_as_names(name: tuple[str, ...], covered: bool) -> None:
    assert name_covered(name, EVIDENCE) is covered


def test_key_terms_are_the_question_s_own_names_years_and_words() -> None:
    terms = key_terms("What did Port Halvard's mayor, Henrik Alster, promise stranded ferry passengers in 2021?")
    assert terms.names == (("Port", "Halvard"), ("Henrik", "Alster")) and terms.years == ("2021",)
    assert "ferry" in terms.words and "what" not in terms.words
    # A sentence's first word, a question word after a preamble, a possessive: not names.
    preamble = key_terms("Pope Francis died in April. Which country is Pope Leo XIV from?")
    assert preamble.names == (("Pope", "Francis"), ("Pope", "Leo", "XIV"))
    assert key_terms("Police found what?").names == ()
    assert key_terms("Who won the Super Bowl in 2009?", skip="in 2009").years == ()  # the period is handled elsewhere
    # A lone letter before a hyphen names nothing ("K-pop"), and a hyphenated first word is the
    # question's first word all the same ("Stand-up comedian ...").
    assert key_terms("Which member of K-pop group BTS will tour?").names == (("BTS",),)
    assert key_terms("Stand-up comedian Richard Belzer played which detective?").names == (("Richard", "Belzer"),)
    assert key_terms("Which British-born actor won?").names == (("British",),)


def test_a_year_is_covered_by_the_text_or_by_the_publication_date() -> None:
    vocab = vocabulary([Text("The final was played in Doha.", published="2022-12-18")])
    assert uncovered_terms(key_terms("Who won the 2022 final?"), vocab) == []
    assert uncovered_terms(key_terms("Who won the 2031 final?"), vocab) == ["2031"]


class Counts:
    def __init__(self, passages: int) -> None:
        self.passages = passages

    def passage_count(self) -> int:
        return self.passages

    def passages_mentioning(self, term: str, cap: int = 20) -> int:
        return 0 if term == "rugby" else 5


def test_a_word_the_archive_never_uses_counts_only_in_an_archive_big_enough_to_know() -> None:
    vocab = vocabulary([Text("The national football final was won by the Rovers.")])
    question = key_terms("Which team won the national rugby final?")
    assert uncovered_terms(question, vocab, ArchiveWords(Counts(50_000))) == ["rugby"]
    assert uncovered_terms(question, vocab, ArchiveWords(Counts(54))) == []  # 54 passages: a paraphrase is likelier


def test_each_gate_switches_off_on_its_own() -> None:
    """benchmarks/answer_ablation.py measures main's behaviour (the relevance gate only) and each gate
    alone: the switches must do exactly that."""
    import math

    from assistant.gates import LOW_RELEVANCE, NO_EVIDENCE, GateConfig, judge
    from assistant.relevance.protocols import Thresholds

    thresholds = Thresholds(abstain_below=0.65, confident_above=math.inf, keep_within=0.2)
    no_coverage = GateConfig(coverage=False)
    weak = judge("Who won?", None, [], 0.3, 0.5, thresholds, no_coverage)  # type: ignore[arg-type]
    assert weak is not None and weak.reason == LOW_RELEVANCE
    unshared = judge("Who won?", None, [], 0.9, 0.0, thresholds, no_coverage)  # type: ignore[arg-type]
    assert unshared is not None and unshared.reason == LOW_RELEVANCE  # no sentence shares a question word
    off = GateConfig(relevance=False, coverage=False)
    assert judge("Who won?", None, [], 0.3, 0.0, thresholds, off) is None  # type: ignore[arg-type]
    nothing = judge("Who won?", None, [], None, 0.0, thresholds, off)  # type: ignore[arg-type]
    assert nothing is not None and nothing.reason == NO_EVIDENCE  # nothing to quote: never "answered"


# -- end to end on the reading set ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("How many ferry workers in Skarvik backed the walkout?", "Skarvik"),  # an invented place
        ("What did Port Halvard's mayor, Henrik Alster, promise stranded ferry passengers?", "Henrik Alster"),  # an invented person
    ],
)
def test_an_invented_name_is_not_answered(reading_assistant, question: str, missing: str) -> None:
    answer = reading_assistant.ask(question)
    assert answer.abstained and answer.abstain_reason == "key terms missing" and missing in answer.missing_terms
    assert f"never mention “{missing}”" in answer.answer and answer.leads
    assert_promise(answer, reading_assistant)
    # The relevance gate alone would have answered: the names decided it.
    from assistant.gates import GateConfig

    answerer = reading_assistant.answerer
    relevance_only = type(answerer)(answerer.embedder, replace(answerer.config, gates=GateConfig(coverage=False)), answerer.scorer)
    assert not relevance_only.answer(question, reading_assistant.retriever.retrieve(question)).abstained


def test_a_year_the_archive_does_not_reach_says_so_and_labels_the_nearest(reading_assistant) -> None:
    answer = reading_assistant.ask("Why did Port Halvard's ferry crews strike in 2021?")
    coverage = answer.period_coverage
    assert answer.abstained and answer.abstain_reason == "period not covered" and answer.outside_period
    assert coverage is not None and not coverage.covered and (coverage.start, coverage.end) == ("2021-01-01", "2021-12-31")
    assert answer.answer.startswith("The archive has no articles from 2021") and "from outside that period:" in answer.answer
    assert answer.citations and all(c.published >= "2024" for c in answer.citations)
    assert answer.direct is None
    assert_promise(answer, reading_assistant)
    text = answer.render_text()
    assert "Sources (nearest, from outside the period asked about):" in text
    markdown = render.answer_markdown(answer, turn=0)
    assert markdown.startswith("The archive has no articles from 2021") and "_The nearest evidence, from outside that period:_" in markdown


def test_a_period_the_archive_covers_restricts_the_evidence(reading_assistant) -> None:
    answer = reading_assistant.ask("Why did Kilbride's mayor resign in April 2025?")
    assert not answer.abstained and answer.period_coverage is not None and answer.period_coverage.covered
    assert answer.citations and all(c.published.startswith("2025-04") for c in answer.citations)
    assert "travel" in answer.answer.lower() or "trips" in answer.answer.lower()
    assert_promise(answer, reading_assistant)


def test_a_filter_that_leaves_only_unrelated_articles_abstains(reading_assistant) -> None:
    answer = reading_assistant.ask("Why did Kilbride's mayor resign?", sources=["Harbour Gazette"])
    assert answer.abstained and not answer.citations
    assert all(lead.source == "Harbour Gazette" for lead in answer.leads)
    unfiltered = reading_assistant.ask("Why did Kilbride's mayor resign?")
    assert not unfiltered.abstained and "Kilbride" in unfiltered.citations[0].title


def test_a_follow_up_keeps_its_borrowed_topic_out_of_the_coverage_check(reading_assistant) -> None:
    history = [
        {"role": "user", "content": "Why are the ferry crews in Port Halvard going on strike?"},
        {"role": "assistant", "content": "They object to the pay offer and a new rota [1]."},
    ]
    answer = reading_assistant.ask("And how many of the union's members voted for the walkout?", history=history)
    assert "Port Halvard" in answer.standalone_question
    assert not answer.abstained, answer.answer
    assert any("Port Halvard" in c.title or "Port Halvard" in c.quote for c in answer.citations)
    assert_promise(answer, reading_assistant)


def test_eval_reports_first_sentence_and_abstention_precision_recall(reading_settings, tmp_path: Path, capsys, monkeypatch) -> None:
    # The report's plumbing is under test, not a scorer's taste: the heuristic answers a1 with its
    # first sentence (the trained scorer ranks that sentence 6th: models/README.md, its weaknesses).
    monkeypatch.setenv("NEWSDESK_SENTENCE_SCORER", "heuristic")
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        json.dumps({"id": "a1", "question": "Who is the chief executive of Sundline Ferries?", "answers": ["Marit Solberg"]}) + "\n"
        + json.dumps({"id": "p1", "question": "Who won the Port Halvard regatta in 2019?", "answers": []}) + "\n",
        encoding="utf-8",
    )
    unanswerable = tmp_path / "u.jsonl"
    unanswerable.write_text(
        json.dumps({"id": "u1", "question": "How many ferry workers in Skarvik backed the walkout?", "archive": "reading"}) + "\n"
        + json.dumps({"id": "u2", "question": "Skip me", "archive": "rtqa"}) + "\n",
        encoding="utf-8",
    )
    code = main(["eval", str(questions), "--unanswerable", str(unanswerable), "--archive", "reading",
                 "--index", str(reading_settings.index), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["questions"] == 3  # u2 targets another archive
    rows = {r["id"]: r for r in report["rows"]}
    assert rows["u1"]["abstained"] and rows["u1"]["correct"] and not rows["u1"]["answerable"]
    assert rows["p1"]["abstained"] and rows["p1"]["period_covered"] is False
    m = report["metrics"]
    assert m["unanswerable"] == 2 and m["abstention_recall"] == 1.0 and m["abstention_precision"] == 1.0
    assert rows["a1"]["correct"] and m["first_sentence_accuracy"] == float(rows["a1"]["first_sentence_correct"])
