"""The case of issue 14: the seed among the first 40 corpus articles, two of them about the Seoul
Halloween crush.  A brief on North Korea must cite nothing about South Korea and keep the seed's
statements (the seed has no date: they go to the summary and the Undated section)."""

from __future__ import annotations

from assistant.briefing import make_brief, render_brief_markdown
from support import check_brief


def test_north_korea_cites_nothing_about_south_korea_and_keeps_the_seed(seed_corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    catalog = seed_corpus_assistant.index.catalog
    brief = make_brief(seed_corpus_assistant, "North Korea")
    check_brief(brief.to_dict(), catalog)
    cited = catalog.articles(c.article_id for c in brief.citations)
    assert cited
    for article in cited.values():
        assert "North Korea" in article.text, article.title  # every cited article names North Korea
        assert "Halloween" not in article.title and "Seoul" not in article.title
    seed = next(a for a in cited.values() if a.title.startswith("Tillerson Suggests North Korea"))
    seed_lines = [p for p in [*brief.summary, *brief.timeline, *brief.undated] if any(brief.quote(q).article_id == seed.article_id for q in p.quotes)]
    assert len(seed_lines) >= 4
    assert brief.undated and all(brief.quote(q).article_id == seed.article_id for p in brief.undated for q in p.quotes)
    markdown = render_brief_markdown(brief)
    assert "## Undated" in markdown and "Seoul Halloween" not in markdown
