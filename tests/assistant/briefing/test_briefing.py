"""Briefings on the bundled sample + seed, and on a tiny hand-written story told by three outlets."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, fields

import pytest

from assistant.answer import Citation
from assistant.filters import Filters
from assistant.briefing import (
    Brief,
    BriefPoint,
    BriefRequest,
    build_brief,
    make_brief,
    render_brief_markdown,
    verify_brief,
    weekly_coverage,
)
from support import build_index, check_brief

MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def north_korea(sample_assistant) -> Brief:  # type: ignore[no-untyped-def]
    return make_brief(sample_assistant, "North Korea")


@pytest.fixture(scope="module")
def sanctions(sample_assistant) -> Brief:  # type: ignore[no-untyped-def]
    return make_brief(sample_assistant, BriefRequest("North Korea sanctions", since="2017-08-01"), max_points=6)


def assert_well_formed(brief: Brief, catalog) -> None:  # type: ignore[no-untyped-def]
    """One number per article by first use, every line cited by its own verbatim quotes, in order."""
    check_brief(json.loads(json.dumps(brief.to_dict())), catalog)


def test_north_korea_brief_has_summary_timeline_undated_and_changes(north_korea: Brief, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    assert 3 <= len(north_korea.summary) <= 5
    assert len(north_korea.timeline) >= 8
    assert north_korea.undated  # the seed has no date: its statements have a section of their own
    assert north_korea.changes
    assert_well_formed(north_korea, sample_assistant.index.catalog)


def test_timeline_dates_come_from_the_text_when_it_says_them(north_korea: Brief) -> None:
    by_text = {p.text: p for p in north_korea.timeline}
    march = next(p for t, p in by_text.items() if "first trip to Seoul" in t)
    assert (march.date, march.precision, march.date_basis) == ("2017-03", "month", "text")
    nuclear = next(p for t, p in by_text.items() if "sixth and most powerful nuclear test" in t)
    assert (nuclear.date, nuclear.date_basis, nuclear.date_phrase) == ("2017-09-03", "text", "Sunday, September 3")
    assert north_korea.timeline[0].date < north_korea.timeline[-1].date


def test_the_same_fact_from_several_outlets_is_one_point_citing_all(north_korea: Brief) -> None:
    articles = {c.n: c.article_id for c in north_korea.citations}
    sources = {c.n: c.source for c in north_korea.citations}
    # The UN ban of August 5 and the Treasury sanctions of August 22 were each reported by two outlets.
    for words in ("Security Council", "Treasury Department"):
        point = next(p for p in north_korea.timeline if words in p.text and p.date in ("2017-08-05", "2017-08-22"))
        assert len({sources[n] for n in point.citations}) >= 2, (point.text, point.citations)
    # Tillerson's March condition: the March article, the August article and the undated seed.
    march = next(p for p in north_korea.timeline if p.date == "2017-03" and "Tillerson" in p.text)
    assert len({articles[n] for n in march.citations}) == 3
    assert not any("first trip to Seoul" in p.text for p in north_korea.undated)  # not repeated there
    texts = [p.text for p in [*north_korea.summary, *north_korea.timeline, *north_korea.undated]]
    assert len(texts) == len(set(texts))


def test_what_changed_puts_march_and_august_side_by_side_and_names_the_shift(north_korea: Brief) -> None:
    change = next(c for c in north_korea.changes if c.before.date.startswith("2017-03") and c.after.date == "2017-08-22")
    assert "Tillerson" in change.before.text and "Tillerson" in change.after.text
    assert "talk" in change.before.text and "dialogue" in change.after.text
    assert change.difference is not None and change.difference.label == "position: softening"
    assert change.before.citations and change.after.citations


def test_filters_limit_what_is_cited(sanctions: Brief, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    assert sanctions.since == "2017-08-01"
    assert all(c.published >= "2017-08-01" for c in sanctions.citations)  # undated articles are out too
    assert len(sanctions.timeline) <= 6
    assert_well_formed(sanctions, sample_assistant.index.catalog)
    only = make_brief(sample_assistant, BriefRequest("North Korea", sources=("Meridian Review",)), max_points=3)
    assert only.citations and {c.source for c in only.citations} == {"Meridian Review"}
    assert len(only.timeline) <= 3


def test_markdown_has_one_numbered_source_per_article_and_every_line_cited(north_korea: Brief) -> None:
    markdown = render_brief_markdown(north_korea)
    sections = dict(re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", markdown, flags=re.M | re.S))
    assert list(sections)[:5] == ["Summary", "Timeline", "Undated", "What changed", "Sources"]
    used: set[int] = set()
    for name in ("Summary", "Timeline", "Undated", "What changed"):
        for line in sections[name].strip().splitlines():
            if not line.strip() or line.startswith("_"):
                continue  # the Undated section's note
            assert line.startswith("- ") and MARKER.search(line), f"uncited line in {name}: {line}"
            used.update(int(n) for n in MARKER.findall(line))
    listed = [int(n) for n in re.findall(r"^(\d+)\. ", sections["Sources"], flags=re.M)]
    numbers = sorted({c.n for c in north_korea.citations})
    assert listed == numbers and set(listed) == used  # each article once
    for c in north_korea.citations:
        assert f"{c.n}. {c.title}" in sections["Sources"] and f"> {c.quote}" in sections["Sources"]
        if c.url:
            assert f"<{c.url}>" in sections["Sources"]
    # The reason for each date: the words that gave it, resolved against the article's date.
    assert "**2017-03** (“In March”, in an article of 2017-08-22) — " in sections["Timeline"] or "**2017-03** (“in March”" in sections["Timeline"]
    assert "(published) — " in markdown
    # A custom marker renderer (the UI's clickable links) is used for every marker.
    linked = render_brief_markdown(north_korea, marker=lambda n: f"<{n}>", with_sources=False)
    assert "## Sources" not in linked and "[1]" not in linked and "<1>" in linked
    # ... and a quote marker gets the position of the line's own quote of that article.
    quoted = render_brief_markdown(north_korea, quote_marker=lambda n, q: f"<{n}:{q}>", with_sources=False)
    first = north_korea.timeline[0]
    assert f"<{first.citations[0]}:{first.quotes[0]}>" in quoted


def test_json_has_the_documented_structure(north_korea: Brief) -> None:
    payload = json.loads(json.dumps(north_korea.to_dict()))
    assert set(payload) >= {"topic", "terms", "summary", "timeline", "undated", "changes", "citations", "coverage", "notes"}
    ask_keys = [f.name for f in fields(Citation)]
    assert all(list(c) == ask_keys for c in payload["citations"])  # the same shape as `ask` citations
    entry = payload["timeline"][0]
    assert set(entry) == {"text", "citations", "quotes", "date", "precision", "date_basis", "date_phrase", "label"}
    assert entry["label"] and all(not p["label"] for p in payload["summary"])  # a few words per event
    change = payload["changes"][0]
    assert set(change) == {"before", "after", "similarity", "difference"}
    assert set(change["difference"]) == {"kind", "what", "before", "after", "label"}
    assert payload["coverage"] and all(set(w) == {"week", "articles"} for w in payload["coverage"])
    assert payload["terms"][0]["term"] == "North Korea" and payload["terms"][0]["kind"] == "name"


def test_undated_articles_have_their_own_section(north_korea: Brief) -> None:
    undated = {c.n for c in north_korea.citations if not c.published}
    assert undated
    for point in north_korea.timeline:
        assert point.date
        assert set(point.citations) - undated  # an undated article may back a dated event, never date it alone
    for point in north_korea.undated:
        assert not point.date and set(point.citations) <= undated
    seed_lines = [p.text for p in [*north_korea.summary, *north_korea.undated] if set(p.citations) <= undated]
    assert len(seed_lines) >= 3  # the seed's statements are kept, in the summary and the Undated section
    markdown = render_brief_markdown(north_korea)
    assert "## Undated" in markdown and "without a publication date" in markdown


def test_verify_brief_drops_a_quote_that_is_not_verbatim(north_korea: Brief, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    payload = north_korea.to_dict()
    brief = Brief(
        topic="tampered",
        summary=[_point(p) for p in payload["summary"]],
        timeline=[_point(p) for p in payload["timeline"]],
        undated=[_point(p) for p in payload["undated"]],
        citations=[Citation(**c) for c in payload["citations"]],
    )
    first = brief.citations[0]
    brief.citations[0] = Citation(**{**asdict(first), "quote": first.quote + " (and more)"})
    checked = verify_brief(brief, sample_assistant.index.catalog)
    assert all(c.quote != first.quote + " (and more)" for c in checked.citations)
    assert any("not verbatim" in note for note in checked.notes)
    check_brief({**checked.to_dict()}, sample_assistant.index.catalog)


def _point(p: dict) -> BriefPoint:  # type: ignore[type-arg]
    return BriefPoint(**{**p, "citations": tuple(p["citations"]), "quotes": tuple(p["quotes"])})


def test_build_brief_merges_request_dates_with_ui_filters(sample_assistant) -> None:  # type: ignore[no-untyped-def]
    request = BriefRequest("North Korea sanctions", period="since August")
    brief = build_brief(sample_assistant, request, Filters(until="2017-08-31"), max_points=4)
    assert (brief.since, brief.until) == ("2017-08-01", "2017-08-31")
    assert brief.citations and all("2017-08-01" <= c.published <= "2017-08-31" for c in brief.citations)


def test_weekly_coverage_counts_articles_per_week_with_gaps_filled() -> None:
    weeks = weekly_coverage(["2017-08-01", "2017-08-03", "2017-08-22", "", "2017-08-14"])
    assert [(w.week, w.articles) for w in weeks] == [
        ("2017-07-31", 2),
        ("2017-08-07", 0),
        ("2017-08-14", 1),
        ("2017-08-21", 1),
    ]


# -- a story told by three outlets, written for this test ----------------------------------------

FERRY = {
    "a.txt": ("Council Votes to Close Harbor City Ferry Terminal", "May 4, 2021", "Outlet One",
              "The Harbor City council voted on Monday to close the old ferry terminal, ending 80 years of passenger "
              "service across the bay.\n\nCouncil members said repairs to the pier would cost more than the city could "
              "afford. Commuters will be offered a new express bus to the business district."),
    "b.txt": ("Harbor City Ferry Terminal to Shut After 80 Years", "May 5, 2021", "Outlet Two",
              "On Monday, the Harbor City council approved the closure of the old ferry terminal, which has carried "
              "passengers across the bay for 80 years.\n\nResidents who packed the meeting pleaded for a delay, but the "
              "vote was not close."),
    "c.txt": ("What the Ferry Vote Means for Commuters", "May 6, 2021", "Outlet Three",
              "The council's Monday vote closes Harbor City's old ferry terminal after 80 years of passenger service "
              "across the bay.\n\nFor the 1,200 people who take the ferry each day, the change means a longer trip."),
    "d.txt": ("Old Ferry Terminal Will Become a Park", "June 20, 2021", "Outlet One",
              "The site of the old ferry terminal will become a public park, the Harbor City mayor announced on "
              "Friday.\n\nWork on the park is expected to begin once the pier has been removed."),
    "e.txt": ("Harbor City Pledges to Keep Ferry Running", "April 2, 2021", "Outlet Two",
              "In March, the Harbor City council promised to keep the old ferry terminal open for at least five more "
              "years.\n\nThe pledge followed a petition signed by thousands of commuters."),
}  # fmt: skip


@pytest.fixture(scope="module")
def ferry_assistant(tmp_path_factory, embedder):  # type: ignore[no-untyped-def]
    from assistant.api import Assistant

    folder = tmp_path_factory.mktemp("ferry-articles")
    for name, (title, published, source, body) in FERRY.items():
        (folder / name).write_text(f"{title}\nDate: {published}\nSource: {source}\n\n{body}\n", encoding="utf-8")
    return Assistant(build_index(tmp_path_factory.mktemp("ferry-index"), [folder]))


def test_three_outlets_reporting_one_vote_make_one_point(ferry_assistant) -> None:  # type: ignore[no-untyped-def]
    brief = make_brief(ferry_assistant, "Harbor City ferry terminal")
    assert_well_formed(brief, ferry_assistant.index.catalog)
    sources = {c.n: c.source for c in brief.citations}
    votes = [p for p in [*brief.summary, *brief.timeline] if "80 years" in p.text]
    assert len(votes) == 1
    vote = votes[0]
    assert {sources[n] for n in vote.citations} == {"Outlet One", "Outlet Two", "Outlet Three"}
    assert (vote.date, vote.date_basis) == ("2021-05-03", "text")  # "on Monday" before May 4-6
    dates = [p.date for p in brief.timeline]
    assert dates.index("2021-03") < dates.index("2021-05-03") < dates.index("2021-06-18")
    change = brief.changes[0]
    assert (change.before.date, "promised" in change.before.text) == ("2021-03", True)
    assert change.after.date in ("2021-05-03", "2021-06-18")
    assert change.difference is not None and change.difference.label == "status: open → close"


def test_llm_condensed_summary_keeps_only_verified_sentences(sample_assistant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With an LLM configured the summary is condensed, and every kept sentence is verified."""
    from types import SimpleNamespace

    from assistant import llm
    from assistant.settings import AssistantSettings

    seen: dict[str, object] = {}

    def fake_complete(settings, prompt_name, max_tokens=None, **variables):  # type: ignore[no-untyped-def]
        seen.update(variables, prompt=prompt_name)
        first = next(re.finditer(r'<passage n="(\d+)">(.*?)</passage>', str(variables["passages"]), re.S))
        seen["first"] = " ".join(first.group(2).split())
        return (
            f"- {seen['first']} [{first.group(1)}]\n"
            "- North Korea agreed to give up all of its nuclear weapons in October [1]."
        )

    monkeypatch.setattr(llm, "complete", fake_complete)
    settings = AssistantSettings(llm="openai", llm_url="http://127.0.0.1:9/v1", llm_model="stub")
    stand_in = SimpleNamespace(index=sample_assistant.index, retriever=sample_assistant.retriever, settings=settings, dates=sample_assistant.dates)
    brief = make_brief(stand_in, "North Korea sanctions")  # type: ignore[arg-type]
    assert seen["prompt"] == "briefing" and seen["topic"] == "North Korea sanctions"
    assert brief.backend == "openai"
    condensed = brief.summary[0]
    assert str(seen["first"]).startswith(condensed.text.rstrip(".")[:40])
    assert not any("give up all of its nuclear weapons" in p.text for p in brief.summary)
    assert any("dropped sentence" in note for note in brief.notes)
    assert 3 <= len(brief.summary) <= 5  # quoted facts fill up what the model did not cover
    timeline = {p.text for p in brief.timeline}
    assert not any(p.text in timeline for p in brief.summary)  # the model was shown no timeline event
    check_brief(brief.to_dict(), sample_assistant.index.catalog, extractive=False)
