"""The ``textDocument/codeAction`` answer: the quick fixes for the diagnostics the client sent, then
the rewrites of the occurrences the range touches (:mod:`.quickfix`, :mod:`.refactor`), and the
file's ``source.fixAll`` when the client asks for it by kind (:mod:`.fix_all`)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Occurrence, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.features.actions import fix_all
from http_status_ls.features.actions.edits import QUICKFIX, REWRITE, Action, DocumentText, to_lsp, wanted
from http_status_ls.features.actions.quickfix import PointMaker, QuickFixes
from http_status_ls.features.actions.refactor import Refactorings

KINDS = [QUICKFIX, REWRITE, fix_all.FIX_ALL]
"""The kinds of action the server offers (its ``codeActionProvider`` capability)."""


def _code_points(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def _overlapping(analysis: Analysis, span: Span) -> list[Occurrence]:
    """The occurrences a (possibly empty) range touches."""
    occurrences = analysis.occurrences
    # Occurrences are in position order and on one line each: start a line early, stop after the range.
    first = bisect.bisect_left(occurrences, span.start_line, key=lambda o: o.span.end_line)
    found = []
    for occurrence in occurrences[first:]:
        o = occurrence.span
        if (o.start_line, o.start_col) > (span.end_line, span.end_col):
            break
        if (o.end_line, o.end_col) >= (span.start_line, span.start_col):
            found.append(occurrence)
    return found


def code_actions(
    analysis: Analysis,
    lines: Sequence[str],
    span: Span,
    diagnostics: Iterable[types.Diagnostic] = (),
    *,
    only: Sequence[str] | None = None,
    to_range: RangeMaker = span_range,
    to_point: PointMaker = _code_points,
    target: ProjectTarget = UNKNOWN_TARGET,
    severity: Mapping[str, Any] | None = None,
) -> list[types.CodeAction]:
    """The actions for a range (code points) of one analysed document: quick fixes for the
    ``diagnostics`` the client sent (ranges in its units, read with ``to_point``), then the
    rewrites of the occurrences the range touches. ``only`` is the client's kind filter; ``target``
    the project's versions, which decide the library names an action writes; ``severity`` the
    session's table, which says which findings ``source.fixAll`` fixes (asked for by kind only)."""
    text = DocumentText(lines)
    diagnostics = list(diagnostics)  # read twice: the rules' quick fixes, then the style's
    planned: list[Action] = []
    if wanted(QUICKFIX, only):
        fixes = QuickFixes(analysis, text, target)
        for diagnostic in diagnostics:
            planned += fixes.for_diagnostic(diagnostic, to_point)
        style = fix_all.style_of(severity)
        planned += fix_all.style_quick_fixes(analysis, lines, diagnostics, to_point, target=target, style=style)
    refactorings = Refactorings(analysis, text, target)
    for occurrence in _overlapping(analysis, span):
        for action in refactorings.to_constant(occurrence, only) + refactorings.to_literal(occurrence):
            if wanted(action.kind, only):
                planned.append(action)
    answer = [to_lsp(action, analysis.uri, to_range) for action in planned]
    if only and wanted(fix_all.FIX_ALL, only):  # every finding of the file: only when asked for
        every = fix_all.fix_all_action(analysis, lines, severity=severity, target=target, to_range=to_range)
        answer += [every] if every is not None else []
    return answer
