"""Every code action is applied and the result is checked the way a user would find out: it parses
(Python under each supported grammar, YAML, JSON), OpenAPI 3 response keys stay strings, no list
holds a code twice that did not before, a name an edit writes exists in the oldest Python and
starlette the project supports, and running the diagnostics again shows the problem fixed and
nothing new.

The documents are every snippet tests/unit/features/test_code_actions.py runs actions on (read from
its source, so a snippet added there is checked here too), the fixtures, and the ones below. The
actions are all those offered with the cursor on each occurrence and for each diagnostic.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import yaml
from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Kind, Span
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.actions.request import code_actions
from http_status_ls.features.diagnostics import diagnostics
from http_status_ls.kb import registry
from http_status_ls.lsp.documents import split_lines
from tests.support.fixture_texts import fixture_text
from tests.unit.features import test_code_actions
from tests.unit.features.test_code_actions import apply_text_edits

SUFFIX = {"python": "py", "yaml": "yaml", "json": "json"}
PYTHON_GRAMMARS = [(3, minor) for minor in range(10, 14)]
"""The project's supported Pythons (requires-python >= 3.10): a result must parse under each."""
OLDEST_PYTHON = (3, 10)


# --- the documents ----------------------------------------------------------------------------------


def _evaluated(node: ast.expr, namespace: dict[str, Any]) -> Any:
    return eval(compile(ast.Expression(node), "<snippet>", "eval"), namespace)  # noqa: S307 - the test module's own literals


def _parametrized(function: ast.FunctionDef, namespace: dict[str, Any]) -> dict[str, list[Any]]:
    """Parameter name -> the values ``@pytest.mark.parametrize`` gives it."""
    values: dict[str, list[Any]] = {}
    for decorator in function.decorator_list:
        if not (isinstance(decorator, ast.Call) and ast.unparse(decorator.func).endswith("parametrize")):
            continue
        names = [name.strip() for name in _evaluated(decorator.args[0], namespace).split(",")]
        for row in _evaluated(decorator.args[1], namespace):
            row = row.values if hasattr(row, "values") else row
            row = row if isinstance(row, tuple) else (row,)
            for name, value in zip(names, row):
                values.setdefault(name, []).append(value)
    return values


def _sources_of(function: ast.FunctionDef, namespace: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(language, text) of each ``actions_at(text, language, ...)`` call in one test function,
    with the function's parameters and local assignments evaluated (those that can be)."""
    local = dict(namespace)
    candidates = _parametrized(function, namespace)
    for statement in ast.walk(function):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(statement.targets[0], ast.Name):
            try:
                local[statement.targets[0].id] = _evaluated(statement.value, local)
            except Exception:  # noqa: BLE001 - a value computed from an action is not a snippet
                continue
    for call in ast.walk(function):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "actions_at"):
            continue
        language = call.args[1].value if isinstance(call.args[1], ast.Constant) else None
        source = call.args[0]
        if isinstance(source, ast.Name) and source.id in candidates:
            texts = candidates[source.id]
        else:
            try:
                texts = [_evaluated(source, local)]
            except Exception:  # noqa: BLE001
                texts = []
        for text in texts:
            if isinstance(language, str) and isinstance(text, str):
                yield language, text


def snippets_of_the_code_action_tests() -> list[tuple[str, str]]:
    tree = ast.parse(inspect.getsource(test_code_actions))
    namespace = vars(test_code_actions)
    found: dict[tuple[str, str], None] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            found.update(dict.fromkeys(_sources_of(node, namespace)))
    return list(found)


OWN = [
    (
        "python",
        "from flask import Flask, abort\n\napp = Flask(__name__)\n\n\n@app.get('/calm')\ndef calm():\n"
        "    abort(420)\n\n\n@app.get('/proxy')\ndef proxy():\n    return 'use the proxy', 305\n\n\n"
        "@app.errorhandler(509)\ndef bandwidth(error):\n    return 'slow down', 509\n",
    ),
    (
        "python",
        "import requests\nfrom urllib3.util import Retry\n\nRETRY = Retry(total=3, status_forcelist=[429, 500, 502, 503, 504, 509])\n"
        "RETRY_STATUSES = (509, 503)\nOTHER_STATUSES = frozenset([503, 509])\n\n\ndef fetch(url):\n"
        "    r = requests.get(url, timeout=10)\n    if r.status_code in (420, 429):\n        return None\n"
        "    if r.status_code == requests.codes.bandwidth_limit_exceeded:\n        return None\n"
        "    if r.status_code >= 400 or r.status_code <= 199:\n        r.raise_for_status()\n    return r\n",
    ),
    (
        "python",
        "RETRY_STATUSES = [\n    429,\n    509,  # Apache's bandwidth limit\n    503,\n]\nMORE_STATUSES = [\n    503,\n"
        "    # the unofficial one\n    509\n]\n\nmatch response.status_code:\n    case 420 | 429:\n        pass\n"
        "    case 509 | 503 | 504:\n        pass\n",
    ),
    (
        "python",
        "from fastapi import FastAPI, HTTPException, status\n\napp = FastAPI()\n\n\n"
        "@app.get('/', responses={420: {'description': 'calm'}, 429: {'description': 'slow'}, '305': {}})\n"
        "def root():\n    raise HTTPException(status_code=status.HTTP_422_UNPROCESSABLE_ENTITY)\n\n\n"
        "def other():\n    raise HTTPException(status.HTTP_404_NOT_FOUND)\n",
    ),
    (
        "python",
        "from http import HTTPStatus\nfrom flask import abort\n\n\ndef view(kind):\n    if kind == 'big':\n        abort(413)\n"
        "    if kind == 'odd':\n        abort(422)\n    if kind == 'range':\n        abort(416)\n    abort(HTTPStatus.NOT_FUND)\n",
    ),
    ("python", "import os\n\nfrom starlette.responses import JSONResponse\n\n\ndef view():\n    return JSONResponse({}, 422)\n"),
    (
        "python",
        "def app(environ, start_response):\n    status = '420 Enhance Your Calm'\n    start_response(status, [])\n"
        "    start_response('509 Bandwidth Limit Exceeded', [])\n    return [b'']\n",
    ),
    ("python", 'label = "é🙂 日本"\r\nabort(420)\r\nRETRY_STATUSES = {509, 503}\r\n'),
    (
        "python",
        "from requests import codes\n\nif r.status_code == codes['teapot'] or r.status_code in (codes.ok, 420):\n    pass\n",
    ),
    (
        "yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200:\n"
        '          description: ok\n        420:\n          description: calm\n        "305":\n          description: proxy\n'
        "        '204':\n          description: none\n          content:\n            application/json: {}\n"
        "        4xx:\n          description: client\n    post:\n      responses: {420: {description: x}, '201': {description: y}}\n",
    ),
    (
        "yaml",
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        420:\n"
        "          description: calm\n        204:\n          description: none\n          schema: {type: string}\n",
    ),
    (
        "yaml",
        "retry:\n  retriableStatusCodes:\n    - 429\n    - 509  # Apache\n    - 503\n  statusCodes: [509, 503]\n"
        "fault:\n  abort:\n    httpStatus: 420\nexpectedStatus: '305'\n",
    ),
    (
        "json",
        '{\n  "openapi": "3.1.0",\n  "paths": {"/a": {"get": {"responses": {\n    "420": {"description": "calm"},\n'
        '    "204": {"description": "none", "content": {"a/b": {}}},\n    "2xx": {"description": "ok"}\n  }}}}\n}\n',
    ),
    ("json", '{"retryOnStatusCodes": [429, 509, 503], "statusCode": 420, "codes": {"status": "305"}}'),
]

OWN += [
    (
        "yaml",
        "retry:\n  retriableStatusCodes: [\n    429,  # too many\n    509,\n    503\n  ]\n  expectedStatus: [509, '503',]\n",
    ),
    ("json", '{"expectedStatusCodes": ["509", "503"], "validStatusCodes": [\n  503,\n  509\n]}'),
    ("python", "RETRY_STATUSES = [[509], 503]\nEXPECTED_STATUSES = (509, 503,)\nOK_STATUSES = {*BASE, 509, 503}\n"),
]

FIXTURES = [
    ("python", fixture_text("flask_view.py")),
    ("python", fixture_text("views_with_404_literal.py")),
    ("yaml", fixture_text("pets_fixable.yaml")),
    ("yaml", fixture_text("pets_response_keys.yaml")),
]

DOCUMENTS = list(dict.fromkeys(snippets_of_the_code_action_tests() + OWN + FIXTURES))


# --- the actions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    action: types.CodeAction
    before: str
    after: str


def _uri(language: str) -> str:
    return f"file:///doc.{SUFFIX[language]}"


def every_action(language: str, text: str) -> list[types.CodeAction]:
    """Each action offered for each diagnostic, and with the cursor on each occurrence, once."""
    analysis = analyse(_uri(language), language, text, 1)
    lines = split_lines(text)
    requests: list[tuple[Span, list[types.Diagnostic]]] = []
    for diagnostic in diagnostics(analysis):
        start, end = diagnostic.range.start, diagnostic.range.end
        requests.append((Span(start.line, start.character, end.line, end.character), [diagnostic]))
    requests += [(occurrence.span, []) for occurrence in analysis.occurrences]
    found: dict[str, types.CodeAction] = {}
    for span, sent in requests:
        for action in code_actions(analysis, lines, span, sent):
            found.setdefault(repr((action.title, action.edit)), action)
    return list(found.values())


def _findings(analysis: Analysis) -> Counter[tuple[str, Any]]:
    return Counter((str(d.code), (d.data or {}).get("code")) for d in diagnostics(analysis))


# --- what must hold of a result --------------------------------------------------------------------


def parses(language: str, text: str) -> Any:
    if language == "python":
        for grammar in PYTHON_GRAMMARS:
            ast.parse(text, feature_version=grammar)
        return ast.parse(text)
    if language == "yaml":
        return list(yaml.safe_load_all(text))
    return json.loads(text)


def _response_keys(document: Any) -> Iterator[Any]:
    paths = document.get("paths") if isinstance(document, dict) else None
    for item in (paths or {}).values():
        for operation in (item or {}).values() if isinstance(item, dict) else ():
            responses = operation.get("responses") if isinstance(operation, dict) else None
            yield from responses or {}


def _yaml_lists(value: Any) -> Iterator[list[Any]]:
    if isinstance(value, list):
        yield value
        for item in value:
            yield from _yaml_lists(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _yaml_lists(item)


def _utf8_column(line: str, col: int) -> int:
    return len(line[:col].encode("utf-8", "surrogatepass"))


def repeated_codes(language: str, text: str, parsed: Any) -> Counter[int]:
    """How many times each code is written again in the list, tuple, set or ``case ... | ...``
    that already holds it (a number, or a library name for it)."""
    repeats: Counter[int] = Counter()
    if language == "python":
        analysis = analyse(_uri(language), language, text, 3)
        lines = text.splitlines()
        names = {
            (o.span.start_line + 1, _utf8_column(lines[o.span.start_line], o.span.start_col)): o.code
            for o in analysis.occurrences
            if o.kind is Kind.NAME and o.code is not None
        }
        for node in ast.walk(parsed):
            elements = (
                node.elts
                if isinstance(node, (ast.List, ast.Tuple, ast.Set))
                else node.patterns
                if isinstance(node, ast.MatchOr)
                else []
            )
            codes = []
            for element in elements:
                inner = element.value if isinstance(element, ast.MatchValue) else element
                if isinstance(inner, ast.Constant) and isinstance(inner.value, int):
                    codes.append(inner.value)
                elif isinstance(inner, ast.Attribute) and inner.end_lineno == inner.lineno:
                    start = (inner.lineno, (inner.end_col_offset or 0) - len(inner.attr))
                    if start in names:
                        codes.append(names[start])
            repeats.update(code for code, count in Counter(codes).items() for _ in range(count - 1))
        return repeats
    for document in parsed if language == "yaml" else [parsed]:
        for items in _yaml_lists(document):
            codes = [int(item) for item in items if isinstance(item, (int, str)) and str(item).isdigit()]
            repeats.update(code for code, count in Counter(codes).items() for _ in range(count - 1))
    return repeats


def _collections(tree: ast.AST) -> Counter[str]:
    return Counter(type(node).__name__ for node in ast.walk(tree) if isinstance(node, (ast.List, ast.Tuple, ast.Set)))


_PYTHON_SINCE = re.compile(r"Python (\d+)\.(\d+)\+")


def missing_in_the_oldest_target(library: str, name: str) -> str | None:
    """Why a name an edit writes would fail on the oldest version the project supports, or None.

    The hook for version-aware names (issue 10): today the knowledge base notes the Python that
    brought an ``HTTPStatus`` name ("Python 3.13+"), and starlette's renamed constants are the
    replacements of its deprecated ones (``HTTP_422_UNPROCESSABLE_CONTENT``), which older starlette
    (and FastAPI, which re-exports it) lacks. When the project's own targets become known to the
    server, read them here."""
    reg = registry.load()
    ref = reg.resolve(library, name)
    if ref is None:
        return f"{library}.{name} does not exist"
    if library == "http.HTTPStatus":
        since = _PYTHON_SINCE.match(ref.note or "")
        if since and (int(since[1]), int(since[2])) > OLDEST_PYTHON:
            return f"HTTPStatus.{name} is {since[0]}, the project supports Python {'.'.join(map(str, OLDEST_PYTHON))}"
        return None
    if library.endswith(".status"):
        entry = reg.entry(ref.code)
        renamed = [old for old in entry.names_in(library) if old.deprecated and old.replacement == name] if entry else []
        if renamed:
            return f"{library}.{name} replaced {renamed[0].name} only in recent starlette"
    return None


def new_names(before: Analysis, after: Analysis) -> list[tuple[str, str]]:
    """The library names the edit wrote: (library, name) occurrences after it that were not before."""
    counted = Counter((o.context, o.text) for o in before.occurrences if o.kind is Kind.NAME)
    written = Counter((o.context, o.text) for o in after.occurrences if o.kind is Kind.NAME)
    return sorted((written - counted).elements())


PENDING_VERSION_AWARE_NAMES: set[str] = set()
"""Rewrites that write a name older targets lack. Empty since the actions write only names the
project's target has (issue 10, "Version-aware names"; the documents here say nothing of their
project, so the oldest maintained Python and any starlette are assumed)."""


def check_action(language: str, text: str, action: types.CodeAction) -> list[str]:
    """What is wrong with one applied action (an empty list when nothing is); only the names
    check is collected rather than asserted, so the pending set can be compared as a whole."""
    before = analyse(_uri(language), language, text, 1)
    assert action.edit is not None and action.edit.changes is not None
    result = apply_text_edits(text, list(action.edit.changes[_uri(language)]))
    assert result != text, f"{action.title!r} changes nothing"
    parsed = parses(language, result)
    original = parses(language, text)
    if language == "yaml" and (before.openapi or "").startswith("3"):
        numbers_before = {key for document in original for key in _response_keys(document) if not isinstance(key, str)}
        numbers_after = {key for document in parsed for key in _response_keys(document) if not isinstance(key, str)}
        assert numbers_after <= numbers_before, f"{action.title!r} writes number keys {numbers_after - numbers_before}"
    assert repeated_codes(language, result, parsed) <= repeated_codes(language, text, original), (
        f"{action.title!r} repeats a code"
    )
    if language == "python":  # removing an element keeps the collection: `(503)` is a number, not a tuple
        assert _collections(parsed) == _collections(original), f"{action.title!r} turns a collection into something else"
    after = analyse(_uri(language), language, result, 2)
    found_before, found_after = _findings(before), _findings(after)
    assert not (found_after - found_before), f"{action.title!r} brings {found_after - found_before}"
    for fixed in action.diagnostics or []:
        key = (str(fixed.code), (fixed.data or {}).get("code"))
        assert found_after[key] < found_before[key], f"{action.title!r} leaves {key}"
    renamed_on_purpose = any(str(d.code) == "deprecated-name" for d in action.diagnostics or [])
    return [
        reason
        for library, name in new_names(before, after)
        if not renamed_on_purpose and (reason := missing_in_the_oldest_target(library, name))
    ]


# --- the tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language, text", DOCUMENTS, ids=[f"{language}-{i}" for i, (language, _) in enumerate(DOCUMENTS)])
def test_every_action_leaves_a_document_that_parses_and_is_fixed(language: str, text: str):
    for action in every_action(language, text):
        late = check_action(language, text, action)
        title = action.title.split(" (")[0]
        if title in PENDING_VERSION_AWARE_NAMES:
            continue  # compared as a whole below
        assert not late, f"{action.title!r}: {late}"


def test_names_older_targets_lack_are_only_the_pending_ones():
    offending = set()
    for language, text in DOCUMENTS:
        for action in every_action(language, text):
            if check_action(language, text, action):
                offending.add(action.title.split(" (")[0])
    assert offending == PENDING_VERSION_AWARE_NAMES, (
        "version-aware names changed what the rewrites write: update PENDING_VERSION_AWARE_NAMES "
        f"(now offending: {sorted(offending)})"
    )


def test_the_suite_exercises_many_actions(capsys: pytest.CaptureFixture[str]):
    counted: Counter[tuple[str, Any]] = Counter()
    for language, text in DOCUMENTS:
        for action in every_action(language, text):
            counted[(language, getattr(action.kind, "value", action.kind))] += 1
    total = sum(counted.values())
    with capsys.disabled():
        print(f"\n[actions applied and parsed] {total} actions over {len(DOCUMENTS)} documents: {dict(counted)}")
    assert len(snippets_of_the_code_action_tests()) >= 40
    assert total >= 150
    assert {language for language, _ in counted} == {"python", "yaml", "json"}
