"""Hover as a plain function: which token, which range, which text; the card's footer name, and
the ``hover.verbosity`` setting. The card's layout and budget have tests of their own
(test_render.py, test_hover_card_budget.py)."""

from __future__ import annotations

import pytest
from lsprotocol import types

from http_status_ls.core import settings, settings_files
from http_status_ls.core.occurrences import Analysis, Detection, Kind, Occurrence, Span
from http_status_ls.detect.analysis import analyse
from http_status_ls.features import render
from http_status_ls.features.hover import describe_occurrence, hover
from http_status_ls.kb import registry


def analysis_of(
    *occurrences: Occurrence,
    openapi: str | None = None,
    language: str = "python",
    namespaces: dict[str, str] | None = None,
) -> Analysis:
    detection = Detection(occurrences=tuple(occurrences), openapi=openapi, namespaces=namespaces or {})
    return Analysis(uri="file:///t", version=1, language=language, detection=detection)


def footer(text: str) -> str:
    return text.splitlines()[-1]


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
    assert result.contents.value.startswith("**404 Not Found**  \n")
    assert "[RFC 9110 §15.5.5](https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5)" in result.contents.value


@pytest.mark.parametrize("col", [6, 8, 9])
def test_cursor_anywhere_on_the_token(col):
    assert hover(analysis_of(literal(404)), 0, col) is not None


@pytest.mark.parametrize(("line", "col"), [(0, 5), (0, 10), (1, 7)])
def test_nothing_off_the_token(line, col):
    assert hover(analysis_of(literal(404)), line, col) is None


def test_plain_text_when_client_lacks_markdown():
    result = hover(analysis_of(literal(404)), 0, 7, markdown=False)
    assert result.contents.kind == types.MarkupKind.PlainText
    assert result.contents.value.startswith("404 Not Found\n")
    assert "RFC 9110 §15.5.5 <https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5>" in result.contents.value
    for markup in ("###", "**", "`", "](", "  \n"):
        assert markup not in result.contents.value


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
    assert text.startswith("**420 Enhance Your Calm** — unofficial  \n")
    assert "*Twitter*: rate limited (API v1; now 429)" in text
    assert "• Send 429 Too Many Requests with `Retry-After` to rate-limit" in text


def test_warn_code_299():
    text = hover(analysis_of(literal(299)), 0, 7).contents.value
    assert text.startswith("**299 Miscellaneous Persistent Warning** — not an HTTP status code  \n")
    assert "a `Warning` header warn-code · [RFC 7234 §5.5.7](https://www.rfc-editor.org/rfc/rfc7234#section-5.5.7)" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [(512, "**512** — unassigned"), (600, "**600** — not a status code"), (20, "**20** — not a status code")],
)
def test_unassigned_and_invalid_numbers_say_so(code, expected):
    assert hover(analysis_of(literal(code)), 0, 7).contents.value.startswith(expected)


def test_unassigned_code_names_what_clients_read_instead():
    text = hover(analysis_of(literal(512)), 0, 7).contents.value
    assert "clients read it as 500 Internal Server Error" in text


def _name(library: str, name: str, line: int = 0, col: int = 7) -> Occurrence:
    ref = registry.load().resolve(library, name)
    assert ref is not None
    return Occurrence(
        span=Span(line, col, line, col + len(name)), kind=Kind.NAME, text=name, code=ref.code, context=library, name=ref
    )


def test_name_hover_shows_the_name_in_the_footer():
    occurrence = _name("http.HTTPStatus", "NOT_FOUND", line=2, col=15)
    result = hover(analysis_of(occurrence), 2, 20)
    assert result.range == types.Range(start=types.Position(2, 15), end=types.Position(2, 24))
    assert result.contents.value.startswith("**404 Not Found**  \n")
    assert footer(result.contents.value) == "`HTTPStatus.NOT_FOUND` · more: `http-status-ls explain 404`"


def test_deprecated_name_hover_names_the_new_one():
    text = describe_occurrence(_name("starlette.status", "HTTP_422_UNPROCESSABLE_ENTITY"))
    assert footer(text).startswith(
        "`status.HTTP_422_UNPROCESSABLE_ENTITY` is deprecated: use `HTTP_422_UNPROCESSABLE_CONTENT` · "
    )


def test_name_with_a_version_note_says_so():
    text = describe_occurrence(_name("http.HTTPStatus", "UNPROCESSABLE_CONTENT"))
    assert footer(text).startswith("`HTTPStatus.UNPROCESSABLE_CONTENT` (Python 3.13+) · ")


@pytest.mark.parametrize(
    ("namespaces", "expected"),
    [
        ({"HTTPStatus": "http.HTTPStatus"}, "`HTTPStatus.NOT_FOUND`"),
        ({"S": "http.HTTPStatus", "http.HTTPStatus": "http.HTTPStatus"}, "`S.NOT_FOUND`"),
        ({"status": "fastapi.status"}, "`status.HTTP_404_NOT_FOUND`"),
        # The library a literal would become first wins, as in the code actions: starlette before requests.
        ({"requests.codes": "requests.codes", "st": "starlette.status"}, "`st.HTTP_404_NOT_FOUND`"),
        ({"requests.codes": "requests.codes"}, "`requests.codes.not_found`"),
        # No status library imported: the standard library's name, which any file can import.
        ({}, "`HTTPStatus.NOT_FOUND`"),
    ],
)
def test_literal_footer_uses_the_library_the_file_imports(namespaces, expected):
    text = hover(analysis_of(literal(404), namespaces=namespaces), 0, 7).contents.value
    assert footer(text) == f"{expected} · more: `http-status-ls explain 404`"


def test_footer_name_that_only_newer_pythons_have_comes_with_the_old_one():
    text = hover(analysis_of(literal(422)), 0, 7).contents.value
    assert footer(text).startswith("`HTTPStatus.UNPROCESSABLE_CONTENT` (Python 3.13+, else `UNPROCESSABLE_ENTITY`) · ")


def test_no_footer_name_when_the_library_has_none():
    # starlette has no constant for 420, nor the standard library: the footer only offers more.
    text = hover(analysis_of(literal(420), namespaces={"status": "starlette.status"}), 0, 7).contents.value
    assert footer(text) == "More: `http-status-ls explain 420`"


def test_yaml_hover_names_no_python_library():
    text = describe_occurrence(key("'404'"), openapi="3.0.3", language="yaml")
    assert footer(text) == "More: `http-status-ls explain 404`"
    assert "HTTPStatus" not in text and "HTTP_404" not in text


def test_full_verbosity_is_the_explain_text():
    full = hover(analysis_of(literal(404)), 0, 7, verbosity="full").contents.value
    assert full == render.describe("404")
    assert "**Python names:**" in full and "`HTTPStatus.NOT_FOUND`" in full


def test_full_verbosity_in_yaml_leaves_out_python_names():
    full = describe_occurrence(key("'404'"), openapi="3.0.3", language="yaml", verbosity="full")
    assert full.startswith("**404 Not Found**\n\n") and "Not to be confused with:" in full
    assert "Python names" not in full and "HTTPStatus" not in full


def test_full_verbosity_name_hover_keeps_the_name_first():
    text = describe_occurrence(_name("starlette.status", "HTTP_422_UNPROCESSABLE_ENTITY"), verbosity="full")
    assert text.startswith("`starlette.status.HTTP_422_UNPROCESSABLE_ENTITY` = 422")
    assert "Deprecated name: use HTTP_422_UNPROCESSABLE_CONTENT" in text


@pytest.mark.parametrize(
    ("payload", "verbosity", "messages"),
    [
        ({}, "short", []),
        ({"hover": {"verbosity": "full"}}, "full", []),
        ({"hover": {"verbosity": "FULL"}}, "full", []),
        ({"hover": "full"}, "full", []),
        (
            {"hover": {"verbosity": "long"}},
            "short",
            ["httpStatus.hover.verbosity: 'long' is not one of short, full; using the default"],
        ),
        ({"hover": {"size": 3}}, "short", ["httpStatus.hover.size: unknown setting (known: verbosity); ignored"]),
        ({"hover": 3}, "short", ['httpStatus.hover: expected a table such as {verbosity = "full"}, got 3; using the default']),
    ],
)
def test_hover_verbosity_setting(payload, verbosity, messages):
    parsed, said = settings.parse({"httpStatus": payload})
    assert (parsed.hover.verbosity, said) == (verbosity, messages)


def test_hover_verbosity_layers_merge(tmp_path):
    project = tmp_path / "pyproject.toml"
    project.write_text('[tool.http-status-ls]\nhover = { verbosity = "full" }\n', encoding="utf-8")
    from_file, messages = settings_files.load(pyproject=project)
    assert from_file.hover.verbosity == "full" and messages == []
    # A client layer without `hover` keeps the project's choice; one with it wins.
    assert settings_files.load(pyproject=project, client={"rules": {}})[0].hover.verbosity == "full"
    assert settings_files.load(pyproject=project, client={"hover": {"verbosity": "short"}})[0].hover.verbosity == "short"


def test_unknown_name_hover():
    occurrence = Occurrence(span=Span(0, 11, 0, 19), kind=Kind.NAME, text="NOT_FUND", code=None, context="http.HTTPStatus")
    assert describe_occurrence(occurrence) == (
        "`NOT_FUND` is not a status code name in `http.HTTPStatus`. Did you mean `NOT_FOUND`?"
    )


def test_response_keys():
    four = describe_occurrence(key("4XX"), openapi="3.1.0")
    assert four.startswith("**4XX Client Error**")
    assert "Registered: 400, 401, 402, 403, 404," in four
    assert "every status code this operation does not list" in describe_occurrence(key("default"), openapi="3.0.0")
    assert describe_occurrence(key("'201'"), openapi="3.0.0").startswith("**201 Created**")
    full_class = describe_occurrence(key("4XX"), openapi="3.1.0", verbosity="full")
    assert "404 Not Found" in full_class


def test_response_key_mistakes():
    lower = describe_occurrence(key("'2xx'"), openapi="3.0.0")
    assert "write '2XX'" in lower and "2XX Successful" in lower
    swagger = describe_occurrence(key("'2XX'"), openapi="2.0")
    assert "Swagger 2.0 has no status code ranges" in swagger
    assert "not a status code" in describe_occurrence(key("abc"), openapi="3.0.0")
    assert describe_occurrence(key("'600'"), openapi="3.0.0").startswith("**600** — not a status code")
    assert describe_occurrence(key("'299'"), openapi="3.0.0").startswith("**299 Miscellaneous Persistent Warning** — not an")


def test_real_python_precision():
    text = "import requests\nfrom flask import abort\n\nabort(404)\nrequests.get(url, timeout=300)\nrange(200)\n"
    analysis = analyse("file:///v.py", "python", text, 1)
    text = hover(analysis, 3, 7).contents.value
    assert text.startswith("**404 Not Found**")
    # The file imports requests, so its name is the footer's.
    assert footer(text).startswith("`requests.codes.not_found` · ")
    assert hover(analysis, 4, 27) is None
    assert hover(analysis, 5, 7) is None
