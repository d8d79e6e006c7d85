"""Hover through the real server: exact ranges and content for literals, names and OpenAPI keys."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.support.fixture_texts import fixture_text

from .session import hover_text, new_uri, open_document, position_at, range_of

pytestmark = pytest.mark.asyncio(loop_scope="module")

PYTHON = """\
import requests
from http import HTTPStatus
from flask import abort


def show(item):
    if item is None:
        abort(404)
    r = requests.get("https://example.com", timeout=300)
    return item, HTTPStatus.CREATED
"""

OPENAPI_YAML = fixture_text("pets_response_keys.yaml")

OPENAPI_JSON = """\
{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/pets": {
      "post": {
        "responses": {
          "201": {"description": "created"},
          "5XX": {"description": "server errors"}
        }
      }
    }
  }
}
"""


async def _hover(client: LanguageClient, uri: str, position: types.Position):
    return await client.text_document_hover_async(
        types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )


async def test_hover_on_python_literal(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    result = await _hover(client, uri, position_at(PYTHON, "404", client, offset=1))
    assert result.range == range_of(PYTHON, "404", client)
    text = hover_text(result)
    assert "404 Not Found" in text
    assert isinstance(result.contents, types.MarkupContent)
    assert result.contents.kind == types.MarkupKind.Markdown
    # The card: a bold title (never a heading), and a footer with the name in the file's library.
    assert text.startswith("**404 Not Found**  \n")
    assert "[RFC 9110 §15.5.5](https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5)" in text
    assert text.splitlines()[-1] == "`HTTPStatus.NOT_FOUND` · more: `http-status-ls explain 404`"
    assert len(text.splitlines()) <= 10


async def test_no_hover_on_timeout(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    assert await _hover(client, uri, position_at(PYTHON, "300", client, offset=1)) is None
    # Nor on a plain word nearby.
    assert await _hover(client, uri, position_at(PYTHON, "requests.get", client, offset=2)) is None


async def test_hover_on_name(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    result = await _hover(client, uri, position_at(PYTHON, "CREATED", client, offset=3))
    assert result.range == range_of(PYTHON, "CREATED", client)
    text = hover_text(result)
    assert text.startswith("**201 Created**")
    assert text.splitlines()[-1] == "`HTTPStatus.CREATED` · more: `http-status-ls explain 201`"


async def test_hover_on_yaml_response_keys(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML)
    quoted = await _hover(client, uri, position_at(OPENAPI_YAML, "'200'", client, offset=2))
    assert quoted.range == range_of(OPENAPI_YAML, "'200'", client)
    assert hover_text(quoted).startswith("**200 OK**")
    # A YAML file has no Python library: the footer only says where to read more.
    assert hover_text(quoted).splitlines()[-1] == "More: `http-status-ls explain 200`"
    assert "HTTPStatus" not in hover_text(quoted)

    ranged = await _hover(client, uri, position_at(OPENAPI_YAML, "4XX", client))
    assert ranged.range == range_of(OPENAPI_YAML, "4XX", client)
    assert "4XX Client Error" in hover_text(ranged)

    default = await _hover(client, uri, position_at(OPENAPI_YAML, "default", client, offset=3))
    assert default.range == range_of(OPENAPI_YAML, "default", client)
    assert "every status code this operation does not list" in hover_text(default)

    # `description` values and the `openapi` version are not status codes.
    assert await _hover(client, uri, position_at(OPENAPI_YAML, "3.0.3", client)) is None


async def test_hover_on_json_response_keys(client: LanguageClient):
    uri = new_uri(".json")
    open_document(client, uri, "json", OPENAPI_JSON)
    created = await _hover(client, uri, position_at(OPENAPI_JSON, '"201"', client, offset=2))
    assert created.range == range_of(OPENAPI_JSON, '"201"', client)
    assert hover_text(created).startswith("**201 Created**")
    assert hover_text(created).splitlines()[-1] == "More: `http-status-ls explain 201`"
    server_errors = await _hover(client, uri, position_at(OPENAPI_JSON, '"5XX"', client, offset=1))
    assert "5XX Server Error" in hover_text(server_errors)


async def test_hover_verbosity_setting_applies_live(client: LanguageClient):
    uri = new_uri(".py")
    open_document(client, uri, "python", PYTHON)
    position = position_at(PYTHON, "404", client, offset=1)
    short = hover_text(await _hover(client, uri, position))

    # A settings change makes the server ask Neovim to refresh its inlay hints; pytest-lsp's client
    # has no handler for that request of its own.
    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def inlay_hint_refresh(client: LanguageClient, params: None) -> None:
        return None

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"httpStatus": {"hover": {"verbosity": "full"}}})
    )
    try:
        full = hover_text(await _hover(client, uri, position))
        assert full.startswith("**404 Not Found**\n\n")
        assert "**Python names:**" in full and "**Not to be confused with:**" in full
        assert len(full) > 3 * len(short)
    finally:
        client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"httpStatus": {}}))
    assert hover_text(await _hover(client, uri, position)) == short
