"""The pre-check of the handler-level rules: a framework file that answers no 204, 304 or redirect
and catches nothing is not read at all; every rule's case still is."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from http_status_ls.detect.python import routes_rules
from http_status_ls.detect.python.reader import detect_python
from http_status_ls.detect.python.routes import (
    BODY_WITH_NO_CONTENT_STATUS,
    REDIRECT_WITHOUT_LOCATION,
    SUCCESS_IN_ERROR_HANDLER,
    handler_findings,
)
from http_status_ls.detect.python.routes_read import read_file
from http_status_ls.detect.python.tree import Node
from tests.support.paths import FIXTURES

FLASK = "from flask import Flask, Response, abort, jsonify, redirect\nfrom http import HTTPStatus\n\napp = Flask(__name__)\n"
FASTAPI = "from fastapi import FastAPI, status\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\n"

QUIET = (
    FLASK
    + """
TIMEOUT = 3000


@app.get("/items/<int:item_id>")
def get_item(item_id):
    if item_id > 8080:
        abort(404)
    return jsonify(id=item_id), HTTPStatus.CREATED
"""
)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the rules read: read_file is wrapped to record each call."""
    calls: list[str] = []
    real = routes_rules.read_file

    def recording(text: str, *args: object, **kwargs: bool) -> routes_rules.ReadFile:
        calls.append(text)
        return real(text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(routes_rules, "read_file", recording)
    return calls


def test_a_framework_file_with_no_candidate_is_not_read(reads: list[str]) -> None:
    assert handler_findings(QUIET) == ()
    assert handler_findings(QUIET, detect_python(QUIET)) == ()
    assert reads == []


@pytest.mark.parametrize(
    ("text", "rule", "code"),
    [
        (FLASK + '\n@app.delete("/a")\ndef a():\n    return jsonify(done=True), 204\n', BODY_WITH_NO_CONTENT_STATUS, 204),
        (
            FASTAPI + '\n@app.delete("/a", status_code=status.HTTP_204_NO_CONTENT)\ndef a():\n    return {"gone": True}\n',
            BODY_WITH_NO_CONTENT_STATUS,
            204,
        ),
        (
            FLASK + '\n@app.get("/a")\ndef a():\n    return Response("see", status=HTTPStatus.FOUND)\n',
            REDIRECT_WITHOUT_LOCATION,
            302,
        ),
        (FLASK + '\n@app.get("/a")\ndef a():\n    return "moved", 301\n', REDIRECT_WITHOUT_LOCATION, 301),
        (
            FASTAPI + '\n@app.get("/a")\ndef a():\n    return JSONResponse({}, status_code=status.HTTP_307_TEMPORARY_REDIRECT)\n',
            REDIRECT_WITHOUT_LOCATION,
            307,
        ),
        (
            FLASK
            + '\n@app.get("/a")\ndef a():\n    try:\n        load()\n    except KeyError:\n        return jsonify(ok=True), 200\n',
            SUCCESS_IN_ERROR_HANDLER,
            200,
        ),
    ],
)
def test_each_rule_is_still_found(reads: list[str], text: str, rule: str, code: int) -> None:
    assert [(finding.rule, finding.code) for finding in handler_findings(text)] == [(rule, code)]
    assert reads == [text]


def test_a_redirect_helper_needs_no_read() -> None:
    # redirect(url) and RedirectResponse(url) carry their Location and answer no 204/304:
    # no rule can fire on them, so they alone do not make a file a candidate.
    text = FLASK + '\n@app.get("/old")\ndef old():\n    return redirect("/new")\n'
    assert not routes_rules.may_fire(text, detect_python(text))
    assert handler_findings(text) == ()


@pytest.mark.parametrize(
    "body",
    ["return 'x', 0xCC", "return 'x', 2_04", "return 'x', 304", "pass  # except", "return 'x', HTTPStatus.NO_CONTENT"],
)
def test_what_makes_a_file_a_candidate(body: str) -> None:
    text = FLASK + f"\ndef a():\n    {body}\n"
    assert routes_rules.may_fire(text, detect_python(text))


MIXED = (
    FLASK
    + """
def quiet_one():
    return jsonify(a=1), 201


@app.get("/outer")
def outer():
    def inner():
        return "x", 201

    status = 204
    return "body", status


class Views:
    def moved(self):
        return "see", 302

    def fine(self):
        return "ok", 200


def twice():
    return {"first": True}


@app.delete("/twice", status_code=204)
def twice():
    return None


def caught():
    try:
        pass
    except ValueError:
        return "fine", 200
"""
)


def test_reading_only_the_candidate_functions_finds_what_a_full_read_finds() -> None:
    texts = [MIXED, *(path.read_text(encoding="utf-8") for path in sorted((FIXTURES / "code_spec").rglob("*.py")))]
    for text in texts:
        full = routes_rules.judge(read_file(text, rules_only=True))
        assert handler_findings(text) == full
    assert {finding.rule for finding in handler_findings(MIXED)} == {
        BODY_WITH_NO_CONTENT_STATUS,
        REDIRECT_WITHOUT_LOCATION,
        SUCCESS_IN_ERROR_HANDLER,
    }


def test_only_functions_spanning_a_candidate_line_are_read() -> None:
    detection = detect_python(MIXED)
    assert detection.tree is not None
    rows = routes_rules.candidate_rows(MIXED, detection)
    definitions = sorted(
        (node for node in _walk(detection.tree.root_node) if node.type == "function_definition"), key=lambda node: node.start_byte
    )
    chosen = routes_rules.functions_to_read(definitions, rows)
    names = [node.child_by_field_name("name").text for node in chosen]  # type: ignore[union-attr]
    # outer keeps its nested inner; both twice() are read (the rule finds a route's function by name).
    assert names == [b"outer", b"inner", b"moved", b"twice", b"twice", b"caught"]


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in node.children:
        yield from _walk(child)
