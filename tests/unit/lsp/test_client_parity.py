"""The same behaviour in every client: push or pull per client (a client that pulls but cannot be
told to pull again is pushed to), the ``languageId`` overruled by the file name and logged once per
pair, and ``pyproject.toml`` changes reaching the settings (watched by the client, or polled)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import client_capabilities

from http_status_ls.lsp.project_watch import (
    REGISTRATION_ID,
    SOURCE_GLOB,
    WATCH_GLOB,
    PyprojectPoll,
    candidates,
    names_pyproject,
    stamp,
)
from http_status_ls.lsp.push import pulls_diagnostics
from http_status_ls.lsp.server import build_server
from http_status_ls.lsp.session import ClientSupport, StatusServer
from tests.unit.lsp.in_memory import Client, connect

REFRESHABLE_PULL: dict[str, Any] = {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}}
PULL_WITHOUT_REFRESH: dict[str, Any] = {"textDocument": {"diagnostic": {}}}
WATCHING: dict[str, Any] = {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}}
RULE_OFF = '[tool.http-status-ls.rules]\nunofficial-code = "off"\n'


def capabilities(raw: dict[str, Any]) -> types.ClientCapabilities:
    return build_server().protocol._converter.structure(raw, types.ClientCapabilities)  # noqa: SLF001


# --- push or pull --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "pulls"),
    [
        ({}, False),
        (PULL_WITHOUT_REFRESH, False),  # Neovim 0.11: would keep an old verdict after a settings change
        (REFRESHABLE_PULL, True),
        ({"workspace": {"diagnostics": {"refreshSupport": True}}}, False),  # can be told, but does not pull
    ],
)
def test_who_pulls(raw: dict[str, Any], pulls: bool) -> None:
    assert pulls_diagnostics(capabilities(raw)) is pulls
    assert ClientSupport.from_capabilities(capabilities(raw)).pull_diagnostics is pulls


@pytest.mark.parametrize(("name", "pulls"), [("neovim", False), ("visual-studio-code", False), ("emacs", False)])
def test_what_real_clients_declare(name: str, pulls: bool) -> None:
    # As pytest-lsp records them: Neovim 0.11 pulls without refresh, VS Code 1.65 and Eglot push.
    assert pulls_diagnostics(client_capabilities(name)) is pulls


def initialize(handle: Any, raw: dict[str, Any], root: Path | None = None) -> None:
    params: dict[str, Any] = {"capabilities": raw}
    if root is not None:
        params["rootUri"] = from_fs_path(str(root))
    handle({"id": 1, "method": "initialize", "params": params})
    handle({"method": "initialized", "params": {}})


@pytest.mark.parametrize(("raw", "offered"), [({}, False), (PULL_WITHOUT_REFRESH, False), (REFRESHABLE_PULL, True)])
def test_the_pull_is_offered_only_to_clients_pulled_from(raw: dict[str, Any], offered: bool) -> None:
    server = build_server()
    client, handle = connect(server)

    async def session() -> None:
        initialize(handle, raw)
        await asyncio.sleep(0)

    asyncio.run(session())
    advertised = client.answer_to(1)["result"]["capabilities"]
    assert ("diagnosticProvider" in advertised) is offered


@pytest.mark.parametrize(("raw", "pushed"), [(REFRESHABLE_PULL, False), (PULL_WITHOUT_REFRESH, True)])
def test_pulled_or_pushed_never_both_and_a_pull_is_always_answered(raw: dict[str, Any], pushed: bool) -> None:
    server = build_server(debounce=0)
    client, handle = connect(server)
    uri = "file:///project/app.py"

    async def session() -> None:
        initialize(handle, raw)
        item = {"uri": uri, "languageId": "python", "version": 1, "text": "abort(420)\n"}
        handle({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        await asyncio.sleep(0.05)
        # Pushed to, it was not offered the pull; if it pulls all the same, it is answered.
        handle({"id": 2, "method": "textDocument/diagnostic", "params": {"textDocument": {"uri": uri}}})
        await asyncio.sleep(0.05)

    asyncio.run(session())
    assert bool(client.notifications("textDocument/publishDiagnostics")) is pushed
    assert [item["code"] for item in client.answer_to(2)["result"]["items"]] == ["unofficial-code"]


# --- languageId against the file name ------------------------------------------------------------


def test_an_overruled_language_id_is_logged_once_per_pair() -> None:
    server = build_server(debounce=0)
    client, handle = connect(server)
    opened = [
        ("file:///p/app.py", "python", "abort(420)\n"),
        ("file:///p/openapi.yaml", "python", "openapi: 3.0.3\npaths: {}\n"),  # Eglot, app.py first
        ("file:///p/other.yaml", "python", "status: 305\n"),
        ("file:///p/openapi.yaml", "python", "openapi: 3.0.3\npaths: {}\n"),  # opened again
        ("file:///p/compose.yml", "python", "status: 305\n"),
        ("file:///p/Jenkinsfile", "python", "abort(420)\n"),  # no extension: the id decides, silently
    ]

    async def session() -> None:
        initialize(handle, {})
        for uri, language_id, text in opened:
            item = {"uri": uri, "languageId": language_id, "version": 1, "text": text}
            handle({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        change = {"range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 11}}, "text": "306"}
        handle(
            {
                "method": "textDocument/didChange",
                "params": {"textDocument": {"uri": "file:///p/other.yaml", "version": 2}, "contentChanges": [change]},
            }
        )
        await asyncio.sleep(0.05)

    asyncio.run(session())
    notes = [m["message"] for m in client.notifications("window/logMessage") if "languageId" in m["message"]]
    assert len(notes) == 2, notes
    assert "'python'" in notes[0] and ".yaml files are yaml" in notes[0] and "openapi.yaml" in notes[0]
    assert ".yml files are yaml" in notes[1]
    assert server.store.get("file:///p/openapi.yaml").language == "yaml"  # type: ignore[union-attr]
    pushed = {p["uri"]: [d["code"] for d in p["diagnostics"]] for p in client.notifications("textDocument/publishDiagnostics")}
    assert pushed["file:///p/other.yaml"] == ["reserved-code"]  # 306, read as YAML
    assert pushed["file:///p/Jenkinsfile"] == ["unofficial-code"]


# --- pyproject.toml ------------------------------------------------------------------------------


def test_which_changes_name_a_pyproject() -> None:
    def params(*uris: str) -> types.DidChangeWatchedFilesParams:
        return types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed) for uri in uris]
        )

    assert names_pyproject(params("file:///p/pyproject.toml"))
    assert names_pyproject(params("file:///p/a.py", "file:///p/sub/pyproject.toml"))
    assert not names_pyproject(params("file:///p/pyproject.toml.bak", "file:///p/old-pyproject.toml"))
    assert not names_pyproject(params())


def test_the_files_looked_at_and_their_stamp(tmp_path: Path) -> None:
    root = tmp_path / "project"
    root.mkdir()
    paths = candidates(root)
    assert paths[0] == root.resolve() / "pyproject.toml"
    assert paths[1] == tmp_path.resolve() / "pyproject.toml"
    assert paths[-1].parent == Path(paths[-1].anchor)
    before = stamp(paths)
    assert before[0] is None
    paths[0].write_text("[project]\n", encoding="utf-8")
    made = stamp(paths)
    assert made[0] is not None and made[1:] == before[1:]
    paths[0].write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert stamp(paths) != made
    paths[0].unlink()
    assert stamp(paths) == before


def test_the_poll_calls_back_on_a_change_until_stopped(tmp_path: Path) -> None:
    calls: list[int] = []
    file = tmp_path / "pyproject.toml"

    async def session() -> None:
        poll = PyprojectPoll(candidates(tmp_path), lambda: calls.append(1), interval=0.01)
        poll.start()
        await asyncio.sleep(0.05)
        assert calls == []
        file.write_text("[tool.http-status-ls]\n", encoding="utf-8")
        await asyncio.sleep(0.05)
        assert calls == [1]
        poll.stop()
        file.unlink()
        await asyncio.sleep(0.05)
        assert not poll.running

    asyncio.run(session())
    assert calls == [1]


def test_the_poll_survives_a_failing_callback(tmp_path: Path) -> None:
    calls: list[int] = []

    def changed() -> None:
        calls.append(1)
        raise RuntimeError("planted")

    async def session() -> None:
        poll = PyprojectPoll(candidates(tmp_path), changed, interval=0.01)
        poll.start()
        (tmp_path / "pyproject.toml").write_text("a", encoding="utf-8")
        await asyncio.sleep(0.05)
        (tmp_path / "pyproject.toml").write_text("ab", encoding="utf-8")
        await asyncio.sleep(0.05)
        poll.stop()

    asyncio.run(_quiet(session()))
    assert len(calls) == 2


async def _quiet(work: Any) -> None:
    # The planted failure reaches the loop's exception handler; it is expected here.
    asyncio.get_running_loop().set_exception_handler(lambda loop, context: None)
    await work


def _pyproject_session(tmp_path: Path, raw: dict[str, Any], during: Any) -> tuple[StatusServer, Client]:
    """A session at ``tmp_path`` with app.py (``abort(420)``) open; ``during(server, client,
    handle)`` runs once the first diagnostics are out."""
    server = build_server(debounce=0)
    client, handle = connect(server)
    uri = from_fs_path(str(tmp_path / "app.py"))

    async def session() -> None:
        initialize(handle, raw, tmp_path)
        item = {"uri": uri, "languageId": "python", "version": 1, "text": "abort(420)\n"}
        handle({"method": "textDocument/didOpen", "params": {"textDocument": item}})
        await asyncio.sleep(0.05)
        await during(server, client, handle)
        server.cancel_all()

    asyncio.run(session())
    return server, client


def _pushed_codes(client: Client) -> list[list[str]]:
    return [[d["code"] for d in p["diagnostics"]] for p in client.notifications("textDocument/publishDiagnostics")]


def test_a_watching_client_is_asked_to_watch_and_its_notification_counts(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")

    async def during(server: StatusServer, client: Client, handle: Any) -> None:
        (register,) = client.requests("client/registerCapability")
        (registration,) = register["params"]["registrations"]
        assert registration["id"] == REGISTRATION_ID
        assert registration["method"] == "workspace/didChangeWatchedFiles"
        assert registration["registerOptions"]["watchers"] == [{"globPattern": WATCH_GLOB}, {"globPattern": SOURCE_GLOB}]
        handle({"id": register["id"], "result": None})
        await asyncio.sleep(0.01)
        assert server.pyproject_poll is None  # the client watches: the server does not look itself
        (tmp_path / "pyproject.toml").write_text(RULE_OFF, encoding="utf-8")
        event = {"uri": from_fs_path(str(tmp_path / "pyproject.toml")), "type": types.FileChangeType.Changed}
        handle({"method": "workspace/didChangeWatchedFiles", "params": {"changes": [event]}})
        await asyncio.sleep(0.05)

    server, client = _pyproject_session(tmp_path, WATCHING, during)
    assert _pushed_codes(client) == [["unofficial-code"], []]
    assert server.settings.rules == {"unofficial-code": "off"}


def test_a_refused_registration_falls_back_to_looking(tmp_path: Path) -> None:
    async def during(server: StatusServer, client: Client, handle: Any) -> None:
        (register,) = client.requests("client/registerCapability")
        handle({"id": register["id"], "error": {"code": -32601, "message": "no"}})
        await asyncio.sleep(0.01)
        assert server.pyproject_poll is not None and server.pyproject_poll.running

    _pyproject_session(tmp_path, WATCHING, during)


def test_without_watching_the_server_looks_and_pull_clients_are_pushed_to(tmp_path: Path) -> None:
    async def during(server: StatusServer, client: Client, handle: Any) -> None:
        assert client.requests("client/registerCapability") == []
        assert server.pyproject_poll is not None
        server.pyproject_poll.stop()  # and again, quicker than a person saving twice
        server.pyproject_poll.interval = 0.01
        server.pyproject_poll.start()
        (tmp_path / "pyproject.toml").write_text(RULE_OFF, encoding="utf-8")
        await asyncio.sleep(0.1)

    _, client = _pyproject_session(tmp_path, PULL_WITHOUT_REFRESH, during)
    assert _pushed_codes(client) == [["unofficial-code"], []]


def test_a_pull_client_is_asked_to_pull_again(tmp_path: Path) -> None:
    async def during(server: StatusServer, client: Client, handle: Any) -> None:
        (tmp_path / "pyproject.toml").write_text(RULE_OFF, encoding="utf-8")
        event = {"uri": from_fs_path(str(tmp_path / "pyproject.toml")), "type": types.FileChangeType.Created}
        handle({"method": "workspace/didChangeWatchedFiles", "params": {"changes": [event]}})
        await asyncio.sleep(0.01)

    _, client = _pyproject_session(tmp_path, REFRESHABLE_PULL, during)
    assert len(client.requests("workspace/diagnostic/refresh")) == 1
    assert client.notifications("textDocument/publishDiagnostics") == []


def test_an_unrelated_change_changes_nothing(tmp_path: Path) -> None:
    async def during(server: StatusServer, client: Client, handle: Any) -> None:
        generation = server.settings_generation
        (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")  # no table of ours
        event = {"uri": from_fs_path(str(tmp_path / "pyproject.toml")), "type": types.FileChangeType.Created}
        handle({"method": "workspace/didChangeWatchedFiles", "params": {"changes": [event]}})
        await asyncio.sleep(0.01)
        assert server.settings_generation == generation

    _, client = _pyproject_session(tmp_path, REFRESHABLE_PULL, during)
    assert client.requests("workspace/diagnostic/refresh") == []
