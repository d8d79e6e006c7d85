"""The server's start: ``initialize`` answered before the LSP libraries are loaded.

Importing lsprotocol's types (pygls needs them) takes most of a second: hundreds of attrs classes,
each compiled as it is defined. A client waits for the ``initialize`` result before it sends
anything else (Eglot freezes Emacs meanwhile), and that result depends on little: the position
encoding the client offers, whether it pulls diagnostics, and the capabilities that
:data:`~http_status_ls.lsp.server.FEATURES` advertises. So the stdio server reads the first frame,
and when it is a plain ``initialize`` it answers from :data:`CAPABILITIES` at once, then loads
pygls and hands it every frame, that ``initialize`` included. pygls handles it as usual (settings,
the parent watch, the workspace) and :class:`~http_status_ls.lsp.protocol.StatusProtocol` drops its
answer, having checked it is the one already sent. Anything else first (a request before
``initialize``, params this module cannot vouch for, a broken frame) takes the ordinary path.

``tests/unit/lsp/test_startup.py`` holds :data:`CAPABILITIES` equal to what pygls computes for the
table of features; it prints the new value when a feature is added. This module imports only the
standard library's small modules: ``tests/unit/cli/test_cold_start.py`` holds that.
"""

from __future__ import annotations

import json
import logging
import os
import sys

from http_status_ls import __version__
from http_status_ls.lsp.lifecycle import ParentWatch, ReadAhead, exit_now, process_alive

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from typing import Any, BinaryIO

CAPABILITIES: dict[str, Any] = {
    "textDocumentSync": {"openClose": True, "change": 2, "save": False},  # and see _SAVE_NOTICES
    "completionProvider": {"triggerCharacters": [".", "'", '"', "(", "="], "resolveProvider": True},
    "hoverProvider": True,
    "referencesProvider": True,
    "documentHighlightProvider": True,
    "codeActionProvider": {"codeActionKinds": ["quickfix", "refactor.rewrite", "source.fixAll"], "resolveProvider": False},
    "executeCommandProvider": {"commands": []},
    "inlayHintProvider": {"resolveProvider": False},
    "workspace": {"workspaceFolders": {"supported": True, "changeNotifications": True}, "fileOperations": {}},
}
"""The server's capabilities as pygls sends them to a client that gets diagnostics pushed, less the
``positionEncoding`` (chosen per client)."""

DIAGNOSTIC_PROVIDER: dict[str, Any] = {
    "interFileDependencies": False,
    "workspaceDiagnostics": False,
    "identifier": "http-status-ls",
}
"""Added for a client that pulls diagnostics (see :func:`~http_status_ls.lsp.push.pulls_diagnostics`)."""

SERVER_INFO = {"name": "http-status-ls", "version": __version__}

_ENCODINGS = ("utf-8", "utf-16", "utf-32")
"""The position encodings pygls supports; utf-16 is the LSP's default."""

_TRACE_VALUES = (None, "off", "messages", "verbose")

_SAVE_NOTICES = ("willSave", "willSaveWaitUntil")
"""Told ``false`` in ``textDocumentSync`` to a client that declares them at all (pygls does so):
the server handles neither."""

_SECTIONS = (
    ("general",),
    ("textDocument",),
    ("textDocument", "diagnostic"),
    ("textDocument", "synchronization"),
    ("workspace",),
    ("workspace", "diagnostics"),
)
"""The parts of the client's capabilities read here: each must be an object when present."""


class EarlyAnswer:
    """An ``initialize`` answered before pygls was loaded: its id, the message sent, and the watch
    on the editor's process (``processId``), started at once: the editor may die while pygls loads."""

    __slots__ = ("request_id", "message", "process_id", "parent_watch")

    def __init__(self, request_id: int | str, message: dict[str, Any], process_id: int | None = None):
        self.request_id = request_id
        self.message = message
        self.process_id = process_id
        self.parent_watch: ParentWatch | None = None


def _is(value: Any, kind: type | tuple[type, ...]) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)  # JSON's true is no number


def _optional(params: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> bool:
    value = params.get(key)
    return value is None or _is(value, kind)


def _section(capabilities: Any, *path: str) -> Any:
    """``capabilities[path[0]][path[1]]...``, None where a step is missing or null."""
    for key in path:
        if not isinstance(capabilities, dict):
            return None
        capabilities = capabilities.get(key)
    return capabilities


def plain_params(params: Any) -> bool:
    """Whether pygls is sure to accept these ``initialize`` params with the meaning read here: the
    fields pygls or this module reads have their LSP types. (Stricter than pygls: what fails here
    goes the ordinary way.)"""
    if not isinstance(params, dict) or not isinstance(params.get("capabilities"), dict):
        return False
    if not (_optional(params, "processId", int) and params.get("trace") in _TRACE_VALUES):
        return False
    if not all(_optional(params, key, str) for key in ("rootUri", "rootPath", "locale")):
        return False
    if not _optional(params, "workDoneToken", (int, str)):
        return False
    return _plain_client_and_folders(params) and _plain_capabilities(params["capabilities"])


def _plain_client_and_folders(params: dict[str, Any]) -> bool:
    """``clientInfo`` and ``workspaceFolders``, when given, have their LSP types."""
    client_info = params.get("clientInfo")
    if client_info is not None and not (isinstance(client_info, dict) and _is(client_info.get("name"), str)):
        return False
    folders = params.get("workspaceFolders")
    return folders is None or (
        isinstance(folders, list)
        and all(isinstance(f, dict) and _is(f.get("uri"), str) and _is(f.get("name"), str) for f in folders)
    )


def _plain_capabilities(capabilities: dict[str, Any]) -> bool:
    """The capability sections and flags read here have their LSP types."""
    if any(
        _section(capabilities, *path) is not None and not isinstance(_section(capabilities, *path), dict) for path in _SECTIONS
    ):
        return False
    flags = [_section(capabilities, "workspace", "diagnostics", "refreshSupport")]
    flags += [_section(capabilities, "textDocument", "synchronization", notice) for notice in _SAVE_NOTICES]
    if not all(flag is None or isinstance(flag, bool) for flag in flags):
        return False
    encodings = _section(capabilities, "general", "positionEncodings")
    return encodings is None or (isinstance(encodings, list) and all(isinstance(e, str) for e in encodings))


def position_encoding(capabilities: dict[str, Any]) -> str:
    """The encoding the server takes: utf-8 whenever offered (it spares converting positions),
    else the first one offered that pygls supports, else utf-16 (as StatusProtocol and pygls do)."""
    offered = _section(capabilities, "general", "positionEncodings")
    if not offered:
        return "utf-16"
    if "utf-8" in offered:
        return "utf-8"
    return next((encoding for encoding in offered if encoding in _ENCODINGS), "utf-16")


def pulls_diagnostics(capabilities: dict[str, Any]) -> bool:
    """:func:`~http_status_ls.lsp.push.pulls_diagnostics` on the capabilities as sent."""
    return _section(capabilities, "textDocument", "diagnostic") is not None and bool(
        _section(capabilities, "workspace", "diagnostics", "refreshSupport")
    )


def initialize_result(params: dict[str, Any]) -> dict[str, Any]:
    """What pygls answers ``initialize`` with these (plain) params, as JSON."""
    capabilities = params["capabilities"]
    server: dict[str, Any] = {"positionEncoding": position_encoding(capabilities), **CAPABILITIES}
    declared = [
        notice for notice in _SAVE_NOTICES if _section(capabilities, "textDocument", "synchronization", notice) is not None
    ]
    if declared:
        server["textDocumentSync"] = {**server["textDocumentSync"], **dict.fromkeys(declared, False)}
    if pulls_diagnostics(capabilities):
        server["diagnosticProvider"] = dict(DIAGNOSTIC_PROVIDER)
    return {"capabilities": server, "serverInfo": dict(SERVER_INFO)}


def capabilities_read(capabilities: dict[str, Any]) -> dict[str, Any]:
    """The part of a client's capabilities that :func:`initialize_result` reads, in the LSP's shape:
    what pygls is given when it refuses the rest (see ``StatusProtocol._answered_initialize``)."""
    text_document: dict[str, Any] = {}
    read: dict[str, Any] = {"general": {"positionEncodings": [position_encoding(capabilities)]}, "textDocument": text_document}
    synchronization = {
        notice: flag
        for notice in _SAVE_NOTICES
        if (flag := _section(capabilities, "textDocument", "synchronization", notice)) is not None
    }
    if synchronization:
        text_document["synchronization"] = synchronization
    if pulls_diagnostics(capabilities):
        text_document["diagnostic"] = {}
        read["workspace"] = {"diagnostics": {"refreshSupport": True}}
    return read


def early_answer(body: bytes) -> EarlyAnswer | None:
    """The answer to a frame that is a plain ``initialize`` request, or None."""
    try:
        message = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not (isinstance(message, dict) and message.get("jsonrpc") == "2.0" and message.get("method") == "initialize"):
        return None
    request_id = message.get("id")
    if not isinstance(request_id, (int, str)) or isinstance(request_id, bool) or not plain_params(message.get("params")):
        return None
    result = initialize_result(message["params"])
    return EarlyAnswer(request_id, {"id": request_id, "jsonrpc": "2.0", "result": result}, message["params"].get("processId"))


def send(answer: EarlyAnswer, stdout: BinaryIO) -> None:
    """Write the answer as pygls frames its own (the same headers, ASCII JSON)."""
    body = json.dumps(answer.message).encode("ascii")
    stdout.write(b"Content-Length: %d\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n%s" % (len(body), body))
    stdout.flush()


def configure_logging(log_file: str | None) -> None:
    """Logs go to ``log_file`` or stderr, never to stdout (it carries the protocol); the server's
    own at ``HTTP_STATUS_LS_LOG`` (default INFO), everyone else's from WARNING."""
    handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    level = os.environ.get("HTTP_STATUS_LS_LOG", "INFO").upper()
    logging.getLogger("http_status_ls").setLevel(getattr(logging, level, logging.INFO))


def serve(args: Any) -> int:
    """Run the language server as ``http-status-ls [--stdio | --tcp HOST:PORT] [--log-file PATH]`` asked."""
    if getattr(args, "tcp", None):
        from http_status_ls.lsp.server import run

        return run(args)
    configure_logging(getattr(args, "log_file", None))
    # stdout carries the protocol and nothing else: a stray print() anywhere goes to stderr.
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    reader = ReadAhead(sys.stdin.buffer)
    first = reader.first_frame()
    answered = None
    if first is not None and first.method == "initialize" and first.framing_error is None:
        answered = early_answer(first.body)
        if answered is not None:
            send(answered, protocol_out)
            # An editor that is not visible from here is left to the session, which says so.
            if answered.process_id and process_alive(answered.process_id):
                answered.parent_watch = ParentWatch.start(answered.process_id, lambda: exit_now(1))
    from http_status_ls.lsp.server import run_stdio

    return run_stdio(reader, protocol_out, answered)
