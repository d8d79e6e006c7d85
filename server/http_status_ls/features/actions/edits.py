"""Edits and actions as plain values: the lines of the analysed version, edits in code points, one
planned action (title, kind, edits), and its LSP form.

Edits are computed in code points on the analysed version and converted with ``to_range`` only
when an action becomes an lsprotocol ``CodeAction``.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from lsprotocol import types

from http_status_ls.core.occurrences import Span
from http_status_ls.core.positions import RangeMaker

Edit = tuple[Span, str]

QUICKFIX = types.CodeActionKind.QuickFix
REWRITE = types.CodeActionKind.RefactorRewrite


class DocumentText:
    """The lines of one document version, with what edits need: line contents, offsets, newline."""

    def __init__(self, lines: Sequence[str]):
        self.lines = lines
        first = lines[0] if lines else ""
        self.newline = "\r\n" if first.endswith("\r\n") else "\n"

    def line(self, row: int) -> str:
        if not 0 <= row < len(self.lines):
            return ""
        return self.lines[row].rstrip("\r\n")

    @cached_property
    def joined(self) -> str:
        return "".join(self.lines)

    @cached_property
    def _starts(self) -> list[int]:
        # Summed in C: a 4 MB description has 100,000 lines.
        return list(itertools.accumulate(map(len, self.lines[:-1]), initial=0)) if self.lines else []

    def offset(self, row: int, col: int) -> int:
        return self._starts[row] + col if row < len(self._starts) else len(self.joined)

    def point(self, offset: int) -> tuple[int, int]:
        row = max(0, bisect.bisect_right(self._starts, offset) - 1)
        return row, offset - self._starts[row] if self._starts else 0

    def span(self, start: int, end: int) -> Span:
        return Span(*self.point(start), *self.point(end))

    def insert_lines(self, row: int, block: Sequence[str]) -> Edit:
        """Insert whole lines before ``row`` (after the last line when ``row`` is past the end)."""
        nl = self.newline
        if row < len(self.lines):
            return Span(row, 0, row, 0), "".join(line + nl for line in block)
        last = len(self.lines) - 1
        if last < 0:
            return Span(0, 0, 0, 0), "".join(line + nl for line in block)
        end = len(self.line(last))
        return Span(last, end, last, end), "".join(nl + line for line in block)

    def delete_rows(self, first: int, last: int) -> Edit:
        """Delete lines ``first`` to ``last`` (inclusive) with their line breaks."""
        if last + 1 < len(self.lines):
            return Span(first, 0, last + 1, 0), ""
        if first == 0:
            return Span(0, 0, last, len(self.line(last))), ""
        # The last lines: take the break before them instead, so no position points past the end.
        return Span(first - 1, len(self.line(first - 1)), last, len(self.line(last))), ""


def indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


@dataclass
class Action:
    """One planned action; a quick fix carries the diagnostic it fixes."""

    title: str
    kind: str
    edits: list[Edit]
    diagnostic: types.Diagnostic | None = None
    preferred: bool = False


def wanted(kind: str, only: Sequence[str] | None) -> bool:
    """Whether a client that asked for ``only`` these kinds wants an action of ``kind``."""
    if not only:
        return True
    kind = getattr(kind, "value", kind)  # lsprotocol's kinds are str enums; compare their values
    for asked in only:
        asked = getattr(asked, "value", asked)
        if kind == asked or kind.startswith(f"{asked}."):
            return True
    return False


def to_lsp(action: Action, uri: str, to_range: RangeMaker) -> types.CodeAction:
    edits = [types.TextEdit(range=to_range(span), new_text=text) for span, text in action.edits]
    return types.CodeAction(
        title=action.title,
        kind=action.kind,
        diagnostics=[action.diagnostic] if action.diagnostic is not None else None,
        is_preferred=True if action.preferred else None,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )
