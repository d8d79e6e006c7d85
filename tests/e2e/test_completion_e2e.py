"""Completion through the real server: names after a namespace, codes, OpenAPI response keys."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pytest_lsp import LanguageClient

from .session import new_uri, open_document, position_at, units

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def _complete(client: LanguageClient, uri: str, position: types.Position) -> types.CompletionList:
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    assert isinstance(result, types.CompletionList)
    return result


async def _documentation(client: LanguageClient, item: types.CompletionItem) -> str:
    if item.documentation is None:  # the client resolves documentation lazily (VS Code)
        item = await client.completion_item_resolve_async(item)
    assert isinstance(item.documentation, types.MarkupContent)
    return item.documentation.value


def _end_of(text: str, client: LanguageClient) -> types.Position:
    lines = text.split("\n")
    return types.Position(line=len(lines) - 1, character=units(lines[-1], client))


async def test_names_after_httpstatus(client: LanguageClient):
    text = "from http import HTTPStatus as S\n\n\ndef view():\n    abort(S."
    uri = new_uri(".py")
    open_document(client, uri, "python", text)
    result = await _complete(client, uri, _end_of(text, client))
    by_label = {item.label: item for item in result.items}
    item = by_label["NOT_FOUND"]
    assert item.detail == "404 Not Found"
    assert "404" in item.filter_text and "NOT_FOUND" in item.filter_text
    assert item.text_edit.new_text == "NOT_FOUND"
    assert item.text_edit.range.start == item.text_edit.range.end == _end_of(text, client)
    assert "404 Not Found" in await _documentation(client, item)
    assert len(by_label) >= 60


async def test_deprecated_starlette_names_sorted_last(client: LanguageClient):
    text = "from starlette import status\n\nstatus.HTTP_4"
    uri = new_uri(".py")
    open_document(client, uri, "python", text)
    result = await _complete(client, uri, _end_of(text, client))
    old = next(item for item in result.items if item.label == "HTTP_422_UNPROCESSABLE_ENTITY")
    new = next(item for item in result.items if item.label == "HTTP_422_UNPROCESSABLE_CONTENT")
    assert list(old.tags) == [types.CompletionItemTag.Deprecated]
    assert "HTTP_422_UNPROCESSABLE_CONTENT" in old.detail
    assert new.tags is None
    assert max(i.sort_text for i in result.items if not i.tags) < min(i.sort_text for i in result.items if i.tags)
    # The typed prefix is what the edit replaces.
    start = old.text_edit.range.start
    assert start.character == units("status.", client)


async def test_completion_sees_the_version_being_typed(client: LanguageClient):
    uri = new_uri(".py")
    text = "from http import HTTPStatus\n\n"
    open_document(client, uri, "python", text)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=types.Position(line=2, character=0), end=types.Position(line=2, character=0)),
                    text="x = HTTPStatus.",
                )
            ],
        )
    )
    # No pause: the request right after the edit must see it.
    result = await _complete(client, uri, types.Position(line=2, character=len("x = HTTPStatus.")))
    assert "NOT_FOUND" in {item.label for item in result.items}


async def test_status_codes_in_abort(client: LanguageClient):
    text = "from flask import abort\nabort(4"
    uri = new_uri(".py")
    open_document(client, uri, "python", text)
    result = await _complete(client, uri, _end_of(text, client))
    labels = [item.label for item in sorted(result.items, key=lambda i: i.sort_text)]
    assert labels[:4] == ["400", "401", "403", "404"]
    assert all(label.startswith("4") for label in labels)
    assert next(i for i in result.items if i.label == "404").detail == "404 Not Found"
    # Not after an unrelated keyword.
    other = "import requests\nrequests.get(url, timeout=3"
    uri2 = new_uri(".py")
    open_document(client, uri2, "python", other)
    assert (
        await client.text_document_completion_async(
            types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri2), position=_end_of(other, client))
        )
        is None
    )


OPENAPI_YAML = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
        '4"""


async def test_yaml_responses_offers_missing_codes(client: LanguageClient):
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", OPENAPI_YAML)
    result = await _complete(client, uri, _end_of(OPENAPI_YAML, client))
    ordered = sorted(result.items, key=lambda i: i.sort_text)
    labels = [item.label for item in ordered]
    assert "200" not in labels
    assert labels[:3] == ["201", "202", "204"]
    assert "default" in labels and "4XX" in labels
    item = next(i for i in ordered if i.label == "404")
    edit = item.text_edit
    assert edit.range.start == types.Position(line=8, character=8)
    assert edit.range.end == _end_of(OPENAPI_YAML, client)
    assert item.insert_text_format == types.InsertTextFormat.Snippet
    assert edit.new_text == "'404':\n          description: ${1:Not Found}$0"
    assert item.filter_text.startswith("'404")
    assert "404 Not Found" in await _documentation(client, item)


OPENAPI_JSON = """\
{
  "swagger": "2.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "200": {"description": "ok"}
          
        }
      }
    }
  }
}
"""


async def test_json_responses_inserts_key_and_comma(client: LanguageClient):
    uri = new_uri(".json")
    open_document(client, uri, "json", OPENAPI_JSON)
    position = types.Position(line=8, character=10)
    result = await _complete(client, uri, position)
    labels = {item.label for item in result.items}
    assert "200" not in labels and "201" in labels and "default" in labels
    assert "4XX" not in labels, "Swagger 2.0 has no ranges"
    item = next(i for i in result.items if i.label == "201")
    assert item.text_edit.new_text == '"201": {\n            "description": "${1:Created}"\n          }$0'
    # The previous entry needs a comma after its closing brace.
    (comma,) = item.additional_text_edits
    assert comma.new_text == ","
    assert comma.range.start == position_at(OPENAPI_JSON, '"ok"}', client, offset=len('"ok"}'))
