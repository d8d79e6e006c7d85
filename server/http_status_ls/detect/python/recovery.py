"""Reading code that does not parse: the repaired copies of a broken Python text.

Code being typed often has an unclosed bracket or string, and tree-sitter then folds everything
after it into one ERROR node. This module re-reads that stretch (from the start of its top-level
statement) from a repaired copy, with the missing closers inserted at the end of the line where the
statement was left open; insertions add no lines and move no earlier column, and the copy is
preceded by as many line breaks as lines before it, so positions found in the copy are positions in
the original. Lines still inside an ERROR node after that are re-parsed one by one at their own row
and column. The tree of the real text is never replaced: it is the one the next incremental parse
starts from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from http_status_ls.core.text_scan import Lexeme, python_lexemes
from http_status_ls.detect.python.tree import Node, Tree, parse

_CLOSER = {ord("("): b")", ord("["): b"]", ord("{"): b"}"}
_TRIPLE_QUOTES = (b"'''", b'"""')
# A line that starts a statement: it begins with a name (or ``@``), and is not the continuation of
# an expression (``and x``, ``for x in y`` inside a comprehension: those have no trailing colon).
_LINE_START = re.compile(rb"[ \t]*(@|[A-Za-z_\x80-\xff][\w\x80-\xff]*)(.*)")
_CONTINUATION_WORDS = frozenset({b"and", b"or", b"not", b"in", b"is", b"lambda"})
_CLAUSE_WORDS = frozenset({b"if", b"else", b"for", b"async"})

_MAX_LINES_ALONE = 200
_BLOCK_OPENER_SWAP = {b"elif": b"if  ", b"while": b"if   "}


@dataclass(slots=True)
class Repair:
    """What to read besides the broken document itself."""

    texts: list[tuple[bytes, Tree]] = field(default_factory=list)
    """Repaired copies and lines re-parsed alone, each with its tree, rows and columns the document's."""
    skip: list[tuple[int, int]] = field(default_factory=list)
    """Byte ranges of the document that a repaired copy reads instead."""
    notes: list[str] = field(default_factory=list)


def repair(source: bytes, root: Node) -> Repair:
    """The repaired copies of the ERROR regions of ``source`` (whose tree's root is ``root``)."""
    windows, unexplained = _windows(source, root)
    snippets = _lines_alone(source, _rows(source, unexplained))
    found = Repair()
    for window in windows:
        found.skip.append((window.start, window.end))
        found.texts.append((window.source, window.tree))
        if window.tree.root_node.has_error:
            snippets += _lines_alone(window.source, _rows(window.source, _error_ranges(window.tree.root_node)))
    found.texts += snippets
    if windows:
        inserted = sum(window.inserted for window in windows)
        found.notes.append(f"syntax errors: closed {inserted} unclosed bracket(s)/string(s) to read the code after them")
    if snippets:
        found.notes.append(f"syntax errors: re-read {len(snippets)} line(s) alone")
    elif unexplained or any(window.tree.root_node.has_error for window in windows):
        found.notes.append("syntax errors: occurrences inside the broken parts may be missed")
    return found


# --- closing what was left open ---------------------------------------------------------------------


def _indentation(source: bytes, position: int) -> int:
    line_start = source.rfind(b"\n", 0, position) + 1
    indent = line_start
    while indent < len(source) and source[indent] in b" \t":
        indent += 1
    return indent - line_start


def _starts_statement(source: bytes, line_start: int) -> bool:
    line_end = source.find(b"\n", line_start)
    match = _LINE_START.match(source, line_start, len(source) if line_end < 0 else line_end)
    if match is None:
        return False
    word = match[1]
    if word in _CONTINUATION_WORDS:
        return False
    if word in _CLAUSE_WORDS:
        return match[2].split(b"#", 1)[0].rstrip().endswith(b":")
    return True


def _closers(source: bytes, stack: list[int]) -> bytes:
    return b"".join(_CLOSER[source[position]] for position in reversed(stack))


def _string_closer(source: bytes, string: Lexeme) -> bytes | None:
    """The quote that closes a one-line string left open at its line's end, else None."""
    opener = source[string.start : string.start + 3]
    if opener in _TRIPLE_QUOTES:
        return None
    quote = opener[:1]
    return None if source.endswith(quote, 0, string.end) else quote


def closing_insertions(source: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    """Where to insert what closes the brackets and one-line strings left open in
    ``source[start:end]``. Brackets close before the first line that starts a new statement at or
    left of the indentation of the line that opened them; a one-line string closes at its line's end."""
    insertions: list[tuple[int, bytes]] = []
    stack: list[int] = []  # byte positions of open brackets
    comment_start = -1
    for lexeme in python_lexemes(source, start, end):
        kind = lexeme.kind
        if kind == "comment":
            comment_start = lexeme.start
        elif kind == "unclosed":
            return insertions  # an unterminated triple-quoted string runs to the end
        elif kind == "string":
            quote = _string_closer(source, lexeme)
            if quote is not None:
                insertions.append((lexeme.end, quote))  # 'abc  ->  'abc'
        elif kind == "open":
            stack.append(lexeme.start)
        elif kind == "close":
            if stack:
                stack.pop()
        elif kind == "newline":
            line_end = comment_start if comment_start >= 0 else lexeme.start
            comment_start = -1
            if (
                stack
                and _starts_statement(source, lexeme.end)
                and _indentation(source, lexeme.end) <= _indentation(source, stack[0])
            ):
                insertions.append((line_end, _closers(source, stack)))
                stack.clear()
    if stack and end >= len(source.rstrip()):
        at = comment_start if comment_start >= 0 else len(source)
        insertions.append((at, _closers(source, stack)))
    return insertions


# --- the broken regions ---------------------------------------------------------------------------


def _error_ranges(root: Node) -> list[tuple[int, int]]:
    """Byte ranges of the outermost ERROR nodes, merged when they overlap, found by descending only
    into erroneous subtrees."""
    if root.type == "ERROR":
        return [(root.start_byte, root.end_byte)]
    ranges: list[tuple[int, int]] = []
    pending = [root]
    while pending:
        node = pending.pop()
        for child in node.children:
            if child.type == "ERROR":
                ranges.append((child.start_byte, child.end_byte))
            elif child.has_error:
                pending.append(child)
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _statement_start(source: bytes, root: Node, position: int) -> int:
    """Where the top-level statement holding ``position`` starts (a line start). When the error
    recovery left that statement's tail as a top-level node of its own (an indented line), the
    window starts at the sibling before it, the definition it belongs to."""
    top = root.first_child_for_byte(position)
    if top is None or top.start_byte > position:
        return source.rfind(b"\n", 0, position) + 1
    for _ in range(50):
        line_start = source.rfind(b"\n", 0, top.start_byte) + 1
        previous = top.prev_sibling
        if top.start_byte == line_start or previous is None:
            return line_start
        top = previous
    return source.rfind(b"\n", 0, top.start_byte) + 1


@dataclass(frozen=True, slots=True)
class _Window:
    """A stretch of a broken document re-read from a repaired copy: ``source`` is that copy,
    preceded by as many line breaks as there are lines before ``start``, so rows and columns are
    the document's."""

    start: int
    end: int
    source: bytes
    tree: Tree
    inserted: int


def _windows(source: bytes, root: Node) -> tuple[list[_Window], list[tuple[int, int]]]:
    """Repaired windows over the ERROR regions that an unclosed bracket or string explains, and
    the ERROR ranges that stay unexplained. Each window runs from the start of the top-level
    statement of the error to the end of the error's last line and is parsed alone: re-parsing
    the whole repaired document costs as much as a full parse, because tree-sitter-python reuses
    nothing after a changed bracket."""
    windows: list[_Window] = []
    unexplained: list[tuple[int, int]] = []
    covered = 0
    for start, end in _error_ranges(root):
        if end <= covered:
            continue
        # Start at the erroneous statement's line: an unclosed string may open before the ERROR.
        scan_from = max(source.rfind(b"\n", 0, start) + 1, covered)
        insertions = closing_insertions(source, scan_from, end)
        if not insertions:
            unexplained.append((start, end))
            continue
        window_start = max(_statement_start(source, root, start), covered)
        line_end = source.find(b"\n", max(end - 1, window_start))
        window_end = len(source) if line_end < 0 else line_end
        pieces = [b"\n" * source.count(b"\n", 0, window_start)]
        previous = window_start
        for position, closers in sorted(insertions):
            pieces += [source[previous:position], closers]
            previous = position
        pieces.append(source[previous:window_end])
        repaired = b"".join(pieces)
        inserted = sum(len(closers) for _, closers in insertions)
        windows.append(_Window(window_start, window_end, repaired, parse(repaired), inserted))
        covered = window_end
    return windows, unexplained


# --- lines alone -----------------------------------------------------------------------------------


def _rows(source: bytes, ranges: list[tuple[int, int]]) -> set[int]:
    rows: set[int] = set()
    for start, end in ranges:
        first = source.count(b"\n", 0, start)
        rows.update(range(first, first + source.count(b"\n", start, end) + 1))
    return rows


def _lines_alone(source: bytes, rows: set[int]) -> list[tuple[bytes, Tree]]:
    """Lines still inside an ERROR node, each parsed on its own but at its own row and column (the
    snippet is the line after blank rows, or after ``if 1:`` for an indented line), so a
    half-typed statement does not hide the complete ones next to it."""
    if not rows or len(rows) > _MAX_LINES_ALONE:
        return []
    snippets = []
    lines = source.split(b"\n")
    for row in sorted(rows):
        line = lines[row] if row < len(lines) else b""
        body = line.lstrip(b" \t")
        if not body.strip() or body.startswith(b"#"):
            continue  # blank, or only a CR or form feed left of a CRLF line
        indent = len(line) - len(body)
        if indent and row == 0:
            continue
        word = body.split(None, 1)[0].rstrip(b":")
        if word in (b"else", b"except", b"finally", b"case", b"try"):
            continue  # clauses that cannot stand alone, and rarely hold a status
        body = _BLOCK_OPENER_SWAP.get(word, word) + body[len(word) :]
        if body.split(b"#", 1)[0].rstrip().endswith(b":"):
            body += b" ..."
        prefix = b"\n" * (row - 1) + b"if 1:\n" if indent else b"\n" * row
        snippet = prefix + line[:indent] + body
        snippets.append((snippet, parse(snippet)))
    return snippets
