"""Calls to the project's own status parameters (issue 12, patterns 1, 2, 7 and 10): in the file that
defines them, and in other files through the workspace table, reached by name, import, alias,
relative import, ``self`` or the class; and the calls that must stay silent.

Snippets use the markers of test_detect_python: ``⟦404⟧`` a literal that must be found; every
unmarked number must stay silent.
"""

from __future__ import annotations

import pytest

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.project_params import ProjectParameters, StatusParameter, summarise_python
from http_status_ls.detect.python.reader import detect_python
from tests.unit.detect.test_detect_python import found, unmark

HELPERS = """
from flask import jsonify
from werkzeug.exceptions import HTTPException


def error_response(message, status_code, **extra):
    return jsonify(error=message, **extra), status_code


def expect_status(response, wanted):
    assert response.status_code == wanted


class ShelfError(HTTPException):
    pass


class ApiError(Exception):
    def __init__(self, code, message):
        self.code = code


class BaseTest:
    def assert_answers(self, response, expected_status):
        assert response.status_code == expected_status
"""

PROJECT = ProjectParameters.from_files([summarise_python(HELPERS)])


def check_with(marked: str, project: ProjectParameters = PROJECT) -> None:
    text, expected = unmark(marked)
    detection = detect_python(text, project=project)
    assert [
        (o.span.start_line, o.span.start_col, o.span.end_col, o.code, o.kind, o.text) for o in detection.occurrences
    ] == expected


# --- in the defining file --------------------------------------------------------------------------


def test_calls_in_the_defining_file_count_without_a_table() -> None:
    text, expected = unmark(
        HELPERS
        + """
def view(book):
    if book is None:
        return error_response("no such book", ⟦404⟧)
    raise ShelfError(⟦410⟧)


def failing():
    raise ApiError(⟦503⟧, "upstream down")


class BookTests(BaseTest):
    def test_missing(self):
        self.assert_answers(self.client.get("/books/0"), ⟦404⟧)
        expect_status(self.client.get("/books"), wanted=⟦200⟧)
"""
    )
    assert found(text) == expected


def test_roles_follow_the_parameter() -> None:
    text = HELPERS + "\nerror_response('x', 418)\nexpect_status(None, 201)\n"
    roles = {o.text: o.role for o in detect_python(text).occurrences}
    assert roles == {"418": Role.SENDS, "201": Role.READS}


def test_super_init_in_an_http_error() -> None:
    check_with(
        """
from tornado.web import HTTPError

class ClientClosed(HTTPError):
    def __init__(self, path):
        super().__init__(⟦499⟧, "client went away from %s", path)
        self.retries = 100

class NotHttp(Exception):
    def __init__(self):
        super().__init__(404, "a count")
"""
    )


# --- through the workspace table -------------------------------------------------------------------


def test_calls_in_other_files_reach_the_definition_through_imports() -> None:
    check_with(
        """
from .helpers import ApiError, ShelfError, error_response as fail
from . import helpers
from app.helpers import expect_status


def view(item):
    if item is None:
        return fail("gone", ⟦410⟧)
    if item.locked:
        raise ShelfError(⟦423⟧)
    if item.moved:
        return helpers.error_response("moved", ⟦301⟧)
    raise ApiError(⟦500⟧, "broken")


def test_view(client):
    expect_status(client.get("/"), ⟦200⟧)
"""
    )


def test_methods_of_a_base_class_in_another_file() -> None:
    check_with(
        """
from tests.base import BaseTest

class ItemTests(BaseTest):
    def test_create(self):
        self.assert_answers(self.client.post("/items"), ⟦201⟧)
        BaseTest.assert_answers(self, None, 204)
"""
    )


@pytest.mark.parametrize(
    "text",
    [
        # Neither defined nor imported here: another module's function of the same name.
        "def view():\n    return error_response('gone', 410)\n",
        # A method of some other object.
        "from .helpers import error_response\ndef view(log):\n    log.error_response('x', 410)\n",
        # ``self.x`` where the table has only a function x, and a function call where it has only a method.
        "class A:\n    def f(self):\n        self.error_response('x', 404)\n",
        "from .base import assert_answers\nassert_answers(None, 404)\n",
        # A name imported from a library, and a constant's method.
        "from flask import error_response\nerror_response('x', 404)\n",
        "class A:\n    pass\nLOG.assert_answers(None, 404)\n",
        # A star before the status makes its position unknown.
        "from .helpers import error_response\nerror_response(*parts, 404)\n",
    ],
)
def test_calls_that_do_not_reach_a_definition_stay_silent(text: str) -> None:
    assert detect_python(text, project=PROJECT).occurrences == ()


def test_this_files_definition_wins_over_the_table() -> None:
    text = "def error_response(message, retries):\n    return message * retries\n\nerror_response('x', 404)\n"
    assert detect_python(text, project=PROJECT).occurrences == ()


def test_star_import_of_a_project_module() -> None:
    check_with("from .helpers import *\n\nraise ShelfError(⟦409⟧)\n")


def test_keywords_of_project_callables() -> None:
    project = ProjectParameters.from_files([summarise_python("import flask\ndef api_error(message, code=400):\n    ...\n")])
    check_with(
        "from .errors import api_error\n\napi_error('x', code=⟦422⟧)\napi_error('x', retries=500)\n",
        project,
    )


# --- HTTP libraries' classes whose names do not say status -----------------------------------------


def test_library_classes_with_a_status_position() -> None:
    check_with(
        """
from github import UnknownObjectException
from gitlab.exceptions import GitlabGetError
from kubernetes.client.rest import ApiException
from sanic.exceptions import SanicException
from tornado.httputil import ResponseStartLine

missing = UnknownObjectException(⟦404⟧, {"message": "Not Found"}, {})
gone = GitlabGetError("project gone", ⟦404⟧)
forbidden = ApiException(⟦403⟧, "Forbidden")
locked = SanicException("locked", ⟦423⟧)
line = ResponseStartLine("HTTP/1.1", ⟦304⟧, "Not Modified")
other = GitlabGetError(404, "message first is not this library's order")
"""
    )


# --- the table itself ------------------------------------------------------------------------------


def test_inheritance_across_files() -> None:
    base = summarise_python(HELPERS)
    child = summarise_python(
        "from .helpers import ShelfError\n\nclass Gone(ShelfError):\n    pass\n\nclass Lost(Gone):\n    pass\n"
    )
    project = ProjectParameters.from_files([base, child])
    assert project.rows("Gone") == (StatusParameter("Gone", 0, "", True),)
    assert project.rows("Lost") == (StatusParameter("Lost", 0, "", True),)
    assert {"Gone", "Lost"} <= project.http_errors
    check_with("from .errors import Gone, Lost\n\nraise Gone(⟦410⟧)\nraise Lost(⟦404⟧)\n", project)


def test_tables_merge_and_are_hashable() -> None:
    one = ProjectParameters.from_files([summarise_python(HELPERS)])
    two = ProjectParameters.from_files([summarise_python(HELPERS), summarise_python("x = 1\n")])
    assert one == two and hash(one) == hash(two)
    assert [row.position for row in one.rows("error_response")] == [1]
    assert one.rows("nothing") == ()


def test_an_incremental_edit_of_the_definition_changes_the_calls() -> None:
    before = "import flask\n\ndef fail(message, retries):\n    ...\n\nfail('x', 404)\n"
    first = detect_python(before)
    assert first.occurrences == ()
    after = before.replace("retries", "status_code")
    start = before.index("retries")
    tree = first.tree
    assert tree is not None
    tree.edit(
        start_byte=start,
        old_end_byte=start + len("retries"),
        new_end_byte=start + len("status_code"),
        start_point=(2, start - before.index("def")),
        old_end_point=(2, start - before.index("def") + len("retries")),
        new_end_point=(2, start - before.index("def") + len("status_code")),
    )
    assert [o.text for o in detect_python(after, tree).occurrences] == ["404"]
