"""Where code points meet the client's position encoding.

Spans are 0-based lines and code-point columns. Features build ranges with a ``to_range`` callable,
so they stay plain functions: :func:`span_range` keeps code points (unit tests, the CLI), and
:class:`ClientPositions` converts through the session's pygls position codec (utf-8 or utf-16, as
negotiated at initialize).
"""

from __future__ import annotations

from typing import Callable, Sequence

from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from .occurrences import Span

RangeMaker = Callable[[Span], types.Range]


def span_range(span: Span) -> types.Range:
    """A span as an LSP range in code points (no conversion)."""
    return types.Range(
        start=types.Position(line=span.start_line, character=span.start_col),
        end=types.Position(line=span.end_line, character=span.end_col),
    )


class ClientPositions:
    """Converts between code points and the client's units for one version of one document."""

    def __init__(self, lines: Sequence[str], codec: PositionCodec):
        self.lines = lines
        self.codec = codec

    def _ascii_line(self, line: int) -> bool:
        # An ASCII line has the same column in every encoding; str.isascii() is O(1) in CPython,
        # which keeps a minified one-line 4 MB JSON from costing a slice per converted range.
        return 0 <= line < len(self.lines) and self.lines[line].isascii()

    def range(self, span: Span) -> types.Range:
        """A span in the client's units."""
        if self._ascii_line(span.start_line) and self._ascii_line(span.end_line):
            return span_range(span)
        return self.codec.range_to_client_units(self.lines, span_range(span))

    def point(self, position: types.Position) -> tuple[int, int]:
        """A client position as (line, code-point column)."""
        if self._ascii_line(position.line):
            return position.line, min(position.character, len(self.lines[position.line]))
        if position.line >= len(self.lines):
            return position.line, 0
        server = self.codec.position_from_client_units(
            self.lines, types.Position(line=position.line, character=position.character)
        )
        return server.line, server.character
