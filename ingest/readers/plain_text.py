"""One article per .txt/.md file: headline on the first line, optional metadata, then the story.

Metadata may come as front matter at the very top (--- title: ... ---) or as header lines right
under the headline ("By Jane Doe and John Roe", "Date: Aug 22, 2017", "Source: ...").  Header
lines are only looked for there, so a paragraph deep in the story that starts with "By" stays text.
"""

from __future__ import annotations

import re
from pathlib import Path

from ingest.article import Article
from ingest.errors import ReadError, ReadProblem
from ingest.readers.fields import (
    AUTHOR_FIELDS,
    DATE_FIELDS,
    SOURCE_FIELDS,
    TITLE_FIELDS,
    URL_FIELDS,
    field_key,
    first_authors,
    first_date,
    first_text,
    headline_from_text,
    normalise_text,
    split_authors,
    tidy_line,
)

# A first line this long is a paragraph that happens to come first, not a headline.
_MAX_HEADLINE_CHARS = 200
# Header values are short; a longer "Source: ..." line is prose that starts with a label.
_MAX_HEADER_VALUE_CHARS = 150

_FRONT_MATTER_FENCE = "---"
_FRONT_MATTER_ENDS = ("---", "...")
_FRONT_MATTER_LINE = re.compile(r"([A-Za-z][\w .\-]*?)\s*:\s*(.*)")
_LIST_ITEM = re.compile(r"\s*-\s+(.*)")

# Markdown emphasis is allowed around a header line and its label: "**By Jane Doe**", "**Date:** ...".
_HEADER_LINE = re.compile(r"(date|published|source|publication|authors?|url)[*_]*\s*:[*_]*\s*(\S.*)", re.IGNORECASE)
_EMPHASIS = "*_"
_HEADER_FIELD = {
    "date": "published",
    "published": "published",
    "source": "source",
    "publication": "source",
    "author": "authors",
    "authors": "authors",
    "url": "url",
}
_BYLINE = re.compile(r"by\s*:?\s+(\S.*)", re.IGNORECASE)
# Words that may be lower-case inside a person's name ("Ludwig van Beethoven", "Ali bin Said").
_NAME_PARTICLES = frozenset({"de", "da", "di", "del", "der", "van", "von", "bin", "al", "la", "le", "du", "dos"})
_MAX_WORDS_PER_NAME = 5

_ATX_HEADING = re.compile(r"#{1,6}\s*")
_SETEXT_UNDERLINE = re.compile(r"(=+|-+)\s*")
_RULE = re.compile(r"[-=*_ ]{3,}")


def read_plain_article(path: Path, raw: str) -> Article:
    """Parse one .txt/.md article; raise ReadError when there is no story text."""
    resolved = str(path.resolve())
    lines = normalise_text(raw).split("\n")
    front, start = _front_matter(lines)
    title = tidy_line(first_text(front, TITLE_FIELDS))
    header: dict[str, object] = {}
    if not title:
        title, start = _headline(lines, start)
        if title:
            header, start = _header_lines(lines, start)
    text = normalise_text("\n".join(lines[start:]))
    if not text:
        raise ReadError(ReadProblem(str(path), "only a headline, no article text; skipped"))
    # Front matter wins over header lines: it is the deliberate, machine-written metadata.
    return Article(
        title=title or headline_from_text(text),
        text=text,
        published=first_date(front, DATE_FIELDS) or first_date(header, DATE_FIELDS),
        source=tidy_line(first_text(front, SOURCE_FIELDS) or first_text(header, SOURCE_FIELDS)),
        authors=first_authors(front, AUTHOR_FIELDS) or first_authors(header, AUTHOR_FIELDS),
        url=tidy_line(first_text(front, URL_FIELDS) or first_text(header, URL_FIELDS)),
        origin=resolved,
        path=resolved,
    )


def _front_matter(lines: list[str]) -> tuple[dict[str, object], int]:
    """YAML-style `key: value` front matter (strings and simple lists) and the line after it.

    Only the subset articles use is understood; a leading "---" with no `key: value` inside is a
    rule, not front matter, and is left as text.
    """
    if not lines or lines[0].strip() != _FRONT_MATTER_FENCE:
        return {}, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in _FRONT_MATTER_ENDS), None)
    if end is None:
        return {}, 0
    fields: dict[str, object] = {}
    open_list: list[str] | None = None  # the value of a key written as "authors:" then "- name" lines
    for line in lines[1:end]:
        item = _LIST_ITEM.fullmatch(line)
        if item and open_list is not None:
            open_list.append(_unquote(item[1]))
            continue
        match = _FRONT_MATTER_LINE.fullmatch(line.strip())
        if not match:
            continue
        value = _yaml_value(match[2].strip())
        open_list = value if isinstance(value, list) and not match[2].strip() else None
        fields[field_key(match[1])] = value
    if not fields:
        return {}, 0
    return fields, end + 1


def _yaml_value(value: str) -> object:
    if not value:
        return []
    if value.startswith("[") and value.endswith("]"):
        return [_unquote(part) for part in value[1:-1].split(",") if part.strip()]
    return _unquote(value)


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _headline(lines: list[str], start: int) -> tuple[str, int]:
    """The headline (markdown markup removed) and the index of the line after it; "" if none."""
    # A markdown rule ("---", "***") above the headline is decoration, not the headline.
    candidates = (i for i in range(start, len(lines)) if lines[i].strip() and not _RULE.fullmatch(lines[i].strip()))
    index = next(candidates, None)
    if index is None:
        return "", start
    line = lines[index].strip()
    if len(line) > _MAX_HEADLINE_CHARS:
        return "", index
    headline = tidy_line(_ATX_HEADING.sub("", line, count=1).rstrip("#").strip().strip("*_").strip())
    after = index + 1
    underline = lines[after].strip() if after < len(lines) else ""
    if underline and _SETEXT_UNDERLINE.fullmatch(underline):
        after += 1  # markdown "Headline\n========"
    return headline, after


def _header_lines(lines: list[str], start: int) -> tuple[dict[str, object], int]:
    """Metadata lines right under the headline and the index of the first story line.

    Blank lines between the headline and the header block are allowed; the block ends at the first
    blank line after it or at the first line that is not metadata.
    """
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    fields: dict[str, object] = {}
    while index < len(lines):
        parsed = _header_line(lines[index].strip().strip(_EMPHASIS).strip())
        if parsed is None:
            break
        name, value = parsed
        fields.setdefault(name, value)
        index += 1
    if not fields:
        return {}, start
    return fields, index


def _header_line(line: str) -> tuple[str, object] | None:
    labelled = _HEADER_LINE.fullmatch(line)
    if labelled and len(labelled[2]) <= _MAX_HEADER_VALUE_CHARS:
        return _HEADER_FIELD[labelled[1].lower()], labelled[2].strip()
    byline = _BYLINE.fullmatch(line)
    if byline and len(byline[1]) <= _MAX_HEADER_VALUE_CHARS and _looks_like_names(byline[1]):
        return "authors", byline[1].strip()
    return None


def _looks_like_names(text: str) -> bool:
    """True for "Jane Doe and David E. Sanger", false for "the time the polls closed, ..."."""
    names = split_authors(text)
    if not names:
        return False
    for name in names:
        words = name.split()
        if len(words) > _MAX_WORDS_PER_NAME or not words[0][:1].isupper():
            return False
        if any(not word[:1].isupper() and word.lower() not in _NAME_PARTICLES for word in words):
            return False
    return True
