"""Pushed diagnostics: ``textDocument/publishDiagnostics`` once a burst of edits has settled, and
which clients get them (:func:`pulls_diagnostics`).

A client gets diagnostics pushed unless it can both pull them (``textDocument/diagnostic``) and be
told to pull again (``workspace/diagnostic/refresh``). A client that pulls but cannot be told (Neovim
0.11) would keep showing the verdict of the old settings until each document is edited, since it
only pulls after an edit; pushing to it instead brings every open document up to date at once. Such
a client is not offered the pull (no ``diagnosticProvider`` in its initialize result, see
:mod:`protocol`), so it never shows the same problem twice; a pull it sends all the same is answered.

Each edit restarts a short timer per document (:data:`DEBOUNCE_SECONDS`); when it fires, the
diagnostics of the document's *current* version are sent, tagged with that version, and only when
they are not the ones already sent for the same text and settings. While the client's settings are
being asked for, pushes wait for the answer (the session pushes again once it is in).
"""

from __future__ import annotations

import asyncio
import os
from typing import TYPE_CHECKING, Any

from lsprotocol import types
from pygls.capabilities import get_capability

from http_status_ls.core.gc_pause import collection_paused

if TYPE_CHECKING:
    from http_status_ls.lsp.configuration import ConfigurationRequests
    from http_status_ls.lsp.documents import Document, DocumentStore
    from http_status_ls.lsp.session import ClientSupport

DEBOUNCE_SECONDS = 0.015
"""How long a burst of edits may settle before diagnostics are recomputed and pushed."""

DEBOUNCE_VARIABLE = "HTTP_STATUS_LS_DEBOUNCE_MS"
"""An environment variable that overrides :data:`DEBOUNCE_SECONDS`, in milliseconds (for benchmarks)."""


def pulls_diagnostics(capabilities: types.ClientCapabilities) -> bool:
    """Whether diagnostics are pulled by this client (else they are pushed to it): it must pull
    them and also accept ``workspace/diagnostic/refresh``, the only way to have it pull again after
    a settings change."""
    return get_capability(capabilities, "text_document.diagnostic", None) is not None and bool(
        get_capability(capabilities, "workspace.diagnostics.refresh_support", False)
    )


class DiagnosticsPush:
    """The push half of the session (a base of :class:`~http_status_ls.lsp.session.StatusServer`):
    a timer per document with edits pending, and what was last pushed for each."""

    if TYPE_CHECKING:
        # What the session provides.
        store: DocumentStore
        supports: ClientSupport
        configuration: ConfigurationRequests
        settings_generation: int

        def diagnostics_json_of(self, document: Document) -> list[dict[str, Any]]: ...
        def report_failure(self, what: str, error: BaseException) -> None: ...
        def text_document_publish_diagnostics(self, params: types.PublishDiagnosticsParams) -> None: ...

        protocol: Any

    cross_generation = 0
    """Bumped by every cross-check run that changes what a document shows (``lsp.code_spec``)."""

    def __init__(self, *args: Any, debounce: float | None = None, **kwargs: Any) -> None:
        if debounce is None:
            debounce = float(os.environ.get(DEBOUNCE_VARIABLE, DEBOUNCE_SECONDS * 1000)) / 1000
        self.debounce = debounce
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._published: dict[str, tuple[int, int, int, int]] = {}
        """Per URI: (document identity, revision, settings and cross-check generations) of the last push."""
        super().__init__(*args, **kwargs)

    def schedule(self, uri: str, delay: float) -> None:
        """Push diagnostics for ``uri`` once edits have paused for ``delay`` seconds."""
        if self.supports.pull_diagnostics:
            return
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._timers[uri] = loop.call_later(delay, self.publish, uri)

    def schedule_all(self) -> None:
        """Push again for every open document, at once (settings changed, or their answer came)."""
        for document in self.store:
            self.schedule(document.uri, 0)

    def publish(self, uri: str) -> None:
        """Push the diagnostics of the document's current version (never of an older one)."""
        self._timers.pop(uri, None)
        try:
            document = self.store.get(uri)
            if document is None or self.supports.pull_diagnostics:
                return
            if self.configuration.pending:
                return  # pushed once the client's settings are in (see session.pull_configuration)
            published = (id(document), document.revision, self.settings_generation, self.cross_generation)
            if self._published.get(uri) == published:
                return
            with collection_paused():  # see `core.gc_pause`
                items = self.diagnostics_json_of(document)
                self._published[uri] = published
                self._push(uri, items, document.version)
        except Exception as error:
            self.report_failure("publishDiagnostics", error)

    def _push(self, uri: str, items: list[dict[str, Any]], version: int | None) -> None:
        """Send the notification pygls would, the diagnostics already JSON (`client_diagnostics`):
        the session keeps each one's JSON while its finding and lines stand, so a keystroke does not
        make GitHub's 181 again."""
        params: dict[str, Any] = {"uri": uri, "diagnostics": items}
        if version is not None:
            params["version"] = version
        self.protocol._send_data({"jsonrpc": "2.0", "method": types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, "params": params})  # noqa: SLF001

    def withdraw(self, uri: str) -> None:
        """Clear what was pushed for a document the client closed."""
        if not self.supports.pull_diagnostics:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def forget(self, uri: str) -> None:
        """Drop the pending push and the memory of the last one (the document closed or reopened)."""
        if (pending := self._timers.pop(uri, None)) is not None:
            pending.cancel()
        self._published.pop(uri, None)

    def cancel_all(self) -> None:
        """Nothing more is pushed (shutdown, exit)."""
        for uri in list(self._timers):
            self.forget(uri)
