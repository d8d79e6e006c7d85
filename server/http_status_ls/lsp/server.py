"""The language server assembled: which handler answers which LSP method, with what options, and
how the process runs it.

The pieces live next door: :mod:`handlers` (one function per method), :mod:`session` (the state
they share), :mod:`push` (pushed diagnostics), :mod:`configuration` (the settings layers),
:mod:`documents`, :mod:`lifecycle` (reading stdin, exit statuses) and :mod:`protocol` (every hook
into pygls). :data:`FEATURES` is the list of what the server answers, so the capabilities it
advertises can be read in one place.

Logs go to stderr (or a file), never to stdout, which carries the protocol.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, BinaryIO

from lsprotocol import types

from http_status_ls.features.actions.request import KINDS as CODE_ACTION_KINDS
from http_status_ls.features.diagnostics import SOURCE
from http_status_ls.lsp import handlers
from http_status_ls.lsp.protocol import serve_stdio
from http_status_ls.lsp.session import StatusServer
from http_status_ls.lsp.startup import configure_logging

if TYPE_CHECKING:
    from http_status_ls.lsp.lifecycle import ReadAhead
    from http_status_ls.lsp.startup import EarlyAnswer

log = logging.getLogger("http_status_ls")

COMPLETION_TRIGGERS = [".", "'", '"', "(", "="]

FEATURES: tuple[tuple[str, Any, Callable[..., Any]], ...] = (
    (types.INITIALIZE, None, handlers.initialize),
    (types.INITIALIZED, None, handlers.initialized),
    (types.SHUTDOWN, None, handlers.shutdown),
    (types.EXIT, None, handlers.on_exit),
    (types.TEXT_DOCUMENT_DID_OPEN, None, handlers.did_open),
    (types.TEXT_DOCUMENT_DID_CHANGE, None, handlers.did_change),
    (types.TEXT_DOCUMENT_DID_CLOSE, None, handlers.did_close),
    (types.TEXT_DOCUMENT_HOVER, None, handlers.on_hover),
    (
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS, resolve_provider=True),
        handlers.on_completion,
    ),
    (types.COMPLETION_ITEM_RESOLVE, None, handlers.on_resolve),
    (
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS, resolve_provider=False),
        handlers.on_code_action,
    ),
    (types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False), handlers.on_inlay_hint),
    (
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
        handlers.on_diagnostic,
    ),
    (types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT, None, handlers.on_highlight),
    (types.TEXT_DOCUMENT_REFERENCES, None, handlers.on_references),
    (types.WORKSPACE_DID_CHANGE_CONFIGURATION, None, handlers.did_change_configuration),
    (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, handlers.did_change_watched_files),
)
"""(LSP method, the options advertised for it, its handler). :data:`~http_status_ls.lsp.startup.CAPABILITIES`
copies what they advertise, to answer ``initialize`` before pygls loads; ``tests/unit/lsp/test_startup.py``
holds the two equal and prints the new value when a row changes them."""


def build_server(debounce: float | None = None) -> StatusServer:
    """A server with every feature registered (one per session; tests may build their own)."""
    server = StatusServer(debounce)
    for method, options, handler in FEATURES:
        server.feature(method, options)(handler)
    return server


def start_io() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    build_server().start_stdio(sys.stdin.buffer, sys.stdout.buffer)


def run(args: Any) -> int:
    """Start the server as ``http-status-ls [--stdio | --tcp HOST:PORT] [--log-file PATH]`` asked."""
    configure_logging(getattr(args, "log_file", None))
    server = build_server()
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        # stdout carries the protocol and nothing else: a stray print() anywhere goes to stderr.
        protocol_out = sys.stdout.buffer
        sys.stdout = sys.stderr
        server.start_stdio(sys.stdin.buffer, protocol_out)
    return server.final_status


def run_stdio(reader: ReadAhead, protocol_out: BinaryIO, answered: EarlyAnswer | None) -> int:
    """Serve stdio through ``reader``, already reading, once :mod:`startup` has configured the logs
    and perhaps answered ``initialize`` (``answered``): pygls handles that frame too, and its answer
    is dropped."""
    server = build_server()
    if answered is not None and answered.parent_watch is not None:
        server.parent_watch = answered.parent_watch  # the session keeps the watch startup began
    serve_stdio(server, reader, protocol_out, server.report_server_error, answered)
    return server.final_status
