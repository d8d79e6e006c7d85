"""One function per LSP method: find the document, convert positions, call a feature.

Every handler has pygls' shape ``(ls, params)`` and answers None when there is nothing to show. A
handler keeps no state (the session does, :mod:`session`) and decides nothing about status codes
(the features do). One that fails is logged through ``window/logMessage`` and answers empty
(:func:`guarded`); it never ends the session. :mod:`server` registers them, with the options the
server advertises.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from lsprotocol import types

from http_status_ls import __version__
from http_status_ls.core.occurrences import Span
from http_status_ls.detect.analysis import warm_up
from http_status_ls.features.actions.edits import QUICKFIX, wanted
from http_status_ls.features.actions.request import code_actions
from http_status_ls.features.completion import complete, resolve
from http_status_ls.features.diagnostics import warm_up_rules
from http_status_ls.features.hover import hover
from http_status_ls.features.hover_responses import judged
from http_status_ls.features.inlay_hints import hints_enabled, inlay_hints
from http_status_ls.features.references import (
    SearchScope,
    SearchStats,
    StatusSymbol,
    highlights,
    indexed_references,
    open_texts_of,
    symbol_at,
    workspace_references,
)
from http_status_ls.lsp.configuration import NO_SECTION, live_section
from http_status_ls.lsp.lifecycle import when_idle
from http_status_ls.lsp.project_watch import names_pyproject
from http_status_ls.lsp.session import StatusServer

log = logging.getLogger("http_status_ls")

REFERENCES_SLICE_SECONDS = 0.02
"""A workspace-wide references search hands the event loop back this often, so edits, hovers and
a ``$/cancelRequest`` are served while it runs."""

Params = TypeVar("Params")


def guarded(fallback: Callable[[], Any] = lambda: None):
    """Run a handler so that an exception is logged and answered with ``fallback()``."""

    def wrap(handler: Callable[[StatusServer, Params], Any]) -> Callable[[StatusServer, Params], Any]:
        @functools.wraps(handler)
        def run(ls: StatusServer, params: Params) -> Any:
            try:
                return handler(ls, params)
            except Exception as error:
                ls.report_failure(handler.__name__, error)
                return fallback()

        return run

    return wrap


# --- lifecycle -----------------------------------------------------------------------------------


@guarded()
def initialize(ls: StatusServer, params: types.InitializeParams) -> None:
    ls.watch_parent(params.process_id)
    ls.adopt_client(params.capabilities)
    ls.session_settings.set_initialization_options(params.initialization_options)
    ls.refresh_settings()
    log.info(
        "http-status-ls %s: positions in %s, diagnostics %s",
        __version__,
        ls.workspace.position_encoding,
        "pulled" if ls.supports.pull_diagnostics else "pushed",
    )


@guarded()
def initialized(ls: StatusServer, params: types.InitializedParams) -> None:
    ls.session_ready = True
    ls.show_pending_settings_message()
    ls.pull_configuration()  # sent now; answered while the parsers warm up
    ls.watch_pyproject()
    when_idle(warm_up)  # parsers the first documents need load with them; the others after
    when_idle(warm_up_rules)
    ls.indexer.start()


@guarded()
def shutdown(ls: StatusServer, params: None) -> None:
    ls.shutdown_received = True
    ls.cancel_all()


def on_exit(ls: StatusServer, params: None) -> None:
    # pygls ends the process right after this, with a status it cannot hand back to run().
    ls.exit_status = 0 if ls.shutdown_received else 1
    ls.cancel_all()  # nothing may be sent once the pipe is closed
    log.info("exit after %s: status %d", "shutdown" if ls.shutdown_received else "no shutdown", ls.exit_status)


# --- document sync -------------------------------------------------------------------------------


@guarded()
def did_open(ls: StatusServer, params: types.DidOpenTextDocumentParams) -> None:
    item = params.text_document
    ls.forget(item.uri)
    document = ls.store.open(item.uri, item.language_id, item.version, item.text)
    ls.note_language_id(document)
    ls.schedule(item.uri, 0)
    ls.indexer.document_opened(item.uri, document.language)


@guarded()
def did_change(ls: StatusServer, params: types.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    changed = ls.store.change(uri, params.text_document.version, params.content_changes, ls.workspace.position_codec)
    if changed is not None:
        ls.schedule(uri, ls.debounce)
        ls.indexer.document_changed(uri, changed.language)


@guarded()
def did_close(ls: StatusServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.forget(uri)
    if (closed := ls.store.close(uri)) is not None:
        ls.withdraw(uri)
        ls.indexer.document_closed(uri, closed.language)


@guarded()
def did_change_configuration(ls: StatusServer, params: types.DidChangeConfigurationParams) -> None:
    section = live_section(params.settings)
    if section is not NO_SECTION:
        ls.session_settings.set_live(section)
        ls.refresh_settings()
    elif ls.supports.configuration:
        ls.pull_configuration()  # `settings: null` means "ask me"
    else:
        ls.refresh_settings()  # nothing new from the client, but pyproject.toml may have changed


@guarded()
def did_change_watched_files(ls: StatusServer, params: types.DidChangeWatchedFilesParams) -> None:
    # A client may send what it watches for others too: the index ignores what is not its own.
    if names_pyproject(params):
        ls.pyproject_changed()
    ls.indexer.files_changed(params)


# --- requests about one document -----------------------------------------------------------------


@guarded()
def on_hover(ls: StatusServer, params: types.HoverParams) -> types.Hover | None:
    found = ls.view(params.text_document.uri)
    if found is None:
        return None
    document, analysis, positions = found
    line, col = positions.point(params.position)
    handler = ls.cross.hover(document.uri, line, col, markdown=ls.supports.hover_markdown, to_range=positions.range)
    if handler is not None:  # a route's decorator: its codes beside its operation's
        return handler
    return hover(
        analysis,
        line,
        col,
        markdown=ls.supports.hover_markdown,
        to_range=positions.range,
        extra_codes=ls.settings.extra_codes,
        verbosity=ls.settings.hover.verbosity,
        lines=document.lines,
        findings=lambda: judged(ls.diagnostics_of(document), positions.point),
        profile=ls.settings.profile,
    )


@guarded()
def on_completion(ls: StatusServer, params: types.CompletionParams) -> types.CompletionList | None:
    found = ls.view(params.text_document.uri)
    if found is None:
        return None
    document, analysis, positions = found
    if ls.skip_reason(document) is not None:
        return None  # switched off or too big: completion reads the text too, so say nothing
    line, col = positions.point(params.position)
    target = ls.target_of(document.uri)
    return complete(analysis, document.lines, line, col, support=ls.supports.completion, to_range=positions.range, target=target)


def on_resolve(ls: StatusServer, item: types.CompletionItem) -> types.CompletionItem:
    # Not guarded: on failure the answer is the item as it came, not None.
    try:
        return resolve(item, ls.supports.completion)
    except Exception as error:
        ls.report_failure("completionItem/resolve", error)
        return item


@guarded()
def on_code_action(ls: StatusServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
    found = ls.view(params.text_document.uri)
    if found is None:
        return None
    document, analysis, positions = found
    span = Span(*positions.point(params.range.start), *positions.point(params.range.end))
    cross_file = ls.cross.fixes(params.context.diagnostics) if wanted(QUICKFIX, params.context.only) else []
    return cross_file + code_actions(
        analysis,
        document.lines,
        span,
        params.context.diagnostics,
        only=params.context.only,
        to_range=positions.range,
        to_point=positions.point,
        target=ls.target_of(document.uri),
        # No rule judges a document that is switched off or too big, so fix-all fixes nothing there.
        severity=ls.severity if ls.skip_reason(document) is None else {},
    )


@guarded()
def on_inlay_hint(ls: StatusServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
    found = ls.view(params.text_document.uri)
    if found is None:
        return None
    document, analysis, positions = found
    if not hints_enabled(ls.settings, analysis.language):
        return []
    span = Span(*positions.point(params.range.start), *positions.point(params.range.end))
    return inlay_hints(analysis, document.lines, span, to_range=positions.range, extra_codes=ls.settings.extra_codes)


@guarded()
def on_highlight(ls: StatusServer, params: types.DocumentHighlightParams) -> list[types.DocumentHighlight] | None:
    found = ls.view(params.text_document.uri)
    if found is None:
        return None
    _, analysis, positions = found
    line, col = positions.point(params.position)
    return highlights(analysis, line, col, to_range=positions.range)


async def on_diagnostic(ls: StatusServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    # The first pulls of a session come right after `initialized`: answer them with the client's
    # settings, not with the defaults they would replace a moment later.
    await ls.configuration.settled()
    return diagnostic_report(ls, params)


@guarded(lambda: types.RelatedFullDocumentDiagnosticReport(items=[]))
def diagnostic_report(ls: StatusServer, params: types.DocumentDiagnosticParams) -> types.DocumentDiagnosticReport:
    document = ls.store.get(params.text_document.uri)
    if document is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{id(document):x}.{document.revision}.{ls.settings_generation}.{ls.cross_generation}"
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(items=ls.diagnostics_of(document), result_id=result_id)


# --- requests about the workspace ----------------------------------------------------------------


async def on_references(ls: StatusServer, params: types.ReferenceParams) -> list[types.Location] | None:
    # Every occurrence is a reference (a status code has no declaration), so
    # params.context.include_declaration changes nothing. Not guarded: the search is a coroutine.
    try:
        found = ls.view(params.text_document.uri)
        if found is None:
            return None
        _, analysis, positions = found
        line, col = positions.point(params.position)
        symbol = symbol_at(analysis, line, col)
        if symbol is None:
            return None
        return await _search_workspace(ls, symbol, params.partial_result_token)
    except asyncio.CancelledError:
        raise
    except Exception as error:
        ls.report_failure("references", error)
        return None


async def _search_workspace(ls: StatusServer, symbol: StatusSymbol, partial: int | str | None = None) -> list[types.Location]:
    """Every occurrence of ``symbol`` in the open documents and the workspace's files, handing the
    event loop back every :data:`REFERENCES_SLICE_SECONDS`. With a ``partialResultToken`` the
    locations found are sent as ``$/progress`` at each pause, and the answer is empty (the LSP's
    rule: partial results carry the whole result)."""
    # Open documents are snapshotted now: the search pauses between files, and edits that arrive
    # meanwhile must not change a text half-way through being read.
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
    reported = 0
    codec = ls.workspace.position_codec
    indexed = ls.indexer.ready
    if indexed:
        candidates = ls.indexer.index.candidates(symbol, verify_all=not ls.indexer.watched)
        search = indexed_references(symbol, candidates, open_texts, codec, scope=scope, stats=stats)
    else:  # the index is being built: the streaming search answers meanwhile
        search = workspace_references(symbol, ls.workspace_roots(), open_texts, codec, scope=scope, stats=stats)
    ls.indexer.searches += 1
    try:
        for found_in_file in search:
            locations.extend(found_in_file)
            if time.perf_counter() >= pause_at:
                if partial is not None and reported < len(locations):
                    ls.progress(types.ProgressParams(token=partial, value=locations[reported:]))
                    reported = len(locations)
                await asyncio.sleep(0)
                pause_at = time.perf_counter() + REFERENCES_SLICE_SECONDS
    finally:
        ls.indexer.searches -= 1
    if indexed:
        ls.indexer.publish_project()  # a candidate indexed again may have moved the table
    log.info(
        "references to %s: %d in %.0f ms (%s: %d files looked at, %d read, %d analysed, %d skipped)",
        symbol,
        len(locations),
        (time.perf_counter() - started) * 1000,
        "indexed" if indexed else "streamed",
        stats.files,
        stats.read,
        stats.analysed,
        stats.skipped,
    )
    if partial is not None:
        if reported < len(locations):
            ls.progress(types.ProgressParams(token=partial, value=locations[reported:]))
        return []
    return locations
