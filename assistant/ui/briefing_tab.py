"""The chat UI's "Briefing" tab: topic and dates in; the cited brief (summary, timeline, undated,
what changed), a picture of its timeline (timeline_picture.py), the same source viewer as the
chat, and the brief as a Markdown download.  A click on a line's [n] opens article n at that
line's own quote.

`build_briefing_tab(assistant, limits)` adds the components to the enclosing `with gr.Tab("Briefing"):`
block; escaping, the sources panel and the article viewer are render.py's, the filter boxes
filters.py's.  The handlers live on `BriefingTab` so tests call them directly.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

# At module level: Gradio finds the `gr.EventData` parameter of a handler by its annotation.
import gradio as gr

from assistant.answer import Citation
from assistant.briefing import Brief, BriefRequest, build_brief, parse_briefing_request, render_brief_markdown
from assistant.limits import Limits
from assistant.ui import render
from assistant.ui.export import brief_file
from assistant.ui.filters import date_boxes, read_filters, sources_dropdown
from assistant.ui.timeline_picture import timeline_figure
from assistant.ui.viewer_js import ARTICLE_KEY, opener_js
from ingest.catalog import StoredArticle
from ingest.errors import NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant

# Runs once per page in the tab's article viewer: clicks on [n] markers in the brief and on rows
# of its sources panel become a `click` event with the key of what to open (the chat tab has its
# own listener for its own panels); each newly opened article scrolls to the quote.
OPEN_JS = opener_js(
    container="nd-brief",
    selector='a[href^="#nd-brief-cite-"], [data-nd-article]',
    key="href ? 'cite-' + href.slice('#nd-brief-cite-'.length) : 'article-' + target.dataset.ndArticle",
    handle="__ndBriefOpener",
)

SOURCES_HEADING = "Sources of the brief"
_CITE_KEY = re.compile(r"^cite-(\d{1,4})$")


def marker_link(n: int, quote: int) -> str:
    """[n], linked to the line's own quote of article n (its position in the brief's citations)."""
    return f'[\\[{n}\\]](#nd-brief-cite-{quote} "Open source {n}")'


class BriefingTab:
    """Handlers of the tab over one Assistant (the same models and index as the chat)."""

    def __init__(self, assistant: "Assistant", limits: Limits | None = None) -> None:
        self.assistant = assistant
        self.limits = limits or Limits.for_backend(assistant.settings.llm)
        self.catalog = assistant.index.catalog
        self.downloads = Path(tempfile.mkdtemp(prefix="newsdesk-briefs-"))

    def make(
        self, topic: str, since: str, until: str, sources: Sequence[str] | None, max_points: float
    ) -> tuple[str, Any, str, str, Any, list[Citation]]:
        """(brief Markdown, timeline figure, sources panel, article viewer, download, citations)."""
        topic = (topic or "").strip()
        if not topic:
            return ("Type a topic, e.g. *North Korea sanctions*.", None, render.sources_panel([], {}),
                    render.empty_panel("No article open."), _download(None), [])  # fmt: skip
        # "brief me on X since August" works here too; plain text is the topic.
        request = parse_briefing_request(topic) or BriefRequest(topic=topic)
        try:
            filters = read_filters(self.assistant.dates, since, until, sources)
            with self.limits.briefs.hold():
                brief = build_brief(self.assistant, request, filters, max_points=int(max_points or 12))
        except NewsdeskError as exc:
            return (f"**Cannot brief:** {render.md_text(str(exc))}", None, render.sources_panel([], {}),
                    render.empty_panel(str(exc)), _download(None), [])  # fmt: skip
        markdown = render_brief_markdown(brief, text=render.md_text, with_sources=False, quote_marker=marker_link)
        panel = render.sources_panel(brief.citations, self.articles(brief.citations), None, None, SOURCES_HEADING)
        viewer = render.empty_panel("Click a [n] marker or a source to read its article, with the quote highlighted.")
        figure = timeline_figure(brief) if brief.timeline or brief.coverage else None
        return markdown, figure, panel, viewer, _download(self.save(brief)), list(brief.citations)

    def articles(self, citations: Sequence[Citation]) -> dict[str, StoredArticle]:
        return self.catalog.articles(c.article_id for c in citations)

    def save(self, brief: Brief) -> str:
        """The brief as a Markdown file to download (the same text `newsdesk brief -o` writes)."""
        return brief_file(brief, self.downloads)

    def open_source(self, citations: list[Citation], key: str) -> tuple[Any, Any]:
        """A click on [n] or on a source row: (sources panel with that row active, article viewer)."""
        cited: Citation | None = None
        match = _CITE_KEY.match(key or "")
        if match and 1 <= int(match.group(1)) <= len(citations or []):
            cited = citations[int(match.group(1)) - 1]  # the line's own quote
        match = ARTICLE_KEY.match(key or "")
        if match:
            aid, start, end = match.group(1), int(match.group(2)), int(match.group(3))
            cited = next((c for c in citations or [] if (c.article_id, c.start, c.end) == (aid, start, end)), None)
            if cited is None:
                article = self.catalog.article(aid)
                return None, render.article_view(article, start, end) if article else render.missing_article(aid)
        if cited is None:
            return None, None
        article = self.catalog.article(cited.article_id)
        if article is None:
            return None, render.missing_article(cited.article_id)
        viewer = render.article_view(article, cited.start, cited.end, cited.quote, cited.n)
        panel = render.sources_panel(citations, self.articles(citations), None, cited.n, SOURCES_HEADING)
        return panel, viewer


def _download(path: str | None) -> Any:
    return gr.update(value=path, visible=path is not None)


def build_briefing_tab(assistant: "Assistant", limits: Limits) -> gr.Dropdown:
    """Add the Briefing tab's components to the enclosing `with gr.Tab("Briefing"):` block; briefs
    take a slot of `limits.briefs`, shared with the chat's briefings and, under `newsdesk serve`,
    MCP's `brief`.  Returns its Sources filter (page.py refreshes the choices when the index changes)."""
    tab = BriefingTab(assistant, limits)
    with gr.Column(elem_id="nd-brief"):
        with gr.Row():
            topic = gr.Textbox(label="Topic", elem_id="brief-topic", placeholder="e.g. North Korea sanctions", scale=4)
            since, until = date_boxes("brief-", scale=1)
        with gr.Row():
            sources = sources_dropdown(tab.catalog, "brief-sources-filter", scale=3)
            max_points = gr.Slider(3, 30, value=12, step=1, label="Timeline entries", elem_id="brief-max-points", scale=2)
            go = gr.Button("Brief me", variant="primary", elem_id="brief-go", scale=1, min_width=100)
        # The picture spans the tab: it is drawn 1400 px wide and its labels must stay readable.
        plot = gr.Plot(label="Timeline and weekly coverage", show_label=False, elem_id="brief-plot", format="png")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=380):
                download = gr.DownloadButton("Download as Markdown", elem_id="brief-download", visible=False)
                body = gr.Markdown(
                    "A briefing quotes the articles: a summary of the current state, a dated timeline and what changed, "
                    "every line with its sources.",
                    elem_id="brief-body",
                    sanitize_html=True,
                    latex_delimiters=[],
                )
            # Sticky: a click on a late [n] opens the article beside it instead of scrolling the page up.
            with gr.Column(scale=2, min_width=320, elem_classes=["nd-side"]):
                panel = gr.HTML(render.sources_panel([], {}), elem_id="brief-sources", max_height="34vh")
                article = gr.HTML(render.empty_panel("No article open."), elem_id="brief-article", js_on_load=OPEN_JS)
        citations = gr.State([])

    run = dict(
        fn=tab.make,
        inputs=[topic, since, until, sources, max_points],
        outputs=[body, plot, panel, article, download, citations],
        api_visibility="private",
        concurrency_limit=1,  # a brief keeps both cores busy for seconds: one at a time
        concurrency_id="brief",
    )
    go.click(**run)
    topic.submit(**run)

    def opened(found: list[Citation], evt: gr.EventData) -> tuple[Any, Any]:
        data = getattr(evt, "_data", None)
        key = str(data.get("key", "")) if isinstance(data, dict) else ""
        panel_html, viewer = tab.open_source(found, key)
        return (gr.skip() if panel_html is None else panel_html), (gr.skip() if viewer is None else viewer)

    article.click(opened, inputs=[citations], outputs=[panel, article], api_visibility="private", concurrency_limit=8)
    return sources
