"""The status names of Falcon, Pyramid, WebOb, Litestar and Sanic (issue 12): a few names per library
pinned to the codes the packages themselves give them (introspected: falcon 4.4.0, pyramid 2.1,
WebOb 1.8.11, litestar 2.25.0, sanic 25.12.1), and the facts that keep them out of places made for
int constants."""

from __future__ import annotations

import pytest

from http_status_ls.kb import registry
from http_status_ls.kb.libraries import BY_NAME, BY_PATH, CONSTANT_LIBRARIES, SERVER_PACKAGES

REG = registry.load()

FRAMEWORKS = ("falcon", "pyramid.httpexceptions", "webob.exc", "litestar.status_codes", "sanic.exceptions")


@pytest.mark.parametrize(
    "library, name, code",
    [
        # falcon: '404 Not Found'-style strings in falcon.status_codes, error classes in falcon.errors,
        # redirect classes in falcon.redirects; the package re-exports all three.
        ("falcon", "HTTP_200", 200),
        ("falcon", "HTTP_OK", 200),
        ("falcon", "HTTP_CREATED", 201),
        ("falcon", "HTTP_404", 404),
        ("falcon", "HTTP_NOT_FOUND", 404),
        ("falcon", "HTTP_IM_A_TEAPOT", 418),
        ("falcon", "HTTP_REQUESTED_RANGE_NOT_SATISFIABLE", 416),
        ("falcon", "HTTPNotFound", 404),
        ("falcon", "HTTPRouteNotFound", 404),
        ("falcon", "HTTPMissingParam", 400),
        ("falcon", "HTTPContentTooLarge", 413),
        ("falcon", "HTTPPayloadTooLarge", 413),
        ("falcon", "HTTPUnavailableForLegalReasons", 451),
        ("falcon", "HTTPSeeOther", 303),
        # pyramid and WebOb: one class per code, each with its own ``code``.
        ("pyramid.httpexceptions", "HTTPNotFound", 404),
        ("pyramid.httpexceptions", "HTTPConflict", 409),
        ("pyramid.httpexceptions", "HTTPFound", 302),
        ("pyramid.httpexceptions", "HTTPImATeapot", 418),
        ("pyramid.httpexceptions", "HTTPRequestEntityTooLarge", 413),
        ("webob.exc", "HTTPNotFound", 404),
        ("webob.exc", "HTTPUnavailableForLegalReasons", 451),
        ("webob.exc", "HTTPNetworkAuthenticationRequired", 511),
        # litestar: ints named like starlette's before its renames.
        ("litestar.status_codes", "HTTP_201_CREATED", 201),
        ("litestar.status_codes", "HTTP_409_CONFLICT", 409),
        ("litestar.status_codes", "HTTP_306_RESERVED", 306),
        ("litestar.status_codes", "HTTP_422_UNPROCESSABLE_ENTITY", 422),
        # sanic: classes with a ``status_code``; aliases bound to the same class count too.
        ("sanic.exceptions", "NotFound", 404),
        ("sanic.exceptions", "FileNotFound", 404),
        ("sanic.exceptions", "BadRequest", 400),
        ("sanic.exceptions", "InvalidUsage", 400),
        ("sanic.exceptions", "Unauthorized", 401),
        ("sanic.exceptions", "Forbidden", 403),
        ("sanic.exceptions", "PayloadTooLarge", 413),
        ("sanic.exceptions", "ServerError", 500),
        ("sanic.exceptions", "InternalServerError", 500),
        ("sanic.exceptions", "ServiceUnavailable", 503),
    ],
)
def test_framework_names(library, name, code):
    ref = REG.resolve(library, name)
    assert ref is not None and ref.code == code


@pytest.mark.parametrize(
    "library, name",
    [
        # Base classes that carry no status of their own, or a generic one.
        ("sanic.exceptions", "SanicException"),
        ("sanic.exceptions", "HTTPException"),
        ("sanic.exceptions", "URLBuildError"),
        ("pyramid.httpexceptions", "HTTPException"),
        ("pyramid.httpexceptions", "HTTPClientError"),
        ("pyramid.httpexceptions", "HTTPSuccessful"),
        ("webob.exc", "HTTPServerError"),
        ("falcon", "HTTPError"),
        ("falcon", "HTTPStatus"),
        # Constants that are not status names.
        ("falcon", "HTTP_METHODS"),
        ("falcon", "HTTP_701"),
        ("litestar.status_codes", "WS_1000_NORMAL_CLOSURE"),
    ],
)
def test_what_is_not_a_name(library, name):
    assert REG.resolve(library, name) is None


def test_preferred_names_come_first():
    assert [ref.name for ref in REG.entry(404).names_in("falcon")][:3] == ["HTTP_404", "HTTP_NOT_FOUND", "HTTPNotFound"]
    assert REG.entry(400).names_in("sanic.exceptions")[0].name == "BadRequest"
    assert REG.entry(500).names_in("sanic.exceptions")[0].name == "ServerError"


def test_each_library_names_the_common_codes():
    for library in FRAMEWORKS:
        assert {ref.code for ref in REG.names_of(library)} >= {400, 401, 403, 404, 500, 503}, library


def test_falcon_renames_are_deprecated_only_for_projects_that_have_the_new_name():
    old = REG.resolve("falcon", "HTTPPayloadTooLarge")
    assert old is not None and old.deprecated and old.replacement == "HTTPContentTooLarge"
    new = REG.resolve("falcon", "HTTPContentTooLarge")
    assert new is not None and new.since == (4, 0) and new.note == "falcon 4.0+"
    assert REG.resolve("falcon", "HTTP_REQUEST_ENTITY_TOO_LARGE").replacement == "HTTP_CONTENT_TOO_LARGE"
    assert REG.resolve("falcon", "HTTP_EARLY_HINTS").since == (4, 0)
    assert REG.resolve("falcon", "HTTP_404").since is None


def test_framework_names_are_never_a_literal_rewrite():
    assert not {row.name for row in CONSTANT_LIBRARIES} & set(FRAMEWORKS)
    falcon = BY_NAME["falcon"]
    assert falcon.string_constants and falcon.new_import is None
    assert not any(BY_NAME[name].string_constants for name in BY_NAME if name != "falcon")


def test_paths_and_server_packages():
    assert {BY_PATH[path].name for path in ("falcon", "falcon.status_codes", "falcon.errors", "falcon.redirects")} == {"falcon"}
    assert BY_PATH["sanic"].name == BY_PATH["sanic.exceptions"].name == "sanic.exceptions"
    assert {"falcon", "pyramid", "webob", "litestar", "sanic"} <= SERVER_PACKAGES


def test_falcon_near_misses_leave_its_joke_codes_and_other_members_alone():
    shape = BY_NAME["falcon"].name_shape
    assert shape is not None
    assert shape.fullmatch("HTTP_4O4") and shape.fullmatch("HTTPNotFund")
    assert not shape.fullmatch("HTTP_701") and not shape.fullmatch("App")


def test_falcon_names_say_whether_they_are_strings_or_classes():
    falcon = BY_NAME["falcon"]
    assert falcon.kind_of("HTTP_404") == falcon.kind_of("HTTP_NOT_FOUND") == "constant"
    assert falcon.kind_of("HTTPNotFound") == falcon.kind_of("HTTPSeeOther") == "class"
    assert BY_NAME["sanic.exceptions"].kind_of("NotFound") == "class"
    assert BY_NAME["litestar.status_codes"].kind_of("HTTP_201_CREATED") == "constant"
    # Every listed falcon name is one or the other by its spelling.
    kinds = {ref.name: falcon.kind_of(ref.name) for ref in REG.names_of("falcon")}
    assert {name for name, kind in kinds.items() if kind == "class"} == {name for name in kinds if name[4:5] != "_"}
