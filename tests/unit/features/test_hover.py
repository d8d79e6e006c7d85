"""Hover as a plain function: which token, which range, which text."""

from __future__ import annotations

import pytest
from lsprotocol import types

from http_status_ls.core.occurrences import Analysis, Detection, Kind, Occurrence, Span
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.hover import describe_occurrence, hover
from http_status_ls.kb import registry


def analysis_of(*occurrences: Occurrence, openapi: str | None = None, language: str = "python") -> Analysis:
    return Analysis(
        uri="file:///t", version=1, language=language, detection=Detection(occurrences=tuple(occurrences), openapi=openapi)
    )


def literal(code: int, line: int = 0, col: int = 6) -> Occurrence:
    return Occurrence(
        span=Span(line, col, line, col + len(str(code))), kind=Kind.LITERAL, text=str(code), code=code, context="abort()"
    )


def key(text: str, line: int = 6, col: int = 8) -> Occurrence:
    value = text.strip("'\"")
    return Occurrence(
        span=Span(line, col, line, col + len(text)),
        kind=Kind.RESPONSE_KEY,
        text=text,
        code=int(value) if value.isdigit() else None,
        context="responses",
        value=value,
        quoted=text != value,
        range_class=int(value[0]) if value[1:] == "XX" else None,
    )


def test_literal_markdown_with_token_range():
    result = hover(analysis_of(literal(404)), 0, 7)
    assert result.range == types.Range(start=types.Position(0, 6), end=types.Position(0, 9))
    assert result.contents.kind == types.MarkupKind.Markdown
    assert result.contents.value.startswith("### 404 Not Found")
    assert "rfc9110#section-15.5.5" in result.contents.value


@pytest.mark.parametrize("col", [6, 8, 9])
def test_cursor_anywhere_on_the_token(col):
    assert hover(analysis_of(literal(404)), 0, col) is not None


@pytest.mark.parametrize(("line", "col"), [(0, 5), (0, 10), (1, 7)])
def test_nothing_off_the_token(line, col):
    assert hover(analysis_of(literal(404)), line, col) is None


def test_plain_text_when_client_lacks_markdown():
    result = hover(analysis_of(literal(404)), 0, 7, markdown=False)
    assert result.contents.kind == types.MarkupKind.PlainText
    assert result.contents.value.startswith("404 Not Found")
    assert "###" not in result.contents.value and "**" not in result.contents.value


def test_range_goes_through_converter():
    result = hover(
        analysis_of(literal(404)),
        0,
        7,
        to_range=lambda s: types.Range(start=types.Position(s.start_line, 100), end=types.Position(s.end_line, 103)),
    )
    assert result.range.start.character == 100


def test_unofficial_code_is_loud():
    text = hover(analysis_of(literal(420)), 0, 7).contents.value
    assert "Unofficial" in text and "Twitter" in text and "429 Too Many Requests" in text


def test_warn_code_299():
    text = hover(analysis_of(literal(299)), 0, 7).contents.value
    assert "299: not an HTTP status code" in text
    assert "warn-code" in text


@pytest.mark.parametrize(
    ("code", "expected"), [(512, "512: unassigned"), (600, "600: not a status code"), (20, "20: not a status code")]
)
def test_unassigned_and_invalid_numbers_say_so(code, expected):
    assert expected in hover(analysis_of(literal(code)), 0, 7).contents.value


def test_name_hover():
    ref = registry.load().resolve("http.HTTPStatus", "NOT_FOUND")
    occurrence = Occurrence(
        span=Span(2, 15, 2, 24), kind=Kind.NAME, text="NOT_FOUND", code=404, context="http.HTTPStatus", name=ref
    )
    result = hover(analysis_of(occurrence), 2, 20)
    assert result.range == types.Range(start=types.Position(2, 15), end=types.Position(2, 24))
    assert result.contents.value.startswith("`http.HTTPStatus.NOT_FOUND` = 404")
    assert "### 404 Not Found" in result.contents.value


def test_deprecated_name_hover_names_the_new_one():
    ref = registry.load().resolve("starlette.status", "HTTP_422_UNPROCESSABLE_ENTITY")
    occurrence = Occurrence(span=Span(0, 7, 0, 36), kind=Kind.NAME, text=ref.name, code=422, context="starlette.status", name=ref)
    text = describe_occurrence(occurrence)
    assert "Deprecated name: use HTTP_422_UNPROCESSABLE_CONTENT" in text


def test_unknown_name_hover():
    occurrence = Occurrence(span=Span(0, 11, 0, 19), kind=Kind.NAME, text="NOT_FUND", code=None, context="http.HTTPStatus")
    assert describe_occurrence(occurrence) == (
        "`NOT_FUND` is not a status code name in `http.HTTPStatus`. Did you mean `NOT_FOUND`?"
    )


def test_response_keys():
    four = describe_occurrence(key("4XX"), openapi="3.1.0")
    assert four.startswith("### 4XX Client Error")
    assert "404 Not Found" in four
    assert "every status code this operation does not list" in describe_occurrence(key("default"), openapi="3.0.0")
    assert describe_occurrence(key("'201'"), openapi="3.0.0").startswith("### 201 Created")


def test_response_key_mistakes():
    lower = describe_occurrence(key("'2xx'"), openapi="3.0.0")
    assert "write '2XX'" in lower and "2XX Successful" in lower
    swagger = describe_occurrence(key("'2XX'"), openapi="2.0")
    assert "Swagger 2.0 has no status code ranges" in swagger
    assert "not a status code" in describe_occurrence(key("abc"), openapi="3.0.0")
    assert "600: not a status code" in describe_occurrence(key("'600'"), openapi="3.0.0")
    assert "299: not an HTTP status code" in describe_occurrence(key("'299'"), openapi="3.0.0")


def test_real_python_precision():
    text = "import requests\nfrom flask import abort\n\nabort(404)\nrequests.get(url, timeout=300)\nrange(200)\n"
    analysis = analyse("file:///v.py", "python", text, 1)
    assert hover(analysis, 3, 7).contents.value.startswith("### 404 Not Found")
    assert hover(analysis, 4, 27) is None
    assert hover(analysis, 5, 7) is None
