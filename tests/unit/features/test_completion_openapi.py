"""OpenAPI response-key completion per client capability: what the text of the edit is, and what
the document becomes once a client applies the item the way that client does.

The clients, as their sources show: VS Code declares ``insertTextModeSupport`` (asIs and
adjustIndentation) and snippets, and honours the mode; Neovim 0.11 declares snippets but no
insertTextMode, re-indents every snippet line after the first with the current line's indentation
(``vim.snippet.expand``), and with ``<C-x><C-o>`` alone inserts one word of the item (the label of a
snippet item when it starts with what was typed, else its filter text; the first word of a
plain-text item); nvim-cmp and blink.cmp declare asIs but hand snippets to ``vim.snippet.expand`` or
LuaSnip, which re-indent them; Eglot without yasnippet declares neither and inserts ``newText`` as
it is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
import yaml
from lsprotocol import types
from pytest_lsp import client_capabilities

from http_status_ls.detect.analysis import analyse
from http_status_ls.features.completion import CompletionSupport, complete
from http_status_ls.lsp.documents import split_lines

SNIPPET = types.InsertTextFormat.Snippet
PLAIN_TEXT = types.InsertTextFormat.PlainText
AS_IS = types.InsertTextMode.AsIs
ADJUST = types.InsertTextMode.AdjustIndentation

VSCODE = CompletionSupport(snippets=True, markdown=True, insert_as_is=True, insert_adjusts=True)
NEOVIM = CompletionSupport(snippets=True, markdown=True)
EGLOT = CompletionSupport()
NVIM_CMP = CompletionSupport(snippets=True, insert_as_is=True, insert_adjusts=True, default_insert_mode=types.InsertTextMode.AsIs)
"""What cmp_nvim_lsp.default_capabilities() declares: both modes, asIs by default."""
BLINK_CMP = CompletionSupport(snippets=True, insert_as_is=True, default_insert_mode=types.InsertTextMode.AsIs)
"""What blink.cmp declares: asIs only."""

YAML_DOC = """\
openapi: 3.0.3
info: {{title: t, version: '1'}}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
        {typed}|
  /owners: {{}}
"""

JSON_DOC = """\
{
  "openapi": "3.1.0",
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "200": {"description": "ok"},
          |
        }
      }
    }
  }
}
"""


def complete_at(text: str, language: str, support: CompletionSupport) -> tuple[str, types.CompletionList]:
    """The document without the ``|`` marker, and the completion at the marker."""
    index = text.index("|")
    source = text[:index] + text[index + 1 :]
    line = source.count("\n", 0, index)
    col = index - (source.rfind("\n", 0, index) + 1)
    analysis = analyse(f"file:///openapi.{language}", language, source, 1)
    result = complete(analysis, split_lines(source), line, col, support=support)
    assert isinstance(result, types.CompletionList)
    return source, result


def first(result: types.CompletionList, typed: str = "") -> types.CompletionItem:
    """The first item a client lists once ``typed`` is typed (the server leaves filtering to clients;
    Neovim keeps the items whose filter text starts with it)."""
    shown = [item for item in result.items if (item.filter_text or item.label).startswith(typed)]
    return min(shown, key=lambda item: item.sort_text or "")


def edit_of(item: types.CompletionItem) -> types.TextEdit:
    assert isinstance(item.text_edit, types.TextEdit)
    return item.text_edit


# --- how clients apply an item -------------------------------------------------------------------


def _offset(source: str, position: types.Position) -> int:
    lines = source.split("\n")
    return sum(len(line) + 1 for line in lines[: position.line]) + position.character


def _replace(source: str, edit: types.TextEdit, text: str) -> str:
    return source[: _offset(source, edit.range.start)] + text + source[_offset(source, edit.range.end) :]


def _plain(text: str) -> str:
    """A snippet's text with its tabstops and placeholders resolved to their defaults."""
    text = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", text)
    return re.sub(r"\$\d+", "", text).replace("\\}", "}").replace("\\$", "$").replace("\\\\", "\\")


def applied_as_is(source: str, item: types.CompletionItem) -> str:
    """Eglot without yasnippet, VS Code with insertTextMode asIs: the text as it is."""
    edit = edit_of(item)
    return _replace(source, edit, _plain(edit.new_text))


def applied_adjusting_indentation(source: str, item: types.CompletionItem) -> str:
    """VS Code with adjustIndentation, Neovim's vim.snippet.expand: every line after the first gets
    the leading whitespace of the line the item is accepted on."""
    edit = edit_of(item)
    line = source.split("\n")[edit.range.start.line]
    indent = line[: len(line) - len(line.lstrip())]
    text = "\n".join((indent if i else "") + part for i, part in enumerate(_plain(edit.new_text).split("\n")))
    return _replace(source, edit, text)


def applied_by_neovim_omnifunc(source: str, item: types.CompletionItem) -> str:
    """``<C-x><C-o>`` without vim.lsp.completion.enable(): only the word Neovim 0.11 picks
    (runtime/lua/vim/lsp/completion.lua, get_completion_word), from the start of the edit range to
    the cursor, which is where the range ends here."""
    edit = edit_of(item)
    typed = source.split("\n")[edit.range.start.line][edit.range.start.character : edit.range.end.character]
    if item.insert_text_format == SNIPPET:
        word = item.label
        if item.filter_text and not word.startswith(typed):
            word = item.filter_text
    else:
        word = re.match(r"\S*", edit.new_text)[0]  # type: ignore[index]
    return _replace(source, edit, word)


def how_this_client_applies(support: CompletionSupport, item: types.CompletionItem) -> Callable[[str, types.CompletionItem], str]:
    """As a client that keeps to what it declared does: the item's own insertTextMode, else the
    client's default, else what the client is known to do (snippet engines re-indent; plain text
    goes in as it is)."""
    mode = item.insert_text_mode or support.default_insert_mode
    if mode == AS_IS:
        return applied_as_is
    if mode == ADJUST or item.insert_text_format == SNIPPET:
        return applied_adjusting_indentation
    return applied_as_is


# --- the text of the edit, per client ------------------------------------------------------------


def test_neovim_gets_a_snippet_indented_relative_to_the_key_line():
    _, result = complete_at(YAML_DOC.format(typed="'"), "yaml", NEOVIM)
    item = first(result)
    assert item.label == "'201':"
    assert item.insert_text_format == SNIPPET
    assert item.insert_text_mode is None  # Neovim declares no insertTextMode
    assert edit_of(item).new_text == "'201':\n  description: ${1:Created}$0"


def test_vscode_gets_the_relative_snippet_marked_adjust_indentation():
    _, result = complete_at(YAML_DOC.format(typed="'"), "yaml", VSCODE)
    item = first(result)
    assert item.insert_text_format == SNIPPET
    assert item.insert_text_mode == ADJUST
    assert edit_of(item).new_text == "'201':\n  description: ${1:Created}$0"


def test_vscode_without_snippets_gets_absolute_plain_text_marked_as_is():
    _, result = complete_at(YAML_DOC.format(typed="'"), "yaml", CompletionSupport(insert_as_is=True, insert_adjusts=True))
    item = first(result)
    assert (item.insert_text_format, item.insert_text_mode) == (PLAIN_TEXT, AS_IS)
    assert edit_of(item).new_text == "'201':\n          description: Created"


def test_a_client_without_snippets_or_insert_modes_gets_plain_text_as_it_will_stand():
    _, result = complete_at(YAML_DOC.format(typed="'"), "yaml", EGLOT)
    item = first(result)
    assert item.insert_text_format == PLAIN_TEXT
    assert item.insert_text_mode is None
    assert edit_of(item).new_text == "'201':\n          description: Created"


RELATIVE_SNIPPET = "'201':\n  description: ${1:Created}$0"
RELATIVE_TEXT = "'201':\n  description: Created"
ABSOLUTE_TEXT = "'201':\n          description: Created"


@pytest.mark.parametrize(
    ("support", "text_format", "mode", "new_text"),
    [
        (CompletionSupport(snippets=True, insert_adjusts=True), SNIPPET, ADJUST, RELATIVE_SNIPPET),
        (BLINK_CMP, SNIPPET, None, RELATIVE_SNIPPET),
        (NVIM_CMP, SNIPPET, ADJUST, RELATIVE_SNIPPET),
        (CompletionSupport(insert_adjusts=True), PLAIN_TEXT, ADJUST, RELATIVE_TEXT),
        (CompletionSupport(insert_as_is=True), PLAIN_TEXT, AS_IS, ABSOLUTE_TEXT),
        (CompletionSupport(default_insert_mode=AS_IS), PLAIN_TEXT, None, ABSOLUTE_TEXT),
        (CompletionSupport(default_insert_mode=ADJUST), PLAIN_TEXT, None, RELATIVE_TEXT),
        (CompletionSupport(insert_adjusts=True, default_insert_mode=ADJUST), PLAIN_TEXT, ADJUST, RELATIVE_TEXT),
        (CompletionSupport(insert_adjusts=True, default_insert_mode=AS_IS), PLAIN_TEXT, None, ABSOLUTE_TEXT),
    ],
    ids=[
        "adjust-snippet",
        "blink-cmp",
        "nvim-cmp",
        "adjust-only-plain",
        "as-is-plain",
        "default-as-is-plain",
        "default-adjust-plain",
        "adjust-by-default",
        "adjust-but-as-is-by-default",
    ],
)
def test_declared_insert_modes(support, text_format, mode, new_text):
    _, result = complete_at(YAML_DOC.format(typed="'"), "yaml", support)
    item = first(result)
    assert (item.insert_text_format, item.insert_text_mode, edit_of(item).new_text) == (text_format, mode, new_text)


def test_json_per_client():
    _, neovim = complete_at(JSON_DOC, "json", NEOVIM)
    _, vscode = complete_at(JSON_DOC, "json", VSCODE)
    _, eglot = complete_at(JSON_DOC, "json", EGLOT)
    assert edit_of(first(neovim)).new_text == '"201": {\n  "description": "${1:Created}"\n}$0'
    assert edit_of(first(vscode)).new_text == '"201": {\n  "description": "${1:Created}"\n}$0'
    assert edit_of(first(eglot)).new_text == '"201": {\n            "description": "Created"\n          }'
    assert first(vscode).insert_text_mode == ADJUST and first(neovim).insert_text_mode is None


def test_single_line_insertions_carry_no_insert_mode():
    key_only = YAML_DOC.format(typed="'4").replace("|", "|': {description: x}")
    _, result = complete_at(key_only, "yaml", VSCODE)
    item = next(i for i in result.items if i.label == "'404'")
    assert edit_of(item).new_text == "'404'" and item.insert_text_mode is None
    flow = "openapi: 3.0.3\npaths:\n  /p:\n    get:\n      responses: {'200': {description: ok}, |}\n"
    _, result = complete_at(flow, "yaml", VSCODE)
    item = first(result)
    assert edit_of(item).new_text == "'201': {description: ${1:Created}}$0" and item.insert_text_mode is None


# --- labels and filter text: what a word-inserting client leaves ---------------------------------


@pytest.mark.parametrize(
    ("typed", "label", "filter_text"),
    [
        ("", "'201':", "201 Created"),
        ("'", "'201':", "'201 Created"),
        ('"', '"201":', '"201 Created'),
        ("'4", "'400':", "'400 Bad Request"),
        ("4", "'400':", "400:"),
    ],
    ids=["nothing", "quote", "double-quote", "quote-digit", "digit"],
)
def test_label_is_the_key_as_written_and_the_filter_text_starts_with_what_was_typed(typed, label, filter_text):
    _, result = complete_at(YAML_DOC.format(typed=typed), "yaml", NEOVIM)
    item = first(result, typed)  # Neovim lists an item only if its filter text starts with what was typed
    assert (item.label, item.filter_text) == (label, filter_text)


@pytest.mark.parametrize(
    ("typed", "line"),
    [("", "        '201':"), ("'", "        '201':"), ("'4", "        '400':"), ("4", "        400:")],
    ids=["nothing", "quote", "quote-digit", "digit"],
)
def test_neovim_omnifunc_leaves_a_key(typed, line):
    source, result = complete_at(YAML_DOC.format(typed=typed), "yaml", NEOVIM)
    after = applied_by_neovim_omnifunc(source, first(result, typed))
    assert after.split("\n")[8] == line
    yaml.safe_load(after)  # a mapping entry, not a bare scalar: the document still parses


# --- every client, every key: the document it ends up with ----------------------------------------

CLIENTS = {
    "vscode": CompletionSupport.from_capabilities(client_capabilities("visual-studio-code")),
    "neovim": CompletionSupport.from_capabilities(client_capabilities("neovim")),
    "emacs": CompletionSupport.from_capabilities(client_capabilities("emacs")),
}


def test_what_the_clients_declare():
    assert CLIENTS["vscode"] == CompletionSupport(
        snippets=True,
        markdown=True,
        deprecated_tag=True,
        deprecated_flag=True,
        lazy_documentation=True,
        insert_as_is=True,
        insert_adjusts=True,
    )
    assert (CLIENTS["neovim"].snippets, CLIENTS["neovim"].insert_as_is, CLIENTS["neovim"].insert_adjusts) == (True, False, False)
    assert CLIENTS["neovim"].default_insert_mode is None
    assert (CLIENTS["emacs"].snippets, CLIENTS["emacs"].insert_as_is, CLIENTS["emacs"].insert_adjusts) == (False, False, False)


def test_the_client_default_insert_mode_is_read():
    capabilities = types.ClientCapabilities(
        text_document=types.TextDocumentClientCapabilities(completion=types.CompletionClientCapabilities(insert_text_mode=ADJUST))
    )
    assert CompletionSupport.from_capabilities(capabilities).default_insert_mode == ADJUST


@pytest.mark.parametrize("client", sorted(CLIENTS))
@pytest.mark.parametrize("typed", ["", "'", "'5"])
def test_yaml_after_the_client_applies_every_item(client, typed):
    support = CLIENTS[client]
    source, result = complete_at(YAML_DOC.format(typed=typed), "yaml", support)
    assert result.items
    for item in result.items:
        after = how_this_client_applies(support, item)(source, item)
        lines = after.split("\n")
        key = lines[8]
        assert key.startswith("        '") and key.endswith("':"), (item.label, key)
        assert lines[9].startswith("          description: "), (item.label, lines[9])
        responses = yaml.safe_load(after)["paths"]["/pets"]["get"]["responses"]
        new_key = key.strip()[1:-2]
        assert set(responses) == {"200", new_key} and set(responses[new_key]) == {"description"}


@pytest.mark.parametrize("support", [NVIM_CMP, BLINK_CMP], ids=["nvim-cmp", "blink.cmp"])
def test_neovim_completion_plugins_re_indent_snippets_whatever_they_declare(support):
    source, result = complete_at(YAML_DOC.format(typed="'"), "yaml", support)
    after = applied_adjusting_indentation(source, first(result))
    assert after.split("\n")[8:10] == ["        '201':", "          description: Created"]


@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_json_after_the_client_applies_the_first_item(client):
    support = CLIENTS[client]
    source, result = complete_at(JSON_DOC, "json", support)
    after = how_this_client_applies(support, first(result))(source, first(result))
    lines = after.split("\n")
    assert lines[7:10] == ['          "201": {', '            "description": "Created"', "          }"]
    assert json.loads(after)["paths"]["/pets"]["get"]["responses"]["201"] == {"description": "Created"}
