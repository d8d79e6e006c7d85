"""Typing in a response's description: the model patched in place of being built again.

A description is the one value the operations model reads that people keep typing in (the
``description-mismatch`` rule compares it with the reason phrases). When an edit stays inside one
description written on one line, only that response's entry changes; everything else, positions
included, stays as it was (`openapi_reads` made sure the edit is on one line).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.openapi_operations import OpenApiDocument
from http_status_ls.detect.openapi_reads import Edit

# What typing inside a YAML scalar must not involve, by how the scalar starts: in a plain one, `: ` and
# ` #` end the value (quotes and brackets inside it are plain text); in a quoted one, its own quote
# (and in a double-quoted one, an escape).
_PLAIN_SPECIAL = re.compile(r"[:#]")
_QUOTED_SPECIAL = {"'": re.compile("'"), '"': re.compile(r'["\\]')}


def _forbidden(first: str) -> re.Pattern[str]:
    """What typing must not involve in a YAML scalar starting with ``first``."""
    return _QUOTED_SPECIAL.get(first, _PLAIN_SPECIAL)


def _index(document: OpenApiDocument) -> dict[int, list[tuple[int, int]]]:
    index: dict[int, list[tuple[int, int]]] = {}
    for op_index, operation in enumerate(document.operations):
        for entry_index, entry in enumerate(operation.responses):
            if entry.description_span is not None:
                index.setdefault(entry.description_span.start_line, []).append((op_index, entry_index))
    return index


def patch_description(built: Any, edit: Edit) -> OpenApiDocument | None:
    """The model after ``edit`` when it only retypes one response description; else None."""
    document: OpenApiDocument = built.document
    if built.descriptions is None:
        built.descriptions = _index(document)
    row = edit.row
    places = built.descriptions.get(row)
    if places is None or len(places) != 1:
        return None
    op_index, entry_index = places[0]
    operation = document.operations[op_index]
    entry = operation.responses[entry_index]
    span = entry.description_span
    if span is None:
        return None
    if built.rightmost is None:
        built.rightmost = _rightmost(document)
    if built.rightmost.get(row, -1) > span.end_col:
        return None  # a position kept right of the description on its row (`{description: x, headers: ...`) would move
    removed_end = edit.column + len(edit.removed)
    typed = edit.removed + edit.inserted
    quoted = built.language == "json" or edit.old_line[span.start_col : span.start_col + 1] in ("'", '"')
    if not (span.start_col < edit.column and (removed_end < span.end_col if quoted else removed_end <= span.end_col)):
        return None
    if built.language == "yaml" and _forbidden(edit.old_line[span.start_col : span.start_col + 1]).search(typed):
        return None
    added = len(edit.inserted) - len(edit.removed)
    written = edit.new_line[span.start_col : span.end_col + added]
    value = _value(written, built.language)
    if value is None:
        return None
    # A plain scalar ends at its last character that is not a space, as a fresh build places it:
    # a space typed at its end (before a comment), or a character deleted before spaces, moves it less.
    end = span.end_col + added if quoted else span.start_col + len(written.rstrip())
    patched = replace(entry, description=value, description_span=Span(row, span.start_col, row, end))
    built.rightmost[row] = end  # the description is the rightmost position of its row
    responses = (*operation.responses[:entry_index], patched, *operation.responses[entry_index + 1 :])
    operations = list(document.operations)
    operations[op_index] = replace(operation, responses=responses)
    return replace(document, operations=tuple(operations))


def _value(written: str, language: str) -> str | None:
    if language == "json":
        try:
            value = json.loads(written)
        except ValueError:
            return None
        return value if isinstance(value, str) else None
    from http_status_ls.detect.openapi_yaml_source import _scalar

    loaded = _scalar(written) if written else None
    if isinstance(loaded, bool) or not isinstance(loaded, (str, int, float)):
        return None
    return str(loaded)


def _rightmost(document: OpenApiDocument) -> dict[int, int]:
    """Row -> the rightmost column of any position the model keeps on it."""
    rightmost: dict[int, int] = {}

    def note(row: int, column: int) -> None:
        if rightmost.get(row, -1) < column:
            rightmost[row] = column

    for operation in document.operations:
        spans = [operation.span, operation.responses_span]
        for entry in operation.responses:
            spans += [entry.span, entry.description_span, entry.headers_span, entry.body_span]
        for span in spans:
            if span is not None:
                note(span.start_line, span.start_col)
                note(span.end_line, span.end_col)
    return rightmost


def keeps_through_spacing(built: Any, edit: Edit) -> bool:
    """Whether ``edit`` only adds or removes spacing that means nothing, right of every position the
    model keeps on its line: between JSON tokens, or at the end of a YAML line."""
    if edit.removed.strip() or edit.inserted.strip():
        return False
    line, column = edit.old_line, edit.column
    if built.language == "json":
        before = line[:column].replace("\\\\", "")
        if (before.count('"') - before.count('\\"')) % 2:
            return False  # inside a string: the spacing is part of a value
    elif line[column + len(edit.removed) :].strip():
        return False  # inside a YAML value, spacing counts
    if built.rightmost is None:
        built.rightmost = _rightmost(built.document)
    return bool(built.rightmost.get(edit.row, -1) < column)


def breaks_the_line(built: Any, edit: Edit, *, still: bool = False) -> bool:
    """Whether ``edit`` turns a YAML key line into one that is no key at all (``content:"``): the
    document is broken there until the line is given back its text, and the model of the last
    whole text stands meanwhile (`openapi_operations.model_of`). ``still``: the line was broken
    before this edit; whether it stays no key."""
    if built.language != "yaml":
        return False
    from http_status_ls.detect.openapi_yaml_source import _KEY_LINE

    indent = len(edit.old_line) - len(edit.old_line.lstrip(" "))
    old_key = _KEY_LINE.match(edit.old_line, indent)
    if not still and old_key is None:
        return False
    new_key = _KEY_LINE.match(edit.new_line, indent)
    if new_key is None:
        return True
    # `responses: "` or `content: [`: a value opened and not closed on its line swallows the lines
    # below it until it is closed, so the document is broken there just the same.
    return _left_open(new_key[2]) and (still or old_key is None or not _left_open(old_key[2]))


_QUOTED = r""""(?:[^"\\]|\\.)*"|'(?:[^']|'')*'"""
_CLOSED_QUOTED = re.compile(f"(?:{_QUOTED})" + r"[ \t]*(?:#.*)?$")
_ANY_QUOTED = re.compile(_QUOTED)


def _left_open(value: str | None) -> bool:
    """Whether a YAML value as written on its key's line opens a quoted scalar or a flow collection
    that the line does not close."""
    if not value:
        return False
    first = value[0]
    if first in "\"'":
        return _CLOSED_QUOTED.match(value) is None
    if first in "[{":
        plain = _ANY_QUOTED.sub("", value)
        return '"' in plain or plain.count("[") + plain.count("{") > plain.count("]") + plain.count("}")
    return False
