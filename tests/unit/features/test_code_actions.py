"""Code actions as a plain function: every action is applied, the result must parse, and the problem
it fixes must be gone when the diagnostics run again."""

from __future__ import annotations

import ast
import json

import pytest
import yaml
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Kind, Span
from http_status_ls.core.positions import ClientPositions
from http_status_ls.core.project_target import UNKNOWN as UNKNOWN_TARGET
from http_status_ls.core.project_target import ProjectTarget
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.actions.request import code_actions
from http_status_ls.features.diagnostics import diagnostics
from http_status_ls.lsp.documents import split_lines
from tests.support.fixture_texts import fixture_text

SUFFIX = {"python": ".py", "yaml": ".yaml", "json": ".json"}
QUICKFIX = types.CodeActionKind.QuickFix
REWRITE = types.CodeActionKind.RefactorRewrite
NEW_STARLETTE = ProjectTarget(starlette=(0, 48, 0))
"""A project on a starlette that has the RFC 9110 names, where the old ones are deprecated."""


# --- applying edits ----------------------------------------------------------------------------


def _offset(text: str, position: types.Position, encoding: str) -> int:
    """The string index of an LSP position counted in ``encoding`` units."""
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    if position.line >= len(lines):
        return len(text)
    line, units, i = lines[position.line], 0, 0
    while i < len(line) and units < position.character:
        char = line[i]
        if encoding == "utf-8":
            units += len(char.encode("utf-8"))
        elif encoding == "utf-16":
            units += len(char.encode("utf-16-le")) // 2
        else:
            units += 1
        i += 1
    assert units == position.character, f"position {position} splits a character"
    return start + i


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str = "utf-32") -> str:
    """Apply non-overlapping LSP edits (ranges in ``encoding`` units) the way a client does."""
    spans = sorted(
        ((_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding), e.new_text) for e in edits), reverse=True
    )
    for (_start, end, _), (next_start, _, _) in zip(spans[1:], spans):
        assert end <= next_start, "overlapping edits"
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


# --- running actions ---------------------------------------------------------------------------


def actions_at(
    text: str,
    language: str,
    needle: str,
    *,
    occurrence: int = 0,
    encoding: str = "utf-32",
    only=None,
    with_diagnostics: bool = True,
    target: ProjectTarget = UNKNOWN_TARGET,
):
    """The actions offered with the cursor on the ``occurrence``-th ``needle`` (inside it), with the
    diagnostics on that line as the client would send them, for a project on ``target``."""
    uri = f"file:///doc{SUFFIX[language]}"
    analysis = analyse(uri, language, text, 1)
    lines = split_lines(text)
    positions = ClientPositions(lines, PositionCodec(encoding))
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    index += 1
    line = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1)
    found = diagnostics(analysis, to_range=positions.range, target=target) if with_diagnostics else []
    on_line = [d for d in found if d.range.start.line <= line <= d.range.end.line]
    return code_actions(
        analysis,
        lines,
        Span(line, col, line, col),
        on_line,
        only=only,
        to_range=positions.range,
        to_point=positions.point,
        target=target,
    )


def titled(actions, start: str) -> types.CodeAction:
    matching = [a for a in actions if a.title.startswith(start)]
    assert matching, f"no action titled {start!r} among {[a.title for a in actions]}"
    return matching[0]


def applied(text: str, action: types.CodeAction, language: str, encoding: str = "utf-32") -> str:
    uri = f"file:///doc{SUFFIX[language]}"
    result = apply_text_edits(text, action.edit.changes[uri], encoding)
    if language == "python":
        ast.parse(result)
    elif language == "yaml":
        yaml.safe_load(result)
    else:
        json.loads(result)
    return result


def rules_after(text: str, language: str, target: ProjectTarget = UNKNOWN_TARGET) -> dict[str, list[types.Diagnostic]]:
    found: dict[str, list[types.Diagnostic]] = {}
    for d in diagnostics(analyse(f"file:///doc{SUFFIX[language]}", language, text, 2), target=target):
        found.setdefault(str(d.code), []).append(d)
    return found


# --- literal -> named constant ----------------------------------------------------------------


PLACEMENTS = [
    pytest.param(
        "abort(404)\n",
        "from http import HTTPStatus\n\nabort(HTTPStatus.NOT_FOUND)\n",
        id="no imports",
    ),
    pytest.param(
        "abort(404)",
        "from http import HTTPStatus\n\nabort(HTTPStatus.NOT_FOUND)",
        id="one line without a newline",
    ),
    pytest.param(
        '"""Views."""\nabort(404)\n',
        '"""Views."""\n\nfrom http import HTTPStatus\n\nabort(HTTPStatus.NOT_FOUND)\n',
        id="after the docstring",
    ),
    pytest.param(
        "#!/usr/bin/env python\n# Copyright the authors\nabort(404)\n",
        "#!/usr/bin/env python\n# Copyright the authors\nfrom http import HTTPStatus\n\nabort(HTTPStatus.NOT_FOUND)\n",
        id="after the opening comments",
    ),
    pytest.param(
        fixture_text("views_with_404_literal.py"),
        fixture_text("views_with_httpstatus.py"),
        id="end of the stdlib group, from-imports after plain ones",
    ),
    pytest.param(
        "import json\nfrom collections import OrderedDict\nfrom typing import Any\n\nfrom flask import abort\n\nabort(404)\n",
        "import json\nfrom collections import OrderedDict\nfrom http import HTTPStatus\nfrom typing import Any\n\nfrom flask import abort\n\n"
        "abort(HTTPStatus.NOT_FOUND)\n",
        id="sorted into the stdlib group",
    ),
    pytest.param(
        "from __future__ import annotations\n\nfrom flask import abort\n\n\ndef view():\n    abort(404)\n",
        "from __future__ import annotations\n\nfrom http import HTTPStatus\n\nfrom flask import abort\n\n\ndef view():\n    abort(HTTPStatus.NOT_FOUND)\n",
        id="a new stdlib group before third party",
    ),
    pytest.param(
        "from http import cookies\n\nabort(404)\n",
        "from http import HTTPStatus, cookies\n\nabort(HTTPStatus.NOT_FOUND)\n",
        id="merged into from http import",
    ),
    pytest.param(
        "from fastapi import FastAPI, HTTPException\n\nraise HTTPException(404)\n",
        "from fastapi import FastAPI, HTTPException, status\n\nraise HTTPException(status.HTTP_404_NOT_FOUND)\n",
        id="fastapi: status merged",
    ),
    pytest.param(
        "import os\n\nfrom starlette.responses import JSONResponse\n\nJSONResponse({}, 404)\n",
        "import os\n\nfrom starlette import status\nfrom starlette.responses import JSONResponse\n\nJSONResponse({}, status.HTTP_404_NOT_FOUND)\n",
        id="starlette: a from-import sorted before a submodule",
    ),
    pytest.param(
        "from rest_framework.response import Response\n\n\ndef get(request):\n    return Response({}, 404)\n",
        "from rest_framework import status\nfrom rest_framework.response import Response\n\n\ndef get(request):\n"
        "    return Response({}, status.HTTP_404_NOT_FOUND)\n",
        id="DRF",
    ),
    pytest.param(
        "import os\n\nfrom httpx import AsyncClient\n\nif response.status_code == 404:\n    pass\n",
        "import os\n\nimport httpx\nfrom httpx import AsyncClient\n\nif response.status_code == httpx.codes.NOT_FOUND:\n    pass\n",
        id="httpx client code: import httpx before from-imports",
    ),
    pytest.param(
        "from fastapi import FastAPI\n\n\ndef view(status):\n    return {}, 404\n",
        "from http import HTTPStatus\n\nfrom fastapi import FastAPI\n\n\ndef view(status):\n    return {}, HTTPStatus.NOT_FOUND\n",
        id="status is taken: HTTPStatus instead",
    ),
    pytest.param(
        "import os\n\n# Third party\nfrom flask import abort\n\n# Ours\nfrom .models import Pet\n\nabort(404)\n",
        "import os\nfrom http import HTTPStatus\n\n# Third party\nfrom flask import abort\n\n# Ours\nfrom .models import Pet\n\nabort(HTTPStatus.NOT_FOUND)\n",
        id="commented sections",
    ),
]


@pytest.mark.parametrize("source, expected", PLACEMENTS)
def test_literal_to_constant_adds_the_import_like_isort(source: str, expected: str):
    action = titled(actions_at(source, "python", "404"), "Replace 404 with ")
    assert action.kind == REWRITE
    result = applied(source, action, "python")
    assert result == expected
    names = [o for o in analyse("file:///x.py", "python", result, 2).occurrences if o.kind is Kind.NAME and o.code == 404]
    assert names, "the new constant is recognised as 404"


def test_crlf_file_keeps_its_line_breaks():
    source = '"""Doc."""\r\nimport os\r\n\r\nabort(404)\r\n'
    result = applied(source, titled(actions_at(source, "python", "404"), "Replace 404"), "python")
    assert result == '"""Doc."""\r\nimport os\r\nfrom http import HTTPStatus\r\n\r\nabort(HTTPStatus.NOT_FOUND)\r\n'


def test_imported_namespace_makes_it_a_quick_fix_without_import():
    source = "from http import HTTPStatus as S\nfrom flask import abort\n\nabort(404)\n"
    action = titled(actions_at(source, "python", "404"), "Replace 404 with S.NOT_FOUND")
    assert action.kind == QUICKFIX
    assert len(action.edit.changes["file:///doc.py"]) == 1
    assert applied(source, action, "python").endswith("abort(S.NOT_FOUND)\n")


def test_only_refactor_still_offers_the_rewrite_with_that_kind():
    source = "from http import HTTPStatus\n\nabort(404)\n"
    [action] = actions_at(source, "python", "404", only=[types.CodeActionKind.Refactor])
    assert action.kind == REWRITE and action.title == "Replace 404 with HTTPStatus.NOT_FOUND"
    assert actions_at(source, "python", "404", only=[types.CodeActionKind.Source]) == []


def test_requests_codes_in_client_code():
    source = "import requests\n\nr = requests.get(url)\nif r.status_code == 404:\n    pass\n"
    action = titled(actions_at(source, "python", "404"), "Replace 404 with requests.codes.not_found")
    assert action.kind == QUICKFIX
    assert "r.status_code == requests.codes.not_found" in applied(source, action, "python")


def test_client_namespace_not_used_in_server_code():
    source = "import requests\nfrom flask import abort\n\nabort(404)\n"
    [action] = actions_at(source, "python", "404")
    assert action.title == "Replace 404 with HTTPStatus.NOT_FOUND (from http import HTTPStatus)"


def test_function_local_import_is_not_a_module_namespace():
    source = "def view():\n    from http import HTTPStatus\n    return HTTPStatus.OK\n\n\ndef other():\n    abort(404)\n"
    assert [a.title for a in actions_at(source, "python", "404")] == []  # HTTPStatus is used but not importable here


def test_no_constant_for_a_code_no_library_names():
    source = "from http import HTTPStatus\nabort(420)\n"
    assert all(not a.title.startswith("Replace 420 with HTTPStatus") for a in actions_at(source, "python", "420"))


def test_status_line_digits_are_not_rewritten_as_a_constant():
    source = 'start_response("404 Not Found", [])\n'
    assert actions_at(source, "python", "404") == []


# --- named constant -> literal ----------------------------------------------------------------


@pytest.mark.parametrize(
    "source, needle, expected",
    [
        ("from http import HTTPStatus\nabort(HTTPStatus.NOT_FOUND)\n", "NOT_FOUND", "abort(404)"),
        ("from fastapi import status\nraise HTTPException(status.HTTP_409_CONFLICT)\n", "HTTP_409", "raise HTTPException(409)"),
        ("import requests\nok = r.status_code == requests.codes.ok\n", ".ok", "ok = r.status_code == 200"),
        ("from requests import codes\nteapot = r.status_code == codes['teapot']\n", "teapot'", "teapot = r.status_code == 418"),
        ("import http.client\nabort(http.client.NOT_FOUND)\n", "NOT_FOUND", "abort(404)"),
        ("from starlette.status import HTTP_404_NOT_FOUND\nabort(HTTP_404_NOT_FOUND)\n", "HTTP_404_NOT_FOUND)", "abort(404)"),
    ],
)
def test_constant_to_literal(source: str, needle: str, expected: str):
    action = titled(actions_at(source, "python", needle), "Replace ")
    assert action.kind == REWRITE
    assert action.title.split(" with ")[1].isdigit()
    result = applied(source, action, "python")
    assert result.splitlines()[1] == expected


@pytest.mark.parametrize(
    "source, needle",
    [
        ("from http import HTTPStatus\nphrase = HTTPStatus.NOT_FOUND.phrase\n", "NOT_FOUND"),
        ("from starlette.status import HTTP_404_NOT_FOUND\n", "HTTP_404"),
        ("from werkzeug.exceptions import NotFound\nraise NotFound()\n", "NotFound()"),
    ],
)
def test_no_literal_where_it_would_not_work(source: str, needle: str):
    assert [a for a in actions_at(source, "python", needle) if a.kind == REWRITE] == []


# --- codes the knowledge base replaces ----------------------------------------------------------


def test_unofficial_code_offers_each_portable_code():
    source = "from flask import abort\n\n\ndef calm():\n    abort(420)\n"
    actions = actions_at(source, "python", "420")
    first, second = [a for a in actions if a.kind == QUICKFIX]
    assert first.title == "Replace 420 with 429 Too Many Requests" and first.is_preferred
    assert second.title == "Replace 420 with 424 Failed Dependency" and not second.is_preferred
    assert first.diagnostics[0].code == "unofficial-code"
    result = applied(source, first, "python")
    assert "abort(429)" in result
    assert "unofficial-code" not in rules_after(result, "python")


def test_status_line_phrase_changes_with_the_code():
    source = 'def app(environ, start_response):\n    start_response("420 Enhance Your Calm", [])\n'
    action = titled(actions_at(source, "python", "420"), "Replace 420 with 429")
    assert 'start_response("429 Too Many Requests", [])' in applied(source, action, "python")


def test_library_name_for_an_unofficial_code():
    source = "import requests\nif r.status_code == requests.codes.bandwidth_limit_exceeded:\n    pass\n"
    action = titled(actions_at(source, "python", "bandwidth"), "Replace 509 with 503")
    result = applied(source, action, "python")
    assert "requests.codes.service_unavailable" in result
    assert "unofficial-code" not in rules_after(result, "python")


def test_stale_diagnostic_gets_no_fix():
    source = "abort(420)\n"
    analysis = analyse("file:///doc.py", "python", source, 1)
    [diagnostic] = diagnostics(analysis)
    diagnostic.range = types.Range(start=types.Position(0, 5), end=types.Position(0, 8))  # from an older version
    assert code_actions(analysis, split_lines(source), Span(0, 7, 0, 7), [diagnostic], only=[QUICKFIX]) == []


# --- library names ------------------------------------------------------------------------------


def test_deprecated_starlette_name_after_a_dot():
    source = "from starlette import status\nraise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY)\n"
    action = titled(actions_at(source, "python", "HTTP_422", target=NEW_STARLETTE), "Rename HTTP_422_UNPROCESSABLE_ENTITY")
    assert action.kind == QUICKFIX and action.is_preferred
    result = applied(source, action, "python")
    assert "status.HTTP_422_UNPROCESSABLE_CONTENT" in result
    assert "deprecated-name" not in rules_after(result, "python", NEW_STARLETTE)


def test_deprecated_bare_name_is_renamed_with_its_import():
    source = (
        "from fastapi.status import HTTP_413_REQUEST_ENTITY_TOO_LARGE, HTTP_200_OK\n\n"
        "def view():\n    return HTTP_413_REQUEST_ENTITY_TOO_LARGE\n"
    )
    action = titled(
        actions_at(source, "python", "HTTP_413", occurrence=1, target=NEW_STARLETTE), "Rename HTTP_413_REQUEST_ENTITY_TOO_LARGE"
    )
    assert "(2 places in this file)" in action.title
    result = applied(source, action, "python")
    assert result.count("HTTP_413_CONTENT_TOO_LARGE") == 2
    assert "deprecated-name" not in rules_after(result, "python", NEW_STARLETTE)


def test_unknown_name_is_corrected():
    source = "from http import HTTPStatus\nabort(HTTPStatus.NOT_FUND)\n"
    action = titled(actions_at(source, "python", "NOT_FUND"), "Change NOT_FUND to NOT_FOUND")
    result = applied(source, action, "python")
    assert "HTTPStatus.NOT_FOUND" in result and "unknown-name" not in rules_after(result, "python")


# --- OpenAPI ------------------------------------------------------------------------------------

OPENAPI = fixture_text("pets_fixable.yaml")


def test_quote_an_unquoted_key_in_the_block_style():
    action = titled(actions_at(OPENAPI, "yaml", "200:"), "Quote the response key")
    assert action.title == "Quote the response key: '200'"
    result = applied(OPENAPI, action, "yaml")
    assert "        '200':\n" in result
    assert "unquoted-response-key" not in rules_after(result, "yaml")


def test_quote_style_follows_the_other_keys():
    source = 'openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        "404": {description: x}\n        200: {description: y}\n'
    action = titled(actions_at(source, "yaml", "200"), "Quote the response key")
    assert applied(source, action, "yaml").endswith('        "200": {description: y}\n')


def test_range_key_in_upper_case():
    action = titled(actions_at(OPENAPI, "yaml", "4xx"), "Write the range as 4XX")
    result = applied(OPENAPI, action, "yaml")
    assert "        4XX:\n" in result
    assert "invalid-range-key" not in rules_after(result, "yaml")


def test_unofficial_key_replaced_unless_it_would_duplicate():
    action = titled(actions_at(OPENAPI, "yaml", "'420'"), "Replace 420 with 429")
    result = applied(OPENAPI, action, "yaml")
    assert "        '429':\n" in result
    assert "unofficial-code" not in rules_after(result, "yaml")
    crowded = OPENAPI.replace("        '420':", "        '429':\n          description: slow\n        '420':")
    titles = [a.title for a in actions_at(crowded, "yaml", "'420'")]
    assert "Replace 420 with 429 Too Many Requests" not in titles and "Replace 420 with 424 Failed Dependency" in titles


def test_remove_the_body_of_a_204_in_block_yaml():
    action = titled(actions_at(OPENAPI, "yaml", "content:"), "Remove the body")
    assert action.title == "Remove the body (content) from the 204 response"
    result = applied(OPENAPI, action, "yaml")
    assert result.endswith(
        "        '204':\n          description: gone\n          headers:\n            X-Rate: {schema: {type: integer}}\n"
    )
    assert "body-not-allowed" not in rules_after(result, "yaml")


def test_remove_the_body_at_the_end_of_the_file():
    source = OPENAPI.split("          headers:")[0]
    result = applied(source, titled(actions_at(source, "yaml", "content:"), "Remove the body"), "yaml")
    assert result.endswith("        '204':\n          description: gone\n")
    assert "body-not-allowed" not in rules_after(result, "yaml")


def test_remove_the_body_from_a_flow_mapping():
    source = (
        "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '304': {description: 'not {modified}', content: {text/plain: {schema: {type: string}}}, headers: {}}\n"
        "        '204': {content: {a/b: {}}, description: x}\n"
    )
    result = applied(source, titled(actions_at(source, "yaml", "content", occurrence=0), "Remove the body"), "yaml")
    assert "        '304': {description: 'not {modified}', headers: {}}\n" in result
    result = applied(result, titled(actions_at(result, "yaml", "content"), "Remove the body"), "yaml")
    assert "        '204': {description: x}\n" in result
    assert "body-not-allowed" not in rules_after(result, "yaml")


def test_remove_the_body_from_a_flow_mapping_over_several_lines():
    source = (
        "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        '204': {\n"
        "          description: x,\n          content: {a/b: {}}\n        }\n        '200':\n          description: ok\n"
    )
    result = applied(source, titled(actions_at(source, "yaml", "content"), "Remove the body"), "yaml")
    assert "        '204': {\n          description: x\n        }\n        '200':\n" in result
    assert "body-not-allowed" not in rules_after(result, "yaml")


def test_remove_the_only_pair_of_a_json_response():
    source = '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {\n  "204": {\n    "content": {}\n  }\n}}}}}'
    result = applied(source, titled(actions_at(source, "json", '"content"'), "Remove the body"), "json")
    assert '"204": {\n  }' in result


def test_remove_a_swagger_schema_with_a_plain_scalar_containing_braces():
    source = (
        "swagger: '2.0'\npaths:\n  /a:\n    get:\n      responses:\n        204:\n"
        "          description: use {id} instead\n          schema:\n            $ref: '#/definitions/X'\n"
        "        default:\n          description: error\n"
    )
    action = titled(actions_at(source, "yaml", "schema:"), "Remove the body (schema)")
    result = applied(source, action, "yaml")
    assert "          description: use {id} instead\n        default:" in result


def test_yaml_status_value_replaced():
    source = "retry:\n  status: 420\n"
    result = applied(source, titled(actions_at(source, "yaml", "420"), "Replace 420 with 429"), "yaml")
    assert result == "retry:\n  status: 429\n"


OPENAPI_JSON = """\
{
  "openapi": "3.0.3",
  "paths": {
    "/pets": {
      "delete": {
        "responses": {
          "204": {
            "content": {"application/json": {"schema": {"type": "string", "example": "a}b"}}},
            "description": "gone"
          },
          "304": {
            "description": "same",
            "content": {
              "text/plain": {}
            }
          },
          "4xx": {
            "content": {}
          }
        }
      }
    }
  }
}
"""


@pytest.mark.parametrize("which", [0, 1])
def test_remove_the_body_in_json(which: int):
    action = titled(actions_at(OPENAPI_JSON, "json", '"content"', occurrence=which), "Remove the body")
    result = applied(OPENAPI_JSON, action, "json")
    if which == 0:
        assert '"204": {\n            "description": "gone"\n          },' in result
    else:
        assert '"304": {\n            "description": "same"\n          },' in result
    found = rules_after(result, "json").get("body-not-allowed", [])
    assert len(found) == 1  # the other one is still there


def test_json_range_key_and_minified_body():
    action = titled(actions_at(OPENAPI_JSON, "json", '"4xx"'), "Write the range as 4XX")
    assert '"4XX": {' in applied(OPENAPI_JSON, action, "json")
    minified = '{"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"204":{"content":{"a/b":{}}}}}}}}'
    result = applied(minified, titled(actions_at(minified, "json", '"content"'), "Remove the body"), "json")
    assert result == '{"openapi":"3.1.0","paths":{"/a":{"get":{"responses":{"204":{}}}}}}'


# --- positions in the client's units -----------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_edits_after_an_emoji(encoding: str):
    source = 'from http import HTTPStatus\nlabel = "é🙂 日本"; abort(420); abort(404)\n'
    actions = actions_at(source, "python", "420", encoding=encoding)
    fix = titled(actions, "Replace 420 with 429")
    edit = fix.edit.changes["file:///doc.py"][0]
    prefix = 'label = "é🙂 日本"; abort('
    width = len(prefix.encode("utf-8")) if encoding == "utf-8" else len(prefix.encode("utf-16-le")) // 2
    assert edit.range.start == types.Position(1, width)
    result = applied(source, fix, "python", encoding)
    assert 'label = "é🙂 日本"; abort(429); abort(404)' in result
    rewrite = titled(actions_at(source, "python", "404", encoding=encoding), "Replace 404 with HTTPStatus.NOT_FOUND")
    assert applied(source, rewrite, "python", encoding).endswith(
        "abort(429); abort(HTTPStatus.NOT_FOUND)\n".replace("429", "420")
    )


# --- a replacement never lists a code twice ----------------------------------------------------------


@pytest.mark.parametrize(
    "source, needle, expected",
    [
        pytest.param(
            "retry = Retry(total=3, status_forcelist=[429, 500, 502, 503, 504, 509])\n",
            "509",
            "retry = Retry(total=3, status_forcelist=[429, 500, 502, 503, 504])\n",
            id="the last element",
        ),
        pytest.param(
            "if r.status_code in (420, 429):\n    pass\n", "420", "if r.status_code in (429,):\n    pass\n", id="a pair"
        ),
        pytest.param("RETRY_STATUSES = (503, 509)\n", "509", "RETRY_STATUSES = (503,)\n", id="a pair, last"),
        pytest.param("RETRY_STATUSES = {509, 429, 503}\n", "509", "RETRY_STATUSES = {429, 503}\n", id="a set"),
        pytest.param(
            "RETRY_STATUSES = [\n    429,\n    509,  # Apache's bandwidth limit\n    503,\n]\n",
            "509",
            "RETRY_STATUSES = [\n    429,\n    503,\n]\n",
            id="one per line, with its comment",
        ),
        pytest.param(
            "RETRY_STATUSES = [\n    503,\n    509\n]\n",
            "509",
            "RETRY_STATUSES = [\n    503\n]\n",
            id="one per line, no trailing comma",
        ),
        pytest.param(
            "match r.status_code:\n    case 420 | 429:\n        pass\n",
            "420",
            "match r.status_code:\n    case 429:\n        pass\n",
            id="case",
        ),
        pytest.param(
            "from http import HTTPStatus\nRETRY_STATUSES = [HTTPStatus.SERVICE_UNAVAILABLE, 509]\n",
            "509",
            "from http import HTTPStatus\nRETRY_STATUSES = [HTTPStatus.SERVICE_UNAVAILABLE]\n",
            id="the code is there by name",
        ),
    ],
)
def test_remove_instead_of_listing_a_code_twice(source: str, needle: str, expected: str):
    actions = actions_at(source, "python", needle)
    remove = titled(actions, f"Remove {needle}")
    listed = remove.title.split("(")[1].split()[0]  # "Remove 509 (503 is already listed)"
    assert not [a for a in actions if a.title.startswith(f"Replace {needle} with {listed} ")]
    assert not remove.is_preferred  # the list reads codes: a "fix all" must not drop one on its own
    assert applied(source, remove, "python") == expected


def test_the_other_portable_code_is_still_offered():
    source = "if r.status_code in (420, 429):\n    pass\n"
    titles = [a.title for a in actions_at(source, "python", "420")]
    assert titles == ["Remove 420 (429 is already listed)", "Replace 420 with 424 Failed Dependency"]


def test_a_dict_key_is_never_repeated():
    source = "@app.get('/', responses={420: {'description': 'calm'}, 429: {'description': 'slow'}})\ndef f(): ...\n"
    titles = [a.title for a in actions_at(source, "python", "420")]
    assert "Replace 420 with 424 Failed Dependency" in titles
    assert not [t for t in titles if "429" in t or t.startswith("Remove")]


@pytest.mark.parametrize(
    "source, language, expected",
    [
        ("retry:\n  statusCodes: [429, 509, 503]\n", "yaml", "retry:\n  statusCodes: [429, 503]\n"),
        ("retry:\n  retriableStatusCodes:\n    - 503\n    - 509\n", "yaml", "retry:\n  retriableStatusCodes:\n    - 503\n"),
        (
            "retry:\n  retriableStatusCodes:\n    - 509  # bandwidth\n    - '503'\n",
            "yaml",
            "retry:\n  retriableStatusCodes:\n    - '503'\n",
        ),
        ('{"statusCodes": [429, 503, 509]}', "json", '{"statusCodes": [429, 503]}'),
        ('{"statusCodes": [\n  509,\n  503\n]}', "json", '{"statusCodes": [\n  503\n]}'),
    ],
)
def test_remove_from_yaml_and_json_lists(source: str, language: str, expected: str):
    actions = actions_at(source, language, "509")
    assert not [a for a in actions if a.title.startswith("Replace 509 with 503")]
    assert applied(source, titled(actions, "Remove 509"), language) == expected


# --- an OpenAPI 3 key stays a string -------------------------------------------------------------------

UNQUOTED_420 = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      responses:\n        420:\n          description: calm\n"


def test_a_replaced_openapi_3_key_is_quoted():
    action = titled(actions_at(UNQUOTED_420, "yaml", "420"), "Replace 420 with 429")
    result = applied(UNQUOTED_420, action, "yaml")
    assert "        '429':\n" in result
    assert rules_after(result, "yaml") == {}  # no second fix needed
    assert list(yaml.safe_load(result)["paths"]["/a"]["get"]["responses"]) == ["429"]


def test_a_replaced_key_takes_the_quotes_of_its_neighbours():
    source = UNQUOTED_420.replace("        420:", '        "200":\n          description: ok\n        420:')
    result = applied(source, titled(actions_at(source, "yaml", "420"), "Replace 420 with 429"), "yaml")
    assert '        "429":\n' in result


def test_a_quoted_key_keeps_its_quotes():
    source = UNQUOTED_420.replace("        420:", '        "420":')
    result = applied(source, titled(actions_at(source, "yaml", "420"), "Replace 420 with 429"), "yaml")
    assert '        "429":\n' in result


def test_a_swagger_2_key_may_stay_a_number():
    """Swagger 2.0 takes numbers as keys (no unquoted-response-key there): the fix keeps the style."""
    source = UNQUOTED_420.replace("openapi: 3.0.3", "swagger: '2.0'")
    result = applied(source, titled(actions_at(source, "yaml", "420"), "Replace 420 with 429"), "yaml")
    assert "        429:\n" in result and rules_after(result, "yaml") == {}
