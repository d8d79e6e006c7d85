"""Frames whose ``Content-Length`` is wrong, missing or absurd, over raw stdio.

The server must neither spin (a zero length once made the reader hand back empty lines for ever, at
100 % CPU), nor go deaf (a length a few bytes off once left every later frame unread), nor die (a
length of 10**12 once ended the process with a MemoryError). After each, a normal hover is
answered, and closing stdin still ends the process.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.wire import ServerProcess, frame

from .conftest import new_uri

TEXT = "from flask import abort\nabort(404)\n"
HOVER = {"line": 1, "character": 7}


def cpu_seconds(server: ServerProcess) -> float:
    """User plus system CPU time the server has used so far (Linux /proc)."""
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100


@pytest.fixture
def server() -> Iterator[tuple[ServerProcess, str]]:
    process = ServerProcess("--stdio")
    try:
        process.initialize()
        uri = new_uri("framing", ".py")
        process.open(uri, "python", TEXT)
        yield process, uri
    finally:
        process.close()


def hover_body(uri: str, request_id: str) -> bytes:
    return json.dumps(
        {
            "jsonrpc": "2.0",
            "id": request_id,
            "method": "textDocument/hover",
            "params": {"textDocument": {"uri": uri}, "position": HOVER},
        }
    ).encode()


def still_serving(process: ServerProcess, uri: str) -> None:
    answer = process.hover(uri, **HOVER, timeout=10)
    assert answer.error is None and "404" in answer.result["contents"]["value"]
    assert process.alive()
    assert process.garbage == []


def ends_when_stdin_closes(process: ServerProcess) -> None:
    assert process.process.stdin is not None
    process.process.stdin.close()
    assert process.process.wait(10) == 1  # no shutdown came


@pytest.mark.parametrize("length", [b"0", b"-5", b"-1", b"abc", b"", b"1000000000000", b"1180591620717411303424"])
def test_a_length_that_is_no_frame_length_is_skipped(server: tuple[ServerProcess, str], length: bytes):
    process, uri = server
    process.send_raw(b"Content-Length: " + length + b"\r\n\r\n")
    still_serving(process, uri)
    used = cpu_seconds(process)
    time.sleep(1.0)
    assert cpu_seconds(process) - used < 0.3, "the server spins after a bad length"
    ends_when_stdin_closes(process)


def test_a_frame_five_bytes_long_loses_nothing(server: tuple[ServerProcess, str]):
    process, uri = server
    body = hover_body(uri, "long")
    process.send_raw(
        b"Content-Length: %d\r\n\r\n" % (len(body) + 5)
        + body
        + frame(
            {
                "jsonrpc": "2.0",
                "id": "next",
                "method": "textDocument/hover",
                "params": {"textDocument": {"uri": uri}, "position": HOVER},
            }
        )
    )
    for request_id in ("long", "next"):
        (answer,) = process.answers_to(request_id)
        assert "404" in answer["result"]["contents"]["value"], answer
    still_serving(process, uri)


def test_a_frame_five_bytes_short_is_answered_and_the_next_one_read(server: tuple[ServerProcess, str]):
    process, uri = server
    body = hover_body(uri, "short")
    process.send_raw(b"Content-Length: %d\r\n\r\n" % (len(body) - 5) + body)
    still_serving(process, uri)
    (answer,) = process.answers_to("short")
    assert answer["error"]["code"] == -32700


def test_a_frame_without_content_length_is_answered_and_the_next_one_read(server: tuple[ServerProcess, str]):
    process, uri = server
    process.send_raw(b"Content-Type: application/vscode-jsonrpc\r\n\r\n" + hover_body(uri, "headless"))
    still_serving(process, uri)
    (answer,) = process.answers_to("headless")
    assert answer["error"]["code"] == -32600


def test_stray_lines_between_frames_are_skipped(server: tuple[ServerProcess, str]):
    process, uri = server
    process.send_raw(b"hello\r\n\r\n\r\nX-Whatever: 1\r\n")
    still_serving(process, uri)


def test_stdin_closing_inside_a_frame_ends_the_process(server: tuple[ServerProcess, str]):
    process, _ = server
    process.send_raw(b'Content-Length: 500\r\n\r\n{"jsonrpc"')
    ends_when_stdin_closes(process)
