"""`DiagnosticsPush._push` sends what pygls would send for ``textDocument/publishDiagnostics``,
turning each diagnostic into JSON data once while the session hands back the same object."""

from __future__ import annotations

import json
from typing import Any

from lsprotocol import types

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
    for version in (7, None):
        capture.sent.clear()
        server._push("file:///a.yaml", items, version)  # noqa: SLF001
        assert [_body(frame) for frame in capture.sent] == [_pygls_body(server, "file:///a.yaml", items, version)]


def test_a_diagnostic_is_turned_into_json_once_while_it_is_the_same_object() -> None:
    server = build_server()
    server.protocol.set_writer(_Capture())
    calls: list[object] = []
    converter = server.protocol._converter  # noqa: SLF001

    class Counting:
        def unstructure(self, value: object, *args: object) -> object:
            calls.append(value)
            return converter.unstructure(value, *args)

    server.protocol._converter = Counting()  # noqa: SLF001
    first, second = _diagnostics()
    server._push("file:///a.yaml", [first, second], 1)  # noqa: SLF001
    server._push("file:///a.yaml", [first], 2)  # noqa: SLF001
    replacement = _diagnostics()[1]
    server._push("file:///a.yaml", [first, replacement], 3)  # noqa: SLF001
    assert calls == [first, second, replacement]
    server.forget("file:///a.yaml")
    server._push("file:///a.yaml", [first], 4)  # noqa: SLF001
    assert calls[-1] is first
