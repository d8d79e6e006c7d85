"""The session: one per client connection, everything the handlers look up.

:class:`StatusServer` is pygls' ``LanguageServer`` plus what this server keeps between messages:

- what the client supports (:class:`ClientSupport`, read once at ``initialize``);
- the open documents (:class:`~http_status_ls.lsp.documents.DocumentStore`) and the per-request
  view of one (:meth:`StatusServer.view`: document, analysis, position conversion), with the
  documents the settings keep from being analysed;
- the settings: their layers (:mod:`configuration`), the merged result and a generation that every
  cached diagnostic and result id carries, and what a change sets off (re-analysis, fresh
  diagnostics for every open document, the client told about bad keys); the watch on
  ``pyproject.toml`` (:mod:`project_watch`) that starts such a change;
- the workspace index (:mod:`workspace_index`): references once it is built, and the project's
  status parameters every Python analysis is made with;
- the cross-check of handlers against the workspace's API descriptions (:mod:`code_spec`), whose
  findings each document's diagnostics include;
- what the log says once per session: a document not analysed, a ``languageId`` overruled by the
  file name (:func:`~http_status_ls.core.languages.choose_language`);
- failure reporting: a failure is logged to stderr and to the client's log, never shown as a popup
  and never the end of the session;
- the process's lifecycle: ``shutdown`` received, the status ``exit`` asked for, the watch on the
  editor's process.

Pushed diagnostics come from :class:`~http_status_ls.lsp.push.DiagnosticsPush`, a base class;
pygls' internals are touched only in :mod:`protocol`.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path

from http_status_ls import __version__
from http_status_ls.core.gc_pause import collection_paused
from http_status_ls.core.languages import choose_language
from http_status_ls.core.occurrences import Analysis, Detection
from http_status_ls.core.positions import ClientPositions
from http_status_ls.core.project_target import ProjectTarget, ProjectTargets
from http_status_ls.core.settings import DEFAULTS as DEFAULT_SETTINGS
from http_status_ls.core.settings import Settings
from http_status_ls.features.completion import CompletionSupport
from http_status_ls.features.diagnostics import SOURCE, Finding, findings, forget_document
from http_status_ls.features.references import file_uri_path, roots_of
from http_status_ls.kb.rules import RULE_IDS, SEVERITY
from http_status_ls.lsp.client_diagnostics import Converted, unsuppressed, unsuppressed_findings
from http_status_ls.lsp.code_spec import CodeSpecDriver
from http_status_ls.lsp.configuration import NO_SECTION, ConfigurationRequests, SessionSettings, message_for
from http_status_ls.lsp.documents import Document, DocumentStore
from http_status_ls.lsp.lifecycle import ParentWatch, ReadAhead, exit_now
from http_status_ls.lsp.project_watch import PyprojectPoll, candidates, registration
from http_status_ls.lsp.protocol import StatusProtocol, check_instance, serve_stdio
from http_status_ls.lsp.push import DiagnosticsPush, pulls_diagnostics
from http_status_ls.lsp.workspace_index import IndexDriver

log = logging.getLogger("http_status_ls")


@dataclass(frozen=True, slots=True)
class ClientSupport:
    """What the client said it supports, in the terms the server acts on."""

    pull_diagnostics: bool = False
    """It pulls diagnostics and can be told to pull again, so none are pushed (see
    :func:`~http_status_ls.lsp.push.pulls_diagnostics`)."""
    hover_markdown: bool = True
    completion: CompletionSupport = field(default_factory=CompletionSupport)
    configuration: bool = False
    """It answers ``workspace/configuration``."""
    inlay_hint_refresh: bool = False
    watch_files: bool = False
    """It watches files for us once asked (``client/registerCapability`` of
    ``workspace/didChangeWatchedFiles``)."""
    work_done_progress: bool = False
    """It shows server-initiated progress (``window/workDoneProgress/create``, then ``$/progress``)."""

    @classmethod
    def from_capabilities(cls, capabilities: types.ClientCapabilities) -> ClientSupport:
        formats = get_capability(capabilities, "text_document.hover.content_format", None) or []
        return cls(
            pull_diagnostics=pulls_diagnostics(capabilities),
            hover_markdown=types.MarkupKind.Markdown in formats,
            completion=CompletionSupport.from_capabilities(capabilities),
            configuration=bool(get_capability(capabilities, "workspace.configuration", False)),
            inlay_hint_refresh=bool(get_capability(capabilities, "workspace.inlay_hint.refresh_support", False)),
            watch_files=bool(get_capability(capabilities, "workspace.did_change_watched_files.dynamic_registration", False)),
            work_done_progress=bool(get_capability(capabilities, "window.work_done_progress", False)),
        )


class DocumentView(NamedTuple):
    """What a request about one document needs."""

    document: Document
    analysis: Analysis
    positions: ClientPositions


class StatusServer(DiagnosticsPush, LanguageServer):
    """Session state: the open documents, what the client supports, the settings, pending pushes."""

    def __init__(self, debounce: float | None = None):
        super().__init__(
            name="http-status-ls",
            version=__version__,
            protocol_cls=StatusProtocol,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            debounce=debounce,
        )
        check_instance(self)
        self.store = DocumentStore()
        self._converted: dict[str, Converted] = {}
        """Per open document, its findings as diagnostics (see `Converted`)."""
        self.supports = ClientSupport()
        self.severity = dict(SEVERITY)
        # Settings: the merged result, a generation bumped by every change (part of every cached
        # diagnostic and result id), the layers heard so far, and the questions to the client.
        self.settings: Settings = DEFAULT_SETTINGS
        self.settings_generation = 0
        self.session_settings = SessionSettings(RULE_IDS)
        self.configuration = ConfigurationRequests()
        self.session_ready = False
        self._settings_message_shown: tuple[str, ...] = ()
        self._settings_message_pending: str | None = None
        self._skipped_logged: set[str] = set()
        self._overruled_logged: set[tuple[str, str]] = set()
        self.pyproject_poll: PyprojectPoll | None = None
        # The workspace index: references and the project's status parameters (workspace_index.py).
        self.indexer = IndexDriver(self)
        # The cross-check of handlers against the workspace's API descriptions (code_spec.py).
        self.cross = CodeSpecDriver(self)
        # The versions each document's project runs on, which decide the library names offered.
        self.targets = ProjectTargets()
        self._targets_logged: set[ProjectTarget] = set()
        # Lifecycle (see lifecycle.py): whether `shutdown` came, the status `exit` asked for, the
        # watch on the editor's process.
        self.shutdown_received = False
        self.exit_status: int | None = None
        self.parent_watch: ParentWatch | None = None
        self._reporting = False

    def adopt_client(self, capabilities: types.ClientCapabilities) -> None:
        self.supports = ClientSupport.from_capabilities(capabilities)

    # --- documents and their analysis ------------------------------------------------------------

    def positions(self, document: Document) -> ClientPositions:
        """Position conversion for the document's current version (one per version: it caches the
        unit counts of long lines)."""
        codec = self.workspace.position_codec
        return document.memo(f"positions/{codec.encoding}", lambda: ClientPositions(document.lines, codec))

    def analysed(self, uri: str) -> tuple[Document, Analysis] | None:
        document = self.store.get(uri)
        if document is None:
            return None
        if (reason := self.skip_reason(document)) is not None:
            # Switched off or too large: an empty analysis, so every feature answers nothing.
            empty = Detection(notes=(f"skipped: {reason}",))
            return document, Analysis(uri=uri, version=document.version, language=document.language or "unknown", detection=empty)
        fresh = not document.analysed
        with collection_paused():  # see `core.gc_pause`: one document's analysis, never a whole request
            analysis = document.analysis(self.store.extra_keys, self.store.project)
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
        """The document's diagnostics, for a pull and for code actions."""
        own: list[types.Diagnostic] = self._own_diagnostics(document, as_json=False)
        # The cross-check's findings come from the workspace, not from this text: added, not memoised.
        crossed = self.cross.diagnostics_for(document, self.positions(document).range) if self.cross.findings else []
        return own + unsuppressed(document.lines, crossed) if crossed else own

    def diagnostics_json_of(self, document: Document) -> list[dict[str, Any]]:
        """`diagnostics_of` as the JSON a push sends, made without the lsprotocol objects."""
        own: list[dict[str, Any]] = self._own_diagnostics(document, as_json=True)
        crossed = self.cross.diagnostics_for(document, self.positions(document).range) if self.cross.findings else []
        if not crossed:
            return own
        converter = self.protocol._converter  # noqa: SLF001 - the converter pygls would use
        return own + [converter.unstructure(item, types.Diagnostic) for item in unsuppressed(document.lines, crossed)]

    def _own_diagnostics(self, document: Document, *, as_json: bool) -> Any:
        """The document's own diagnostics, as objects or as JSON; its findings are worked out once
        per revision, settings and project target for both."""
        # The target is in the memo's keys: a starlette installed meanwhile changes what is deprecated.
        target = self.target_of(document.uri)
        uri, lines = document.uri, document.lines

        def judged() -> list[Finding]:
            found = self.analysed(uri)
            if found is None:
                return []
            # The text is joined only if a rule needs all of it.
            return unsuppressed_findings(
                lines, findings(found[1], severity=self.severity, target=target, text=lambda: document.text, lines=lines)
            )

        def converted() -> list[Any]:
            with collection_paused():  # pulled diagnostics too (a push holds it off already)
                found = document.memo(f"findings/{self.settings_generation}/{target!r}", judged)
                kept = self._converted.setdefault(uri, Converted())
                encoding = str(self.workspace.position_codec.encoding)
                if as_json:
                    return kept.convert_json(found, uri, lines, self.positions(document).to_units, encoding)
                return kept.convert(found, uri, lines, self.positions(document).range, encoding)

        return document.memo(f"diagnostics{'-json' if as_json else ''}/{self.settings_generation}/{target!r}", converted)

    def target_of(self, uri: str) -> ProjectTarget:
        """The versions the document's project runs on (see ``core.project_target``): the settings'
        ``pythonVersion`` and ``pythonEnvironment``, else what its ``pyproject.toml`` and its
        environment say; looked up in the workspace folder that holds the document."""
        path = file_uri_path(uri)
        document = Path(path) if path else None
        roots = [Path(root) for root in self.workspace_roots()]
        holding = [root for root in roots if document is not None and (root == document or root in document.parents)]
        root = holding[0] if holding else (roots[0] if roots else None)
        settings = self.settings
        target = self.targets.resolve(
            document, root=root, python_version=settings.python_version, environment=settings.python_environment
        )
        if target not in self._targets_logged:
            self._targets_logged.add(target)
            log.info("project target (first for %s): %s", uri, target.describe())
        return target

    def skip_reason(self, document: Document) -> str | None:
        """Why the settings keep a document from being analysed (its language is switched off, it
        is over ``maxFileSize``), or None. Said once per opened document in the client's log."""
        settings = self.settings

        def decide() -> str | None:
            if document.language is not None and not settings.languages.enabled(document.language):
                return f"{document.language} is switched off in the settings (httpStatus.languages)"
            limit = settings.max_file_size
            size = document.lines.chars
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

    def forget(self, uri: str) -> None:
        """Drop what the session remembers of a document that closed or opened anew."""
        super().forget(uri)
        self._skipped_logged.discard(uri)
        self._converted.pop(uri, None)
        forget_document(uri)

    def note_language_id(self, document: Document) -> None:
        """Say in the client's log when the file name overrules the ``languageId`` (Eglot sends one
        server's first id for all its buffers); once per (id, extension) pair, not per document."""
        choice = choose_language(document.uri, document.language_id)
        if not choice.overruled or (choice.language_id, choice.extension) in self._overruled_logged:
            return
        self._overruled_logged.add((choice.language_id, choice.extension))
        message = (
            f"{SOURCE}: languageId {choice.language_id!r} names {choice.said_by_id}, but {choice.extension} files "
            f"are {choice.language}: reading them as {choice.language} (first: {document.uri})"
        )
        log.info("%s", message)
        try:
            self.window_log_message(types.LogMessageParams(type=types.MessageType.Info, message=message))
        except Exception:  # no client to tell (unit tests); stderr has it
            pass

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
        if self.session_ready:
            self.indexer.start()  # again, if extraYamlKeys or maxFileSize changed
            self.cross.schedule()  # openApiSpecs may have changed
        self.rediagnose_all()
        return True

    def rediagnose_all(self) -> None:
        """Fresh diagnostics for every open document after a settings change, without waiting for
        an edit: pushed again, or the client asked to pull again (a client is only pulled from when
        it can be asked, see :func:`~http_status_ls.lsp.push.pulls_diagnostics`)."""
        if not self.session_ready:
            return
        if self.supports.pull_diagnostics:
            self._request_quietly("workspace/diagnostic/refresh", self.workspace_diagnostic_refresh)
        else:
            self.schedule_all()
        if self.supports.inlay_hint_refresh:
            self._request_quietly("workspace/inlayHint/refresh", self.workspace_inlay_hint_refresh)

    def _request_quietly(
        self, what: str, send: Callable[[Any], Any], params: Any = None, failed: Callable[[], None] | None = None
    ) -> None:
        """Send a request whose answer does not matter, only whether it failed (then ``failed()``)."""

        def done(future: Any) -> None:
            if future.cancelled() or future.exception() is None:
                return
            log.info("%s failed: %r", what, future.exception())
            if failed is not None:
                failed()

        try:
            send(params).add_done_callback(done)
        except Exception as error:
            log.info("%s not sent: %r", what, error)
            if failed is not None:
                failed()

    def watch_pyproject(self) -> None:
        """Have a change to ``pyproject.toml`` reach the settings: the client watches it when it
        can, else the server looks itself (see :mod:`project_watch`)."""
        if self.supports.watch_files:
            self.indexer.watched = True

            def refused() -> None:
                self.indexer.watched = False
                self.poll_pyproject()

            self._request_quietly("client/registerCapability", self.client_register_capability, registration(), refused)
        else:
            self.poll_pyproject()

    def poll_pyproject(self) -> None:
        """Look at the workspace's ``pyproject.toml`` files from the server (once per session)."""
        root = self.session_settings.root
        if root is None or self.pyproject_poll is not None or self.shutdown_received:
            return
        self.pyproject_poll = PyprojectPoll(candidates(root), self.pyproject_changed)
        self.pyproject_poll.start()
        log.info("watching %s/pyproject.toml and the folders above for settings changes", root)

    def pyproject_changed(self) -> None:
        """A ``pyproject.toml`` was written, made or removed: read the settings again, and the
        projects' targets (``requires-python``) too."""
        try:
            uris = [document.uri for document in self.store]
            before = [self.target_of(uri) for uri in uris]
            self.targets.invalidate()
            if not self.refresh_settings() and [self.target_of(uri) for uri in uris] != before:
                # Same settings, but requires-python moved: what is offered and what is deprecated
                # may differ, so every open document is judged again.
                self.settings_generation += 1
                self.rediagnose_all()
        except Exception as error:
            self.report_failure("pyproject.toml", error)

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

    def pull_configuration(self) -> None:
        """Ask the client for our section (if it can be asked) and apply the answer. Pushed
        diagnostics wait for the answer (see :class:`ConfigurationRequests`)."""
        if not self.supports.configuration:
            return
        roots = self.workspace_roots()
        scope_uri = from_fs_path(roots[0]) if roots else None
        try:
            self.configuration.ask(self.workspace_configuration, scope_uri, self._apply_live_section)
        except Exception as error:
            self.report_failure("workspace/configuration", error)

    def _apply_live_section(self, section: Any) -> None:
        try:
            if section is not NO_SECTION:
                self.session_settings.set_live(section)
            if not self.refresh_settings():
                self.schedule_all()  # the pushes postponed while we waited
        except Exception as error:
            self.report_failure("workspace/configuration", error)

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

    def report_server_error(self, error: Exception, source: Any) -> None:
        # pygls' default pops up window/showMessage; a log entry is enough and less intrusive.
        self.report_failure(getattr(source, "__name__", "server"), error)

    # --- lifecycle -------------------------------------------------------------------------------

    def cancel_all(self) -> None:
        """Nothing more is pushed, nor looked at (shutdown, exit)."""
        super().cancel_all()
        self.indexer.stop()
        self.cross.stop()
        if self.pyproject_poll is not None:
            self.pyproject_poll.stop()

    def watch_parent(self, pid: int | None) -> None:
        """Exit when the editor's process (``initialize.processId``) is gone."""
        if self.parent_watch is None:
            self.parent_watch = ParentWatch.start(pid, lambda: exit_now(1))

    def start_stdio(self, stdin: BinaryIO, stdout: BinaryIO) -> None:
        """Serve stdin/stdout until the client exits, reading ahead so that waiting messages
        (cancels, superseding changes) are seen before a request is started."""
        serve_stdio(self, ReadAhead(stdin), stdout, self.report_server_error)

    @property
    def final_status(self) -> int:
        """The process's exit status: what ``exit`` asked for, else 0 only after ``shutdown``."""
        if self.exit_status is not None:
            return self.exit_status
        return 0 if self.shutdown_received else 1
