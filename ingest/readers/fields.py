"""Turning the loose fields of an article record (JSON object, CSV row, front matter) into an Article.

News exports name the same field many ways ("content", "body", "story"; NewsAPI nests the outlet as
{"source": {"name": ...}}), so each Article field has a list of aliases, tried in order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ingest.article import Article
from ingest.dates import normalise_date
from ingest.errors import ReadError, ReadProblem

TITLE_FIELDS = ("title", "headline", "name")
TEXT_FIELDS = ("text", "body", "content", "article", "story", "full_text")
DATE_FIELDS = ("published", "date", "publish_date", "published_at", "pubdate", "datetime", "time", "timestamp")
SOURCE_FIELDS = ("source", "publication", "publisher", "site", "site_name", "outlet", "source.name")
AUTHOR_FIELDS = ("authors", "author", "byline", "creator", "by")
URL_FIELDS = ("url", "link", "href")
# Fields of quiz and QA data sets (a questions.jsonl saved next to the articles), never of news.
QUESTION_FIELDS = ("question", "questions", "answer", "answers", "choices", "options", "label")
# A record file is judged by its first records: when none of these is an article, the file is
# not a file of articles (one line for the file, not one per record).
SHAPE_SAMPLE = 5

# About two thirds of War and Peace: no news article comes close, so past this a record is a dump,
# and one such record would dominate chunking and embedding time.
MAX_TEXT_CHARS = 2_000_000

# Derived headlines stay short enough to read in a citation list.
HEADLINE_CHARS = 90

_KEY_SEPARATORS = re.compile(r"[\s_\-]+")
_BYLINE_PREFIX = re.compile(r"^by\b\s*:?\s*", re.IGNORECASE)
_AUTHOR_SEPARATORS = re.compile(r"\s*[,;&]\s*|\s+and\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class ArticleRecord:
    """One article's fields as found in a record file, before they are checked."""

    fields: Mapping[str, object]
    # Origin suffix when the record has neither an id nor a url: "line3", "row2", "4".
    fallback_key: str
    # Where to point a problem, for formats that have lines (JSON Lines, CSV).
    line: int | None = None
    # How to name the record in a problem when there is no line ("item 4" of a JSON list).
    label: str = ""
    # The file holds just this article, so (as for a .txt) the file itself is the origin.
    sole: bool = False


@lru_cache(maxsize=4096)  # the same few column names repeat on every record
def field_key(name: str) -> str:
    """The form names are compared in: "publishedAt", "Published At", "published_at" and
    "published-at" all become "publishedat"."""
    return _KEY_SEPARATORS.sub("", name.strip().lower())


def has_field(keys: Iterable[str], names: Iterable[str]) -> bool:
    """True if any of `keys` (already field_key'd) is one of the aliases in `names`."""
    wanted = {field_key(name) for name in names}
    return any(key in wanted for key in keys)


def articles_from_records(
    path: Path, records: Iterable[ArticleRecord | ReadProblem], empty: str = "no article records in it"
) -> Iterator[Article | ReadProblem]:
    """Check each record and yield its Article, or a problem naming the record and why it was skipped.

    Two records with the same id or url would share an origin and overwrite each other
    downstream, so the second is reported instead of kept.  Raises ReadError (before yielding
    anything) for a file with no records (`empty` says why) and for one whose first records are
    not articles at all (`not_an_article`): a questions file, a config, a data dump.
    """
    resolved = str(path.resolve())
    first_seen: dict[str, str] = {}
    pending = iter(records)
    head: list[ArticleRecord | ReadProblem] = []
    broke: ReadError | None = None  # a CSV may break part-way: its good rows still count
    try:
        head.extend(islice(pending, SHAPE_SAMPLE))
    except ReadError as err:
        broke = err
    if not head and broke is None:
        raise ReadError(ReadProblem(str(path), f"{empty}; skipped"))
    shapes = [not_an_article(field_lookup(r.fields)) for r in head if isinstance(r, ArticleRecord)]
    if broke is None and shapes and all(shapes):
        raise ReadError(ReadProblem(str(path), f"not a file of articles: its records are {shapes[0]}; skipped"))

    def checked(records: Iterable[ArticleRecord | ReadProblem]) -> Iterator[Article | ReadProblem]:
        for record in records:
            if isinstance(record, ReadProblem):
                yield record
                continue
            fields = field_lookup(record.fields)
            quiz = quiz_record(fields)
            if quiz:
                yield _problem(path, record, f"a question record ({quiz}; no title), not an article; skipped")
                continue
            key = "" if record.sole else record_key(fields) or record.fallback_key
            origin = f"{resolved}#{key}" if key else resolved
            article = article_from_fields(fields, path=resolved, origin=origin)
            if isinstance(article, str):
                yield _problem(path, record, article)
                continue
            if key:
                if key in first_seen:
                    yield _problem(path, record, f"duplicate record id '{key}' (first at {first_seen[key]}); skipped")
                    continue
                first_seen[key] = f"line {record.line}" if record.line is not None else record.label
            yield article

    yield from checked(head)
    if broke is not None:
        raise broke
    yield from checked(pending)


def not_an_article(lookup: Mapping[str, object]) -> str:
    """Why a record has no article shape ("" when it has one): no text field at all, or the
    fields of a quiz/QA record (question, answers, ...) without a headline."""
    if not any(_field(lookup, name) not in (None, "") for name in TEXT_FIELDS):
        named = ", ".join(sorted(lookup)[:6]) or "none"
        return f"records without an article text field (no {'/'.join(TEXT_FIELDS)}; fields: {named})"
    quiz = quiz_record(lookup)
    return f"question records ({quiz}; no title)" if quiz else ""


def quiz_record(lookup: Mapping[str, object]) -> str:
    """The quiz/QA fields of a record without a headline ("question, answers"), else ""."""
    quiz = [name for name in QUESTION_FIELDS if field_key(name) in lookup]
    return ", ".join(quiz) if quiz and not first_text(lookup, TITLE_FIELDS) else ""


def field_lookup(fields: Mapping[str, object]) -> dict[str, object]:
    """`fields` keyed by field_key, the form every lookup below expects."""
    return {field_key(key): value for key, value in fields.items() if isinstance(key, str)}


def article_from_fields(lookup: Mapping[str, object], *, path: str, origin: str) -> Article | str:
    """Build an Article from a field_lookup, or return the reason (ending "; skipped") it cannot be."""
    text = first_text(lookup, TEXT_FIELDS)
    if not text:
        return "record has no text; skipped"
    if len(text) > MAX_TEXT_CHARS:
        return f"article text is {len(text):,} characters, over the {MAX_TEXT_CHARS:,} limit; skipped"
    title = tidy_line(first_text(lookup, TITLE_FIELDS)) or headline_from_text(text)
    return Article(
        title=title,
        text=text,
        published=first_date(lookup, DATE_FIELDS),
        source=tidy_line(first_text(lookup, SOURCE_FIELDS)),
        authors=first_authors(lookup, AUTHOR_FIELDS),
        url=tidy_line(first_text(lookup, URL_FIELDS)),
        origin=origin,
        path=path,
    )


def record_key(lookup: Mapping[str, object]) -> str:
    """The record's own identity for its origin: its `id`, else its url; "" when it has neither."""
    return tidy_line(first_text(lookup, ("id",))) or tidy_line(first_text(lookup, URL_FIELDS))


def first_text(fields: Mapping[str, object], names: Iterable[str]) -> str:
    """The first non-blank value among the aliases `names` in a field_lookup, as normalised text."""
    for name in names:
        value = _field(fields, name)
        if isinstance(value, Mapping):  # {"source": {"id": "cnn", "name": "CNN"}}
            value = value.get("name")
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            value = "\n\n".join(value)  # text given as a list of paragraphs
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            value = str(value)
        if isinstance(value, str):
            text = normalise_text(value)
            if text:
                return text
    return ""


def first_date(fields: Mapping[str, object], names: Iterable[str]) -> str:
    """The first date among `names` that normalises to a full day ("" when none does)."""
    for name in names:
        published = normalise_date(_field(fields, name))
        if published:
            return published
    return ""


def first_authors(fields: Mapping[str, object], names: Iterable[str]) -> tuple[str, ...]:
    for name in names:
        authors = split_authors(_field(fields, name))
        if authors:
            return authors
    return ()


def split_authors(value: object) -> tuple[str, ...]:
    """Author names from a byline string ("By A, B and C") or a list of names or {"name": ...}.

    Strings are split on commas, semicolons, "&" and " and "; list items are taken whole, since a
    list already separates the names.
    """
    if isinstance(value, str):
        parts = _AUTHOR_SEPARATORS.split(_BYLINE_PREFIX.sub("", value.strip()))
    elif isinstance(value, (list, tuple)):
        parts = [item.get("name") if isinstance(item, Mapping) else item for item in value]
    elif isinstance(value, Mapping):
        parts = [value.get("name")]
    else:
        return ()
    names: list[str] = []
    for part in parts:
        if not isinstance(part, str):
            continue
        name = tidy_line(_BYLINE_PREFIX.sub("", part.strip()))
        if name and name not in names:
            names.append(name)
    return tuple(names)


def normalise_text(raw: str) -> str:
    """Article text as stored: "\\n" newlines, no outer whitespace, everything else untouched.

    Downstream keeps character offsets into Article.text, so nothing else may change here.
    """
    return raw.replace("\r\n", "\n").replace("\r", "\n").strip()


def tidy_line(value: str) -> str:
    """A one-line metadata value (title, name, source) with its whitespace collapsed."""
    return " ".join(value.split())


def headline_from_text(text: str) -> str:
    """A stand-in title for an article without one: its first sentence, cut at a word near 90 chars."""
    first_line = next((line.strip() for line in text.split("\n") if line.strip()), "")
    sentence = tidy_line(_SENTENCE_END.split(first_line, maxsplit=1)[0])
    if len(sentence) <= HEADLINE_CHARS:
        return sentence[:-1] if sentence.endswith(".") else sentence
    cut = sentence[: HEADLINE_CHARS + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > HEADLINE_CHARS // 2 else sentence[:HEADLINE_CHARS]
    return cut.rstrip(" ,;:-–—") + "…"


def _field(fields: Mapping[str, object], name: str) -> object:
    """The value of alias `name` in `fields`, whose keys are already in field_key form."""
    key = field_key(name)
    if "." in key and key not in fields:  # "source.name" also reaches into {"source": {"name"}}
        outer, inner = key.split(".", 1)
        nested = fields.get(outer)
        return nested.get(inner) if isinstance(nested, Mapping) else None
    return fields.get(key)


def _problem(path: Path, record: ArticleRecord, reason: str) -> ReadProblem:
    if record.line is None and record.label:
        reason = f"{record.label}: {reason}"
    return ReadProblem(str(path), reason, line=record.line)
