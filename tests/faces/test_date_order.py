"""The MCP and /v1 faces read typed dates in the index's NEWSDESK_DATE_ORDER, as every face does
(assistant/filters.DateReader): search and brief filters, a briefing phrase's dates, and the
question's filters.  The sample index opened day first: "01/09/2017" is 1 September (9 January
month first, where answers and briefs would reach back to the spring)."""

from __future__ import annotations

from assistant.faces.archive import Archive

SINCE = "01/09/2017"


def test_search_filters_are_read_day_first(day_first_assistant) -> None:  # type: ignore[no-untyped-def]
    found = Archive(day_first_assistant).search("North Korea sanctions", since=SINCE, until="30/11/2017", k=5)
    assert (found["since"], found["until"]) == ("2017-09-01", "2017-11-30")
    assert found["passages"] and all(p["published"] >= "2017-09-01" for p in found["passages"])


def test_brief_filters_and_a_briefing_phrase_are_read_day_first(day_first_assistant) -> None:  # type: ignore[no-untyped-def]
    archive = Archive(day_first_assistant)
    brief = archive.brief("North Korea sanctions", since=SINCE, max_points=4)
    assert brief["since"] == "2017-09-01" and brief["citations"]
    assert all(c["published"] >= "2017-09-01" for c in brief["citations"])
    phrased = archive.brief(f"brief me on North Korea sanctions since {SINCE}", max_points=4)
    assert phrased["topic"] == "North Korea sanctions" and phrased["since"] == "2017-09-01"


def test_a_question_s_filters_are_read_day_first(day_first_assistant) -> None:  # type: ignore[no-untyped-def]
    turn = Archive(day_first_assistant).turn("What sanctions did the UN impose on North Korea?", since=SINCE, asked="02/09/2017")
    assert turn.filters.since == "2017-09-01" and turn.asked.isoformat() == "2017-09-02"
