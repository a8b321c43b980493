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
from support import build_index

MARKER = re.compile(r"\[(\d+)\]")


@pytest.fixture(scope="module")
def north_korea(sample_assistant) -> Brief:  # type: ignore[no-untyped-def]
    return make_brief(sample_assistant, "North Korea")


@pytest.fixture(scope="module")
def sanctions(sample_assistant) -> Brief:  # type: ignore[no-untyped-def]
    return make_brief(sample_assistant, BriefRequest("North Korea sanctions", since="2017-08-01"), max_points=6)


def assert_well_formed(brief: Brief, catalog) -> None:  # type: ignore[no-untyped-def]
    """Every line cited, numbers 1..N by first use, every quote verbatim in its stored article."""
    numbers = [c.n for c in brief.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    first_use: list[int] = []
    for point in brief.points():
        assert point.citations, f"uncited line: {point.text}"
        assert point.date_basis in ("text", "published")
        for n in point.citations:
            assert 1 <= n <= len(numbers)
            if n not in first_use:
                first_use.append(n)
    assert first_use == numbers  # the sources list is in marker order and has nothing unused
    articles = catalog.articles(c.article_id for c in brief.citations)
    for c in brief.citations:
        assert articles[c.article_id].text[c.start : c.end] == c.quote
    # Extractive: each line is the verbatim quote of its first citation.
    for point in brief.points():
        assert point.text == brief.citations[point.citations[0] - 1].quote
    order = [(p.date, p.precision) for p in brief.timeline]
    keys = [_sort_key(p) for p in brief.timeline]
    assert keys == sorted(keys), order


def _sort_key(point: BriefPoint) -> tuple[str, int]:
    """ISO dates at any precision sort as text once padded; a month sorts before its days."""
    rank = {"year": 0, "month": 1, "week": 2, "day": 2}[point.precision]
    padded = (point.date + "-01-01")[:10] if point.precision != "week" else point.date
    return padded, rank


def test_north_korea_brief_has_summary_timeline_and_changes(north_korea: Brief, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    assert 3 <= len(north_korea.summary) <= 5
    assert len(north_korea.timeline) >= 8
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
    cites = {c.n: c for c in north_korea.citations}
    # The UN ban of August 5 and the Treasury sanctions of August 22 were each reported by two outlets.
    for words in ("Security Council", "Treasury Department"):
        point = next(p for p in north_korea.timeline if words in p.text and p.date in ("2017-08-05", "2017-08-22"))
        sources = {cites[n].source for n in point.citations}
        assert len(sources) >= 2, (point.text, sources)
    # Tillerson's March condition: the March article, the August article and the seed.
    march = next(p for p in north_korea.timeline if p.date == "2017-03" and "Tillerson" in p.text)
    assert len({cites[n].article_id for n in march.citations}) == 3
    texts = [p.text for p in north_korea.timeline]
    assert len(texts) == len(set(texts))


def test_what_changed_puts_march_and_august_side_by_side(north_korea: Brief) -> None:
    change = next(c for c in north_korea.changes if c.before.date.startswith("2017-03") and c.after.date == "2017-08-22")
    assert "Tillerson" in change.before.text and "Tillerson" in change.after.text
    assert "talk" in change.before.text and "dialogue" in change.after.text
    assert change.before.citations and change.after.citations


def test_filters_limit_what_is_cited(sanctions: Brief, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    assert sanctions.since == "2017-08-01"
    assert all(c.published >= "2017-08-01" for c in sanctions.citations)  # undated articles are out too
    assert len(sanctions.timeline) <= 6
    assert_well_formed(sanctions, sample_assistant.index.catalog)
    only = make_brief(sample_assistant, BriefRequest("North Korea", sources=("Meridian Review",)), max_points=3)
    assert only.citations and {c.source for c in only.citations} == {"Meridian Review"}
    assert len(only.timeline) <= 3


def test_markdown_has_numbered_sources_matching_markers_and_no_uncited_line(north_korea: Brief) -> None:
    markdown = render_brief_markdown(north_korea)
    sections = dict(re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", markdown, flags=re.M | re.S))
    assert list(sections)[:4] == ["Summary", "Timeline", "What changed", "Sources"]
    used: set[int] = set()
    for name in ("Summary", "Timeline", "What changed"):
        for line in sections[name].strip().splitlines():
            assert line.startswith("- ") and MARKER.search(line), f"uncited line in {name}: {line}"
            used.update(int(n) for n in MARKER.findall(line))
    listed = [int(n) for n in re.findall(r"^(\d+)\. ", sections["Sources"], flags=re.M)]
    assert listed == [c.n for c in north_korea.citations] and set(listed) == used
    for c in north_korea.citations:
        assert f"{c.n}. {c.title}" in sections["Sources"] and f"> {c.quote}" in sections["Sources"]
        if c.url:
            assert f"<{c.url}>" in sections["Sources"]
    assert "**2017-03** — " in sections["Timeline"]
    # A custom marker renderer (the UI's clickable links) is used for every marker.
    linked = render_brief_markdown(north_korea, marker=lambda n: f"<{n}>", with_sources=False)
    assert "## Sources" not in linked and "[1]" not in linked and "<1>" in linked


def test_json_has_the_documented_structure(north_korea: Brief) -> None:
    payload = json.loads(json.dumps(north_korea.to_dict()))
    assert set(payload) >= {"topic", "summary", "timeline", "changes", "citations", "coverage", "notes"}
    ask_keys = [f.name for f in fields(Citation)]
    assert all(list(c) == ask_keys for c in payload["citations"])  # the same shape as `ask` citations
    entry = payload["timeline"][0]
    assert set(entry) == {"text", "citations", "date", "precision", "date_basis", "date_phrase"}
    change = payload["changes"][0]
    assert set(change) == {"before", "after", "similarity"}
    assert payload["coverage"] and all(set(w) == {"week", "articles"} for w in payload["coverage"])


def test_undated_articles_are_kept_out_of_the_timeline(north_korea: Brief) -> None:
    undated = {c.n for c in north_korea.citations if not c.published}
    for point in north_korea.timeline:
        assert point.date
        # An undated article may back a dated fact, never date it alone.
        assert set(point.citations) - undated
    assert any("undated" in note for note in north_korea.notes)


def test_verify_brief_drops_a_quote_that_is_not_verbatim(north_korea: Brief, sample_assistant) -> None:  # type: ignore[no-untyped-def]
    payload = north_korea.to_dict()
    brief = Brief(
        topic="tampered",
        summary=[_point(p) for p in payload["summary"]],
        timeline=[_point(p) for p in payload["timeline"]],
        citations=[Citation(**c) for c in payload["citations"]],
    )
    first = brief.citations[0]
    brief.citations[0] = Citation(**{**asdict(first), "quote": first.quote + " (and more)"})
    checked = verify_brief(brief, sample_assistant.index.catalog)
    assert all(c.quote != first.quote + " (and more)" for c in checked.citations)
    assert [c.n for c in checked.citations] == list(range(1, len(checked.citations) + 1))
    assert any("not verbatim" in note for note in checked.notes)
    for point in [*checked.summary, *checked.timeline]:
        assert point.citations and all(1 <= n <= len(checked.citations) for n in point.citations)


def _point(p: dict) -> BriefPoint:  # type: ignore[type-arg]
    return BriefPoint(**{**p, "citations": tuple(p["citations"])})


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
    cites = {c.n: c for c in brief.citations}
    votes = [p for p in brief.timeline if "80 years" in p.text]
    assert len(votes) == 1
    vote = votes[0]
    assert {cites[n].source for n in vote.citations} == {"Outlet One", "Outlet Two", "Outlet Three"}
    assert (vote.date, vote.date_basis) == ("2021-05-03", "text")  # "on Monday" before May 4-6
    dates = [p.date for p in brief.timeline]
    assert dates.index("2021-03") < dates.index("2021-05-03") < dates.index("2021-06-18")
    change = brief.changes[0]
    assert (change.before.date, "promised" in change.before.text) == ("2021-03", True)
    assert change.after.date in ("2021-05-03", "2021-06-18")


def test_llm_condensed_summary_keeps_only_verified_sentences(sample_assistant, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With an LLM configured the summary is condensed, and every kept sentence is verified."""
    from types import SimpleNamespace

    from assistant import llm
    from assistant.settings import AssistantSettings

    seen: dict[str, object] = {}

    def fake_complete(settings, prompt_name, max_tokens=None, **variables):  # type: ignore[no-untyped-def]
        seen.update(variables, prompt=prompt_name)
        passages = str(variables["passages"])
        blocks = re.finditer(r'<passage n="(\d+)">(.*?)</passage>', passages, re.S)
        ban = next(m.group(1) for m in blocks if "15 to 0" in m.group(2))
        return (
            f"- On August 5 the Security Council voted 15 to 0 to ban North Korea's coal, iron and seafood exports [{ban}].\n"
            "- North Korea agreed to give up all of its nuclear weapons in October [1]."
        )

    monkeypatch.setattr(llm, "complete", fake_complete)
    settings = AssistantSettings(llm="openai", llm_url="http://127.0.0.1:9/v1", llm_model="stub")
    stand_in = SimpleNamespace(index=sample_assistant.index, retriever=sample_assistant.retriever, settings=settings)
    brief = make_brief(stand_in, "North Korea sanctions")  # type: ignore[arg-type]
    assert seen["prompt"] == "briefing" and seen["topic"] == "North Korea sanctions"
    assert brief.backend == "openai"
    condensed = brief.summary[0]
    assert condensed.text.startswith("On August 5 the Security Council voted 15 to 0")
    assert (condensed.date, condensed.date_basis) == ("2017-08-05", "text")
    cites = {c.n: c for c in brief.citations}
    assert len({cites[n].source for n in condensed.citations}) >= 2  # the fact's other outlets too
    assert not any("give up all of its nuclear weapons" in p.text for p in brief.summary)
    assert any("dropped sentence" in note for note in brief.notes)
    assert 3 <= len(brief.summary) <= 5  # quoted facts fill up what the model did not cover
    articles = sample_assistant.index.catalog.articles(c.article_id for c in brief.citations)
    assert all(articles[c.article_id].text[c.start : c.end] == c.quote for c in brief.citations)
