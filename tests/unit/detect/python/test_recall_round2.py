"""Round two of issue 12's recall work: project status classes, mappings keyed by status, data rows
of parametrised tests, membership tests, raw HTTP status lines and Sanic's positional status.

Snippets use the markers of test_detect_python: ``⟦404⟧`` a literal that must be found; every
unmarked number must stay silent. Each shape has its precision traps beside it.
"""

from __future__ import annotations

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.project_params import ProjectParameters, summarise_python
from http_status_ls.detect.python.reader import detect_python
from tests.unit.detect.test_detect_python import check

ERRORS_MODULE = """
from werkzeug.exceptions import HTTPException

class EditConflict(HTTPException):
    code = 409
    description = "edited meanwhile"

class ItemGone(EditConflict):
    status_code = 410

class RetryLater(Exception):
    code = 503
"""


def found_names(text: str, project: ProjectParameters | None = None) -> list[tuple[int, str, int | None, Role]]:
    """(line, text, code, role) of what is found that is not spelled as a number."""
    return [
        (o.span.start_line, o.text, o.code, o.role)
        for o in detect_python(text, project=project).occurrences
        if not o.text.isdigit()
    ]


# --- 1. project status classes ---------------------------------------------------------------------


def test_status_attribute_in_an_http_exception_body_is_sent() -> None:
    check(
        """
from werkzeug.exceptions import HTTPException

class OutOfStock(HTTPException):
    code = ⟦409⟧
    retries = 300

class Throttled(Exception):
    code = 429
"""
    )
    roles = {o.text: o.role for o in detect_python(ERRORS_MODULE).occurrences}
    assert roles == {"409": Role.SENDS, "410": Role.SENDS}


def test_the_summary_lists_http_status_classes_only() -> None:
    summary = summarise_python(ERRORS_MODULE)
    assert summary.status_classes == (("EditConflict", 409), ("ItemGone", 410))
    project = ProjectParameters.from_files([summary, summarise_python("x = 1\n")])
    assert project.status_classes == (("EditConflict", 409), ("ItemGone", 410))
    assert hash(project) == hash(ProjectParameters.from_files([summary]))


def test_other_files_see_the_classes_on_imports_and_raises() -> None:
    project = ProjectParameters.from_files([summarise_python(ERRORS_MODULE)])
    text = """from .errors import EditConflict, ItemGone, RetryLater

def save(item):
    if item.stale:
        raise EditConflict(detail="stale")
    if item.deleted:
        raise ItemGone
    raise RetryLater()

def handles(error):
    return isinstance(error, EditConflict)
"""
    assert found_names(text, project) == [
        (0, "EditConflict", 409, Role.UNKNOWN),
        (0, "ItemGone", 410, Role.UNKNOWN),
        (4, "EditConflict", 409, Role.SENDS),
        (6, "ItemGone", 410, Role.SENDS),
    ]
    assert found_names(text) == []  # without the workspace's table the names say nothing


def test_a_class_used_in_its_own_file_needs_no_table() -> None:
    text = ERRORS_MODULE + "\ndef edit():\n    raise EditConflict()\n\ntry:\n    edit()\nexcept EditConflict:\n    pass\n"
    assert found_names(text) == [(14, "EditConflict", 409, Role.SENDS)]


def test_a_library_import_of_the_same_name_stays_the_librarys() -> None:
    own = "from werkzeug.exceptions import HTTPException\n\nclass HTTPConflict(HTTPException):\n    code = 410\n"
    project = ProjectParameters.from_files([summarise_python(own)])
    text = "from aiohttp.web import HTTPConflict\n\nraise HTTPConflict()\n"
    assert [o.context for o in detect_python(text, project=project).occurrences] == ["aiohttp.web", "aiohttp.web"]


def test_relative_imports_named_like_the_frameworks_exception_classes() -> None:
    text = """from .exceptions import HTTPNotFound, HTTPNotAClass, HTTPGone as Gone
from .helpers import render

def lookup(key):
    if key is None:
        raise HTTPNotFound()
    raise Gone()
"""
    assert found_names(text) == [
        (0, "HTTPNotFound", 404, Role.UNKNOWN),
        (5, "HTTPNotFound", 404, Role.SENDS),
    ]
    assert found_names("from exceptions import HTTPNotFound\n\nraise HTTPNotFound()\n") == []


# --- 2. mappings keyed by status -------------------------------------------------------------------


def test_keys_of_mappings_named_for_statuses_or_error_handlers() -> None:
    check(
        """
import requests
from starlette.applications import Starlette

ERRORS_BY_STATUS = {
    ⟦400⟧: InvalidRequest,
    ⟦404⟧: NotFound,
}
exception_handlers = {⟦404⟧: not_found, ⟦500⟧: server_error}
app = Starlette(exception_handlers={⟦500⟧: crash})
RETRYABLE_ERROR_CODES = {⟦502⟧: "bad gateway", ⟦503⟧: "unavailable"}
"""
    )


def test_other_mappings_of_three_digit_keys_stay_silent() -> None:
    check(
        """
import requests

THUMBNAILS = {200: "small", 404: "odd"}
PORTS = {443: "https", 587: "submission"}
COLOR_CODES = {100: "red", 200: "green"}
ERRORS_BY_STATUS = {0: Unknown, 404: NotFound}
error_handlers = {"404": page}
"""
    )
    check("import smtplib\nREPLY_CODES = {250: 'ok', 550: 'no mailbox'}\n")


# --- 3. parametrised rows --------------------------------------------------------------------------


def test_rows_of_a_tuple_of_argnames_compared_with_a_status_in_the_test() -> None:
    check(
        """
import pytest

@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ⟦200⟧),
        ("/admin", ⟦403⟧),
    ],
)
def test_pages(client, path, expected):
    assert client.get(path).status_code == expected

@pytest.mark.parametrize(["width", "expected"], [(120, 240), (480, 960)])
def test_resize(width, expected):
    assert resize(width) == expected
"""
    )


# --- 4. membership ---------------------------------------------------------------------------------


def test_membership_in_collections_named_for_statuses() -> None:
    check(
        """
import httpx

def test_sets():
    assert ⟦503⟧ in TRANSIENT_STATUSES
    assert ⟦404⟧ not in RETRYABLE_ERROR_CODES
    assert ⟦101⟧ in codes
    assert 128 in sizes
    assert 250 in COLOR_CODES
"""
    )
    check("import smtplib\nassert 250 in codes\nassert 550 in ERROR_CODES\n")


# --- 6. raw status lines ---------------------------------------------------------------------------


def test_raw_http_status_lines_in_bytes_and_strings() -> None:
    check(
        """
import socket

def reply(conn):
    conn.sendall(b"HTTP/1.1 ⟦200⟧ OK\\r\\nContent-Length: 2\\r\\n\\r\\nok")
    conn.sendall(b"HTTP/1.1 ⟦503⟧ Service Unavailable\\r\\nRetry-After: 120\\r\\n\\r\\n")

def test_head(head):
    assert head.startswith(b"HTTP/1.0 ⟦200⟧")
    assert parse("HTTP/2 ⟦404⟧ Not Found")
    assert "The server replied HTTP/1.1 500 to us"
    assert "HTTP/1.1 2000"
"""
    )
    roles = {o.text: o.role for o in detect_python('sock.sendall(b"HTTP/1.1 204 \\r\\n")\nok = "HTTP/1.1 201"\n').occurrences}
    assert roles == {"204": Role.SENDS, "201": Role.READS}


def test_the_code_after_an_http_version_in_a_tuple_or_call() -> None:
    check(
        """
def test_parse():
    assert parse("HTTP/1.1 ⟦404⟧ Not Found") == ("HTTP/1.1", ⟦404⟧, "Not Found")
    line = ResponseStartLine("HTTP/1.0", ⟦302⟧, "Found")
    pair = ("HTTP/1.1", 8080)
    other = ("SMTP", 250, "OK")
"""
    )


def test_smtp_replies_stay_silent() -> None:
    check('import smtplib\nstatus = "250 OK"\nconn.sendall(b"250 2.0.0 Ok\\r\\n")\n')


# --- 7. sanic's positional status ------------------------------------------------------------------


def test_sanic_response_helpers_take_the_status_second() -> None:
    check(
        """
from sanic import Sanic, response

async def add(request):
    if not request.json:
        return response.json({"error": "empty"}, ⟦400⟧)
    return response.text("created", ⟦201⟧)
"""
    )
    check("import json\nfrom flask import Flask\n\nbody = json.dumps({'a': 1}, 400)\nreply = text('x', 404)\n")
