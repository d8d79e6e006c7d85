"""The Python detector: which numbers and names count as status codes, and exactly where they are.

Most cases are written as snippets with markers: ``⟦404⟧`` marks a literal the detector must find,
``⟪NOT_FOUND=404⟫`` a library name and the code it means (``=?`` for an unknown member). The markers
are removed before detection and every snippet must yield exactly the marked tokens, so each one
tests the negatives around it too.
"""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from http_status_ls.core.occurrences import Kind, Role, Span
from http_status_ls.detect.python.cursor import namespace_before, status_literal_context
from http_status_ls.detect.python.reader import detect_python
from http_status_ls.detect.python.vocabulary import is_status_name, keyword_status, positional_status

_MARK = re.compile(r"⟦(?P<literal>[^⟧]+)⟧|⟪(?P<name>[^=⟫]+)=(?P<code>\d+|\?)⟫")


def unmark(marked: str) -> tuple[str, list[tuple[int, int, int, int | None, Kind, str]]]:
    """The plain text and the expected (line, start col, end col, code, kind, text) of each marker;
    columns are code points, computed on the plain text."""
    expected = []
    lines = []
    for line_number, line in enumerate(marked.split("\n")):
        plain = ""
        last = 0
        for match in _MARK.finditer(line):
            plain += line[last : match.start()]
            if match["literal"] is not None:
                token = match["literal"]
                code = int(token.strip("'\""))
                expected.append((line_number, len(plain), len(plain) + len(token), code, Kind.LITERAL, token))
            else:
                token = match["name"]
                code = None if match["code"] == "?" else int(match["code"])
                expected.append((line_number, len(plain), len(plain) + len(token), code, Kind.NAME, token))
            plain += token
            last = match.end()
        plain += line[last:]
        lines.append(plain)
    return "\n".join(lines), expected


def found(text: str) -> list[tuple[int, int, int, int | None, Kind, str]]:
    detection = detect_python(text)
    for occurrence in detection.occurrences:
        assert occurrence.span.start_line == occurrence.span.end_line
    return [(o.span.start_line, o.span.start_col, o.span.end_col, o.code, o.kind, o.text) for o in detection.occurrences]


def check(marked: str) -> None:
    text, expected = unmark(marked)
    assert found(text) == expected


# --- frameworks: positives with their negatives around them ------------------------------------

FRAMEWORKS = {
    "flask": """
from flask import Flask, abort, jsonify, make_response, redirect

app = Flask(__name__)
PAGE_SIZE = 200

@app.errorhandler(⟦404⟧)
def not_found(error):
    return jsonify(error=str(error)), ⟦404⟧

@app.route("/items/<int:item_id>")
def item(item_id):
    if item_id > 999:
        abort(⟦404⟧)
    if item_id == 403:
        abort(⟦403⟧, description="forbidden")
    items = load()[:200]
    return {"items": items}, ⟦200⟧, {"X-Total": len(items)}

@app.route("/old")
def old():
    return redirect("/new", ⟦301⟧)

@app.route("/older")
def older():
    return redirect("/new", code=⟦308⟧)

@app.route("/made")
def made():
    response = make_response(jsonify(ok=True), ⟦201⟧)
    response.status_code = ⟦202⟧
    return response

app.register_error_handler(⟦500⟧, handle_server_error)
app.run(port=5000, threaded=True)
""",
    "fastapi": """
from fastapi import FastAPI, HTTPException, status
from fastapi.responses import JSONResponse

app = FastAPI()

@app.post("/items", status_code=⟦201⟧, responses={⟦409⟧: {"description": "exists"}, ⟦'422'⟧: {}})
async def create(item: Item, limit: int = Query(100, le=500)):
    if exists(item):
        raise HTTPException(status_code=⟦409⟧, detail="exists")
    if not item.name:
        raise HTTPException(⟦422⟧, "name required")
    return JSONResponse({"id": 1}, ⟦201⟧)

@app.get("/items/{item_id}", status_code=status.⟪HTTP_200_OK=200⟫)
async def read(item_id: int = Path(..., gt=0, lt=1000)):
    raise HTTPException(status_code=status.⟪HTTP_404_NOT_FOUND=404⟫)

@app.exception_handler(⟦404⟧)
async def custom_404(request, exc):
    return JSONResponse(status_code=⟦404⟧, content={"detail": "missing"})
""",
    "starlette": """
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
import starlette.status

async def homepage(request):
    if request.method == "HEAD":
        return Response(status_code=starlette.status.⟪HTTP_204_NO_CONTENT=204⟫)
    if request.query_params.get("old"):
        return RedirectResponse("/new", status_code=⟦301⟧)
    return PlainTextResponse("teapot", ⟦418⟧, headers={"X-Max-Age": "300"})
""",
    "django": """
from django.http import HttpResponse, ⟪HttpResponseNotFound=404⟫, JsonResponse
from django import http

def detail(request, pk):
    if pk > 100:
        return ⟪HttpResponseNotFound=404⟫("no")
    if pk == 7:
        return http.⟪HttpResponseForbidden=403⟫()
    response = HttpResponse("created", status=⟦201⟧)
    response["Cache-Control"] = "max-age=300"
    return JsonResponse({"id": pk}, status=⟦200⟧)

class Paginated:
    paginate_by = 100
    max_length = 255
""",
    "django-import-by-name": """
from django.http import ⟪HttpResponseNotFound=404⟫ as NotThere
import django.http

def view(request):
    if request.user.is_anonymous:
        return django.http.⟪HttpResponseRedirect=302⟫("/login")
    return ⟪NotThere=404⟫()
""",
    "drf": """
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

class ServiceUnavailable(APIException):
    status_code = ⟦503⟧
    default_code = "service_unavailable"

def create(request):
    serializer = Serializer(data=request.data, max_length=255)
    if not serializer.is_valid():
        return Response(serializer.errors, status=status.⟪HTTP_400_BAD_REQUEST=400⟫)
    return Response(serializer.data, ⟦201⟧)
""",
    "aiohttp": """
from aiohttp import web
import aiohttp

async def handle(request):
    if "id" not in request.match_info:
        raise web.⟪HTTPNotFound=404⟫()
    if request.content_length > 1024:
        raise aiohttp.web.⟪HTTPRequestEntityTooLarge=413⟫(max_size=1024, actual_size=2048)
    await asyncio.sleep(0.5)
    return web.json_response({"ok": True}, status=⟦202⟧)

async def text(request):
    return web.Response(text="hi", status=⟦200⟧)

async def fetch(session):
    async with session.get(url, timeout=300) as resp:
        if resp.status != ⟦200⟧:
            raise web.⟪HTTPBadGateway=502⟫()
""",
    "aiohttp-by-name": """
from aiohttp.web import ⟪HTTPNotFound=404⟫, Response
from aiohttp.web_exceptions import ⟪HTTPForbidden=403⟫

def guard(user):
    if not user:
        raise ⟪HTTPForbidden=403⟫()
    raise ⟪HTTPNotFound=404⟫(text="none")
""",
    "requests-client": """
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

retry = Retry(total=5, backoff_factor=0.3, status=3, status_forcelist=[⟦429⟧, ⟦500⟧, ⟦502⟧, ⟦503⟧])
session = requests.Session()
session.mount("https://", HTTPAdapter(max_retries=retry, pool_maxsize=100))

def fetch(url):
    response = session.get(url, timeout=300)
    if response.status_code == requests.codes.⟪ok=200⟫:
        return response.json()
    if response.status_code in (⟦301⟧, ⟦302⟧):
        return fetch(response.headers["Location"])
    if response.status_code >= ⟦500⟧:
        raise RuntimeError(response.text[:200])
    if response.status_code == requests.codes['⟪teapot=418⟫']:
        return None
    return requests.codes.⟪precondition=428⟫
""",
    "requests-codes-import": """
from requests.status_codes import codes
from requests import codes as rc

if r.status_code not in {codes.⟪not_found=404⟫, codes["⟪gone=410⟫"], rc.⟪TEAPOT=418⟫}:
    pass
""",
    "httpx": """
import httpx
from httpx import codes

async def call(client: httpx.AsyncClient):
    r = await client.get("/", timeout=30.0)
    if r.status_code == httpx.codes.⟪NOT_FOUND=404⟫ or r.status_code == codes.⟪not_found=404⟫:
        return None
    assert r.status_code == ⟦200⟧, r.text
    return httpx.Response(⟦204⟧)
""",
    "tornado": """
import tornado.web
from tornado.web import HTTPError

class Handler(tornado.web.RequestHandler):
    def get(self, slug):
        if not slug:
            raise HTTPError(⟦404⟧, "no slug")
        if len(slug) > 200:
            raise tornado.web.HTTPError(status_code=⟦414⟧)
        self.set_status(⟦201⟧)
        self.set_header("Cache-Control", "max-age=600")
        self.write({"status": "ok"})
""",
    "http.server": """
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/missing":
            self.send_error(⟦404⟧, "Not Found")
            return
        if self.path == "/enum":
            self.send_error(HTTPStatus.⟪NOT_FOUND=404⟫)
            return
        self.send_response(⟦200⟧)
        self.send_header("Content-Length", "512")
        self.end_headers()

HTTPServer(("", 8080), Handler).serve_forever(poll_interval=0.5)
""",
    "urllib": """
import http.client
import urllib.request
from urllib.error import HTTPError

def get(url):
    try:
        with urllib.request.urlopen(url, timeout=300) as resp:
            if resp.getcode() == ⟦200⟧ and resp.status == http.client.⟪OK=200⟫:
                return resp.read(4096)
    except HTTPError as error:
        if error.code == ⟦404⟧:
            return None
        raise HTTPError(url, ⟦502⟧, "bad gateway", error.headers, None)
""",
    "pytest": """
import pytest

def test_create(client):
    resp = client.post("/items", json={"name": "x" * 200})
    assert resp.status_code == ⟦201⟧
    assert ⟦201⟧ == resp.status_code
    assert resp.status_code not in [⟦500⟧, ⟦502⟧]
    assert ⟦200⟧ <= resp.status_code < ⟦300⟧
    assert len(resp.json()["items"]) == 200
    assert resp.json()["count"] == 100

@pytest.mark.parametrize("status", [⟦200⟧, ⟦404⟧])
def test_statuses(client, status):
    assert client.get(f"/s/{status}").status_code == status
""",
    "unittest": """
class Tests(TestCase):
    def test_get(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, ⟦200⟧)
        self.assertEqual(⟦404⟧, other.status_code)
        self.assertIn(response.status_code, (⟦301⟧, ⟦302⟧))
        self.assertEqual(len(response.content), 512)
        self.assertRedirects(response, "/x", status_code=⟦302⟧, target_status_code=⟦200⟧)
""",
    "aws-lambda": """
import json

def handler(event, context):
    if "body" not in event:
        return {"statusCode": ⟦400⟧, "body": json.dumps({"error": "no body"})}
    response = {"statusCode": ⟦200⟧, "headers": {"Content-Type": "application/json"}, "ttl": 300}
    return response

def test_handler():
    assert handler({}, None)["statusCode"] == ⟦400⟧
""",
    "werkzeug": """
from werkzeug.exceptions import ⟪NotFound=404⟫, HTTPException
from werkzeug import exceptions

class NotImplementedHere(Exception):
    pass

def view():
    if missing:
        raise ⟪NotFound=404⟫()
    raise exceptions.⟪Conflict=409⟫(description="again")
""",
    "wsgi": """
def app(environ, start_response):
    status = "⟦200⟧ OK"
    start_response("⟦404⟧ Not Found", [("Content-Type", "text/plain")])
    return [b"200 OK"]
""",
    "assignments": """
status = ⟦404⟧
x = 404
STATUS_CODE = ⟦418⟧
status_code: int = ⟦200⟧
status_codes = [⟦500⟧, ⟦502⟧]
RETRY_STATUSES = {⟦502⟧, ⟦503⟧}
ALLOWED_STATUS = frozenset([⟦200⟧, ⟦204⟧])
self.status = ⟦201⟧
response["status"] = ⟦202⟧
exit_status = 127
status_message = 200
count += 200
status_code = 0
job.status = 1
""",
    "dict-entries": """
payload = {"status": ⟦404⟧, "message": "missing", "code": 404}
error = dict(status=⟦500⟧, retries=3)
nested = {"http_status": ⟦503⟧, "httpStatus": ⟦504⟧, "status_code": ⟦429⟧, "limit": 100}
""",
    "match-and-defaults": """
def classify(resp, expected_status=⟦200⟧, *, status_code: int = ⟦204⟧, timeout=300):
    match resp.status_code:
        case ⟦200⟧ | ⟦201⟧:
            return "ok"
        case ⟦404⟧:
            return "missing"
    match value:
        case 404:
            return "number"
""",
    "decorators-and-docs": """
from flask_restx import Namespace
from drf_spectacular.utils import extend_schema

ns = Namespace("items")

@ns.response(⟦404⟧, "Item not found")
@ns.doc(responses={⟦403⟧: "Not authorized"})
def get(self, item_id):
    pass

@extend_schema(responses={⟦200⟧: ItemSerializer, ⟦'400'⟧: None, "4XX": None})
def create(request):
    pass

ITEM_RESPONSES = {⟦404⟧: {"description": "not found"}}
handlers = {404: not_found}
response(404)
""",
    "conditional-and-parens": """
status_code = ⟦200⟧ if ok else ⟦503⟧
abort((⟦404⟧))
status = ⟦500⟧ if 200 > limit else ⟦400⟧
return_code = 404
""",
    "out-of-range-in-strong-positions": """
abort(⟦600⟧)
resp = Response(status_code=⟦20⟧)
status = 20
payload = {"status": 42}
order.status = ⟦700⟧  # weak spot, in 100-999: reported, not confident
""",
}


@pytest.mark.parametrize("marked", FRAMEWORKS.values(), ids=FRAMEWORKS.keys())
def test_framework_snippets(marked: str) -> None:
    check(marked)


# --- negatives: nothing at all -----------------------------------------------------------------

NOT_STATUS = [
    "requests.get(url, timeout=300)",
    "for i in range(200):\n    pass",
    "server.bind(host, port=443)",
    "page = items[:200]",
    "items[100]",
    "name = models.CharField(max_length=255)",
    "deployment = Deployment(replicas=100)",
    "time.sleep(500)",
    "x = 404",
    "total = n * 200",
    "if len(x) == 200:\n    pass",
    "Retry(total=3, status=3, connect=5)",
    "status_message = 'HTTP 404'",
    "print('404 Not Found')",
    "# abort(404)",
    "assert count == 200",
    "job.status == 1",
    "exit_status = 404",
    "w = WebSocketException(code=1008)",
    "websocket.close(code=1000)",
    "raise ValueError(404)",
    "y = 0x194",
    "z = 404.0",
    "call(404)",
    "obj.code = 404",
    "return 404",
    "return 1, 404",
    "return a, b, c, 404",
    "return ('TERM', 100)",
    "return body, 600",
    "status = None",
    "f'{404}'",
    "settings = {'status': 'active', 'max_age': 600}",
    "value = cache.get(key, 200)",
    "error_code = 500",
    "codes = [200, 404]",
    "HTTPStatus.NOT_FOUND",
    "status.HTTP_404_NOT_FOUND",
    "class NotFound(Exception):\n    pass\nraise NotFound()",
    "codes['teapot']",
    "requests.codes.ok",
]


@pytest.mark.parametrize("text", NOT_STATUS)
def test_not_a_status(text: str) -> None:
    assert found(text) == []


# --- names through imports ----------------------------------------------------------------------


def test_alias_of_httpstatus() -> None:
    check("from http import HTTPStatus as S\nabort(S.⟪NOT_FOUND=404⟫)\nx = HTTPStatus.NOT_FOUND\n")


def test_unknown_attribute_of_known_namespace() -> None:
    text = "from http import HTTPStatus\nraise HTTPException(HTTPStatus.NOT_FUND)\n"
    (occurrence,) = detect_python(text).occurrences
    assert occurrence.kind is Kind.NAME
    assert occurrence.code is None and occurrence.name is None
    assert occurrence.context == "http.HTTPStatus"
    assert occurrence.text == "NOT_FUND"
    assert occurrence.span == Span(1, 31, 1, 39)


def test_module_members_that_are_not_codes_are_not_typos() -> None:
    text = (
        "import http.client\nfrom aiohttp import web\nfrom starlette import status\nfrom requests import codes\n"
        "c = http.client.HTTPConnection('x', http.client.HTTPS_PORT)\n"
        "app = web.Application()\nraise web.HTTPException()\n"
        "status.WS_1008_POLICY_VIOLATION\ncodes.get('ok')\n"
    )
    assert found(text) == []


def test_deprecated_starlette_name_resolves() -> None:
    text = "from starlette import status as st\nraise HTTPException(st.HTTP_422_UNPROCESSABLE_ENTITY)\n"
    (occurrence,) = detect_python(text).occurrences
    assert (occurrence.code, occurrence.text, occurrence.context) == (422, "HTTP_422_UNPROCESSABLE_ENTITY", "starlette.status")
    assert occurrence.name is not None and occurrence.name.deprecated
    assert occurrence.name.replacement == "HTTP_422_UNPROCESSABLE_CONTENT"
    assert occurrence.span == Span(1, 23, 1, 52)


def test_requests_item_access_spans_the_name_inside_the_quotes() -> None:
    text = "from requests import codes\nif r.status_code == codes['teapot']:\n    pass\n"
    (occurrence,) = detect_python(text).occurrences
    assert (occurrence.code, occurrence.text, occurrence.span) == (418, "teapot", Span(1, 27, 1, 33))
    assert occurrence.name is not None and occurrence.name.library == "requests.codes"


def test_requests_precondition_is_428() -> None:
    check("import requests\nassert r.status_code == requests.codes.⟪precondition=428⟫\n")


def test_name_imported_by_name() -> None:
    check(
        "from starlette.status import ⟪HTTP_404_NOT_FOUND=404⟫, ⟪HTTP_201_CREATED=201⟫ as CREATED\n"
        "raise HTTPException(status_code=⟪HTTP_404_NOT_FOUND=404⟫)\n"
        "return JSONResponse({}, status_code=⟪CREATED=201⟫)\n"
    )


def test_http_client_constants() -> None:
    check(
        "import http.client as hc\nfrom http import client\nfrom http.client import ⟪NOT_FOUND=404⟫\n"
        "a = hc.⟪OK=200⟫, client.⟪CREATED=201⟫, ⟪NOT_FOUND=404⟫\n"
    )


def test_import_http_reaches_both_namespaces() -> None:
    check("import http\nx = http.HTTPStatus.⟪OK=200⟫.phrase, http.client.⟪GONE=410⟫\n")


def test_star_import_of_a_status_module() -> None:
    check(
        "from rest_framework.status import *\n"
        "return Response(data, status=⟪HTTP_201_CREATED=201⟫)\n"
        "raise Problem(⟪HTTP_999_NOPE=?⟫)\n"
        "HTTP_X = 1\n"
    )


def test_codes_resolved_by_the_import_that_bound_it() -> None:
    # httpx's ``codes`` has no ``precondition``; requests' has (428).
    text = "from httpx import codes\nx = codes.precondition, codes.PRECONDITION_FAILED\n"
    occurrences = detect_python(text).occurrences
    assert [(o.text, o.code, o.context) for o in occurrences] == [
        ("precondition", None, "httpx.codes"),
        ("PRECONDITION_FAILED", 412, "httpx.codes"),
    ]


def test_a_local_class_is_not_a_library_name() -> None:
    text = "class NotFound(Exception):\n    pass\n\ndef f():\n    raise NotFound()\n"
    assert found(text) == []


def test_django_http_is_not_the_standard_library_http() -> None:
    check("from django import http\nreturn http.⟪HttpResponseGone=410⟫()\nx = http.HTTPStatus.OK\n")


def test_enum_member_attributes_keep_the_name() -> None:
    check("from http import HTTPStatus\nphrase = HTTPStatus.⟪NOT_FOUND=404⟫.phrase\nabort(HTTPStatus(⟦404⟧))\n")


def test_case_pattern_with_library_names() -> None:
    check(
        "from http import HTTPStatus\n"
        "match resp.status_code:\n"
        "    case HTTPStatus.⟪OK=200⟫ | HTTPStatus.⟪CREATED=201⟫:\n"
        "        pass\n"
    )


def test_imports_inside_functions_count() -> None:
    check("def f():\n    from http import HTTPStatus\n    return HTTPStatus.⟪ACCEPTED=202⟫\n")


def test_namespaces() -> None:
    text = (
        "from http import HTTPStatus as S\nimport http\nfrom starlette import status as st\n"
        "import requests\nimport httpx\nfrom aiohttp import web\nfrom fastapi import status\n"
        "from werkzeug import exceptions\nimport django.http\nfrom http.client import NOT_FOUND\n"
    )
    namespaces = detect_python(text).namespaces
    assert namespaces["S"] == "http.HTTPStatus"
    assert namespaces["http.HTTPStatus"] == "http.HTTPStatus"
    assert namespaces["http.client"] == "http.client"
    assert namespaces["st"] == "starlette.status"
    assert namespaces["status"] == "fastapi.status"
    assert namespaces["requests.codes"] == "requests.codes"
    assert namespaces["httpx.codes"] == "httpx.codes"
    assert namespaces["web"] == "aiohttp.web"
    assert namespaces["exceptions"] == "werkzeug.exceptions"
    assert namespaces["django.http"] == "django.http"
    assert "requests" not in namespaces and "NOT_FOUND" not in namespaces


def test_namespaces_of_codes_imports() -> None:
    assert detect_python("from requests import codes\n").namespaces == {"codes": "requests.codes"}
    assert detect_python("from httpx import codes\n").namespaces == {"codes": "httpx.codes"}
    assert detect_python("import os\nfrom . import status\n").namespaces == {}


# --- occurrence details ---------------------------------------------------------------------------


def test_contexts_and_confidence() -> None:
    text = (
        "abort(404)\n"
        "raise HTTPException(status_code=418)\n"
        "return body, 201\n"
        "assert resp.status_code == 200\n"
        "payload = {'status': 799}\n"
        "r.status in (301, 308)\n"
    )
    occurrences = detect_python(text).occurrences
    assert [(o.code, o.context, o.confident) for o in occurrences] == [
        (404, "abort()", True),
        (418, "status_code=", True),
        (201, "return (body, status)", True),
        (200, ".status_code ==", True),
        (799, '"status":', False),
        (301, ".status in", True),
        (308, ".status in", True),
    ]


def test_quoted_response_key_spans_the_quotes() -> None:
    text = "@app.get('/', responses={'404': {'description': 'x'}})\ndef f(): ...\n"
    (occurrence,) = detect_python(text).occurrences
    assert occurrence.span == Span(0, 25, 0, 30)
    assert (occurrence.text, occurrence.value, occurrence.quoted, occurrence.code) == ("'404'", "404", True, 404)


def test_columns_are_code_points_after_accents_cjk_and_emoji() -> None:
    text = 'msg = "héllo 世界 🎉"; abort(404)\nraise HTTPException(detail="ünïcödé 💥 错误", status_code=503)\n'
    assert found(text) == [
        (0, 26, 29, 404, Kind.LITERAL, "404"),  # utf-8 column 34, utf-16 column 27
        (1, 55, 58, 503, Kind.LITERAL, "503"),  # utf-8 column 66, utf-16 column 56
    ]


def test_columns_of_a_name_after_non_ascii_text() -> None:
    text = 'from http import HTTPStatus\nx = ("ça", "日本", "🙂", HTTPStatus.NOT_FOUND)\n'
    assert found(text) == [(1, 33, 42, 404, Kind.NAME, "NOT_FOUND")]


def test_identifiers_with_non_ascii_letters() -> None:
    check("statüs = 404\nstatus_código = 404\nstatus = ⟦404⟧  # ünïcode\n")


def test_occurrences_are_sorted_and_unique() -> None:
    text = "from http import HTTPStatus\nabort(HTTPStatus.NOT_FOUND); abort(404)\nstatus = 200\n"
    occurrences = detect_python(text).occurrences
    starts = [(o.span.start_line, o.span.start_col) for o in occurrences]
    assert starts == sorted(starts) and len(set(starts)) == len(starts) == 3


# --- sending versus reading (docs/contexts.md) -----------------------------------------------------

ROLES = [
    # sends or declares
    ("abort(420)", "420", Role.SENDS),
    ("return body, 420", "420", Role.SENDS),
    ("raise HTTPException(status_code=420)", "420", Role.SENDS),
    ("raise HTTPException(420)", "420", Role.SENDS),
    ("JSONResponse({}, status_code=420)", "420", Role.SENDS),
    ("Response(body, 420)", "420", Role.SENDS),
    ("redirect(url, 305)", "305", Role.SENDS),
    ("status = 420", "420", Role.SENDS),
    ("self.status_code = 420", "420", Role.SENDS),
    ("event = {'statusCode': 420}", "420", Role.SENDS),
    ("def view(status_code=420): ...", "420", Role.SENDS),
    ("@app.errorhandler(420)\ndef calm(e): ...", "420", Role.SENDS),
    ("@app.get('/', responses={420: {}})\ndef f(): ...", "420", Role.SENDS),
    ("def app(environ, start_response):\n    start_response('420 Enhance Your Calm', [])", "420", Role.SENDS),
    # reads
    ("if r.status_code in (420, 429): ...", "420", Role.READS),
    ("if r.status_code not in {420}: ...", "420", Role.READS),
    ("if r.status_code == 420: ...", "420", Role.READS),
    ("if 420 != resp.status: ...", "420", Role.READS),
    ("if r.status_code >= 420: ...", "420", Role.READS),
    ("assert resp.status_code == 420", "420", Role.READS),
    ("self.assertEqual(resp.status_code, 420)", "420", Role.READS),
    ("self.assertIn(resp.status_code, (200, 420))", "420", Role.READS),
    ("match resp.status_code:\n    case 420 | 429:\n        pass", "420", Role.READS),
    ("Retry(total=3, status_forcelist=[429, 509])", "509", Role.READS),
    ("RETRY_STATUSES = frozenset({429, 509})", "509", Role.READS),
    ("allowed_status_codes = (200, 509)", "509", Role.READS),
    ("expected_status = 420", "420", Role.READS),
    ("check(url, expected_status_code=420)", "420", Role.READS),
    ("config = {'retry_statuses': [509]}", "509", Role.READS),
    ("def probe(expected_status=420): ...", "420", Role.READS),
    # class edges
    ("if message.code > 199: ...", "199", Role.BOUND),
    ("if r.status_code >= 400: ...", "400", Role.BOUND),
    ("if r.status_code < 600: ...", "600", Role.BOUND),
    ("if 99 < r.status_code <= 299: ...", "99", Role.BOUND),
    ("if 99 < r.status_code <= 299: ...", "299", Role.BOUND),
    ("if 200 <= r.status_code: ...", "200", Role.BOUND),
]


@pytest.mark.parametrize("text, token, role", ROLES)
def test_what_the_program_does_with_the_code(text: str, token: str, role: Role) -> None:
    [occurrence] = [o for o in detect_python(text).occurrences if o.text.strip("'\"") == token or o.text == token]
    assert occurrence.role is role


def test_an_equality_with_a_class_edge_is_a_code_and_a_bound_is_never_confident() -> None:
    found_roles = {o.text: (o.role, o.confident) for o in detect_python("r.status_code == 199\nr.status <= 299\n").occurrences}
    assert found_roles == {"199": (Role.READS, True), "299": (Role.BOUND, False)}


def test_names_carry_the_role_of_their_spot() -> None:
    text = (
        "import requests\nfrom http import HTTPStatus\n"
        "abort(HTTPStatus.NOT_FOUND)\n"
        "if r.status_code == requests.codes.bandwidth_limit_exceeded: ...\n"
        "if r.status_code >= HTTPStatus.BAD_REQUEST: ...\n"
        "print(HTTPStatus.OK)\n"
    )
    names = [(o.text, o.role) for o in detect_python(text).occurrences if o.kind is Kind.NAME]
    assert names == [
        ("NOT_FOUND", Role.SENDS),
        ("bandwidth_limit_exceeded", Role.READS),
        ("BAD_REQUEST", Role.READS),  # a name is a code, never a class edge
        ("OK", Role.UNKNOWN),
    ]


STATUS_LINES = [
    pytest.param("import smtplib\n\nstatus = '250 OK'\n", False, id="smtplib"),
    pytest.param("from aiosmtpd.controller import Controller\n\nstatus = '250 OK'\n", False, id="aiosmtpd"),
    pytest.param("class SMTPChannel:\n    def reply(self):\n        self.status = '250 OK'\n", False, id="an SMTP class"),
    pytest.param("status = '250 OK'\n", False, id="nothing says HTTP"),
    pytest.param("from flask import Flask\n\nstatus = '⟦404⟧ Not Found'\n", True, id="flask"),
    pytest.param("import http.server\n\nstatus = '⟦404⟧ Not Found'\n", True, id="http.server"),
    pytest.param("import smtplib\n\nhttp_status = '⟦404⟧ Not Found'\n", True, id="the name says http"),
    pytest.param(
        "import smtplib\n\ndef app(environ, start_response):\n    status = '⟦200⟧ OK'\n    start_response(status, [])\n",
        True,
        id="a WSGI app that also sends mail",
    ),
    pytest.param("import ftplib\n\nstart_response('⟦404⟧ Not Found', [])\n", True, id="start_response is always HTTP"),
]


@pytest.mark.parametrize("marked, http", STATUS_LINES)
def test_a_status_line_counts_only_in_http_code(marked: str, http: bool) -> None:
    check(marked)
    text, expected = unmark(marked)
    assert bool(expected) is http


# --- broken code ----------------------------------------------------------------------------------


def test_unclosed_call_then_valid_code() -> None:
    marked = """from flask import abort

def f():
    abort(⟦404⟧
    x = 1
    return body, ⟦404⟧

@app.errorhandler(⟦500⟧)
def g():
    return jsonify(error="x"), ⟦500⟧
"""
    text, expected = unmark(marked)
    detection = detect_python(text)
    assert [
        (o.span.start_line, o.span.start_col, o.span.end_col, o.code, o.kind, o.text) for o in detection.occurrences
    ] == expected
    assert any("unclosed" in note for note in detection.notes)
    assert detection.tree.root_node.has_error  # the tree handed back is the real one


def test_unclosed_call_at_end_of_file() -> None:
    check("from http import HTTPStatus\nx = HTTPStatus.⟪OK=200⟫\nabort(⟦404⟧")


def test_unclosed_bracket_in_a_multiline_call() -> None:
    check(
        "def f():\n"
        "    return JSONResponse(\n"
        "        {'a': [1, 2]},  # comment (\n"
        "        status_code=⟦404⟧,\n"
        "\n"
        "def g():\n"
        "    abort(⟦403⟧)\n"
    )


def test_unclosed_list_in_retry() -> None:
    check("retry = Retry(status_forcelist=[⟦500⟧, ⟦502⟧\nsession.get(url, timeout=300)\nstatus_code = ⟦201⟧\n")


def test_unclosed_call_inside_a_method_of_a_class() -> None:
    check(
        "from http import HTTPStatus\n"
        "\n"
        "@app.errorhandler(⟦410⟧)\n"
        "def gone():\n"
        "    return 'gone', ⟦410⟧\n"
        "\n"
        "class Views:\n"
        "    status_code = ⟦200⟧\n"
        "\n"
        "    def get(self):\n"
        "        resp = make_response(body, ⟦201⟧\n"
        "        resp.status_code = HTTPStatus.⟪ACCEPTED=202⟫\n"
        "        return resp\n"
        "\n"
        "    def delete(self):\n"
        "        abort(⟦405⟧)\n"
        "\n"
        "@app.errorhandler(⟦500⟧)\n"
        "def failed():\n"
        "    return 'failed', ⟦500⟧\n"
    )


def test_other_syntax_errors_keep_the_rest() -> None:
    check("def broken(:\n    pass\nabort(⟦404⟧)\nif x\n    status = ⟦500⟧\n")


def test_unterminated_strings_do_not_confuse_the_repair() -> None:
    check("x = 'abc(\nabort(⟦404⟧)\ny = (1, '[' \nstatus_code = ⟦500⟧\n")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\n",
        "(((((",
        ")))))",
        "abort(",
        "\x00\x01\x02 abort(404 \xff",
        "x = '''never closed\nabort(404)\n",
        "status_code = 404  # \ud800 lone surrogate",
        "def f(\n" * 500,
        "x = " + "(" * 3000 + "1" + ")" * 3000,
        "abort(" + "[" * 2000 + "\nstatus_code = 404\n",
    ],
    ids=[
        "empty",
        "newlines",
        "openers",
        "closers",
        "open-call",
        "control-bytes",
        "triple-quote",
        "surrogate",
        "many-defs",
        "deep",
        "deep-unclosed",
    ],
)
def test_bad_input_never_raises(text: str) -> None:
    detection = detect_python(text)
    assert detection.tree is not None
    for occurrence in detection.occurrences:
        assert occurrence.code is None or occurrence.code >= 10


_SAMPLE = unmark(FRAMEWORKS["flask"])[0] + unmark(FRAMEWORKS["fastapi"])[0] + "x = 'é世🎉'\n"


def _assert_spans_match_text(text: str) -> None:
    lines = re.split(r"\r\n|\r|\n", text)
    for occurrence in detect_python(text).occurrences:
        span = occurrence.span
        assert lines[span.start_line][span.start_col : span.end_col] == occurrence.text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(_SAMPLE)),
            st.integers(0, 3),
            st.sampled_from(["", "(", ")", "[", "'", '"', ":", "\n", "    ", "404", "é"]),
        ),
        max_size=6,
    )
)
def test_edited_code_never_raises_and_spans_fit(edits: list[tuple[int, int, str]]) -> None:
    text = _SAMPLE
    for position, removed, inserted in edits:
        position = min(position, len(text))
        text = text[:position] + inserted + text[position + removed :]
    _assert_spans_match_text(text)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    _assert_spans_match_text(text)


def test_lone_carriage_returns_end_lines() -> None:
    assert found("x = 1\rstatus_code = 404\r\nabort(500)") == [
        (1, 14, 17, 404, Kind.LITERAL, "404"),
        (2, 6, 9, 500, Kind.LITERAL, "500"),
    ]


# --- incremental parsing ------------------------------------------------------------------------


def _point(text: bytes, offset: int) -> tuple[int, int]:
    row = text.count(b"\n", 0, offset)
    return row, offset - (text.rfind(b"\n", 0, offset) + 1)


def test_incremental_reparse_matches_a_fresh_parse() -> None:
    before = "from http import HTTPStatus\n\ndef f():\n    abort(404)\n    return body, 201\n"
    first = detect_python(before)
    after = before.replace("abort(404)", "abort(HTTPStatus.GONE)")
    old, new = before.encode(), after.encode()
    start = old.index(b"404")
    tree = first.tree
    tree.edit(
        start_byte=start,
        old_end_byte=start + 3,
        new_end_byte=start + len("HTTPStatus.GONE"),
        start_point=_point(old, start),
        old_end_point=_point(old, start + 3),
        new_end_point=_point(new, start + len("HTTPStatus.GONE")),
    )
    second = detect_python(after, tree)
    assert second.occurrences == detect_python(after).occurrences
    assert [(o.text, o.code) for o in second.occurrences] == [("GONE", 410), ("201", 201)]
    assert second.tree is not tree


def test_incremental_reparse_into_a_broken_state() -> None:
    before = "def f():\n    abort(404)\n    return body, 201\n\ndef g():\n    abort(403)\n"
    first = detect_python(before)
    old = before.encode()
    at = old.index(b"404)") + 3  # delete the closing parenthesis
    after = (old[:at] + old[at + 1 :]).decode()
    tree = first.tree
    tree.edit(
        start_byte=at,
        old_end_byte=at + 1,
        new_end_byte=at,
        start_point=_point(old, at),
        old_end_point=_point(old, at + 1),
        new_end_point=_point(old, at),
    )
    second = detect_python(after, tree)
    assert second.occurrences == detect_python(after).occurrences
    assert [(o.span.start_line, o.code) for o in second.occurrences] == [(1, 404), (2, 201), (5, 403)]
    assert second.tree.root_node.has_error


# --- completion helpers ---------------------------------------------------------------------------

NAMESPACES = {
    "HTTPStatus": "http.HTTPStatus",
    "st": "starlette.status",
    "requests.codes": "requests.codes",
    "http.HTTPStatus": "http.HTTPStatus",
}


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("abort(HTTPStatus.NO", ("http.HTTPStatus", "NO")),
        ("x = st.HTTP_4", ("starlette.status", "HTTP_4")),
        ("requests.codes.", ("requests.codes", "")),
        ("return http.HTTPStatus.", ("http.HTTPStatus", "")),
        ("raise HTTPException(status_code=st.", ("starlette.status", "")),
        ("foo.HTTPStatus.", None),
        ("HTTPStatus.NOT_FOUND.", None),
        ("# HTTPStatus.", None),
        ('print("HTTPStatus.', None),
        ("HTTPStatus", None),
        ("other.", None),
        ("codes.", None),
    ],
)
def test_namespace_before(line: str, expected: tuple[str, str] | None) -> None:
    assert namespace_before(line, len(line), NAMESPACES) == expected


def test_namespace_before_uses_the_column() -> None:
    line = "x = (HTTPStatus.NOT, y)"
    assert namespace_before(line, line.index(","), NAMESPACES) == ("http.HTTPStatus", "NOT")
    assert namespace_before(line, 200, NAMESPACES) is None
    assert namespace_before("ç = HTTPStatus.OK", 17, NAMESPACES) == ("http.HTTPStatus", "OK")


@pytest.mark.parametrize(
    "before",
    [
        "abort(4",
        "    abort(",
        "status_code=4",
        "status=",
        "return body, 4",
        "    return jsonify(x), ",
        "return (body, ",
        "Retry(status_forcelist=[500, ",
        "status_codes = frozenset([",
        "if resp.status_code == 2",
        "if (resp.status_code == ",
        "assert r.status in (301, ",
        "raise HTTPException(",
        "raise HTTPException(status_code=",
        "make_response(body, ",
        'JSONResponse({"a": 1}, ',
        'd = {"statusCode": ',
        "@app.errorhandler(",
        "responses={",
        "responses={404: {}, ",
        "    status_code: int = ",
        "response.status_code = ",
        "self.set_status(",
        "HTTPError(url, ",
        "RETRY_STATUSES = {500, ",
        "self.send_error(",
        "redirect(url, ",
        "def f(status_code=",
    ],
)
def test_status_literal_context_true(before: str) -> None:
    assert status_literal_context(before) is True


@pytest.mark.parametrize(
    "before",
    [
        "timeout=3",
        "x = 4",
        "port=",
        "range(",
        "sleep(",
        "make_response(",
        'x = {"count": ',
        "# abort(",
        'abort("4',
        "len(x) == ",
        "x[:",
        "return ",
        "return body, 404, ",
        "max_length=2",
        "x = [",
        "if (",
        "x = frozenset([",
        "abort(4040",
        "value4",
        "retries=",
        "exit_status = ",
    ],
)
def test_status_literal_context_false(before: str) -> None:
    assert status_literal_context(before) is False


# --- the rules as plain functions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("status", True),
        ("status_code", True),
        ("statusCode", True),
        ("STATUS_CODE", True),
        ("http_status", True),
        ("RETRY_STATUSES", True),
        ("status_forcelist", True),
        ("allowed_status_codes", True),
        ("retry_on_status", True),
        ("expected_status_code", True),
        ("status_message", False),
        ("status_text", False),
        ("exit_status", False),
        ("code", False),
        ("statuses_count", False),
        ("WEXITSTATUS", False),
    ],
)
def test_is_status_name(name: str, expected: bool) -> None:
    assert is_status_name(name) is expected


def test_rules_for_arguments() -> None:
    assert positional_status("abort", 0) == "abort()"
    assert positional_status("abort", 1) is None
    assert positional_status("HTTPError", 0, first_is_int=True) == "HTTPError()"
    assert positional_status("HTTPError", 1, first_is_int=False) == "HTTPError()"
    assert positional_status("HTTPError", 1, first_is_int=True) is None
    assert positional_status("JSONResponse", 1) == "JSONResponse()"
    assert positional_status("JSONResponse", 0) is None
    assert positional_status("response", 0) is None
    assert positional_status("response", 0, decorator=True) == "@response()"
    assert keyword_status("code", "abort") == ("code=", True)
    assert keyword_status("code", "compile") is None
    assert keyword_status("status", "Order") == ("status=", False)
    assert keyword_status("status", "Response") == ("status=", True)
    assert keyword_status("timeout", "get") is None


# --- speed ----------------------------------------------------------------------------------------

_BLOCK = """
@app.route("/items/<int:item_id>", methods=["GET"])
def get_item_{i}(item_id):
    item = db.get(item_id, timeout=300)
    if item is None:
        abort(404)
    if len(item.tags) > 200:
        return jsonify(error="too many"), 422
    resp = requests.get(f"http://svc/{{item_id}}", timeout=30)
    if resp.status_code != HTTPStatus.OK:
        raise HTTPException(status_code=status.HTTP_502_BAD_GATEWAY, detail="upstream")
    return make_response(jsonify(item.to_dict()), 200)
"""
_HEADER = "from http import HTTPStatus\nfrom flask import abort, jsonify, make_response\nfrom starlette import status\nimport requests\n"


_PLAIN_BLOCK = '''

class Worker{i}:
    """Ordinary code: numbers that are not statuses, names that are not imported."""

    retries = 3
    timeout = 300

    def run(self, items, limit=200):
        for index in range(len(items[:limit])):
            value = items[index] * 100 + 42
            if value > 1000 and self.retries:
                self.log("retry %d of %d", index, self.retries)
        return {{"count": len(items), "size": 4096}}
'''


def _best_of(text: str, runs: int = 3) -> tuple[float, object]:
    best, detection = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        detection = detect_python(text)
        best = min(best, (time.perf_counter() - start) * 1000)
    return best, detection


def test_five_thousand_lines(capsys: pytest.CaptureFixture[str]) -> None:
    dense = _HEADER + "".join(_BLOCK.format(i=i) for i in range(417))
    assert dense.count("\n") >= 5000
    dense_ms, detection = _best_of(dense)
    assert len(detection.occurrences) == 417 * 5
    assert {o.code for o in detection.occurrences} == {404, 422, 200, 502}
    broken = dense.replace("abort(404)", "abort(404", 1)
    broken_ms, repaired = _best_of(broken, runs=1)
    assert len(repaired.occurrences) == len(detection.occurrences)
    # Mostly ordinary code, with one status-bearing block in ten.
    typical = _HEADER + "".join((_BLOCK if i % 10 == 0 else _PLAIN_BLOCK).format(i=i) for i in range(370))
    assert typical.count("\n") >= 5000
    typical_ms, detection = _best_of(typical)
    assert len(detection.occurrences) == 37 * 5
    with capsys.disabled():
        print(
            f"\n[detect_python] 5,000+ lines: typical {typical_ms:.1f} ms ({typical.count(chr(10))} lines), "
            f"dense {dense_ms:.1f} ms ({len(dense.splitlines())} lines, 2085 occurrences), "
            f"dense with an unclosed bracket near the top {broken_ms:.1f} ms"
        )


def test_a_line_of_only_a_carriage_return_inside_an_error_does_not_crash():
    # "\r\n" leaves a lone b"\r" when lines are split on b"\n"; it is blank, not a statement.
    detection = detect_python("from\n\r\n)\nabort(404)\n")
    assert [(o.span.start_line, o.code) for o in detection.occurrences] == [(3, 404)]
