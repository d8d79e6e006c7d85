"""Code actions and inlay hints through the real server.

Each action is requested the way editors do (the cursor's range plus the diagnostics the client
holds for it), applied by sending its edits back as incremental changes, and then the server's own
diagnostics for the new version must show the problem gone; the resulting text must parse.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
import pytest_lsp
import yaml
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from tests.support.fixture_texts import fixture_text

from .conftest import CLIENTS, REAL_SERVER
from .session import by_rule, diagnostics_of, new_uri, open_document, position_at, range_of, units, utf8

pytestmark = pytest.mark.asyncio(loop_scope="module")

QUICKFIX = types.CodeActionKind.QuickFix
REWRITE = types.CodeActionKind.RefactorRewrite


# --- helpers -------------------------------------------------------------------------------------


def _offset(text: str, position: types.Position, client: LanguageClient) -> int:
    """The string index of a position in the client's units."""
    lines = text.split("\n")
    if position.line >= len(lines):
        return len(text)
    start = sum(len(line) + 1 for line in lines[: position.line])
    line, i = lines[position.line], 0
    while i < len(line) and units(line[:i], client) < position.character:
        i += 1
    assert units(line[:i], client) == position.character, f"{position} splits a character"
    return start + i


def apply_text_edits(text: str, edits: list[types.TextEdit], client: LanguageClient) -> str:
    spans = sorted(
        ((_offset(text, e.range.start, client), _offset(text, e.range.end, client), e.new_text) for e in edits), reverse=True
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


async def actions_at(
    client: LanguageClient,
    uri: str,
    text: str,
    needle: str,
    *,
    occurrence: int = 0,
    version: int = 1,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    """Code actions with the cursor inside the ``occurrence``-th ``needle``, sent with the
    diagnostics of that line (as Neovim and VS Code do)."""
    cursor = position_at(text, needle, client, offset=1, occurrence=occurrence)
    on_line = [d for d in await diagnostics_of(client, uri, version) if d.range.start.line == cursor.line]
    result = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=cursor, end=cursor),
            context=types.CodeActionContext(diagnostics=on_line, only=only),
        )
    )
    return list(result or [])


def titled(actions: list[types.CodeAction], start: str) -> types.CodeAction:
    found = [a for a in actions if a.title.startswith(start)]
    assert found, f"no action titled {start!r} in {[a.title for a in actions]}"
    return found[0]


async def apply(client: LanguageClient, uri: str, text: str, action: types.CodeAction, version: int) -> str:
    """Apply ``action`` like an editor: its edits, bottom first, as incremental changes."""
    edits = action.edit.changes[uri]
    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(range=e.range, text=e.new_text) for e in ordered],
        )
    )
    return apply_text_edits(text, edits, client)


# --- Python --------------------------------------------------------------------------------------

PYTHON = """\
\"\"\"Views.\"\"\"

import os

from flask import abort
from starlette import status


def view(kind):
    label = "é🙂 日本"; abort(420)
    if kind == "missing":
        abort(404)
    return {}, status.HTTP_422_UNPROCESSABLE_ENTITY
"""


async def test_capabilities(client: LanguageClient):
    capabilities = client.initialize_result.capabilities  # type: ignore[attr-defined]
    assert set(capabilities.code_action_provider.code_action_kinds) == {QUICKFIX, REWRITE, types.CodeActionKind.SourceFixAll}
    assert capabilities.inlay_hint_provider is not None


def on_new_starlette(folder: Path) -> str:
    """A URI in a project whose environment has a starlette with the RFC 9110 names, where the old
    ones are deprecated (with no environment, only the names every starlette has are offered)."""
    packages = folder / ".venv" / "lib" / "python3.12" / "site-packages"
    (packages / "starlette-0.48.0.dist-info").mkdir(parents=True)
    (folder / ".venv" / "pyvenv.cfg").write_text("version = 3.12.4\n", encoding="utf-8")
    return from_fs_path(str(folder / "app.py"))


async def test_unofficial_code_quick_fix_after_non_ascii(client: LanguageClient, tmp_path: Path):
    uri = on_new_starlette(tmp_path)
    open_document(client, uri, "python", PYTHON)
    actions = await actions_at(client, uri, PYTHON, "420")
    fix = titled(actions, "Replace 420 with 429 Too Many Requests")
    assert fix.kind == QUICKFIX and fix.is_preferred
    assert [d.code for d in fix.diagnostics] == ["unofficial-code"]
    [edit] = fix.edit.changes[uri]
    assert edit.range == range_of(PYTHON, "420", client)  # utf-8 bytes for Neovim, utf-16 for VS Code
    assert titled(actions, "Replace 420 with 424").is_preferred is None
    text = await apply(client, uri, PYTHON, fix, version=2)
    ast.parse(text)
    assert 'label = "é🙂 日本"; abort(429)' in text
    rules = by_rule(await diagnostics_of(client, uri, version=2))
    assert "unofficial-code" not in rules and "deprecated-name" in rules


async def test_deprecated_name_renamed(client: LanguageClient, tmp_path: Path):
    uri = on_new_starlette(tmp_path)
    open_document(client, uri, "python", PYTHON)
    fix = titled(
        await actions_at(client, uri, PYTHON, "HTTP_422"),
        "Rename HTTP_422_UNPROCESSABLE_ENTITY to HTTP_422_UNPROCESSABLE_CONTENT",
    )
    text = await apply(client, uri, PYTHON, fix, version=2)
    assert "status.HTTP_422_UNPROCESSABLE_CONTENT" in text
    assert "deprecated-name" not in by_rule(await diagnostics_of(client, uri, version=2))


async def test_literal_to_constant_in_the_files_style_and_back(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    rewrite = titled(await actions_at(client, uri, PYTHON, "404"), "Replace 404 with status.HTTP_404_NOT_FOUND")
    assert rewrite.kind == QUICKFIX  # the file imports starlette's status already: no import needed
    text = await apply(client, uri, PYTHON, rewrite, version=2)
    ast.parse(text)
    assert "abort(status.HTTP_404_NOT_FOUND)" in text
    back = titled(await actions_at(client, uri, text, "HTTP_404", version=2), "Replace status.HTTP_404_NOT_FOUND with 404")
    assert back.kind == REWRITE
    text = await apply(client, uri, text, back, version=3)
    assert text == PYTHON


async def test_literal_to_constant_adds_the_import(client: LanguageClient):
    source = fixture_text("views_with_404_literal.py")
    uri = new_uri(".py")
    open_document(client, uri, "python", source)
    refactors = await actions_at(client, uri, source, "404", only=[types.CodeActionKind.Refactor])
    action = titled(refactors, "Replace 404 with HTTPStatus.NOT_FOUND (from http import HTTPStatus)")
    assert action.kind == REWRITE
    text = await apply(client, uri, source, action, version=2)
    assert text == fixture_text("views_with_httpstatus.py")
    assert await diagnostics_of(client, uri, version=2) == []
    # The server's copy took the same edits: the constant is found where the client has it.
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(text, "NOT_FOUND", client))
    )
    assert hover is not None and "404 Not Found" in hover.contents.value


async def test_only_quickfix_leaves_refactors_out(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", "from flask import abort\nabort(404)\n")
    assert await actions_at(client, uri, "from flask import abort\nabort(404)\n", "404", only=[QUICKFIX]) == []


# --- OpenAPI -------------------------------------------------------------------------------------

OPENAPI_YAML = fixture_text("pets_fixable.yaml")


@pytest.mark.parametrize(
    "needle, title, rule, expected",
    [
        ("200", "Quote the response key: '200'", "unquoted-response-key", "        '200':\n"),
        ("4xx", "Write the range as 4XX", "invalid-range-key", "        4XX:\n"),
        ("'420'", "Replace 420 with 429 Too Many Requests", "unofficial-code", "        '429':\n"),
        ("content", "Remove the body (content) from the 204 response", "body-not-allowed", "          description: gone\n"),
    ],
)
async def test_openapi_yaml_fixes(client: LanguageClient, needle: str, title: str, rule: str, expected: str):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML)
    assert rule in by_rule(await diagnostics_of(client, uri, 1))
    fix = titled(await actions_at(client, uri, OPENAPI_YAML, needle), title)
    assert fix.kind == QUICKFIX and fix.diagnostics[0].code == rule
    text = await apply(client, uri, OPENAPI_YAML, fix, version=2)
    yaml.safe_load(text)
    assert expected in text
    if rule == "body-not-allowed":
        assert text.endswith(
            "        '204':\n          description: gone\n          headers:\n            X-Rate: {schema: {type: integer}}\n"
        )
    assert rule not in by_rule(await diagnostics_of(client, uri, 2))


OPENAPI_JSON = """\
{
  "openapi": "3.1.0",
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "304": {
            "description": "same",
            "content": {"text/plain": {"schema": {"type": "string"}}}
          },
          "5xx": {"description": "server errors"}
        }
      }
    }
  }
}
"""


async def test_openapi_json_fixes(client: LanguageClient):
    uri = new_uri(".json")
    open_document(client, uri, "json", OPENAPI_JSON)
    body = titled(await actions_at(client, uri, OPENAPI_JSON, '"content"'), "Remove the body (content) from the 304 response")
    text = await apply(client, uri, OPENAPI_JSON, body, version=2)
    assert '"304": {\n            "description": "same"\n          },' in text
    json.loads(text)
    ranges = titled(await actions_at(client, uri, text, '"5xx"', version=2), "Write the range as 5XX")
    text = await apply(client, uri, text, ranges, version=3)
    assert json.loads(text)["paths"]["/pets"]["get"]["responses"]["5XX"] == {"description": "server errors"}
    assert await diagnostics_of(client, uri, 3) == []


# --- inlay hints ---------------------------------------------------------------------------------


async def _hints(client: LanguageClient, uri: str, start: types.Position, end: types.Position) -> list[types.InlayHint]:
    result = await client.text_document_inlay_hint_async(
        types.InlayHintParams(text_document=types.TextDocumentIdentifier(uri=uri), range=types.Range(start=start, end=end))
    )
    return list(result or [])


def _label(hint: types.InlayHint) -> str:
    return hint.label if isinstance(hint.label, str) else "".join(part.value for part in hint.label)


async def test_inlay_hints_in_python(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    end = types.Position(line=PYTHON.count("\n"), character=0)
    found = await _hints(client, uri, types.Position(0, 0), end)
    assert [(_label(h), h.position) for h in found] == [
        ("Enhance Your Calm (unofficial)", position_at(PYTHON, "420", client, offset=3)),
        ("Not Found", position_at(PYTHON, "404", client, offset=3)),
    ]  # nothing on status.HTTP_422_...: the name says it already
    assert all(h.padding_left for h in found)
    if utf8(client):
        assert found[0].position.character != PYTHON.split("\n")[9].index("420") + 3  # bytes, not code points
    line_404 = position_at(PYTHON, "404", client).line
    only = await _hints(client, uri, types.Position(line_404, 0), types.Position(line_404 + 1, 0))
    assert [_label(h) for h in only] == ["Not Found"]


async def test_inlay_hints_on_openapi_keys(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML)
    found = await _hints(client, uri, types.Position(0, 0), types.Position(OPENAPI_YAML.count("\n"), 0))
    assert [(_label(h), h.position) for h in found] == [
        ("OK", position_at(OPENAPI_YAML, "200:", client, offset=4)),
        ("Not Found", position_at(OPENAPI_YAML, '"404":', client, offset=6)),
        ("Enhance Your Calm (unofficial)", position_at(OPENAPI_YAML, "'420':", client, offset=6)),
        ("No Content", position_at(OPENAPI_YAML, "'204':", client, offset=6)),
    ]


# --- inlay hints switched off for one language ----------------------------------------------------


@pytest_lsp.fixture(
    params=CLIENTS,
    config=REAL_SERVER,
)
async def python_hints_off(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def refresh(client: LanguageClient, params: None) -> None:
        return None

    capabilities = client_capabilities(request.param)
    options = {"httpStatus": {"inlayHints": {"python": False}}}
    if capabilities.workspace is not None and capabilities.workspace.configuration:
        lsp_client.set_configuration(options["httpStatus"], section="httpStatus")
    result = await lsp_client.initialize_session(
        types.InitializeParams(capabilities=capabilities, initialization_options=options)
    )
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio(loop_scope="function")
async def test_inlay_hints_switched_off_for_python_only(python_hints_off: LanguageClient):
    client = python_hints_off
    py, yml = new_uri(".py"), new_uri(".yaml")
    open_document(client, py, "python", "abort(404)\n")
    open_document(client, yml, "yaml", OPENAPI_YAML)
    await diagnostics_of(client, py, 1)  # the settings are in once diagnostics are answered
    assert await _hints(client, py, types.Position(0, 0), types.Position(1, 0)) == []
    found = await _hints(client, yml, types.Position(0, 0), types.Position(OPENAPI_YAML.count("\n"), 0))
    assert [_label(h) for h in found] == ["OK", "Not Found", "Enhance Your Calm (unofficial)", "No Content"]
