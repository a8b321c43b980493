"""The "Library" tab: the articles in the index (title, outlet, date, passages), searched by
title or outlet; open one to read it; delete one; and add files, with the ingest log in view.

Reads come from the catalog (`Catalog.library`), writes go through the app's one IndexWriter
(uploads.py), which deletes with ingest's own `remove_articles` under the index's writer lock.  After an upload or a deletion
page.py refreshes what depends on the index: the status line, the source filters, the example
questions and this list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

import gradio as gr

from assistant.ui import render
from assistant.ui.uploads import MAX_UPLOAD_MB, UPLOAD_SUFFIXES, IndexWriter, stage_uploads
from ingest.errors import NewsdeskError

if TYPE_CHECKING:
    from assistant.api import Assistant

log = logging.getLogger("newsdesk.ui")

ROWS = 200  # rows listed at once; the count says how many match, the search narrows them
HEADERS = ["Title", "Outlet", "Date", "Passages"]
# The browser asks before anything is deleted; its answer replaces the first input (a State's
# value never reaches the page, so the server checks what is selected).
CONFIRM_DELETE_JS = (
    "(confirmed, selected, query) => [window.confirm('Delete this article from the index? "
    "Answers will no longer cite it; ingesting its file again brings it back.') ? 'yes' : 'no', selected, query]"
)


@dataclass
class LibraryTab:
    """Handlers of the tab; the components are built by `build_library_tab`."""

    assistant: "Assistant"
    writer: IndexWriter

    @property
    def catalog(self) -> Any:
        return self.assistant.index.catalog

    def listing(self, query: str) -> tuple[list[list[Any]], list[str], str]:
        """(table rows, their article ids, "n of m articles" line) for a search."""
        entries = self.catalog.library(query, ROWS)
        total = self.catalog.library_size(query)
        rows = [[e.title or "untitled", e.source, e.published or "undated", e.passages] for e in entries]
        what = f" matching \u201c{query.strip()}\u201d" if (query or "").strip() else ""
        shown = f"{len(entries):,} of {total:,}" if total > len(entries) else f"{total:,}"
        return rows, [e.article_id for e in entries], f"{shown} article{'s' if total != 1 else ''}{what}"

    def select(self, ids: list[str], evt: gr.SelectData) -> tuple[Any, Any, Any]:
        """A click on a row: (article viewer, selected id, Delete button)."""
        row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        if not isinstance(row, int) or not 0 <= row < len(ids):
            return gr.skip(), gr.skip(), gr.skip()
        article = self.catalog.article(ids[row])
        if article is None:
            return render.missing_article(ids[row]), None, gr.update(visible=False)
        label = f"Delete \u201c{article.title[:60] or 'untitled'}\u201d"
        return render.article_view(article), article.article_id, gr.update(value=label, visible=True)

    def delete(self, confirmed: str, selected: str | None, query: str) -> tuple[Any, ...]:
        """Delete the selected article: (table, ids, count, viewer, selected, Delete button, note)."""
        if confirmed != "yes" or not selected:
            return (gr.skip(),) * 7
        article = self.catalog.article(selected)
        title = article.title if article else selected
        try:
            removed = self.writer.remove([selected])
        except NewsdeskError as exc:  # another writer kept the index too long, or it is read-only
            log.info("library: %s not deleted: %s", selected, exc)
            return (gr.skip(),) * 6 + (f"Not deleted: {render.md_text(str(exc))}",)
        note = f"Deleted \u201c{title}\u201d: it is no longer in the index." if removed else "That article was already gone."
        rows, ids, count = self.listing(query)
        return rows, ids, count, render.empty_panel("No article open."), None, gr.update(visible=False), note

    def add_files(self, files: list[Any] | None, progress: gr.Progress = gr.Progress()) -> Iterator[str]:
        """Ingest dropped files, one log line per file."""
        paths = [f if isinstance(f, str) else getattr(f, "name", str(f)) for f in (files or [])]
        if not paths:
            yield gr.skip()
            return
        files_word = f"file{'s' if len(paths) != 1 else ''}"
        lines = [f"Adding {len(paths)} {files_word}\u2026"]
        yield "\n".join(lines)
        staged = stage_uploads(paths, self.assistant.index.settings.index)

        def report(desc: str, done: int, total: int) -> None:
            progress((done, total), desc=desc, unit="passages")

        ok = 0
        for line in self.writer.run(staged, report):
            lines.append(("ok    " if line.ok else "error ") + str(line))
            ok += line.ok
            yield "\n".join(lines)
        lines.append(f"Done: {ok} of {len(paths)} {files_word} indexed" + ("; ask about them now." if ok else "; nothing new to ask about."))
        yield "\n".join(lines)


@dataclass
class LibraryView:
    """What page.py wires after the tab is built: events that changed the index, and the list."""

    changed: list[Any]  # dependencies after which the index holds other articles
    table: Any
    ids: Any
    count: Any
    search: Any
    listing: Any  # the function that fills (table, ids, count) from a search


def build_library_tab(assistant: "Assistant", writer: IndexWriter) -> LibraryView:
    """Add the Library tab's components to the enclosing `with gr.Tab("Library"):` block."""
    tab = LibraryTab(assistant, writer)
    rows, ids_value, count_value = tab.listing("")
    # Adding comes first: the drop zone and its log side by side, both in view while files ingest.
    with gr.Row(equal_height=False, elem_id="add-articles"):
        with gr.Column(scale=2, min_width=300):
            gr.Markdown(f"**Add articles**: drop {', '.join(UPLOAD_SUFFIXES)} files (up to {MAX_UPLOAD_MB} MB each).")
            files = gr.File(label="Files to add", file_count="multiple", file_types=list(UPLOAD_SUFFIXES), elem_id="upload", height=130)
            progress = gr.Markdown("", elem_id="upload-progress", min_height=40)
        with gr.Column(scale=3, min_width=320):
            log = gr.Textbox(label="Ingest log", lines=8, max_lines=16, interactive=False, elem_id="upload-log")
    with gr.Row(equal_height=False, elem_id="nd-library"):
        with gr.Column(scale=3, min_width=380):
            with gr.Row():
                search = gr.Textbox(
                    label="Search titles and outlets", elem_id="library-search", placeholder="e.g. Hwasong or Relay Wire", scale=4
                )
                count = gr.Markdown(count_value, elem_id="library-count")
            table = gr.Dataframe(
                value=rows, headers=HEADERS, datatype=["str", "str", "str", "number"], interactive=False, wrap=True,
                max_height=480, elem_id="library-table", column_widths=["52%", "22%", "14%", "12%"],
            )  # fmt: skip
        with gr.Column(scale=2, min_width=320, elem_classes=["nd-side"]):
            delete = gr.Button("Delete this article", variant="stop", visible=False, elem_id="library-delete", size="sm")
            note = gr.Markdown("", elem_id="library-note")
            viewer = gr.HTML(render.empty_panel("Click an article to read it."), elem_id="library-article")
    ids = gr.State(ids_value)
    selected = gr.State(None)
    confirmed = gr.Textbox(visible=False)

    listed = dict(fn=tab.listing, inputs=search, outputs=[table, ids, count], api_visibility="private", queue=False)
    search.change(**listed)
    table.select(tab.select, inputs=ids, outputs=[viewer, selected, delete], api_visibility="private", queue=False)
    deleted = delete.click(
        tab.delete,
        inputs=[confirmed, selected, search],
        outputs=[table, ids, count, viewer, selected, delete, note],
        js=CONFIRM_DELETE_JS,
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="write",
    )
    uploaded = files.upload(
        tab.add_files,
        inputs=files,
        outputs=log,
        show_progress_on=progress,  # the bar draws over its own line, never over the status or the log
        api_visibility="private",
        concurrency_limit=1,
        concurrency_id="write",
    )
    return LibraryView([deleted, uploaded], table, ids, count, search, tab.listing)
