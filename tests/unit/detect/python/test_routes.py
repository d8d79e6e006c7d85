"""Routes and the codes each handler can produce (issue 16, part 1): the FastAPI demo service in
tests/fixtures/code_spec/fastapi_shop, path templates, and the summaries' shape.

Each handler is pinned as ``{(code, via, certain)}`` with the line (1-based) each code is found on.
"""

from __future__ import annotations

import pytest

from http_status_ls.detect.python.routes import (
    FASTAPI,
    RouteHandler,
    join_paths,
    normalise_path,
    resolve_routes,
    summarise_routes,
)
from tests.support.paths import FIXTURES

SHOPS = FIXTURES / "code_spec"


def shop(name: str) -> dict[str, RouteHandler]:
    """The demo service's handlers by ``METHOD /path`` (every method of a handler gets a key)."""
    root = SHOPS / name
    files = {path.relative_to(root).as_posix(): summarise_routes(path.read_text("utf-8")) for path in sorted(root.rglob("*.py"))}
    return {f"{method} {handler.written_path}": handler for handler in resolve_routes(files) for method in handler.methods}


def codes(handler: RouteHandler) -> set[tuple[int, int, str, bool]]:
    """(code, line, via, certain) of every produced code."""
    return {(p.code, p.span.start_line + 1, p.via, p.certain) for p in handler.produced}


@pytest.fixture(scope="module")
def fastapi_shop() -> dict[str, RouteHandler]:
    return shop("fastapi_shop")


def test_fastapi_shop_has_every_route_with_its_prefixes(fastapi_shop: dict[str, RouteHandler]) -> None:
    assert sorted(fastapi_shop) == [
        "DELETE /v1/items/{item_id}",
        "GET /accounts/me",
        "GET /accounts/ping",
        "GET /docs-old",
        "GET /health",
        "GET /v1/items",
        "GET /v1/items/{item_id}",
        "POST /v1/items",
        "PUT /v1/items/{item_id}",
    ]
    assert {handler.framework for handler in fastapi_shop.values()} == {FASTAPI}
    assert fastapi_shop["GET /v1/items/{item_id}"].path == "/v1/items/{}"
    assert fastapi_shop["GET /v1/items/{item_id}"].file == "routers/items.py"


def test_helper_raising_through_module_attribute(fastapi_shop: dict[str, RouteHandler]) -> None:
    handler = fastapi_shop["GET /v1/items/{item_id}"]
    assert codes(handler) == {
        (200, 18, "default status_code (200)", True),
        (404, 18, "responses= on the decorator", False),
        (404, 21, "calls errors.not_found()", True),
        (422, 19, "FastAPI validation (422)", True),
    }
    assert handler.complete and handler.function == "get_item"


def test_declared_status_dependency_and_raise(fastapi_shop: dict[str, RouteHandler]) -> None:
    assert codes(fastapi_shop["POST /v1/items"]) == {
        (201, 25, "status_code= on the decorator", True),
        (401, 26, "Depends(current_user)", True),
        (409, 28, "raise HTTPException", True),
        (422, 26, "FastAPI validation (422)", True),
    }


def test_returned_helper_response_and_raised_project_exception(fastapi_shop: dict[str, RouteHandler]) -> None:
    handler = fastapi_shop["PUT /v1/items/{item_id}"]
    assert codes(handler) == {
        (200, 33, "default status_code (200)", True),
        (401, 34, "Depends(current_user)", True),
        (404, 36, "calls errors.error_response()", True),
        (422, 34, "FastAPI validation (422)", True),
        (423, 38, "raise errors.ItemLocked", True),
    }
    # The code passed to the helper is found on the call's argument, in the handler's file.
    found = next(p for p in handler.produced if p.code == 404)
    assert (found.span.start_col, found.span.end_col) == (37, 40)


def test_no_content_and_parameterless_handlers(fastapi_shop: dict[str, RouteHandler]) -> None:
    assert {code for code, *_ in codes(fastapi_shop["DELETE /v1/items/{item_id}"])} == {204, 401, 422}
    assert codes(fastapi_shop["GET /accounts/me"]) == {
        (200, 10, "default status_code (200)", True),
        (401, 11, "Depends(current_user)", True),
    }
    assert codes(fastapi_shop["GET /accounts/ping"]) == {(200, 23, "default status_code (200)", True)}
    # Every return is a Response: FastAPI sends its status, and the decorator's only documents.
    assert codes(fastapi_shop["GET /docs-old"]) == {
        (200, 18, "default status_code (200), unused: every return is a Response", False),
        (307, 20, "RedirectResponse() (307)", True),
    }


def test_every_fastapi_shop_handler_is_complete(fastapi_shop: dict[str, RouteHandler]) -> None:
    assert [key for key, handler in fastapi_shop.items() if not handler.complete] == []


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("/items/{item_id}", "/items/{}"),
        ("/items/{id:int}", "/items/{}"),
        ("/items/<int:id>", "/items/{}"),
        ("/items/<pk>/", "/items/{}"),
        ("items/<int:pk>/", "/items/{}"),
        ("/files/{rest:path}", "/files/{}"),
        ("//a//b/", "/a/b"),
        ("/", "/"),
        ("", "/"),
    ],
)
def test_normalise_path(template: str, expected: str) -> None:
    assert normalise_path(template) == expected


def test_join_paths() -> None:
    assert join_paths("/items", "/{id}") == "/items/{id}"
    assert join_paths("/api/", "items") == "/api/items"
    assert join_paths("", "/x") == "/x"
    assert join_paths("/x", "") == "/x"


def test_summary_is_hashable_and_equal_for_equal_text() -> None:
    text = (SHOPS / "fastapi_shop" / "routers" / "items.py").read_text("utf-8")
    first, second = summarise_routes(text), summarise_routes(text)
    assert first == second and hash(first) == hash(second)
    assert [router.prefix for router in first.routers] == ["/items"]


def test_status_from_parameter_and_variable() -> None:
    text = """
from fastapi import FastAPI, HTTPException

app = FastAPI()


@app.get("/a")
def a(flag: bool):
    code = 404 if flag else 410
    raise HTTPException(status_code=code)


@app.get("/b")
def b(request_code: int):
    raise HTTPException(status_code=request_code * 2)
"""
    handlers = {h.written_path: h for h in resolve_routes({"main.py": summarise_routes(text)})}
    assert {(p.code, p.via) for p in handlers["/a"].produced if p.code != 200 and p.code != 422} == {
        (404, "raise HTTPException"),
        (410, "raise HTTPException"),
    }
    assert handlers["/a"].complete
    assert not handlers["/b"].complete
    assert handlers["/b"].uncertain == ("raise HTTPException: status from an expression (line 15)",)


def test_call_depth_is_bounded() -> None:
    text = """
from fastapi import FastAPI, HTTPException

app = FastAPI()


def one():
    two()


def two():
    three()


def three():
    raise HTTPException(status_code=418)


@app.get("/deep")
def deep():
    one()
"""
    summary = {"main.py": summarise_routes(text)}
    (followed,) = resolve_routes(summary, depth=3)
    assert 418 in followed.codes and followed.complete
    (cut,) = resolve_routes(summary, depth=1)
    assert 418 not in cut.codes and not cut.complete
    assert any("depth" in reason for reason in cut.uncertain)


def test_library_calls_and_unbound_names_are_not_followed() -> None:
    text = """
import json
from fastapi import FastAPI

app = FastAPI()


@app.get("/plain")
def plain():
    return json.loads(helper_from_nowhere())
"""
    (handler,) = resolve_routes({"main.py": summarise_routes(text)})
    assert handler.codes == {200} and handler.complete


def test_router_and_include_dependencies() -> None:
    main = """
from fastapi import Depends, FastAPI

from . import auth, admin

app = FastAPI()
app.include_router(admin.router, prefix="/admin", dependencies=[Depends(auth.staff_only)])
"""
    admin = """
from fastapi import APIRouter, Depends

from .auth import signed_in

router = APIRouter(dependencies=[Depends(signed_in)])


@router.get("/stats")
def stats():
    return {}
"""
    auth = """
from fastapi import HTTPException


def signed_in():
    raise HTTPException(status_code=401)


def staff_only():
    raise HTTPException(status_code=403)
"""
    files = {
        name: summarise_routes(text) for name, text in (("app/main.py", main), ("app/admin.py", admin), ("app/auth.py", auth))
    }
    (handler,) = resolve_routes(files)
    assert handler.written_path == "/admin/stats"
    # Codes of a router's dependencies sit on the route's decorator (line 9 of admin.py, 0-based 8).
    assert {(p.code, p.span.start_line, p.via) for p in handler.produced} == {
        (200, 8, "default status_code (200)"),
        (401, 8, "Depends(signed_in) on the router"),
        (403, 8, "Depends(auth.staff_only) on the router"),
    }


def test_an_absolute_import_finds_the_nearest_module() -> None:
    views = """
from flask import abort


def health():
    abort({code})
"""
    urls = """
from flask import Flask

from shop.views import health

app = Flask(__name__)
app.add_url_rule("/health", view_func=health)
"""
    files = {
        "one/app.py": summarise_routes(urls),
        "one/shop/views.py": summarise_routes(views.format(code=503)),
        "two/app.py": summarise_routes(urls),
        "two/shop/views.py": summarise_routes(views.format(code=418)),
    }
    assert {(h.declared_in, h.file, frozenset(h.codes)) for h in resolve_routes(files)} == {
        ("one/app.py", "one/shop/views.py", frozenset({503})),
        ("two/app.py", "two/shop/views.py", frozenset({418})),
    }


def test_a_helper_from_a_module_outside_the_workspace_is_uncertain() -> None:
    text = """
from fastapi import FastAPI

from project_helpers import error_response

app = FastAPI()


@app.delete("/items/{item_id}", status_code=204)
def remove(item_id: int):
    if item_id < 0:
        error_response(400, "negative")
    return None
"""
    (handler,) = resolve_routes({"main.py": summarise_routes(text)})
    assert not handler.complete
    assert handler.uncertain == ("error_response() comes from project_helpers, which is not in the workspace",)
    assert handler.codes == {204, 422}


def test_routes_of_frameworks_not_read_are_skipped() -> None:
    text = """
from sanic import Sanic
from starlette.applications import Starlette

sanic_app = Sanic("shop")


@sanic_app.get("/orders/<order_id:int>")
async def order(request, order_id):
    return None
"""
    assert resolve_routes({"main.py": summarise_routes(text)}) == ()


def test_a_string_path_parameter_cannot_fail_validation() -> None:
    """A path segment is always a string: `{order_id}` typed `str` (or not typed) never draws 422,
    while an `int` path parameter or a query parameter can."""
    text = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/orders/{order_id}")
def show(order_id: str):
    return {}


@app.get("/notes/{note_id}")
def note(note_id):
    return {}


@app.get("/items/{item_id}")
def item(item_id: int):
    return {}


@app.get("/search/{area}")
def search(area: str, q: str):
    return {}
"""
    handlers = {handler.function: handler for handler in resolve_routes({"main.py": summarise_routes(text)})}
    assert handlers["show"].codes == {200}
    assert handlers["note"].codes == {200}
    assert handlers["item"].codes == {200, 422}
    assert handlers["search"].codes == {200, 422}
