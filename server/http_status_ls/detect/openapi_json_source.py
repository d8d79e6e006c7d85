"""JSON read through tree-sitter, for the operations model (`detect.openapi_read`).

The JSON detector's tree is reused when the caller has it (the analysis carries it), else the text
is parsed afresh. Only the pairs the model asks for are visited; the schemas and examples around
them are never read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import tree_sitter_json
from tree_sitter import Language, Node, Parser, Tree

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.json import _encode, _Reader
from http_status_ls.detect.openapi_reads import Reads

_SHORT_VALUE = 200
"""Bytes: the longest description whose position the model records."""


@lru_cache(maxsize=32)
def _quoted(keys: tuple[str, ...]) -> frozenset[bytes]:
    return frozenset(json.dumps(key).encode() for key in keys)


class JsonSource:
    """Keys, scalars and positions of one JSON text."""

    def __init__(self, text: str, tree: Tree | None = None) -> None:
        self.source = _encode(text)
        if tree is None:
            tree = Parser(Language(tree_sitter_json.language())).parse(self.source)
        self.tree = tree
        self.reader = _Reader(self.source, text)
        self.reads = Reads(json=True)
        """The rows read, so an edit elsewhere can keep the model (`openapi_reads`)."""

    def finish(self) -> Reads:
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

    def items(self, node: Node, only: tuple[str, ...] | None = None) -> Iterator[tuple[str, Node, Node]]:
        """(key, key node, value) of an object; ``only`` is a hint the YAML source uses."""
        if node.type != "object":
            return
        wanted = _quoted(only) if only is not None else None
        source = self.source
        for pair in node.named_children:
            if pair.type != "pair":
                continue
            key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
            if key is None or value is None:
                continue
            if wanted is not None and source[key.start_byte : key.end_byte] not in wanted:
                continue  # a key written with escapes is not one the model asks for
            name = self.reader.string_value(key)
            self.reads.rows.add(key.start_point[0])
            if name is not None:
                yield name, key, value

    def key_span(self, handle: Node) -> Span:
        return self.reader.span(handle)

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
        return self.reader.span(node)

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
        if node.type != "object":
            return True, None, None
        pairs = [child for child in node.named_children if child.type == "pair"]
        if pairs:
            self._read(pairs[-1])
            end = self.reader.span(pairs[-1])
            return True, None, (end.end_line, end.end_col)
        start = self.reader.span(node)
        return True, None, (start.start_line, start.start_col + 1)
