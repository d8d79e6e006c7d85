"""The handler-level rules (issue 16): a body with 204/304, a redirect without a Location, a success
returned from an except block; each with the cases that must stay silent."""

from __future__ import annotations

from http_status_ls.detect.python.routes import (
    BODY_WITH_NO_CONTENT_STATUS,
    REDIRECT_WITHOUT_LOCATION,
    SUCCESS_IN_ERROR_HANDLER,
    handler_findings,
)
from tests.support.paths import FIXTURES

FLASK = "from flask import Flask, Response, jsonify, redirect\n\napp = Flask(__name__)\n"
FASTAPI = "from fastapi import FastAPI, Response\nfrom fastapi.responses import JSONResponse\n\napp = FastAPI()\n"


def found(text: str) -> list[tuple[str, int, int]]:
    """(rule, 0-based line, code) of each finding."""
    return [(f.rule, f.span.start_line, f.code) for f in handler_findings(text)]


def test_body_with_204_in_a_tuple_and_a_response() -> None:
    text = (
        FLASK
        + """
@app.delete("/a")
def a():
    return jsonify(done=True), 204


@app.delete("/b")
def b():
    return Response("gone", status=204)


@app.delete("/c")
def c():
    return "", 204


@app.get("/d")
def d():
    return Response(status=304)
"""
    )
    assert found(text) == [(BODY_WITH_NO_CONTENT_STATUS, 6, 204), (BODY_WITH_NO_CONTENT_STATUS, 11, 204)]


def test_fastapi_declared_204_with_a_returned_value() -> None:
    text = (
        FASTAPI
        + """
@app.delete("/a", status_code=204)
def a():
    return {"deleted": True}


@app.delete("/b", status_code=204)
def b():
    return None


@app.delete("/c", status_code=204)
def c():
    return Response(status_code=204)
"""
    )
    (finding,) = handler_findings(text)
    assert (finding.rule, finding.span.start_line, finding.code) == (BODY_WITH_NO_CONTENT_STATUS, 7, 204)
    assert finding.message == "Return nothing, or declare another status: a 204 response has no body"
    assert len(finding.message) <= 100


def test_redirect_without_location() -> None:
    text = (
        FLASK
        + """
@app.get("/a")
def a():
    return "", 302


@app.get("/b")
def b():
    return "", 301, {"Location": "/elsewhere"}


@app.get("/c")
def c():
    return "", 303, {"X-Trace": "1"}


@app.get("/d")
def d():
    return redirect("/x", code=307)


@app.get("/e")
def e(headers):
    return "", 302, headers
"""
    )
    assert found(text) == [(REDIRECT_WITHOUT_LOCATION, 6, 302), (REDIRECT_WITHOUT_LOCATION, 16, 303)]


def test_redirect_response_without_headers() -> None:
    text = (
        FASTAPI
        + """
@app.get("/a")
def a():
    return Response(status_code=302)


@app.get("/b")
def b():
    return Response(status_code=302, headers={"location": "/b2"})
"""
    )
    assert found(text) == [(REDIRECT_WITHOUT_LOCATION, 7, 302)]


def test_success_in_error_handler() -> None:
    text = (
        FASTAPI
        + """
@app.post("/a")
def a(payload: dict):
    try:
        store(payload)
    except KeyError:
        return JSONResponse({"error": "missing"}, status_code=200)
    except ValueError:
        return JSONResponse({"error": "bad"}, status_code=422)
    return JSONResponse({"ok": True}, status_code=201)


def store(payload):
    return payload
"""
    )
    (finding,) = handler_findings(text)
    assert (finding.rule, finding.span.start_line, finding.code) == (SUCCESS_IN_ERROR_HANDLER, 10, 200)


def test_success_in_flask_except_tuple() -> None:
    text = (
        FLASK
        + """
@app.post("/a")
def a():
    try:
        work()
    except RuntimeError as error:
        return jsonify(error=str(error)), 201
    return jsonify(ok=True)


def work():
    pass
"""
    )
    assert found(text) == [(SUCCESS_IN_ERROR_HANDLER, 9, 201)]


def test_demo_services_are_clean() -> None:
    for path in sorted((FIXTURES / "code_spec").rglob("*.py")):
        assert handler_findings(path.read_text("utf-8")) == (), path.name


def test_a_file_without_a_web_framework_is_not_read() -> None:
    assert handler_findings('def a():\n    try:\n        pass\n    except KeyError:\n        return "", 200\n') == ()


def test_the_rules_reach_diagnostics_with_the_analysis_reused() -> None:
    from http_status_ls.detect.analysis import analyse
    from http_status_ls.features.diagnostics import findings

    text = FLASK + '\n@app.get("/a")\ndef a():\n    return "", 302\n'
    analysis = analyse("a.py", None, text, 1)
    assert handler_findings(text, analysis.detection) == handler_findings(text)
    found = [(f.rule, f.span.start_line, f.href is not None) for f in findings(analysis, text=text)]
    assert (REDIRECT_WITHOUT_LOCATION, 6, True) in found
