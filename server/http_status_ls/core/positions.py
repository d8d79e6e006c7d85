"""Where code points meet the client's position encoding, and what a line is.

Spans are 0-based lines and code-point columns. Features build ranges with a ``to_range`` callable,
so they stay plain functions: :func:`span_range` keeps code points (unit tests, the CLI), and
:class:`ClientPositions` converts to the session's encoding (utf-8, utf-16 or utf-32, as negotiated at
initialize).

Lines are the LSP's: a line ends at ``\\r\\n``, ``\\r`` or ``\\n`` and nowhere else. Python's
``str.splitlines`` (which pygls' ``TextDocument.lines`` uses) also breaks at form feeds, U+2028 and a
few more, which would shift every position below such a character; :func:`split_lines` does not.

Columns are converted here rather than by pygls' codec, which counts a line character by character
in Python (seconds for one range at the end of a 5 MB minified line), rewrites a column past the end
of the last line to the one before the last character, and edits the position it is given. Here a
column in a long non-ASCII line is found through a per-line table of unit counts every
:data:`CHUNK` code points, built once per line and document version.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Span
from http_status_ls.core.text_scan import split_lines as split_lines  # re-exported: the LSP side splits here

RangeMaker = Callable[[Span], types.Range]

CHUNK = 512
"""Code points per entry of a long line's unit table: a conversion encodes at most this many."""

_UTF8, _UTF16, _UTF32 = "utf-8", "utf-16", "utf-32"


def content_length(line: str) -> int:
    """Code points of a line before its terminator: the furthest a position on it may point."""
    if line.endswith("\n"):
        return len(line) - (2 if line.endswith("\r\n") else 1)
    if line.endswith("\r"):
        return len(line) - 1
    return len(line)


def encoding_of(codec: PositionCodec | str | None) -> str:
    """``utf-8``, ``utf-16`` or ``utf-32`` for a pygls codec or an encoding name (utf-16 by default)."""
    name = codec.encoding if isinstance(codec, PositionCodec) else codec
    name = str(getattr(name, "value", name) or _UTF16).lower()
    return name if name in (_UTF8, _UTF32) else _UTF16


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in ``encoding``'s code units."""
    if encoding == _UTF32 or text.isascii():
        return len(text)
    if encoding == _UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _code_points_within(text: str, wanted: int, encoding: str) -> int:
    """How many code points of ``text`` fit in ``wanted`` units; a column inside a character (half
    a surrogate pair, the middle of a utf-8 sequence) moves past that character."""
    if encoding == _UTF32 or text.isascii():
        return min(wanted, len(text))
    count = 0
    for index, character in enumerate(text):
        if count >= wanted:
            return index
        point = ord(character)
        if encoding == _UTF8:
            count += 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4
        else:
            count += 2 if point > 0xFFFF else 1
    return len(text)


def span_range(span: Span) -> types.Range:
    """A span as an LSP range in code points (no conversion)."""
    return types.Range(
        start=types.Position(line=span.start_line, character=span.start_col),
        end=types.Position(line=span.end_line, character=span.end_col),
    )


class ClientPositions:
    """Converts between code points and the client's units for one version of one document.

    ``lines`` are the document's lines as :func:`split_lines` makes them. Conversions on a line are
    cached, so build one of these per document version (not per request) when lines are long."""

    def __init__(self, lines: Sequence[str], codec: PositionCodec | str | None = None):
        self.lines = lines
        self.encoding = encoding_of(codec)
        self._tables: dict[int, list[int]] = {}

    def _plain(self, line: int) -> bool:
        # An ASCII line has the same column in every encoding; str.isascii() is O(1) in CPython,
        # which keeps a minified one-line 4 MB JSON from costing a slice per converted range.
        return self.encoding == _UTF32 or self.lines[line].isascii()

    def _table(self, line: int) -> list[int]:
        """Units before code point ``i * CHUNK`` of a line, for every ``i``."""
        table = self._tables.get(line)
        if table is None:
            text, encoding = self.lines[line], self.encoding
            table = [0]
            for start in range(0, len(text), CHUNK):
                table.append(table[-1] + units(text[start : start + CHUNK], encoding))
            self._tables[line] = table
        return table

    def to_units(self, line: int, col: int) -> int:
        """A code-point column of a line as the client's units (columns past the end stay past it)."""
        if not 0 <= line < len(self.lines) or self._plain(line):
            return col
        text = self.lines[line]
        if col > len(text):
            return units(text, self.encoding) + col - len(text)
        if col <= 2 * CHUNK:
            return units(text[:col], self.encoding)
        chunk = col // CHUNK
        return self._table(line)[chunk] + units(text[chunk * CHUNK : col], self.encoding)

    def to_code_points(self, line: int, character: int) -> int:
        """A column in the client's units as code points, never past the line's content (a column
        past the end of a line means its end, as the LSP says)."""
        if not 0 <= line < len(self.lines):
            return 0
        text = self.lines[line]
        end = content_length(text)
        if self._plain(line) or character <= 0:
            return max(0, min(character, end))
        if len(text) <= 2 * CHUNK:
            return min(_code_points_within(text, character, self.encoding), end)
        table = self._table(line)
        chunk = bisect.bisect_right(table, character) - 1
        if chunk >= len(table) - 1:
            return end
        start = chunk * CHUNK
        found = start + _code_points_within(text[start : start + CHUNK], character - table[chunk], self.encoding)
        return min(found, end)

    def position(self, line: int, col: int) -> types.Position:
        return types.Position(line=line, character=self.to_units(line, col))

    def range(self, span: Span) -> types.Range:
        """A span in the client's units."""
        return types.Range(
            start=types.Position(line=span.start_line, character=self.to_units(span.start_line, span.start_col)),
            end=types.Position(line=span.end_line, character=self.to_units(span.end_line, span.end_col)),
        )

    def point(self, position: types.Position) -> tuple[int, int]:
        """A client position as (line, code-point column), the column clamped to the line's content;
        a line past the end of the document keeps its number with column 0 (it holds nothing)."""
        return position.line, self.to_code_points(position.line, position.character)
