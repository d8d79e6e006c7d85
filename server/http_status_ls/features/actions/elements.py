"""The list a code is an element of, so that a fix never writes a code the list already holds.

Replacing 509 with 503 in ``status_forcelist=[429, 500, 502, 503, 504, 509]`` would list 503 twice;
the fix there is to remove 509. This module finds the elements around an occurrence (a Python
list, tuple or set, the alternatives of ``case 420 | 429:``, the keys of a dict; a JSON array, a
YAML flow or block sequence, a comma-separated string ``"503,509"``) and the edit that removes one
element with its separator, leaving the layout of the others as it was.

Every offset here is a code-point offset into the document's joined text (:class:`DocumentText`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from http_status_ls.core.occurrences import Occurrence
from http_status_ls.core.text_scan import flow_value_end
from http_status_ls.detect.python.tree import Node
from http_status_ls.features.actions.add_import import PythonModule
from http_status_ls.features.actions.edits import DocumentText, Edit, indent_of

Range = tuple[int, int]

_PYTHON_LISTS = {"list": ",", "tuple": ",", "set": ",", "union_pattern": "|"}
"""Python nodes whose named children are elements, and the token between two of them."""
_PYTHON_WRAPPERS = frozenset({"integer", "identifier", "attribute", "subscript", "string", "string_content", "dotted_name"})
"""Nodes an occurrence's token may sit in below the element itself (``requests.codes.ok``)."""
_BLOCK_ITEM = re.compile(r"([ \t]*)-[ \t]+")
_BLANKS = " \t"


@dataclass(frozen=True, slots=True)
class Elements:
    """The elements of the collection that holds an occurrence."""

    ranges: tuple[Range, ...]
    """Each element's text, in order."""
    index: int
    """The occurrence's element."""
    removal: tuple[Edit, ...]
    """The edits that remove the occurrence's element; empty where removing it alone would not do
    (a dict key has a value to take along)."""

    def others(self) -> Iterable[Range]:
        return (r for i, r in enumerate(self.ranges) if i != self.index)


def holds(elements: Elements, text: DocumentText, occurrences: Iterable[Occurrence], code: int) -> bool:
    """Whether an element other than the occurrence's already is ``code`` (a number or a library
    name for it: ``503`` and ``HTTPStatus.SERVICE_UNAVAILABLE`` are the same element)."""
    others = list(elements.others())
    if not others:
        return False
    first, last = min(start for start, _ in others), max(end for _, end in others)
    for occurrence in occurrences:
        if occurrence.code != code:
            continue
        at = text.offset(occurrence.span.start_line, occurrence.span.start_col)
        if first <= at < last and any(start <= at < end for start, end in others):
            return True
    return False


# --- removing one element ---------------------------------------------------------------------------


def _past_separator(full: str, i: int, comments: bool) -> int:
    """Where the text after an element's separator stops being removed with it: the blanks after it,
    a comment that ends the line (it was about the element), and the line break and the next line's
    indentation when the next element starts a line of its own."""
    j = i
    while j < len(full) and full[j] in _BLANKS:
        j += 1
    if comments and j < len(full) and full[j] == "#":
        while j < len(full) and full[j] not in "\r\n":
            j += 1
    if j < len(full) and full[j] in "\r\n":
        j += 2 if full.startswith("\r\n", j) else 1
        while j < len(full) and full[j] in _BLANKS:
            j += 1
    return j


def _through_comment(full: str, i: int, comments: bool) -> int:
    """``i``, or the end of the line when only a comment follows ``i`` on it."""
    j = i
    while j < len(full) and full[j] in _BLANKS:
        j += 1
    if comments and j < len(full) and full[j] == "#":
        while j < len(full) and full[j] not in "\r\n":
            j += 1
        return j
    return i


def removal(
    text: DocumentText,
    ranges: tuple[Range, ...],
    separators: tuple[Range | None, ...],
    index: int,
    *,
    comments: bool,
    tuple_: bool,
) -> tuple[Edit, ...]:
    """The edits that remove element ``index`` and one separator next to it. ``separators[i]`` is
    the separator after element ``i`` (None after the last one without a trailing comma);
    ``tuple_`` keeps a comma after a Python tuple's last element, or ``(503)`` would be a number."""
    full = text.joined
    start, end = ranges[index]
    pair_left = tuple_ and len(ranges) == 2
    if index + 1 < len(ranges):
        separator = separators[index]
        if separator is None:
            return ()
        edits = [(text.span(start, _past_separator(full, separator[1], comments)), "")]
        if pair_left and separators[1] is None:
            edits.append((text.span(ranges[1][1], ranges[1][1]), ","))
        return tuple(edits)
    before = separators[index - 1]
    if before is None:
        return ()
    trailing = separators[index]
    if trailing is not None:  # [429, 509,] -> [429,]
        return ((text.span(before[1], _through_comment(full, trailing[1], comments)), ""),)
    cut_from = before[1] if pair_left else ranges[index - 1][1]  # (503, 509) -> (503,)
    return ((text.span(cut_from, _through_comment(full, end, comments)), ""),)


# --- Python -----------------------------------------------------------------------------------------


def python_elements(module: PythonModule, text: DocumentText, occurrence: Occurrence) -> Elements | None:
    """The Python collection whose element the occurrence is, from the module's tree."""
    node = _element_node(module, text, occurrence)
    holder = node.parent if node is not None else None
    if node is None or holder is None:
        return None
    if holder.type == "pair":
        return _dict_keys(module, text, node, holder)
    separator = _PYTHON_LISTS[holder.type]
    ranges: list[Range] = []
    separators: list[Range | None] = []
    index = None
    for child in holder.children:
        if child.type == separator and ranges:
            separators[-1] = _range(module, text, child)
        elif child.is_named and child.type != "comment":
            if (child.start_byte, child.end_byte) == (node.start_byte, node.end_byte):
                index = len(ranges)
            ranges.append(_range(module, text, child))
            separators.append(None)
    if index is None or len(ranges) < 2:
        return None
    edits = removal(text, tuple(ranges), tuple(separators), index, comments=True, tuple_=holder.type == "tuple")
    return Elements(tuple(ranges), index, edits)


def _element_node(module: PythonModule, text: DocumentText, occurrence: Occurrence) -> Node | None:
    """The node directly under a collection (or a dict's pair) that holds the occurrence's token,
    climbing only through what a token sits in (``requests.codes.ok``, ``codes['ok']``); None when
    something else is in between (``[abort(420)]``)."""
    span = occurrence.span
    if span.start_line != span.end_line or span.start_line >= len(text.lines):
        return None
    line = text.line(span.start_line)
    start = len(line[: span.start_col].encode("utf-8", "surrogatepass"))
    end = len(line[: span.end_col].encode("utf-8", "surrogatepass"))
    node: Node | None = module.root.descendant_for_point_range((span.start_line, start), (span.start_line, end))
    while node is not None and node.parent is not None:
        kind = node.parent.type
        if kind in _PYTHON_LISTS or kind == "pair":
            return node
        if kind not in _PYTHON_WRAPPERS:
            return None
        node = node.parent
    return None


def _range(module: PythonModule, text: DocumentText, node: Node) -> Range:
    return text.offset(*module.start(node)), text.offset(*module.end(node))


def _dict_keys(module: PythonModule, text: DocumentText, node: Node, pair: Node) -> Elements | None:
    """The keys of the dict whose key the occurrence is (``responses={420: ..., 429: ...}``): a
    replacement must not repeat a key, and removing one would drop its value, so none is offered."""
    key = pair.child_by_field_name("key")
    dictionary = pair.parent
    if key is None or dictionary is None or (key.start_byte, key.end_byte) != (node.start_byte, node.end_byte):
        return None
    ranges: list[Range] = []
    index = None
    for child in dictionary.named_children:
        other = child.child_by_field_name("key") if child.type == "pair" else None
        if other is None:
            continue
        if other.start_byte == key.start_byte:
            index = len(ranges)
        ranges.append(_range(module, text, other))
    return Elements(tuple(ranges), index, ()) if index is not None else None


# --- YAML and JSON ----------------------------------------------------------------------------------


def _skip_blanks_and_comments(full: str, i: int, comments: bool) -> int:
    while i < len(full):
        if full[i] in " \t\r\n":
            i += 1
        elif comments and full[i] == "#" and (i == 0 or full[i - 1] in " \t\r\n"):
            while i < len(full) and full[i] not in "\r\n":
                i += 1
        else:
            break
    return i


def _opening_bracket(full: str, start: int) -> int | None:
    """The ``[`` of the flow sequence an element starting at ``start`` is in, found by counting
    brackets backwards (the caller checks the answer by reading the sequence forwards)."""
    depth = 0
    for i in range(start - 1, -1, -1):
        char = full[i]
        if char in "]}":
            depth += 1
        elif char in "[{":
            if depth == 0:
                return i if char == "[" else None
            depth -= 1
    return None


def flow_elements(text: DocumentText, occurrence: Occurrence, *, comments: bool) -> Elements | None:
    """The JSON array or YAML flow sequence (``[429, 509]``) whose element the occurrence is."""
    full = text.joined
    start = text.offset(occurrence.span.start_line, occurrence.span.start_col)
    end = text.offset(occurrence.span.end_line, occurrence.span.end_col)
    opener = _opening_bracket(full, start)
    if opener is None:
        return comma_elements(text, occurrence)
    ranges: list[Range] = []
    separators: list[Range | None] = []
    i = opener + 1
    while True:
        i = _skip_blanks_and_comments(full, i, comments)
        if i >= len(full):
            return None
        if full[i] == "]":
            break
        value_end = flow_value_end(full, i)
        if value_end is None:
            return None
        ranges.append((i, value_end))
        separators.append(None)
        i = _skip_blanks_and_comments(full, value_end, comments)
        if i < len(full) and full[i] == ",":
            separators[-1] = (i, i + 1)
            i += 1
        elif i >= len(full) or full[i] != "]":
            return None
    if (start, end) not in ranges:
        return comma_elements(text, occurrence)  # a code inside one string of the sequence
    if len(ranges) < 2:
        return None
    index = ranges.index((start, end))
    edits = removal(text, tuple(ranges), tuple(separators), index, comments=comments, tuple_=False)
    return Elements(tuple(ranges), index, edits)


_COMMA_RUN = re.compile(r"[\w \t,-]+")
"""What a comma-separated string of codes is made of (``404, 503``, ``gateway-error,503``)."""


def comma_elements(text: DocumentText, occurrence: Occurrence) -> Elements | None:
    """The items of the comma-separated string (``custom-http-errors: "503,509"``, ``status_code:
    200,204``) whose item the occurrence is: removing one takes its comma along."""
    span = occurrence.span
    if span.start_line != span.end_line or span.start_line >= len(text.lines):
        return None
    line = text.line(span.start_line)
    run = next((m for m in _COMMA_RUN.finditer(line) if m.start() <= span.start_col and span.end_col <= m.end()), None)
    if run is None or "," not in run.group():
        return None
    base = text.offset(span.start_line, 0)
    ranges: list[Range] = []
    separators: list[Range | None] = []
    position = run.start()
    parts = run.group().split(",")
    for number, part in enumerate(parts):
        item = part.strip(_BLANKS)
        begin = position + len(part) - len(part.lstrip(_BLANKS))
        if item:
            ranges.append((base + begin, base + begin + len(item)))
            separators.append(None)
        elif number < len(parts) - 1 or not ranges:
            return None  # `503,,509`: not a list one can edit item by item
        position += len(part)
        if number < len(parts) - 1:
            separators[-1] = (base + position, base + position + 1)
            position += 1
    target = (text.offset(span.start_line, span.start_col), text.offset(span.end_line, span.end_col))
    if target not in ranges or len(ranges) < 2:
        return None
    index = ranges.index(target)
    return Elements(tuple(ranges), index, removal(text, tuple(ranges), tuple(separators), index, comments=False, tuple_=False))


def block_elements(text: DocumentText, occurrence: Occurrence) -> Elements | None:
    """The YAML block sequence whose item the occurrence is (``- 509`` on a line of its own): the
    items at the same indentation above and below it, up to the first line that is not one."""
    row = occurrence.span.start_line
    item = _BLOCK_ITEM.fullmatch(text.line(row)[: occurrence.span.start_col])
    if item is None or occurrence.span.end_line != row:
        return None
    dash = len(item[1])
    rows = [row]
    for step in (-1, 1):
        other = row + step
        while 0 <= other < len(text.lines):
            content = text.line(other)
            stripped = content.strip()
            if stripped and not stripped.startswith("#"):
                if indent_of(content) < dash or (indent_of(content) == dash and _BLOCK_ITEM.match(content) is None):
                    break
                if indent_of(content) == dash:
                    rows.append(other)
            other += step
    if len(rows) < 2:
        return None
    rows.sort()
    ranges = []
    for other in rows:
        content = text.line(other)
        found = _BLOCK_ITEM.match(content)
        value_start = found.end() if found is not None else 0
        ranges.append((text.offset(other, value_start), text.offset(other, len(content))))
    return Elements(tuple(ranges), rows.index(row), (text.delete_rows(row, row),))
