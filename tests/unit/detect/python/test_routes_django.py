"""Django and DRF routes (tests/fixtures/code_spec/django_shop): ``path()`` with ``include()`` of a
module and of a DRF router, function views with ``@api_view``, a ``ModelViewSet`` with one action
overridden, and a generic view; lines are 1-based."""

from __future__ import annotations

import pytest

from http_status_ls.detect.python.routes import DJANGO, RouteHandler, resolve_routes, summarise_routes
from tests.unit.detect.python.test_routes import codes, shop


@pytest.fixture(scope="module")
def django_shop() -> dict[str, RouteHandler]:
    return shop("django_shop")


def test_django_routes(django_shop: dict[str, RouteHandler]) -> None:
    assert sorted(django_shop) == [
        "DELETE /api/orders/{pk}/",
        "DELETE /api/products/<int:pk>/",
        "GET /api/orders",
        "GET /api/orders/{pk}/",
        "GET /api/products/",
        "GET /api/products/<int:pk>/",
        "GET /api/reviews/<int:pk>/",
        "GET /healthz",
        "PATCH /api/orders/{pk}/",
        "PATCH /api/reviews/<int:pk>/",
        "POST /api/orders",
        "POST /api/products/",
        "PUT /api/orders/{pk}/",
        "PUT /api/reviews/<int:pk>/",
    ]
    assert {handler.framework for handler in django_shop.values()} == {DJANGO}
    assert all(handler.complete for handler in django_shop.values())
    assert django_shop["GET /api/orders/{pk}/"].path == "/api/orders/{}"


def test_function_views(django_shop: dict[str, RouteHandler]) -> None:
    assert codes(django_shop["POST /api/products/"]) == {
        (200, 25, "Response() (200)", True),
        (201, 24, "Response()", True),
        (400, 22, "is_valid(raise_exception=True)", True),
    }
    assert codes(django_shop["DELETE /api/products/<int:pk>/"]) == {
        (200, 36, "Response() (200)", True),
        (204, 35, "Response()", True),
        (403, 33, "raise PermissionDenied", True),
        (404, 30, "get_object_or_404()", True),
    }
    assert codes(django_shop["GET /healthz"]) == {(200, 15, "JsonResponse() (200)", True)}
    assert django_shop["GET /healthz"].file == "shop/views.py"


def test_viewset_actions_inherited_and_overridden(django_shop: dict[str, RouteHandler]) -> None:
    created = django_shop["POST /api/orders"]
    assert codes(created) == {(201, 9, "DRF create", True), (400, 9, "DRF create", True)}
    # An inherited action's codes sit on the register() call, in the urls file.
    assert (created.function, created.file, created.declared_in) == ("OrderViewSet.create", "shop/urls.py", "shop/urls.py")
    assert {code for code, *_ in codes(django_shop["PATCH /api/orders/{pk}/"])} == {200, 400, 404}
    destroyed = django_shop["DELETE /api/orders/{pk}/"]
    assert codes(destroyed) == {(405, 44, "Response()", True)}
    assert destroyed.file == "shop/views.py"


def test_generic_view_methods(django_shop: dict[str, RouteHandler]) -> None:
    assert codes(django_shop["GET /api/reviews/<int:pk>/"]) == {(200, 14, "DRF retrieve", True), (404, 14, "DRF retrieve", True)}
    assert {code for code, *_ in codes(django_shop["PUT /api/reviews/<int:pk>/"])} == {200, 400, 404}


def test_class_view_answers_the_methods_it_defines() -> None:
    views = """
from django.http import HttpResponse, HttpResponseNotFound
from django.views import View


class Thing(View):
    def get(self, request, pk):
        if pk > 10:
            return HttpResponseNotFound("no")
        return HttpResponse("thing")

    def post(self, request, pk):
        return HttpResponse(status=202)
"""
    urls = """
from django.urls import path

from .views import Thing

urlpatterns = [path("things/<int:pk>", Thing.as_view())]
"""
    files = {"app/views.py": summarise_routes(views), "app/urls.py": summarise_routes(urls)}
    found = {(h.methods, h.path): h.codes for h in resolve_routes(files)}
    assert found == {(("GET",), "/things/{}"): {200, 404}, (("POST",), "/things/{}"): {202}}
