"""One article per saved web page: trafilatura finds the story among the navigation and footers.

Publishers' own <meta> tags (article:published_time, author, og:site_name, canonical link) are
more reliable than trafilatura's guesses, so they win when present.  Nothing is ever fetched: the
page is parsed from the string we were given.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import trafilatura

from ingest.article import Article
from ingest.dates import normalise_date
from ingest.errors import ReadError, ReadProblem
from ingest.readers.fields import headline_from_text, normalise_text, split_authors, tidy_line

# Tried in order; names are matched case-insensitively against name=, property= and itemprop=.
_DATE_META = (
    "article:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "og:published_time",
    "sailthru.date",
)
_AUTHOR_META = ("author", "article:author", "dc.creator", "sailthru.author")
_SOURCE_META = ("og:site_name", "application-name", "publisher")
_TITLE_META = ("og:title", "twitter:title")

# A saved page whose main text is a handful of words is a menu, a cookie banner or an index page
# ("Home About"), not a story: even a news brief runs to a few sentences.
MIN_STORY_WORDS = 15

# htmldate's default "extensive" search guesses from any date-like text on the page (a "March
# 2017" in the story becomes 2017-03-01); we only want dates the page states as its own.
_DATE_SEARCH = {"original_date": True, "extensive_search": False, "outputformat": "%Y-%m-%d"}


def read_html_article(path: Path, page: str) -> Article:
    """Extract the article from a saved page; raise ReadError when the page has no story text."""
    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_tables=True,
        date_extraction_params=_DATE_SEARCH,
    )
    meta = _page_meta(page)
    title = tidy_line((document.title if document else "") or _first(meta, _TITLE_META))
    text = _without_headline(normalise_text(document.text or "") if document else "", title)
    if document is None or not text:
        raise ReadError(ReadProblem(str(path), "no article text found in the HTML; skipped"))
    words = len(text.split())
    if words < MIN_STORY_WORDS:
        shown = tidy_line(text)[:40]
        raise ReadError(ReadProblem(str(path), f"no article text found in the HTML (only {words} words: {shown!r}, navigation or a stub); skipped"))
    resolved = str(path.resolve())
    return Article(
        title=title or headline_from_text(text),
        text=text,
        published=_first_date(meta) or normalise_date(document.date),
        source=tidy_line(_first(meta, _SOURCE_META) or document.sitename or ""),
        authors=_authors(meta) or split_authors((document.author or "").replace(";", ",")),
        url=_canonical_url(meta) or _web_url(document.url or ""),
        origin=resolved,
        path=resolved,
    )


def _without_headline(text: str, title: str) -> str:
    """Drop the <h1> headline when trafilatura kept it as the first line: it is the title, and
    every other format keeps the title out of the text.  A page whose only text is its headline
    (trafilatura falls back to that) has no story, so "" comes back."""
    first, _, rest = text.partition("\n")
    if title and tidy_line(first) == title:
        return normalise_text(rest)
    return text


def _first(meta: dict[str, str], names: tuple[str, ...]) -> str:
    return next((meta[name] for name in names if meta.get(name, "").strip()), "")


def _first_date(meta: dict[str, str]) -> str:
    return next((day for day in (normalise_date(meta.get(name)) for name in _DATE_META) if day), "")


def _authors(meta: dict[str, str]) -> tuple[str, ...]:
    for name in _AUTHOR_META:
        value = meta.get(name, "")
        if value and not _web_url(value):  # article:author is often a profile URL, not a name
            return split_authors(value)
    return ()


def _canonical_url(meta: dict[str, str]) -> str:
    return _web_url(meta.get("link:canonical", "")) or _web_url(meta.get("og:url", ""))


def _web_url(value: str) -> str:
    value = value.strip()
    return value if value.startswith(("http://", "https://")) else ""


def _page_meta(page: str) -> dict[str, str]:
    collector = _MetaCollector()
    collector.feed(page)
    collector.close()
    return collector.meta


class _MetaCollector(HTMLParser):
    """Collects <meta> content by lower-cased name/property/itemprop, and <link rel=canonical>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name.lower(): value or "" for name, value in attrs}
        if tag == "meta":
            content = attributes.get("content", "").strip()
            for key in ("name", "property", "itemprop"):
                name = attributes.get(key, "").strip().lower()
                if name and content:
                    self.meta.setdefault(name, content)
        elif tag == "link" and "canonical" in attributes.get("rel", "").lower().split():
            self.meta.setdefault("link:canonical", attributes.get("href", "").strip())
