"""Hover through the real server: exact ranges and content for literals, names and OpenAPI keys."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

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

OPENAPI_YAML = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
        4XX:
          description: client errors
        default:
          description: anything else
"""

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
    assert text.startswith("### 404 Not Found")


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
    assert "http.HTTPStatus.CREATED" in text and "201 Created" in text


async def test_hover_on_yaml_response_keys(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML)
    quoted = await _hover(client, uri, position_at(OPENAPI_YAML, "'200'", client, offset=2))
    assert quoted.range == range_of(OPENAPI_YAML, "'200'", client)
    assert "200 OK" in hover_text(quoted)

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
    assert "201 Created" in hover_text(created)
    server_errors = await _hover(client, uri, position_at(OPENAPI_JSON, '"5XX"', client, offset=1))
    assert "5XX Server Error" in hover_text(server_errors)
