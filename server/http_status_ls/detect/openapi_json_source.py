"""JSON read through tree-sitter, for the operations model (`detect.openapi_read`).

The JSON detector's tree is reused when the caller has it (the analysis carries it), else the text
is parsed afresh. Only the pairs the model asks for are visited; the schemas and examples around
them are never read.

Each call into tree-sitter's Python binding costs about as much as a few lines of Python, and the
model reads the pairs of thousands of small objects (the operations, their responses, each
response): on the large descriptions of the shared corpus those calls were most of the build. So an
object without syntax errors is read with one cursor and the fewest calls: a pair's children are
its key, ``:`` and its value (comments perhaps among them), the sibling after a pair is never a
pair, a key not asked for is told by its bytes and its value is never made a node, and the last
pair is found from the closing brace. An object holding a syntax error is read through the fields
of each pair, as the detector reads it. Positions on a line whose bytes are ASCII up to the token
skip the reader's general conversion.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from tree_sitter import Node, Parser, Tree, TreeCursor

from http_status_ls.core.occurrences import Occurrence, Span, new_span
from http_status_ls.detect.json import JsonSkeleton
from http_status_ls.detect.json_reader import OBJECT, PAIR, SHORT_PREFIX, JsonReader, encode_text, json_language
from http_status_ls.detect.openapi_reads import Reads, watched_keys

_SHORT_VALUE = 200
"""Bytes: the longest description whose position the model records."""

_QUOTE = ord('"')
_ONLY_REF = re.compile(rb"""\{[ \t\r\n]*("\$ref")[ \t\r\n]*:[ \t\r\n]*("[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*")[ \t\r\n]*\}""")
"""An object holding a `$ref` and nothing else, no comment either (groups: the key, the value). The
string is runs between escapes: a loop over its characters cost more than reading the pair."""


@lru_cache(maxsize=32)
def _quoted(keys: tuple[str, ...]) -> dict[bytes, str]:
    """The keys as JSON writes them unescaped, to the key: a key written with escapes is not one
    the model asks for."""
    return {json.dumps(key).encode(): key for key in keys}


def _value_after_key(cursor: TreeCursor) -> Node | None:
    """The value of the pair whose key ``cursor`` is on (in an object without syntax errors): mostly
    right after the ":", else past a comment. The cursor is left among the pair's children."""
    if not (cursor.goto_next_sibling() and cursor.goto_next_sibling()):
        return None
    while cursor.field_name != "value":
        if not cursor.goto_next_sibling():
            return None
    return cursor.node


def _unquoted(raw: bytes) -> str | None:
    """The value of a well-formed string token (as `JsonReader.string_value`, its node known clean)."""
    if len(raw) < 2 or raw[-1] != _QUOTE:
        return None
    inner = raw[1:-1]
    if b"\\" not in inner:
        return inner.decode("utf-8", "surrogatepass")
    try:
        value = json.loads(raw.decode("utf-8", "surrogatepass"))
    except ValueError:
        return None
    return value if isinstance(value, str) else None


class JsonSource:
    """Keys, scalars and positions of one JSON text."""

    def __init__(
        self, text: str, tree: Tree | None = None, encoded: bytes | None = None, skeleton: JsonSkeleton | None = None
    ) -> None:
        self.source = encode_text(text) if encoded is None or tree is None else encoded
        if tree is None:
            tree = Parser(json_language()).parse(self.source)
        self.tree = tree
        # What the detector's walk of this very tree read of the responses objects (`JsonSkeleton`).
        self._walked = skeleton.responses if skeleton is not None and skeleton.tree is tree else {}
        self.reader = JsonReader(self.source, text)
        # Columns are bytes unless the text has non-ASCII characters; lines are tree-sitter's rows
        # unless a lone "\r" ends one (the reader's line table then says).
        self._bytes_are_columns = self.reader.ascii and self.reader._line_starts is None
        self._rows_are_lines = self.reader._line_starts is None
        self.reads = Reads(json=True)
        """The rows read, so an edit elsewhere can keep the model (`openapi_reads`)."""
        self._sparse_keys: set[str] = set()
        """The keys asked for in objects whose other keys' rows were not read (`items`)."""

    def finish(self) -> Reads:
        if self._sparse_keys:
            self.reads.watched = watched_keys(tuple(sorted(self._sparse_keys)), json=True)
        return self.reads

    def _read(self, node: Node) -> None:
        first, last = node.start_point[0], node.end_point[0]
        if first == last:
            self.reads.rows.add(first)
        else:
            self.reads.ranges.append((first, last))

    def root(self) -> Node | None:
        for child in self.tree.root_node.children:
            if child.type == "object":
                return child
        return None

    def items(self, node: Node, only: tuple[str, ...] | None = None, *, sparse: bool = False) -> Iterator[tuple[str, Node, Node]]:
        """(key, key node, value) of an object; with ``only``, of those keys alone. ``sparse``: the
        rows of the other keys are not read (an operation's summary and description are typed in);
        the reads watch for the keys asked instead (`Reads.watched`)."""
        if node.kind_id != OBJECT:
            return
        sparse = sparse and only is not None
        if sparse:
            self._sparse_keys.update(only or ())
        if node.has_error:
            yield from self._items_in_error(node, only, sparse)
            return
        wanted = None if only is None else _quoted(only)
        source, rows, cursor = self.source, self.reads.rows, node.walk()
        more = cursor.goto_first_child() and cursor.goto_next_sibling()  # past the "{"
        while more:
            # In an object without errors only a pair has children: its key first, then ":" and
            # the value, comments perhaps in between. The sibling after a pair is "," or "}" or a
            # comment, never a pair: it is stepped over unseen.
            if not cursor.goto_first_child():
                more = cursor.goto_next_sibling()
                continue
            key = cursor.node
            if key is not None:
                raw = source[key.start_byte : key.end_byte]
                name = _unquoted(raw) if wanted is None else wanted.get(raw)
                if wanted is None or name is not None:  # else a key not asked for, or escaped
                    value = _value_after_key(cursor)
                    if value is not None:
                        rows.add(key.start_point[0])
                        if name is not None:
                            yield name, key, value
                elif not sparse:
                    # Not asked for, yet read: renamed to a key the model asks for, it changes the model.
                    rows.add(key.start_point[0])
            cursor.goto_parent()
            more = cursor.goto_next_sibling() and cursor.goto_next_sibling()

    def responses(self, node: Node) -> list[tuple[Occurrence, Node]] | None:
        """(the key's occurrence, response) of each response of a ``responses`` object, as `items`
        gives them and with the same rows read, when the detector's walk read the object already;
        else None. Keys that are no response (``x-...``) are left out."""
        walked = self._walked.get(node.id)
        if walked is None:
            return None
        keys, other_rows = walked
        rows = self.reads.rows
        rows.update(other_rows)
        found = []
        for occurrence, response in keys:
            if response is not None and occurrence.value is not None:
                rows.add(occurrence.span.start_line)  # the walk made sure the lines are tree-sitter's rows
                found.append((occurrence, response))
        return found

    def only_ref(self, node: Node) -> str | None:
        """The reference of an object that holds a ``$ref`` and nothing else, with the same rows
        read as `items` and `scalar` would; else None."""
        source, start = self.source, node.start_byte
        found = _ONLY_REF.fullmatch(source, start, node.end_byte)
        if found is None:
            return None
        ref = _unquoted(found.group(2))
        if ref is not None:
            row = node.start_point[0] + source.count(b"\n", start, found.start(1))
            self.reads.rows.add(row)
            self.reads.rows.add(row + source.count(b"\n", found.end(1), found.start(2)))
        return ref

    def _items_in_error(self, node: Node, only: tuple[str, ...] | None, sparse: bool = False) -> Iterator[tuple[str, Node, Node]]:
        """`items` of an object holding a syntax error: every pair looked at through its fields."""
        wanted = _quoted(only) if only is not None else None
        source = self.source
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is None or value is None:
                continue
            if wanted is not None and source[key.start_byte : key.end_byte] not in wanted:
                if not sparse:
                    self.reads.rows.add(key.start_point[0])
                continue  # a key written with escapes is not one the model asks for
            self.reads.rows.add(key.start_point[0])
            name = self.reader.string_value(key)
            if name is not None:
                yield name, key, value

    def _span(self, node: Node) -> Span:
        """The reader's span of ``node``, the short way for a token on one line whose bytes up to
        its end are all ASCII (nearly every key and short value of a pretty-printed description)."""
        if self._bytes_are_columns:
            (start_row, start_col), (end_row, end_col) = node.start_point, node.end_point
            return new_span(start_row, start_col, end_row, end_col)
        if self._rows_are_lines:
            row, column = node.start_point
            start, end = node.start_byte, node.end_byte
            if column <= SHORT_PREFIX:
                line = self.source[start - column : end]
                if line.isascii() and b"\n" not in line:
                    return new_span(row, column, row, column + end - start)
        return self.reader.span(node)

    def _end(self, row: int, column: int, end: int) -> tuple[int, int]:
        """(line, code-point column) of the tree-sitter position ``(row, column)`` at byte ``end``."""
        if self._bytes_are_columns:
            return row, column
        if self._rows_are_lines and column <= SHORT_PREFIX and self.source[end - column : end].isascii():
            return row, column
        return self.reader._position(end, (row, column))

    def key_span(self, handle: Node) -> Span:
        return self._span(handle)

    def scalar(self, node: Node) -> str | None:
        self._read(node)
        if node.type == "string":
            return self.reader.string_value(node)
        if node.type == "number":
            return self.reader.token(node)
        return None

    def value_span(self, node: Node) -> Span | None:
        # Only a short string can be a reason phrase; a long one's end column costs a pass over
        # the bytes before it when the text is not ASCII.
        if node.type != "string" or node.end_byte - node.start_byte > _SHORT_VALUE:
            return None
        return self._span(node)

    def python(self, node: Node) -> Any:
        self._read(node)
        try:
            return json.loads(self.reader.token(node))
        except ValueError:
            return None

    def raw(self, node: Node) -> str:
        self._read(node)
        return self.reader.token(node)

    def is_empty(self, node: Node) -> bool:
        self.reads.rows.add(node.start_point[0])
        return node.type in ("null",) or (node.type in ("object", "array") and node.named_child_count == 0)

    def layout(self, node: Node) -> tuple[bool, int | None, tuple[int, int] | None]:
        """(flow, key column, where a new key goes: right after the last pair, else after ``{``)."""
        if node.kind_id != OBJECT:
            return True, None, None
        last = self._last_pair(node)
        if last is not None:
            first = last.start_point[0]
            row, column = last.end_point
            if first == row:  # as `_read` does, with the end point asked for once
                self.reads.rows.add(first)
            else:
                self.reads.ranges.append((first, row))
            return True, None, self._end(row, column, last.end_byte)
        start = self._span(node)
        return True, None, (start.start_line, start.start_col + 1)

    def _last_pair(self, node: Node) -> Node | None:
        """The last pair of an object, a pair without a key or value included."""
        if node.has_error:
            found = [child for child in node.named_children if child.type == "pair"]
            return found[-1] if found else None
        # The last child of an object without errors is its "}": from there back, past commas and comments.
        cursor = node.walk()
        if not (cursor.goto_last_child() and cursor.goto_previous_sibling()):
            return None
        while True:
            child = cursor.node
            if child is not None and child.kind_id == PAIR:
                return child
            if not cursor.goto_previous_sibling():
                return None
