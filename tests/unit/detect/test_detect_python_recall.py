"""The Python detector on the shapes issue 12 found missed in real code: lists of codes under names
that say "codes", comparisons on a bare ``code``, ``range()`` bounds, data rows unpacked into a
status name, defaults, status-line strings and a library's relative imports. Each shape has its
precision traps beside it: SMTP and FTP replies, exit codes, errno values, ports, sizes, pixels.

Snippets use the markers of test_detect_python: ``⟦404⟧`` a literal that must be found,
``⟪NOT_FOUND=404⟫`` a library name; every unmarked number must stay silent.
"""

from __future__ import annotations

import pytest

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.imports import resolve_relative
from http_status_ls.detect.python.reader import detect_python
from http_status_ls.detect.python.vocabulary import codes_name, loose_status_name
from tests.unit.detect.test_detect_python import check


def roles(text: str) -> dict[str, Role]:
    """The role of each literal found, by its text (one occurrence per text in these snippets)."""
    return {o.text: o.role for o in detect_python(text).occurrences}


# --- 3. lists of codes under names that say "codes" ------------------------------------------------


def test_codes_lists_under_http_names_count_anywhere() -> None:
    check(
        """
BOT_NAME = "shelf"
RETRY_HTTP_CODES = [⟦500⟧, ⟦502⟧, ⟦503⟧, ⟦429⟧]
HTTPERROR_ALLOWED_CODES = [⟦404⟧]
custom_settings = {"HTTPERROR_ALLOWED_CODES": (⟦402⟧,), "DOWNLOAD_DELAY": 250}
"""
    )


def test_codes_lists_under_other_names_count_in_http_code() -> None:
    check(
        """
import requests

RETRYABLE_ERROR_CODES = (⟦500⟧, ⟦503⟧)
ALLOWED_CODES = {⟦200⟧, ⟦204⟧}
COLOR_CODES = [196, 118, 204]
AVATAR_SIZES = [128, 256]
REPLY_OK = 250
"""
    )


def test_codes_lists_are_read() -> None:
    assert roles("import requests\nRETRYABLE_ERROR_CODES = (500, 503)\n") == {"500": Role.READS, "503": Role.READS}


@pytest.mark.parametrize(
    "text",
    [
        "import smtplib\nimport requests\nRETRYABLE_ERROR_CODES = (421, 450, 451)\n",  # mail replies
        "RETRYABLE_ERROR_CODES = (500, 503)\n",  # nothing says HTTP
        "import requests\nERROR_CODES = 404\n",  # one value is not a list of codes
        "from PIL import Image\nTILE_CODES = [100, 200, 300]\n",
    ],
)
def test_codes_lists_outside_http_stay_silent(text: str) -> None:
    assert detect_python(text).occurrences == ()


def test_codes_names() -> None:
    assert codes_name("RETRY_HTTP_CODES") is True
    assert codes_name("retryable_error_codes") is False
    assert codes_name("COLOR_CODES") is None
    assert codes_name("codes") is None


# --- 4. comparisons on code, status_i, http_status.value ---------------------------------------------


def test_loose_names_compared_in_http_code() -> None:
    check(
        """
from aiohttp import web

def classify(code):
    if ⟦200⟧ <= code < ⟦300⟧:
        return "success"
    if code == ⟦304⟧:
        return "cached"
    if code in (⟦429⟧, ⟦503⟧):
        return "retry"

def page(request, status_i, http_status):
    if status_i == ⟦404⟧ or http_status.value >= ⟦500⟧:
        return web.Response(status=status_i)
"""
    )


def test_class_edges_of_a_loose_range_check_are_bounds() -> None:
    found = roles("import requests\ndef ok(code):\n    return 200 <= code < 300 or code == 304\n")
    assert found == {"200": Role.BOUND, "300": Role.BOUND, "304": Role.READS}


@pytest.mark.parametrize(
    "text",
    [
        # an SMTP client: reply codes
        "import smtplib\nimport requests\ndef send():\n    code, reply = smtp.ehlo()\n    assert code == 250\n    if 200 <= code < 300: pass\n",
        # nothing says HTTP
        "def tick(player, code):\n    if code == 404:\n        player.respawn()\n",
        # an exit code in an HTTP service's script
        "import requests, subprocess\ndef deploy():\n    code = subprocess.call(['make'])\n    if code == 130:\n        return\n",
        # an errno value
        "import requests, errno\ndef connect(sock):\n    code = sock.connect_ex(('h', 80))\n    return code == 111\n",
        # an exit status after sys.exit
        "import requests, sys\ndef main():\n    code = run()\n    if code == 200:\n        sys.exit(code)\n",
        # .value of something that is not a status
        "import requests\ndef f(pixel):\n    return pixel.value > 200\n",
    ],
)
def test_loose_names_elsewhere_stay_silent(text: str) -> None:
    assert detect_python(text).occurrences == ()


def test_loose_names() -> None:
    assert loose_status_name("code") and loose_status_name("status_i") and loose_status_name("http_code")
    assert not loose_status_name("exit_code") and not loose_status_name("zip_code")


# --- 5. range() bounds in a trusted spot -------------------------------------------------------------


def test_range_bounds_in_status_spots() -> None:
    check(
        """
import requests
from urllib3.util.retry import Retry

retry = Retry(total=3, status_forcelist=range(⟦500⟧, ⟦600⟧))
for status in range(⟦400⟧, ⟦600⟧):
    assert requests.codes.⟪teapot=418⟫ != status
def sweep():
    for code in range(⟦100⟧, ⟦200⟧):
        yield code
"""
    )


def test_a_range_stop_is_a_class_edge() -> None:
    found = detect_python("from urllib3.util.retry import Retry\nRetry(status_forcelist=range(500, 600))\n").occurrences
    assert [(o.text, o.role, o.confident) for o in found] == [("500", Role.READS, True), ("600", Role.BOUND, False)]


@pytest.mark.parametrize(
    "text",
    [
        "for value in range(100, 200):\n    pixels[value] = 0\n",
        "import smtplib\nfor code in range(400, 600):\n    pass\n",
        "import requests\nfor size in range(100, 300):\n    probe(size)\n",
        "import requests\nRetry(status_forcelist=range(500))\n",  # one argument: a count, not a span
        "import requests\nchunks = range(500, 600)\n",
    ],
)
def test_ranges_elsewhere_stay_silent(text: str) -> None:
    assert detect_python(text).occurrences == ()


# --- 6. data rows unpacked into a status name -------------------------------------------------------


def test_rows_unpacked_into_status_names() -> None:
    check(
        """
import pytest

@pytest.mark.parametrize("status", [⟦200⟧, ⟦201⟧, ⟦204⟧])
def test_ok(status): ...

@pytest.mark.parametrize("path, status_code", [("/", ⟦200⟧), ("/admin", ⟦403⟧)])
def test_paths(path, status_code): ...

@pytest.mark.parametrize("limit, size", [(100, 200), (300, 400)])
def test_sizes(limit, size): ...

def test_table():
    for status, ok in [(⟦200⟧, True), (⟦404⟧, False)]:
        assert ok
    for status in (⟦500⟧, ⟦503⟧):
        assert status
    for x, y in [(100, 200), (300, 400)]:
        assert x < y
"""
    )


def test_rows_are_read() -> None:
    assert roles("for status, ok in [(200, True)]:\n    pass\n") == {"200": Role.READS}


def test_reply_tables_of_other_protocols_stay_silent() -> None:
    text = "import smtplib\nfor code, text in [(250, 'ok'), (550, 'no')]:\n    pass\n"
    assert detect_python(text).occurrences == ()


# --- 8. defaults -------------------------------------------------------------------------------------


def test_defaults() -> None:
    check(
        """
from flask import redirect

def handle(payload, settings):
    code = payload.get("status_code", ⟦200⟧)
    status = payload.get("status", ⟦500⟧)
    settings.get("code", 200)
    settings.get("timeout", 300)
    return code, status

def redirect_to(location, code: int = ⟦303⟧):
    return redirect(location, code)

def moved(location, code=⟦301⟧):
    return redirect(location, code=code)

def run(command, code=127, timeout=300):
    return command

def describe(operation_responses, sizes):
    operation_responses[⟦200⟧] = {"description": "Success"}
    sizes[200] = "small"
"""
    )


def test_defaults_roles() -> None:
    found = roles(
        'import requests\ndef f(p, operation_responses):\n    p.get("status", 500)\n    operation_responses[404] = {}\n'
    )
    assert found == {"500": Role.READS, "404": Role.SENDS}


def test_code_defaults_outside_http_stay_silent() -> None:
    text = "import smtplib\ndef reply_error(message, code: int = 550):\n    return code, message\n"
    assert detect_python(text).occurrences == ()


# --- 9. status-line strings -------------------------------------------------------------------------


def test_status_lines_compared_and_in_dicts() -> None:
    check(
        """
import requests

def test_status(resp):
    assert resp.status == "⟦301⟧ Moved Permanently"
    assert resp.headers["Content-Length"] == "120"

def handler(event, context):
    return {"statusCode": ⟦404⟧, "statusDescription": "⟦404⟧ Not Found"}
"""
    )


def test_status_line_roles() -> None:
    text = 'import requests\nassert resp.status == "201 Created"\nx = {"statusCode": 200, "statusDescription": "200 OK"}\n'
    found = [(o.text, o.role) for o in detect_python(text).occurrences]
    assert found == [("201", Role.READS), ("200", Role.SENDS), ("200", Role.SENDS)]


@pytest.mark.parametrize(
    "text",
    [
        'import smtplib\ndef check(reply):\n    assert reply.status == "250 OK"\n',
        'def handler(event):\n    return {"statusDescription": "200 OK"}\n',  # no statusCode beside it, no HTTP import
        'import requests\nassert resp.code == "200 OK"\n',
        'import requests\nscreen.addstr(0, 0, "200 OK")\n',
    ],
)
def test_status_lines_elsewhere_stay_silent(text: str) -> None:
    assert detect_python(text).occurrences == ()


# --- 10. a library's own relative imports -----------------------------------------------------------


def test_relative_imports_inside_a_library_resolve() -> None:
    check(
        """
from .web_exceptions import ⟪HTTPNotFound=404⟫
from .exceptions import NotFound
from . import status

def resolve(request):
    if request.missing:
        raise ⟪HTTPNotFound=404⟫()
    raise NotFound(status.HTTP_404_NOT_FOUND)
"""
    )


def test_resolve_relative() -> None:
    assert resolve_relative(".web_exceptions") == "aiohttp.web_exceptions"
    assert resolve_relative("..status_codes") == "requests.status_codes"
    assert resolve_relative(".exceptions") is None
    assert resolve_relative(".") is None


# --- found while extending the corpus ---------------------------------------------------------------


def test_bottle_error_handlers_and_success_code_lists() -> None:
    check(
        """
import bottle
import requests

SUCCESS_CODES = (⟦200⟧, ⟦201⟧, ⟦204⟧)

@bottle.error(⟦404⟧)
def missing(error):
    log.error(404)
    return "nothing here"
"""
    )


def test_rows_unpacked_into_status_in_a_mail_or_ftp_client_stay_silent() -> None:
    text = "import ftplib\nfor status, colour in [(200, 46), (404, 196)]:\n    pass\n"
    assert detect_python(text).occurrences == ()
    # ... while a name that can only be HTTP still counts there
    text = "import ftplib\nfor status_code, ok in [(200, True)]:\n    pass\n"
    assert [o.text for o in detect_python(text).occurrences] == ["200"]


def test_splatted_ranges_and_mocks_of_responses() -> None:
    check(
        """
from unittest import mock

import requests
from requests import Response
from urllib3.util.retry import Retry

retry = Retry(status_forcelist=[*range(⟦500⟧, ⟦600⟧), ⟦429⟧])
sizes = [*range(100, 200)]
reply = mock.create_autospec(Response, code=⟦200⟧)
error = mock.Mock(spec=requests.HTTPError, code=⟦404⟧)
timer = mock.Mock(code=200, timeout=300)
process = mock.Mock(spec=Popen, code=127)
"""
    )
