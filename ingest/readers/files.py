"""Finding article files on disk and loading one as text, refusing what is not a readable article file.

Every refusal is a ReadProblem/ReadError naming the file and what to do, so one bad file in a folder
of thousands is reported and skipped instead of stopping the ingest.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.errors import ReadError, ReadProblem

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv")

# Files that hold exactly one article; the rest hold many article records.
ONE_ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")

_MB = 1024 * 1024
# No single news article is 10 MB of text; a file that big is a dump or a mistake.
ONE_ARTICLE_LIMIT_MB = 10
# Record files are read whole (to reject bad encodings before any article is indexed).
RECORD_FILE_LIMIT_MB = 500

# Like git and grep: a NUL byte near the start means the file is not text.
_BINARY_SNIFF_BYTES = 8192
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def find_article_files(paths: Sequence[Path]) -> Iterator[Path | ReadProblem]:
    """Yield the article files named by `paths`, expanding folders, and a problem for each bad path.

    Folders are walked recursively in sorted order, skipping hidden files and folders and files
    whose suffix is not in SUPPORTED.  A file named explicitly with an unsupported suffix is a
    problem rather than silently ignored, since the user asked for it.  Each file is yielded once.
    """
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not os.path.lexists(path):
            yield ReadProblem(str(path), "no such file or folder")
        elif not path.exists():
            yield ReadProblem(str(path), _dangling(path))
        elif path.is_dir():
            yield from _walk_folder(path, seen, visited_folders=set())
        elif path.suffix.lower() not in SUPPORTED:
            yield ReadProblem(str(path), unsupported_reason(path))
        else:
            yield from _checked_file(path, seen)


def unsupported_reason(path: Path) -> str:
    """Why `path` is refused by suffix, listing what is accepted."""
    accepted = ", ".join(SUPPORTED)
    if not path.suffix:
        return f"no file extension, so the format is unknown (use {accepted})"
    return f"unsupported file type '{path.suffix}' (use {accepted})"


def _walk_folder(folder: Path, seen: set[Path], visited_folders: set[Path]) -> Iterator[Path | ReadProblem]:
    real = folder.resolve()
    if real in visited_folders:  # a symlink loop back to a folder we are already inside
        return
    visited_folders = visited_folders | {real}
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except PermissionError:
        yield ReadProblem(str(folder), "permission denied")
        return
    except OSError as err:
        yield ReadProblem(str(folder), f"cannot list folder: {err.strerror or err}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError:  # a link to a link to itself: ELOOP
            yield ReadProblem(str(path), _dangling(path))
            continue
        if is_dir:
            yield from _walk_folder(path, seen, visited_folders)
        elif path.suffix.lower() in SUPPORTED:
            if not path.exists():
                yield ReadProblem(str(path), _dangling(path))
            else:
                yield from _checked_file(path, seen)


def _dangling(path: Path) -> str:
    """Why a link leads nowhere: a loop of links, or a target that does not exist."""
    try:
        os.stat(path)
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself); skipped"
    return "broken link: what it points to does not exist"


def _checked_file(path: Path, seen: set[Path]) -> Iterator[Path | ReadProblem]:
    real = path.resolve()
    if real in seen:
        return
    seen.add(real)
    if not os.access(path, os.R_OK):
        yield ReadProblem(str(path), "permission denied")
    else:
        yield path


def load_text(path: Path, limit_mb: int, *, single_article: bool) -> str:
    """Read `path` as UTF-8 text, or raise ReadError saying why not.

    Rejects missing, unreadable, empty, oversized, binary and non-UTF-8 files.  A UTF-8 BOM is
    dropped.  Newlines are left as they are: the csv module must see the "\\r\\n" inside quoted
    fields, so each reader normalises the text it keeps.
    """
    data = _read_bytes(path, limit_mb, single_article=single_article)
    if data.startswith(_UTF16_BOMS):
        raise _skip(path, "UTF-16 text; save it as UTF-8")
    if b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        raise _skip(path, "binary file, not text")
    bom = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as err:
        bad_byte = data[bom + err.start]
        raise _skip(path, f"not valid UTF-8 (byte 0x{bad_byte:02x} at offset {bom + err.start})") from None
    if not text.strip():
        raise _skip(path, "empty file")
    return text


def _read_bytes(path: Path, limit_mb: int, *, single_article: bool) -> bytes:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise _skip(path, "is a folder, not a file")
        if size == 0:
            raise _skip(path, "empty file")
        if size > limit_mb * _MB:
            what = "for one article" if single_article else "for a file of articles"
            raise _skip(path, f"file is {size / _MB:.1f} MB, over the {limit_mb} MB limit {what}")
        return path.read_bytes()
    except FileNotFoundError:
        if os.path.lexists(path):
            raise _skip(path, "broken link: what it points to does not exist") from None
        raise _skip(path, "no such file") from None
    except PermissionError:
        raise _skip(path, "permission denied") from None
    except IsADirectoryError:
        raise _skip(path, "is a folder, not a file") from None
    except OSError as err:
        raise _skip(path, f"cannot read: {err.strerror or err}") from None


def _skip(path: Path, reason: str) -> ReadError:
    return ReadError(ReadProblem(str(path), f"{reason}; skipped"))
