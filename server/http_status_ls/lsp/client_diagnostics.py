"""Findings as the diagnostics a client is sent: converted again only when they or their lines
changed, and without those a suppression comment silences, reading only the lines they start on.

A pull is answered with lsprotocol's ``Diagnostic`` objects, which pygls turns into JSON. A push is
sent as JSON made straight from the findings (:func:`finding_json`): building GitHub's 181 as
objects and then turning them into JSON cost about as much as judging the whole description."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from lsprotocol import types

from http_status_ls.core.occurrences import Span
from http_status_ls.features.diagnostics import SOURCE, Finding, to_diagnostic
from http_status_ls.features.suppression import MARKER, drop_suppressed

T = TypeVar("T")


def unsuppressed(lines: Sequence[str], items: list[types.Diagnostic]) -> list[types.Diagnostic]:
    """``items`` without those a suppression comment on their line silences (`features.suppression`).
    A comment silences only its own line, so only the lines the items start on are read: joining
    a 4 MB document to search it for the marker costs 5 to 8 ms a keystroke."""
    return _unsilenced(lines, items, lambda item: (item.range.start.line, item.code))


def unsuppressed_findings(lines: Sequence[str], found: list[Finding]) -> list[Finding]:
    """`unsuppressed` of findings, before they are made diagnostics (a finding's span starts where
    its diagnostic's range does, and its rule is the diagnostic's code)."""
    return _unsilenced(lines, found, lambda finding: (finding.span.start_line, finding.rule))


def _unsilenced(lines: Sequence[str], items: list[T], locate: Callable[[T], tuple[int, Any]]) -> list[T]:
    kept = []
    for item in items:
        row, code = locate(item)
        line = lines[row] if 0 <= row < len(lines) else ""
        # The line is read alone: it is line 0.
        if MARKER not in line or drop_suppressed(line, [(0, code)]):
            kept.append(item)
    return kept


def finding_json(finding: Finding, uri: str, to_units: Callable[[int, int], int]) -> dict[str, Any]:
    """The JSON pygls would send for ``to_diagnostic(finding, uri, ...)`` with the same positions
    (``to_units``: a line and a code-point column as the client's units), without the objects."""

    def range_json(span: Span) -> dict[str, Any]:
        return {
            "start": {"line": span.start_line, "character": to_units(span.start_line, span.start_col)},
            "end": {"line": span.end_line, "character": to_units(span.end_line, span.end_col)},
        }

    item: dict[str, Any] = {
        "range": range_json(finding.span),
        "message": finding.message,
        "severity": int(finding.severity),
        "code": finding.rule,
    }
    if finding.href:
        item["codeDescription"] = {"href": finding.href}
    item["source"] = SOURCE
    if finding.deprecated:
        item["tags"] = [int(types.DiagnosticTag.Deprecated)]
    if finding.related:
        item["relatedInformation"] = [
            {"location": {"uri": uri, "range": range_json(span)}, "message": text} for span, text in finding.related
        ]
    if finding.data:
        item["data"] = _plain(finding.data)
    return item


def _plain(value: Any) -> Any:
    """A finding's data as JSON values (lists for tuples, as the converter gives them)."""
    if isinstance(value, Mapping):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


class _Kept(Generic[T]):
    """Each finding's conversion, by the finding's ``id``, with the lines under its ranges."""

    def __init__(self) -> None:
        self.encoding: str | None = None
        self.by_finding: dict[int, tuple[Finding, tuple[tuple[int, str], ...] | None, T]] = {}

    def convert(self, found: list[Finding], lines: Sequence[str], encoding: str, make: Callable[[Finding], T]) -> list[T]:
        if encoding != self.encoding:
            self.encoding, self.by_finding = encoding, {}
        known, kept = self.by_finding, {}
        converted = []
        for finding in found:
            entry = known.get(id(finding))
            if entry is None or entry[0] is not finding or not _same_lines(entry[1], lines):
                entry = (finding, _lines_under(finding, lines), make(finding))
            kept[id(finding)] = entry
            converted.append(entry[2])
        self.by_finding = kept
        return converted


class Converted:
    """One document's findings as LSP diagnostics, kept from one version to the next.

    The response-set rules hand back the very same findings while the operations model stands
    (`features.openapi_checks`); GitHub's description has 181 of them, and converting them again on
    every keystroke cost 2 to 3 ms. A diagnostic is reused while its finding is the same object and
    every line its ranges lie on is the same object (so its client units cannot have moved)."""

    def __init__(self) -> None:
        self._objects: _Kept[types.Diagnostic] = _Kept()
        self._json: _Kept[dict[str, Any]] = _Kept()

    def convert(
        self, found: list[Finding], uri: str, lines: Sequence[str], to_range: Callable[..., types.Range], encoding: str
    ) -> list[types.Diagnostic]:
        return self._objects.convert(found, lines, encoding, lambda finding: to_diagnostic(finding, uri, to_range))

    def convert_json(
        self, found: list[Finding], uri: str, lines: Sequence[str], to_units: Callable[[int, int], int], encoding: str
    ) -> list[dict[str, Any]]:
        """`convert`, as the JSON of each diagnostic (`finding_json`), for a push."""
        return self._json.convert(found, lines, encoding, lambda finding: finding_json(finding, uri, to_units))


def _lines_under(finding: Finding, lines: Sequence[str]) -> tuple[tuple[int, str], ...] | None:
    """(row, line) of each row a range of ``finding`` lies on; None when one is past the end."""
    spans = (finding.span, *(span for span, _ in finding.related))
    rows = {row for span in spans for row in (span.start_line, span.end_line)}
    if any(row >= len(lines) for row in rows):
        return None
    return tuple((row, lines[row]) for row in rows)


def _same_lines(under: tuple[tuple[int, str], ...] | None, lines: Sequence[str]) -> bool:
    return under is not None and all(row < len(lines) and lines[row] is line for row, line in under)
