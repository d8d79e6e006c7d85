"""Lifecycle: the server ends promptly and with the right status however its session ends, leaves no
process behind when the editor dies, and writes nothing but LSP frames to stdout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from http_status_ls.lsp.lifecycle import process_alive
from tests.support.wire import SERVER_COMMAND, ServerProcess, frame, read_frame

from .conftest import FIGURES, new_uri

PROMPT_SECONDS = 3.0
"""A server asked to go must be gone within this (it takes about 0.3 s)."""

NOISY_SERVER = (sys.executable, str(Path(__file__).with_name("noisy_server.py")))


def timed_wait(server: ServerProcess, timeout: float = 10.0) -> tuple[int, float]:
    started = time.perf_counter()
    status = server.process.wait(timeout)
    return status, time.perf_counter() - started


def test_exit_after_shutdown_is_status_0():
    with ServerProcess("--stdio") as server:
        server.initialize()
        server.request("shutdown")
        server.notify("exit")
        status, seconds = timed_wait(server)
        FIGURES.append(f"exit after shutdown: status {status} in {seconds * 1000:.0f} ms")
        assert status == 0 and seconds < PROMPT_SECONDS


def test_exit_without_shutdown_is_status_1():
    with ServerProcess("--stdio") as server:
        server.initialize()
        uri = new_uri("open", ".py")
        server.open(uri, "python", "abort(404)\n")
        # initialize is answered before the server has loaded (lsp/startup.py): what is timed is
        # the exit of a server that serves, not the rest of its start.
        assert server.hover(uri, 0, 7).result is not None
        server.notify("exit")
        status, seconds = timed_wait(server)
        FIGURES.append(f"exit without shutdown: status {status} in {seconds * 1000:.0f} ms")
        assert status == 1 and seconds < PROMPT_SECONDS


@pytest.mark.parametrize("after_shutdown", [False, True], ids=["no-shutdown", "after-shutdown"])
def test_closing_stdin_ends_the_server(after_shutdown: bool):
    with ServerProcess("--stdio") as server:
        server.initialize()
        uri = new_uri("stdin", ".yaml")
        server.open(uri, "yaml", "status: 420\n")
        server.diagnostics(uri, 1)
        if after_shutdown:
            server.request("shutdown")
        server.process.stdin.close()  # type: ignore[union-attr]
        status, seconds = timed_wait(server)
        FIGURES.append(
            f"stdin closed ({'after' if after_shutdown else 'without'} shutdown): status {status} in {seconds * 1000:.0f} ms"
        )
        assert seconds < PROMPT_SECONDS
        assert status == (0 if after_shutdown else 1)
        assert not any("Traceback" in line or "Fatal Python error" in line for line in server.stderr_lines), server.stderr_lines


def test_requests_after_shutdown_are_not_served():
    with ServerProcess("--stdio") as server:
        server.initialize()
        server.request("shutdown")
        # pygls drops requests after shutdown; the client must still be able to end the session.
        server.request_id(
            "textDocument/hover", {"textDocument": {"uri": "file:///x.py"}, "position": {"line": 0, "character": 0}}
        )
        server.notify("exit")
        assert timed_wait(server)[0] == 0


# --- the editor's process -----------------------------------------------------------------------

_PARENT = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdin=int(os.environ["SERVER_IN"]), stdout=int(os.environ["SERVER_OUT"]),
                         stderr=subprocess.DEVNULL, pass_fds=(int(os.environ["SERVER_IN"]), int(os.environ["SERVER_OUT"])))
print(child.pid, flush=True)
sys.stdin.readline()  # until the test lets this editor "crash"
os._exit(0)
"""


def test_exits_when_the_editor_process_dies():
    """The editor (here a short-lived parent) starts the server and dies without a word; our end of
    the server's stdin stays open, so only the watch on ``processId`` can notice."""
    server_in, to_server = os.pipe()
    from_server, server_out = os.pipe()
    environment = {**os.environ, "SERVER_IN": str(server_in), "SERVER_OUT": str(server_out)}
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, *SERVER_COMMAND, "--stdio"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=environment,
        pass_fds=(server_in, server_out),
    )
    os.close(server_in)
    os.close(server_out)
    server_pid = None
    try:
        server_pid = int(parent.stdout.readline())  # type: ignore[union-attr]
        request = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": parent.pid, "capabilities": {}}}
        os.write(to_server, frame(request))
        garbage: list[bytes] = []
        with open(from_server, "rb", closefd=False) as replies:
            answer = read_frame(replies, garbage)
        assert answer is not None and answer["id"] == 1 and garbage == []
        os.write(to_server, frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        time.sleep(1.5)  # more than one poll with the editor alive: the server stays
        assert process_alive(server_pid)

        parent.stdin.close()  # type: ignore[union-attr]
        parent.wait(10)
        died = time.perf_counter()
        while process_alive(server_pid) and time.perf_counter() - died < 10:
            time.sleep(0.05)
        seconds = time.perf_counter() - died
        FIGURES.append(f"editor process died: server gone {seconds * 1000:.0f} ms later")
        assert not process_alive(server_pid), "the server outlived the editor"
        assert seconds < 2 * PROMPT_SECONDS
    finally:
        os.close(to_server)
        os.close(from_server)
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        if server_pid is not None and process_alive(server_pid):
            os.kill(server_pid, 9)


def test_an_invisible_process_id_is_not_watched():
    """A processId from another PID namespace (the editor outside a container) must not make the
    server exit at once: it is logged and not watched."""
    missing = 4_000_000
    while process_alive(missing):
        missing += 1
    with ServerProcess("--stdio") as server:
        server.initialize(process_id=missing)
        # initialize is answered before the server has loaded and handled it (lsp/startup.py)
        deadline = time.monotonic() + 10
        while not any("not visible" in line and str(missing) in line for line in server.stderr_lines):
            assert time.monotonic() < deadline, "initialize's processId was never looked at"
            time.sleep(0.05)
        time.sleep(1.5)
        assert server.alive()
        assert server.shutdown() == 0


# --- stdout carries the protocol only ----------------------------------------------------------------


def _exercise(server: ServerProcess, uri: str) -> None:
    text = "from flask import abort\nabort(420)\n"
    server.open(uri, "python", text)
    server.diagnostics(uri, 1)
    assert "420" in server.hover(uri, 1, 7).result["contents"]["value"]
    server.completion(uri, 1, 7)
    server.change(uri, 2, [{"text": "x = \n"}])
    server.diagnostics(uri, 2)


def test_stdout_carries_only_frames_even_with_stray_prints_and_debug_logs():
    with ServerProcess("--stdio", command=NOISY_SERVER, env={"HTTP_STATUS_LS_LOG": "DEBUG"}) as server:
        server.initialize()
        _exercise(server, new_uri("noisy", ".py"))
        assert server.shutdown() == 0
        assert server.garbage == []
        assert b"stray output" not in server.stdout_bytes
        assert any("stray output from a hover handler" in line for line in server.stderr_lines)
        assert any("DEBUG" in line for line in server.stderr_lines)  # the log went to stderr


def test_log_file_takes_the_log(tmp_path: Path):
    log_file = tmp_path / "server.log"
    with ServerProcess("--stdio", "--log-file", str(log_file), env={"HTTP_STATUS_LS_LOG": "DEBUG"}) as server:
        server.initialize()
        uri = new_uri("logged", ".py")
        _exercise(server, uri)
        assert server.shutdown() == 0
        assert server.garbage == []
    logged = log_file.read_text(encoding="utf-8")
    assert "positions in utf-16" in logged and uri in logged
    assert not any("http_status_ls" in line for line in server.stderr_lines), server.stderr_lines


def test_a_failing_feature_is_logged_and_answered_empty():
    with ServerProcess("--stdio", command=NOISY_SERVER) as server:
        server.initialize()
        uri = new_uri("explode", ".py")
        text = "from flask import abort\nabort(420)\n"
        server.open(uri, "python", text)
        hover = server.hover(uri, 1, 7)
        assert hover.error is None and hover.result is None
        logged = server.wait_for(lambda n: n.method == "window/logMessage" and "planted failure" in n.params["message"])
        assert logged.params["type"] == 1  # Error
        # The other features of the same document, and other documents, still work.
        items, _ = server.diagnostics(uri, 1)
        assert len(items) == 1
        assert server.completion(uri, 1, 7).error is None
        other = new_uri("fine", ".py")
        server.open(other, "python", text)
        assert "420" in server.hover(other, 1, 7).result["contents"]["value"]
        assert server.shutdown() == 0


def test_every_feature_answers_when_the_analysis_fails():
    """Whatever a feature does, an exception inside it is logged and answered empty: never an error
    response, never the end of the session."""
    with ServerProcess("--stdio", command=NOISY_SERVER) as server:
        server.initialize(pull=True)
        uri = new_uri("everything-fails", ".py")
        text = "from flask import abort\nabort(420)\n"
        server.open(uri, "python", text)
        document = {"textDocument": {"uri": uri}}
        position = {**document, "position": {"line": 1, "character": 7}}
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 2, "character": 0}}
        requests = {
            "textDocument/hover": position,
            "textDocument/completion": position,
            "textDocument/documentHighlight": position,
            "textDocument/references": {**position, "context": {"includeDeclaration": True}},
            "textDocument/codeAction": {**document, "range": whole, "context": {"diagnostics": []}},
            "textDocument/inlayHint": {**document, "range": whole},
            "textDocument/diagnostic": document,
        }
        for method, params in requests.items():
            answer = server.request(method, params)
            assert answer.error is None, (method, answer.error)
            assert not (answer.result or {}).get("items") if isinstance(answer.result, dict) else not answer.result, method
        failures = [m for m in server.log_messages() if "planted failure in the analysis" in m]
        assert len(failures) >= len(requests) - 1
        other = new_uri("fine", ".py")
        server.open(other, "python", text)
        assert "420" in server.hover(other, 1, 7).result["contents"]["value"]
        assert server.shutdown() == 0
