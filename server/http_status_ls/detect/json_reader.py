"""Reading tree-sitter-json's trees: the grammar, the text's bytes, and positions as the LSP counts them.

Tree-sitter counts columns in bytes and starts a row only at ``"\\n"``; spans here are in code points,
and the LSP also starts a line at a lone ``"\\r"``. ASCII text needs no conversion; otherwise a
column is converted from the bytes before it on its line (a plain copy when those are ASCII), or,
on very long lines (minified JSON), from a precomputed list of UTF-8 continuation bytes, so nothing
is quadratic.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cache

import tree_sitter_json
from tree_sitter import Language, Node

from http_status_ls.core.occurrences import Span

# Above this many bytes before a position on its line, a column is found by bisection instead of
# decoding the line's prefix.
SHORT_PREFIX = 512

_CONTINUATION = re.compile(rb"[\x80-\xbf]")
_LONE_CR = re.compile(rb"\r(?!\n)")
_LSP_BREAK = re.compile(rb"\r\n|\r|\n")


@cache
def json_language() -> Language:
    return Language(tree_sitter_json.language())


OBJECT = json_language().id_for_node_kind("object", True)
PAIR = json_language().id_for_node_kind("pair", True)


def encode_text(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: keep it (as the client sent it) rather than fail
        return text.encode("utf-8", "surrogatepass")


class JsonReader:
    """Reads tokens out of the source bytes and turns tree-sitter positions into spans."""

    def __init__(self, source: bytes, text: str) -> None:
        self.source = source
        self.ascii = text.isascii()
        self._continuations: list[int] | None = None
        # tree-sitter starts a row only at "\n"; the LSP also at a lone "\r".
        self._line_starts: list[int] | None = None
        if b"\r" in source and _LONE_CR.search(source):
            self._line_starts = [0] + [m.end() for m in _LSP_BREAK.finditer(source)]
        self.rows_are_lines = self._line_starts is None
        """Whether tree-sitter's rows are the LSP's lines."""

    def token(self, node: Node) -> str:
        return self.source[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def string_value(self, node: Node) -> str | None:
        """The value of a string node without quotes (escapes decoded), None if it is not one."""
        if node.type != "string":
            return None
        raw = self.source[node.start_byte : node.end_byte]
        if len(raw) < 2 or not raw.endswith(b'"') or node.has_error:
            return None
        inner = raw[1:-1]
        if b"\\" not in inner:
            return inner.decode("utf-8", "surrogatepass")
        try:
            return json.loads(raw.decode("utf-8", "surrogatepass"))
        except ValueError:
            return None

    def start(self, node: Node) -> tuple[int, int]:
        """Where a node starts, as (line, code-point column)."""
        row, column = node.start_point
        if self._line_starts is None:
            if self.ascii or not column:
                return row, column
            byte = node.start_byte
            # Most lines of a description are ASCII up to their keys, whatever follows.
            if column <= SHORT_PREFIX and self.source[byte - column : byte].isascii():
                return row, column
            return row, self._column(column, byte)
        return self._position(node.start_byte, (row, column))

    def span(self, node: Node, end: Node | None = None) -> Span:
        last = end if end is not None else node
        if self.ascii and self._line_starts is None:
            start_row, start_col = node.start_point
            end_row, end_col = last.end_point
            return Span(start_row, start_col, end_row, end_col)
        start_line, start_col = self._position(node.start_byte, node.start_point)
        end_line, end_col = self._position(last.end_byte, last.end_point)
        return Span(start_line, start_col, end_line, end_col)

    def _position(self, byte: int, point: tuple[int, int]) -> tuple[int, int]:
        if self._line_starts is not None:
            line = bisect.bisect_right(self._line_starts, byte) - 1
            line_start = self._line_starts[line]
            return line, self._column(byte - line_start, byte)
        row, column = point
        return row, self._column(column, byte)

    def _column(self, byte_column: int, byte: int) -> int:
        if self.ascii:
            return byte_column
        line_start = byte - byte_column
        if byte_column <= SHORT_PREFIX:
            prefix = self.source[line_start:byte]
            return byte_column if prefix.isascii() else len(prefix.decode("utf-8", "surrogatepass"))
        if self._continuations is None:
            self._continuations = [m.start() for m in _CONTINUATION.finditer(self.source)]
        continuations = self._continuations
        inside = bisect.bisect_left(continuations, byte) - bisect.bisect_left(continuations, line_start)
        return byte_column - inside
