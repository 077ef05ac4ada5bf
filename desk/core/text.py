"""Text rules shared by every domain."""

from __future__ import annotations

import re
import unicodedata

# Line and paragraph separators, and control characters (C0, DEL, C1): none belongs in a
# single-line field (a title, a tag, a name, an email subject), where a line break would split
# an email header.
_BREAKING = frozenset({"Cc", "Zl", "Zp"})
_SPACES = re.compile(r"\s+")


def single_line(value: str) -> str:
    """`value` as one line: control characters and line breaks become spaces, runs of white
    space one space, and the ends are trimmed."""
    if value.isprintable():  # the common case, quickly
        return _SPACES.sub(" ", value).strip()
    cleaned = "".join(" " if unicodedata.category(char) in _BREAKING else char for char in value)
    return _SPACES.sub(" ", cleaned).strip()
