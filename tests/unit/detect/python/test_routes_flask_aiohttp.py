"""Routes and codes of the Flask and aiohttp demo services (tests/fixtures/code_spec/flask_shop and
aiohttp_shop): blueprints and their prefixes, sub-applications, helpers that abort or raise, and
what stays uncertain. Lines are 1-based."""

from __future__ import annotations

import pytest

from http_status_ls.detect.python.routes import AIOHTTP, FLASK, RouteHandler, resolve_routes, summarise_routes
from tests.unit.detect.python.test_routes import codes, shop


@pytest.fixture(scope="module")
def flask_shop() -> dict[str, RouteHandler]:
    return shop("flask_shop")


@pytest.fixture(scope="module")
def aiohttp_shop() -> dict[str, RouteHandler]:
    return shop("aiohttp_shop")


def test_flask_routes_with_blueprint_prefixes(flask_shop: dict[str, RouteHandler]) -> None:
    assert sorted(flask_shop) == [
        "DELETE /api/orders/<int:order_id>/cancel",
        "GET /accounts/login",
        "GET /api/orders/",
        "GET /api/orders/<int:order_id>",
        "GET /api/orders/<int:order_id>/status",
        "GET /health",
        "POST /accounts/login",
        "POST /accounts/logout",
        "POST /api/orders/",
        "POST /api/orders/<int:order_id>/cancel",
    ]
    # register_blueprint(url_prefix=) replaces the blueprint's own /orders.
    assert flask_shop["GET /api/orders/"].path == "/api/orders"
    assert flask_shop["GET /api/orders/<int:order_id>"].path == "/api/orders/{}"
    assert {handler.framework for handler in flask_shop.values()} == {FLASK}


def test_flask_codes(flask_shop: dict[str, RouteHandler]) -> None:
    assert codes(flask_shop["GET /api/orders/"]) == {(200, 14, "jsonify() (200)", True)}
    assert codes(flask_shop["GET /api/orders/<int:order_id>"]) == {
        (200, 19, "jsonify() (200)", True),
        (404, 19, "calls load_order()", True),
    }
    assert codes(flask_shop["POST /api/orders/"]) == {(201, 28, "return tuple", True), (400, 26, "calls error_response()", True)}
    assert codes(flask_shop["POST /api/orders/<int:order_id>/cancel"]) == {
        (303, 37, "redirect()", True),
        (404, 33, "calls load_order()", True),
        (409, 35, "calls error_response()", True),
    }
    assert codes(flask_shop["POST /accounts/login"]) == {
        (200, 11, "plain return (200)", True),
        (302, 15, "redirect (302)", True),
        (401, 13, "abort()", True),
    }
    assert codes(flask_shop["POST /accounts/logout"]) == {(204, 21, "return tuple", True)}
    assert codes(flask_shop["GET /health"]) == {(200, 18, "plain return (200)", True)}


def test_flask_add_url_rule_is_declared_in_another_function(flask_shop: dict[str, RouteHandler]) -> None:
    handler = flask_shop["GET /health"]
    assert handler.function == "health" and handler.declared_in == "app.py"
    assert handler.decorator_span.start_line + 1 == 13


def test_flask_status_from_data_is_uncertain(flask_shop: dict[str, RouteHandler]) -> None:
    handler = flask_shop["GET /api/orders/<int:order_id>/status"]
    assert not handler.complete
    assert handler.uncertain == ("return tuple: status from an expression (line 43)",)
    assert codes(handler) == {(404, 42, "calls load_order()", True)}
    assert [key for key, h in flask_shop.items() if not h.complete] == ["GET /api/orders/<int:order_id>/status"]


def test_aiohttp_routes_with_subapp_prefix(aiohttp_shop: dict[str, RouteHandler]) -> None:
    assert sorted(aiohttp_shop) == [
        "DELETE /carts/{cart_id}",
        "GET /admin/stats",
        "GET /carts/{cart_id}",
        "GET /health",
        "POST /admin/purge",
        "POST /carts/{cart_id}/items",
    ]
    assert {handler.framework for handler in aiohttp_shop.values()} == {AIOHTTP}
    assert all(handler.complete for handler in aiohttp_shop.values())


def test_aiohttp_codes(aiohttp_shop: dict[str, RouteHandler]) -> None:
    assert codes(aiohttp_shop["GET /carts/{cart_id}"]) == {
        (200, 13, "json_response() (200)", True),
        (404, 12, "calls find_cart()", True),
    }
    assert codes(aiohttp_shop["POST /carts/{cart_id}/items"]) == {
        (201, 23, "json_response()", True),
        (400, 21, "raise HTTPBadRequest", True),
        (404, 18, "calls find_cart()", True),
    }
    assert codes(aiohttp_shop["DELETE /carts/{cart_id}"]) == {(204, 29, "Response()", True)}
    assert codes(aiohttp_shop["POST /admin/purge"]) == {
        (302, 16, "raise HTTPFound", True),
        (403, 14, "raise HTTPForbidden", True),
    }


def test_flask_tuple_is_a_body_in_fastapi_but_a_status_in_flask() -> None:
    flask = """
from flask import Flask

app = Flask(__name__)


@app.route("/t")
def t():
    return {"a": 1}, 202
"""
    fastapi = flask.replace("from flask import Flask", "from fastapi import FastAPI").replace("Flask(__name__)", "FastAPI()")
    fastapi = fastapi.replace('@app.route("/t")', '@app.get("/t")')
    assert resolve_routes({"a.py": summarise_routes(flask)})[0].codes == {202}
    assert resolve_routes({"a.py": summarise_routes(fastapi)})[0].codes == {200}


def test_aiohttp_route_table_route_and_add_route() -> None:
    text = """
from aiohttp import web

routes = web.RouteTableDef()


@routes.route("PATCH", "/things/{id}")
async def patch(request):
    raise web.HTTPConflict()


async def remove(request):
    return web.Response(status=204)


app = web.Application()
app.router.add_route("DELETE", "/things/{id}", remove)
"""
    handlers = {(h.methods, h.path): h.codes for h in resolve_routes({"a.py": summarise_routes(text)})}
    assert handlers == {(("PATCH",), "/things/{}"): {409}, (("DELETE",), "/things/{}"): {204}}


def test_aiohttp_route_definitions_in_add_routes() -> None:
    text = """
from aiohttp import web


async def show(request):
    raise web.HTTPGone()


async def make(request):
    return web.json_response({}, status=201)


app = web.Application()
app.add_routes([web.get("/things/{id}", show), web.route("POST", "/things", make)])
"""
    handlers = {(h.methods, h.path): h.codes for h in resolve_routes({"a.py": summarise_routes(text)})}
    assert handlers == {(("GET",), "/things/{}"): {410}, (("POST",), "/things"): {201}}


def test_starlette_routes_under_a_mount() -> None:
    text = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route


async def item(request):
    return JSONResponse({}, status_code=203)


async def health(request):
    return JSONResponse({"ok": True})


app = Starlette(routes=[Route("/health", health), Mount("/api", routes=[Route("/items/{id:int}", item, methods=["PUT"])])])
"""
    handlers = {(h.methods, h.written_path, h.path): h.codes for h in resolve_routes({"a.py": summarise_routes(text)})}
    assert handlers == {(("GET",), "/health", "/health"): {200}, (("PUT",), "/api/items/{id:int}", "/api/items/{}"): {203}}


def test_helpers_with_default_status_response_attribute_and_error_classes() -> None:
    helpers = """
from http import HTTPStatus

from flask import jsonify
from werkzeug.exceptions import Conflict, HTTPException


def reply(payload, status=HTTPStatus.OK):
    return jsonify(payload), status


def failure(message, status_code):
    body = jsonify(error=message)
    body.status_code = status_code
    return body


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class Taken(Conflict):
    pass


class Mystery(Exception):
    pass
"""
    views = """
from flask import Blueprint

from .helpers import ApiError, Mystery, Taken, failure, reply

bp = Blueprint("v", __name__)


@bp.post("/a")
def a():
    if 1:
        return failure("bad", 400)
    if 2:
        raise ApiError(402, "pay")
    if 3:
        raise Taken()
    return reply({})


@bp.post("/b")
def b(code):
    raise Mystery()
"""
    files = {"app/helpers.py": summarise_routes(helpers), "app/views.py": summarise_routes(views)}
    handlers = {h.written_path: h for h in resolve_routes(files)}
    assert {(p.code, p.via) for p in handlers["/a"].produced} == {
        (200, "calls reply()"),
        (400, "calls failure()"),
        (402, "raise ApiError"),
        (409, "raise Taken"),
    }
    assert handlers["/a"].complete
    assert handlers["/b"].uncertain == ("raise Mystery: its status is not known (an error handler may map it)",)
