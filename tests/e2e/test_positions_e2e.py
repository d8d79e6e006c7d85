"""Positions in the client's encoding: utf-8 for Neovim, utf-16 for VS Code, with accents, CJK and
emoji before the code on the same line."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .session import diagnostics_of, encoding, hover_text, new_uri, open_document, position_at, range_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

PYTHON = 'from flask import abort\nmsg = "héllo 世界 🎉"; abort(404)\nnote = "😀 ü"; abort(305)\n'
YAML = 'checks:\n  - {name: "é世🎉", status: 420}\n'
JSON = '{"openapi": "3.0.0", "paths": {"/é世🎉": {"get": {"responses": {"305": {"description": "😀"}}}}}}\n'


async def test_negotiated_encoding(client: LanguageClient):
    offered = client.capabilities.general.position_encodings if client.capabilities.general else None
    expected = types.PositionEncodingKind.Utf8 if offered and "utf-8" in offered else types.PositionEncodingKind.Utf16
    assert encoding(client) == expected


async def test_hover_and_diagnostics_after_emoji_in_python(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(PYTHON, "404", client, 1))
    )
    assert result.range == range_of(PYTHON, "404", client)
    assert "404 Not Found" in hover_text(result)
    (deprecated,) = await diagnostics_of(client, uri, version=1)
    assert deprecated.range == range_of(PYTHON, "305", client)


async def test_yaml_value_after_cjk(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", YAML)
    (unofficial,) = await diagnostics_of(client, uri, version=1)
    assert unofficial.code == "unofficial-code"
    assert unofficial.range == range_of(YAML, "420", client)


async def test_json_key_after_emoji(client: LanguageClient):
    uri = new_uri(".json")
    open_document(client, uri, "json", JSON)
    (deprecated,) = await diagnostics_of(client, uri, version=1)
    assert deprecated.range == range_of(JSON, '"305"', client)
    result = await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position_at(JSON, '"305"', client, 2))
    )
    assert result.range == range_of(JSON, '"305"', client)


async def test_edit_after_emoji_uses_client_units(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    # Replace 404 (after the emoji) with 418, in the client's units.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangePartial(range=range_of(PYTHON, "404", client), text="418")],
        )
    )
    edited = PYTHON.replace("404", "418")
    found = await diagnostics_of(client, uri, version=2)
    assert [(d.code, d.range) for d in found] == [
        ("reserved-code", range_of(edited, "418", client)),
        ("deprecated-code", range_of(edited, "305", client)),
    ]
    # A second edit on a line with a four-byte emoji, inserting another one before the code.
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(
                        start=position_at(edited, "abort(305)", client), end=position_at(edited, "abort(305)", client)
                    ),
                    text="🚀 or ",
                )
            ],
        )
    )
    again = edited.replace("abort(305)", "🚀 or abort(305)")
    found = await diagnostics_of(client, uri, version=3)
    assert [d.range for d in found if d.code == "deprecated-code"] == [range_of(again, "305", client)]
