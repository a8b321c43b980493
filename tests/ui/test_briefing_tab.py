"""The Briefing tab's handlers and its timeline picture (no browser: the UI tests drive that)."""

from __future__ import annotations

import re

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
    # A click on a marker opens that line's own quote (its position in the citations), the row marked.
    second = citations[1]
    panel2, article = tab.open_source(citations, "cite-2")
    assert 'id="nd-quote"' in article and f'data-n="{second.n}"' in article
    assert f'nd-source nd-active" id="nd-source-{second.n}"' in panel2
    first = citations[0]
    panel3, article3 = tab.open_source(citations, f"article-{first.article_id}:{first.start}:{first.end}")
    assert 'data-n="1"' in article3 and 'nd-active" id="nd-source-1"' in panel3
    assert tab.open_source(citations, "cite-999") == (None, None)


def test_markers_link_each_line_to_its_own_quote(tab, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    markdown, _, _, _, _, citations = tab.make("North Korea", "", "", [], 12)
    links = re.findall(r"\[\\\[(\d+)\\\]\]\(#nd-brief-cite-(\d+) ", markdown)
    assert links
    for n, position in links:
        assert citations[int(position) - 1].n == int(n)  # [n] opens a quote of article n
    assert "## Undated" in markdown  # the seed's statements, in the tab too


def test_make_accepts_a_chat_style_request_and_reports_errors(tab) -> None:  # type: ignore[no-untyped-def]
    markdown, *_ = tab.make("brief me on North Korea since September", "", "", [], 3)
    assert "2017-09-01 to" in markdown
    markdown, figure, panel, viewer, download, citations = tab.make("North Korea", "not a date", "", [], 3)
    assert markdown.startswith("**Cannot brief:**") and figure is None and not citations and not download["visible"]
    markdown, *_ = tab.make("   ", "", "", [], 3)
    assert "Type a topic" in markdown


def _events(figure):  # type: ignore[no-untyped-def]
    return figure.axes[0]


def label_boxes(figure):  # type: ignore[no-untyped-def]
    """The rendered bounding boxes (pixels) of the event labels' words (not their leader lines)."""
    from matplotlib.text import Text

    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    return [Text.get_window_extent(t, renderer) for t in _events(figure).texts]


def test_timeline_figure_labels_every_event_with_words_and_draws_each_week() -> None:
    from assistant.ui.timeline_picture import timeline_figure

    brief = Brief(
        topic="test",
        timeline=[
            BriefPoint("a", (1,), "2017-03", "month", "text", "In March", (1,), "Tillerson sets a condition"),
            BriefPoint("b", (2,), "2017-08-14", "week", "text", "last week", (2,), "Missiles fired"),
            BriefPoint("c", (3,), "2017-08-22", "day", "published", "", (3,), "Treasury imposes sanctions"),
            BriefPoint("d", (4,), "2016", "year", "text", "in 2016", (4,), "Fifth nuclear test"),
        ],
        coverage=[WeekCoverage("2017-08-14", 2), WeekCoverage("2017-08-21", 0), WeekCoverage("2017-08-28", 1)],
    )
    figure = timeline_figure(brief)
    events, weeks = figure.axes
    assert [t.get_text() for t in events.texts] == [
        "[4] Fifth nuclear test", "[1] Tillerson sets a condition", "[2] Missiles fired", "[3] Treasury imposes sanctions",
    ]  # fmt: skip
    assert len(weeks.patches) == 3
    assert round(figure.get_size_inches()[0] * figure.dpi) == 1400


def test_labels_never_overlap_at_1400_px(sample_assistant) -> None:  # type: ignore[no-untyped-def]
    """A crowded timeline (many events within days) lays its labels on rows; no two rendered
    label boxes intersect, and every label is inside the picture."""
    from assistant.ui.timeline_picture import timeline_figure

    crowded = Brief(
        topic="crowded",
        timeline=[
            BriefPoint(f"t{i}", (i + 1,), f"2023-02-{1 + i // 3:02d}", "day", "text", "", (i + 1,), f"Event number {i} happened here")
            for i in range(18)
        ],
    )
    real = make_brief(sample_assistant, "North Korea", max_points=20)
    for brief in (crowded, real):
        figure = timeline_figure(brief)
        boxes = label_boxes(figure)
        assert len(boxes) == len(brief.timeline)
        for i, a in enumerate(boxes):
            assert figure.bbox.x0 <= a.x0 and a.x1 <= figure.bbox.x1 and a.y1 <= figure.bbox.y1, a
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (a, b)
        assert all(len(t.get_text().split()) >= 2 for t in _events(figure).texts)  # [n] and words


def test_brief_picture_of_a_real_brief(sample_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.ui.timeline_picture import timeline_figure

    brief = make_brief(sample_assistant, "Tillerson", max_points=5)
    figure = timeline_figure(brief)
    assert len(figure.axes[0].texts) == len(brief.timeline)
    assert sum(p.get_height() for p in figure.axes[1].patches) == sum(w.articles for w in brief.coverage)


def test_the_chats_brief_shows_the_undated_section_and_one_number_per_article(sample_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.briefing import build_brief, parse_briefing_request
    from assistant.limits import Limits
    from assistant.ui.chat import ChatApp
    from assistant.ui.conversations import BRIEF, Conversation, Turn

    app = ChatApp(sample_assistant, Limits.for_backend("extractive"))
    question = "brief me on North Korea"
    brief = build_brief(sample_assistant, parse_briefing_request(question))  # what the chat's reply builds
    saved = Conversation().add(Turn(question, kind=BRIEF, brief=brief)).to_dict()
    conversation = Conversation.from_dict(saved)  # as a reloaded page shows it: the undated section kept
    assert conversation.turns[-1].brief.to_dict() == brief.to_dict()  # type: ignore[union-attr]
    message = app.messages(conversation)[-1]["content"]
    assert "## Undated" in message and "(#nd-cite-0-1 " in message
    panel = app.sources_html(conversation, 0)
    citations = conversation.turns[-1].citations
    assert len({c.n for c in citations}) == len({c.article_id for c in citations}) < len(citations)
    ids = re.findall(r'id="(nd-source-[\d-]+)"', panel)
    assert len(ids) == len(set(ids)) == len(citations)  # one row per quote, each with its own id
