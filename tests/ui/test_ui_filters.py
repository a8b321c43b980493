"""The filter boxes read dates exactly as the CLI does, and say what is wrong in the boxes' words."""

from __future__ import annotations

import pytest

from assistant.filters import Filters
from assistant.ui.filters import filter_note, read_filters
from ingest.errors import ConfigError


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
    assert filter_note("2017-08", "", ["Relay Wire"]) == "Answers cite only articles published 2017-08-01 to ...; from Relay Wire."
    assert filter_note("soon", "", []).startswith("**Filter problem:** From 'soon'")
