"""A bare LSP client over a real server process's pipes: the one hand-written JSON-RPC client.

The hardening tests and the benchmarks (``bench/``) both drive the server through it. pytest-lsp
hides what they need to look at: every byte the server writes to stdout (only LSP frames may appear
there), when each answer and notification arrived, the exit status, the process's memory, and what
happens when stdin closes or the parent dies. This client frames JSON-RPC by hand, reads stdout on a
thread (so arrival times are taken as frames come in, not when the caller gets round to them),
checks every frame as it arrives (anything that is not a well-formed frame goes to ``garbage``) and
answers the server's own requests (``workspace/configuration`` with nulls, registrations with null).
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

SERVER_COMMAND = (sys.executable, "-m", "http_status_ls")


def frame(message: dict) -> bytes:
    """``message`` as one LSP frame: a Content-Length header and the JSON body in UTF-8."""
    body = json.dumps(message, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frame(stream: IO[bytes], garbage: list[bytes], copy: bytearray | None = None) -> dict | None:
    """The next well-formed JSON-RPC message on ``stream``, or None at the end of the stream.

    Whatever is not part of a well-formed frame (a header line that is not one, a frame without
    Content-Length, a body that is not a JSON-RPC 2.0 object) is appended to ``garbage`` and passed
    over; every byte read is also appended to ``copy`` when one is given."""
    while True:
        length = None
        while True:
            header = stream.readline()
            if not header:
                return None
            if copy is not None:
                copy += header
            if header == b"\r\n":
                break
            name, colon, value = header.partition(b":")
            if not colon or not header.endswith(b"\r\n"):
                garbage.append(header)
                continue
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
            elif name.strip().lower() != b"content-type":
                garbage.append(header)
        if length is None:
            garbage.append(b"<frame without Content-Length>")
            continue
        body = stream.read(length)
        if copy is not None:
            copy += body
        try:
            message = json.loads(body)
        except ValueError:
            garbage.append(body)
            continue
        if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
            garbage.append(body)
            continue
        return message


@dataclass
class Answer:
    """One response: its result or error, and the round trip in seconds as the client saw it."""

    result: Any = None
    error: dict | None = None
    seconds: float = 0.0


@dataclass
class Notification:
    method: str
    params: Any
    at: float = field(default_factory=time.perf_counter)


def process_cpu_seconds(pid: int) -> float | None:
    """The user and system CPU time a process has used so far, all its threads, in ticks of the
    kernel's clock (10 ms); None where there is no /proc to read it from or the process is gone. CPU
    time is what the load of other processes moves least, where wall-clock figures of the same code
    moved by a fifth between runs on a shared machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class ServerProcess:
    """One server process and the plumbing to talk to it."""

    def __init__(
        self,
        *arguments: str,
        env: dict[str, str] | None = None,
        command: Sequence[str] = SERVER_COMMAND,
        keep_stdout: bool = True,
        stderr_path: Path | None = None,
    ):
        environment = {**os.environ, **(env or {})}
        self._stderr_file = open(stderr_path, "wb") if stderr_path else None  # noqa: SIM115 - closed in close()
        self.process = subprocess.Popen(
            [*command, *arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr_file or subprocess.PIPE,
            env=environment,
        )
        self.keep_stdout = keep_stdout
        self.stdout_bytes = bytearray()
        self.garbage: list[bytes] = []
        self.stderr_lines: list[str] = []
        self.notifications: list[Notification] = []
        self.unmatched_answers: list[dict] = []
        """Answers to no request this client is waiting on: a null id (a message the server could
        not read), an id sent with :meth:`send` by hand, or a second answer to the same request."""
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[threading.Event, list]] = {}
        self._sent: dict[int, float] = {}
        self._lock = threading.Condition()
        self._write_lock = threading.Lock()
        self.initialize_result: dict | None = None
        self._reader = threading.Thread(target=self._read_stdout, daemon=True)
        self._reader.start()
        if self._stderr_file is None:
            threading.Thread(target=self._read_stderr, daemon=True).start()

    # --- writing ---------------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        with self._write_lock:
            assert self.process.stdin is not None
            self.process.stdin.write(data)
            self.process.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_raw(frame(message))

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def request_id(self, method: str, params: Any = None) -> int:
        """Send a request without waiting; returns its id (see :meth:`answer`)."""
        number = next(self._ids)
        with self._lock:
            self._pending[number] = (threading.Event(), [])
        self._sent[number] = time.perf_counter()
        self.send({"jsonrpc": "2.0", "id": number, "method": method, "params": params})
        return number

    def answer(self, number: int, timeout: float = 30.0) -> Answer:
        event, box = self._pending[number]
        if not event.wait(timeout):
            raise TimeoutError(f"no answer to request {number} within {timeout} s")
        received, message = box
        del self._pending[number]
        return Answer(message.get("result"), message.get("error"), received - self._sent.pop(number))

    def request(self, method: str, params: Any = None, timeout: float = 30.0) -> Answer:
        return self.answer(self.request_id(method, params), timeout)

    # --- reading ---------------------------------------------------------------------------------

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        copy = self.stdout_bytes if self.keep_stdout else None
        while (message := read_frame(self.process.stdout, self.garbage, copy)) is not None:
            self._dispatch(message, time.perf_counter())

    def _dispatch(self, message: dict, received: float) -> None:
        if "method" in message and "id" in message:  # the server asks something of the client
            method, params = message["method"], message.get("params") or {}
            result = [None] * len(params.get("items", [])) if method == "workspace/configuration" else None
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": result})
        elif "id" in message:
            with self._lock:
                pending = self._pending.get(message["id"])
            if pending is not None and not pending[0].is_set():
                event, box = pending
                box[:] = [received, message]
                event.set()
            else:
                with self._lock:
                    self.unmatched_answers.append(message)
                    self._lock.notify_all()
        else:
            with self._lock:
                self.notifications.append(Notification(message.get("method", ""), message.get("params"), received))
                self._lock.notify_all()

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.append(line.decode("utf-8", "replace"))

    def wait_for(self, predicate: Callable[[Notification], bool], timeout: float = 10.0) -> Notification:
        """The first notification (already received or still to come) that satisfies ``predicate``."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for notification in self.notifications:
                    if predicate(notification):
                        return notification
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no matching notification arrived")
                self._lock.wait(left)

    def answers_to(self, request_id: Any, timeout: float = 10.0, count: int = 1) -> list[dict]:
        """The unmatched answers (see :attr:`unmatched_answers`) with ``request_id``, once ``count`` of
        them have arrived or ``timeout`` has passed."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [answer for answer in self.unmatched_answers if answer.get("id", "absent") == request_id]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self._lock.wait(left)

    def published(self, uri: str) -> list[Notification]:
        with self._lock:
            return [n for n in self.notifications if n.method == "textDocument/publishDiagnostics" and n.params["uri"] == uri]

    def log_messages(self) -> list[str]:
        with self._lock:
            return [n.params["message"] for n in self.notifications if n.method == "window/logMessage"]

    def forget_notifications(self, keep: int = 0) -> list[Notification]:
        """Drop all but the last ``keep`` notifications received and return the dropped ones: a long
        session (the soak benchmark) keeps the client's own memory flat with this."""
        with self._lock:
            cut = max(0, len(self.notifications) - keep)
            dropped, self.notifications = self.notifications[:cut], self.notifications[cut:]
            return dropped

    # --- the session -----------------------------------------------------------------------------

    def initialize(
        self,
        *,
        encoding: str = "utf-16",
        pull: bool = False,
        process_id: int | None = None,
        options: dict | None = None,
        resolve_documentation: bool = False,
        root_uri: str | None = None,
    ) -> dict:
        """``initialize`` then ``initialized``, with the capabilities of a plain editor: positions in
        ``encoding``, diagnostics pulled or pushed, and completion documentation sent up front or (with
        ``resolve_documentation``, as VS Code does) left for ``completionItem/resolve``."""
        completion_item: dict[str, Any] = {"snippetSupport": True, "documentationFormat": ["markdown"]}
        if resolve_documentation:
            completion_item["resolveSupport"] = {"properties": ["documentation"]}
        text_document: dict[str, Any] = {
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "completion": {"completionItem": completion_item},
            "publishDiagnostics": {"versionSupport": True},
            "synchronization": {"didSave": True},
        }
        capabilities: dict[str, Any] = {"general": {"positionEncodings": [encoding]}, "textDocument": text_document}
        if pull:
            # A pulling client the server can also tell to pull again (it answers the refresh request
            # like any other): one that can't is pushed to instead.
            text_document["diagnostic"] = {"dynamicRegistration": False}
            capabilities["workspace"] = {"diagnostics": {"refreshSupport": True}}
        answer = self.request(
            "initialize",
            {
                "processId": process_id,
                "rootUri": root_uri,
                "capabilities": capabilities,
                "initializationOptions": options,
            },
        )
        assert answer.error is None, answer.error
        self.initialize_result = answer.result
        self.notify("initialized", {})
        return answer.result

    @property
    def encoding(self) -> str:
        assert self.initialize_result is not None
        return self.initialize_result["capabilities"].get("positionEncoding") or "utf-16"

    def open(self, uri: str, language_id: str, text: str, version: int = 1) -> None:
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": language_id, "version": version, "text": text}},
        )

    def change(self, uri: str, version: int, changes: list[dict]) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": changes})

    def close_document(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def hover(self, uri: str, line: int, character: int, timeout: float = 30.0) -> Answer:
        return self.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}, timeout
        )

    def completion(self, uri: str, line: int, character: int, timeout: float = 30.0) -> Answer:
        return self.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}, timeout
        )

    def pull_diagnostics(self, uri: str, timeout: float = 30.0) -> Answer:
        return self.request("textDocument/diagnostic", {"textDocument": {"uri": uri}}, timeout)

    def diagnostics(self, uri: str, version: int | None, timeout: float = 30.0) -> tuple[list[dict], float]:
        """The pushed diagnostics of ``uri`` at ``version`` and the seconds waited for them."""
        started = time.perf_counter()
        found = self.wait_for(
            lambda n: (
                n.method == "textDocument/publishDiagnostics"
                and n.params["uri"] == uri
                and (version is None or n.params.get("version") == version)
            ),
            timeout,
        )
        return found.params["diagnostics"], max(0.0, found.at - started)

    def alive(self) -> bool:
        return self.process.poll() is None

    def memory_mb(self) -> tuple[float, float] | None:
        """The process's resident set now and at its peak (VmRSS, VmHWM) in MB; None where there is
        no /proc to read them from (not Linux) or the process is gone."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text()
        except OSError:
            return None
        found = {key: int(value) / 1024 for key, value in re.findall(r"(VmRSS|VmHWM):\s+(\d+) kB", status)}
        return found.get("VmRSS", 0.0), found.get("VmHWM", 0.0)

    def cpu_seconds(self) -> float | None:
        """The user and system CPU time the process has used so far (`process_cpu_seconds`)."""
        return process_cpu_seconds(self.process.pid)

    def shutdown(self, timeout: float = 10.0) -> int:
        """``shutdown`` then ``exit``; the exit status."""
        self.request("shutdown", None, timeout)
        self.notify("exit")
        return self.process.wait(timeout)

    def close(self) -> None:
        """End the process whatever state it is in (tests call this in a finally)."""
        if self.process.poll() is None:
            try:
                self.process.stdin.close()  # type: ignore[union-attr]
                self.process.wait(5)
            except Exception:  # noqa: BLE001 - fall through to kill
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        if self._stderr_file is not None:
            self._stderr_file.close()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
