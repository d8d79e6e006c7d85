"""OpenAPI response keys completed and accepted with real keys in a real headless Neovim 0.11, both
ways Neovim offers: ``<C-x><C-o>`` with the omnifunc it sets on attach (which never expands
snippets), and ``vim.lsp.completion.enable()`` as editors/nvim recommends (which expands them with
``vim.snippet``, giving every line after the first the indentation of the current line).

``tests/editors/nvim/completion.lua`` types the keys in its own file per case, accepts the selected
item with ``<C-y>``, leaves Insert mode and records the buffer. The assertions are on the exact text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.editors.test_neovim import run_script

YAML_HEAD = [
    "openapi: 3.0.3",
    "info:",
    "  title: Pets",
    '  version: "1"',
    "paths:",
    "  /pets:",
    "    get:",
    "      responses:",
    "        '200':",
    "          description: OK",
]
YAML_TAIL = ["  /owners:", "    get:", "      responses:", "        '200':", "          description: OK"]

JSON_HEAD = [
    "{",
    '  "openapi": "3.1.0",',
    '  "info": {"title": "Pets", "version": "1"},',
    '  "paths": {',
    '    "/pets": {',
    '      "get": {',
    '        "responses": {',
    '          "200": {"description": "OK"},',
]
JSON_TAIL = ["        }", "      }", "    }", "  }", "}"]


def run_way(tmp_path: Path, way: str) -> dict:
    process, record = run_script(tmp_path, "completion.lua", HTTP_STATUS_LS_NVIM_WAY=way)
    assert record, f"completion.lua wrote no results (exit {process.returncode}):\n{process.stderr}"
    assert process.returncode == 0, f"{process.stderr}\n{json.dumps(record, indent=2)}"
    return record


@pytest.fixture(scope="module")
def omnifunc(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_way(tmp_path_factory.mktemp("nvim-omnifunc"), "omnifunc")


@pytest.fixture(scope="module")
def lsp_completion(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return run_way(tmp_path_factory.mktemp("nvim-completion"), "completion")


def case(record: dict, name: str) -> dict:
    found = record["cases"].get(name)
    assert found is not None, f"case {name} did not run: {record.get('fatal')}"
    assert found.get("done"), json.dumps(found, indent=2)
    return found


# --- <C-x><C-o> alone: only the word Neovim picks is inserted ------------------------------------


def test_omnifunc_is_what_neovim_set_on_attach(omnifunc: dict) -> None:
    assert case(omnifunc, "yaml_nothing_typed")["omnifunc"] == "v:lua.vim.lsp.omnifunc"


def test_omnifunc_with_nothing_typed_leaves_a_quoted_key(omnifunc: dict) -> None:
    # The first code the object lacks: 200 is there, so 201. Not a bare `201` (that was the bug).
    found = case(omnifunc, "yaml_nothing_typed")
    assert found["popup"]["first"][0] == {"abbr": "'201':", "word": "'201':"}
    assert found["lines"] == [*YAML_HEAD, "        '201':", *YAML_TAIL]


def test_omnifunc_after_a_quote_and_a_digit(omnifunc: dict) -> None:
    found = case(omnifunc, "yaml_quote_typed")
    assert found["lines"] == [*YAML_HEAD, "        '400':", *YAML_TAIL]


def test_omnifunc_after_an_unquoted_digit_leaves_a_key(omnifunc: dict) -> None:
    # Neovim inserts the filter text where the label does not start with what was typed; the word
    # must start with the `4` the user typed, so it cannot be quoted: a key still, which a quick fix quotes.
    found = case(omnifunc, "yaml_digit_typed")
    assert found["lines"] == [*YAML_HEAD, "        400:", *YAML_TAIL]


def test_omnifunc_in_json(omnifunc: dict) -> None:
    found = case(omnifunc, "json_quote_typed")
    assert found["lines"] == [*JSON_HEAD, '          "201":', *JSON_TAIL]


# --- vim.lsp.completion.enable(): the snippet is expanded and re-indented by Neovim ---------------


@pytest.mark.parametrize("name", ["yaml_quote_autotrigger", "yaml_invoked", "yaml_omnifunc"])
def test_completion_inserts_the_scaffold_two_columns_in(lsp_completion: dict, name: str) -> None:
    found = case(lsp_completion, name)
    # `description:` two columns right of the key, as the other entries have it (not 8 more).
    assert found["lines"] == [*YAML_HEAD, "        '201':", "          description: Created", *YAML_TAIL]
    # The description is the snippet's placeholder, selected for typing over.
    assert found["snippet_active"] is True and found["mode_after_accept"] == "s"


def test_completion_after_an_unquoted_digit_quotes_the_key(lsp_completion: dict) -> None:
    found = case(lsp_completion, "yaml_digit_omnifunc")
    assert found["lines"] == [*YAML_HEAD, "        '400':", "          description: Bad Request", *YAML_TAIL]


def test_completion_in_json(lsp_completion: dict) -> None:
    found = case(lsp_completion, "json_quote_autotrigger")
    assert found["lines"] == [
        *JSON_HEAD,
        '          "201": {',
        '            "description": "Created"',
        "          }",
        *JSON_TAIL,
    ]
