"""The workspace index in the server: built in the background after ``initialized``, kept current
from ``didChangeWatchedFiles`` and the open documents, and the project's status parameters it
gathers handed to every analysis of an open Python document.

- The build runs on the event loop in slices of :data:`INDEX_SLICE_SECONDS`, so hovers, edits and
  cancels are served while it runs; it reports ``$/progress`` (after ``window/workDoneProgress/create``)
  only to a client that declares ``window.workDoneProgress``. It starts again when a setting it
  depends on changes (``extraYamlKeys``, ``maxFileSize``).
- An open Python document's own status parameters count in place of its file's; they are computed
  :data:`PARAMETERS_DEBOUNCE_SECONDS` after the last edit, never on the keystroke path (a large file
  would pay a second parse per keystroke).
- When the merged table changes, the open documents' analyses no longer match it (the store keys
  them on the table), and every open document gets fresh diagnostics.
- Until the index is built, the table is the empty one and references stream over the files; the
  build pauses while such a search runs (both compete for one event loop, and the user waits for
  the search: on 10,000 files it took six times longer sharing the loop with the build).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lsprotocol import types

from http_status_ls.core.languages import PYTHON
from http_status_ls.detect.python.project_params import summarise_python
from http_status_ls.detect.python.routes import summarise_routes
from http_status_ls.features.references import file_uri_path
from http_status_ls.features.workspace_index import BuildProgress, IndexOptions, WorkspaceIndex

if TYPE_CHECKING:
    from http_status_ls.lsp.session import StatusServer

log = logging.getLogger("http_status_ls")

INDEX_SLICE_SECONDS = 0.02
"""The index hands the event loop back this often while it builds or catches up."""
PARAMETERS_DEBOUNCE_SECONDS = 0.3
"""An open Python document's status parameters are read again once edits pause this long."""
PROGRESS_REPORT_SECONDS = 0.25
"""At most one ``$/progress`` report this often."""
CREATE_PROGRESS_TIMEOUT = 5.0
SEARCH_WAIT_SECONDS = 0.01
"""How often a build paused for a references search looks whether it may go on."""

_tokens = itertools.count(1)


class IndexDriver:
    """Drives a :class:`WorkspaceIndex` for one session (see the module docstring)."""

    def __init__(self, server: StatusServer):
        self.server = server
        self.index = WorkspaceIndex([])
        self.watched = False
        """The client watches the workspace's source files for us (its registration was sent and not
        refused): queries then trust its notifications instead of checking every file."""
        self._build_task: asyncio.Task[None] | None = None
        self._refresh_task: asyncio.Task[None] | None = None
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._stopped = False
        self.searches = 0
        """References searches running: the build waits for them (the user waits for those)."""

    @property
    def ready(self) -> bool:
        return self.index.ready and not self._stopped

    # --- the build ------------------------------------------------------------------------------

    def options(self) -> IndexOptions:
        settings = self.server.settings
        return IndexOptions(extra_keys=settings.extra_yaml_keys, max_file_size=settings.max_file_size)

    def start(self) -> None:
        """Build the index of the workspace's folders in the background (again, when the folders or
        the settings it depends on changed since the last build)."""
        if self._stopped:
            return
        roots, options = self.server.workspace_roots(), self.options()
        if self._build_task is not None and self.index.roots == roots and self.index.options == options:
            return
        if self._build_task is not None:
            self._build_task.cancel()
        previous = self.index
        self.index = WorkspaceIndex(roots, options)
        for document in self.server.store:  # what the open documents define carries over
            if (path := _python_path(document.uri, document.language)) is not None:
                parameters = previous.open_parameters(path)
                if parameters is not None:
                    self.index.set_open_parameters(path, parameters)
        self._build_task = asyncio.ensure_future(self._build(self.index))

    async def _build(self, index: WorkspaceIndex) -> None:
        started = time.perf_counter()
        token = await self._create_progress() if index.roots else None
        if token is not None:
            self._progress(token, types.WorkDoneProgressBegin(title="Indexing status codes", cancellable=False, percentage=0))
        try:
            reported = time.perf_counter()
            pause_at = reported + INDEX_SLICE_SECONDS
            for step in index.build():
                now = time.perf_counter()
                if now < pause_at:
                    continue
                if token is not None and isinstance(step, BuildProgress) and now - reported >= PROGRESS_REPORT_SECONDS:
                    reported = now
                    percentage = step.done * 100 // max(step.total, 1)
                    self._progress(
                        token, types.WorkDoneProgressReport(message=f"{step.done}/{step.total} files", percentage=percentage)
                    )
                await asyncio.sleep(0)
                while self.searches:  # a search the user waits for goes first
                    await asyncio.sleep(SEARCH_WAIT_SECONDS)
                pause_at = time.perf_counter() + INDEX_SLICE_SECONDS
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the streaming search goes on answering
            self.server.report_failure("workspace index", error)
            return
        finally:
            if token is not None:
                self._progress(token, types.WorkDoneProgressEnd(message=f"{len(index.records)} files"))
        log.info(
            "indexed %d files under %s in %.2f s (%d with status parameters)",
            len(index.records),
            ", ".join(index.roots) or "no folder",
            time.perf_counter() - started,
            sum(1 for record in index.records.values() if record.parameters.parameters or record.parameters.http_errors),
        )
        self.publish_project()

    async def _create_progress(self) -> str | None:
        if not self.server.supports.work_done_progress:
            return None
        token = f"http-status-ls/index/{next(_tokens)}"
        try:
            await asyncio.wait_for(self.server.work_done_progress.create_async(token), CREATE_PROGRESS_TIMEOUT)
        except asyncio.CancelledError:
            raise
        except Exception as error:  # refused or unanswered: index without telling
            log.info("window/workDoneProgress/create failed: %r", error)
            return None
        return token

    def _progress(
        self, token: str, value: types.WorkDoneProgressBegin | types.WorkDoneProgressReport | types.WorkDoneProgressEnd
    ) -> None:
        try:
            self.server.progress(types.ProgressParams(token=token, value=value))
        except Exception as error:  # the client is gone; the index is still worth having
            log.info("$/progress not sent: %r", error)

    # --- keeping it current ---------------------------------------------------------------------

    def files_changed(self, params: types.DidChangeWatchedFilesParams) -> None:
        """The client saw files made, changed or removed: looked at in the background."""
        for change in params.changes:
            path = file_uri_path(change.uri)
            if path is not None:
                self.index.note_changed(path)
        self._catch_up()

    def document_opened(self, uri: str, language: str | None) -> None:
        self._schedule_parameters(uri, language, 0)

    def document_changed(self, uri: str, language: str | None) -> None:
        self._schedule_parameters(uri, language, PARAMETERS_DEBOUNCE_SECONDS)
        self.server.cross.document_changed(uri, language)

    def document_closed(self, uri: str, language: str | None) -> None:
        """Its file counts again, as it is on disk now (it may have been saved meanwhile)."""
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        path = file_uri_path(uri)
        if path is None:
            return
        self.index.note_changed(path)
        if _python_path(uri, language) is not None:
            self.index.clear_open_parameters(path)
            self.index.clear_open_routes(path)
        self._catch_up()

    def _schedule_parameters(self, uri: str, language: str | None, delay: float) -> None:
        if _python_path(uri, language) is None or self._stopped:
            return
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        self._timers[uri] = asyncio.get_running_loop().call_later(delay, self._read_parameters, uri)

    def _read_parameters(self, uri: str) -> None:
        self._timers.pop(uri, None)
        try:
            document = self.server.store.get(uri)
            path = file_uri_path(uri)
            if document is None or path is None or self.server.skip_reason(document) is not None:
                return
            table_moved = self.index.set_open_parameters(path, summarise_python(document.text))
            routes_moved = self.index.set_open_routes(path, summarise_routes(document.text))
            if table_moved:
                self._catch_up()
            elif routes_moved:
                self.server.cross.schedule(0)  # the edits have settled already (this ran after a debounce)
        except Exception as error:
            self.server.report_failure("status parameters", error)

    def _catch_up(self) -> None:
        """Bring the records up to date in the background, then hand on the table if it moved."""
        if self._stopped or (self._refresh_task is not None and not self._refresh_task.done()):
            return
        self._refresh_task = asyncio.ensure_future(self._refresh())

    async def _refresh(self) -> None:
        try:
            await drive(self.index.refresh(tables=self.index.ready))
            self.publish_project()
        except asyncio.CancelledError:
            raise
        except Exception as error:
            self.server.report_failure("workspace index", error)

    def publish_project(self) -> None:
        """Hand the merged table to the open documents once the index is built; when it moved,
        every open document is judged again."""
        if not self.index.ready or self._stopped:
            return
        self.server.cross.schedule()  # files or open documents moved: the cross-check looks again
        if self.server.store.set_project(self.index.project):
            log.info(
                "project status parameters now: %d callables, %d exception classes",
                len(self.index.project.by_name),
                len(self.index.project.http_errors),
            )
            self.server.settings_generation += 1
            self.server.rediagnose_all()

    def stop(self) -> None:
        """Nothing more is built or looked at (shutdown, exit)."""
        self._stopped = True
        for task in (self._build_task, self._refresh_task):
            if task is not None:
                task.cancel()
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()


async def drive(steps: Iterator[object]) -> None:
    """Run a generator of index steps to its end, handing the event loop back every slice."""
    pause_at = time.perf_counter() + INDEX_SLICE_SECONDS
    for _ in steps:
        if time.perf_counter() >= pause_at:
            await asyncio.sleep(0)
            pause_at = time.perf_counter() + INDEX_SLICE_SECONDS


def _python_path(uri: str, language: str | None) -> str | None:
    return file_uri_path(uri) if language == PYTHON else None
