"""Hover, completion, highlights and actions on the status names of Falcon, Pyramid, Litestar and
Sanic (issue 12): each feature reads the same library rows, so the new names reach all of them, and
falcon's string constants never turn into numbers."""

from __future__ import annotations

from lsprotocol import types

from http_status_ls.detect.analysis import analyse
from http_status_ls.features.actions.edits import DocumentText
from http_status_ls.features.actions.refactor import Refactorings
from http_status_ls.features.completion import complete
from http_status_ls.features.hover import hover
from http_status_ls.features.references import highlights
from http_status_ls.lsp.documents import split_lines

SOURCE = """\
import falcon
from sanic.exceptions import NotFound
from litestar.status_codes import HTTP_201_CREATED
from pyramid.httpexceptions import HTTPConflict


def on_get(req, resp):
    resp.status = falcon.HTTP_404
    raise falcon.HTTPNotFound()
    raise NotFound("gone")
    created = HTTP_201_CREATED
    raise HTTPConflict()
"""


def _analysis(text: str = SOURCE):
    return analyse("file:///frameworks.py", "python", text, 1)


def _at(needle: str, text: str = SOURCE) -> tuple[int, int]:
    index = text.index(needle)
    return text.count("\n", 0, index), index - (text.rfind("\n", 0, index) + 1)


def _hover_text(needle: str) -> str:
    result = hover(_analysis(), *_at(needle))
    assert result is not None and isinstance(result.contents, types.MarkupContent)
    return result.contents.value


def test_hover_names_the_code_and_the_spelling():
    text = _hover_text("HTTP_404")
    assert text.startswith("**404 Not Found**") and "`falcon.HTTP_404`" in text.splitlines()[-1]
    assert "`falcon.HTTPNotFound`" in _hover_text("HTTPNotFound()").splitlines()[-1]
    assert _hover_text('NotFound("gone")').startswith("**404 Not Found**")
    assert _hover_text("HTTP_201_CREATED\n").startswith("**201 Created**")
    assert _hover_text("HTTPConflict()").startswith("**409 Conflict**")


def test_highlights_join_every_library_spelling_of_a_code():
    result = highlights(_analysis(), *_at("HTTP_404"))
    assert result is not None
    lines = SOURCE.split("\n")
    spans = [lines[h.range.start.line][h.range.start.character : h.range.end.character] for h in result]
    assert spans == ["NotFound", "HTTP_404", "HTTPNotFound", "NotFound"]


def _complete(marked: str) -> list[str]:
    index = marked.index("|")
    text = marked.replace("|", "")
    line = text.count("\n", 0, index)
    col = index - (text.rfind("\n", 0, index) + 1)
    result = complete(_analysis(text), split_lines(text), line, col)
    assert result is not None
    return [item.label for item in sorted(result.items, key=lambda i: i.sort_text or "")]


def test_completion_after_the_framework_namespaces():
    falcon = _complete("import falcon\nresp.status = falcon.HTTP_|\n")
    assert falcon[:4] == ["HTTP_100", "HTTP_CONTINUE", "HTTP_101", "HTTP_SWITCHING_PROTOCOLS"]
    assert "HTTP_404" in falcon and "HTTPNotFound" in falcon
    # falcon 4.0's names wait until the project is known to have falcon 4.
    assert "HTTP_CONTENT_TOO_LARGE" not in falcon and "HTTP_REQUEST_ENTITY_TOO_LARGE" in falcon
    litestar = _complete("from litestar import status_codes\ncode = status_codes.HTTP_4|\n")
    assert "HTTP_404_NOT_FOUND" in litestar


def test_falcon_strings_are_never_rewritten_to_numbers():
    analysis = _analysis()
    refactor = Refactorings(analysis, DocumentText(split_lines(SOURCE)))
    for name in ("HTTP_404", "HTTPNotFound", "HTTP_201_CREATED"):
        occurrence = next(o for o in analysis.occurrences if o.text == name)
        assert refactor.to_literal(occurrence) == [], name
