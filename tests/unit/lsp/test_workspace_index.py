"""The workspace index in a session: an open document's status parameters are read once its edits
pause (never per keystroke), and a table that moves re-judges the open Python documents."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from pygls.uris import from_fs_path

from http_status_ls.detect.python.project_params import FileParameters, StatusParameter
from http_status_ls.lsp import workspace_index
from http_status_ls.lsp.server import build_server

from .in_memory import connect

REPLY = StatusParameter(callable_name="reply", position=0, keyword="status")


@pytest.fixture
def summaries(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in summariser for open documents: ``def reply(`` takes a status. Records each text."""
    seen: list[str] = []

    def summarise(text: str) -> FileParameters:
        seen.append(text)
        return FileParameters(parameters=(REPLY,) if "def reply(" in text else ())

    monkeypatch.setattr(workspace_index, "summarise_python", summarise)
    monkeypatch.setattr(workspace_index, "PARAMETERS_DEBOUNCE_SECONDS", 0.1)
    return seen


def edit(handle: Any, uri: str, version: int, text: str) -> None:
    handle(
        {
            "method": "textDocument/didChange",
            "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        }
    )


def open_python(handle: Any, uri: str, text: str) -> None:
    item = {"uri": uri, "languageId": "python", "version": 1, "text": text}
    handle({"method": "textDocument/didOpen", "params": {"textDocument": item}})


def test_open_parameters_are_read_when_edits_pause_and_a_new_table_rejudges(tmp_path: Path, summaries: list[str]):
    (tmp_path / "views.py").write_text("reply(418, 'x')\n", encoding="utf-8")
    server = build_server(debounce=0)
    client, handle = connect(server)
    helpers, views = from_fs_path(str(tmp_path / "helpers.py")), from_fs_path(str(tmp_path / "views.py"))

    async def session() -> None:
        handle({"id": 1, "method": "initialize", "params": {"capabilities": {}, "rootUri": from_fs_path(str(tmp_path))}})
        handle({"method": "initialized", "params": {}})
        open_python(handle, views, "reply(418, 'x')\n")
        open_python(handle, helpers, "def other():\n    pass\n")
        await asyncio.sleep(0.3)  # the index of one file is built, the opened documents read
        assert server.indexer.ready and summaries == ["reply(418, 'x')\n", "def other():\n    pass\n"]
        pushed_before = len(client.notifications("textDocument/publishDiagnostics"))
        for version in range(2, 7):  # typing: no summary per keystroke
            edit(handle, helpers, version, "def reply(status, body):\n    pass\n"[: version * 4])
            await asyncio.sleep(0.01)
        assert len(summaries) == 2
        edit(handle, helpers, 7, "def reply(status, body):\n    pass\n")
        await asyncio.sleep(0.3)
        assert summaries[2:] == ["def reply(status, body):\n    pass\n"]
        assert dict(server.store.project.by_name) == {"reply": (REPLY,)}
        # Both open documents are judged again with the new table, views.py without an edit.
        again = [p["uri"] for p in client.notifications("textDocument/publishDiagnostics")[pushed_before:]]
        assert views in again
        server.cancel_all()

    asyncio.run(session())


def test_a_python_analysis_is_kept_only_for_the_table_it_was_made_with():
    from http_status_ls.detect.python.project_params import NO_PROJECT, ProjectParameters
    from http_status_ls.lsp.documents import DocumentStore

    store = DocumentStore()
    document = store.open("file:///w/views.py", "python", 1, "reply(418, 'x')\n")
    spec = store.open("file:///w/api.yaml", "yaml", 1, "status: 404\n")
    first, first_spec = store.analysis(document.uri), store.analysis(spec.uri)
    assert store.analysis(document.uri) is first
    table = ProjectParameters.from_files([FileParameters(parameters=(REPLY,))])
    assert store.set_project(table) is True and store.set_project(table) is False
    second = store.analysis(document.uri)
    assert second is not first and store.analysis(document.uri) is second
    assert store.analysis(spec.uri) is first_spec  # YAML does not read the table
    assert store.set_project(NO_PROJECT) is True and store.analysis(document.uri) is not second
