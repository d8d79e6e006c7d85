"""The shortcuts on the Python detector's hot paths answer exactly what the plain computations do:
the cached name words, namespace spellings and protocol checks, the ASCII column shortcut, and the
reordered pre-check of the handler rules."""

from __future__ import annotations

import re

import pytest

from http_status_ls.detect.python import routes_rules
from http_status_ls.detect.python.imports import leads_to_library, namespace_spellings
from http_status_ls.detect.python.protocols import speaks_http, speaks_other_protocol
from http_status_ls.detect.python.reader import detect_python
from http_status_ls.detect.python.vocabulary import words
from http_status_ls.kb import libraries

_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_GLUED = {"statuscode": ["status", "code"], "statuscodes": ["status", "codes"], "httpstatus": ["http", "status"]}


def _plain_words(name: str) -> list[str]:
    """The words of a name by the pattern alone, with no shortcut and no cache."""
    found: list[str] = []
    for part in name.split("_"):
        for word in _CAMEL.findall(part):
            found += _GLUED.get(word.lower(), [word.lower()])
    return found


NAMES = [
    "status_code",
    "statusCode",
    "HTTPStatus",
    "httpstatus",
    "retry_statuses",
    "http2_status",
    "abc123def",
    "__init__",
    "",
    "_",
    "ÄbcDef",
    "über_code",
    "STATUS_CODES",
    "x9y_z",
    "getHTTPResponseCode",
]


@pytest.mark.parametrize("name", NAMES)
def test_words_match_the_pattern(name: str) -> None:
    assert words(name) == _plain_words(name)


def test_words_hands_out_a_fresh_list() -> None:
    first = words("status_code")
    first.append("spoiled")
    assert words("status_code") == ["status", "code"]


def _plain_spellings(bindings: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for local, path in bindings.items():
        for library_path, library in libraries.BY_PATH.items():
            if library_path == path:
                found.append((local, library.name))
            elif library_path.startswith(path + "."):
                found.append((local + library_path[len(path) :], library.name))
    return found


def test_namespace_spellings_match_a_plain_walk_of_the_libraries() -> None:
    bindings = {"requests": "requests", "S": "http.HTTPStatus", "st": "starlette.status", "os": "os", "falcon": "falcon"}
    spelled = [(text, library.name) for text, library in namespace_spellings(bindings)]
    assert spelled == _plain_spellings(bindings)
    assert ("S", "http.HTTPStatus") in spelled
    assert ("requests.codes", "requests.codes") in spelled
    # asked twice (the second answer comes from the cache): the same
    assert [(text, library.name) for text, library in namespace_spellings(bindings)] == spelled


def test_leads_to_library_answers_alike_when_asked_again() -> None:
    for _ in range(2):
        assert leads_to_library("requests")
        assert leads_to_library("http.HTTPStatus")
        assert not leads_to_library("os.path")


@pytest.mark.parametrize(
    ("modules", "http", "other"),
    [
        (("flask",), True, False),
        (("flask", "smtplib"), False, True),
        (("http.server",), True, False),
        (("os", "json"), False, False),
        (("aiosmtpd.controller", "requests"), False, True),
    ],
)
def test_protocol_checks(modules: tuple[str, ...], http: bool, other: bool) -> None:
    for _ in range(2):  # the second time from the cache
        assert speaks_http(modules) is http
        assert speaks_other_protocol(modules) is other


def test_columns_count_code_points_after_a_non_ascii_character() -> None:
    text = 'from flask import abort\nlabel = "é"; abort(404)\n'
    (found,) = [o for o in detect_python(text).occurrences if o.code == 404]
    line = text.splitlines()[1]
    assert (found.span.start_line, found.span.start_col) == (1, line.index("404"))


def test_columns_in_an_ascii_text() -> None:
    text = "from flask import abort\n\n\ndef view():\n    abort(410)\n"
    (found,) = [o for o in detect_python(text).occurrences if o.code == 410]
    assert (found.span.start_line, found.span.start_col, found.span.end_col) == (4, 10, 13)


def _plain_may_fire(text: str) -> bool:
    """The pre-check as one expression over every signal, in no particular order."""
    detection = detect_python(text)
    return (
        re.search(r"except\b", text) is not None
        or re.search(r"0[xXoObB]|[0-9]_[0-9]", text) is not None
        or next(routes_rules._candidate_literals(text), None) is not None
        or any(o.code in routes_rules._CANDIDATES for o in detection.occurrences)
        or any(name in text for name in routes_rules._CANDIDATE_NAMES)
    )


FLASK = "from flask import abort, jsonify, redirect\n"


@pytest.mark.parametrize(
    ("body", "fires"),
    [
        ("def f():\n    return jsonify(), 200\n", False),
        ("def f():\n    return '', 204\n", True),
        ("def f():\n    return '', 0xCC\n", True),
        ("LIMIT = 1_000\n", True),
        ("def f():\n    try:\n        g()\n    except KeyError:\n        abort(404)\n", True),
        ("def f():\n    return redirect('/x')\n", False),
        ("from http import HTTPStatus\n\ndef f():\n    return '', HTTPStatus.NO_CONTENT\n", True),
    ],
)
def test_the_pre_check_answers_as_every_signal_together(body: str, fires: bool) -> None:
    text = FLASK + body
    assert routes_rules.may_fire(text, detect_python(text)) is fires
    assert _plain_may_fire(text) is fires
