"""The language server: LSP wiring on pygls 2.x, and nothing else.

Handlers are thin. Each one finds the document, takes its cached analysis (one per version, see
:mod:`documents`), converts positions through the negotiated position codec, and calls a plain
function (:mod:`hover`, :mod:`completion`, :mod:`diagnostics`). A failing handler logs through
``window/logMessage`` and answers empty; it never ends the session. Logs go to stderr (or a file),
never to stdout, which carries the protocol.

Diagnostics are pushed (``textDocument/publishDiagnostics``) after a short debounce, always for the
latest version and tagged with it. A client that advertises pull diagnostics gets answers to
``textDocument/diagnostic`` instead and no pushes at all, so it never shows the same problem twice.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
import traceback
from typing import Any, Callable

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method

from . import __version__
from .analysis import warm_up
from .completion import CompletionSupport, complete, resolve
from .diagnostics import SEVERITY, SOURCE, diagnostics
from .documents import Document, DocumentStore
from .hover import hover
from .positions import ClientPositions

log = logging.getLogger("http_status_ls")

DEBOUNCE_SECONDS = 0.015
"""How long a burst of edits may settle before diagnostics are recomputed and pushed."""

COMPLETION_TRIGGERS = [".", "'", '"', "(", "="]


class StatusProtocol(LanguageServerProtocol):
    """pygls' protocol with two changes.

    - utf-8 positions are chosen whenever the client offers them (pygls takes the client's first).
    - Open documents are kept by :class:`DocumentStore` only: pygls' workspace copy would re-split a
      4 MB text on every keystroke and could not tell us the byte offsets tree-sitter needs.
    """

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(self, params: types.InitializeParams):
        general = params.capabilities.general
        if general is not None and general.position_encodings:
            offered = list(general.position_encodings)
            if types.PositionEncodingKind.Utf8 in offered:
                offered.remove(types.PositionEncodingKind.Utf8)
                general.position_encodings = [types.PositionEncodingKind.Utf8, *offered]
        return (yield from super().lsp_initialize(params))

    def _to_user_handler(self, method: str, params: Any):
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)


class StatusServer(LanguageServer):
    """Session state: the open documents, what the client supports, pending diagnostics."""

    def __init__(self, debounce: float | None = None):
        super().__init__(
            name="http-status-ls",
            version=__version__,
            protocol_cls=StatusProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        )
        self.store = DocumentStore()
        self.severity = dict(SEVERITY)
        self.pull_diagnostics = False
        self.hover_markdown = True
        self.completion_support = CompletionSupport()
        if debounce is None:
            debounce = float(os.environ.get("HTTP_STATUS_LS_DEBOUNCE_MS", DEBOUNCE_SECONDS * 1000)) / 1000
        self.debounce = debounce
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._published: dict[str, tuple[int, int]] = {}

    # --- capabilities ----------------------------------------------------------------------------

    def adopt_client(self, capabilities: types.ClientCapabilities) -> None:
        self.pull_diagnostics = get_capability(capabilities, "text_document.diagnostic", None) is not None
        formats = get_capability(capabilities, "text_document.hover.content_format", None) or []
        self.hover_markdown = types.MarkupKind.Markdown in formats
        self.completion_support = CompletionSupport.from_capabilities(capabilities)

    # --- documents and their analysis ------------------------------------------------------------

    def positions(self, document: Document) -> ClientPositions:
        return ClientPositions(document.lines, self.workspace.position_codec)

    def analysed(self, uri: str) -> tuple[Document, Any] | None:
        document = self.store.get(uri)
        if document is None:
            return None
        fresh = not document.analysed
        analysis = document.analysis(self.store.extra_keys)
        if fresh:
            log.debug(
                "analysed %s v%s (%s) in %.1f ms: %d occurrences%s",
                uri, document.version, analysis.language, document.last_analysis_seconds * 1000,
                len(analysis.occurrences), "; " + "; ".join(analysis.detection.notes) if analysis.detection.notes else "",
            )
        return document, analysis

    def diagnostics_of(self, document: Document) -> list[types.Diagnostic]:
        def compute() -> list[types.Diagnostic]:
            found = self.analysed(document.uri)
            if found is None:
                return []
            _, analysis = found
            return diagnostics(analysis, to_range=self.positions(document).range, severity=self.severity)

        return document.memo("diagnostics", compute)

    # --- push diagnostics ------------------------------------------------------------------------

    def schedule(self, uri: str, delay: float) -> None:
        """Push diagnostics for ``uri`` once edits have paused for ``delay`` seconds."""
        if self.pull_diagnostics:
            return
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(delay, self.publish, uri)

    def publish(self, uri: str) -> None:
        """Push the diagnostics of the document's current version (never of an older one)."""
        self._timers.pop(uri, None)
        try:
            document = self.store.get(uri)
            if document is None or self.pull_diagnostics:
                return
            if self._published.get(uri) == (id(document), document.revision):
                return
            items = self.diagnostics_of(document)
            self._published[uri] = (id(document), document.revision)
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=document.version)
            )
        except Exception as error:
            self.report_failure("publishDiagnostics", error)

    def forget(self, uri: str) -> None:
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        self._published.pop(uri, None)

    def cancel_all(self) -> None:
        for uri in list(self._timers):
            self.forget(uri)

    # --- failures --------------------------------------------------------------------------------

    def report_failure(self, what: str, error: BaseException) -> None:
        log.error("%s failed: %s", what, "".join(traceback.format_exception(error)))
        try:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=f"{SOURCE}: {what} failed: {error!r}")
            )
        except Exception:  # the client may be gone; stderr has it
            pass

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls' default pops up window/showMessage; a log entry is enough and less intrusive.
        self.report_failure(getattr(source, "__name__", "server"), error)


def guarded(fallback: Callable[[], Any] = lambda: None):
    """Run a handler so that an exception is logged and answered with ``fallback()``."""

    def wrap(handler: Callable[[StatusServer, Any], Any]):
        @functools.wraps(handler)
        def run(ls: StatusServer, params: Any):
            try:
                return handler(ls, params)
            except Exception as error:
                ls.report_failure(handler.__name__, error)
                return fallback()

        return run

    return wrap


def build_server(debounce: float | None = None) -> StatusServer:
    """A server with every feature registered (one per session; tests may build their own)."""
    server = StatusServer(debounce)

    @server.feature(types.INITIALIZE)
    @guarded()
    def initialize(ls: StatusServer, params: types.InitializeParams):
        ls.adopt_client(params.capabilities)
        log.info(
            "http-status-ls %s: positions in %s, diagnostics %s",
            __version__, ls.workspace.position_encoding, "pulled" if ls.pull_diagnostics else "pushed",
        )

    @server.feature(types.INITIALIZED)
    @guarded()
    def initialized(ls: StatusServer, params: types.InitializedParams):
        warm_up()

    @server.feature(types.SHUTDOWN)
    @guarded()
    def shutdown(ls: StatusServer, params: None):
        ls.cancel_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: StatusServer, params: types.DidOpenTextDocumentParams):
        item = params.text_document
        ls.forget(item.uri)
        ls.store.open(item.uri, item.language_id, item.version, item.text)
        ls.schedule(item.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: StatusServer, params: types.DidChangeTextDocumentParams):
        uri = params.text_document.uri
        changed = ls.store.change(uri, params.text_document.version, params.content_changes, ls.workspace.position_codec)
        if changed is not None:
            ls.schedule(uri, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: StatusServer, params: types.DidCloseTextDocumentParams):
        uri = params.text_document.uri
        ls.forget(uri)
        if ls.store.close(uri) is not None and not ls.pull_diagnostics:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded()
    def on_hover(ls: StatusServer, params: types.HoverParams):
        found = ls.analysed(params.text_document.uri)
        if found is None:
            return None
        document, analysis = found
        positions = ls.positions(document)
        line, col = positions.point(params.position)
        return hover(analysis, line, col, markdown=ls.hover_markdown, to_range=positions.range)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS, resolve_provider=True),
    )
    @guarded()
    def on_completion(ls: StatusServer, params: types.CompletionParams):
        found = ls.analysed(params.text_document.uri)
        if found is None:
            return None
        document, analysis = found
        positions = ls.positions(document)
        line, col = positions.point(params.position)
        return complete(analysis, document.lines, line, col, support=ls.completion_support, to_range=positions.range)

    @server.feature(types.COMPLETION_ITEM_RESOLVE)
    def on_resolve(ls: StatusServer, item: types.CompletionItem):
        try:
            return resolve(item, ls.completion_support)
        except Exception as error:
            ls.report_failure("completionItem/resolve", error)
            return item

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    @guarded(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
    def on_diagnostic(ls: StatusServer, params: types.DocumentDiagnosticParams):
        document = ls.store.get(params.text_document.uri)
        if document is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{id(document):x}.{document.revision}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=ls.diagnostics_of(document), result_id=result_id)

    return server


def _configure_logging(log_file: str | None) -> None:
    handler: logging.Handler = logging.FileHandler(log_file, encoding="utf-8") if log_file else logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    level = os.environ.get("HTTP_STATUS_LS_LOG", "INFO").upper()
    log.setLevel(getattr(logging, level, logging.INFO))


def start_io() -> None:
    """Speak LSP on stdin/stdout until the client says exit."""
    build_server().start_io()


def run(args: Any) -> int:
    """Start the server as ``http-status-ls [--stdio | --tcp HOST:PORT] [--log-file PATH]`` asked."""
    _configure_logging(getattr(args, "log_file", None))
    server = build_server()
    tcp = getattr(args, "tcp", None)
    if tcp:
        host, _, port = tcp.rpartition(":")
        server.start_tcp(host or "127.0.0.1", int(port))
    else:
        server.start_io()
    return 0
