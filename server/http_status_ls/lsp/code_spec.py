"""The cross-check in the server: run on the workspace index, never on the keystroke path, its
findings merged into each open document's diagnostics, a hover on a handler's decorator, and the
cross-file quick fix of ``undocumented-status``.

- It runs :data:`CROSS_CHECK_DEBOUNCE_SECONDS` after something it reads moved: the index was built
  or caught up (a file changed on disk), an open Python document's routes were read again (the
  index does that after its own debounce), an open API description was edited, or the settings
  changed. One run reads every file's routes from the index (``resolve_routes``), the model of each
  description (cached per file stamp or document version) and judges them (``features.code_spec``).
- Findings live here, by file; :meth:`CodeSpecDriver.diagnostics_for` turns an open document's into
  LSP diagnostics. A run that changes what a file shows bumps ``cross_generation`` (part of what a
  push and a pull's result id remember), then pushes to the open documents concerned or asks a
  pulling client to pull again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.uris import from_fs_path

from http_status_ls.core.occurrences import Analysis
from http_status_ls.core.positions import ClientPositions, RangeMaker
from http_status_ls.core.project_files import read_regular_file
from http_status_ls.detect.analysis import analyse
from http_status_ls.detect.openapi_operations import OpenApiDocument, model_of, operations_of
from http_status_ls.detect.python.routes import FileRoutes, RouteHandler, resolve_routes
from http_status_ls.features.actions.edits import to_lsp
from http_status_ls.features.code_spec import (
    UNDOCUMENTED_STATUS,
    CodeSpecFinding,
    CrossCheck,
    SpecSource,
    base_paths,
    cross_check,
)
from http_status_ls.features.code_spec_fix import add_response, fix_data
from http_status_ls.features.diagnostics import Finding, to_diagnostic
from http_status_ls.features.references import file_uri_path, path_key
from http_status_ls.features.render_code_spec import handler_card

if TYPE_CHECKING:
    from http_status_ls.lsp.documents import Document
    from http_status_ls.lsp.session import StatusServer

log = logging.getLogger("http_status_ls")

CROSS_CHECK_DEBOUNCE_SECONDS = 0.3
"""The cross-check runs once what it reads has stopped moving for this long."""


@dataclass(slots=True)
class _Spec:
    stamp: object
    source: SpecSource | None


class CodeSpecDriver:
    """The cross-check of one session (see the module docstring)."""

    def __init__(self, server: StatusServer):
        self.server = server
        self.result = CrossCheck()
        self.findings: dict[str, list[CodeSpecFinding]] = {}
        """By path key of the file they are in."""
        self.absolute: dict[str, str] = {}
        """The key each file had in the last run (relative to its folder) -> its absolute path."""
        self.description_keys: frozenset[str] = frozenset()
        self.last_seconds = 0.0
        self._specs: dict[str, _Spec] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None
        self._again = False

    # --- when it runs -------------------------------------------------------------------------------

    def schedule(self, delay: float = CROSS_CHECK_DEBOUNCE_SECONDS) -> None:
        if self.server.shutdown_received:
            return
        if self._timer is not None:
            self._timer.cancel()
        try:
            self._timer = asyncio.get_running_loop().call_later(delay, self._run_guarded)
        except RuntimeError:  # no loop (unit tests of the session): nothing to run on
            self._timer = None

    def document_changed(self, uri: str, language: str | None) -> None:
        """An open document changed: an API description the check reads is judged again soon."""
        if language in ("yaml", "json") and (path := file_uri_path(uri)) is not None and path_key(path) in self.description_keys:
            self.schedule()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._task is not None:
            self._task.cancel()

    def _run_guarded(self) -> None:
        self._timer = None
        if self._task is not None and not self._task.done():
            self._again = True  # once this run is over
            return
        self._task = asyncio.ensure_future(self._run_task())

    async def _run_task(self) -> None:
        try:
            await self.run()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.server.report_failure("cross-check", error)
        if self._again:
            self._again = False
            self.schedule(0)

    # --- one run ------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Judge every handler against the workspace's descriptions, and tell the client what moved.
        A description not open in the editor is read in a thread the first time (a 4 MB one takes
        a second), and the handlers are resolved and judged in one, so the event loop goes on
        serving."""
        index = self.server.indexer.index
        if not index.ready:
            return
        started = time.perf_counter()
        roots = [path_key(root) for root in index.roots]
        absolute: dict[str, str] = {}
        files: dict[str, FileRoutes] = {}
        for key, routes in index.routes().items():
            relative = _relative(key, roots)
            absolute[relative] = key
            files[relative] = routes
        specs = []
        wanted = self._wanted_specs(roots)
        keys = set()
        for record in index.descriptions():
            key = path_key(record.path)
            keys.add(key)
            if wanted is not None and key not in wanted:
                continue
            source = await self._spec(record.path, record.stamp, record.language, _relative(key, roots))
            if source is not None:
                absolute[source.path] = key
                specs.append(source)
        self.description_keys = frozenset(keys)
        # Pure work on frozen values: in a thread, so that a large workspace never stalls the loop.
        handlers, result = await asyncio.to_thread(_judge, files, specs)
        findings: dict[str, list[CodeSpecFinding]] = {}
        for finding in result.findings:
            findings.setdefault(absolute.get(finding.file, finding.file), []).append(finding)
        changed = {key for key in findings.keys() | self.findings.keys() if findings.get(key) != self.findings.get(key)}
        self.result, self.findings, self.absolute = result, findings, absolute
        self.last_seconds = time.perf_counter() - started
        log.info(
            "cross-check: %d handlers, %d descriptions, %d findings in %.1f ms",
            len(handlers),
            len(specs),
            len(result.findings),
            self.last_seconds * 1000,
        )
        if changed:
            self._tell(changed)

    def _wanted_specs(self, roots: list[str]) -> set[str] | None:
        named = self.server.settings.openapi_specs
        if not named:
            return None
        folders = roots or [path_key(os.getcwd())]
        return {path_key(os.path.join(folder, name)) for folder in folders for name in named}

    async def _spec(self, path: str, stamp: object, language: str, relative: str) -> SpecSource | None:
        """The model of one description: the open document's when it is open, else the file's."""
        document = self._open_document(path)
        if document is not None:
            stamp = ("open", id(document), document.revision)
        cached = self._specs.get(path)
        if cached is not None and cached.stamp == stamp:
            return cached.source
        source: SpecSource | None = None
        if document is not None:
            found = self.server.analysed(document.uri)
            model = model_of(found[1], document.text, document.lines) if found is not None else None
            if model is not None:
                source = SpecSource(relative, model, base_paths(document.text, found[1].language if found else language))
        else:
            read = await asyncio.to_thread(_read_description, path, language)
            if read is not None:
                source = SpecSource(relative, *read)
        self._specs[path] = _Spec(stamp, source)
        return source

    def _open_document(self, path: str) -> Document | None:
        key = path_key(path)
        for document in self.server.store:
            found = file_uri_path(document.uri)
            if found is not None and path_key(found) == key:
                return document
        return None

    def _tell(self, changed: set[str]) -> None:
        server = self.server
        server.cross_generation += 1
        if not server.session_ready:
            return
        if server.supports.pull_diagnostics:
            server.rediagnose_all()
            return
        for document in server.store:
            path = file_uri_path(document.uri)
            if path is not None and path_key(path) in changed:
                server.schedule(document.uri, 0)

    # --- what a document shows ---------------------------------------------------------------------

    def findings_for(self, uri: str) -> list[CodeSpecFinding]:
        path = file_uri_path(uri)
        return self.findings.get(path_key(path), []) if path is not None else []

    def diagnostics_for(self, document: Document, to_range: RangeMaker) -> list[types.Diagnostic]:
        """The cross-check's diagnostics of an open document, at the severities of the settings."""
        found = []
        for finding in self.findings_for(document.uri):
            severity = self.server.severity.get(finding.rule)
            if severity is None:
                continue
            data: dict[str, Any] = {"rule": finding.rule}
            if finding.rule == UNDOCUMENTED_STATUS:
                data.update(spec=self.absolute.get(finding.spec, finding.spec), operation=finding.operation, code=finding.code)
            item = Finding(
                span=finding.span, rule=finding.rule, severity=severity, message=finding.message, code=finding.code, data=data
            )
            found.append(to_diagnostic(item, document.uri, to_range))
        return found

    def hover(self, uri: str, line: int, col: int, *, markdown: bool, to_range: RangeMaker) -> types.Hover | None:
        """The card of the handler whose decorator is under the cursor, if any."""
        handler = self._handler_at(uri, line, col)
        if handler is None:
            return None
        text = handler_card(
            handler, self.result.matches.get(handler, []), self.result.candidates.get(handler, ()), markdown=markdown
        )
        kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
        return types.Hover(contents=types.MarkupContent(kind=kind, value=text), range=to_range(handler.decorator_span))

    def _handler_at(self, uri: str, line: int, col: int) -> RouteHandler | None:
        path = file_uri_path(uri)
        if path is None or not self.result.matches:
            return None
        key = path_key(path)
        for handler in self.result.matches:
            if handler.decorator_span.contains(line, col) and self.absolute.get(handler.file) == key:
                return handler
        return None

    # --- the quick fix --------------------------------------------------------------------------------

    def fixes(self, diagnostics: Sequence[types.Diagnostic]) -> list[types.CodeAction]:
        """The cross-file fixes of the ``undocumented-status`` diagnostics the client sent."""
        actions = []
        for diagnostic in diagnostics:
            if diagnostic.code != UNDOCUMENTED_STATUS or (wanted := fix_data(diagnostic.data)) is None:
                continue
            spec_path, pointer, code = wanted
            target = self._spec_text(spec_path)
            if target is None:
                continue
            uri, analysis, lines, to_range = target
            action = add_response(analysis, lines, pointer, code)
            if action is not None:
                action.diagnostic = diagnostic
                actions.append(to_lsp(action, uri, to_range))
        return actions

    def _spec_text(self, path: str) -> tuple[str, Analysis, list[str], RangeMaker] | None:
        """The spec's URI, analysis, lines and position conversion: the open document's, else the file's."""
        document = self._open_document(path)
        if document is not None:
            view = self.server.view(document.uri)
            if view is None:
                return None
            return document.uri, view.analysis, list(document.lines), view.positions.range
        text = _read(path)
        if text is None:
            return None
        lines = text.splitlines(keepends=True)
        analysis = analyse(path, None, text, None)
        positions = ClientPositions(lines, self.server.workspace.position_codec)
        return from_fs_path(path) or path, analysis, lines, positions.range


def _relative(key: str, roots: list[str]) -> str:
    """A path key relative to the workspace folder holding it, with ``/``; absolute when none does."""
    for root in roots:
        prefix = root.rstrip(os.sep) + os.sep
        if key.startswith(prefix):
            return key[len(prefix) :].replace(os.sep, "/")
    return key.replace(os.sep, "/")


def _judge(files: dict[str, FileRoutes], specs: list[SpecSource]) -> tuple[tuple[RouteHandler, ...], CrossCheck]:
    handlers = resolve_routes(files)
    return handlers, cross_check(handlers, specs)


def _read_description(path: str, language: str) -> tuple[OpenApiDocument, tuple[str, ...]] | None:
    """The model and base paths of a description on disk (pure: run in a thread)."""
    text = _read(path)
    if text is None:
        return None
    document = operations_of(text, language)
    return (document, base_paths(text, language)) if document is not None else None


def _read(path: str) -> str | None:
    try:
        return read_regular_file(path).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
