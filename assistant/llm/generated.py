"""A language model's text, read: sentences with the passage numbers each one cites.

Small models put their [n] markers anywhere: after the full stop, at the start of the next
sentence, as "[1, 2]", "[Passage 3]" or "【2】", behind list bullets.  This module only reads what
was written; whether a passage supports a sentence is judged in assistant/llm/verify.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sentences import sentence_spans

_MARKER = re.compile(
    r"[\[(【]\s*(?:(?:passages?|sources?|articles?|p)\s*#?\s*)?(\d{1,2}(?:\s*(?:,|;|&|and|-|–)\s*\d{1,2})*)\s*[\])】]",
    re.I,
)
_LIST_PREFIX = re.compile(r"^\s*(?:[-*•]+|\d{1,2}[.)](?=\s))\s*")
_ANSWER_PREFIX = re.compile(r"^\s*(?:answer|the answer is)\s*:\s*", re.I)


@dataclass(frozen=True)
class GeneratedSentence:
    text: str  # without its markers
    cited: tuple[int, ...]  # passage numbers the model wrote after it


def _marker_numbers(body: str) -> list[int]:
    parts = re.split(r"\s*(?:,|;|&|and)\s*", body)
    out: list[int] = []
    for part in parts:
        if re.fullmatch(r"\d+\s*[-–]\s*\d+", part):
            lo, hi = (int(x) for x in re.split(r"\s*[-–]\s*", part))
            out.extend(range(lo, min(hi, lo + 9) + 1))
        elif part.strip().isdigit():
            out.append(int(part))
    return out


def split_generated(text: str) -> list[GeneratedSentence]:
    """The model's text as sentences with the passage numbers each one cites.

    Markers may sit before or after the full stop; markers opening a sentence belong to the one
    before it ("... in August. [2] The ...").  Bullets and list numbers are stripped.
    """
    sentences: list[tuple[str, list[int]]] = []
    for line in text.splitlines():
        line = _ANSWER_PREFIX.sub("", _LIST_PREFIX.sub("", line))
        if not line.strip():
            continue
        for start, end in sentence_spans(line):
            piece = line[start:end]
            lead = re.match(rf"^(?:\s*{_MARKER.pattern})+", piece, re.I)
            if lead and sentences:
                sentences[-1][1].extend(n for m in _MARKER.finditer(lead.group(0)) for n in _marker_numbers(m.group(1)))
                piece = piece[lead.end() :]
            cited = [n for m in _MARKER.finditer(piece) for n in _marker_numbers(m.group(1))]
            body = _MARKER.sub("", piece)
            body = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s{2,}", " ", body)).strip()
            if re.search(r"\w", body):
                sentences.append((body, cited))
            elif sentences:
                sentences[-1][1].extend(cited)
    return [GeneratedSentence(body, tuple(dict.fromkeys(cited))) for body, cited in sentences]


def drop_cut_off(text: str) -> str:
    """Text without a last sentence the token limit cut in half: up to the last full stop or
    citation marker, or nothing when not even one sentence was finished."""
    ends = list(re.finditer(r"[.!?][\"”’)]*(?:\s*\[[^\]\n]{1,20}\])*|\[[^\]\n]{1,20}\]", text))
    return text[: ends[-1].end()] if ends else ""
