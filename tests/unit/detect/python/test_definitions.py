"""Which parameters of a file's own functions and classes take a status (issue 12, patterns 1, 2
and 7): by name, by annotation, by being handed on to a status spot, by subclassing an HTTP
exception, and the fields of records; with the parameters that must stay out (reply codes, exit
codes, ports, sizes, timeouts)."""

from __future__ import annotations

import pytest

from http_status_ls.detect.python.project_params import FileParameters, StatusParameter, summarise_python


def rows(text: str) -> set[tuple[str, int | None, str]]:
    """(callable, position, keyword) of each status parameter the text defines."""
    return {(row.callable_name, row.position, row.keyword) for row in summarise_python(text).parameters}


def row(text: str, name: str) -> StatusParameter:
    found = [p for p in summarise_python(text).parameters if p.callable_name == name]
    assert len(found) == 1, found
    return found[0]


# --- by name and annotation ------------------------------------------------------------------------


def test_status_names_and_annotations() -> None:
    text = """
from http import HTTPStatus

def error_response(message, status_code, *, headers=None):
    ...

def problem(kind, outcome: HTTPStatus):
    ...

def reply_with(payload, *, http_status=200):
    ...

def tag(label, colour):
    ...
"""
    assert rows(text) == {("error_response", 1, "status_code"), ("problem", 1, "outcome"), ("reply_with", None, "http_status")}
    assert row(text, "error_response").strong and row(text, "problem").strong


def test_a_bare_status_counts_in_http_code_or_with_an_int_annotation() -> None:
    assert rows("import requests\ndef check(resp, status):\n    ...\n") == {("check", 1, "status")}
    assert rows("def check(resp, status: int):\n    ...\n") == {("check", 1, "status")}
    assert rows("def mark(order, status):\n    order.status = status\n") == set()  # an order's state


def test_reading_names_read() -> None:
    text = "import httpx\ndef fetch(url, expected_status=200):\n    ...\n"
    assert row(text, "fetch").reads and not row(text, "fetch").strong


def test_code_counts_where_the_function_answers() -> None:
    text = """
from flask import redirect

def redirect_to(location, code):
    ...

def api_error(message, code):
    ...

def render(template, code):
    ...
"""
    assert rows(text) == {("redirect_to", 1, "code"), ("api_error", 1, "code")}


def test_a_constructor_answers_when_its_class_does() -> None:
    text = "import flask\nclass ApiError(Exception):\n    def __init__(self, code, message):\n        self.code = code\n"
    assert rows(text) == {("ApiError", 0, "code")}


# --- handed on -------------------------------------------------------------------------------------


def test_parameters_handed_on_to_a_status_spot() -> None:
    text = """
from flask import Response, abort, jsonify

def deny(why, n):
    abort(n)

def answer(payload, outcome):
    return jsonify(payload), outcome

def plain(body, s):
    return Response(body, status=s)

def pair(a, b):
    return a, b

class Checks:
    def _assert_got(self, expected, resp):
        self.assertEqual(resp.status_code, expected)

    def via_helper(self, resp, wanted):
        self._assert_got(wanted, resp)
"""
    assert rows(text) == {
        ("deny", 1, "n"),
        ("answer", 1, "outcome"),
        ("plain", 1, "s"),
        ("_assert_got", 0, "expected"),
        ("via_helper", 1, "wanted"),
    }
    assert row(text, "_assert_got").reads and row(text, "_assert_got").method
    assert not row(text, "deny").reads


def test_handing_on_outside_http_code_needs_a_strong_spot() -> None:
    assert rows("def keep(job, value):\n    job.status = value\n") == set()
    assert rows("def send(conn, n):\n    conn.send_error(n)\n") == {("send", 1, "n")}


# --- classes ---------------------------------------------------------------------------------------


def test_classes_take_their_constructor_or_their_http_base() -> None:
    text = """
from starlette.exceptions import HTTPException
from tornado.web import HTTPError

class ShelfError(HTTPException):
    pass

class Gone(ShelfError):
    pass

class Timeout(HTTPError):
    def __init__(self, upstream):
        super().__init__(504, "timed out: %s", upstream)

class Declined(HTTPException):
    def __init__(self, provider, status_code=402):
        super().__init__(status_code, provider)

class Local(Exception):
    pass
"""
    summary = summarise_python(text)
    assert rows(text) == {("ShelfError", 0, ""), ("Gone", 0, ""), ("Declined", 1, "status_code")}
    assert set(summary.http_errors) == {"ShelfError", "Gone", "Timeout", "Declined"}


def test_sanic_style_base_takes_the_status_second() -> None:
    assert rows("from sanic.exceptions import SanicException\nclass Locked(SanicException):\n    pass\n") == {("Locked", 1, "")}


def test_records_take_their_fields() -> None:
    text = """
from collections import namedtuple
from dataclasses import dataclass
from typing import ClassVar, NamedTuple

import requests

Hit = namedtuple("Hit", "method path client status_code")
Miss = namedtuple("Miss", ["path", "status"])

@dataclass(frozen=True)
class Outcome:
    kinds: ClassVar[tuple] = ()
    body: dict
    status: int

class Probe(NamedTuple):
    url: str
    http_status: int
    port: int = 443
"""
    assert rows(text) == {("Hit", 3, "status_code"), ("Miss", 1, "status"), ("Outcome", 1, "status"), ("Probe", 1, "http_status")}


def test_a_base_in_another_file_is_recorded() -> None:
    summary = summarise_python(
        "from .errors import ApiError\nclass NotFound(ApiError):\n    pass\nclass Plain(Exception):\n    pass\n"
    )
    assert summary.inherits == (("NotFound", "ApiError"),)
    assert summary.parameters == ()


def test_methods_and_their_kinds() -> None:
    text = """
import requests

class Client:
    def expect(self, resp, status_code):
        ...

    @staticmethod
    def check(resp, status_code):
        ...

    @classmethod
    def build(cls, status_code):
        ...

    @property
    def status_code(self):
        ...
"""
    assert rows(text) == {("expect", 1, "status_code"), ("check", 1, "status_code"), ("build", 0, "status_code")}
    assert all(p.method for p in summarise_python(text).parameters)


# --- what stays out --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # A mail server's replies and status lines.
        "import smtplib\ndef reply(conn, code, text):\n    conn.push(f'{code} {text}')\n"
        "def send_status(conn, status, text):\n    conn.push(f'{status} {text}')\n",
        # Exit codes and errno values, in HTTP code too.
        "import requests, sys\ndef fail(message, code):\n    sys.exit(code)\n",
        "import requests, subprocess\ndef run_ok(args, code):\n    return subprocess.run(args).returncode == code\n",
        # Ports, sizes, timeouts, pixels.
        "import requests\ndef listen(host, port=8080, backlog=128):\n    ...\ndef fetch(url, timeout=300):\n    ...\n"
        "def resize(image, width, height):\n    return image.resize((width, height))\n",
        # A game's code, a record of pixels.
        "from dataclasses import dataclass\n@dataclass\nclass Tile:\n    code: int\n    width: int\n",
        # A relay's own error class.
        "import smtplib\nclass RelayError(Exception):\n    def __init__(self, code, message):\n        self.code = code\n",
    ],
)
def test_other_numbers_stay_out(text: str) -> None:
    assert summarise_python(text) == FileParameters()


def test_summaries_are_equal_for_equal_definitions() -> None:
    one = summarise_python("import flask\ndef error(status_code):\n    ...\n")
    two = summarise_python("import flask\n\n\ndef error(status_code):\n    return None\n")
    assert one == two and hash(one) == hash(two)


def test_a_big_class_is_read_member_by_member() -> None:
    filler = "".join(f"    def helper_{i}(self, value):\n        return value + {i}\n\n" for i in range(600))
    text = f"import requests\n\nclass Client:\n{filler}    def expect(self, resp, status_code):\n        ...\n"
    assert len(text) > 16_384
    assert rows(text) == {("expect", 1, "status_code")}
    edited = text.replace("def expect(self, resp, status_code)", "def expect(self, resp, wanted_status)")
    assert rows(edited) == {("expect", 1, "wanted_status")}


def test_editing_a_body_changes_what_it_hands_on() -> None:
    text = "from flask import abort\n\ndef deny(reason, n):\n    log(reason, n)\n"
    assert rows(text) == set()
    assert rows(text.replace("log(reason, n)", "abort(n)")) == {("deny", 1, "n")}
    assert rows(text) == set()  # and back: nothing kept from the other version
