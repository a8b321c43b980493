"""Articles from CSV exports, one per row, such as Kaggle's "All the News"
(id,title,publication,author,date,year,month,url,content).

Rows are located by the line they start on, since quoted article text spans many lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ingest.errors import ReadError, ReadProblem
from ingest.readers.fields import TEXT_FIELDS, ArticleRecord, field_key, has_field

# The csv module's default 128 KB per field is shorter than long articles.  Oversized text is
# still refused per article (fields.MAX_TEXT_CHARS) with a message rather than a csv.Error.
_FIELD_LIMIT = 2**31 - 1


def csv_records(path: Path, raw: str) -> Iterator[ArticleRecord | ReadProblem]:
    """The article records of a CSV file with a header row.

    Raises ReadError if there is no text column, or part-way if a row cannot be parsed.
    """
    # The limit is process-wide; only ever raise it, never lower what someone else set.
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    # strict: an unclosed quote is an error, not a field that silently swallows the rest of the file.
    rows = csv.reader(io.StringIO(raw, newline=""), strict=True)
    try:
        header = [field_key(name) for name in next(rows)]
    except csv.Error as err:
        raise ReadError(ReadProblem(str(path), f"malformed CSV header: {err}; skipped", line=1)) from None
    if not has_field(header, TEXT_FIELDS):
        looked_for = ", ".join(TEXT_FIELDS)
        raise ReadError(ReadProblem(str(path), f"no text column (looked for {looked_for}); skipped"))
    number = 0
    start_line = rows.line_num + 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except csv.Error as err:
            # The next row boundary cannot be found reliably after this, so the file was not read
            # in full; an error (not a per-row problem) tells the caller not to treat it as complete.
            raise ReadError(ReadProblem(str(path), f"malformed CSV: {err}; rest of file skipped", line=start_line)) from None
        if any(cell.strip() for cell in row):
            number += 1
            fields: dict[str, str] = {}
            for name, cell in zip(header, row):
                if name:
                    fields.setdefault(name, cell)  # with a repeated column name, the first counts
            yield ArticleRecord(fields, fallback_key=f"row{number}", line=start_line)
        start_line = rows.line_num + 1
