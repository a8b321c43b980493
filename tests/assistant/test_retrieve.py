"""The retriever on the sample archive: filters are exact, periods steer, evidence is quotable."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assistant.filters import Filters
from assistant.retrieve import RetrievalConfig, Retriever

QUESTION = "What did the UN Security Council decide about North Korea?"


@pytest.fixture(scope="module")
def retriever(sample_assistant) -> Retriever:  # type: ignore[no-untyped-def]
    return sample_assistant.retriever


def test_evidence_is_a_verbatim_slice_of_its_article_ranked_from_one(retriever: Retriever) -> None:
    found = retriever.retrieve(QUESTION, k=8)
    assert [ev.rank for ev in found.evidence] == list(range(1, len(found.evidence) + 1))
    assert len(found.evidence) == 8
    for ev in found.evidence:
        article = found.articles[ev.article_id]
        assert article.text[ev.start : ev.end] == ev.text
        assert (ev.title, ev.published, ev.source) == (article.title, article.published, article.source)
    scores = [ev.score for ev in found.evidence]
    assert scores == sorted(scores, reverse=True)
    assert "security" in found.terms and "council" in found.terms


def test_one_article_cannot_crowd_out_the_others(retriever: Retriever) -> None:
    found = retriever.retrieve(QUESTION, k=10)
    per_article: dict[str, int] = {}
    for ev in found.evidence:
        per_article[ev.article_id] = per_article.get(ev.article_id, 0) + 1
    assert max(per_article.values()) <= retriever.config.per_article


@pytest.mark.parametrize(
    "filters",
    [Filters(since="2017-09-01"), Filters(until="2017-08-31"), Filters(sources=("meridian review",)), Filters("2017-08-01", "2017-08-31")],
)
def test_user_filters_are_exact_for_dense_and_lexical_passes(retriever: Retriever, filters: Filters) -> None:
    for config in (RetrievalConfig(), RetrievalConfig(lexical=False), RetrievalConfig(dense=False)):
        found = Retriever(retriever.index, config).retrieve(QUESTION, filters, k=10)
        assert found.evidence, (config, filters)
        for ev in found.evidence:
            assert (not filters.since or ev.published >= filters.since) and (not filters.until or "" < ev.published <= filters.until)
            assert not filters.sources or ev.source.lower() in filters.sources


def test_a_filter_the_pool_cannot_fill_asks_chroma_exactly(retriever: Retriever) -> None:
    """A dense pool of 3 passages rarely holds 10 from one outlet: the filtered query must top it up."""
    narrow = Retriever(retriever.index, RetrievalConfig(dense_pool=3, lexical=False))
    found = narrow.retrieve(QUESTION, Filters(sources=("Meridian Review",)), k=4)
    assert len(found.evidence) >= 2 and {ev.source for ev in found.evidence} == {"Meridian Review"}


def test_a_named_period_the_archive_covers_restricts_the_evidence(retriever: Retriever) -> None:
    found = retriever.retrieve("What did the Security Council ban in September 2017?", k=6)
    assert found.period is not None and found.period.year_given
    assert found.period_coverage is not None and found.period_coverage.covered and found.period_coverage.enforced
    assert found.evidence and all(ev.published.startswith("2017-09") and ev.in_period for ev in found.evidence)
    assert "september" not in found.terms  # time words steer by date, not by vocabulary


def test_without_enforcement_a_named_period_steers_without_hiding_the_rest(retriever: Retriever) -> None:
    soft = Retriever(retriever.index, RetrievalConfig(enforce_period=False))
    found = soft.retrieve("What did the Security Council ban in September 2017?", k=6)
    assert found.period_coverage is None
    assert found.evidence[0].published.startswith("2017-09") and found.evidence[0].in_period
    assert any(not ev.in_period for ev in found.evidence)  # other months still answer, lower down


def test_a_period_the_archive_does_not_cover_keeps_the_nearest_evidence(retriever: Retriever) -> None:
    found = retriever.retrieve("What did the Security Council ban in February 2019?", k=4)
    coverage = found.period_coverage
    assert coverage is not None and not coverage.covered and not coverage.enforced
    assert (coverage.phrase, coverage.start, coverage.end) == ("February 2019", "2019-02-01", "2019-02-28")
    assert coverage.archive_last == "2017-11-30" and found.evidence  # the nearest, from outside the period
    assert "has no articles from February 2019" in coverage.notice()


def test_a_month_without_a_year_is_enforced_only_when_the_asked_date_anchors_it(retriever: Retriever) -> None:
    assert retriever.retrieve("What did the Security Council ban in August?").period_coverage is None
    anchored = retriever.retrieve("What did the Security Council ban in August?", asked=date(2017, 9, 2))
    assert anchored.period_coverage is not None and anchored.period_coverage.phrase == "August 2017"
    assert all(ev.published.startswith("2017-08") for ev in anchored.evidence)
    vague = retriever.retrieve("What did North Korea test recently?")
    assert vague.period is not None and vague.period_coverage is None  # vague words only steer


def test_a_period_after_the_asked_day_is_a_plan_not_a_restriction(retriever: Retriever) -> None:
    """"... said she won't run again in 2018" asked in 2017: no news of 2018 exists yet, so the
    year is neither enforced nor reported as uncovered; without an asked day it still is."""
    question = "Which senator said in the summer she will not run for reelection in 2018?"
    planned = retriever.retrieve(question, asked=date(2017, 9, 2))
    assert planned.period is not None and planned.period.start == date(2018, 1, 1)
    assert planned.period_coverage is None and planned.evidence
    unanchored = retriever.retrieve("What did the Security Council ban in February 2019?")
    assert unanchored.period_coverage is not None and not unanchored.period_coverage.covered


def test_periods_resolve_against_the_asked_date_or_else_the_newest_article(retriever: Retriever) -> None:
    assert retriever.newest_date() == date(2017, 11, 30)
    assert retriever.retrieve("What happened in March?").anchor == date(2017, 11, 30)
    asked = retriever.retrieve("What happened this week?", asked=date(2017, 8, 23))
    assert asked.anchor == date(2017, 8, 23) and asked.period is not None
    assert asked.period.start <= date(2017, 8, 16) and asked.period.end >= date(2017, 8, 23)
    assert retriever.retrieve("What happened in March?", Filters(until="2016-12-31")).anchor == date(2016, 12, 31)


def test_a_precomputed_query_vector_gives_the_same_evidence(retriever: Retriever) -> None:
    first = retriever.retrieve(QUESTION, k=6)
    again = retriever.retrieve(QUESTION, k=6, query_vector=first.query_vector)
    assert [ev.chunk_id for ev in again.evidence] == [ev.chunk_id for ev in first.evidence]


def test_month_mentions_lift_passages_that_name_the_month(retriever: Retriever) -> None:
    question = "What did Tillerson require in March?"
    plain = Retriever(retriever.index, replace(retriever.config, month_mention_boost=0.0)).retrieve(question, k=5)
    boosted = retriever.retrieve(question, k=5)
    top = boosted.evidence[0]
    assert "March" in top.text
    before = next(ev.score for ev in plain.evidence if ev.chunk_id == top.chunk_id)
    assert top.score == pytest.approx(before + retriever.config.month_mention_boost)
