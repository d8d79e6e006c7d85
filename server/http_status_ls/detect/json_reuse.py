"""Keeping an OpenAPI JSON analysis across edits that only touch the inside of a string value.

Most typing in a big API description goes into ``description``, ``summary`` or ``example`` strings.
In an OpenAPI JSON document the detector reads keys (response codes, ``content``/``schema``) and the
root ``openapi``/``swagger`` version, never other string values, so such an edit cannot change what
it finds: the previous occurrences stay, only those later on the edited line move sideways. Running
the detector again would cost 0.1 s on a 4 MB spec; this costs a pass over the occurrences.

The previous parse tree decides whether an edit qualifies: the edited bytes must lie strictly inside
one string that is a value (of a pair below the root object, or an array element), and neither the
removed nor the inserted text may contain a quote, a backslash, a line break or a control character.
The tree is told about the edit (``Tree.edit``) and handed on, so the next full analysis still
re-parses incrementally.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from http_status_ls.core.occurrences import Analysis, Occurrence, ResponsesBlock, Span

_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f\u2028\u2029]*')


@dataclass(frozen=True, slots=True)
class LineEdit:
    """An edit in code points, when it stays on one line: columns are the line's before the edit."""

    line: int
    start_col: int
    end_col: int
    removed: str
    inserted: str
    before: str
    """The character just before the edit on its line ("" at the line start)."""

    @property
    def delta(self) -> int:
        return len(self.inserted) - len(self.removed)

    @property
    def plain(self) -> bool:
        return self.before != "\\" and _PLAIN.fullmatch(self.removed) is not None and _PLAIN.fullmatch(self.inserted) is not None


def _inside_string_value(tree: Any, start_byte: int, end_byte: int) -> bool:
    node = tree.root_node.descendant_for_byte_range(start_byte, end_byte)
    while node is not None and node.type != "string":
        if node.type in ("pair", "object", "array", "document", "ERROR"):
            return False
        node = node.parent
    if node is None or node.has_error or not (node.start_byte < start_byte and end_byte < node.end_byte):
        return False
    for child in node.children:  # never split an escape sequence such as \n or \u00e9
        if child.type == "escape_sequence" and (
            child.start_byte < start_byte < child.end_byte or child.start_byte < end_byte < child.end_byte
        ):
            return False
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "array":
        return True
    if parent.type != "pair":
        return False
    value = parent.child_by_field_name("value")
    if value is None or value.start_byte != node.start_byte:
        return False  # a key: response codes and content/schema are keys
    owner = parent.parent
    # Values of the root object (openapi, swagger, host ...) may decide what the document is.
    return not (owner is not None and owner.parent is not None and owner.parent.type == "document")


def _move(span: Span, line: int, col: int, delta: int) -> Span:
    if span.start_line != line and span.end_line != line:
        return span
    start_col = span.start_col + delta if span.start_line == line and span.start_col >= col else span.start_col
    end_col = span.end_col + delta if span.end_line == line and span.end_col >= col else span.end_col
    if (start_col, end_col) == (span.start_col, span.end_col):
        return span
    return Span(span.start_line, start_col, span.end_line, end_col)


def _shift(analysis: Analysis, edit: LineEdit, version: int | None, tree: Any) -> Analysis:
    line, col, delta = edit.line, edit.end_col, edit.delta
    moved: dict[int, Occurrence] = {}

    def shifted(occurrence: Occurrence) -> Occurrence:
        if id(occurrence) in moved:
            return moved[id(occurrence)]
        span = _move(occurrence.span, line, col, delta)
        body = None if occurrence.body_span is None else _move(occurrence.body_span, line, col, delta)
        result = (
            occurrence
            if span is occurrence.span and body is occurrence.body_span
            else replace(occurrence, span=span, body_span=body)
        )
        moved[id(occurrence)] = result
        return result

    occurrences = tuple(shifted(o) for o in analysis.detection.occurrences)
    blocks = []
    for block in analysis.detection.responses:
        span = _move(block.span, line, col, delta)
        # A key moves when its own span or its body's does: the body can sit on the edited line while
        # the key and the block's ends do not.
        keys = tuple(shifted(k) for k in block.keys)
        unchanged = span is block.span and all(new is old for new, old in zip(keys, block.keys))
        blocks.append(
            block
            if unchanged
            else ResponsesBlock(span=span, keys=keys, pointer=block.pointer, flow=block.flow, key_indent=block.key_indent)
        )
    # The tree now stands for the edited text, its bytes for the text before.
    detection = replace(
        analysis.detection, occurrences=occurrences, responses=tuple(blocks), tree=tree, source=None, skeleton=None
    )
    return replace(analysis, version=version, detection=detection)


def reuse(
    previous: Analysis,
    edits: Sequence[tuple[Any, LineEdit | None]],
    version: int | None,
) -> tuple[Analysis | None, int]:
    """Carry ``previous`` over ``edits`` (tree-sitter edit, line edit) when every one of them only
    touches a string value. Returns the new analysis (or None) and how many edits were applied to the
    tree, so the caller applies the rest before a full re-parse."""
    tree = previous.detection.tree
    if previous.language != "json" or previous.openapi is None or tree is None or tree.root_node.has_error:
        return None, 0
    current = previous
    for applied, (tree_edit, line_edit) in enumerate(edits):
        if line_edit is None or not line_edit.plain:
            return None, applied
        if not _inside_string_value(tree, tree_edit.start_byte, tree_edit.old_end_byte):
            return None, applied
        tree_edit.apply_to(tree)
        current = _shift(current, line_edit, version, tree)
    return current, len(edits)
