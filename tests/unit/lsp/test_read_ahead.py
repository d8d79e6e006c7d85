"""The stdin reader started before the message loop (lsp/lifecycle.py ``ReadAhead``): what startup
looks at first is still handed to the loop, in order, and nothing read early is lost. And work left
for when the loop is idle (``when_idle``)."""

from __future__ import annotations

import asyncio
import json
import os
import time

from http_status_ls.lsp.lifecycle import Frame, ReadAhead, when_idle


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _reader_over(data: bytes) -> ReadAhead:
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    return ReadAhead(os.fdopen(read_end, "rb"))


async def _drain(reader: ReadAhead) -> list[Frame | None]:
    frames: list[Frame | None] = []
    while not frames or frames[-1] is not None:
        frames.append(await asyncio.wait_for(reader.next_frame(), 10))
    return frames


def test_the_first_frame_is_looked_at_and_still_handed_to_the_loop() -> None:
    messages = [{"jsonrpc": "2.0", "id": n, "method": "initialize" if n == 1 else "shutdown"} for n in (1, 2)]
    reader = _reader_over(b"".join(_frame(m) for m in messages))
    first = reader.first_frame()
    assert first is not None and first.method == "initialize" and first.id == 1
    assert reader.first_frame() is first  # looked at, not taken
    time.sleep(0.2)  # the thread reads the rest before any loop exists
    frames = asyncio.run(_drain(reader))
    assert [frame.id for frame in frames if frame is not None] == [1, 2]
    assert frames[0] is first and frames[-1] is None


def test_stdin_that_ends_before_a_frame_gives_none() -> None:
    assert _reader_over(b"").first_frame() is None


def test_the_loop_alone_still_starts_the_reader() -> None:
    reader = _reader_over(_frame({"jsonrpc": "2.0", "method": "exit"}))
    frames = asyncio.run(_drain(reader))
    assert [frame.method for frame in frames if frame is not None] == ["exit"]


def test_when_idle_waits_for_the_loop_to_be_free_or_runs_at_once_without_one() -> None:
    ran: list[str] = []
    when_idle(lambda: ran.append("no loop"))
    assert ran == ["no loop"]

    async def handling_messages() -> list[str]:
        when_idle(lambda: ran.append("idle"))
        ran.append("next message")  # handled without yielding: the callback waits
        await asyncio.sleep(0)
        return list(ran)

    assert asyncio.run(handling_messages()) == ["no loop", "next message", "idle"]
