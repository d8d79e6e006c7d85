"""How the server process reads its input and how it ends.

- :class:`ReadAhead` reads stdin on a thread, whole frames at a time, and hands them to the message
  loop (:func:`~http_status_ls.lsp.protocol.serve_stdio`) one by one. A wrong, missing or absurd
  ``Content-Length`` is a framing error it logs and recovers from at the next header; it never
  spins, and only the end of stdin ends it. Frames that have arrived but are not handled yet can be looked at: a request whose
  ``$/cancelRequest`` is already waiting is never started, and a pull for diagnostics of a document
  whose next ``didChange`` is already waiting is not computed for a text about to be replaced.
  (pygls alone reads one message at a time and runs a synchronous handler to its end before it sees
  the cancel, so a cancel never saves any work.)
  Its thread may start before the message loop exists (:meth:`ReadAhead.start_reading`), so that
  :mod:`startup` can answer ``initialize`` before the LSP libraries are loaded.
- :class:`ParentWatch` ends the process when the editor that started it (``initialize.processId``)
  is gone, so that a crashed editor leaves no server behind even when something else keeps our stdin
  open.

Exit statuses follow the LSP: 0 after ``shutdown`` then ``exit``, 1 for ``exit`` without ``shutdown``,
for stdin closing without ``shutdown``, and for a parent that disappeared.
"""

from __future__ import annotations

import collections
import errno
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable

# typing.TYPE_CHECKING without importing typing: this module runs before initialize is answered.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import asyncio
    from typing import Any, BinaryIO

log = logging.getLogger(__name__)

PARENT_POLL_SECONDS = 1.0
"""How often the editor's process is checked (os.kill(pid, 0) costs a system call)."""

_SMALL_FRAME = 64 * 1024
"""Frames up to this size are parsed as they arrive, to know their method, id and document; a
bigger one (a didOpen or a full-text didChange) is only searched for its method and document."""

_METHOD = re.compile(rb'"method"\s*:\s*"([^"\\]*)"')
_URI = re.compile(rb'"uri"\s*:\s*"((?:[^"\\]|\\.)*)"')


class Frame:
    """One message as read from stdin, with what the look-ahead needs to know about it. (A plain
    class, not a dataclass: importing dataclasses would delay the early ``initialize`` answer.)"""

    __slots__ = ("body", "method", "id", "uri", "cancels", "framing_error")

    def __init__(self, body: bytes, framing_error: str | None = None):
        self.body = body
        self.method: str | None = None
        self.id: Any = None
        self.uri: str | None = None
        self.cancels: Any = None
        """For ``$/cancelRequest``: the id of the request it cancels."""
        self.framing_error = framing_error
        """Set when ``body`` is not a frame but bytes between frames that the reader skipped."""

    def __repr__(self) -> str:
        return f"Frame({self.method or self.framing_error!r}, id={self.id!r}, {len(self.body)} bytes)"

    @classmethod
    def garbage(cls, body: bytes, why: str) -> Frame:
        log.error("framing: %s: %r", why, body[:80])
        return cls(body[:_SMALL_FRAME], framing_error=why)

    @classmethod
    def of(cls, body: bytes) -> Frame:
        frame = cls(body)
        if len(body) <= _SMALL_FRAME:
            try:
                message = json.loads(body)
            except ValueError:
                return frame
            if isinstance(message, dict):
                frame.method = message.get("method")
                frame.id = message.get("id")
                params = message.get("params")
                if isinstance(params, dict):
                    document = params.get("textDocument")
                    if isinstance(document, dict) and isinstance(document.get("uri"), str):
                        frame.uri = document["uri"]
                    if frame.method == "$/cancelRequest":
                        frame.cancels = params.get("id")
            return frame
        if (method := _METHOD.search(body)) is not None:
            frame.method = method.group(1).decode("utf-8", "replace")
            if frame.method == "textDocument/didChange" and (uri := _URI.search(body)) is not None:
                try:
                    frame.uri = json.loads(b'"' + uri.group(1) + b'"')
                except ValueError:
                    pass
        return frame


MAX_FRAME_BYTES = 1 << 30
"""A ``Content-Length`` above this (1 GiB) is a framing error, not a frame: reading it would end the
process in a MemoryError (or an OverflowError past 2**63) instead of answering anything."""

_READ_CHUNK = 1 << 20
"""At most this much is asked of ``os.read`` at once, whatever length a header announces."""

_CONTENT_LENGTH = re.compile(rb"content-length[ \t]*:[ \t]*(\S*)", re.IGNORECASE)


class _RawLines:
    """``readline``, ``read`` and ``unread`` over a file descriptor with ``os.read``. A daemon thread
    blocked in a buffered file's read holds that file's lock, and the interpreter aborts at exit when
    it cannot take it; ``os.read`` holds no lock."""

    def __init__(self, stream: BinaryIO):
        self._fd = stream.fileno()
        self._buffer = bytearray()
        self._eof = False

    def _fill(self, wanted: int = 1 << 16) -> bool:
        if self._eof:
            return False
        chunk = os.read(self._fd, min(max(wanted, 1 << 16), _READ_CHUNK))
        if not chunk:
            self._eof = True
            return False
        self._buffer += chunk
        return True

    def readline(self) -> bytes:
        start = 0
        while (end := self._buffer.find(b"\n", start)) < 0:
            start = len(self._buffer)
            if not self._fill():
                line, self._buffer = bytes(self._buffer), bytearray()
                return line
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        return line

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n and self._fill(n - len(self._buffer)):
            pass
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        return data

    def unread(self, data: bytes) -> None:
        self._buffer[:0] = data


def _content_length(line: bytes) -> tuple[int | None, bytes]:
    """The length a ``Content-Length`` header line announces (None: it announces none, or one that
    cannot be a frame's) and whatever came before the header on that line. A header found after
    other bytes is how the stream resynchronises after a frame whose length was wrong or missing:
    the bytes before it are what is left of that frame."""
    found = _CONTENT_LENGTH.search(line)
    if found is None:
        return None, b""
    before = line[: found.start()]
    try:
        length = int(found.group(1))
    except ValueError:
        log.error("framing: bad Content-Length %r; frame skipped", found.group(1)[:40])
        return None, before
    if not 0 < length <= MAX_FRAME_BYTES:
        log.error("framing: Content-Length %d is not a frame's length (1 to %d); frame skipped", length, MAX_FRAME_BYTES)
        return None, before
    return length, before


def _trailing_frame_start(body: bytes) -> int:
    """Where the JSON value in ``body`` ends when more than whitespace follows it (a Content-Length
    too long by a few bytes swallows the start of the next frame), else ``len(body)``."""
    if len(body) > _SMALL_FRAME or not body.lstrip().startswith((b"{", b"[")) or body.rstrip().endswith((b"}", b"]")):
        return len(body)  # the common case, decided without parsing
    text = body.decode("utf-8", "surrogateescape")
    try:
        _, end = json.JSONDecoder().raw_decode(text, len(text) - len(text.lstrip()))
    except ValueError:
        return len(body)
    return len(text[:end].encode("utf-8", "surrogateescape"))


class ReadAhead:
    """Reads stdin ahead on a daemon thread, whole frames at a time, and hands them to the message
    loop (:func:`~http_status_ls.lsp.protocol.serve_stdio`) one by one with :meth:`next_frame`.

    The thread starts with :meth:`start_reading` or at the first :meth:`next_frame`; frames read
    before the message loop runs wait in the queue, and :meth:`first_frame` looks at the first one
    without taking it.

    Framing errors never stop it: a length that is zero, negative, not a number or absurd skips the
    header; bytes that are not a header (what is left of a frame whose length was wrong or missing)
    are handed on as a :attr:`Frame.framing_error`, and reading resumes at the next
    ``Content-Length``. Only the end of stdin ends it."""

    def __init__(self, stdin: BinaryIO):
        self._stdin = stdin
        self._frames: collections.deque[Frame | None] = collections.deque()
        self._lock = threading.Lock()
        self._queued = threading.Condition(self._lock)  # for first_frame(), before the loop runs
        self._arrived: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start_reading(self) -> None:
        """Start reading stdin now (once), before the message loop exists."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._read, name="lsp-stdin", daemon=True)
            self._thread.start()

    def first_frame(self) -> Frame | None:
        """The first frame read, waiting for it but leaving it queued for :meth:`next_frame`; None
        when stdin ended before a frame."""
        self.start_reading()
        with self._queued:
            self._queued.wait_for(lambda: bool(self._frames))
            return self._frames[0]

    def _bind_loop(self) -> None:
        import asyncio  # here, not at the top: asyncio is not needed to answer initialize

        with self._lock:  # a frame pushed before this is seen by next_frame's first look
            self._loop = asyncio.get_running_loop()
            self._arrived = asyncio.Event()
        self.start_reading()

    def _read(self) -> None:
        stdin = _RawLines(self._stdin)
        try:
            while (length := self._headers(stdin)) is not None:
                body = stdin.read(length)
                if len(body) < length:
                    if body.strip():
                        self._push(Frame.garbage(body, "stdin ended inside a frame"))
                    return
                end = _trailing_frame_start(body)
                if end < len(body):
                    log.error("framing: Content-Length %d is %d bytes too long", length, len(body) - end)
                    stdin.unread(body[end:])
                    body = body[:end]
                self._push(Frame.of(body))
        except (OSError, ValueError, MemoryError) as error:  # stdin closed under us
            log.info("stdin: %r", error)
        finally:
            self._push(None)

    def _headers(self, stdin: _RawLines) -> int | None:
        """Reads one frame's headers; the body's length, or None at the end of stdin."""
        length = None
        while True:
            header = stdin.readline()
            if not header:
                return None
            if header in (b"\r\n", b"\n"):
                if length is not None:
                    return length
                continue  # stray blank line between frames, or the end of skipped headers
            announced, before = _content_length(header)
            if before.strip() or (announced is None and b":" not in header):
                self._push(Frame.garbage(before or header, "bytes that are not a frame"))
            if announced is not None:
                length = announced

    def _push(self, frame: Frame | None) -> None:
        with self._queued:
            self._frames.append(frame)
            self._queued.notify_all()
            loop, arrived = self._loop, self._arrived
        if loop is None or arrived is None:
            return  # no message loop yet: it looks at the queue when it starts
        try:
            loop.call_soon_threadsafe(arrived.set)
        except RuntimeError:  # the loop is closed: we are exiting
            pass

    async def next_frame(self) -> Frame | None:
        """The next frame read, waiting for it; None once stdin has ended."""
        if self._loop is None:
            self._bind_loop()
        assert self._arrived is not None
        while True:
            with self._lock:
                if self._frames:
                    return self._frames.popleft()
                self._arrived.clear()
            await self._arrived.wait()

    # --- looking ahead ---------------------------------------------------------------------------

    def take_cancel(self, request_id: Any) -> bool:
        """Whether a ``$/cancelRequest`` for ``request_id`` is waiting; it is then removed (the
        request is answered as cancelled and never started)."""
        with self._lock:
            for frame in self._frames:
                if frame is not None and frame.method == "$/cancelRequest" and frame.cancels == request_id:
                    self._frames.remove(frame)
                    return True
        return False

    def change_waiting(self, uri: str) -> bool:
        """Whether a ``didChange`` (or ``didClose``) of ``uri`` is waiting to be handled."""
        with self._lock:
            return any(
                frame is not None and frame.uri == uri and frame.method in ("textDocument/didChange", "textDocument/didClose")
                for frame in self._frames
            )


def when_idle(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the messages already read are handled: the read loop hands control to
    the event loop only when no frame is waiting, so a hover sent right after ``initialized`` is
    answered first. At once when no event loop runs."""
    import asyncio

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        callback()
        return
    loop.call_soon(callback)


# --- the editor's process ---------------------------------------------------------------------------


def process_alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie (a dead parent nobody reaped yet)."""
    try:
        os.kill(pid, 0)
    except OSError as error:
        if error.errno == errno.EPERM:
            return True  # exists, owned by someone else
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            state = stat.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X")
    except (OSError, IndexError):
        return True  # no /proc (macOS): the kill(0) answer stands


class ParentWatch:
    """Polls the editor's process on a daemon thread and calls ``on_gone`` once it has disappeared."""

    def __init__(self, pid: int, on_gone: Callable[[], None], interval: float = PARENT_POLL_SECONDS):
        self.pid = pid
        self.on_gone = on_gone
        self.interval = interval
        # When the editor is our parent, being adopted by another process also means it is gone
        # (and catches a pid reused by an unrelated process).
        self._our_parent = pid == os.getppid()
        self._thread = threading.Thread(target=self._watch, name="parent-watch", daemon=True)

    @classmethod
    def start(cls, pid: int | None, on_gone: Callable[[], None], interval: float = PARENT_POLL_SECONDS) -> ParentWatch | None:
        """Watch ``pid`` unless there is nothing sensible to watch: no pid, our own, or one that is
        not visible from here (another PID namespace, e.g. the editor outside a container)."""
        if not pid or pid == os.getpid():
            return None
        if not process_alive(pid):
            log.warning("initialize named process %d, which is not visible from here; not watching it", pid)
            return None
        watch = cls(pid, on_gone, interval)
        watch._thread.start()
        return watch

    def gone(self) -> bool:
        return (self._our_parent and os.getppid() != self.pid) or not process_alive(self.pid)

    def _watch(self) -> None:
        while True:
            time.sleep(self.interval)
            if self.gone():
                log.warning("the editor's process %d is gone; exiting", self.pid)
                self.on_gone()
                return


def exit_now(status: int) -> None:
    """End the process at once, from any thread: the main thread may be blocked reading a stdin that
    nobody will ever close. Logs are flushed first."""
    for handler in logging.getLogger().handlers:
        try:
            handler.flush()
        except Exception:  # noqa: BLE001 - exiting anyway
            pass
    try:
        sys.stderr.flush()
    except Exception:  # noqa: BLE001
        pass
    os._exit(status)
