"""Chat messages that ask for a briefing: "brief me on X", "give me a timeline of X since August"."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.briefing import BriefRequest, parse_briefing_request

ANCHOR = date(2017, 11, 30)  # the sample archive's newest article


@pytest.mark.parametrize(
    ("message", "topic", "kind"),
    [
        ("brief me on North Korea", "North Korea", "brief"),
        ("Brief me about the TikTok ban.", "TikTok ban", "brief"),
        ("Please give me a briefing on North Korea sanctions", "North Korea sanctions", "brief"),
        ("briefing on Tillerson", "Tillerson", "brief"),
        ("Can you catch me up on the Guam threats?", "Guam threats", "brief"),
        ("give me a timeline of the North Korea crisis", "North Korea crisis", "timeline"),
        ("Timeline of TikTok bans?", "TikTok bans", "timeline"),
        ("what's the timeline for UN sanctions", "UN sanctions", "timeline"),
    ],
)
def test_briefing_requests_are_recognised(message: str, topic: str, kind: str) -> None:
    request = parse_briefing_request(message)
    assert request == BriefRequest(topic=topic, kind=kind)


@pytest.mark.parametrize(
    "message",
    [
        "What did Tillerson say about talks in March?",
        "Who briefed the president on North Korea?",
        "Is there a timeline for the sanctions to take effect?",
        "brief me on",
        "",
    ],
)
def test_ordinary_questions_are_not_briefings(message: str) -> None:
    assert parse_briefing_request(message) is None


@pytest.mark.parametrize(
    ("message", "topic", "since", "until"),
    [
        ("briefing on North Korea since August", "North Korea", "2017-08-01", ""),
        ("brief me on North Korea since 2017-09-01", "North Korea", "2017-09-01", ""),
        ("brief me on TikTok since January 2023", "TikTok", "2023-01-01", ""),
        ("give me a timeline of North Korea from March to September", "North Korea", "2017-03-01", "2017-09-30"),
        ("timeline of sanctions in August", "sanctions", "2017-08-01", "2017-08-31"),
        ("brief me on North Korea until 2017-08-31", "North Korea", "", "2017-08-31"),
        ("brief me on North Korea before September", "North Korea", "", "2017-08-31"),
        ("brief me on North Korea in 2017", "North Korea", "2017-01-01", "2017-12-31"),
        ("brief me on Korea last month", "Korea", "2017-10-01", "2017-10-31"),
        ("brief me on Korea this week", "Korea", "2017-11-27", "2017-12-03"),
    ],
)
def test_time_phrases_become_since_and_until(message: str, topic: str, since: str, until: str) -> None:
    request = parse_briefing_request(message, anchor=ANCHOR)
    assert request is not None
    assert (request.topic, request.since, request.until, request.period) == (topic, since, until, "")


def test_without_an_anchor_the_period_waits_for_the_archive() -> None:
    request = parse_briefing_request("briefing on North Korea since August")
    assert request == BriefRequest(topic="North Korea", period="since August")
    assert request.resolved(ANCHOR).since == "2017-08-01"
    assert request.resolved(date(2018, 3, 1)).since == "2017-08-01"  # the latest August before the anchor


def test_words_that_only_look_like_time_stay_in_the_topic() -> None:
    request = parse_briefing_request("brief me on sanctions in North Korea")
    assert request is not None and request.topic == "sanctions in North Korea" and request.period == ""
