"""Findings as a client's diagnostics: suppressed ones dropped reading only their lines, and each
converted once while it and its lines stay the same."""

from __future__ import annotations

import json

import pytest
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Span
from http_status_ls.core.positions import ClientPositions
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import Finding, findings, to_diagnostic
from http_status_ls.features.suppression import drop_suppressed
from http_status_ls.kb.rules import Severity
from http_status_ls.lsp.client_diagnostics import Converted, finding_json, unsuppressed, unsuppressed_findings
from http_status_ls.lsp.documents import split_lines
from tests.support.paths import CORPUS, REPO

TEXT = (
    "paths: # not a suppression\n"
    "  '420': x # http-status: ignore\r\n"
    "  '499': x # http-status: ignore[unofficial-code]\r"
    "  '306': x # http-status: ignore[unofficial-code, other]\n"
    "  text: 'http-status: ignore' # only a string\n"
    "  '299': x # http-status: ignore[\n"
    "  last: x # http-status: ignore"
)


def _diagnostic(line: int, code: str | None) -> types.Diagnostic:
    position = types.Position(line=line, character=2)
    return types.Diagnostic(range=types.Range(start=position, end=position), message="m", code=code)


@pytest.mark.parametrize("code", ["unofficial-code", "reserved-code", None])
def test_the_lines_drop_what_the_whole_text_drops(code):
    items = [_diagnostic(line, code) for line in range(9)]  # two lines past the end as well
    kept = unsuppressed(split_lines(TEXT), items)
    assert kept == drop_suppressed(TEXT, items)
    assert len(kept) < len(items)
    assert _diagnostic(0, code) in kept and _diagnostic(1, code) not in kept


# --- conversion kept across versions --------------------------------------------------------------

UTF16 = PositionCodec(types.PositionEncodingKind.Utf16)
UTF8 = PositionCodec(types.PositionEncodingKind.Utf8)
URI = "file:///spec.yaml"


def _finding(line: int, related_line: int) -> Finding:
    return Finding(
        span=Span(line, 4, line, 9),
        rule="missing-response-header",
        severity=Severity.Warning,
        message="m",
        related=((Span(related_line, 0, related_line, 2), "here"),),
    )


def test_the_same_finding_on_the_same_lines_is_converted_once():
    lines = split_lines("a: 1\n  é: '201'\nb: 2\nc: 3\n")
    finding, other = _finding(1, 2), _finding(3, 3)
    converted = Converted()
    first = converted.convert([finding, other], URI, lines, ClientPositions(lines, UTF16).range, "utf-16")
    assert first == [to_diagnostic(f, URI, ClientPositions(lines, UTF16).range) for f in (finding, other)]
    again = converted.convert([finding, other], URI, lines, ClientPositions(lines, UTF16).range, "utf-16")
    assert again[0] is first[0] and again[1] is first[1]

    edited = list(lines)
    edited[2] = "b: 22\n"  # the line of the first finding's related span: converted again
    third = converted.convert([finding, other], URI, edited, ClientPositions(edited, UTF16).range, "utf-16")
    assert third[0] is not first[0] and third[0] == first[0]
    assert third[1] is first[1]

    in_utf8 = converted.convert([finding, other], URI, edited, ClientPositions(edited, UTF8).range, "utf-8")
    assert in_utf8[0] is not third[0] and in_utf8[0].range.start.character == 5  # é is two bytes


def test_an_equal_finding_that_is_another_object_is_converted_again():
    lines = split_lines("a: 1\nb: 2\n")
    converted = Converted()
    first = converted.convert([_finding(0, 1)], URI, lines, ClientPositions(lines, UTF16).range, "utf-16")
    second = converted.convert([_finding(0, 1)], URI, lines, ClientPositions(lines, UTF16).range, "utf-16")
    assert second == first and second[0] is not first[0]


# --- the JSON of a push -----------------------------------------------------------------------------


def _as_sent(value: object) -> object:
    return json.loads(json.dumps(value))


def _real_findings() -> list[tuple[str, list[str], list[Finding]]]:
    """(uri, lines, findings) of the example service's files and of GitHub's description: every
    rule the examples show, related spans, deprecation tags, data with lists, non-ASCII lines."""
    found = []
    paths = sorted(p for p in (REPO / "examples").rglob("*") if p.suffix in (".py", ".yaml", ".yml", ".json"))
    texts = [(path.as_uri(), path.read_text(encoding="utf-8")) for path in [*paths, CORPUS / "github.api.json"]]
    for uri, text in [*texts, ("file:///odd.yaml", ODD)]:
        analysis = analyse(uri, None, text, 1)
        lines = split_lines(text)
        found.append((uri, lines, findings(analysis, text=text, lines=lines)))
    return found


# Duplicated keys (related spans), deprecated and unofficial codes (tags), emoji before codes (units).
ODD = """\
openapi: 3.0.3
info: {title: "caf\u00e9 \u2615", version: '1'}
paths:
  /x:
    get:
      responses: {'200': {description: OK}, "\U0001f600": {}, '305': {description: Use Proxy}, '200': {description: OK}}
    head:
      responses:
        '420': {description: "\U0001f600 calm"}
        '201': {description: OK, content: {text/plain: {}}}
        '200': {description: OK}
"""


@pytest.mark.parametrize("codec", [UTF16, UTF8, PositionCodec(types.PositionEncodingKind.Utf32)], ids=str)
def test_the_json_of_a_finding_is_what_pygls_makes_of_its_diagnostic(codec):
    converter = default_converter()
    compared = 0
    rules: set[str] = set()
    shapes: set[str] = set()
    for uri, lines, found in _real_findings():
        positions = ClientPositions(lines, codec)
        for finding in found:
            expected = converter.unstructure(to_diagnostic(finding, uri, positions.range), types.Diagnostic)
            assert _as_sent(finding_json(finding, uri, positions.to_units)) == _as_sent(expected)
            compared += 1
            rules.add(finding.rule)
            shapes.update({"related"} if finding.related else set(), {"deprecated"} if finding.deprecated else set())
    # So the comparison is not of a few alike findings.
    assert compared > 190 and len(rules) >= 8 and shapes == {"related", "deprecated"}


def test_a_findings_json_is_made_once_while_it_and_its_lines_stand():
    lines = split_lines("a: 1\n  é: '201'\nb: 2\nc: 3\n")
    finding, other = _finding(1, 2), _finding(3, 3)
    converted = Converted()
    first = converted.convert_json([finding, other], URI, lines, ClientPositions(lines, UTF16).to_units, "utf-16")
    assert first[0]["range"]["start"] == {"line": 1, "character": 4}
    again = converted.convert_json([finding, other], URI, lines, ClientPositions(lines, UTF16).to_units, "utf-16")
    assert again[0] is first[0] and again[1] is first[1]
    edited = list(lines)
    edited[2] = "b: 22\n"  # the line of the first finding's related span: made again
    third = converted.convert_json([finding, other], URI, edited, ClientPositions(edited, UTF16).to_units, "utf-16")
    assert third[0] is not first[0] and third[0] == first[0] and third[1] is first[1]
    in_utf8 = converted.convert_json([finding, other], URI, edited, ClientPositions(edited, UTF8).to_units, "utf-8")
    assert in_utf8[0]["range"]["start"]["character"] == 5  # é is two bytes


@pytest.mark.parametrize("rule", ["unofficial-code", "reserved-code"])
def test_suppressed_findings_are_dropped_as_their_diagnostics_are(rule):
    lines = split_lines(TEXT)
    found = [Finding(span=Span(line, 2, line, 2), rule=rule, severity=Severity.Warning, message="m") for line in range(9)]
    kept = unsuppressed_findings(lines, found)
    assert [to_diagnostic(f, URI) for f in kept] == unsuppressed(lines, [to_diagnostic(f, URI) for f in found])
    assert 0 < len(kept) < len(found)
