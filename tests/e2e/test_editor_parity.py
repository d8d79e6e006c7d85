"""The same verdicts in every client, through the real server: a ``languageId`` that contradicts the
file name (Eglot's one id per server), and a settings change (``didChangeConfiguration``, or an
edited ``pyproject.toml``) reaching every open document without an edit, whether the client is
pushed to (and watches files or not), pulls and can be told to pull again, or pulls but cannot be
told (Neovim 0.11: then it is pushed to).

Each test starts its own server with the capabilities of one client as pytest-lsp records them,
changed where the test says so.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import REAL_SERVER
from .session import new_uri, open_document

APP = "from flask import abort\n\n\ndef calm():\n    abort(420)\n"
OPENAPI = (
    "openapi: 3.0.3\n"
    "info: {title: pets, version: '1'}\n"
    "paths:\n"
    "  /pets:\n"
    "    get:\n"
    "      responses:\n"
    "        '305':\n"
    "          description: use the proxy\n"
)
RULE_OFF = '[project]\nname = "pets"\n\n[tool.http-status-ls.rules]\nunofficial-code = "off"\n'


@pytest_lsp.fixture(config=REAL_SERVER)
async def fresh(lsp_client: LanguageClient):
    """A server not yet initialised; the test calls :func:`start`. The client (see conftest) keeps
    what is pushed and the registrations the server asks for."""

    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(client: LanguageClient, params: None) -> None:
        pass

    yield
    await lsp_client.shutdown_session()


async def start(
    client: LanguageClient,
    name: str,
    *,
    root: Path | None = None,
    tweak: Callable[[types.ClientCapabilities], None] | None = None,
) -> types.InitializeResult:
    capabilities = client_capabilities(name)
    if tweak is not None:
        tweak(capabilities)
    folders = [types.WorkspaceFolder(uri=from_fs_path(str(root)), name=root.name)] if root else None
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities, root_uri=from_fs_path(str(root)) if root else None, workspace_folders=folders
        )
    )


async def until(condition: Callable[[], Any], what: str, timeout: float = 10.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)
    return value


def pushes(client: LanguageClient, uri: str) -> list[types.PublishDiagnosticsParams]:
    return client.published.get(uri, [])  # type: ignore[attr-defined]


async def next_push(client: LanguageClient, uri: str, after: int) -> list[str]:
    """The rules of the first push for ``uri`` after the ``after`` already seen."""
    await until(lambda: len(pushes(client, uri)) > after, f"push {after + 1} for {uri}")
    return [str(d.code) for d in pushes(client, uri)[after].diagnostics]


async def pulled(client: LanguageClient, uri: str) -> list[str]:
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    return [str(d.code) for d in report.items]


def watched_file_changed(client: LanguageClient, path: Path) -> None:
    event = types.FileEvent(uri=from_fs_path(str(path)), type=types.FileChangeType.Changed)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=[event]))


def refreshable(capabilities: types.ClientCapabilities) -> None:
    assert capabilities.workspace is not None
    capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(refresh_support=True)


def not_watching(capabilities: types.ClientCapabilities) -> None:
    assert capabilities.workspace is not None
    capabilities.workspace.did_change_watched_files = None


# --- languageId against the file name -------------------------------------------------------------


@pytest.mark.parametrize("first", ["python", "yaml"])
async def test_one_language_id_for_every_buffer_as_eglot_sends_it(fresh: LanguageClient, first: str):
    """Eglot sends the id of the buffer that started the server for every buffer: each file is
    still read as what its name says, and the log says so once per (id, extension)."""
    await start(fresh, "emacs")
    python_uri, yaml_uri = new_uri(".py"), new_uri(".yaml")
    opened = [(python_uri, APP), (yaml_uri, OPENAPI)]
    for uri, text in opened if first == "python" else opened[::-1]:
        open_document(fresh, uri, first, text)
    assert await next_push(fresh, python_uri, 0) == ["unofficial-code"]
    assert await next_push(fresh, yaml_uri, 0) == ["deprecated-code"]

    # More documents with the same contradiction, and an edit: still one line in the log.
    again = new_uri(".yaml" if first == "python" else ".py")
    open_document(fresh, again, first, OPENAPI if first == "python" else APP)
    await next_push(fresh, again, 0)
    fresh.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=again, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=OPENAPI if first == "python" else APP)],
        )
    )
    await next_push(fresh, again, 1)
    notes = [m for m in fresh.log_messages if "languageId" in m.message]
    assert len(notes) == 1, [m.message for m in notes]
    other = "yaml" if first == "python" else "python"
    assert f"'{first}'" in notes[0].message and f"files are {other}" in notes[0].message
    assert notes[0].type == types.MessageType.Info


async def test_an_unknown_extension_keeps_the_language_id(fresh: LanguageClient):
    await start(fresh, "visual-studio-code")
    uri = new_uri(".spec")
    open_document(fresh, uri, "openapi-yaml", OPENAPI)
    assert await next_push(fresh, uri, 0) == ["deprecated-code"]
    assert not [m for m in fresh.log_messages if "languageId" in m.message]


# --- a settings change reaches every open document -------------------------------------------------


@pytest.mark.parametrize("name", ["visual-studio-code", "emacs"])
async def test_pushed_client_that_watches_files(fresh: LanguageClient, tmp_path: Path, name: str):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "pets"\n', encoding="utf-8")
    result = await start(fresh, name, root=tmp_path)
    assert result.capabilities.diagnostic_provider is None
    python_uri, yaml_uri = from_fs_path(str(tmp_path / "app.py")), from_fs_path(str(tmp_path / "openapi.yaml"))
    open_document(fresh, python_uri, "python", APP)
    # With a success response beside the 420, so that unofficial-code is its only finding.
    open_document(
        fresh, yaml_uri, "yaml", OPENAPI.replace("'305'", "'420'") + "        '200':\n          description: the pets\n"
    )
    assert await next_push(fresh, python_uri, 0) == ["unofficial-code"]
    assert await next_push(fresh, yaml_uri, 0) == ["unofficial-code"]

    [registration] = await until(lambda: fresh.registrations, "client/registerCapability")  # type: ignore[attr-defined]
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    assert registration.register_options == {
        "watchers": [{"globPattern": "**/pyproject.toml"}, {"globPattern": "**/*.{py,yaml,yml,json}"}]
    }

    pyproject.write_text(RULE_OFF, encoding="utf-8")
    watched_file_changed(fresh, pyproject)
    # Both documents, neither edited: the same version, the new verdict.
    assert await next_push(fresh, python_uri, 1) == []
    assert await next_push(fresh, yaml_uri, 1) == []
    assert pushes(fresh, python_uri)[-1].version == 1

    # And a live settings change the same way.
    fresh.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"httpStatus": {"rules": {"unofficial-code": "error"}}})
    )
    assert await next_push(fresh, python_uri, 2) == ["unofficial-code"]
    assert pushes(fresh, python_uri)[-1].diagnostics[0].severity == types.DiagnosticSeverity.Error


async def test_pull_client_that_can_be_told_to_pull_again(fresh: LanguageClient, tmp_path: Path):
    pyproject = tmp_path / "pyproject.toml"
    result = await start(fresh, "neovim", root=tmp_path, tweak=refreshable)
    assert result.capabilities.diagnostic_provider is not None
    uri = from_fs_path(str(tmp_path / "app.py"))
    open_document(fresh, uri, "python", APP)
    assert await pulled(fresh, uri) == ["unofficial-code"]

    pyproject.write_text(RULE_OFF, encoding="utf-8")
    watched_file_changed(fresh, pyproject)  # as a client that watches on its own would send it
    await until(lambda: fresh.diagnostic_refresh_count >= 1, "workspace/diagnostic/refresh")
    assert await pulled(fresh, uri) == []
    await asyncio.sleep(0.2)
    assert pushes(fresh, uri) == []  # pulled from, never pushed to


async def test_pull_client_that_cannot_be_told_is_pushed_to(fresh: LanguageClient, tmp_path: Path):
    """Neovim 0.11 pulls but has no workspace/diagnostic/refresh, and does not watch files on
    Linux: it is pushed to, and the server notices the saved pyproject.toml itself."""
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "pets"\n', encoding="utf-8")
    capabilities = client_capabilities("neovim")
    assert capabilities.text_document is not None and capabilities.text_document.diagnostic is not None
    result = await start(fresh, "neovim", root=tmp_path)
    assert result.capabilities.diagnostic_provider is None  # not offered: it would show problems twice
    uri = from_fs_path(str(tmp_path / "app.py"))
    open_document(fresh, uri, "python", APP)
    assert await next_push(fresh, uri, 0) == ["unofficial-code"]

    pyproject.write_text(RULE_OFF, encoding="utf-8")  # saved; no notification from the client
    assert await next_push(fresh, uri, 1) == []
    assert pushes(fresh, uri)[-1].version == 1
    assert fresh.registrations == []  # type: ignore[attr-defined]
    assert fresh.diagnostic_refresh_count == 0

    pyproject.unlink()  # back to the defaults
    assert await next_push(fresh, uri, 2) == ["unofficial-code"]


async def test_pushed_client_without_file_watching(fresh: LanguageClient, tmp_path: Path):
    pyproject = tmp_path / "pyproject.toml"
    await start(fresh, "visual-studio-code", root=tmp_path, tweak=not_watching)
    uri = from_fs_path(str(tmp_path / "app.py"))
    open_document(fresh, uri, "python", APP)
    assert await next_push(fresh, uri, 0) == ["unofficial-code"]
    pyproject.write_text(RULE_OFF, encoding="utf-8")
    assert await next_push(fresh, uri, 1) == []
    assert fresh.registrations == []  # type: ignore[attr-defined]
