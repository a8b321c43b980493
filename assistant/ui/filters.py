"""The filter boxes both tabs show (From, To, Sources), and what they mean.

Values are read with `Filters.parse` (assistant/filters.py), the same rule as the CLI's
--since/--until/--source, with messages that name the boxes ("From", "To") instead of flags.
"""

from __future__ import annotations

from typing import Any, Sequence

import gradio as gr

from assistant.filters import Filters
from assistant.ui import render
from ingest.catalog import Catalog
from ingest.errors import ConfigError

FIELDS = ("From", "To")


def date_boxes(prefix: str = "", **layout: Any) -> tuple[gr.Textbox, gr.Textbox]:
    """From and To boxes, with elem_ids `<prefix>since` and `<prefix>until`."""
    since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id=f"{prefix}since", placeholder="e.g. 2017-08-01", **layout)
    until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id=f"{prefix}until", placeholder="e.g. 2017-09-30", **layout)
    return since, until


def sources_dropdown(catalog: Catalog, elem_id: str, **layout: Any) -> gr.Dropdown:
    """Every publication in the index, any number of them chosen."""
    return gr.Dropdown(choices=catalog.sources(), value=[], multiselect=True, label="Sources", elem_id=elem_id, **layout)


def read_filters(since: str | None, until: str | None, sources: Sequence[str] | str | None) -> Filters:
    """The boxes' values as Filters; ConfigError naming the box for a bad date."""
    return Filters.parse((since or "").strip() or None, (until or "").strip() or None, sources or (), fields=FIELDS)


def filter_note(since: str, until: str, sources: Sequence[str] | str | None) -> str:
    """One line under the boxes: what answers may cite, or what is wrong with a box."""
    try:
        filters = read_filters(since, until, sources)
    except ConfigError as exc:
        return f"**Filter problem:** {render.md_text(str(exc))}"
    parts = []
    if filters.since or filters.until:
        parts.append(f"published {filters.since or '...'} to {filters.until or '...'}")
    if filters.sources:
        parts.append("from " + ", ".join(render.md_text(n) for n in filters.sources))
    return ("Answers cite only articles " + "; ".join(parts) + ".") if parts else "No filters: the whole archive is searched."
