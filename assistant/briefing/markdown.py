"""A Brief as Markdown: what `newsdesk brief` prints or writes, and what the UI shows (with its
own markers and escaping)."""

from __future__ import annotations

import re
from typing import Callable

from assistant.briefing.model import Brief, BriefPoint


def render_brief_markdown(
    brief: Brief,
    marker: Callable[[int], str] | None = None,
    text: Callable[[str], str] | None = None,
    with_sources: bool = True,
    quote_marker: Callable[[int, int], str] | None = None,
) -> str:
    """The brief as Markdown: summary, timeline, undated, what changed, then the numbered sources.

    `marker(n)` renders a citation marker (default "[n]"); `quote_marker(n, position)`, when
    given, is used instead with the position in `brief.citations` of the line's own quote of
    article n (the Briefing tab opens that quote).  `text(s)` renders article text (default as
    is; the UI escapes Markdown and HTML), and `with_sources=False` leaves the source list out
    (the UI shows it in its source viewer).
    """
    mark = marker or (lambda n: f"[{n}]")
    say = text or (lambda s: s)

    def markers(point: BriefPoint) -> str:
        if quote_marker is None:
            return "".join(mark(n) for n in point.citations)
        own = {brief.quote(q).n: q for q in reversed(point.quotes)}
        return "".join(quote_marker(n, own[n]) if n in own else mark(n) for n in point.citations)

    def line(point: BriefPoint) -> str:
        return f"- {_dated(brief, point, say)}{say(point.text)} {markers(point)}"

    lines = [f"# Briefing: {say(brief.topic)}", ""]
    scope = []
    if brief.since or brief.until:
        scope.append(f"{brief.since or '…'} to {brief.until or '…'}")
    if brief.sources:
        scope.append("sources: " + ", ".join(say(s) for s in brief.sources))
    articles = len({c.article_id for c in brief.citations})
    scope.append(f"{len(brief.citations)} quotes from {articles} article{'s' if articles != 1 else ''}")
    extractive = brief.backend == "extractive"
    scope.append("extractive: every line is quoted from an article" if extractive else f"condensed by {brief.backend}")
    lines += ["_" + " · ".join(scope) + "_", ""]
    if brief.empty:
        narrowed = brief.since or brief.until or brief.sources
        lines += ["Nothing in the archive is about this topic" + (" within these filters." if narrowed else "."), ""]
    for heading, points, intro in (
        ("Summary", brief.summary, ""),
        ("Timeline", brief.timeline, ""),
        ("Undated", brief.undated, "_From articles without a publication date: they cannot be placed on the timeline._"),
    ):
        if points:
            lines += [f"## {heading}", ""] + ([intro, ""] if intro else [])
            lines += [line(p) for p in points]
            lines.append("")
    if brief.changes:
        lines += ["## What changed", ""]
        for c in brief.changes:
            named = f"**{say(c.difference.label)}** — " if c.difference else ""
            lines.append(
                f"- {named}**Then ({c.before.date_label}):** {say(c.before.text)} {markers(c.before)} "
                f"**Later ({c.after.date_label}):** {say(c.after.text)} {markers(c.after)}"
            )
        lines.append("")
    if brief.citations and with_sources:
        lines += ["## Sources", ""]
        shown: set[int] = set()
        for c in brief.citations:
            if c.n not in shown:
                shown.add(c.n)
                meta = ", ".join(x for x in (c.source, c.published) if x)
                head = f"{c.n}. {say(c.title) or 'untitled'}" + (f" — {say(meta)}" if meta else "")
                lines.append(head + (f". <{c.url}>" if c.url else ""))
            lines.append(f"   > {say(c.quote)}")
    if brief.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {say(n)}" for n in brief.notes]
    return "\n".join(lines).rstrip() + "\n"


def _dated(brief: Brief, point: BriefPoint, say: Callable[[str], str]) -> str:
    """The date a line starts with, and why it has it: **2023-02-04** (“Saturday”, in an article
    of 2023-02-05); **2017-03-17** (“March 17, 2017”); **2017-08-23** (published)."""
    if not point.date:
        return ""
    if point.date_basis != "text" or not point.date_phrase:
        return f"**{point.date_label}** (published) — "
    reason = f"“{say(point.date_phrase)}”"
    if not re.search(r"\b(?:19|20)\d\d\b", point.date_phrase) and point.quotes:
        published = brief.quote(point.quotes[0]).published
        if published:
            reason += f", in an article of {published}"
    return f"**{point.date_label}** ({reason}) — "
