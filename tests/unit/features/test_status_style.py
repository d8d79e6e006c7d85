"""The ``status-style`` rule: named and numeric styles, the allowlist, the library a file gets, where
it applies, where it never does, and its setting."""

from __future__ import annotations

from typing import Any

from http_status_ls.core import settings
from http_status_ls.core.style_settings import StatusStyle
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.diagnostics import Finding, findings
from http_status_ls.kb.rules import SEVERITY

FLASK_VIEW = """\
from flask import Flask, abort

app = Flask(__name__)


@app.get("/orders/<int:order_id>")
def order(order_id, upstream):
    if upstream.status_code == 404:
        abort(404)
    assert upstream.status_code != 500
    if upstream.status_code >= 400:
        abort(502, description="upstream failed")
    retry = {"status": 503, "codes": [500, 502]}
    state = 201
    label = "404 Not Found"
    return {"id": order_id}, 201
"""


def style_findings(text: str, payload: dict[str, Any] | None = None, *, name: str = "app.py") -> list[Finding]:
    table, messages = settings.parse({"rules": {"status-style": "warning"}, **(payload or {})})
    assert messages == []
    analysis = analyse(name, None, text, None)
    return [f for f in findings(analysis, severity=table.severity_table(SEVERITY), text=text) if f.rule == "status-style"]


def rewrites(found: list[Finding]) -> list[tuple[int, str]]:
    """(1-based line, what the fix writes) for each finding."""
    return [(f.span.start_line + 1, f.data["replacement"]) for f in found]


def test_the_rule_is_off_by_default():
    analysis = analyse("app.py", None, FLASK_VIEW, None)
    assert SEVERITY["status-style"] is None
    assert [f for f in findings(analysis, text=FLASK_VIEW) if f.rule == "status-style"] == []


def test_named_style_in_calls_returns_comparisons_and_assertions_only():
    assert rewrites(style_findings(FLASK_VIEW)) == [
        (8, "HTTPStatus.NOT_FOUND"),  # == comparison
        (9, "HTTPStatus.NOT_FOUND"),  # call argument
        (10, "HTTPStatus.INTERNAL_SERVER_ERROR"),  # assert ... !=
        (12, "HTTPStatus.BAD_GATEWAY"),  # call argument beside a keyword
        (16, "HTTPStatus.CREATED"),  # returned status
        # left alone: `>= 400` (a class), a dict value, a list, an assignment, a status line string
    ]


def test_the_message_says_what_to_write():
    found = style_findings(FLASK_VIEW)[0]
    assert found.message == "Write HTTPStatus.NOT_FOUND, as the project spells status codes"
    assert found.code == 404 and found.href is not None


def test_keyword_arguments_and_defaults():
    text = (
        "from fastapi import FastAPI, status\nfrom fastapi.responses import JSONResponse\n\n"
        "def created(payload, status_code=201):\n    return JSONResponse(payload, status_code=202)\n"
    )
    assert rewrites(style_findings(text)) == [(4, "status.HTTP_201_CREATED"), (5, "status.HTTP_202_ACCEPTED")]


def test_the_allowlist_keeps_its_codes_as_numbers():
    found = rewrites(style_findings(FLASK_VIEW, {"statusStyle": {"allow": [404, "201"]}}))
    assert found == [(10, "HTTPStatus.INTERNAL_SERVER_ERROR"), (12, "HTTPStatus.BAD_GATEWAY")]


def test_the_library_the_file_already_uses_wins_over_the_setting():
    text = "from flask import abort\nfrom http import client\n\nabort(client.GONE)\nabort(404)\n"
    found = style_findings(text, {"statusStyle": {"library": "http.HTTPStatus"}})
    assert rewrites(found) == [(5, "client.NOT_FOUND")]


def test_the_setting_chooses_the_library_of_a_file_without_one():
    found = style_findings(FLASK_VIEW, {"statusStyle": {"library": "http.client"}})
    assert rewrites(found)[0] == (8, "client.NOT_FOUND")


def test_the_framework_library_comes_before_httpstatus():
    text = "from fastapi import FastAPI, HTTPException\n\ndef missing():\n    raise HTTPException(404)\n"
    assert rewrites(style_findings(text)) == [(4, "status.HTTP_404_NOT_FOUND")]


def test_numeric_style_turns_int_constants_into_numbers():
    text = (
        "from fastapi import status\nfrom fastapi.responses import JSONResponse\nfrom http import HTTPStatus\n\n"
        "def made(r):\n"
        "    assert r.status_code == HTTPStatus.OK\n"
        "    title = HTTPStatus.NOT_FOUND.phrase\n"
        "    retry = [status.HTTP_502_BAD_GATEWAY]\n"
        "    return JSONResponse({}, status_code=status.HTTP_201_CREATED)\n"
    )
    found = style_findings(text, {"statusStyle": "numeric"})
    assert rewrites(found) == [(6, "200"), (9, "201")]
    assert found[1].message == "Write 201, as the project spells status codes"


def test_numeric_style_leaves_classes_and_status_strings_alone():
    text = (
        "import falcon\nfrom werkzeug.exceptions import NotFound\n\n"
        "def on_get(req, resp):\n    resp.status = falcon.HTTP_404\n    raise NotFound()\n"
    )
    assert style_findings(text, {"statusStyle": "numeric"}) == []


def test_never_a_name_the_library_lacks():
    # HTTPStatus has no 420 on any Python: the number stays, unreported.
    text = "from flask import abort\n\nabort(420)\nabort(404)\n"
    assert rewrites(style_findings(text)) == [(4, "HTTPStatus.NOT_FOUND")]


def test_never_without_a_safe_import():
    taken = "from flask import abort\n\nHTTPStatus = 'taken'\n\nabort(404)\n"
    assert style_findings(taken) == []
    broken = "from flask import abort\n\ndef view(:\n    abort(404)\n"
    assert style_findings(broken) == []


def test_httpstatus_constructor_arguments_stay_numbers():
    text = "from http import HTTPStatus\nfrom flask import abort\n\nabort(HTTPStatus(404))\n"
    assert style_findings(text) == []


def test_the_setting_is_validated_part_by_part():
    parsed, messages = settings.parse({"statusStyle": {"style": "roman", "library": "nope", "allow": [200, 1000], "x": 1}})
    assert parsed.status_style == StatusStyle()
    assert len(messages) == 4
    assert messages[0].startswith("httpStatus.statusStyle.style: 'roman' is not one of named, numeric")
    good, none = settings.parse({"statusStyle": {"style": "numeric", "library": "fastapi.status", "allow": [404]}})
    assert none == []
    assert good.status_style == StatusStyle(style="numeric", library="fastapi.status", allow=frozenset({404}))
    assert good.severity_table(SEVERITY).status_style == good.status_style
