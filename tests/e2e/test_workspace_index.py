"""The workspace index through the real server: its progress, references kept current by
``didChangeWatchedFiles``, references answered while it is being built, and the project's status
parameters reaching an open document."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import REAL_SERVER
from .session import open_document

INDEX_TOKEN = "http-status-ls/index/"


@pytest_lsp.fixture(config=REAL_SERVER)
async def fresh(lsp_client: LanguageClient):
    """A server not yet initialised: each test starts it over its own workspace."""
    yield
    await lsp_client.shutdown_session()


async def start(client: LanguageClient, root: Path, tweak: Callable[[types.ClientCapabilities], None] | None = None) -> None:
    capabilities = client_capabilities("visual-studio-code")
    if tweak is not None:
        tweak(capabilities)
    uri = from_fs_path(str(root))
    await client.initialize_session(
        types.InitializeParams(
            capabilities=capabilities, root_uri=uri, workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)]
        )
    )


async def until(condition: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)
    return value


def index_progress(client: LanguageClient) -> list[Any]:
    """Every ``$/progress`` value the index sent (begin, reports, end), in order."""
    return [value for token, values in client.progress_reports.items() if str(token).startswith(INDEX_TOKEN) for value in values]


def indexed(client: LanguageClient) -> bool:
    return any(isinstance(value, types.WorkDoneProgressEnd) for value in index_progress(client))


async def references(client: LanguageClient, uri: str, line: int, character: int) -> dict[str, int]:
    """URI -> number of references to the status under (line, character)."""
    result = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=line, character=character),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    found: dict[str, int] = {}
    for location in result or []:
        found[location.uri] = found.get(location.uri, 0) + 1
    return found


def write(root: Path, relative: str, text: str) -> str:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return from_fs_path(str(path))


def no_progress(capabilities: types.ClientCapabilities) -> None:
    assert capabilities.window is not None
    capabilities.window.work_done_progress = False


async def test_progress_is_reported_to_a_client_that_shows_it(fresh: LanguageClient, tmp_path: Path):
    for number in range(30):
        write(tmp_path, f"pkg/m{number}.py", "abort(404)\n")
    await start(fresh, tmp_path)
    await until(lambda: indexed(fresh), "the end of the index's progress")
    values = index_progress(fresh)
    assert isinstance(values[0], types.WorkDoneProgressBegin) and values[0].title == "Indexing status codes"
    assert isinstance(values[-1], types.WorkDoneProgressEnd) and values[-1].message == "30 files"
    assert all(isinstance(value, types.WorkDoneProgressReport) for value in values[1:-1])


async def test_no_progress_for_a_client_that_does_not_show_it(fresh: LanguageClient, tmp_path: Path):
    app = write(tmp_path, "app.py", "abort(404)\n")
    other = write(tmp_path, "other.py", "abort(404)\n")
    await start(fresh, tmp_path, tweak=no_progress)
    open_document(fresh, app, "python", "abort(404)\n")
    assert await references(fresh, app, 0, 7) == {app: 1, other: 1}
    await asyncio.sleep(0.5)  # the index of two files is long built by now
    assert fresh.progress_reports == {}


async def test_references_follow_files_changed_on_disk(fresh: LanguageClient, tmp_path: Path):
    app = write(tmp_path, "app.py", "abort(404)\n")
    spec = write(
        tmp_path, "api/spec.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '404': {description: x}\n"
    )
    await start(fresh, tmp_path)
    open_document(fresh, app, "python", "abort(404)\n")
    await until(lambda: indexed(fresh), "the index")
    assert await references(fresh, app, 0, 7) == {app: 1, spec: 1}

    added = write(tmp_path, "tests/cases.json", '[{"status": 404}, {"status": 404}]\n')
    write(
        tmp_path, "api/spec.yaml", "openapi: 3.0.0\npaths:\n  /a:\n    get:\n      responses:\n        '410': {description: x}\n"
    )
    changes = [
        types.FileEvent(uri=added, type=types.FileChangeType.Created),
        types.FileEvent(uri=spec, type=types.FileChangeType.Changed),
    ]
    fresh.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(changes=changes))
    assert await references(fresh, app, 0, 7) == {app: 1, added: 2}

    (tmp_path / "tests/cases.json").unlink()
    fresh.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=added, type=types.FileChangeType.Deleted)])
    )
    assert await references(fresh, app, 0, 7) == {app: 1}


async def test_references_are_answered_while_the_index_is_built(fresh: LanguageClient, tmp_path: Path):
    for number in range(4000):
        write(tmp_path, f"pkg{number // 200}/m{number}.py", "def view(x):\n    return x, 200\n")
    rare = write(tmp_path, "pkg3/rare.py", "abort(418)\n")
    app = write(tmp_path, "app.py", "abort(418)\n")
    await start(fresh, tmp_path)
    open_document(fresh, app, "python", "abort(418)\n")
    found = await references(fresh, app, 0, 7)
    during = not indexed(fresh)
    assert found == {app: 1, rare: 1}
    assert during, "the index was built before the first search ended: make the workspace bigger"
    await until(lambda: indexed(fresh), "the index", timeout=60)
    assert await references(fresh, app, 0, 7) == {app: 1, rare: 1}


async def test_a_project_function_defined_in_another_file_makes_its_calls_statuses(fresh: LanguageClient, tmp_path: Path):
    write(tmp_path, "helpers.py", "def reply(status_code, body):\n    return body, status_code\n")
    views = write(
        tmp_path, "views.py", "from helpers import reply\n\n\ndef teapot():\n    return reply(418, 'short and stout')\n"
    )
    await start(fresh, tmp_path)
    open_document(fresh, views, "python", (tmp_path / "views.py").read_text(encoding="utf-8"))
    await until(lambda: indexed(fresh), "the index")
    params = types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=views), position=types.Position(line=4, character=18)
    )

    async def hover_text() -> str | None:
        hover = await fresh.text_document_hover_async(params)
        return hover.contents.value if hover is not None else None  # type: ignore[union-attr]

    deadline = asyncio.get_running_loop().time() + 10
    text = await hover_text()
    while text is None and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)
        text = await hover_text()
    assert text is not None and "418" in text
