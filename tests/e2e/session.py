"""Helpers for the e2e tests: open documents, wait for diagnostics, compute client positions."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.support import lsp_positions

_serial = itertools.count()


def pulls(client: LanguageClient) -> bool:
    """Whether the server chose pull diagnostics for this client (then it must not push).

    The server pulls only from clients that can also be asked to pull again
    (``workspace.diagnostics.refreshSupport``); others, Neovim 0.11 among them, get pushes, and the
    initialize result then offers no ``diagnosticProvider``."""
    result = getattr(client, "initialize_result", None)
    assert result is not None, "the session has not been initialized"
    return result.capabilities.diagnostic_provider is not None


def encoding(client: LanguageClient) -> str:
    """The position encoding the server chose at initialize (utf-16 when it named none)."""
    chosen = client.initialize_result.capabilities.position_encoding  # type: ignore[attr-defined]
    return str(chosen or types.PositionEncodingKind.Utf16)


def utf8(client: LanguageClient) -> bool:
    return encoding(client) == types.PositionEncodingKind.Utf8


def units(text: str, client: LanguageClient) -> int:
    """The length of ``text`` in the client's position units (utf-8 bytes or utf-16 code units)."""
    return lsp_positions.units(text, encoding(client))


def new_uri(suffix: str) -> str:
    return f"file:///e2e/doc{next(_serial)}{suffix}"


def open_document(client: LanguageClient, uri: str, language_id: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)
        )
    )


async def pushed(
    client: LanguageClient, uri: str, version: int | None = None, timeout: float = 10.0
) -> types.PublishDiagnosticsParams:
    """The first publishDiagnostics for ``uri`` (for ``version``, if given), waiting for it."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        for params in client.published.get(uri, []):  # type: ignore[attr-defined]
            if version is None or params.version == version:
                return params
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no diagnostics pushed for {uri} version {version}")
        await asyncio.sleep(0.01)


async def diagnostics_of(client: LanguageClient, uri: str, version: int | None = None) -> list[types.Diagnostic]:
    """The document's diagnostics the way this client gets them: pulled or pushed."""
    if pulls(client):
        report = await client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
        return list(report.items)
    return list((await pushed(client, uri, version)).diagnostics)


def position_at(text: str, needle: str, client: LanguageClient, offset: int = 0, occurrence: int = 0) -> types.Position:
    """The client position of the ``occurrence``-th ``needle`` in ``text`` (plus ``offset`` characters)."""
    return types.Position(**lsp_positions.position_of(text, needle, encoding(client), offset, occurrence))


def range_of(text: str, needle: str, client: LanguageClient, occurrence: int = 0) -> types.Range:
    start = position_at(text, needle, client, occurrence=occurrence)
    return types.Range(start=start, end=types.Position(line=start.line, character=start.character + units(needle, client)))


def by_rule(items: list[types.Diagnostic]) -> dict[str, list[types.Diagnostic]]:
    found: dict[str, list[types.Diagnostic]] = {}
    for item in items:
        found.setdefault(str(item.code), []).append(item)
    return found


def hover_text(result: Any) -> str:
    assert result is not None, "expected a hover"
    contents = result.contents
    return contents.value if isinstance(contents, types.MarkupContent) else str(contents)
