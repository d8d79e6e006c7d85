"""Completion through the real server: names after a namespace, codes, OpenAPI response keys."""

from __future__ import annotations

from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import CLIENTS, REAL_SERVER
from .session import new_uri, open_document, position_at, units

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _complete(client: LanguageClient, uri: str, position: types.Position) -> types.CompletionList:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    assert isinstance(result, types.CompletionList)
    return result


async def _documentation(client: LanguageClient, item: types.CompletionItem) -> str:
    if item.documentation is None:  # the client resolves documentation lazily (VS Code)
        item = await client.completion_item_resolve_async(item)
    assert isinstance(item.documentation, types.MarkupContent)
    return item.documentation.value


def _end_of(text: str, client: LanguageClient) -> types.Position:
    lines = text.split("\n")
    return types.Position(line=len(lines) - 1, character=units(lines[-1], client))


async def test_names_after_httpstatus(client: LanguageClient):
    text = "from http import HTTPStatus as S\n\n\ndef view():\n    abort(S."
    uri = new_uri(".py")
    open_document(client, uri, "python", text)
    result = await _complete(client, uri, _end_of(text, client))
    by_label = {item.label: item for item in result.items}
    item = by_label["NOT_FOUND"]
    assert item.detail == "404 Not Found"
    assert "404" in item.filter_text and "NOT_FOUND" in item.filter_text
    assert item.text_edit.new_text == "NOT_FOUND"
    assert item.text_edit.range.start == item.text_edit.range.end == _end_of(text, client)
    assert "404 Not Found" in await _documentation(client, item)
    assert len(by_label) >= 60


async def test_starlette_names_without_a_known_starlette(client: LanguageClient):
    """No environment in the project (these documents are in no folder) and none with starlette in
    the server's: only the names every starlette has, and none of them called deprecated."""
    text = "from starlette import status\n\nstatus.HTTP_4"
    uri = new_uri(".py")
    open_document(client, uri, "python", text)
    result = await _complete(client, uri, _end_of(text, client))
    old = next(item for item in result.items if item.label == "HTTP_422_UNPROCESSABLE_ENTITY")
    assert not {item.label for item in result.items} & {"HTTP_422_UNPROCESSABLE_CONTENT", "HTTP_413_CONTENT_TOO_LARGE"}
    assert not old.tags and "deprecated" not in old.detail
    # The typed prefix is what the edit replaces.
    start = old.text_edit.range.start
    assert start.character == units("status.", client)


async def test_completion_sees_the_version_being_typed(client: LanguageClient):
    uri = new_uri(".py")
    text = "from http import HTTPStatus\n\n"
    open_document(client, uri, "python", text)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=2, character=0), end=types.Position(line=2, character=0)),
                    text="x = HTTPStatus.",
                )
            ],
        )
    )
    # No pause: the request right after the edit must see it.
    result = await _complete(client, uri, types.Position(line=2, character=len("x = HTTPStatus.")))
    assert "NOT_FOUND" in {item.label for item in result.items}


async def test_status_codes_in_abort(client: LanguageClient):
    text = "from flask import abort\nabort(4"
    uri = new_uri(".py")
    open_document(client, uri, "python", text)
    result = await _complete(client, uri, _end_of(text, client))
    labels = [item.label for item in sorted(result.items, key=lambda i: i.sort_text)]
    assert labels[:4] == ["400", "401", "403", "404"]
    assert all(label.startswith("4") for label in labels)
    assert next(i for i in result.items if i.label == "404").detail == "404 Not Found"
    # Not after an unrelated keyword.
    other = "import requests\nrequests.get(url, timeout=3"
    uri2 = new_uri(".py")
    open_document(client, uri2, "python", other)
    assert (
        await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri2), position=_end_of(other, client))
        )
        is None
    )


OPENAPI_YAML = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
        '4"""


async def test_yaml_responses_offers_missing_codes(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML)
    result = await _complete(client, uri, _end_of(OPENAPI_YAML, client))
    ordered = sorted(result.items, key=lambda i: i.sort_text)
    labels = [item.label for item in ordered]
    assert "'200':" not in labels
    assert labels[:3] == ["'201':", "'202':", "'204':"]
    assert "'default':" in labels and "'4XX':" in labels
    item = next(i for i in ordered if i.label == "'404':")
    edit = item.text_edit
    assert edit.range.start == types.Position(line=8, character=8)
    assert edit.range.end == _end_of(OPENAPI_YAML, client)
    assert item.insert_text_format == types.InsertTextFormat.Snippet
    # Snippet engines indent every line after the first like the key's line: relative indentation,
    # marked adjustIndentation for VS Code (test_completion_openapi_e2e.py has each client).
    assert edit.new_text == "'404':\n  description: ${1:Not Found}$0"
    assert item.filter_text.startswith("'404")
    assert "404 Not Found" in await _documentation(client, item)


OPENAPI_JSON = """\
{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "200": {"description": "ok"}
          
        }
      }
    }
  }
}
"""


async def test_json_responses_inserts_key_and_comma(client: LanguageClient):
    uri = new_uri(".json")
    open_document(client, uri, "json", OPENAPI_JSON)
    position = types.Position(line=8, character=10)
    result = await _complete(client, uri, position)
    labels = {item.label for item in result.items}
    assert '"200":' not in labels and '"201":' in labels and '"default":' in labels
    assert '"4XX":' not in labels, "Swagger 2.0 has no ranges"
    item = next(i for i in result.items if i.label == '"201":')
    assert item.text_edit.new_text == '"201": {\n  "description": "${1:Created}"\n}$0'
    # The previous entry needs a comma after its closing brace.
    (comma,) = item.additional_text_edits
    assert comma.new_text == ","
    assert comma.range.start == position_at(OPENAPI_JSON, '"ok"}', client, offset=len('"ok"}'))


# --- names per the project's target: requires-python, the installed starlette ------------------------


@pytest_lsp.fixture(config=REAL_SERVER, params=CLIENTS)
async def rooted(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    """A server not yet initialised; :func:`_start` gives it a workspace folder."""
    lsp_client.client_name = request.param  # type: ignore[attr-defined]

    # Neovim advertises inlayHint refresh, which a settings change sends; pytest-lsp has no handler.
    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(client: LanguageClient, params: None) -> None:
        pass

    yield
    await lsp_client.shutdown_session()


async def _start(client: LanguageClient, root: Path) -> None:
    folder = types.WorkspaceFolder(uri=from_fs_path(str(root)), name=root.name)
    result = await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(client.client_name),  # type: ignore[attr-defined]
            root_uri=from_fs_path(str(root)),
            workspace_folders=[folder],
        )
    )
    client.initialize_result = result  # type: ignore[attr-defined]


def _pyproject(root: Path, requires: str) -> Path:
    path = root / "pyproject.toml"
    path.write_text(f'[project]\nname = "pets"\nrequires-python = "{requires}"\n', encoding="utf-8")
    return path


async def _labels(client: LanguageClient, uri: str, text: str) -> list[str]:
    result = await _complete(client, uri, _end_of(text, client))
    return [item.label for item in sorted(result.items, key=lambda i: i.sort_text)]


@pytest.mark.asyncio(loop_scope="function")
async def test_httpstatus_names_follow_requires_python(rooted: LanguageClient, tmp_path: Path):
    pyproject = _pyproject(tmp_path, ">=3.10")
    await _start(rooted, tmp_path)
    text = "from flask import abort\nfrom http import HTTPStatus\n\n\ndef view():\n    abort(HTTPStatus.UNPRO"
    uri = from_fs_path(str(tmp_path / "app" / "views.py"))
    open_document(rooted, uri, "python", text)
    labels = await _labels(rooted, uri, text)
    assert "UNPROCESSABLE_ENTITY" in labels and "UNPROCESSABLE_CONTENT" not in labels
    assert "REQUEST_ENTITY_TOO_LARGE" in labels and "CONTENT_TOO_LARGE" not in labels

    # The project moves to 3.13: saved, and the client says so (or the server sees it itself).
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(">=3.10", ">=3.13"), encoding="utf-8")
    event = types.FileEvent(uri=from_fs_path(str(pyproject)), type=types.FileChangeType.Changed)
    rooted.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))
    for _ in range(200):
        labels = await _labels(rooted, uri, text)
        if "UNPROCESSABLE_CONTENT" in labels:
            break
    assert labels.index("UNPROCESSABLE_CONTENT") < labels.index("UNPROCESSABLE_ENTITY")


@pytest.mark.asyncio(loop_scope="function")
async def test_the_python_version_setting_wins(rooted: LanguageClient, tmp_path: Path):
    _pyproject(tmp_path, ">=3.13")
    await _start(rooted, tmp_path)
    rooted.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"httpStatus": {"pythonVersion": "3.12"}})
    )
    text = "from http import HTTPStatus\nHTTPStatus.URI"
    uri = from_fs_path(str(tmp_path / "app.py"))
    open_document(rooted, uri, "python", text)
    for _ in range(200):
        labels = await _labels(rooted, uri, text)
        if "URI_TOO_LONG" not in labels:
            break
    assert "REQUEST_URI_TOO_LONG" in labels and "URI_TOO_LONG" not in labels


def _environment(root: Path, starlette: str) -> None:
    """A project environment as ``uv venv`` / ``python -m venv`` leave it, with starlette installed."""
    (root / ".venv").mkdir()
    (root / ".venv" / "pyvenv.cfg").write_text("version = 3.12.4\n", encoding="utf-8")
    (root / ".venv" / "lib" / "python3.12" / "site-packages" / f"starlette-{starlette}.dist-info").mkdir(parents=True)


@pytest.mark.asyncio(loop_scope="function")
@pytest.mark.parametrize("starlette, renamed", [("0.47.3", False), ("0.48.0", True)])
async def test_starlette_names_follow_the_installed_starlette(
    rooted: LanguageClient, tmp_path: Path, starlette: str, renamed: bool
):
    _pyproject(tmp_path, ">=3.10")
    _environment(tmp_path, starlette)
    await _start(rooted, tmp_path)
    text = "from fastapi import HTTPException, status\n\n\ndef view():\n    raise HTTPException(status.HTTP_4"
    uri = from_fs_path(str(tmp_path / "app" / "api.py"))
    open_document(rooted, uri, "python", text)
    result = await _complete(rooted, uri, _end_of(text, rooted))
    by_label = {item.label: item for item in result.items}
    old = by_label["HTTP_422_UNPROCESSABLE_ENTITY"]
    assert ("HTTP_422_UNPROCESSABLE_CONTENT" in by_label) is renamed
    assert bool(old.tags) is renamed
    if renamed:  # deprecated there: after every current name
        assert max(i.sort_text for i in result.items if not i.tags) < old.sort_text

    # The rewrite of a literal writes the name the project's starlette has.
    literal = text.replace("status.HTTP_4", "422)")
    other = from_fs_path(str(tmp_path / "app" / "other.py"))
    open_document(rooted, other, "python", literal)
    start = types.Position(line=4, character=len("    raise HTTPException("))
    actions = await rooted.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=other),
            range=types.Range(start=start, end=start),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [action.title for action in actions or [] if isinstance(action, types.CodeAction)]
    expected = "HTTP_422_UNPROCESSABLE_CONTENT" if renamed else "HTTP_422_UNPROCESSABLE_ENTITY"
    assert f"Replace 422 with status.{expected}" in titles
