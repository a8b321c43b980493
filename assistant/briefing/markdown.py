"""A Brief as Markdown: what `newsdesk brief` prints or writes, and what the UI shows (with its
own markers and escaping)."""

from __future__ import annotations

from typing import Callable

from assistant.briefing.model import Brief, BriefPoint


def render_brief_markdown(
    brief: Brief,
    marker: Callable[[int], str] | None = None,
    text: Callable[[str], str] | None = None,
    with_sources: bool = True,
) -> str:
    """The brief as Markdown: summary, timeline, what changed, then the numbered sources.

    `marker(n)` renders a citation marker (default "[n]"; the UI passes clickable links),
    `text(s)` renders article text (default as is; the UI escapes Markdown and HTML), and
    `with_sources=False` leaves the source list out (the UI shows it in its source viewer).
    """
    mark = marker or (lambda n: f"[{n}]")
    say = text or (lambda s: s)

    def markers(point: BriefPoint) -> str:
        return "".join(mark(n) for n in point.citations)

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
    if brief.summary:
        lines += ["## Summary", ""]
        lines += [f"- {_dated(p)}{say(p.text)} {markers(p)}" for p in brief.summary]
        lines.append("")
    if brief.timeline:
        lines += ["## Timeline", ""]
        lines += [f"- {_dated(p)}{say(p.text)} {markers(p)}" for p in brief.timeline]
        lines.append("")
    if brief.changes:
        lines += ["## What changed", ""]
        for c in brief.changes:
            lines.append(
                f"- **Then ({c.before.date_label}):** {say(c.before.text)} {markers(c.before)} "
                f"**Later ({c.after.date_label}):** {say(c.after.text)} {markers(c.after)}"
            )
        lines.append("")
    if brief.citations and with_sources:
        lines += ["## Sources", ""]
        for c in brief.citations:
            meta = ", ".join(x for x in (c.source, c.published) if x)
            head = f"{c.n}. {say(c.title) or 'untitled'}" + (f" — {say(meta)}" if meta else "")
            lines.append(head + (f". <{c.url}>" if c.url else ""))
            lines.append(f"   > {say(c.quote)}")
    if brief.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {say(n)}" for n in brief.notes]
    return "\n".join(lines).rstrip() + "\n"


def _dated(point: BriefPoint) -> str:
    """The date a line starts with: **2017-08-22**, or **2017-08-23** (published) when only
    the publication dates it."""
    if not point.date:
        return ""
    note = " (published)" if point.date_basis == "published" else ""
    return f"**{point.date_label}**{note} — "
