"""Articles -> passages ("chunks") that keep their character offsets into the article.

A chunk is a run of whole sentences of about TARGET_WORDS words; consecutive chunks share their
boundary sentence so a fact split across the edge is still found whole in one of them.  The
limits are set by the embedder: MiniLM reads at most 256 word pieces, and the title is
prepended when embedding, so a chunk stays under ~200 words to be embedded in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ingest.article import Article
from ingest.sentences import sentence_spans

TARGET_WORDS = 150
MAX_WORDS = 200
OVERLAP_MAX_WORDS = 40
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Chunk:
    """One passage of an article: `article.text[start:end] == text`.

    `chunk_id` is stable (article id + start offset), so re-ingesting the same text writes the
    same ids and Chroma upserts instead of duplicating.
    """

    chunk_id: str
    article_id: str
    start: int
    end: int
    text: str


def _split_long(text: str, lo: int, hi: int) -> Iterator[tuple[int, int]]:
    """A sentence longer than MAX_WORDS (tables, run-on transcripts) is cut at word boundaries."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, lo, hi)]
    for i in range(0, len(words), MAX_WORDS):
        part = words[i : i + MAX_WORDS]
        yield part[0][0], part[-1][1]


def _units(text: str) -> list[tuple[int, int, int]]:
    """Sentences as (start, end, words), long ones already cut to size."""
    units: list[tuple[int, int, int]] = []
    for lo, hi in sentence_spans(text):
        n = len(text[lo:hi].split())
        if n > MAX_WORDS:
            for a, b in _split_long(text, lo, hi):
                units.append((a, b, len(text[a:b].split())))
        else:
            units.append((lo, hi, n))
    return units


def chunk_article(article: Article) -> list[Chunk]:
    """Greedy packing of sentences into ~TARGET_WORDS passages with one-sentence overlap."""
    text, aid = article.text, article.article_id
    units = _units(text)
    chunks: list[Chunk] = []
    i = 0
    while i < len(units):
        j, words = i, 0
        while j < len(units) and (words == 0 or words + units[j][2] <= MAX_WORDS):
            words += units[j][2]
            j += 1
            if words >= TARGET_WORDS:
                break
        start, end = units[i][0], units[j - 1][1]
        chunks.append(Chunk(f"{aid}:{start}", aid, start, end, text[start:end]))
        if j >= len(units):
            break
        # Start the next chunk on this chunk's last sentence when it is short enough to share.
        i = j - 1 if (j - 1 > i and units[j - 1][2] <= OVERLAP_MAX_WORDS) else j
    return chunks
