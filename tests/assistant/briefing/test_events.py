"""One event, one line: reports merged across outlets, dates checked against publication, one
number per article, a summary that repeats no line.  On the ferry disaster written for these tests
(tests/fixtures/briefing/harbor): four outlets, a live page whose "Saturday" is stale, an undated
article, a look-alike town and an unrelated story from the same city."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.briefing import BriefConfig, make_brief, render_brief_markdown
from assistant.briefing.event_dates import resolve_event_date
from assistant.briefing.evidence import article_statements
from assistant.briefing.facts import Statement, cluster_facts, same_event
from assistant.briefing.topic import Mentions
from assistant.briefing.views import near_duplicate
from ingest.catalog import StoredArticle
from support import check_brief

CFG = BriefConfig()


@pytest.fixture(scope="module")
def ferry(harbor_assistant):  # type: ignore[no-untyped-def]
    return make_brief(harbor_assistant, "Harbor City ferry")


def test_the_brief_is_well_formed(ferry, harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    check_brief(ferry.to_dict(), harbor_assistant.index.catalog)  # incl. no line dated after publication
    assert {c.source for c in ferry.citations} <= {"Outlet One", "Outlet Two", "Outlet Three", "Outlet Four"}
    assert not any("Harbor Town" in c.title or "Library" in c.title for c in ferry.citations)


def test_one_event_reported_by_several_outlets_is_one_line_citing_all(ferry) -> None:  # type: ignore[no-untyped-def]
    capsized = [p for p in [*ferry.summary, *ferry.timeline, *ferry.undated] if "capsized off Harbor City" in p.text]
    assert len(capsized) == 1
    line = capsized[0]
    assert (line.date, line.date_basis) == ("2023-02-04", "text") and "Saturday" in line.date_phrase
    sources = {c.n: c.source for c in ferry.citations}
    assert {sources[n] for n in line.citations} == {"Outlet One", "Outlet Two"}
    assert line.text.startswith("A passenger ferry capsized")  # the clearest report: the story's lead


def test_a_live_pages_stale_weekday_never_dates_the_event_a_week_early(ferry) -> None:  # type: ignore[no-untyped-def]
    assert all(p.date != "2023-01-28" for p in ferry.points())
    live = [c for c in ferry.citations if c.source == "Outlet Three"]
    assert not live  # published Feb 3: it cannot report Saturday Feb 4, and alone it would say Jan 28
    assert any("dated after their article's publication" in note for note in ferry.notes)


def test_one_article_is_one_source_number(ferry) -> None:  # type: ignore[no-untyped-def]
    numbers: dict[str, set[int]] = {}
    for c in ferry.citations:
        numbers.setdefault(c.article_id, set()).add(c.n)
    assert all(len(ns) == 1 for ns in numbers.values())
    quotes_per_article = {aid: sum(c.article_id == aid for c in ferry.citations) for aid in numbers}
    assert max(quotes_per_article.values()) >= 2  # several quotes of one article share its number
    markdown = render_brief_markdown(ferry)
    sources = markdown.split("## Sources")[1]
    listed = re.findall(r"^(\d+)\. ", sources, flags=re.M)
    assert len(listed) == len(numbers) and len(re.findall(r"^   > ", sources, flags=re.M)) == len(ferry.citations)


def test_the_summary_repeats_no_line(ferry) -> None:  # type: ignore[no-untyped-def]
    lines = [*ferry.summary, *ferry.timeline, *ferry.undated]
    quotes = [ferry.quote(p.quotes[0]) for p in lines]
    assert len({(c.article_id, c.start) for c in quotes}) == len(lines)
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            assert not near_duplicate(a.text, b.text, None, None, CFG), (a.text, b.text)


def test_undated_statements_have_their_own_section(ferry, harbor_assistant) -> None:  # type: ignore[no-untyped-def]
    assert ferry.undated and all(not p.date for p in ferry.undated)
    assert {ferry.quote(q).source for p in ferry.undated for q in p.quotes} == {"Outlet Four"}
    markdown = render_brief_markdown(ferry)
    assert "## Undated" in markdown and "listed to one side" in markdown.split("## Undated")[1]


def _article(text: str, published: str, title: str = "Story", url: str = "") -> StoredArticle:
    return StoredArticle(f"id-{abs(hash((text, published))) % 10**8}", "o", "p", "f", title, text, published, "S", (), url)


def _statement(text: str, published: str, embedder, title: str = "Story") -> Statement:  # type: ignore[no-untyped-def]
    article = _article(text, published, title)
    s = Statement(article, 0, len(text), resolve_event_date(text, published), relevance=0.5)
    s.vector = embedder.encode([text])[0]
    return s


def test_same_event_needs_one_date_the_same_action_and_no_other_figures(embedder) -> None:  # type: ignore[no-untyped-def]
    topic = {"ferri", "harbor", "city", "ferry"}
    a = _statement("A passenger ferry capsized off Harbor City on Saturday afternoon, the coast guard said.", "2023-02-05", embedder)
    b = _statement("The Harbor City ferry capsized on Saturday with 300 people on board, officials said.", "2023-02-06", embedder)
    library = _statement("Harbor City opened a new public library on Saturday, with a reading room.", "2023-02-05", embedder)
    later = _statement("A passenger ferry capsized off Harbor City on Wednesday, the coast guard said.", "2023-02-09", embedder)
    toll_a = _statement("At least 120 people were killed in the ferry disaster, officials said.", "2023-02-05", embedder)
    toll_b = _statement("At least 151 people were killed in the ferry disaster, officials said.", "2023-02-06", embedder)
    assert same_event(a, b, CFG, topic)
    assert not same_event(a, library, CFG, topic)  # the same day, another event
    assert not same_event(a, later, CFG, topic)  # the same words, another day
    assert not same_event(toll_a, toll_b, CFG, topic)  # other figures: another report, not the same fact
    facts, stale = cluster_facts([a, b, library, later], CFG, topic)
    assert len(facts) == 3 and stale == 0


def test_a_stale_weekday_merges_and_the_stale_report_is_dropped(embedder) -> None:  # type: ignore[no-untyped-def]
    fresh = _statement("The ferry capsized off Harbor City on Saturday afternoon, the coast guard said.", "2023-02-05", embedder)
    again = _statement("The ferry capsized off Harbor City Saturday afternoon, the coast guard said.", "2023-02-06", embedder)
    stale = _statement("The ferry capsized off Harbor City Saturday afternoon, the coast guard said on its page.", "2023-02-03", embedder)
    assert stale.when is not None and stale.when.start == date(2023, 1, 28)  # alone, the Saturday before Feb 3
    facts, dropped = cluster_facts([fresh, again, stale], CFG, {"harbor", "city"})
    assert len(facts) == 1 and dropped == 1
    assert facts[0].when is not None and facts[0].when.start == date(2023, 2, 4)
    assert stale not in facts[0].statements


def test_plans_and_live_page_weekdays_are_dated_by_publication() -> None:
    text = (
        "The council will vote on Friday to replace the ferries.\n\n"
        "The ferry capsized early Wednesday, officials said, after the storm.\n\n"
        "The ferry capsized on Sunday, officials said."
    )
    mentions = Mentions(1, [[text.index("ferries"), text.index("ferry capsized early"), text.index("ferry capsized on")]])
    live = article_statements(_article(text, "2023-02-07", "Ferry updates"), mentions, 1.0, CFG)
    plan, weekday, recent = live
    assert plan.planned and plan.when is not None and plan.when.basis == "published" and plan.when.iso == "2023-02-07"
    assert weekday.when is not None and weekday.when.basis == "published"  # "Wednesday" 6 days back on a live page
    assert recent.when is not None and recent.when.iso == "2023-02-05" and recent.when.basis == "text"
    plain = article_statements(_article(text, "2023-02-07", "Ferry capsizes"), mentions, 1.0, CFG)
    assert plain[1].when is not None and plain[1].when.iso == "2023-02-01"  # not a live page: the text's date
