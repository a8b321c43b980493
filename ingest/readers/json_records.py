"""Articles from JSON (.json: one article, a list, or a feed with an "articles" list) and JSON Lines.

A bad line in a JSON Lines file is reported with its line number and the rest still read; a .json
file is one document, so if it does not parse, the whole file is skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from ingest.errors import ReadError, ReadProblem
from ingest.readers.fields import ArticleRecord

# Python's parser recurses once per level and stops near 1,000: no article is nested that deep,
# but a hostile or broken file can be ('[' * 100000), and must cost one line, not the batch.
TOO_DEEP = "JSON nested too deeply to be an article (thousands of levels)"

# Where feeds and API dumps keep their list of articles (NewsAPI: {"status", "articles": [...]}).
_LIST_KEYS = ("articles", "items", "data")


def json_records(path: Path, raw: str) -> Iterator[ArticleRecord | ReadProblem]:
    """The article records of a .json file: an object, a list of objects, or a feed object."""
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as err:
        raise ReadError(ReadProblem(str(path), f"malformed JSON: {err.msg}; skipped", line=err.lineno)) from None
    except RecursionError:
        raise ReadError(ReadProblem(str(path), f"{TOO_DEEP}; skipped")) from None
    if isinstance(document, dict):
        listed = next((document[key] for key in _LIST_KEYS if isinstance(document.get(key), list)), None)
        if listed is None:
            yield ArticleRecord(document, fallback_key="", sole=True)
            return
        document = listed
    if not isinstance(document, list):
        what = _json_kind(document)
        raise ReadError(ReadProblem(str(path), f"JSON holds {what}, not an article or a list of articles; skipped"))
    for number, entry in enumerate(document, start=1):
        if isinstance(entry, Mapping):
            yield ArticleRecord(entry, fallback_key=str(number), label=f"item {number}")
        else:
            reason = f"item {number}: {_json_kind(entry)}, not an article object; skipped"
            yield ReadProblem(str(path), reason)


def json_lines_records(path: Path, raw: str) -> Iterator[ArticleRecord | ReadProblem]:
    """The article records of a JSON Lines file, one object per line; blank lines are fine."""
    # Split on "\n" only: str.splitlines() would also break at U+2028 and friends, which JSON
    # allows unescaped inside strings.
    for number, line in enumerate(raw.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as err:
            yield ReadProblem(str(path), f"malformed JSON: {err.msg}; skipped", line=number)
            continue
        except RecursionError:
            yield ReadProblem(str(path), f"{TOO_DEEP}; skipped", line=number)
            continue
        if isinstance(entry, Mapping):
            yield ArticleRecord(entry, fallback_key=f"line{number}", line=number)
        else:
            yield ReadProblem(str(path), f"{_json_kind(entry)}, not an article object; skipped", line=number)


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return "an object"
