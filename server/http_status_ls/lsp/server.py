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
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.io_ import StdoutWriter, run_async
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import from_fs_path

from http_status_ls import __version__
from http_status_ls.core.occurrences import Analysis, Detection, Span
from http_status_ls.core.positions import ClientPositions
from http_status_ls.core.settings import DEFAULTS as DEFAULT_SETTINGS
from http_status_ls.core.settings import SECTION as SETTINGS_SECTION
from http_status_ls.core.settings import Settings
from http_status_ls.detect.analysis import warm_up
from http_status_ls.features.code_actions import KINDS as CODE_ACTION_KINDS
from http_status_ls.features.code_actions import code_actions
from http_status_ls.features.completion import CompletionSupport, complete, resolve
from http_status_ls.features.diagnostics import RULES, SEVERITY, SOURCE, diagnostics
from http_status_ls.features.hover import hover
from http_status_ls.features.inlay_hints import hints_enabled, inlay_hints
from http_status_ls.features.references import (
    SearchScope,
    SearchStats,
    highlights,
    open_texts_of,
    roots_of,
    symbol_at,
    workspace_references,
)
from http_status_ls.features.suppression import drop_suppressed
from http_status_ls.lsp.configuration import NO_SECTION, SessionSettings, live_section, message_for
from http_status_ls.lsp.documents import Document, DocumentStore
from http_status_ls.lsp.lifecycle import ParentWatch, ReadAhead, exit_now

log = logging.getLogger("http_status_ls")

DEBOUNCE_SECONDS = 0.015
"""How long a burst of edits may settle before diagnostics are recomputed and pushed."""

COMPLETION_TRIGGERS = [".", "'", '"', "(", "="]

CONFIGURATION_TIMEOUT = 2.0
"""How long diagnostics wait for the client's answer to ``workspace/configuration``."""

REFERENCES_SLICE_SECONDS = 0.02
"""A workspace-wide references search hands the event loop back this often, so edits, hovers and
a ``$/cancelRequest`` are served while it runs."""


class DocumentView(NamedTuple):
    document: Document
    analysis: Analysis
    positions: ClientPositions


class StatusProtocol(LanguageServerProtocol):
    """pygls' protocol with these changes.

    - utf-8 positions are chosen whenever the client offers them (pygls takes the client's first).
    - Open documents are kept by :class:`DocumentStore` only: pygls' workspace copy would re-split a
      4 MB text on every keystroke and could not tell us the byte offsets tree-sitter needs.
    - Requests already cancelled, and pulls for text already superseded, are not started (see
      :class:`lifecycle.ReadAhead`); finished notifications leave nothing behind.
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

    read_ahead: ReadAhead | None = None
    """Set when serving stdio: the messages already read but not yet handled (see :mod:`lifecycle`)."""

    def handle_message(self, message: Any) -> None:
        super().handle_message(message)
        # pygls files the future of every notification whose handler is a generator (didOpen,
        # didChange and didClose here) under _request_futures and never takes it out: one object per
        # keystroke for the whole session. Finished ones are dropped; a request's own is taken out
        # when its answer is sent (popping it twice is harmless).
        futures = self._request_futures
        if futures:
            for key in [key for key, future in futures.items() if future.done()]:
                futures.pop(key, None)

    def _handle_request(self, msg_id: Any, method_name: str, params: Any):
        # Work nobody will read is not started: a request already cancelled by a message waiting
        # behind it, or a pull for diagnostics of a text whose next change is already here (the
        # client pulls again after that change; it is told so, and may retrigger).
        read_ahead = self.read_ahead
        if read_ahead is not None:
            if read_ahead.take_cancel(msg_id):
                log.debug("%s %s: cancelled before it started", method_name, msg_id)
                error = types.ResponseError(code=types.LSPErrorCodes.RequestCancelled, message=f"{method_name} cancelled")
                self._send_response(msg_id, error=error)
                return
            if method_name == types.TEXT_DOCUMENT_DIAGNOSTIC:
                uri = getattr(getattr(params, "text_document", None), "uri", None)
                if uri is not None and read_ahead.change_waiting(uri):
                    log.debug("%s %s: %s changes next; not computed", method_name, msg_id, uri)
                    error = types.ResponseError(
                        code=types.LSPErrorCodes.ServerCancelled,
                        message="the document changes next",
                        data={"retriggerRequest": True},
                    )
                    self._send_response(msg_id, error=error)
                    return
        super()._handle_request(msg_id, method_name, params)

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
        self._published: dict[str, tuple[int, int, int]] = {}
        # Settings (see session_settings): the merged result, a generation bumped by every change
        # (part of every cached diagnostic and result id), and what the client lets us ask.
        self.settings: Settings = DEFAULT_SETTINGS
        self.settings_generation = 0
        self.session_settings = SessionSettings(RULES)
        self.configuration_support = False
        self.diagnostic_refresh_support = False
        self.inlay_hint_refresh_support = False
        self.session_ready = False
        self._configuration_pending = 0
        self._settings_message_shown: tuple[str, ...] = ()
        self._settings_message_pending: str | None = None
        self._skipped_logged: set[str] = set()
        self._tasks: set[asyncio.Future] = set()
        # Lifecycle (see lifecycle.py): whether `shutdown` came, the status `exit` asked for, the
        # watch on the editor's process.
        self.shutdown_received = False
        self.exit_status: int | None = None
        self.parent_watch: ParentWatch | None = None
        self._reporting = False

    # --- capabilities ----------------------------------------------------------------------------

    def adopt_client(self, capabilities: types.ClientCapabilities) -> None:
        self.pull_diagnostics = get_capability(capabilities, "text_document.diagnostic", None) is not None
        formats = get_capability(capabilities, "text_document.hover.content_format", None) or []
        self.hover_markdown = types.MarkupKind.Markdown in formats
        self.completion_support = CompletionSupport.from_capabilities(capabilities)
        self.configuration_support = bool(get_capability(capabilities, "workspace.configuration", False))
        self.diagnostic_refresh_support = bool(get_capability(capabilities, "workspace.diagnostics.refresh_support", False))
        self.inlay_hint_refresh_support = bool(get_capability(capabilities, "workspace.inlay_hint.refresh_support", False))

    # --- documents and their analysis ------------------------------------------------------------

    def positions(self, document: Document) -> ClientPositions:
        """Position conversion for the document's current version (one per version: it caches the
        unit counts of long lines)."""
        codec = self.workspace.position_codec
        return document.memo(f"positions/{codec.encoding}", lambda: ClientPositions(document.lines, codec))

    def analysed(self, uri: str) -> tuple[Document, Any] | None:
        document = self.store.get(uri)
        if document is None:
            return None
        if (reason := self.skip_reason(document)) is not None:
            # Switched off or too large: an empty analysis, so every feature answers nothing.
            empty = Detection(notes=(f"skipped: {reason}",))
            return document, Analysis(uri=uri, version=document.version, language=document.language or "unknown", detection=empty)
        fresh = not document.analysed
        analysis = document.analysis(self.store.extra_keys)
        if fresh:
            log.debug(
                "analysed %s v%s (%s) in %.1f ms: %d occurrences%s",
                uri,
                document.version,
                analysis.language,
                document.last_analysis_seconds * 1000,
                len(analysis.occurrences),
                "; " + "; ".join(analysis.detection.notes) if analysis.detection.notes else "",
            )
        return document, analysis

    def view(self, uri: str) -> DocumentView | None:
        """What a request about one document needs: the document, its analysis and its positions."""
        found = self.analysed(uri)
        if found is None:
            return None
        document, analysis = found
        return DocumentView(document, analysis, self.positions(document))

    def diagnostics_of(self, document: Document) -> list[types.Diagnostic]:
        def compute() -> list[types.Diagnostic]:
            found = self.analysed(document.uri)
            if found is None:
                return []
            _, analysis = found
            items = diagnostics(analysis, to_range=self.positions(document).range, severity=self.severity)
            return drop_suppressed(document.text, items) if items else items

        return document.memo(f"diagnostics/{self.settings_generation}", compute)

    def skip_reason(self, document: Document) -> str | None:
        """Why the settings keep a document from being analysed (its language is switched off, it
        is over ``maxFileSize``), or None. Said once per opened document in the client's log."""
        settings = self.settings

        def decide() -> str | None:
            if document.language is not None and not settings.languages.enabled(document.language):
                return f"{document.language} is switched off in the settings (httpStatus.languages)"
            limit = settings.max_file_size
            size = sum(map(len, document.lines))
            if size * 4 > limit:  # only then can the UTF-8 size be over the limit: count bytes
                size = len(document.text.encode("utf-8", "surrogatepass"))
            if size > limit:
                return f"{size:,} bytes is over maxFileSize ({limit:,} bytes)"
            return None

        reason = document.memo(f"skip/{self.settings_generation}", decide)
        if reason is not None and document.uri not in self._skipped_logged:
            self._skipped_logged.add(document.uri)
            log.info("not analysed: %s: %s", document.uri, reason)
            try:
                self.window_log_message(
                    types.LogMessageParams(
                        type=types.MessageType.Info, message=f"{SOURCE}: not analysed: {document.uri}: {reason}"
                    )
                )
            except Exception:  # no client to tell (unit tests); stderr has it
                pass
        return reason

    # --- settings --------------------------------------------------------------------------------

    def workspace_roots(self) -> list[str]:
        """The workspace's directories: its folders, else the root URI."""
        workspace = self.workspace
        return roots_of([folder.uri for folder in workspace.folders.values()], workspace.root_uri, workspace.root_path)

    def refresh_settings(self) -> bool:
        """Merge every settings layer again and apply the result; True when anything changed."""
        roots = self.workspace_roots()
        self.session_settings.root = Path(roots[0]) if roots else None
        settings, messages = self.session_settings.compute()
        self.report_settings_messages(messages)
        if settings == self.settings:
            return False
        self.settings = settings
        self.severity = settings.severity_table(SEVERITY)
        self.settings_generation += 1
        self.store.set_extra_keys(settings.extra_yaml_keys)  # re-analyses documents if the keys changed
        self._skipped_logged.clear()
        log.info("settings now %s (pyproject: %s)", settings, self.session_settings.pyproject)
        self.rediagnose_all()
        return True

    def rediagnose_all(self) -> None:
        """Fresh diagnostics for every open document after a settings change: pushed again, or the
        client asked to pull again when it can be asked (otherwise its next pull gets them: the
        result ids changed)."""
        if not self.session_ready:
            return
        if self.pull_diagnostics:
            if self.diagnostic_refresh_support:
                self._request_quietly("workspace/diagnostic/refresh", self.workspace_diagnostic_refresh)
        else:
            for document in self.store:
                self.schedule(document.uri, 0)
        if self.inlay_hint_refresh_support:
            self._request_quietly("workspace/inlayHint/refresh", self.workspace_inlay_hint_refresh)

    def _request_quietly(self, what: str, send: Callable[[None], Any]) -> None:
        def done(future: Any) -> None:
            if future.cancelled() or future.exception() is None:
                return
            log.info("%s failed: %r", what, future.exception())

        try:
            send(None).add_done_callback(done)
        except Exception as error:
            log.info("%s not sent: %r", what, error)

    def report_settings_messages(self, messages: list[str]) -> None:
        """Tell the user about bad settings with one ``window/showMessage`` (Warning) naming every
        bad key; the same set is not shown twice in a row."""
        for message in messages:
            log.warning("settings: %s", message)
        if tuple(messages) == self._settings_message_shown:
            return
        self._settings_message_shown = tuple(messages)
        if not messages:
            return
        self._settings_message_pending = message_for(messages)
        if self.session_ready:
            self.show_pending_settings_message()

    def show_pending_settings_message(self) -> None:
        text, self._settings_message_pending = self._settings_message_pending, None
        if text:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Warning, message=text))

    async def settings_settled(self) -> None:
        """Wait (at most :data:`CONFIGURATION_TIMEOUT`) for a pending ``workspace/configuration``."""
        deadline = time.monotonic() + CONFIGURATION_TIMEOUT
        while self._configuration_pending and time.monotonic() < deadline:
            await asyncio.sleep(0.005)

    def pull_configuration(self) -> None:
        """Ask the client for our section (if it can be asked) and apply the answer. Pushed
        diagnostics wait for the answer, up to :data:`CONFIGURATION_TIMEOUT`."""
        if not self.configuration_support:
            return
        roots = self.workspace_roots()
        item = types.ConfigurationItem(section=SETTINGS_SECTION, scope_uri=from_fs_path(roots[0]) if roots else None)
        try:
            sent = self.workspace_configuration(types.ConfigurationParams(items=[item]))
        except Exception as error:
            self.report_failure("workspace/configuration", error)
            return
        self._configuration_pending += 1

        async def answer() -> None:
            section: Any = NO_SECTION
            try:
                result = await asyncio.wait_for(asyncio.wrap_future(sent), CONFIGURATION_TIMEOUT)
                section = result[0] if result else None
            except Exception as error:
                log.warning("workspace/configuration: no answer (%r); keeping the settings we have", error)
            finally:
                self._configuration_pending -= 1
            try:
                if section is not NO_SECTION:
                    self.session_settings.set_live(section)
                if not self.refresh_settings() and not self.pull_diagnostics:
                    for document in self.store:  # the pushes postponed while we waited
                        self.schedule(document.uri, 0)
            except Exception as error:
                self.report_failure("workspace/configuration", error)

        task = asyncio.ensure_future(answer())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

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
            if self._configuration_pending:
                return  # pushed once the client's settings are in (pull_configuration)
            published = (id(document), document.revision, self.settings_generation)
            if self._published.get(uri) == published:
                return
            items = self.diagnostics_of(document)
            self._published[uri] = published
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=document.version)
            )
        except Exception as error:
            self.report_failure("publishDiagnostics", error)

    def forget(self, uri: str) -> None:
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        self._published.pop(uri, None)
        self._skipped_logged.discard(uri)

    def cancel_all(self) -> None:
        for uri in list(self._timers):
            self.forget(uri)

    # --- failures --------------------------------------------------------------------------------

    def report_failure(self, what: str, error: BaseException) -> None:
        log.error("%s failed: %s", what, "".join(traceback.format_exception(error)))
        if self._reporting or self.exit_status is not None:
            return  # telling the client failed too (the pipe is closed): stderr has it
        self._reporting = True
        try:
            self.window_log_message(
                types.LogMessageParams(type=types.MessageType.Error, message=f"{SOURCE}: {what} failed: {error!r}")
            )
        except Exception:  # the client may be gone; stderr has it
            pass
        finally:
            self._reporting = False

    # --- lifecycle -------------------------------------------------------------------------------

    def watch_parent(self, pid: int | None) -> None:
        """Exit when the editor's process (``initialize.processId``) is gone."""
        if self.parent_watch is None:
            self.parent_watch = ParentWatch.start(pid, lambda: exit_now(1))

    def start_stdio(self, stdin: Any, stdout: Any) -> None:
        """pygls' stdio loop, fed by a :class:`ReadAhead` reader so that waiting messages can be
        seen (cancels, superseding changes) before a request is started."""
        reader = ReadAhead(stdin)
        protocol: Any = self.protocol
        protocol.read_ahead = reader
        self._stop_event = threading.Event()
        protocol.set_writer(StdoutWriter(stdout))
        try:
            asyncio.run(
                run_async(
                    stop_event=self._stop_event,
                    reader=reader,
                    protocol=self.protocol,
                    logger=log,
                    error_handler=self.report_server_error,
                )
            )
        except BrokenPipeError:
            log.error("the client closed its end of the pipe; shutting down")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            self.shutdown()

    @property
    def final_status(self) -> int:
        """The process's exit status: what ``exit`` asked for, else 0 only after ``shutdown``."""
        if self.exit_status is not None:
            return self.exit_status
        return 0 if self.shutdown_received else 1

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
        ls.watch_parent(params.process_id)
        ls.adopt_client(params.capabilities)
        ls.session_settings.set_initialization_options(params.initialization_options)
        ls.refresh_settings()
        log.info(
            "http-status-ls %s: positions in %s, diagnostics %s",
            __version__,
            ls.workspace.position_encoding,
            "pulled" if ls.pull_diagnostics else "pushed",
        )

    @server.feature(types.INITIALIZED)
    @guarded()
    def initialized(ls: StatusServer, params: types.InitializedParams):
        ls.session_ready = True
        ls.show_pending_settings_message()
        ls.pull_configuration()  # sent now; answered while the parsers warm up
        warm_up()

    @server.feature(types.SHUTDOWN)
    @guarded()
    def shutdown(ls: StatusServer, params: None):
        ls.shutdown_received = True
        ls.cancel_all()

    @server.feature(types.EXIT)
    def on_exit(ls: StatusServer, params: None):
        # pygls ends the process right after this, with a status it cannot hand back to run().
        ls.exit_status = 0 if ls.shutdown_received else 1
        ls.cancel_all()  # nothing may be sent once the pipe is closed
        log.info("exit after %s: status %d", "shutdown" if ls.shutdown_received else "no shutdown", ls.exit_status)

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
        found = ls.view(params.text_document.uri)
        if found is None:
            return None
        document, analysis, positions = found
        line, col = positions.point(params.position)
        return hover(
            analysis, line, col, markdown=ls.hover_markdown, to_range=positions.range, extra_codes=ls.settings.extra_codes
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=COMPLETION_TRIGGERS, resolve_provider=True),
    )
    @guarded()
    def on_completion(ls: StatusServer, params: types.CompletionParams):
        found = ls.view(params.text_document.uri)
        if found is None:
            return None
        document, analysis, positions = found
        if ls.skip_reason(document) is not None:
            return None  # switched off or too big: completion reads the text too, so say nothing
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
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=CODE_ACTION_KINDS, resolve_provider=False),
    )
    @guarded()
    def on_code_action(ls: StatusServer, params: types.CodeActionParams):
        found = ls.view(params.text_document.uri)
        if found is None:
            return None
        document, analysis, positions = found
        span = Span(*positions.point(params.range.start), *positions.point(params.range.end))
        return code_actions(
            analysis,
            document.lines,
            span,
            params.context.diagnostics,
            only=params.context.only,
            to_range=positions.range,
            to_point=positions.point,
        )

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @guarded()
    def on_inlay_hint(ls: StatusServer, params: types.InlayHintParams):
        found = ls.view(params.text_document.uri)
        if found is None:
            return None
        document, analysis, positions = found
        if not hints_enabled(ls.settings, analysis.language):
            return []
        span = Span(*positions.point(params.range.start), *positions.point(params.range.end))
        return inlay_hints(analysis, document.lines, span, to_range=positions.range, extra_codes=ls.settings.extra_codes)

    @guarded(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
    def diagnostic_report(ls: StatusServer, params: types.DocumentDiagnosticParams):
        document = ls.store.get(params.text_document.uri)
        if document is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{id(document):x}.{document.revision}.{ls.settings_generation}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=ls.diagnostics_of(document), result_id=result_id)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False),
    )
    async def on_diagnostic(ls: StatusServer, params: types.DocumentDiagnosticParams):
        # The first pulls of a session come right after `initialized`: answer them with the
        # client's settings, not with the defaults they would replace a moment later.
        await ls.settings_settled()
        return diagnostic_report(ls, params)

    @server.feature(types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    @guarded()
    def on_highlight(ls: StatusServer, params: types.DocumentHighlightParams):
        found = ls.view(params.text_document.uri)
        if found is None:
            return None
        document, analysis, positions = found
        line, col = positions.point(params.position)
        return highlights(analysis, line, col, to_range=positions.range)

    @server.feature(types.TEXT_DOCUMENT_REFERENCES)
    async def on_references(ls: StatusServer, params: types.ReferenceParams):
        # Every occurrence is a reference (a status code has no declaration), so
        # params.context.include_declaration changes nothing.
        try:
            found = ls.view(params.text_document.uri)
            if found is None:
                return None
            _, analysis, positions = found
            line, col = positions.point(params.position)
            symbol = symbol_at(analysis, line, col)
            if symbol is None:
                return None
            # Open documents are snapshotted now: the search pauses between files, and edits that
            # arrive meanwhile must not change a text half-way through being read.
            open_texts = open_texts_of(
                (doc.uri, analysed[1], doc.lines) for doc in ls.store if (analysed := ls.analysed(doc.uri)) is not None
            )
            settings = ls.settings
            scope = SearchScope(
                enabled=settings.languages.enabled, max_file_size=settings.max_file_size, extra_keys=settings.extra_yaml_keys
            )
            stats = SearchStats()
            started = time.perf_counter()
            pause_at = started + REFERENCES_SLICE_SECONDS
            locations: list[types.Location] = []
            search = workspace_references(
                symbol, ls.workspace_roots(), open_texts, ls.workspace.position_codec, scope=scope, stats=stats
            )
            for found_in_file in search:
                locations.extend(found_in_file)
                if time.perf_counter() >= pause_at:
                    await asyncio.sleep(0)
                    pause_at = time.perf_counter() + REFERENCES_SLICE_SECONDS
            log.info(
                "references to %s: %d in %.0f ms (%d files walked, %d read, %d analysed, %d skipped)",
                symbol,
                len(locations),
                (time.perf_counter() - started) * 1000,
                stats.files,
                stats.read,
                stats.analysed,
                stats.skipped,
            )
            return locations
        except asyncio.CancelledError:
            raise
        except Exception as error:
            ls.report_failure("references", error)
            return None

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded()
    def did_change_configuration(ls: StatusServer, params: types.DidChangeConfigurationParams):
        section = live_section(params.settings)
        if section is not NO_SECTION:
            ls.session_settings.set_live(section)
            ls.refresh_settings()
        elif ls.configuration_support:
            ls.pull_configuration()  # `settings: null` means "ask me"
        else:
            ls.refresh_settings()  # nothing new from the client, but pyproject.toml may have changed

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
    build_server().start_stdio(sys.stdin.buffer, sys.stdout.buffer)


def run(args: Any) -> int:
    """Start the server as ``http-status-ls [--stdio | --tcp HOST:PORT] [--log-file PATH]`` asked."""
    _configure_logging(getattr(args, "log_file", None))
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
