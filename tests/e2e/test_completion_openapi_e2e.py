"""OpenAPI response-key completion through the real server, with the capabilities three real clients
send (as pytest-lsp ships them): the edit has to fit what each client then does with it.

- VS Code 1.65 declares snippets and ``insertTextModeSupport`` [asIs, adjustIndentation]: a snippet
  indented relative to the key's line, marked ``adjustIndentation`` (VS Code then gives every line
  after the first the key line's indentation, as snippet engines elsewhere do unasked).
- Neovim 0.11 declares snippets and no insertTextMode, and its ``vim.snippet.expand`` indents every
  line after the first like the current line: a snippet indented relative to the key's line.
- Emacs 29 (Eglot without yasnippet) declares neither and inserts ``newText`` as it is: plain text
  with absolute indentation.
"""

from __future__ import annotations

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import LanguageClient, client_capabilities

from .conftest import REAL_SERVER
from .session import new_uri, open_document, units

pytestmark = pytest.mark.asyncio(loop_scope="module")

OPENAPI_YAML = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
        '"""

OPENAPI_JSON = """\
{
  "openapi": "3.1.0",
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "200": {"description": "ok"},
          "
        }
      }
    }
  }
}
"""

# The entry each client is sent for the first missing key (201), by client.
YAML_ENTRY = {
    "visual-studio-code": (
        "'201':\n  description: ${1:Created}$0",
        types.InsertTextFormat.Snippet,
        types.InsertTextMode.AdjustIndentation,
    ),
    "neovim": ("'201':\n  description: ${1:Created}$0", types.InsertTextFormat.Snippet, None),
    "emacs": ("'201':\n          description: Created", types.InsertTextFormat.PlainText, None),
}
JSON_ENTRY = {
    "visual-studio-code": '"201": {\n  "description": "${1:Created}"\n}$0',
    "neovim": '"201": {\n  "description": "${1:Created}"\n}$0',
    "emacs": '"201": {\n            "description": "Created"\n          }',
}


@pytest_lsp.fixture(scope="module", params=sorted(YAML_ENTRY), config=REAL_SERVER)
async def client(request: pytest.FixtureRequest, lsp_client: LanguageClient):
    lsp_client.client_name = request.param  # type: ignore[attr-defined]
    result = await lsp_client.initialize_session(types.InitializeParams(capabilities=client_capabilities(request.param)))
    lsp_client.initialize_result = result  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()


async def _first_item(client: LanguageClient, text: str, language: str, line: int) -> types.CompletionItem:
    """The first item (by sort text) at the end of ``line`` of a new document."""
    uri = new_uri(f".{language}")
    open_document(client, uri, language, text)
    position = types.Position(line=line, character=units(text.split("\n")[line], client))
    result = await client.text_document_completion_async(
        types.CompletionParams(text_document=types.TextDocumentIdentifier(uri=uri), position=position)
    )
    assert isinstance(result, types.CompletionList)
    return min(result.items, key=lambda item: item.sort_text or "")


async def test_yaml_entry_fits_the_client(client: LanguageClient):
    item = await _first_item(client, OPENAPI_YAML, "yaml", 8)
    new_text, text_format, mode = YAML_ENTRY[client.client_name]  # type: ignore[attr-defined]
    assert item.label == "'201':"
    assert isinstance(item.text_edit, types.TextEdit)
    assert (item.text_edit.new_text, item.insert_text_format, item.insert_text_mode) == (new_text, text_format, mode)
    assert item.text_edit.range.start == types.Position(line=8, character=8)


async def test_json_entry_fits_the_client(client: LanguageClient):
    item = await _first_item(client, OPENAPI_JSON, "json", 7)
    assert item.label == '"201":'
    assert isinstance(item.text_edit, types.TextEdit)
    assert item.text_edit.new_text == JSON_ENTRY[client.client_name]  # type: ignore[attr-defined]


async def test_a_key_after_an_unquoted_digit_filters_and_inserts_as_a_key(client: LanguageClient):
    """Neovim's omnifunc inserts the filter text where the label does not start with what was typed."""
    text = OPENAPI_YAML[: -len("'")] + "4"
    uri = new_uri(".yaml")
    open_document(client, uri, "yaml", text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=8, character=units(text.split("\n")[8], client)),
        )
    )
    assert isinstance(result, types.CompletionList)
    by_label = {item.label: item for item in result.items}
    assert by_label["'404':"].filter_text == "404:"
    assert isinstance(by_label["'404':"].text_edit, types.TextEdit)
    assert by_label["'404':"].text_edit.new_text.startswith("'404':\n")
