"""Answers, sources and articles as HTML for the chat UI.  Every piece of article data is escaped.

Plain functions, so other tabs (the Briefing tab) reuse them:

    answer_markdown(answer: Answer, turn: int) -> str
        The chat message for an Answer: its sentences with clickable [n] markers (Markdown links
        to `#nd-cite-<turn>-<n>`), a short direct answer in bold, sentences no passage supports
        visibly marked, for a period the archive does not cover the notice and the label of the
        nearest quotes, and for an abstention the leads (links to `#nd-lead-<turn>-<i>`).
    streaming_markdown(text: str) -> str
        Partial answer text while a backend streams it (escaped, with a "writing" cursor).
    sources_panel(citations: Sequence[Citation], articles: Mapping[str, StoredArticle],
                  turn: int | None = None, active: int | None = None, heading: str = "Sources") -> str
        One row per citation (one per article): [n], title, source, date, link, and for each of
        its quotes the passage around it with the quote in <mark>.  `articles` maps article_id ->
        the article (the passage falls back to the quote alone); Markdown articles are shown
        without their markup (markdown_view.py).  Rows carry `data-nd-open="cite-<turn>-<n>"` when
        `turn` is given, else `data-nd-article="<article_id>:<start>:<end>"`; the chat tab opens either.
    leads_panel(leads: Sequence[Lead], turn: int) -> str
        The nearest articles offered when the assistant abstains (marked "not evidence").
    article_view(article: StoredArticle, start: int | None = None, end: int | None = None,
                 quote: str = "", n: int | None = None, more: Sequence[Quote] = ()) -> str
        The whole article with text[start:end] in <mark id="nd-quote"> (found again by `quote`
        when the offsets no longer match the stored text), and the citation's other quotes
        (`more`) in <mark class="nd-more">; a Markdown article without markup.
    filter_note(filters: Filters) -> str
        The line an answer ends with when filters limited what it may cite.

    passage_html(text: str, start: int, end: int, context: int = 260) -> str
        The quote in <mark> with up to `context` characters either side, cut at word boundaries.
    safe_url(url: str) -> str
        The url if it is http(s), else "" (a `javascript:` link must never become clickable).

Escaping: `html.escape` for HTML; for Markdown (chat messages) backslash-escape Markdown
punctuation first, then HTML-escape, so `<script>` and `*bold*` in an article arrive as text.
"""

from __future__ import annotations

import html
import re
from typing import Collection, Mapping, Sequence
from urllib.parse import urlparse

from assistant.answer import Answer, Citation, Lead, Quote
from assistant.filters import Filters
from assistant.ui.markdown_view import is_markdown, plain_markdown, shown_text
from ingest.catalog import StoredArticle

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$])")


def esc(text: str) -> str:
    """Text -> HTML text (quotes escaped too, so it is safe inside attributes)."""
    return html.escape(text or "", quote=True)


def md_text(text: str) -> str:
    """Text -> Markdown that renders as exactly this text (no formatting, no HTML)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text or "")
    return escaped.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def filter_note(filters: Filters) -> str:
    """"_Filtered: only articles published 2017-08-01 to 2017-08-31, from Relay Wire._" or ""."""
    described = filters.describe()
    return f"_Filtered: only articles {md_text(described)}._" if described else ""


def safe_url(url: str) -> str:
    try:
        parsed = urlparse((url or "").strip())
    except ValueError:
        return ""
    return url.strip() if parsed.scheme in ("http", "https") and parsed.netloc else ""


def meta_line(source: str, published: str, url: str) -> str:
    """"Source · 2017-03-17 · link" as HTML; unknown parts left out, links only for http(s)."""
    parts = [f'<span class="nd-source-name">{esc(source)}</span>' if source else ""]
    parts.append(f'<span class="nd-date">{esc(published)}</span>' if published else '<span class="nd-date">undated</span>')
    link = safe_url(url)
    if link:
        parts.append(f'<a class="nd-link" href="{esc(link)}" target="_blank" rel="noopener noreferrer nofollow">link</a>')
    return " &middot; ".join(p for p in parts if p)


# -- chat messages ---------------------------------------------------------------------------------


def marker(turn: int, n: int) -> str:
    return f"[\\[{n}\\]](#nd-cite-{turn}-{n} \"Open source {n}\")"


def answer_markdown(answer: Answer, turn: int, markdown_articles: Collection[str] = ()) -> str:
    """The chat message for an answer, with clickable markers and unsupported sentences marked;
    sentences quoted from `markdown_articles` (ids) are shown without their Markdown markup."""
    from_markdown = {c.n for c in answer.citations if c.article_id in markdown_articles}
    if answer.sentences:
        parts = []
        if answer.outside_period and answer.period_coverage is not None:
            parts.append(f"{md_text(answer.period_coverage.notice())} _The nearest evidence, from outside that period:_")
        for sentence in answer.sentences:
            markers = "".join(marker(turn, n) for n in sentence.citations)
            quoted = sentence.text
            if sentence.citations and set(sentence.citations) <= from_markdown:
                quoted = plain_markdown(quoted)
            text = md_text(quoted)
            if sentence.role == "direct":
                text = f"**{text}**"
            if not sentence.supported:
                text = (
                    f'<span class="nd-unsupported" title="No cited passage supports this sentence">{text}</span>'
                    " _(unsupported: no passage backs this sentence)_"
                )
            parts.append(f"{text} {markers}".strip() + (":" if sentence.role == "direct" else ""))
        body = " ".join(parts)
    else:
        # Markers in plain answer text ("... [2]") become links too.
        body = re.sub(r"\\\[(\d{1,3})\\\]", lambda m: marker(turn, int(m.group(1))), md_text(answer.answer))
    if answer.abstained and answer.leads:
        lines = [body, "", "**Nearest articles (not evidence):**"]
        for i, lead in enumerate(answer.leads):
            meta = ", ".join(md_text(x) for x in (lead.source, lead.published) if x)
            lines.append(f"- [{md_text(lead.title) or 'untitled'}](#nd-lead-{turn}-{i})" + (f" ({meta})" if meta else ""))
        body = "\n".join(lines)
    return body


def streaming_markdown(text: str) -> str:
    return md_text(text) + " \u258d"


def error_markdown(message: str) -> str:
    return f"**Cannot answer:** {md_text(message)}"


# -- sources panel ---------------------------------------------------------------------------------


def _snap_back(text: str, start: int, context: int) -> tuple[str, bool]:
    """Up to `context` characters before `start`, beginning at a sentence or word start."""
    lo = max(0, start - context)
    window = text[lo:start]
    if lo == 0:
        return window, False
    sentence = max(window.rfind(". "), window.rfind("\n"), window.rfind("? "), window.rfind("! "))
    if sentence >= 0 and sentence < len(window) - 2:
        return window[sentence + 1 :].lstrip(), False
    space = window.find(" ")
    return (window[space + 1 :] if space >= 0 else window), True


def _snap_forward(text: str, end: int, context: int) -> tuple[str, bool]:
    hi = min(len(text), end + context)
    window = text[end:hi]
    if hi == len(text):
        return window, False
    space = window.rfind(" ")
    return (window[:space] if space > 0 else window), True


def passage_html(text: str, start: int, end: int, context: int = 260) -> str:
    before, cut_before = _snap_back(text, start, context)
    after, cut_after = _snap_forward(text, end, context)
    return (
        ("&hellip;" if cut_before else "")
        + esc(before)
        + f"<mark>{esc(text[start:end])}</mark>"
        + esc(after)
        + ("&hellip;" if cut_after else "")
    )


def quote_span(text: str, start: int, end: int, quote: str) -> tuple[int, int] | None:
    """Where the quote is in `text`: the stored offsets when they still match, else a search."""
    if 0 <= start < end <= len(text) and (not quote or text[start:end] == quote):
        return start, end
    if quote:
        found = text.find(quote)
        if found >= 0:
            return found, found + len(quote)
    return None


def sources_panel(
    citations: Sequence[Citation],
    articles: Mapping[str, StoredArticle],
    turn: int | None = None,
    active: int | None = None,
    heading: str = "Sources",
) -> str:
    if not citations:
        return empty_panel("Sources of the answer appear here, each with its passage and the quoted sentence highlighted.")
    rows = []
    seen: set[int] = set()
    for c in citations:
        article = articles.get(c.article_id)
        shown = shown_text(article.text, is_markdown(article.path)) if article else None
        passages = []
        for p in c.passages:
            span = quote_span(article.text, p.start, p.end, p.quote) if article else None
            passage = passage_html(shown.text, *shown.span(*span)) if shown and span else f"<mark>{esc(p.quote)}</mark>"
            passages.append(f'<blockquote class="nd-passage">{passage}</blockquote>')
        opener = f'data-nd-open="cite-{turn}-{c.n}"' if turn is not None else f'data-nd-article="{esc(c.article_id)}:{c.start}:{c.end}"'
        row_id = f"nd-source-{c.n}" if c.n not in seen else f"nd-source-{c.n}-{len(rows)}"  # a brief quotes one article more than once
        seen.add(c.n)
        rows.append(
            f'<li class="nd-source{" nd-active" if active == c.n else ""}" id="{row_id}" {opener} '
            f'role="button" tabindex="0" title="Open the article">'
            f'<div class="nd-source-head"><span class="nd-n">[{c.n}]</span> '
            f'<span class="nd-title">{esc(c.title) or "untitled"}</span></div>'
            f'<div class="nd-meta">{meta_line(c.source, c.published, c.url)}</div>'
            f'{"".join(passages)}</li>'
        )
    return f'<div class="nd-sources"><h3 class="nd-panel-title">{esc(heading)}</h3><ol class="nd-source-list">{"".join(rows)}</ol></div>'


def leads_panel(leads: Sequence[Lead], turn: int) -> str:
    if not leads:
        return empty_panel("Nothing in the archive answers this question.")
    rows = [
        f'<li class="nd-source nd-lead" data-nd-open="lead-{turn}-{i}" role="button" tabindex="0" title="Open the article">'
        f'<div class="nd-source-head"><span class="nd-title">{esc(lead.title) or "untitled"}</span></div>'
        f'<div class="nd-meta">{meta_line(lead.source, lead.published, lead.url)}</div></li>'
        for i, lead in enumerate(leads)
    ]
    return (
        '<div class="nd-sources"><h3 class="nd-panel-title">Nearest articles (not evidence)</h3>'
        f'<ul class="nd-source-list">{"".join(rows)}</ul></div>'
    )


def empty_panel(message: str) -> str:
    return f'<div class="nd-empty">{esc(message)}</div>'


# -- article viewer --------------------------------------------------------------------------------


def article_view(
    article: StoredArticle,
    start: int | None = None,
    end: int | None = None,
    quote: str = "",
    n: int | None = None,
    more: Sequence[Quote] = (),
) -> str:
    shown = shown_text(article.text, is_markdown(article.path))
    text = shown.text
    first = quote_span(article.text, start, end, quote) if start is not None and end is not None else None
    spans = [(first, True)] if first else []
    spans += [(span, False) for p in more if (span := quote_span(article.text, p.start, p.end, p.quote)) and span != first]
    label = f' data-n="{n}"' if n is not None else ""
    pieces, cursor = [], 0
    for span, primary in sorted(spans):
        s, e = shown.span(*span)
        if s < cursor:
            continue  # overlapping quotes: the earlier mark shows both
        mark = f'<mark id="nd-quote"{label}>' if primary else '<mark class="nd-more">'
        pieces.append(f"{esc(text[cursor:s])}{mark}{esc(text[s:e])}</mark>")
        cursor = e
    body = "".join(pieces) + esc(text[cursor:])
    authors = f'<div class="nd-authors">By {esc(", ".join(article.authors))}</div>' if article.authors else ""
    cited = f'<span class="nd-n">[{n}]</span> ' if n is not None else ""
    return (
        f'<article class="nd-article" data-article-id="{esc(article.article_id)}">'
        f'<h3 class="nd-article-title">{cited}{esc(article.title) or "untitled"}</h3>'
        f'<div class="nd-meta">{meta_line(article.source, article.published, article.url)}</div>{authors}'
        f'<div class="nd-article-body">{body}</div></article>'
    )


def missing_article(article_id: str) -> str:
    return empty_panel(f"Article {article_id} is no longer in the index (re-ingested or pruned).")
