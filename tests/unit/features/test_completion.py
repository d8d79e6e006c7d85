"""Completion as a plain function: the analysis and lines of a document being typed, a cursor, items."""

from __future__ import annotations

import pytest
from lsprotocol import types

from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.completion import CompletionSupport, complete, resolve
from http_status_ls.lsp.documents import split_lines

FULL = CompletionSupport(snippets=True, markdown=True, label_details=True, deprecated_tag=True, deprecated_flag=True)
PLAIN = CompletionSupport()
NEWEST = ProjectTarget(python=(3, 13), starlette=(0, 48, 0))
"""A project on versions that have every name (tests/unit/features/test_version_names.py has the rest)."""


def complete_at(
    text: str, language: str, marker: str = "|", support: CompletionSupport = FULL, target: ProjectTarget = UNKNOWN_TARGET
):
    """Complete where ``marker`` is in ``text`` (the marker itself is removed), for a project on ``target``."""
    index = text.index(marker)
    source = text[:index] + text[index + len(marker) :]
    line = source.count("\n", 0, index)
    col = index - (source.rfind("\n", 0, index) + 1)
    suffix = {"python": ".py", "yaml": ".yaml", "json": ".json"}[language]
    analysis = analyse(f"file:///c{suffix}", language, source, 1)
    return complete(analysis, split_lines(source), line, col, support=support, target=target)


def labels(result) -> list[str]:
    return [item.label for item in sorted(result.items, key=lambda i: i.sort_text)]


def item(result, label: str) -> types.CompletionItem:
    return next(i for i in result.items if i.label == label)


# --- Python names ----------------------------------------------------------------------------


def test_names_after_aliased_httpstatus():
    result = complete_at("from http import HTTPStatus as HS\nabort(HS.|)", "python")
    assert result.is_incomplete  # nothing typed yet: ask again once the user types
    found = item(result, "NOT_FOUND")
    assert found.detail == "404 Not Found"
    assert found.label_details == types.CompletionItemLabelDetails(detail=" 404", description="Not Found")
    assert found.filter_text == "NOT_FOUND 404"
    assert found.kind == types.CompletionItemKind.EnumMember
    assert found.text_edit == types.TextEdit(
        range=types.Range(start=types.Position(1, 9), end=types.Position(1, 9)), new_text="NOT_FOUND"
    )
    assert found.documentation.kind == types.MarkupKind.Markdown
    # One to three lines: the popup must not cover the line being typed.
    assert found.documentation.value == (
        "**404 Not Found**  \n"
        "Nothing exists at this URI (or the server will not admit that something does).  \n"
        "• Send 200 with an empty list for an empty collection, not 404"
    )
    assert labels(result)[0] == "CONTINUE"


def test_typed_digits_put_the_number_first():
    result = complete_at("from http import HTTPStatus\nx = HTTPStatus.40|", "python")
    assert not result.is_incomplete
    assert item(result, "NOT_FOUND").filter_text == "404 NOT_FOUND"
    assert item(result, "NOT_FOUND").text_edit.range.start == types.Position(1, 15)


def test_typed_letters_replace_the_prefix():
    result = complete_at("from starlette import status\nstatus.HTTP_4|", "python")
    found = item(result, "HTTP_404_NOT_FOUND")
    assert found.text_edit.range == types.Range(start=types.Position(1, 7), end=types.Position(1, 13))
    assert found.kind == types.CompletionItemKind.Constant


def test_deprecated_names_are_tagged_and_last():
    result = complete_at("from fastapi import status\nstatus.|", "python", target=NEWEST)
    old = item(result, "HTTP_422_UNPROCESSABLE_ENTITY")
    assert old.tags == [types.CompletionItemTag.Deprecated]
    assert old.deprecated is None  # the tag already says it
    assert old.detail == "422 Unprocessable Content (deprecated: use HTTP_422_UNPROCESSABLE_CONTENT)"
    assert old.documentation.value.splitlines()[-1] == "Deprecated name: use `HTTP_422_UNPROCESSABLE_CONTENT`"
    ordered = labels(result)
    assert ordered.index("HTTP_422_UNPROCESSABLE_ENTITY") > ordered.index("HTTP_511_NETWORK_AUTHENTICATION_REQUIRED")


def test_deprecated_flag_for_clients_without_tags():
    support = CompletionSupport(deprecated_flag=True)
    result = complete_at("from fastapi import status\nstatus.|", "python", support=support, target=NEWEST)
    old = item(result, "HTTP_422_UNPROCESSABLE_ENTITY")
    assert old.tags is None and old.deprecated is True


def test_requests_codes_skip_twins_and_item_only_names():
    result = complete_at("import requests\nrequests.codes.|", "python")
    names = labels(result)
    assert "not_found" in names and "teapot" in names
    assert "NOT_FOUND" not in names, "upper-case twins clutter the list"
    assert not any(name.startswith(("\\", "/")) for name in names)


def test_plain_client_gets_plain_items():
    result = complete_at("from http import HTTPStatus\nHTTPStatus.|", "python", support=PLAIN)
    found = item(result, "OK")
    assert found.label_details is None
    assert found.documentation.kind == types.MarkupKind.PlainText
    assert found.insert_text_format == types.InsertTextFormat.PlainText


def test_lazy_documentation_is_resolved():
    support = CompletionSupport(markdown=True, lazy_documentation=True)
    found = item(complete_at("from http import HTTPStatus\nHTTPStatus.|", "python", support=support), "IM_A_TEAPOT")
    assert found.documentation is None
    resolved = resolve(found, support)
    assert resolved.documentation.value.startswith('**418 (Unused)** (also "I\'m a Teapot") — reserved  \n')


def test_no_names_for_unknown_namespaces():
    assert complete_at("import os\nos.|", "python") is None
    assert complete_at("class status: pass\nstatus.|", "python") is None


# --- Python status literals ------------------------------------------------------------------


def test_codes_in_abort():
    result = complete_at("from flask import abort\nabort(4|", "python")
    assert labels(result)[:5] == ["400", "401", "403", "404", "405"]
    assert all(label.startswith("4") for label in labels(result))
    found = item(result, "404")
    assert found.detail == "404 Not Found"
    assert found.text_edit.range == types.Range(start=types.Position(1, 6), end=types.Position(1, 7))
    assert "420" not in labels(result), "only registered codes are offered"


@pytest.mark.parametrize("text", ["requests.get(url, timeout=3|", "x = range(2|", "items[:2|"])
def test_no_codes_elsewhere(text):
    assert complete_at(text, "python") is None


# --- OpenAPI YAML ----------------------------------------------------------------------------

YAML_HEAD = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n"


def test_yaml_new_key_after_existing_ones():
    text = YAML_HEAD + '        "200":\n          description: ok\n        "4|'
    result = complete_at(text, "yaml")
    assert '"200":' not in labels(result)
    # Labels are the keys as written (quoted as the object's keys are), see test_completion_openapi.py.
    assert labels(result)[:3] == ['"201":', '"202":', '"204":']
    found = item(result, '"404":')
    assert found.text_edit.range == types.Range(start=types.Position(8, 8), end=types.Position(8, 10))
    # A snippet, for a client that does not declare insertTextMode: indented relative to the key's line.
    assert found.text_edit.new_text == '"404":\n  description: ${1:Not Found}$0'
    assert found.insert_text_format == types.InsertTextFormat.Snippet
    assert found.filter_text == '"404 Not Found'


def test_yaml_default_and_ranges_in_openapi3():
    result = complete_at(YAML_HEAD + "        '200':\n          description: ok\n        |", "yaml")
    names = labels(result)
    assert {"'default':", "'1XX':", "'2XX':", "'3XX':", "'4XX':", "'5XX':"} <= set(names)
    assert names.index("'default':") < names.index("'100':")
    assert item(result, "'default':").text_edit.new_text == "'default':\n  description: ${1:Unexpected error}$0"


def test_swagger2_has_no_ranges():
    text = YAML_HEAD.replace("openapi: 3.0.3", "swagger: '2.0'") + "        '200':\n          description: ok\n        |"
    names = labels(complete_at(text, "yaml"))
    assert "'default':" in names and "'4XX':" not in names


def test_yaml_auto_closed_quote_is_replaced():
    text = YAML_HEAD + "        '200':\n          description: ok\n        '4|'"
    found = item(complete_at(text, "yaml"), "'404':")
    assert found.text_edit.range == types.Range(start=types.Position(8, 8), end=types.Position(8, 11))


def test_yaml_key_only_when_the_value_is_already_there():
    text = YAML_HEAD + "        '200':\n          description: ok\n        '4|': {description: x}"
    found = item(complete_at(text, "yaml"), "'404'")
    assert found.text_edit.new_text == "'404'"
    assert found.insert_text_format == types.InsertTextFormat.PlainText


def test_yaml_empty_responses():
    result = complete_at(YAML_HEAD + "        |", "yaml", support=PLAIN)
    found = item(result, "'200':")
    assert found.text_edit.new_text == "'200':\n          description: OK"
    assert labels(result)[0] == "'200':"


@pytest.mark.parametrize(
    "text",
    [
        YAML_HEAD + "        '200':\n          description: |",  # a value, not a key
        YAML_HEAD + "        '200':\n          |",  # inside a response, not the responses object
        YAML_HEAD + "        '200':\n          description: ok\n      tags: [x]\n        |",  # left the block
        "status: 404\nother:\n  |",  # not OpenAPI
    ],
)
def test_yaml_elsewhere_nothing(text):
    assert complete_at(text, "yaml") is None


# --- OpenAPI JSON ----------------------------------------------------------------------------

JSON_TEXT = """{
  "openapi": "3.1.0",
  "paths": {
    "/pets": {
      "get": {
        "responses": {
          "200": {"description": "ok"},
          |
          "404": {"description": "missing"}
        }
      }
    }
  }
}
"""


def test_json_between_keys_adds_trailing_comma():
    result = complete_at(JSON_TEXT, "json")
    names = labels(result)
    assert '"200":' not in names and '"404":' not in names and '"201":' in names
    found = item(result, '"201":')
    assert found.text_edit.new_text == '"201": {\n  "description": "${1:Created}"\n},$0'
    assert found.additional_text_edits is None


def test_json_after_last_key_adds_comma_before():
    text = JSON_TEXT.replace(
        '          |\n          "404": {"description": "missing"}\n',
        '          "404": {"description": "missing"}\n          "|\n',
    )
    found = item(complete_at(text, "json"), '"500":')
    assert found.text_edit.new_text.startswith('"500": {')
    assert not found.text_edit.new_text.endswith(",$0")
    (comma,) = found.additional_text_edits
    assert comma.range.start == types.Position(7, 43) and comma.new_text == ","
    assert found.text_edit.range.start == types.Position(8, 10)


def test_json_empty_responses_object():
    text = '{"openapi": "3.0.0", "paths": {"/p": {"get": {"responses": {|}}}}}'
    found = item(complete_at(text, "json", support=PLAIN), '"200":')
    assert found.text_edit.new_text.startswith('"200": {')
    assert found.additional_text_edits is None


@pytest.mark.parametrize(
    "text",
    [
        JSON_TEXT.replace('"200": {"description": "ok"}', '"200": {"description": |"ok"}').replace("          |\n", ""),
        JSON_TEXT.replace('"200": {"description": "ok"}', '"200": {|"description": "ok"}').replace("          |\n", ""),
        JSON_TEXT.replace('"200": {"description": "ok"}', '"200": |').replace("          |\n", ""),
    ],
    ids=["value", "nested-object", "after-colon"],
)
def test_json_elsewhere_nothing(text):
    assert complete_at(text, "json") is None


def test_a_very_long_line_still_completes_with_edits_at_the_real_columns():
    # The context scans read only the end of the line; the edit range must still be in real columns.
    from http_status_ls.detect.analysis import analyse
    from http_status_ls.features.completion import CompletionSupport, complete

    text = "from http import HTTPStatus\nx = [" + "1, " * 5000 + "HTTPStatus.NO"
    lines = text.split("\n")
    end = len(lines[1])
    result = complete(analyse("file:///t.py", "python", text, 1), lines, 1, end, support=CompletionSupport())
    item = next(i for i in result.items if i.label == "NOT_FOUND")
    assert (item.text_edit.range.start.character, item.text_edit.range.end.character) == (end - 2, end)
    assert item.text_edit.new_text == "NOT_FOUND"


@pytest.mark.parametrize(
    "source",
    [
        "from http import HTTPStatus\nHTTPStatus.|",
        "from fastapi import status\nstatus.|",
        "import requests\nrequests.codes.|",
        "from flask import abort\nabort(|",
    ],
)
def test_every_python_item_documentation_is_one_to_three_lines(source):
    result = complete_at(source, "python")
    assert result.items
    for found in result.items:
        text = found.documentation.value
        assert 1 <= len(text.splitlines()) <= 3 and len(text) <= 400, (found.label, text)


def test_name_with_a_version_note_says_so_in_its_documentation():
    found = item(complete_at("from http import HTTPStatus\nHTTPStatus.|", "python", target=NEWEST), "UNPROCESSABLE_CONTENT")
    assert found.documentation.value.splitlines()[-1] == "`UNPROCESSABLE_CONTENT`: Python 3.13+"


def test_every_openapi_item_documentation_is_one_to_three_lines():
    result = complete_at(YAML_HEAD + "        '200':\n          description: ok\n        |", "yaml")
    shown = {found.label: found.documentation.value for found in result.items}
    assert {"'404':", "'4XX':", "'default':"} <= set(shown)
    for label, text in shown.items():
        assert 1 <= len(text.splitlines()) <= 3 and len(text) <= 400, (label, text)
    assert "HTTPStatus" not in shown["'404':"]
