"""Reading article files: which files to read, and the Articles (or problems) each one holds.

    for found in find_article_files([Path("articles")]):
        if isinstance(found, ReadProblem): report(found); continue
        try:
            for item in read_articles(found): ...   # Article or per-record ReadProblem
        except ReadError as err: report(err.problem)  # the whole file was skipped

One module per format; this one only chooses between them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

from ingest.article import Article
from ingest.errors import ReadError, ReadProblem
from ingest.readers.csv_rows import csv_records
from ingest.readers.fields import articles_from_records
from ingest.readers.files import (
    ONE_ARTICLE_LIMIT_MB,
    ONE_ARTICLE_SUFFIXES,
    RECORD_FILE_LIMIT_MB,
    SUPPORTED,
    find_article_files,
    load_text,
    unsupported_reason,
)
from ingest.readers.html_page import read_html_article
from ingest.readers.json_records import json_lines_records, json_records
from ingest.readers.plain_text import read_plain_article

__all__ = ["SUPPORTED", "find_article_files", "read_articles"]


def read_articles(path: Path) -> Iterator[Article | ReadProblem]:
    """Yield the Articles in `path` and a ReadProblem for each record that had to be skipped.

    Raises ReadError (when iteration starts) if the whole file cannot be used: missing,
    unreadable, empty, binary, not UTF-8, too big, or with no article text at all.  Those checks
    all run before the first Article is yielded.  The one exception is a CSV row that cannot be
    parsed: the rows before it have been yielded, and the ReadError says the rest was not read.
    """
    for item in _read(path):
        if isinstance(item, Article) and not item.source and item.url:
            item = replace(item, source=source_from_url(item.url))
        yield item


def source_from_url(url: str) -> str:
    """A publication name of last resort: the site's domain ("www.cnn.com" -> "cnn.com").

    Many archives (search results, scrapes) carry a url but no publication; without a source the
    --source filter and the "source, date" line of every citation would be empty.
    """
    host = urlparse(url if "://" in url else f"http://{url}").hostname or ""
    return host[4:] if host.startswith("www.") else host


def _read(path: Path) -> Iterator[Article | ReadProblem]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise ReadError(ReadProblem(str(path), f"{unsupported_reason(path)}; skipped"))
    single = suffix in ONE_ARTICLE_SUFFIXES
    raw = load_text(path, ONE_ARTICLE_LIMIT_MB if single else RECORD_FILE_LIMIT_MB, single_article=single)
    if suffix in (".txt", ".md", ".markdown"):
        yield read_plain_article(path, raw)
    elif suffix in (".html", ".htm"):
        yield read_html_article(path, raw)
    elif suffix == ".json":
        yield from articles_from_records(path, json_records(path, raw), empty="no article records in the JSON")
    elif suffix == ".csv":
        yield from articles_from_records(path, csv_records(path, raw), empty="only a header row, no articles")
    else:
        yield from articles_from_records(path, json_lines_records(path, raw), empty="no article records in it")
