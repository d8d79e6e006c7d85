"""`DiagnosticsPush._push` sends what pygls would send for ``textDocument/publishDiagnostics`` of the
same diagnostics, from their JSON (`client_diagnostics.finding_json`)."""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types

from http_status_ls.core.positions import ClientPositions
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import findings, to_diagnostic
from http_status_ls.lsp.client_diagnostics import finding_json
from http_status_ls.lsp.documents import split_lines
from http_status_ls.lsp.server import build_server


class _Capture:
    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.sent.append(data)

    def close(self) -> None:
        pass


def _body(frame: bytes) -> Any:
    return json.loads(frame.split(b"\r\n\r\n", 1)[1])


def _diagnostics() -> list[types.Diagnostic]:
    span = types.Range(start=types.Position(line=3, character=4), end=types.Position(line=3, character=9))
    return [
        types.Diagnostic(
            range=span,
            message="305 Use Proxy is deprecated: use 307 Temporary Redirect",
            severity=types.DiagnosticSeverity.Warning,
            code="deprecated-code",
            code_description=types.CodeDescription(href="https://www.rfc-editor.org/rfc/rfc9110#section-15.4.6"),
            source="http-status-ls",
            tags=[types.DiagnosticTag.Deprecated],
            data={"rule": "deprecated-code", "code": 305},
        ),
        types.Diagnostic(
            range=span,
            message="café ☕ is not a status",
            related_information=[
                types.DiagnosticRelatedInformation(
                    location=types.Location(uri="file:///a.yaml", range=span), message="first written here"
                )
            ],
        ),
    ]


def _pygls_body(server: Any, uri: str, items: list[types.Diagnostic], version: int | None) -> Any:
    notification = types.PublishDiagnosticsNotification(
        method=types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS,
        params=types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=version),
        jsonrpc="2.0",
    )
    return json.loads(json.dumps(notification, default=server.protocol._serialize_message))  # noqa: SLF001


def test_the_push_is_what_pygls_would_send() -> None:
    server = build_server()
    capture = _Capture()
    server.protocol.set_writer(capture)
    items = _diagnostics()
    as_json = [server.protocol._converter.unstructure(item, types.Diagnostic) for item in items]  # noqa: SLF001
    for version in (7, None):
        capture.sent.clear()
        server._push("file:///a.yaml", as_json, version)  # noqa: SLF001
        assert [_body(frame) for frame in capture.sent] == [_pygls_body(server, "file:///a.yaml", items, version)]


def test_a_push_from_findings_is_what_pygls_would_send_of_their_diagnostics() -> None:
    text = "openapi: 3.0.3\npaths:\n  /caf\u00e9:\n    get: {responses: {'\U0001f600': {}, '305': {description: Use Proxy}}}\n"
    lines = split_lines(text)
    found = findings(analyse("file:///a.yaml", None, text, 1), text=text, lines=lines)
    assert {finding.rule for finding in found} >= {"deprecated-code"}
    positions = ClientPositions(lines, "utf-16")
    server = build_server()
    capture = _Capture()
    server.protocol.set_writer(capture)
    server._push("file:///a.yaml", [finding_json(f, "file:///a.yaml", positions.to_units) for f in found], 3)  # noqa: SLF001
    expected = [to_diagnostic(f, "file:///a.yaml", positions.range) for f in found]
    assert [_body(frame) for frame in capture.sent] == [_pygls_body(server, "file:///a.yaml", expected, 3)]
