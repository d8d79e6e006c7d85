"""Django class-based views and DRF viewsets: one handler per method a view answers, or per action
a viewset's router routes.

A method the class defines (``def post(self, request)``, ``def create(self, request)``) is read like
any function. An action the class only inherits from DRF (``ModelViewSet``, ``ListCreateAPIView``,
the ``mixins``) gets DRF's codes for it: ``create`` 201 or 400, ``retrieve`` 200 or 404, ``destroy``
204 or 404. Bases are followed by name through the workspace's classes, a few levels deep.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from http_status_ls.detect.python.routes import DJANGO, HTTP_METHODS, DeclaredRoute, ProducedStatus

if TYPE_CHECKING:
    from http_status_ls.detect.python.routes_resolve import View, Workspace

_ACTIONS: Mapping[str, tuple[str, bool, tuple[int, ...]]] = {
    "list": ("GET", False, (200,)),
    "create": ("POST", False, (201, 400)),
    "retrieve": ("GET", True, (200, 404)),
    "update": ("PUT", True, (200, 400, 404)),
    "partial_update": ("PATCH", True, (200, 400, 404)),
    "destroy": ("DELETE", True, (204, 404)),
}
"""Action -> (method, on the detail route, DRF's codes for it)."""
_ALL = tuple(_ACTIONS)
_BASE_ACTIONS: Mapping[str, tuple[str, ...]] = {
    "ModelViewSet": _ALL,
    "ReadOnlyModelViewSet": ("list", "retrieve"),
    "ListModelMixin": ("list",),
    "CreateModelMixin": ("create",),
    "RetrieveModelMixin": ("retrieve",),
    "UpdateModelMixin": ("update", "partial_update"),
    "DestroyModelMixin": ("destroy",),
}
_GENERIC_VIEWS: Mapping[str, Mapping[str, str]] = {
    "ListAPIView": {"get": "list"},
    "CreateAPIView": {"post": "create"},
    "RetrieveAPIView": {"get": "retrieve"},
    "DestroyAPIView": {"delete": "destroy"},
    "UpdateAPIView": {"put": "update", "patch": "partial_update"},
    "ListCreateAPIView": {"get": "list", "post": "create"},
    "RetrieveUpdateAPIView": {"get": "retrieve", "put": "update", "patch": "partial_update"},
    "RetrieveDestroyAPIView": {"get": "retrieve", "delete": "destroy"},
    "RetrieveUpdateDestroyAPIView": {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"},
}
_METHOD_NAMES = tuple(method.lower() for method in HTTP_METHODS)


def django_views(workspace: Workspace, key: str, route: DeclaredRoute, target: tuple[str, str], depth: int) -> list[View]:
    """The handlers of ``View.as_view()`` (``route.view == "class"``) or a viewset (``"viewset"``),
    declared in ``key``'s file. An inherited action's codes are placed on the declaration, so its
    handler's :attr:`~.routes.RouteHandler.file` is then ``key``."""
    from http_status_ls.detect.python.routes_resolve import View, collect

    file, name = target
    bases = _all_bases(workspace, file, name)
    defined = {function.partition(".")[2] for function in workspace.functions.get(file, {}) if function.startswith(f"{name}.")}
    # action or method -> (the DRF action, its codes) when the class does not define it
    inherited: dict[str, tuple[str, tuple[int, ...]]] = {}
    views: list[View] = []
    if route.view == "viewset":
        actions = {action for base in bases for action in _BASE_ACTIONS.get(base, ())} | (defined & set(_ACTIONS))
        for action in _ALL:
            if action not in actions:
                continue
            method, detail, codes = _ACTIONS[action]
            views.append(View((method,), f"{name}.{action}", file, suffix="{pk}/" if detail else ""))
            inherited[action] = (action, codes)
    else:
        generic = {method: action for base in bases for method, action in _GENERIC_VIEWS.get(base, {}).items()}
        for method in _METHOD_NAMES:
            if method in defined or method in generic:
                views.append(View((method.upper(),), f"{name}.{method}", file))
                if method in generic:
                    inherited[method] = (generic[method], _ACTIONS[generic[method]][2])
    for view in views:
        member = view.function.rpartition(".")[2]
        summary = workspace.functions.get(file, {}).get(view.function)
        if summary is not None:
            collect(workspace, file, summary, view.produced, view.uncertain, depth, handler=True, framework=DJANGO)
        elif member in inherited:
            action, codes = inherited[member]
            view.file = key
            view.produced += [ProducedStatus(code, route.decorator_span, f"DRF {action}") for code in codes]
    return views


def _all_bases(workspace: Workspace, file: str, name: str) -> set[str]:
    """The last names of a class's bases and of theirs, followed through the workspace by name."""
    found: set[str] = set()
    frontier = [(file, name)]
    for _level in range(4):
        following: list[tuple[str, str]] = []
        for where, class_name in frontier:
            for base in workspace.classes.get(where, {}).get(class_name, ()):
                if base in found:
                    continue
                found.add(base)
                target = workspace.target(where, base, "")
                if target is not None:
                    following.append(target)
        frontier = following
    return found
