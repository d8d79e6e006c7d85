"""A failure costs one answer, never the session: bad input, unknown documents, failing handlers."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from http_status_ls.lsp.handlers import guarded
from http_status_ls.lsp.session import StatusServer

from .session import hover_text, new_uri, open_document, position_at

in_session = pytest.mark.asyncio(loop_scope="module")


@in_session
async def test_unknown_documents_get_empty_answers(client: LanguageClient):
    uri = new_uri(".py")
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0))
    )
    assert hover is None
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text="abort(404)")],
        )
    )
    completion = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(0, 0))
    )
    assert completion is None


@in_session
async def test_broken_documents_do_not_stop_the_server(client: LanguageClient):
    # A lone surrogate cannot be encoded for the parser; malformed YAML and JSON recover or give up.
    for suffix, language, text in (
        (".py", "python", 'x = "\ud800"\nabort(404)\n'),
        (".yaml", "yaml", "openapi: 3.0.0\npaths: {/p: {get: {responses: {'200': [}}}\n\t- :\n"),
        (".json", "json", '{"openapi": "3.0.0", "paths": {"/p": {"get": {"responses": {"200": {,,}}}'),
    ):
        uri = new_uri(suffix)
        open_document(client, uri, language, text)
        await client.text_document_hover_async(
            types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(1, 7))
        )
    # Still serving.
    good = "from flask import abort\nabort(404)\n"
    uri = new_uri(".py")
    open_document(client, uri, "python", good)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(good, "404", client))
    )
    assert "404 Not Found" in hover_text(result)


@in_session
async def test_positions_past_the_end_are_harmless(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", "abort(404)\n")
    for position in (types.Position(0, 500), types.Position(40, 3)):
        assert (
            await client.text_document_hover_async(
                types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
            )
            is None
        )


def test_guarded_handler_logs_and_answers_the_fallback():
    reported = []

    class Recorder:
        def report_failure(self, what, error):
            reported.append((what, type(error).__name__))

    @guarded(lambda: "empty")
    def on_something(ls, params):
        raise KeyError("boom")

    assert on_something(Recorder(), None) == "empty"
    assert reported == [("on_something", "KeyError")]


def test_failure_report_goes_to_the_client_log():
    server = StatusServer()
    sent = []
    server.window_log_message = sent.append  # type: ignore[method-assign]
    server.report_failure("textDocument/hover", ValueError("bad"))
    (message,) = sent
    assert message.type == types.MessageType.Error
    assert "textDocument/hover failed: ValueError('bad')" in message.message
