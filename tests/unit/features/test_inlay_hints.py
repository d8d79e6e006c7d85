"""Inlay hints as a plain function: which occurrences get a phrase, where it goes, what it says."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.workspace.position_codec import PositionCodec

from http_status_ls.core.occurrences import Span
from http_status_ls.core.positions import ClientPositions
from http_status_ls.core.settings import ExtraCode
from http_status_ls.detect.analysis import analyse
from http_status_ls.features.inlay_hints import inlay_hints, label_for
from http_status_ls.lsp.documents import split_lines
from tests.support.fixture_texts import fixture_text

SUFFIX = {"python": ".py", "yaml": ".yaml", "json": ".json"}


def hints(text: str, language: str, span: Span | None = None, encoding: str | None = None, **kwargs) -> list[types.InlayHint]:
    lines = split_lines(text)
    analysis = analyse(f"file:///h{SUFFIX[language]}", language, text, 1)
    if encoding is not None:
        kwargs["to_range"] = ClientPositions(lines, PositionCodec(encoding)).range
    return inlay_hints(analysis, lines, span, **kwargs)


def where(text: str, after: str, occurrence: int = 0) -> tuple[int, int]:
    """(line, col) just after the ``occurrence``-th ``after`` in ``text``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(after, index + 1)
    index += len(after)
    line = text.count("\n", 0, index)
    return line, index - (text.rfind("\n", 0, index) + 1)


def summary(found: list[types.InlayHint]) -> list[tuple[int, int, str]]:
    return [(h.position.line, h.position.character, h.label) for h in found]


PYTHON = """\
from http import HTTPStatus

from flask import abort


def view(requests, url):
    requests.get(url, timeout=300)
    if url == "calm":
        abort(420)
    if url == "gone":
        return {}, HTTPStatus.NOT_FOUND
    if url == "proxy":
        abort(305)
    start_response("404 Not Found", [])
    abort(404)
"""


def test_python_literals_get_their_phrase_and_nothing_else_does():
    found = hints(PYTHON, "python")
    assert summary(found) == [
        (*where(PYTHON, "abort(420"), "Enhance Your Calm (unofficial)"),
        (*where(PYTHON, "abort(305"), "Use Proxy (deprecated)"),
        (*where(PYTHON, "abort(404"), "Not Found"),
    ]
    assert all(h.padding_left and not h.padding_right for h in found)
    assert found[2].tooltip.startswith("404 Not Found: ")


def test_labels_for_special_codes():
    assert label_for(418)[0] == "I'm a Teapot (Unused)"
    assert label_for(510)[0] == "Not Extended (obsolete)"
    assert label_for(429)[0] == "Too Many Requests"
    assert label_for(299) is None  # a Warning warn-code, not a status
    assert label_for(600) is None
    long = label_for(463)[0]
    assert long.endswith("… (unofficial)") and len(long) <= 40 + len(" (unofficial)")


def test_unconfident_and_unknown_numbers_get_nothing():
    source = "return body, 299\nreturn body, 600\nabort(700)\n"
    assert hints(source, "python") == []


def test_extra_codes_show_the_projects_phrase():
    extra = {299: ExtraCode(code=299, phrase="Partly Cached", description="Our CDN")}
    source = "abort(299)\n"
    found = hints(source, "python", extra_codes=extra)
    assert summary(found) == [(0, 9, "Partly Cached")]
    assert "this project's own code" in found[0].tooltip


OPENAPI = fixture_text("pets_response_keys.yaml")


def test_openapi_keys_get_the_phrase_after_the_colon():
    found = hints(OPENAPI, "yaml")
    assert summary(found) == [(*where(OPENAPI, "'200':"), "OK"), (*where(OPENAPI, '"429":'), "Too Many Requests")]
    assert found[0].padding_right is None  # nothing after it on the line
    assert found[1].padding_right is True  # the flow mapping follows


def test_plain_yaml_and_json_status_values():
    assert summary(hints("retry:\n  status: 503\n  delay: 300\n", "yaml")) == [(1, 13, "Service Unavailable")]
    text = '{"responses": {}, "statusCode": 201, "timeout": 300}'
    assert summary(hints(text, "json")) == [(0, 35, "Created")]


def test_openapi_json_keys():
    text = '{"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"404": {"description": "x"}}}}}}'
    assert summary(hints(text, "json")) == [(*where(text, '"404":'), "Not Found")]


def test_only_the_requested_range():
    lines = PYTHON.split("\n")
    line_404 = next(i for i, line in enumerate(lines) if "abort(404)" in line)
    found = hints(PYTHON, "python", Span(line_404, 0, line_404, 20))
    assert summary(found) == [(*where(PYTHON, "abort(404"), "Not Found")]
    # A range that ends before the hint position leaves the hint out.
    assert hints(PYTHON, "python", Span(line_404, 0, line_404, 8)) == []
    assert hints(PYTHON, "python", Span(0, 0, 3, 0)) == []


@pytest.mark.parametrize(
    "encoding, width",
    [("utf-8", len('x = "é🙂"; abort(404'.encode())), ("utf-16", len('x = "é🙂"; abort(404'.encode("utf-16-le")) // 2)],
)
def test_position_in_client_units_after_an_emoji(encoding: str, width: int):
    found = hints('x = "é🙂"; abort(404)\n', "python", encoding=encoding)
    assert [(h.position.line, h.position.character) for h in found] == [(0, width)]


def test_switches_per_language():
    from http_status_ls.core.settings import DEFAULTS, LanguageSwitches, Settings
    from http_status_ls.features.inlay_hints import hints_enabled

    assert hints_enabled(None, "python") and hints_enabled(DEFAULTS, "yaml")
    no_python = Settings(inlay_hints=LanguageSwitches(python=False))
    assert not hints_enabled(no_python, "python") and hints_enabled(no_python, "json")
    yaml_off = Settings(languages=LanguageSwitches(yaml=False))
    assert not hints_enabled(yaml_off, "yaml") and hints_enabled(yaml_off, "python")
