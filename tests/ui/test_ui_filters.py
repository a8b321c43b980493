"""The filter boxes read dates exactly as the CLI does, and say what is wrong in the boxes' words."""

from __future__ import annotations

import re

import gradio as gr
import pytest

from assistant.filters import Filters
from assistant.ui.filters import chips_html, cleared, filter_note, read_filters
from ingest.errors import ConfigError


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_boxes_accept_what_the_cli_accepts() -> None:
    assert read_filters(" 2017-08 ", "", ["Relay Wire"]) == Filters("2017-08-01", "", ("Relay Wire",))
    assert read_filters("", "2017", None) == Filters.parse(None, "2017")
    assert read_filters(None, None, "Meridian Review") == Filters(sources=("Meridian Review",))


def test_bad_boxes_are_named_as_the_user_sees_them() -> None:
    with pytest.raises(ConfigError) as bad:
        read_filters("2017-13-45", "", [])
    assert str(bad.value).startswith("From '2017-13-45': not a date") and "--since" not in str(bad.value)
    with pytest.raises(ConfigError, match="From 2017-09-01 is after To 2017-08-01"):
        read_filters("2017-09-01", "2017-08-01", [])


def test_the_note_under_the_boxes() -> None:
    assert filter_note("", "", []) == "No filters: the whole archive is searched."
    # Markdown-escaped, so it renders exactly as written; the old "2017-08-01 to ...." is gone.
    assert unescaped(filter_note("2017-08", "", ["Relay Wire"])) == "Answers cite only articles published on or after 2017-08-01, from Relay Wire."
    assert unescaped(filter_note("August 2017", "Aug 2017", [])) == "Answers cite only articles published 2017-08-01 to 2017-08-31."
    assert filter_note("soon", "", []).startswith("**Filter problem:** From 'soon'")


def test_month_names_and_years_in_the_boxes() -> None:
    assert read_filters("August 2017", "Sept. 2017", []) == Filters("2017-08-01", "2017-09-30")
    assert read_filters("2017", "2017-08", []) == Filters("2017-01-01", "2017-08-31")
    with pytest.raises(ConfigError, match="From 'Augustus 2017': not a date"):
        read_filters("Augustus 2017", "", [])


def test_chips_show_each_active_filter_and_a_box_that_cannot_be_read() -> None:
    assert chips_html("", "", []) == ""
    html = chips_html("August 2017", "2017", ["Relay Wire", "Meridian <Review>"])
    assert 'data-nd-clear="since"' in html and "From 2017-08-01" in html
    assert 'data-nd-clear="until"' in html and "To 2017-12-31" in html
    assert 'data-nd-clear="source:0"' in html and 'data-nd-clear="source:1"' in html and "Meridian &lt;Review&gt;" in html
    assert 'data-nd-clear="all"' in html
    bad = chips_html("2017-13-45", "", [])
    assert "nd-chip-problem" in bad and "is not a date" in bad and "Clear all" not in bad


def test_a_chip_click_clears_only_its_filter() -> None:
    skip = gr.skip()
    assert cleared("since", "2017", "2018", ["A"]) == ("", skip, skip)
    assert cleared("until", "2017", "2018", ["A"]) == (skip, "", skip)
    assert cleared("source:1", "", "", ["A", "B", "C"]) == (skip, skip, ["A", "C"])
    assert cleared("all", "2017", "2018", ["A"]) == ("", "", [])
    assert cleared("bogus", "2017", "", []) == (skip, skip, skip)
