"""A conversation as files people keep, and an answer as text people paste.

- `conversation_markdown`: every question, its answer with [n] markers, and numbered sources with
  title, outlet, date, URL and the quote (a briefing as `newsdesk brief` writes it).
- `conversation_json`: the same turns with each answer exactly as `newsdesk ask --json` prints it
  (`Answer.to_dict()`), each briefing as `newsdesk brief --json`.
- `turn_text`: what the copy button puts on the clipboard: the answer as plain text (no Markdown
  escapes, no link syntax) followed by its sources.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Sequence

from assistant.answer import Citation, Lead
from assistant.briefing import Brief, render_brief_markdown
from assistant.ui.conversations import BRIEF, ERROR, Conversation, Turn
from assistant.ui.markdown_view import plain_markdown


def _meta(source: str, published: str) -> str:
    return ", ".join(x for x in (source, published) if x)


def sources_markdown(citations: Sequence[Citation]) -> list[str]:
    """Numbered sources: **title**, outlet, date, <url>, then each quote of that article as a
    block quote (one source per article, issue 13)."""
    lines = []
    for c in citations:
        meta = _meta(c.source, c.published)
        lines.append(f"{c.n}. **{c.title or 'untitled'}**" + (f" — {meta}" if meta else "") + (f" <{c.url}>" if c.url else ""))
        lines.extend(f"   > {' '.join(p.quote.split())}" for p in c.passages)
    return lines


def _leads_lines(leads: Sequence[Lead], bullet: str = "- ") -> list[str]:
    return [
        f"{bullet}{lead.title or 'untitled'}" + (f" ({_meta(lead.source, lead.published)})" if _meta(lead.source, lead.published) else "")
        + (f" {lead.url}" if lead.url else "")
        for lead in leads
    ]  # fmt: skip


def _filtered(turn: Turn) -> str:
    described = turn.filters.describe()
    return f"Filtered: only articles {described}." if described else ""


def turn_markdown(turn: Turn, number: int) -> str:
    """One question and its answer (or briefing) as Markdown, headed `## number. question`."""
    lines = [f"## {number}. {' '.join(turn.question.split())}", ""]
    meta = [f"Asked {turn.asked_at.replace('T', ' ').rstrip('Z')} UTC" if turn.asked_at else "", _filtered(turn)]
    if any(meta):
        lines += ["_" + " · ".join(m for m in meta if m) + "_", ""]
    if turn.kind == ERROR:
        return "\n".join([*lines, f"Could not answer: {turn.error}"])
    if turn.kind == BRIEF and turn.brief is not None:
        brief = render_brief_markdown(turn.brief)
        return "\n".join(lines) + re.sub(r"^(#{1,4}) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", brief, flags=re.M)
    answer = turn.answer
    if answer is None:
        return "\n".join(lines)
    lines += [answer.answer, ""]
    if answer.citations:
        heading = "**Sources (nearest, from outside the period asked about)**" if answer.outside_period else "**Sources**"
        lines += [heading, "", *sources_markdown(answer.citations)]
    elif answer.leads:
        lines += ["**Nearest articles (not evidence)**", "", *_leads_lines(answer.leads)]
    return "\n".join(lines).rstrip() + "\n"


def conversation_markdown(conversation: Conversation) -> str:
    head = [f"# {conversation.title or 'Conversation'}", ""]
    count = len(conversation.turns)
    head += [f"_newsdesk conversation, {count} question{'s' if count != 1 else ''}, started {conversation.created[:10]}_", ""]
    return "\n".join(head) + "\n".join(turn_markdown(t, i) for i, t in enumerate(conversation.turns, start=1))


def conversation_json(conversation: Conversation) -> dict[str, Any]:
    """{"id", "title", "created", "updated", "turns": [{"question", "asked_at", "filters", "answer" | "brief" | "error"}]}."""
    turns = []
    for turn in conversation.turns:
        item: dict[str, Any] = {"question": turn.question, "asked_at": turn.asked_at,
                                "filters": {"since": turn.filters.since, "until": turn.filters.until, "sources": list(turn.filters.sources)}}  # fmt: skip
        if turn.answer is not None:
            item["answer"] = turn.answer.to_dict()
        elif turn.brief is not None:
            item["brief"] = turn.brief.to_dict()
        else:
            item["error"] = turn.error
        turns.append(item)
    return {"id": conversation.id, "title": conversation.title, "created": conversation.created,
            "updated": conversation.updated, "turns": turns}  # fmt: skip


def export_files(conversation: Conversation, folder: Path) -> tuple[str, str]:
    """Write the conversation as .md and .json under `folder/<id>/`; their paths."""
    target = folder / conversation.id
    target.mkdir(parents=True, exist_ok=True)
    slug = re.sub(r"[^a-z0-9]+", "-", (conversation.title or "conversation").lower()).strip("-")[:50] or "conversation"
    markdown, data = target / f"newsdesk-{slug}.md", target / f"newsdesk-{slug}.json"
    markdown.write_text(conversation_markdown(conversation), encoding="utf-8")
    data.write_text(json.dumps(conversation_json(conversation), ensure_ascii=False, indent=2), encoding="utf-8")
    return str(markdown), str(data)


def brief_file(brief: Brief, folder: Path) -> str:
    """The brief as a Markdown file to download (the text `newsdesk brief -o` writes); its path."""
    slug = re.sub(r"[^a-z0-9]+", "-", brief.topic.lower()).strip("-")[:60] or "brief"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"briefing-{slug}.md"
    path.write_text(render_brief_markdown(brief), encoding="utf-8")
    return str(path)


def turn_text(turn: Turn) -> str:
    """The copy button's text: the reply as plain text, then its sources."""
    filtered = _filtered(turn)
    if turn.kind == ERROR:
        return f"Could not answer: {turn.error}"
    if turn.brief is not None:
        body = plain_markdown(render_brief_markdown(turn.brief))
    elif turn.answer is not None:
        body = turn.answer.render_text()
    else:
        body = ""
    return body + (f"\n\n{filtered}" if filtered else "")
