"""Status names of Falcon, Pyramid/WebOb, Litestar and Sanic (issue 12) found by the Python detector,
and the look-alikes that must stay silent: a project's own ``NotFound``, falcon's other constants.

Snippets use the markers of test_detect_python: ``⟪HTTP_404=404⟫`` a name that must be found with
its code (``=?`` for an unknown member), ``⟦404⟧`` a literal; everything unmarked stays silent.
"""

from __future__ import annotations

import pytest

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.reader import detect_python
from tests.unit.detect.test_detect_python import check, unmark

FALCON = """
import falcon


class Invoices:
    def on_get(self, req, resp, invoice_id):
        if invoice_id not in LEDGER:
            raise falcon.⟪HTTPNotFound=404⟫(title="no such invoice")
        resp.status = falcon.⟪HTTP_200=200⟫

    def on_post(self, req, resp):
        if req.content_length > LIMIT:
            raise falcon.⟪HTTPPayloadTooLarge=413⟫()
        resp.status = falcon.⟪HTTP_CREATED=201⟫
        resp.location = "/invoices/7"

    def on_delete(self, req, resp, invoice_id):
        raise falcon.HTTPError(falcon.⟪HTTP_409=409⟫, title="invoice is paid")


def test_missing_invoice(client):
    result = client.simulate_get("/invoices/missing")
    assert result.status == falcon.⟪HTTP_NOT_FOUND=404⟫
    allowed = falcon.HTTP_METHODS
    joke = falcon.HTTP_701
    app = falcon.App()
    typo = falcon.⟪HTTP_4O4=?⟫
"""

FALCON_SUBMODULES = """
from falcon.errors import ⟪HTTPForbidden=403⟫
from falcon.status_codes import ⟪HTTP_204=204⟫
from falcon import ⟪HTTP_OK=200⟫, ⟪HTTPSeeOther=303⟫


def on_get(req, resp):
    resp.status = ⟪HTTP_204=204⟫
    raise ⟪HTTPForbidden=403⟫()
"""

PYRAMID = """
from pyramid.httpexceptions import ⟪HTTPFound=302⟫, ⟪HTTPNotFound=404⟫, HTTPException
from pyramid.view import view_config
from webob import exc


@view_config(route_name="album")
def album(request):
    album = ALBUMS.get(request.matchdict["slug"])
    if album is None:
        raise ⟪HTTPNotFound=404⟫()
    if album.moved_to:
        return ⟪HTTPFound=302⟫(location=album.moved_to)
    return exc.⟪HTTPConflict=409⟫()
"""

LITESTAR = """
from litestar import post
from litestar.status_codes import ⟪HTTP_201_CREATED=201⟫, WS_1000_NORMAL_CLOSURE


@post("/notes", status_code=⟪HTTP_201_CREATED=201⟫)
async def add_note(data: dict) -> dict:
    return data


async def close(socket):
    await socket.close(code=WS_1000_NORMAL_CLOSURE)
"""

SANIC = """
from sanic import Sanic
from sanic.exceptions import ⟪NotFound=404⟫, ⟪Unauthorized=401⟫, SanicException

app = Sanic("parcels")


@app.get("/parcels/<tracking>")
async def parcel(request, tracking):
    if not request.token:
        raise ⟪Unauthorized=401⟫("sign in first")
    if tracking not in DEPOT:
        raise ⟪NotFound=404⟫("unknown parcel")
    raise SanicException("depot closed", status_code=⟦503⟧)
"""


@pytest.mark.parametrize(
    "marked",
    [FALCON, FALCON_SUBMODULES, PYRAMID, LITESTAR, SANIC],
    ids=["falcon", "falcon-submodules", "pyramid-webob", "litestar", "sanic"],
)
def test_framework_names(marked):
    check(marked)


def test_names_say_which_library_they_belong_to():
    text, _ = unmark(FALCON + PYRAMID + LITESTAR + SANIC)
    libraries = {o.text: o.context for o in detect_python(text).occurrences if o.name is not None}
    assert libraries["HTTP_200"] == "falcon" and libraries["HTTPNotFound"] in {"falcon", "pyramid.httpexceptions"}
    assert libraries["HTTPConflict"] == "webob.exc"
    assert libraries["HTTP_201_CREATED"] == "litestar.status_codes"
    assert libraries["Unauthorized"] == "sanic.exceptions"


def test_falcon_status_assigned_is_sent_and_compared_is_read():
    text, _ = unmark(FALCON)
    roles = {o.text: o.role for o in detect_python(text).occurrences}
    assert roles["HTTP_200"] is Role.SENDS
    assert roles["HTTP_NOT_FOUND"] is Role.READS


def test_a_submodule_of_a_package_that_is_itself_a_library_path():
    check(
        """
from falcon import status_codes
import sanic

resp.status = status_codes.⟪HTTP_204=204⟫
raise sanic.exceptions.⟪NotFound=404⟫()
"""
    )


# --- precision: names that only look like the frameworks' ---------------------------------------

PROJECT_CLASSES = """
class NotFound(Exception):
    '''A key missing from the cache.'''


class Unauthorized(Exception):
    pass


def fetch(key):
    if key not in CACHE:
        raise NotFound(key)
    raise Unauthorized()
"""

OTHER_IMPORTS = """
from storage.errors import NotFound, BadRequest
from sanic import Sanic, response
import falcon

app = Sanic("x")


def lookup(key):
    raise NotFound(key)
    raise BadRequest()
    return response.json({}), falcon.MEDIA_JSON, falcon.HTTP_METHODS, falcon.HTTPError
"""


@pytest.mark.parametrize("marked", [PROJECT_CLASSES, OTHER_IMPORTS], ids=["project-classes", "other-imports"])
def test_look_alikes_stay_silent(marked):
    check(marked)
