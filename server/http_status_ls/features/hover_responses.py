"""Hover on an operation's ``responses`` key: what the operation declares and what the active
profile expects that it lacks (the card is :mod:`render_operation`'s).

What is missing is read off the findings of the response-set rules the session already judged for
this version (with the user's profile and overrides, suppressions dropped), so the card and the
problems list never disagree and nothing is judged twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, ResponsesBlock, Span
from http_status_ls.core.positions import RangeMaker, span_range
from http_status_ls.features.render_operation import OperationSummary, operation_card, operation_label, strip_label

Judged = tuple[Span, str, str]
"""One finding as the hover reads it: its span (code points), rule id and message."""

EXPECTATION_RULES = frozenset({"missing-success-response", "missing-error-response", "missing-response-header"})
"""The rules whose findings say what the profile expects and the operation lacks."""


def judged(diagnostics: Iterable[types.Diagnostic], to_point: Callable[[types.Position], tuple[int, int]]) -> list[Judged]:
    """The session's diagnostics as the hover reads them, their ranges back in code points."""
    return [
        (Span(*to_point(d.range.start), *to_point(d.range.end)), d.code, d.message)
        for d in diagnostics
        if isinstance(d.code, str) and d.code in EXPECTATION_RULES
    ]


def responses_key_at(analysis: Analysis, line: int, col: int, lines: Sequence[str] | None) -> tuple[ResponsesBlock, Span] | None:
    """The ``responses`` object whose key is under the cursor, and the key's span."""
    if analysis.openapi is None:
        return None
    if lines is not None and (line >= len(lines) or "responses" not in lines[line]):
        return None  # most hovers: no need to look through every responses object
    for block in _blocks_on(analysis, line):
        start = block.span
        if col < start.start_col:
            continue
        key = Span(start.start_line, start.start_col, start.start_line, start.start_col + _key_length(analysis, start, lines))
        if key.contains(line, col):
            return block, key
    return None


_by_line: list[tuple[Analysis, dict[int, list[ResponsesBlock]]]] = []
"""The responses objects of the last analysis hovered, by the line of their key."""


def _blocks_on(analysis: Analysis, line: int) -> list[ResponsesBlock]:
    if not _by_line or _by_line[0][0] is not analysis:
        index: dict[int, list[ResponsesBlock]] = {}
        for block in analysis.detection.responses:
            index.setdefault(block.span.start_line, []).append(block)
        _by_line[:] = [(analysis, index)]
    return _by_line[0][1].get(line, [])


def _key_length(analysis: Analysis, start: Span, lines: Sequence[str] | None) -> int:
    """How long the ``responses`` key is as written: quoted in JSON, usually bare in YAML."""
    if lines is not None and start.start_line < len(lines):
        written = lines[start.start_line][start.start_col :]
        if written[:1] in ("'", '"'):
            return len("responses") + 2
        return len("responses")
    return len("responses") + (2 if analysis.language == "json" else 0)


def responses_hover(
    analysis: Analysis,
    line: int,
    col: int,
    *,
    markdown: bool = True,
    to_range: RangeMaker = span_range,
    lines: Sequence[str] | None = None,
    findings: Callable[[], Iterable[Judged]] | None = None,
    profile: str | None = None,
) -> types.Hover | None:
    """The card of the operation whose ``responses`` key is at (line, col), or None. ``findings``
    gives the findings judged for this version (None: the card says nothing about expectations);
    ``lines`` the text, which tells how the key is written."""
    found = responses_key_at(analysis, line, col, lines)
    if found is None:
        return None
    block, key = found
    label = operation_label(block.pointer)
    missing: list[str] | None = None
    if findings is not None:
        region = block.span  # the rules mark the `responses` key or one of its responses
        missing = [
            strip_label(message, label)
            for span, rule, message in findings()
            if rule in EXPECTATION_RULES and _inside((span.start_line, span.start_col), region)
        ]
    keys = [k.value if k.value is not None else k.text.strip("'\"") for k in block.keys]
    text = operation_card(OperationSummary(label=label, keys=keys, missing=missing, profile=profile), markdown=markdown)
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=to_range(key))


def _inside(point: tuple[int, int], region: Span) -> bool:
    return (region.start_line, region.start_col) <= point <= (region.end_line, region.end_col)
