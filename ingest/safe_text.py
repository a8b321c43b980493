"""Text from articles and file names made safe to print on a terminal: the one sanitizer.

An article's title, source or text (and a file's name) is data from outside.  Printed raw, an
ESC sequence in it can set the terminal's window title (OSC 0), clear the screen (CSI 2J), hide
a link (OSC 8) or rewrite what was printed before it (a bare carriage return).  Every human
(non-JSON) output of newsdesk goes through `printable`; JSON output escapes control characters
by itself.  Problem lines (one per bad file) use `one_line`, which also escapes newlines, so a
file name holding "\\n" cannot split its line in two.
"""

from __future__ import annotations

import re

# Whole escape sequences first (so no "]0;title" debris is left), then any lone control
# character: CSI (ESC [ ... final byte), OSC/DCS/APC/PM/SOS strings up to BEL or ESC \\,
# two-byte ESC sequences, and the 8-bit C1 forms (U+009B is CSI, U+009D is OSC).
_SEQUENCES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P^_X]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# C0 controls but tab and newline, DEL, and C1 controls.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` without escape sequences or control characters; newlines and tabs are kept."""
    if not text:
        return text
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


def one_line(text: str) -> str:
    """`text` as one printable line: newline, carriage return and tab written as \\n, \\r, \\t."""
    if not text:
        return text
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return printable(text)
