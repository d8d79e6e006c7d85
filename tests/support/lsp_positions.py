"""Positions in a text the way an LSP client counts them, computed independently of the server.

Lines break at ``\\r\\n``, ``\\r`` and ``\\n`` only (not at the other characters ``str.splitlines``
knows), and columns are counted in the position encoding the server chose: utf-8 bytes, utf-16
code units or code points. Positions are plain dicts, as they travel on the wire.
"""

from __future__ import annotations

import re

_LINE_BREAK = re.compile("\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in an LSP position encoding's units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def lsp_lines(text: str) -> list[str]:
    """The lines of ``text`` as the LSP counts them."""
    return _LINE_BREAK.split(text)


def line_starts(text: str) -> list[int]:
    """Where each LSP line of ``text`` starts, in code points."""
    return [0] + [match.end() for match in _LINE_BREAK.finditer(text)]


def position_at_offset(text: str, offset: int, encoding: str) -> dict:
    """The LSP position of a code-point offset in ``text``."""
    before = lsp_lines(text[:offset])
    return {"line": len(before) - 1, "character": units(before[-1], encoding)}


def position_of(text: str, needle: str, encoding: str, offset: int = 0, occurrence: int = 0) -> dict:
    """The LSP position of the ``occurrence``-th ``needle`` in ``text`` (plus ``offset`` code points)."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    return position_at_offset(text, index + offset, encoding)


def code_points_at(line: str, character: int, encoding: str) -> int:
    """The code-point column of a column in ``encoding``'s units on one line."""
    if encoding == "utf-32" or line.isascii():
        return min(character, len(line))
    codec, width = ("utf-8", 1) if encoding == "utf-8" else ("utf-16-le", 2)
    prefix = line.encode(codec, "surrogatepass")[: character * width]
    return len(prefix.decode(codec, "ignore"))


def text_at(text: str, range_: dict, encoding: str) -> str:
    """The text a range (in ``encoding``'s units) covers."""
    starts = line_starts(text)
    lines = lsp_lines(text)

    def offset(position: dict) -> int:
        row = position["line"]
        if row >= len(starts):
            return len(text)
        return starts[row] + code_points_at(lines[row], position["character"], encoding)

    return text[offset(range_["start"]) : offset(range_["end"])]
