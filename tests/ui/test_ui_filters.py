"""The filter boxes read dates exactly as the CLI does, and say what is wrong in the boxes' words."""

from __future__ import annotations

import re

import gradio as gr
import pytest

from assistant.filters import DateReader, Filters
from assistant.ui.filters import chips_html, cleared, filter_note, read_filters
from ingest.errors import ConfigError


MONTH_FIRST = DateReader()  # the default NEWSDESK_DATE_ORDER


def unescaped(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def test_boxes_accept_what_the_cli_accepts() -> None:
    assert read_filters(MONTH_FIRST, " 2017-08 ", "", ["Relay Wire"]) == Filters("2017-08-01", "", ("Relay Wire",))
    assert read_filters(MONTH_FIRST, "", "2017", None) == Filters.parse(None, "2017")
    assert read_filters(MONTH_FIRST, None, None, "Meridian Review") == Filters(sources=("Meridian Review",))


def test_bad_boxes_are_named_as_the_user_sees_them() -> None:
    with pytest.raises(ConfigError) as bad:
        read_filters(MONTH_FIRST, "2017-13-45", "", [])
    assert str(bad.value).startswith("From '2017-13-45': not a date") and "--since" not in str(bad.value)
    with pytest.raises(ConfigError, match="From 2017-09-01 is after To 2017-08-01"):
        read_filters(MONTH_FIRST, "2017-09-01", "2017-08-01", [])


def test_the_note_under_the_boxes() -> None:
    assert filter_note(MONTH_FIRST, "", "", []) == "No filters: the whole archive is searched."
    # Markdown-escaped, so it renders exactly as written; the old "2017-08-01 to ...." is gone.
    assert unescaped(filter_note(MONTH_FIRST, "2017-08", "", ["Relay Wire"])) == "Answers cite only articles published on or after 2017-08-01, from Relay Wire."
    assert unescaped(filter_note(MONTH_FIRST, "August 2017", "Aug 2017", [])) == "Answers cite only articles published 2017-08-01 to 2017-08-31."
    assert filter_note(MONTH_FIRST, "soon", "", []).startswith("**Filter problem:** From 'soon'")


def test_month_names_and_years_in_the_boxes() -> None:
    assert read_filters(MONTH_FIRST, "August 2017", "Sept. 2017", []) == Filters("2017-08-01", "2017-09-30")
    assert read_filters(MONTH_FIRST, "2017", "2017-08", []) == Filters("2017-01-01", "2017-08-31")
    with pytest.raises(ConfigError, match="From 'Augustus 2017': not a date"):
        read_filters(MONTH_FIRST, "Augustus 2017", "", [])


def test_chips_show_each_active_filter_and_a_box_that_cannot_be_read() -> None:
    assert chips_html(MONTH_FIRST, "", "", []) == ""
    html = chips_html(MONTH_FIRST, "August 2017", "2017", ["Relay Wire", "Meridian <Review>"])
    assert 'data-nd-clear="since"' in html and "From 2017-08-01" in html
    assert 'data-nd-clear="until"' in html and "To 2017-12-31" in html
    assert 'data-nd-clear="source:0"' in html and 'data-nd-clear="source:1"' in html and "Meridian &lt;Review&gt;" in html
    assert 'data-nd-clear="all"' in html
    bad = chips_html(MONTH_FIRST, "2017-13-45", "", [])
    assert "nd-chip-problem" in bad and "is not a date" in bad and "Clear all" not in bad


def test_a_chip_click_clears_only_its_filter() -> None:
    skip = gr.skip()
    assert cleared("since", "2017", "2018", ["A"]) == ("", skip, skip)
    assert cleared("until", "2017", "2018", ["A"]) == (skip, "", skip)
    assert cleared("source:1", "", "", ["A", "B", "C"]) == (skip, skip, ["A", "C"])
    assert cleared("all", "2017", "2018", ["A"]) == ("", "", [])
    assert cleared("bogus", "2017", "", []) == (skip, skip, skip)


DAY_FIRST_SINCE = "01/09/2017"  # 1 September day first; 9 January month first
QUESTION = "What sanctions did the UN impose on North Korea?"  # answered from 6 August without a filter


def test_boxes_chips_and_the_ask_api_read_dates_in_the_index_order(day_first_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.limits import Limits
    from assistant.ui.api import AskEndpoint

    dates = day_first_assistant.dates
    assert read_filters(dates, DAY_FIRST_SINCE, "30/11/2017", []) == Filters("2017-09-01", "2017-11-30")
    assert read_filters(MONTH_FIRST, DAY_FIRST_SINCE, "", []).since == "2017-01-09"  # the default order is unchanged
    assert "From 2017-09-01" in chips_html(dates, DAY_FIRST_SINCE, "", [])
    assert unescaped(filter_note(dates, DAY_FIRST_SINCE, "", [])) == "Answers cite only articles published on or after 2017-09-01."
    answer = AskEndpoint(day_first_assistant, Limits.for_backend("extractive")).ask(QUESTION, since=DAY_FIRST_SINCE)
    assert answer["citations"] and all(c["published"] >= "2017-09-01" for c in answer["citations"])


def test_the_briefing_tab_reads_its_boxes_in_the_index_order(day_first_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.limits import Limits
    from assistant.ui.briefing_tab import BriefingTab

    tab = BriefingTab(day_first_assistant, Limits.for_backend("extractive"))
    markdown, *_, citations = tab.make("North Korea sanctions", DAY_FIRST_SINCE, "", [], 4)
    assert citations and all(c.published >= "2017-09-01" for c in citations), markdown
