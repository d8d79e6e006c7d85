"""``initialize`` answered before pygls is loaded (lsp/startup.py): the same answer pygls gives,
given only for params pygls accepts, and pygls' own answer then never sent twice."""

from __future__ import annotations

import asyncio
import importlib.resources
import io
import json
import logging
import subprocess
import sys
import textwrap
from typing import Any

import pytest

from http_status_ls.lsp import startup
from http_status_ls.lsp.lifecycle import Frame
from http_status_ls.lsp.server import build_server
from tests.support.wire import read_frame
from tests.unit.lsp.in_memory import Client, connect

PULL = {"textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}}


def _recorded_clients() -> dict[str, dict[str, Any]]:
    """The initialize params of real editors as pytest-lsp recorded them (VS Code, Neovim, Eglot)."""
    folder = importlib.resources.files("pytest_lsp") / "clients"
    return {item.name: json.loads(item.read_text()) for item in folder.iterdir() if item.name.endswith(".json")}


PROFILES: dict[str, dict[str, Any]] = {
    "nothing": {"capabilities": {}},
    "utf-16": {"capabilities": {"general": {"positionEncodings": ["utf-16"]}}},
    "utf-8 offered second": {"capabilities": {"general": {"positionEncodings": ["utf-16", "utf-8"]}}},
    "utf-32 first": {"capabilities": {"general": {"positionEncodings": ["utf-32", "utf-16"]}}},
    "unknown encodings": {"capabilities": {"general": {"positionEncodings": ["utf-7", "latin-1"]}}},
    "empty encodings": {"capabilities": {"general": {"positionEncodings": []}}},
    "null sections": {"capabilities": {"general": None, "textDocument": None, "workspace": None}, "processId": None},
    "pull": {"capabilities": PULL, "rootUri": "file:///project", "trace": "off"},
    "pull without refresh": {"capabilities": {"textDocument": {"diagnostic": {}}}},
    "refresh without pull": {"capabilities": {"workspace": {"diagnostics": {"refreshSupport": True}}}},
    "pull, utf-8": {"capabilities": {**PULL, "general": {"positionEncodings": ["utf-8"]}}, "locale": "fr"},
    "save notices": {"capabilities": {"textDocument": {"synchronization": {"willSave": False, "willSaveWaitUntil": True}}}},
    "one save notice": {"capabilities": {"textDocument": {"synchronization": {"willSaveWaitUntil": True, "didSave": True}}}},
    **_recorded_clients(),
}


def _pygls_answer(params: dict[str, Any]) -> dict[str, Any]:
    client, handle = connect(build_server())

    async def session() -> None:
        handle({"id": 1, "method": "initialize", "params": params})
        await asyncio.sleep(0)

    asyncio.run(session())
    return client.answer_to(1)


@pytest.mark.parametrize("name", list(PROFILES))
def test_the_early_answer_is_pygls_answer(name: str) -> None:
    params = PROFILES[name]
    assert startup.plain_params(params)
    pygls = _pygls_answer(params)
    early = startup.early_answer(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}).encode())
    assert early is not None and early.request_id == 1
    if early.message != pygls:
        advertised = {
            k: v for k, v in pygls["result"]["capabilities"].items() if k not in ("positionEncoding", "diagnosticProvider")
        }
        pytest.fail(
            "the capabilities answered before pygls loads differ from pygls' (a row added to lsp/server.py FEATURES?): "
            f"set lsp/startup.py CAPABILITIES to\n{json.dumps(advertised)}\n(pygls answers {json.dumps(pygls)})"
        )


NOT_PLAIN: list[Any] = [
    None,
    [],
    {},
    {"capabilities": []},
    {"capabilities": {}, "processId": "me"},
    {"capabilities": {}, "processId": True},
    {"capabilities": {}, "trace": "loud"},
    {"capabilities": {}, "rootUri": 5},
    {"capabilities": {}, "clientInfo": {}},
    {"capabilities": {}, "workspaceFolders": [{"uri": "file:///a"}]},
    {"capabilities": {}, "workspaceFolders": {"uri": "file:///a", "name": "a"}},
    {"capabilities": {}, "workDoneToken": 1.5},
    {"capabilities": {"general": []}},
    {"capabilities": {"general": {"positionEncodings": "utf-8"}}},
    {"capabilities": {"general": {"positionEncodings": ["utf-8", 8]}}},
    {"capabilities": {"textDocument": 5}},
    {"capabilities": {"textDocument": {"diagnostic": True}}},
    {"capabilities": {"workspace": {"diagnostics": {"refreshSupport": "yes"}}}},
    {"capabilities": {"textDocument": {"synchronization": True}}},
    {"capabilities": {"textDocument": {"synchronization": {"willSave": 1}}}},
]


@pytest.mark.parametrize("params", NOT_PLAIN, ids=lambda params: json.dumps(params)[:60])
def test_params_that_pygls_may_refuse_take_the_ordinary_path(params: Any) -> None:
    assert not startup.plain_params(params)
    assert (
        startup.early_answer(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params}).encode()) is None
    )


@pytest.mark.parametrize(
    "message",
    [
        {"jsonrpc": "2.0", "id": 1, "method": "textDocument/hover", "params": {}},
        {"jsonrpc": "2.0", "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "id": True, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "2.0", "id": None, "method": "initialize", "params": {"capabilities": {}}},
        {"jsonrpc": "1.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}},
        [{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}],
    ],
    ids=["not initialize", "a notification", "a boolean id", "a null id", "not JSON-RPC 2.0", "a batch"],
)
def test_only_an_initialize_request_is_answered_early(message: Any) -> None:
    assert startup.early_answer(json.dumps(message).encode()) is None
    assert startup.early_answer(b'{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {') is None


def _replay(params: dict[str, Any], answered: startup.EarlyAnswer) -> tuple[Any, Client]:
    server = build_server()
    client, _ = connect(server)
    protocol = server.protocol
    protocol.answered_early = answered  # type: ignore[attr-defined]

    async def session() -> None:
        body = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": params}).encode()
        protocol.receive(Frame.of(body))  # type: ignore[attr-defined]
        await asyncio.sleep(0)

    asyncio.run(session())
    return server, client


def test_pygls_handles_the_answered_initialize_but_does_not_answer_it_again(caplog: pytest.LogCaptureFixture) -> None:
    params = {"processId": None, "capabilities": {**PULL, "general": {"positionEncodings": ["utf-16", "utf-8"]}}}
    answered = startup.early_answer(json.dumps({"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": params}).encode())
    assert answered is not None
    with caplog.at_level(logging.ERROR, logger="http_status_ls"):
        server, client = _replay(params, answered)
    assert [m for m in client.sent if m.get("id") == 7] == []
    assert server.protocol.answered_early is None and server.protocol.phase == "running"
    assert server.workspace.position_encoding == "utf-8" and server.supports.pull_diagnostics
    assert caplog.records == []


def test_an_early_answer_that_differs_from_pygls_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    params: dict[str, Any] = {"capabilities": {}}
    wrong = startup.EarlyAnswer(7, {"id": 7, "jsonrpc": "2.0", "result": {"capabilities": {}, "serverInfo": startup.SERVER_INFO}})
    with caplog.at_level(logging.ERROR, logger="http_status_ls"):
        _, client = _replay(params, wrong)
    assert [m for m in client.sent if m.get("id") == 7] == []
    assert any("lsp/startup.py is out of date" in record.getMessage() for record in caplog.records)


def test_params_refused_deeper_than_startup_looks_still_start_the_announced_session(caplog: pytest.LogCaptureFixture) -> None:
    """The client was told the session runs: it runs, with the encoding and the pull announced."""
    params = {
        "capabilities": {
            **PULL,
            "general": {"positionEncodings": ["utf-8"]},
            "textDocument": {"diagnostic": {}, "hover": {"contentFormat": ["bogus"]}},
        }
    }
    answered = startup.early_answer(json.dumps({"jsonrpc": "2.0", "id": 7, "method": "initialize", "params": params}).encode())
    assert answered is not None
    with caplog.at_level(logging.ERROR, logger="http_status_ls"):
        server, client = _replay(params, answered)
    assert [m for m in client.sent if m.get("id") == 7] == []
    assert server.protocol.phase == "running"
    assert server.workspace.position_encoding == "utf-8" and server.supports.pull_diagnostics
    assert any("initialize:" in record.getMessage() for record in caplog.records)


_PROBE = textwrap.dedent(
    """
    import json, sys
    from http_status_ls.lsp import startup

    def frame(message):
        body = json.dumps(message).encode()
        return b"Content-Length: %d\\r\\n\\r\\n" % len(body) + body

    send = startup.send

    def recording_send(answer, stdout):
        heavy = sorted(
            name for name in sys.modules
            if name.split(".")[0] in ("lsprotocol", "pygls", "cattrs", "attrs", "asyncio", "yaml", "tree_sitter")
            or name in ("argparse", "dataclasses", "inspect", "typing")
            or name.startswith(("http_status_ls.features", "http_status_ls.detect", "http_status_ls.kb", "http_status_ls.core"))
        )
        print("LOADED " + json.dumps(heavy), file=sys.stderr, flush=True)
        send(answer, stdout)

    startup.send = recording_send
    from http_status_ls.cli.main import main
    sys.exit(main(["--stdio"]))
    """
)


def test_initialize_is_answered_before_the_lsp_stack_and_the_features_load() -> None:
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    stdin = b"".join(b"Content-Length: %d\r\n\r\n%s" % (len(body), body) for body in (json.dumps(m).encode() for m in messages))
    result = subprocess.run([sys.executable, "-c", _PROBE], input=stdin, capture_output=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr.decode()
    (loaded,) = [line for line in result.stderr.decode().splitlines() if line.startswith("LOADED ")]
    assert json.loads(loaded.removeprefix("LOADED ")) == []
    stdout, garbage = io.BytesIO(result.stdout), list[bytes]()
    answers = list(iter(lambda: read_frame(stdout, garbage), None))
    assert garbage == []
    ids = [answer.get("id") for answer in answers]
    assert ids == [1, 2], answers  # the initialize answered once, the shutdown too
    assert answers[0]["result"]["capabilities"]["hoverProvider"] is True
