"""Markdown articles shown as text: `## headings`, `**bold**`, links and list marks removed, with a
map back to the stored text so a quote is still highlighted exactly where it is.

The catalog stores an .md article's text as written (quotes are verbatim slices of it, offsets
included), so the viewer cannot render Markdown and then look for the quote: it strips the
markup and keeps, for every character shown, its offset in the stored text.  A citation's
stored span [start, end) becomes the shown span of the characters that came from it.

    shown = shown_text(article.text, is_markdown(article.path))
    s, e = shown.span(citation.start, citation.end)      # shown.text[s:e] is the quote, unmarked
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

MARKDOWN_SUFFIXES = (".md", ".markdown")

# Whole-line markup: heading marks, setext underlines, rules, block quotes, reference definitions.
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+|[ \t]+#+[ \t]*$", re.M)
_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-{2,})[ \t]*$", re.M)
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|(?:-[ \t]*){3,})$", re.M)
_QUOTE = re.compile(r"^ {0,3}(?:>[ \t]?)+", re.M)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]+\S.*$", re.M)
_BULLET = re.compile(r"^[ \t]*([-*+])[ \t]+(?=\S)", re.M)
# Inline markup: the delimiters go, the text inside stays.
_LINK = re.compile(r"(!?\[)([^\]\n]+)(\]\([^)\s]+(?:[ \t]+\"[^\"\n]*\")?\)|\]\[[^\]\n]*\])")
_AUTOLINK = re.compile(r"(<)(https?://[^>\s]+)(>)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_EMPHASIS = re.compile(r"(?<![\w*])(\*|_)(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")
_STRIKE = re.compile(r"(~~)(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"(`+)([^`\n]+?)\1")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")


def is_markdown(path: str) -> bool:
    """Whether an article's file is Markdown (its text keeps the markup; the viewer strips it)."""
    return str(path or "").lower().endswith(MARKDOWN_SUFFIXES)


@dataclass(frozen=True)
class Shown:
    """Text as shown, and for each shown character its offset in the stored text."""

    text: str
    origin: tuple[int, ...]  # len(text) + 1 entries: the last is len(stored text)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The shown span of the stored span [start, end)."""
        return bisect_left(self.origin, start, 0, len(self.text)), bisect_left(self.origin, end, 0, len(self.text))


def shown_text(text: str, markdown: bool) -> Shown:
    """`text` without its Markdown markup (as is when `markdown` is False), with the offset map."""
    if not markdown:
        return Shown(text, tuple(range(len(text) + 1)))
    drop = bytearray(len(text))  # 1 = markup, not shown
    replace: dict[int, str] = {}

    def cut(start: int, end: int) -> None:
        drop[start:end] = b"\x01" * (end - start)

    for pattern in (_REFERENCE, _UNDERLINE, _RULE):
        for m in pattern.finditer(text):
            cut(m.start(), m.end())
    for pattern in (_HEADING, _QUOTE):
        for m in pattern.finditer(text):
            cut(m.start(), m.end())
    for m in _BULLET.finditer(text):
        replace[m.start(1)] = "\u2022"  # "- item" reads "• item"
    for pattern in (_LINK, _AUTOLINK):
        for m in pattern.finditer(text):
            cut(m.start(1), m.end(1))
            cut(m.start(3), m.end(3))
    for pattern in (_STRONG, _STRIKE, _CODE, _EMPHASIS):
        for m in pattern.finditer(text):
            escaped = text[m.start() - 1 : m.start()] == "\\" or text[m.end(2) - 1] == "\\"
            if not escaped and not any(drop[m.start() : m.end()]):  # markup inside dropped markup is text
                cut(m.start(1), m.end(1))
                cut(m.end(2), m.end())
    for m in _ESCAPE.finditer(text):
        cut(m.start(), m.start() + 1)
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if not drop[i]:
            chars.append(replace.get(i, ch))
            origin.append(i)
    origin.append(len(text))
    return Shown("".join(chars), tuple(origin))


def plain_markdown(text: str) -> str:
    """Markdown -> readable text (a copied or quoted sentence of an .md article)."""
    return shown_text(text, True).text
