"""``source.fixAll``: every fix of one file that is always safe, as one set of edits that do not
overlap; ``http-status-ls check --fix`` applies the same plan to files on disk.

Always safe means the program does the same afterwards, so nothing is left for a person to choose:

- ``status-style``: the same code in the project's spelling (:mod:`..status_style`);
- ``deprecated-name``: a library constant's current name, offered only where the project's version
  has it (``QuickFixes.rename``);
- ``unquoted-response-key``: an OpenAPI 3 key quoted (``QuickFixes.quote_key``).

Fixes that change a code (``deprecated-code`` -> another code) are a person's choice and never
applied here. Only the findings the settings report (and no suppression hides) are fixed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Occurrence, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.core.style_settings import DEFAULT_STYLE, StatusStyle
from http_status_ls.features import status_style
from http_status_ls.features.actions.edits import QUICKFIX, Action, DocumentText, Edit
from http_status_ls.features.actions.quickfix import PointMaker, QuickFixes
from http_status_ls.features.diagnostics import Finding, findings
from http_status_ls.features.suppression import drop_suppressed

FIX_ALL = types.CodeActionKind.SourceFixAll
SAFE_RULES: tuple[str, ...] = (status_style.RULE, "deprecated-name", "unquoted-response-key")
"""The rules whose fix is always safe, in the order their fixes are taken (a numeric-style rewrite
covers a deprecated name in the same place)."""


@dataclass
class FixPlan:
    """The edits of one file and how many findings of each rule they fix."""

    edits: list[Edit] = field(default_factory=list)
    fixed: Counter[str] = field(default_factory=Counter)


def style_of(severity: Mapping[str, Any] | None) -> StatusStyle:
    """The ``statusStyle`` settings a severity table carries (``core.settings.SeverityTable``)."""
    return getattr(severity, "status_style", None) or DEFAULT_STYLE


def plan(
    analysis: Analysis,
    lines: Sequence[str],
    *,
    severity: Mapping[str, Any] | None,
    target: ProjectTarget = UNKNOWN_TARGET,
    keep: Callable[[Finding], bool] | None = None,
) -> FixPlan:
    """The safe fixes for what the file's diagnostics report under ``severity`` (suppressed ones
    left out, and those ``keep`` refuses, as ``check --select/--ignore`` do)."""
    text = "".join(lines)
    found = findings(analysis, severity=severity, target=target, text=text, lines=lines)
    found = [f for f in found if f.rule in SAFE_RULES and (keep is None or keep(f))]
    found = drop_suppressed(text, found, where=lambda f: (f.span.start_line, f.rule))
    return plan_for(analysis, lines, found, target=target, style=style_of(severity))


def plan_for(
    analysis: Analysis,
    lines: Sequence[str],
    found: Iterable[Finding],
    *,
    target: ProjectTarget = UNKNOWN_TARGET,
    style: StatusStyle = DEFAULT_STYLE,
) -> FixPlan:
    """The safe fixes of these findings, each taken whole or not at all: a fix whose edits would
    overlap one already taken waits for the next run."""
    text = DocumentText(lines)
    quick = QuickFixes(analysis, text, target)
    rewrites = status_style.StyleRewrites(analysis, text, target, style)
    ordered = sorted(found, key=lambda f: (SAFE_RULES.index(f.rule), f.span.start_line, f.span.start_col))
    result = FixPlan()
    taken: list[tuple[int, int, Edit]] = []
    for finding in ordered:
        occurrence = _occurrence(analysis, finding.span)
        if occurrence is None:
            continue
        edits = _edits(finding.rule, occurrence, quick, rewrites)
        if edits and _take(edits, taken, text):
            result.fixed[finding.rule] += 1
    taken.sort(key=lambda item: (item[0], item[1]))
    result.edits = [edit for _start, _end, edit in taken]
    return result


def _occurrence(analysis: Analysis, span: Span) -> Occurrence | None:
    occurrence = analysis.at(span.start_line, span.start_col)
    return occurrence if occurrence is not None and occurrence.span == span else None


def _edits(rule: str, occurrence: Occurrence, quick: QuickFixes, rewrites: status_style.StyleRewrites) -> list[Edit]:
    if rule == status_style.RULE:
        rewrite = rewrites.for_occurrence(occurrence)
        if rewrite is None:
            return []
        return [rewrite.edit, *(rewrites.import_edits if rewrite.needs_import else [])]
    actions = quick.rename(occurrence) if rule == "deprecated-name" else quick.quote_key(occurrence)
    return list(actions[0].edits) if actions else []


def _take(edits: list[Edit], taken: list[tuple[int, int, Edit]], text: DocumentText) -> bool:
    """Add the edits not already taken, unless one of them overlaps a taken one (then none)."""
    known = {edit for _start, _end, edit in taken}
    new: list[tuple[int, int, Edit]] = []
    for edit in edits:
        if edit in known:
            continue  # the same import, or the same rename of a bare name, asked for twice
        span = edit[0]
        start, end = text.offset(span.start_line, span.start_col), text.offset(span.end_line, span.end_col)
        if any(_overlap(start, end, s, e) for s, e, _edit in taken) or any(_overlap(start, end, s, e) for s, e, _ in new):
            return False
        new.append((start, end, edit))
    taken.extend(new)
    return True


def _overlap(start: int, end: int, other_start: int, other_end: int) -> bool:
    if start < other_end and other_start < end:
        return True
    # Two edits at one point where one inserts: their order would be the client's guess.
    return start == other_start and (start == end or other_start == other_end)


def apply(lines: Sequence[str], edits: Iterable[Edit]) -> str:
    """The text with non-overlapping edits (code points) applied."""
    text = DocumentText(lines)
    whole = text.joined
    placed = sorted(
        ((text.offset(s.start_line, s.start_col), text.offset(s.end_line, s.end_col), new) for s, new in edits),
        reverse=True,
    )
    for start, end, new in placed:
        whole = whole[:start] + new + whole[end:]
    return whole


# --- the LSP forms ---------------------------------------------------------------------------------


def fix_all_action(
    analysis: Analysis,
    lines: Sequence[str],
    *,
    severity: Mapping[str, Any] | None,
    target: ProjectTarget = UNKNOWN_TARGET,
    to_range: RangeMaker = span_range,
) -> types.CodeAction | None:
    """One ``source.fixAll`` action with every safe fix of the document; None when there is none."""
    fixes = plan(analysis, lines, severity=severity, target=target)
    if not fixes.edits:
        return None
    count = sum(fixes.fixed.values())
    edits = [types.TextEdit(range=to_range(span), new_text=new) for span, new in fixes.edits]
    return types.CodeAction(
        title=f"Fix all safe HTTP status problems ({count})",
        kind=FIX_ALL,
        edit=types.WorkspaceEdit(changes={analysis.uri: edits}),
    )


def style_quick_fixes(
    analysis: Analysis,
    lines: Sequence[str],
    diagnostics: Iterable[types.Diagnostic],
    to_point: PointMaker,
    *,
    target: ProjectTarget = UNKNOWN_TARGET,
    style: StatusStyle = DEFAULT_STYLE,
) -> list[Action]:
    """The quick fix of each ``status-style`` diagnostic the client sent."""
    wanted = [d for d in diagnostics if d.code == status_style.RULE]
    if not wanted:
        return []
    rewrites = status_style.StyleRewrites(analysis, DocumentText(lines), target, style)
    actions = []
    for diagnostic in wanted:
        span = Span(*to_point(diagnostic.range.start), *to_point(diagnostic.range.end))
        occurrence = _occurrence(analysis, span)
        rewrite = rewrites.for_occurrence(occurrence) if occurrence is not None else None
        if rewrite is None:
            continue  # from another version of the text
        edits = [rewrite.edit, *(rewrites.import_edits if rewrite.needs_import else [])]
        title = f"Write {rewrite.edit[1]} instead of {rewrite.written}"
        actions.append(Action(title, QUICKFIX, edits, diagnostic=diagnostic, preferred=True))
    return actions
