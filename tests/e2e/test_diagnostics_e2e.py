"""Diagnostics through the real server: rules, ranges, severities, pull versus push, versions."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient

from .session import by_rule, diagnostics_of, new_uri, open_document, pulls, pushed, range_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

PYTHON = """\
from flask import abort
from starlette import status


def view(kind):
    if kind == "proxy":
        abort(305)
    if kind == "calm":
        return "slow down", 420
    if kind == "warn":
        return "ok", 299
    if kind == "huge":
        abort(600)
    return {"detail": "bad"}, status.HTTP_422_UNPROCESSABLE_ENTITY
"""

OPENAPI_YAML = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        200:
          description: ok
        '404':
          description: missing
        '404':
          description: missing again
    delete:
      responses:
        '204':
          description: gone
          content:
            application/json: {}
"""


async def test_python_diagnostics(client: LanguageClient, tmp_path: Path):
    # A project that requires a starlette with the RFC 9110 names: there the old one is deprecated.
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["starlette>=0.48"]\n', encoding="utf-8")
    uri = from_fs_path(str(tmp_path / "app.py"))
    open_document(client, uri, "python", PYTHON, version=7)
    found = by_rule(await diagnostics_of(client, uri, version=7))

    deprecated = found["deprecated-code"][0]
    assert deprecated.range == range_of(PYTHON, "305", client)
    assert deprecated.severity == types.DiagnosticSeverity.Warning
    assert deprecated.source == "http-status-ls"
    assert deprecated.message == "305 Use Proxy is deprecated: use 307 Temporary Redirect"
    assert deprecated.code_description.href.startswith("https://www.rfc-editor.org/rfc/rfc9110")
    assert list(deprecated.tags) == [types.DiagnosticTag.Deprecated]

    unofficial = found["unofficial-code"][0]
    assert unofficial.range == range_of(PYTHON, "420", client)
    assert unofficial.severity == types.DiagnosticSeverity.Warning
    assert unofficial.message == "420 is unofficial (Twitter and others): use 429 Too Many Requests or 424 Failed Dependency"

    warn_code = found["not-a-status-code"][0]
    assert warn_code.range == range_of(PYTHON, "299", client)
    assert warn_code.severity == types.DiagnosticSeverity.Warning
    assert warn_code.message == "299 is a Warning header warn-code, not a status code: use a registered 2xx code"

    invalid = found["invalid-code"][0]
    assert invalid.range == range_of(PYTHON, "600", client)
    assert invalid.severity == types.DiagnosticSeverity.Error

    name = found["deprecated-name"][0]
    assert name.range == range_of(PYTHON, "HTTP_422_UNPROCESSABLE_ENTITY", client)
    assert name.severity == types.DiagnosticSeverity.Warning
    assert name.message == "HTTP_422_UNPROCESSABLE_ENTITY is deprecated: use HTTP_422_UNPROCESSABLE_CONTENT"
    # One short line each, as the client shows it (issue 10: "short messages").
    assert all(len(d.message) <= 100 and "\n" not in d.message for ds in found.values() for d in ds)


async def test_openapi_yaml_diagnostics(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML, version=3)
    found = by_rule(await diagnostics_of(client, uri, version=3))

    unquoted = found["unquoted-response-key"][0]
    assert unquoted.range == range_of(OPENAPI_YAML, "200", client)
    assert unquoted.severity == types.DiagnosticSeverity.Warning

    duplicate = found["duplicate-response-key"]
    assert len(duplicate) == 1
    assert duplicate[0].range == range_of(OPENAPI_YAML, "'404'", client, occurrence=1)
    assert duplicate[0].severity == types.DiagnosticSeverity.Error
    assert duplicate[0].related_information[0].location.range == range_of(OPENAPI_YAML, "'404'", client)

    body = found["body-not-allowed"][0]
    assert body.range == range_of(OPENAPI_YAML, "content", client)
    assert body.message == "204 No Content has no body: remove `content`"
    assert body.code_description.href.endswith("#responses-object")


async def test_swagger2_accepts_unquoted_keys(client: LanguageClient):
    text = OPENAPI_YAML.replace("openapi: 3.0.3", "swagger: '2.0'")
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", text, version=1)
    rules = by_rule(await diagnostics_of(client, uri, version=1))
    assert "unquoted-response-key" not in rules
    assert "duplicate-response-key" in rules


async def test_pull_or_push_never_both(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", "abort(305)\n", version=1)
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        assert [d.code for d in report.items] == ["deprecated-code"]
        again = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(
                text_document=types.TextDocumentIdentifier(uri=uri), previous_result_id=report.result_id
            )
        )
        assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
        await asyncio.sleep(0.3)  # longer than the debounce: a push would have arrived by now
        assert uri not in client.published  # type: ignore[attr-defined]
    else:
        params = await pushed(client, uri, 1)
        assert [d.code for d in params.diagnostics] == ["deprecated-code"]


async def test_published_version_follows_edits(client: LanguageClient):
    uri = new_uri(".py")
    text = "abort(305)\n"
    open_document(client, uri, "python", text, version=1)
    # A burst of edits: 305 -> 306 -> 420; only the last one's diagnostics matter.
    for version, code in ((2, "306"), (3, "420")):
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangePartial(
                        range=types.Range(start=types.Position(line=0, character=6), end=types.Position(line=0, character=9)),
                        text=code,
                    )
                ],
            )
        )
    final = await diagnostics_of(client, uri, version=3)
    assert [d.code for d in final] == ["unofficial-code"]
    assert "420" in final[0].message
    if not pulls(client):
        versions = [p.version for p in client.published[uri]]  # type: ignore[attr-defined]
        assert versions == sorted(versions), "an older version was published after a newer one"
        assert versions[-1] == 3


async def test_close_clears_pushed_diagnostics(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", "abort(420)\n", version=1)
    assert len(await diagnostics_of(client, uri, version=1)) == 1
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri)))
    if not pulls(client):
        for _ in range(100):
            if not client.published[uri][-1].diagnostics:  # type: ignore[attr-defined]
                break
            await asyncio.sleep(0.01)
        assert len(client.published[uri][-1].diagnostics) == 0  # type: ignore[attr-defined]
