"""The filter boxes both tabs show (From, To, Sources), the chips that keep them in sight, and what
they mean.

Values are read by the Assistant's `DateReader` (assistant/filters.py), the same rule and date
order (NEWSDESK_DATE_ORDER) as the CLI's --since/--until/--source, with messages that name the
boxes ("From", "To") instead of flags.
The chips sit above the chat: one per active filter, a click on one clears it, so a filter is
never silently in force once the Filters panel is closed.
"""

from __future__ import annotations

from typing import Any, Sequence

import gradio as gr

from assistant.filters import DateReader, Filters
from assistant.ui import render
from ingest.catalog import Catalog
from ingest.errors import ConfigError

FIELDS = ("From", "To")
DATE_HINT = "YYYY-MM-DD, a month (August 2017, 2017-08) or a year"

# Runs once per page on the chips (a gr.HTML): a click on a chip becomes a `click` event carrying
# which filter to clear.  The listener sits on the component, so it survives each new value.
CHIPS_JS = """
element.addEventListener('click', (event) => {
  const chip = event.target.closest('[data-nd-clear]');
  if (!chip || !element.contains(chip)) return;
  event.preventDefault();
  trigger('click', {clear: chip.dataset.ndClear});
});
"""


def date_boxes(prefix: str = "", **layout: Any) -> tuple[gr.Textbox, gr.Textbox]:
    """From and To boxes, with elem_ids `<prefix>since` and `<prefix>until`."""
    since = gr.Textbox(label="From", info=DATE_HINT, elem_id=f"{prefix}since", placeholder="e.g. August 2017", **layout)
    until = gr.Textbox(label="To", info=DATE_HINT, elem_id=f"{prefix}until", placeholder="e.g. 2017-09-30", **layout)
    return since, until


def sources_dropdown(catalog: Catalog, elem_id: str, **layout: Any) -> gr.Dropdown:
    """Every publication in the index, any number of them chosen."""
    return gr.Dropdown(choices=catalog.sources(), value=[], multiselect=True, label="Sources", elem_id=elem_id, **layout)


def read_filters(dates: DateReader, since: str | None, until: str | None, sources: Sequence[str] | str | None) -> Filters:
    """The boxes' values as Filters, read by the index's `dates`; ConfigError naming the box for a bad date."""
    return dates.filters((since or "").strip() or None, (until or "").strip() or None, sources or (), fields=FIELDS)


def filter_note(dates: DateReader, since: str, until: str, sources: Sequence[str] | str | None) -> str:
    """One line under the boxes: what answers may cite, or what is wrong with a box."""
    try:
        filters = read_filters(dates, since, until, sources)
    except ConfigError as exc:
        return f"**Filter problem:** {render.md_text(str(exc))}"
    described = filters.describe()
    return f"Answers cite only articles {render.md_text(described)}." if described else "No filters: the whole archive is searched."


def _chip(key: str, label: str, problem: bool = False) -> str:
    kind = " nd-chip-problem" if problem else ""
    return (
        f'<button type="button" class="nd-chip{kind}" data-nd-clear="{render.esc(key)}" title="Clear this filter">'
        f'{render.esc(label)} <span class="nd-chip-x" aria-hidden="true">\u2715</span></button>'
    )


def chips_html(dates: DateReader, since: str | None, until: str | None, sources: Sequence[str] | str | None) -> str:
    """The active filters as chips ("" when there are none); a box that cannot be read is a red
    chip.  A chip shows the day as read ("From 2017-04-03" for a day-first "03/04/2017")."""
    chips: list[str] = []
    for key, field, value, first in (("since", "From", since, True), ("until", "To", until, False)):
        text = (value or "").strip()
        if not text:
            continue
        try:
            bound = dates.filters(text if first else None, None if first else text, fields=FIELDS)
            chips.append(_chip(key, f"{field} {bound.since if first else bound.until}"))
        except ConfigError:
            chips.append(_chip(key, f"{field} \u201c{text}\u201d is not a date", problem=True))
    names = [sources] if isinstance(sources, str) else list(sources or [])
    chips += [_chip(f"source:{i}", f"Source: {name}") for i, name in enumerate(names) if name]
    if not chips:
        return ""
    if len(chips) > 1:
        chips.append(_chip("all", "Clear all"))
    return f'<div class="nd-chips" role="group" aria-label="Active filters"><span class="nd-chips-label">Filters:</span>{"".join(chips)}</div>'


def cleared(key: str, since: str, until: str, sources: Sequence[str] | None) -> tuple[Any, Any, Any]:
    """Box values after a click on the chip `key` (gr.skip() for boxes it leaves alone)."""
    if key == "all":
        return "", "", []
    if key == "since":
        return "", gr.skip(), gr.skip()
    if key == "until":
        return gr.skip(), "", gr.skip()
    if key.startswith("source:") and key[7:].isdigit():
        index = int(key[7:])
        return gr.skip(), gr.skip(), [s for i, s in enumerate(sources or []) if i != index]
    return gr.skip(), gr.skip(), gr.skip()
