"""Status codes in JSON (and JSONC): OpenAPI/Swagger response keys, and status-naming values.

The text is parsed with tree-sitter-json, which keeps going past syntax errors (comments, trailing
commas, a key being typed) and re-parses incrementally when handed the previous tree.

Large documents are never visited node by node. In an API description only the chain
root -> paths -> path -> method -> responses (and webhooks, callbacks, components/pathItems) is
walked, as the roles in `openapi_keys` say. In other JSON, a regular expression finds the candidate
status keys in the bytes and each is checked against the tree.

Positions: tree-sitter counts columns in bytes; spans are in code points. ASCII text needs no
conversion; otherwise a column is converted from the bytes before it on its line, or, on very long
lines (minified JSON), from a precomputed list of UTF-8 continuation bytes, so nothing is quadratic.
"""

from __future__ import annotations

import bisect
import json
import re
from functools import cache
from typing import Iterable

import tree_sitter_json
from tree_sitter import Language, Node, Parser, Tree

from .occurrences import Detection, Kind, Occurrence, ResponsesBlock, Span
from .openapi_keys import (
    FIXED_ROLES,
    SIGNIFICANT_KEYS,
    VERSION_KEYS,
    Role,
    body_key,
    child_role,
    classify_response_key,
    is_response_key,
    is_version,
    json_pointer,
    status_key_pattern,
    status_keys,
    status_value,
)

# Above this many bytes before a position on its line, a column is found by bisection instead of
# decoding the line's prefix.
_SHORT_PREFIX = 512

_CONTINUATION = re.compile(rb"[\x80-\xbf]")
_VERSION_MARKER = re.compile(rb'"(?:openapi|swagger)"\s*:\s*"?(\d[^",}\s]*)')
_LONE_CR = re.compile(rb"\r(?!\n)")
_LSP_BREAK = re.compile(rb"\r\n|\r|\n")


@cache
def _language() -> Language:
    return Language(tree_sitter_json.language())


def detect_json(text: str, old_tree: Tree | None = None, *, extra_keys: Iterable[str] = ()) -> Detection:
    """Find the status codes in one JSON text. ``old_tree`` is the previous version's tree, already
    told about the edit (``Tree.edit``); the new tree comes back in ``Detection.tree``."""
    source = text.encode("utf-8", "surrogatepass")
    parser = Parser(_language())
    notes: list[str] = []
    try:
        tree = parser.parse(source, old_tree) if old_tree is not None else parser.parse(source)
    except (TypeError, ValueError) as error:  # an unusable old tree: start afresh
        notes.append(f"json: could not reuse the previous tree ({error}); parsed afresh")
        tree = parser.parse(source)
    try:
        reader = _Reader(source, text)
        root = _root_object(tree.root_node)
        version = _version(reader, root) if root is not None else None
        if version is not None:
            occurrences, blocks = _openapi(reader, root, version)
        elif tree.root_node.has_error and (marker := _VERSION_MARKER.search(source)) is not None:
            # Too broken to find the root object, yet an API description: its examples must not
            # be read as plain JSON, and its structure cannot be followed until it parses again.
            version = marker.group(1).decode("utf-8", "replace")
            occurrences, blocks = [], []
            notes.append("json: the API description has no readable root object; response keys skipped")
        else:
            occurrences, blocks = _status_values(reader, tree.root_node, status_keys(tuple(extra_keys))), []
    except Exception as error:  # noqa: BLE001 - a detector must never take the server down
        notes.append(f"json: stopped reading ({type(error).__name__}: {error})")
        return Detection(notes=tuple(notes), tree=tree)
    if tree.root_node.has_error:
        notes.append("json: syntax errors; parts next to them may be skipped")
    occurrences.sort(key=lambda o: (o.span.start_line, o.span.start_col))
    return Detection(
        occurrences=tuple(occurrences),
        responses=tuple(blocks),
        openapi=version,
        notes=tuple(notes),
        tree=tree,
    )


class _Reader:
    """Reads tokens out of the source bytes and turns tree-sitter positions into spans."""

    def __init__(self, source: bytes, text: str) -> None:
        self.source = source
        self.ascii = text.isascii()
        self._continuations: list[int] | None = None
        # tree-sitter starts a row only at "\n"; the LSP also at a lone "\r".
        self._line_starts: list[int] | None = None
        if b"\r" in source and _LONE_CR.search(source):
            self._line_starts = [0] + [m.end() for m in _LSP_BREAK.finditer(source)]

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

    def span(self, node: Node, end: Node | None = None) -> Span:
        last = end if end is not None else node
        if self.ascii and self._line_starts is None:
            start_row, start_col = node.start_point
            end_row, end_col = last.end_point
            return Span(start_row, start_col, end_row, end_col)
        start_line, start_col = self._position(node.start_byte, node.start_point)
        end_line, end_col = self._position(last.end_byte, last.end_point)
        return Span(start_line, start_col, end_line, end_col)

    def _position(self, byte: int, point) -> tuple[int, int]:
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
        if byte_column <= _SHORT_PREFIX:
            return len(self.source[line_start:byte].decode("utf-8", "surrogatepass"))
        if self._continuations is None:
            self._continuations = [m.start() for m in _CONTINUATION.finditer(self.source)]
        continuations = self._continuations
        inside = bisect.bisect_left(continuations, byte) - bisect.bisect_left(continuations, line_start)
        return byte_column - inside


def _root_object(document: Node) -> Node | None:
    for child in document.children:
        if child.type == "object":
            return child
    return None


def _pairs(obj: Node) -> Iterable[tuple[Node, Node | None]]:
    """(key, value) of each well-formed pair of an object, duplicates included, in order."""
    for child in obj.children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            if key is not None:
                yield key, child.child_by_field_name("value")


def _version(reader: _Reader, root: Node) -> str | None:
    for key, value in _pairs(root):
        if value is None or reader.string_value(key) not in VERSION_KEYS:
            continue
        if value.type == "string":
            found = reader.string_value(value)
        elif value.type == "number":
            found = reader.token(value)  # `"swagger": 2.0`
        else:
            found = None
        if found is not None and is_version(found):
            return found
    return None


# The fixed keys as they appear in JSON source (the common, unescaped spelling), to compare the
# bytes of a key without decoding it: most keys of a description are skipped this way.
_SIGNIFICANT = {f'"{key}"'.encode(): key for key in SIGNIFICANT_KEYS}


def _openapi(reader: _Reader, root: Node, version: str) -> tuple[list[Occurrence], list[ResponsesBlock]]:
    occurrences: list[Occurrence] = []
    blocks: list[ResponsesBlock] = []
    source = reader.source
    body = f'"{body_key(version)}"'.encode()

    def walk(obj: Node, role: Role, path: list[str]) -> None:
        fixed = role in FIXED_ROLES
        for pair in obj.children:
            if pair.type != "pair":
                continue
            key = pair.child(0)  # a pair starts with its key
            if fixed:
                name = _SIGNIFICANT.get(source[key.start_byte : key.end_byte])
            else:
                name = reader.string_value(key)
            if name is None:
                continue
            child = child_role(role, name)
            if child is None:
                continue
            value = pair.child_by_field_name("value")
            if child is Role.RESPONSES and (value is None or value.is_missing):
                # `"responses": ` with nothing yet: the user is about to type the object.
                colon = pair.child(1)
                end = colon if colon is not None and colon.type == ":" else key
                blocks.append(
                    ResponsesBlock(
                        span=reader.span(key, end), keys=(), pointer=json_pointer([*path, name]), flow=True
                    )
                )
                continue
            if value is None or value.type != "object":
                continue
            path.append(name)
            if child is Role.RESPONSES:
                keys = responses(value)
                occurrences.extend(keys)
                blocks.append(
                    ResponsesBlock(
                        span=reader.span(key, value),
                        keys=tuple(keys),
                        pointer=json_pointer(path),
                        flow=True,
                        key_indent=None,
                    )
                )
            else:
                walk(value, child, path)
            path.pop()

    def responses(obj: Node) -> list[Occurrence]:
        found = []
        for pair in obj.children:
            if pair.type != "pair":
                continue
            key = pair.child(0)
            name = reader.string_value(key)
            if name is None or not is_response_key(name):
                continue
            code, range_class = classify_response_key(name)
            found.append(
                Occurrence(
                    span=reader.span(key),
                    kind=Kind.RESPONSE_KEY,
                    text=reader.token(key),
                    code=code,
                    context="responses",
                    value=name,
                    range_class=range_class,
                    quoted=True,
                    confident=True,
                    body_span=body_of(pair.child_by_field_name("value")),
                )
            )
        return found

    def body_of(response: Node | None) -> Span | None:
        if response is None or response.type != "object":
            return None
        for pair in response.children:
            if pair.type == "pair":
                key = pair.child(0)
                if source[key.start_byte : key.end_byte] == body:
                    return reader.span(key)
        return None

    walk(root, Role.ROOT, [])
    return occurrences, blocks


def _status_values(reader: _Reader, document: Node, keys: frozenset[str]) -> list[Occurrence]:
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
        while True:
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


def _status_value(reader: _Reader, node: Node, context: str) -> Occurrence | None:
    if node.type == "number":
        digits, quoted = reader.token(node), False
    elif node.type == "string":
        digits, quoted = reader.string_value(node), True
    else:
        return None
    code = status_value(digits) if digits is not None else None
    if code is None:
        return None
    return Occurrence(
        span=reader.span(node),
        kind=Kind.YAML_VALUE,
        text=reader.token(node),
        code=code,
        context=context,
        value=digits,
        quoted=quoted,
    )
