"""Issue 13's answer form: datelines off quotes, the answering sentence first, one source per
article, short direct answers, all through the pluggable sentence scorer (assistant/relevance)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Sequence

import numpy as np
import pytest

from assistant.answer import Answer
from assistant.cli import main
from assistant.extractive import ExtractiveAnswerer, ExtractiveConfig, sentence_candidates
from assistant.quotes import dateline_end, without_dateline
from assistant.relevance import SentenceCandidate, Thresholds
from assistant.relevance.trained import TrainedSentenceScorer
from assistant.retrieve import Retrieval
from assistant.spans import DATE, NAME, NUMBER, PLACE, candidate_spans, direct_span, question_kind

FERRY = "2024-02-12-port-halvard-ferry-strike-vote.txt"


class MarkedScorer:
    """A SentenceScorer for tests: sentences containing `marker` score 2, the rest 1 - position/100.

    It plugs in where a trained model would (ExtractiveAnswerer(scorer=...)), so the seam, the
    ordering and the gates are tested without depending on the heuristic's taste.
    """

    name = "marked"

    def __init__(self, marker: str, confident_above: float = 1.5) -> None:
        self.marker = marker
        self.thresholds = Thresholds(abstain_below=0.5, confident_above=confident_above, keep_within=1.0)

    def score(self, question: str, sentences: Sequence[SentenceCandidate], retrieval: Retrieval) -> np.ndarray:
        return np.array([2.0 if self.marker in s.text else 1.0 - i / 100 for i, s in enumerate(sentences)])


# -- datelines -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("SEOUL — North Korea fired a missile on Sunday.", "North Korea fired a missile on Sunday."),
        ("(CNN) — The storm weakened overnight.", "The storm weakened overnight."),
        ("WASHINGTON (Reuters) - The Senate passed the bill.", "The Senate passed the bill."),
        ("PORT HALVARD — Ferry workers voted on Monday to strike.", "Ferry workers voted on Monday to strike."),
        ("Washington (CNN) — Three senators objected.", "Three senators objected."),
        ("KYIV, Ukraine (AP) — Russian drones struck the city.", "Russian drones struck the city."),
        ("NATO — the alliance said nothing.", "NATO — the alliance said nothing."),  # not a dateline
        ("The union — which represents crews — agreed.", "The union — which represents crews — agreed."),
    ],
)
def test_a_dateline_is_cut_off_the_quote_and_the_rest_stays_verbatim(text: str, quote: str) -> None:
    article = f"Headline\n\n{text}\n"
    start, end = article.index(text), article.index(text) + len(text)
    later = dateline_end(article, start, end)
    assert article[later:end] == quote and without_dateline(text) == quote
    assert later >= start


def test_briefings_and_answers_share_the_one_dateline_rule() -> None:
    import assistant.briefing.evidence as evidence  # where briefings pick their statements

    assert evidence.dateline_end is dateline_end


def test_sentence_candidates_quote_after_the_dateline(reading_assistant) -> None:
    retrieval = reading_assistant.retriever.retrieve("What did Port Halvard ferry workers vote for on Monday?")
    ferry = [ev for ev in retrieval.evidence if ev.title.startswith("Port Halvard Ferry Crews")][:1]
    text = retrieval.articles[ferry[0].article_id].text
    lead = next(c for c in sentence_candidates(ferry, retrieval) if "voted on Monday" in c.text)
    assert lead.text.startswith("Ferry workers voted") and text[lead.start : lead.end] == lead.text
    assert lead.lead_in == "PORT HALVARD — " and text[lead.start - len(lead.lead_in) : lead.start] == lead.lead_in
    kept = next(c for c in sentence_candidates(ferry, retrieval, trim_datelines=False) if "voted on Monday" in c.text)
    assert kept.text.startswith("PORT HALVARD — ") and kept.start < lead.start


def test_a_where_question_keeps_the_dateline_it_may_be_the_answer(reading_assistant) -> None:
    question = "In which town did ferry workers vote on Monday to strike?"
    ranked = reading_assistant.answerer.rank_sentences(question, reading_assistant.retriever.retrieve(question))
    assert any(c.text.startswith("PORT HALVARD — Ferry workers voted") for c in ranked)


# -- short answers -------------------------------------------------------------------------------

SENTENCES = {
    NUMBER: ("How many ferry workers backed the strike?", "The union said 412 of its 455 members backed the walkout in a ballot.", "412 of its 455 members"),
    NAME: ("Who is the chief executive of Sundline Ferries?", "Its chief executive, Marit Solberg, said the offer was final.", "Marit Solberg"),
    DATE: ("When will the stoppage begin?", "The union said the stoppage would begin at 6 a.m. on February 19 unless talks resumed.", "February 19"),
    PLACE: ("Where do most of the commuters work?", "Most of them are commuters who work at the fish plants on Kell Island.", "Kell Island"),
}


@pytest.mark.parametrize("kind", [NUMBER, NAME, DATE, PLACE])
def test_the_span_that_answers_each_kind_of_question(kind: str) -> None:
    question, sentence, expected = SENTENCES[kind]
    span = direct_span(question, sentence)
    assert question_kind(question) == kind and span is not None
    assert span.text == expected and sentence[span.start : span.end] == expected


def test_no_short_answer_for_why_questions_nor_when_the_sentence_offers_two() -> None:
    assert question_kind("Why are the crews striking?") is None
    assert direct_span("Why are the crews striking?", "Crews are striking because pay fell below inflation.") is None
    two = "The deal gives crews 4.1 percent this year and a further 3 percent next year."
    assert len(candidate_spans("How much of a pay rise did crews get?", two, NUMBER)) == 2
    assert direct_span("How much of a pay rise did crews get?", two) is None  # two figures: a guess, not an answer


def test_the_question_s_own_figures_and_names_are_not_answers() -> None:
    assert direct_span("How many of the 455 members backed the strike?", "The 455 members include deckhands and engineers.") is None
    assert direct_span("Who did Marit Solberg blame?", "Marit Solberg blamed the union.") is None
    assert direct_span("When did the strike start?", "At 6 a.m. the crews walked off the ferries.") is None  # a time is not a date


# -- through the answerer, with a scorer plugged in -------------------------------------------------


def answer_with(assistant, question: str, marker: str, confident_above: float = 1.5, **config: object) -> Answer:  # type: ignore[no-untyped-def]
    scorer = MarkedScorer(marker, confident_above)
    answerer = ExtractiveAnswerer(assistant.index.embedder, replace(ExtractiveConfig(), **config), scorer)
    retrieval = assistant.retriever.retrieve(question)
    return answerer.answer(question, retrieval)


def test_the_answering_sentence_comes_first_not_the_lead(reading_assistant) -> None:
    question = "How many ferry workers backed the strike in Port Halvard?"
    first = answer_with(reading_assistant, question, "412 of its 455", direct_answers=False)
    assert first.sentences[0].text.startswith("The union said 412") and "[1]" in first.answer
    story = answer_with(reading_assistant, question, "412 of its 455", direct_answers=False, answer_first=False)
    assert not story.sentences[0].text.startswith("The union said 412")  # story order puts the lead first


def test_two_sentences_of_one_article_are_one_source(reading_assistant) -> None:
    answer = answer_with(reading_assistant, "How many ferry workers backed the strike in Port Halvard?", "412 of its 455", direct_answers=False)
    ferry = [c for c in answer.citations if c.title.startswith("Port Halvard Ferry Crews")]
    assert len(ferry) == 1 and len(ferry[0].passages) >= 2
    assert [s.citations for s in answer.sentences if s.text in {p.quote for p in ferry[0].passages}] == [(ferry[0].n,)] * len(ferry[0].passages)
    text = reading_assistant.index.catalog.article(ferry[0].article_id).text
    assert all(text[p.start : p.end] == p.quote for p in ferry[0].passages)
    assert (ferry[0].quote, ferry[0].start, ferry[0].end) == (ferry[0].passages[0].quote, ferry[0].passages[0].start, ferry[0].passages[0].end)


def test_a_confident_scorer_leads_with_the_span_cited(reading_assistant) -> None:
    answer = answer_with(reading_assistant, "How many ferry workers backed the strike in Port Halvard?", "412 of its 455")
    assert answer.direct is not None and answer.direct.text == "412 of its 455 members" and answer.direct.kind == NUMBER
    assert answer.sentences[0].role == "direct" and answer.sentences[0].text == "412 of its 455 members"
    assert answer.answer.startswith("412 of its 455 members [1]: The union said 412")
    article = reading_assistant.index.catalog.article(answer.citations[0].article_id)
    assert article.text[answer.direct.start : answer.direct.end] == answer.direct.text
    quote = answer.citations[0].passages[0]
    assert quote.start <= answer.direct.start and answer.direct.end <= quote.end  # the span is inside the quote
    unsure = answer_with(reading_assistant, "How many ferry workers backed the strike in Port Halvard?", "412 of its 455", confident_above=3.0)
    assert unsure.direct is None and unsure.sentences[0].role == "quote"


def test_the_default_scorer_s_scores_rank_the_quotes(reading_assistant) -> None:
    assert isinstance(reading_assistant.scorer, TrainedSentenceScorer)
    assert reading_assistant.answerer.scorer is reading_assistant.scorer
    question = "What did the mayor of Port Halvard say the town would do if the ferry strike went ahead?"
    retrieval = reading_assistant.retriever.retrieve(question)
    ranked = reading_assistant.answerer.rank_sentences(question, retrieval)
    answer = reading_assistant.ask(question)
    assert [s.text for s in answer.sentences][:1] == [ranked[0].text]  # score order, whatever the story order
    assert any("charter two private boats" in s.text for s in answer.sentences)


def test_json_keeps_every_old_key_and_adds_the_new_ones(reading_settings, capsys) -> None:
    main(["ask", "What did the mayor of Port Halvard say the town would do if the ferry strike went ahead?",
          "--index", str(reading_settings.index), "--json"])
    payload = json.loads(capsys.readouterr().out)
    old = {"question", "answer", "abstained", "citations", "timings_ms", "standalone_question", "period", "backend",
           "sentences", "leads", "notes", "generated", "fell_back"}
    assert old | {"direct_answer", "period_coverage", "outside_period", "abstain_reason", "missing_terms"} <= set(payload)
    assert all({"text", "citations", "supported", "support", "role"} <= set(s) for s in payload["sentences"])
    assert all(c["passages"][0]["quote"] == c["quote"] for c in payload["citations"])


def test_streaming_yields_the_text_then_the_same_answer(reading_assistant) -> None:
    items = list(reading_assistant.stream("Who is the chief executive of Sundline Ferries?"))
    assert isinstance(items[-1], Answer) and all(isinstance(i, str) for i in items[:-1])
    assert "".join(items[:-1]) == items[-1].answer and items[-1].citations
