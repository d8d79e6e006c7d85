"""Status codes as the values of status-naming keys in JSON that is no API description.

``{"status": 404}``, ``{"expectedCodes": "200,202"}``: a regular expression finds the candidate keys
in the bytes (which keys count, and how a value names codes, is `detect.openapi`'s to say), and
each is checked against the JSON detector's tree (`detect.json`), so a key inside a string or a
comment is not taken for one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from tree_sitter import Node

from http_status_ls.core.occurrences import Occurrence, Span
from http_status_ls.detect.openapi import codes_in_value, status_key_pattern, status_value, status_value_occurrence

if TYPE_CHECKING:
    from http_status_ls.detect.json_reader import JsonReader


def status_values(reader: JsonReader, document: Node, keys: frozenset[str]) -> list[Occurrence]:
    """The status values under the ``keys`` of a JSON document that is no API description."""
    found: list[Occurrence] = []
    lowered = reader.source.lower()  # ASCII letters only: every offset stays put
    offsets = [match.start() for match in status_key_pattern(keys).finditer(lowered)]
    for pair in _pairs_at(document, offsets):
        key = pair.child(0)
        context = reader.string_value(key)
        value = pair.child_by_field_name("value")
        if context is None or value is None:
            continue
        items = value.named_children if value.type == "array" else (value,)
        for item in items:
            occurrence = _status_value(reader, item, context)
            if occurrence is not None:
                found.append(occurrence)
            elif item.type == "string":
                found.extend(_listed_values(reader, item, context))
    return found


def _pairs_at(document: Node, offsets: list[int]) -> Iterable[Node]:
    """The pairs that start exactly at the given (ascending) byte offsets; an offset inside a
    string or a comment, or anywhere else, yields nothing.

    One cursor only ever moves forward through the tree, so finding thousands of offsets in an
    array of thousands of objects stays linear (a lookup from the root for each offset would scan
    the array's children every time)."""
    cursor = document.walk()
    node = cursor.node
    for offset in offsets:
        while node is not None:  # (only a cursor on a freed tree has no node)
            if node.end_byte <= offset:
                if cursor.goto_next_sibling() or cursor.goto_parent():
                    node = cursor.node
                    continue
                return  # past the end of the document
            if node.start_byte > offset:
                break  # the offset lies between nodes
            if node.start_byte == offset and node.type == "pair":
                yield node
                break
            if not cursor.goto_first_child():
                break
            node = cursor.node


def _listed_values(reader: JsonReader, node: Node, context: str) -> list[Occurrence]:
    """The codes inside a string (``"404,503"``, ``"500-599"``, see `openapi.codes_in_value`), when
    it is written as it reads (nothing escaped), so offsets in its value are offsets in the source."""
    value = reader.string_value(node)
    if value is None or reader.token(node)[1:-1] != value:
        return []
    found = codes_in_value(context, value)
    span = reader.span(node)
    return [
        status_value_occurrence(
            Span(span.start_line, span.start_col + 1 + start, span.start_line, span.start_col + 1 + end),
            value[start:end],
            value[start:end],
            int(value[start:end]),
            context=context,
            quoted=False,
            role=role,
        )
        for start, end, role in found
    ]


def _status_value(reader: JsonReader, node: Node, context: str) -> Occurrence | None:
    digits: str | None
    if node.type == "number":
        digits, quoted = reader.token(node), False
    elif node.type == "string":
        digits, quoted = reader.string_value(node), True
    else:
        return None
    if digits is None:
        return None
    code = status_value(digits)
    if code is None:
        return None
    return status_value_occurrence(reader.span(node), reader.token(node), digits, code, context=context, quoted=quoted)
