"""The Briefing tab's handlers and its timeline picture (no browser: the UI tests drive that)."""

from __future__ import annotations

import pytest

from assistant.briefing import Brief, BriefPoint, WeekCoverage, make_brief


@pytest.fixture(scope="module")
def tab(sample_assistant):  # type: ignore[no-untyped-def]
    from assistant.ui.briefing_tab import BriefingTab

    return BriefingTab(sample_assistant)


def test_make_renders_brief_sources_picture_and_download(tab) -> None:  # type: ignore[no-untyped-def]
    markdown, figure, panel, viewer, download, citations = tab.make("North Korea sanctions", "2017-08-01", "", [], 6)
    assert "## Timeline" in markdown and "(#nd-brief-cite-1 " in markdown and "## Sources" not in markdown
    assert citations and all(f'data-nd-article="{c.article_id}:{c.start}:{c.end}"' in panel for c in citations)
    assert figure is not None and len(figure.axes) == 2
    path = download["value"]
    assert download["visible"] and path.endswith(".md")
    text = open(path, encoding="utf-8").read()
    assert text.startswith("# Briefing: North Korea sanctions") and "## Sources" in text
    # A click on [2] opens that quote's article with the quote marked, and marks the source row.
    panel2, article = tab.open_source(citations, "cite-2")
    assert 'id="nd-quote"' in article and 'nd-source nd-active" id="nd-source-2"' in panel2
    first = citations[0]
    panel3, article3 = tab.open_source(citations, f"article-{first.article_id}:{first.start}:{first.end}")
    assert 'data-n="1"' in article3 and 'nd-active" id="nd-source-1"' in panel3
    assert tab.open_source(citations, "cite-999") == (None, None)


def test_make_accepts_a_chat_style_request_and_reports_errors(tab) -> None:  # type: ignore[no-untyped-def]
    markdown, *_ = tab.make("brief me on North Korea since September", "", "", [], 3)
    assert "2017-09-01 to" in markdown
    markdown, figure, panel, viewer, download, citations = tab.make("North Korea", "not a date", "", [], 3)
    assert markdown.startswith("**Cannot brief:**") and figure is None and not citations and not download["visible"]
    markdown, *_ = tab.make("   ", "", "", [], 3)
    assert "Type a topic" in markdown


def test_timeline_figure_draws_every_event_and_each_week() -> None:
    from assistant.ui.briefing_tab import timeline_figure

    brief = Brief(
        topic="test",
        timeline=[
            BriefPoint("a", (1,), "2017-03", "month", "text", "In March"),
            BriefPoint("b", (2,), "2017-08-14", "week", "text", "last week"),
            BriefPoint("c", (3,), "2017-08-22", "day", "published"),
            BriefPoint("d", (4,), "2016", "year", "text", "in 2016"),
        ],
        coverage=[WeekCoverage("2017-08-14", 2), WeekCoverage("2017-08-21", 0), WeekCoverage("2017-08-28", 1)],
    )
    figure = timeline_figure(brief)
    events, weeks = figure.axes
    assert [t.get_text() for t in events.texts] == ["[1]", "[2]", "[3]", "[4]"]
    assert len(weeks.patches) == 3


def test_brief_picture_of_a_real_brief(sample_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.ui.briefing_tab import timeline_figure

    brief = make_brief(sample_assistant, "Tillerson", max_points=5)
    figure = timeline_figure(brief)
    assert len(figure.axes[0].texts) == len(brief.timeline)
    assert sum(p.get_height() for p in figure.axes[1].patches) == sum(w.articles for w in brief.coverage)
