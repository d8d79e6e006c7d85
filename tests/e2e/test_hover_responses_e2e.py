"""Hover on an operation's ``responses`` key through the real server: the card names what the
operation declares, and what the active profile expects is read off the diagnostics the session
judged for that version (the code-point ranges come back in the client's units)."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .session import diagnostics_of, hover_text, new_uri, open_document, position_at, range_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

SPEC = """\
openapi: 3.0.3
info:
  title: Pets
  version: '1'
paths:
  /pets:
    get:
      responses:
        '404':
          description: Not Found
        '410':
          description: Gone
    post:
      responses:
        '201':
          description: Created
        '400':
          description: Bad Request
"""


async def _hover(client: LanguageClient, uri: str, position: types.Position) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )


async def test_hover_on_responses_summarises_the_operation(client: LanguageClient) -> None:
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", SPEC)
    await diagnostics_of(client, uri)  # the session has judged this version
    result = await _hover(client, uri, position_at(SPEC, "responses", client, offset=3))
    assert result is not None
    assert result.range == range_of(SPEC, "responses", client)
    text = hover_text(result)
    assert "GET /pets" in text and "declares 2 responses" in text
    assert "404 Not Found, 410 Gone" in text
    # The default profile expects a success response, and GET declares none.
    assert "Missing for the `recommended` profile:" in text or "Missing for the recommended profile:" in text
    assert "success" in text.split("profile", 1)[1]


async def test_hover_on_a_complete_operation_says_nothing_is_missing(client: LanguageClient) -> None:
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", SPEC)
    await diagnostics_of(client, uri)
    result = await _hover(client, uri, position_at(SPEC, "responses", client, offset=1, occurrence=1))
    text = hover_text(result)
    assert "POST /pets" in text and "201 Created" in text and "400 Bad Request" in text
    assert "Nothing missing for the" in text
