"""The checks a message read from stdin passes before pygls sees it (lsp/envelope.py), and the
read-ahead reader's recovery from framing errors (lsp/lifecycle.py)."""

from __future__ import annotations

import asyncio
import os

import pytest

from http_status_ls.lsp.envelope import envelope_problem, guessed_id, valid_id
from http_status_ls.lsp.lifecycle import ReadAhead


@pytest.mark.parametrize(
    ("body", "expected"),
    [(b'{"jsonrpc":"2.0","id": 12,"method":"x"', 12), (b'{"id":"a\\"b",', 'a"b'), (b"{", None), (b'{"id": 1.5}', None)],
)
def test_the_id_of_a_broken_request_is_read_when_it_can_be(body: bytes, expected):
    assert guessed_id(body) == expected


def test_ids_are_integers_or_strings():
    assert valid_id(1) and valid_id("a")
    assert not any(valid_id(value) for value in (True, None, 1.5, [1], {"a": 1}))


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"jsonrpc": "2.0", "id": 1, "method": "x"}, None),
        ({"jsonrpc": "2.0", "id": 1, "result": None}, None),
        ({"jsonrpc": "1.0", "id": 1, "method": "x"}, "jsonrpc"),
        ({"jsonrpc": "2.0", "id": 1.5, "method": "x"}, "id"),
        ({"jsonrpc": "2.0", "id": 1, "method": 5}, "method"),
        ({"jsonrpc": "2.0"}, "neither"),
    ],
)
def test_envelope_problems_are_named(message, problem):
    found = envelope_problem(message)
    assert (found is None) if problem is None else (problem in found)


def frames_of(data: bytes) -> list[tuple[bytes, str | None]]:
    """Every frame the reader makes of ``data`` (then end of input)."""
    read, write = os.pipe()
    os.write(write, data)
    os.close(write)

    async def collect():
        reader = ReadAhead(os.fdopen(read, "rb"))
        found = []
        while (frame := await reader.next_frame()) is not None:
            found.append((frame.body, frame.framing_error))
        return found

    return asyncio.run(collect())


def test_framing_errors_are_skipped_and_the_stream_resynchronised():
    body = b'{"jsonrpc":"2.0","id":1,"method":"shutdown"}'
    data = (
        b"Content-Length: 0\r\n\r\n"
        + b"Content-Length: -4\r\n\r\n"
        + b"Content-Length: 1180591620717411303424\r\n\r\n"
        + b"Content-Length: %d\r\n\r\n" % (len(body) + 5)  # five bytes too long: the next header's start
        + body
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
        + b"\r\n"
        + body  # no header at all
        + b"Content-Length: %d\r\n\r\n" % len(body)
        + body
    )
    frames = frames_of(data)
    assert [framed for framed, error in frames if error is None] == [body, body, body]
    assert [error for _, error in frames if error is not None] == ["bytes that are not a frame"]
