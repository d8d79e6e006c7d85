"""Route declarations in one Python file: decorators and registration calls, routers and their
prefixes, includes, and the codes a FastAPI declaration implies.

Recognised: ``@app.get(path)``/``@router.post``/``@app.api_route(path, methods=)`` and
``add_api_route`` (FastAPI/Starlette); ``@app.route(path, methods=)``, ``@bp.get`` and
``add_url_rule`` (Flask); ``@routes.get``, ``routes.route(method, path)``, ``router.add_get`` and
``add_route(method, path, handler)`` (aiohttp). A decorator counts when its path is a string and
its owner is a router of the file or any name in a file that imports the framework.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from http_status_ls.core.occurrences import Span
from http_status_ls.detect.python.routes import (
    AIOHTTP,
    DJANGO,
    FASTAPI,
    FLASK,
    HTTP_METHODS,
    CallSite,
    DeclaredRoute,
    Include,
    ProducedStatus,
    Router,
)
from http_status_ls.detect.python.tree import Node, ParsedText

_ROUTER_MAKERS = {
    "FastAPI": FASTAPI,
    "APIRouter": FASTAPI,
    "Starlette": FASTAPI,
    "Flask": FLASK,
    "Blueprint": FLASK,
    "Application": AIOHTTP,
    "RouteTableDef": AIOHTTP,
    "DefaultRouter": DJANGO,
    "SimpleRouter": DJANGO,
    "Quart": FLASK,
    # Frameworks not read: their routes are skipped, even in a file that also imports a read one.
    "Sanic": "",
    "Litestar": "",
    "Bottle": "",
    "Robyn": "",
}
_DJANGO_METHOD_DECORATORS = {"require_GET": ("GET",), "require_POST": ("POST",), "require_safe": ("GET", "HEAD")}
_METHOD_NAMES = {method.lower(): method for method in HTTP_METHODS}
_AIOHTTP_ADDERS = {f"add_{method.lower()}": method for method in HTTP_METHODS}
_FASTAPI_SPECIAL_TYPES = frozenset({"Request", "Response", "BackgroundTasks", "WebSocket", "HTTPConnection", "SecurityScopes"})


def parameter_name(parsed: ParsedText, parameter: Node) -> str | None:
    if parameter.type == "identifier":
        return parsed.text(parameter)
    if parameter.type in ("typed_parameter",):
        first = parameter.named_children[0] if parameter.named_child_count else None
        return parsed.text(first) if first is not None and first.type == "identifier" else None
    if parameter.type in ("default_parameter", "typed_default_parameter"):
        name = parameter.child_by_field_name("name")
        return parsed.text(name) if name is not None else None
    return None


def enclosing_class(definition: Node) -> Node | None:
    parent = definition.parent
    if parent is not None and parent.type == "decorated_definition":
        parent = parent.parent
    if parent is not None and parent.type == "block" and parent.parent is not None and parent.parent.type == "class_definition":
        return parent.parent
    return None


def depends_calls(parsed: ParsedText, node: Node) -> Iterable[CallSite]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "call" and parsed.callee(current) in ("Depends", "Security"):
            arguments = current.child_by_field_name("arguments")
            target = arguments.named_children[0] if arguments is not None and arguments.named_child_count else None
            if target is not None and target.type == "identifier":
                yield CallSite(parsed.text(target), "", parsed.span(target), dependency=True)
            elif target is not None and target.type == "attribute":
                owner, attribute = target.child_by_field_name("object"), target.child_by_field_name("attribute")
                if owner is not None and attribute is not None and owner.type == "identifier":
                    yield CallSite(parsed.text(attribute), parsed.text(owner), parsed.span(target), dependency=True)
            continue
        stack.extend(current.named_children)


# --- declarations ----------------------------------------------------------------------------------
def _string(parsed: ParsedText, node: Node | None) -> str | None:
    """A plain string's content; '' for an empty string."""
    if node is None or node.type != "string":
        return None
    if all(child.type in ("string_start", "string_end") for child in node.named_children):
        return ""
    return parsed.string_content(node)


def _string_argument(parsed: ParsedText, arguments: Node, position: int, keyword: str) -> str | None:
    index = 0
    for argument in arguments.named_children:
        if argument.type == "keyword_argument":
            name = argument.child_by_field_name("name")
            if name is not None and parsed.text(name) == keyword:
                return _string(parsed, argument.child_by_field_name("value"))
            continue
        if index == position:
            return _string(parsed, argument)
        index += 1
    return None


def _keyword(parsed: ParsedText, arguments: Node, *names: str) -> Node | None:
    for argument in arguments.named_children:
        if argument.type == "keyword_argument":
            name = argument.child_by_field_name("name")
            if name is not None and parsed.text(name) in names:
                return argument.child_by_field_name("value")
    return None


def _positional(arguments: Node, position: int) -> Node | None:
    plain = [argument for argument in arguments.named_children if argument.type != "keyword_argument"]
    return plain[position] if position < len(plain) else None


def _methods(parsed: ParsedText, node: Node | None) -> tuple[str, ...] | None:
    if node is None or node.type not in ("list", "tuple", "set"):
        return None
    found = [parsed.string_content(child) for child in node.named_children]
    if any(method is None for method in found):
        return None
    return tuple(sorted({method.upper() for method in found if method}))


def _owner(parsed: ParsedText, function: Node) -> tuple[str, str] | None:
    """(owner, method) for ``owner.method`` or ``app.router.method`` (aiohttp)."""
    if function.type != "attribute":
        return None
    owner, attribute = function.child_by_field_name("object"), function.child_by_field_name("attribute")
    if owner is None or attribute is None:
        return None
    if owner.type == "attribute":
        inner, last = owner.child_by_field_name("object"), owner.child_by_field_name("attribute")
        if inner is not None and last is not None and inner.type == "identifier" and parsed.text(last) == "router":
            return parsed.text(inner), parsed.text(attribute)
        return None
    if owner.type != "identifier":
        return None
    return parsed.text(owner), parsed.text(attribute)


def read_call(
    parsed: ParsedText, call: Node, framework: str, routers: list[Router], includes: list[Include], routes: list[DeclaredRoute]
) -> None:
    callee = parsed.callee(call)
    arguments = call.child_by_field_name("arguments")
    function = call.child_by_field_name("function")
    if arguments is None or function is None:
        return
    if framework == DJANGO and callee == "path" and function.type == "identifier":
        _django_path(parsed, call, arguments, includes, routes)
        return
    if callee == "Route" and framework == FASTAPI:
        _starlette_route(parsed, call, arguments, routes)
        return
    if callee in _ROUTER_MAKERS:
        _router_made(parsed, call, arguments, callee, routers)
        return
    owned = _owner(parsed, function)
    if owned is None:
        return
    owner, method = owned
    if framework == AIOHTTP and owner == "web" and (method in _METHOD_NAMES or method == "route"):
        _aiohttp_route_def(parsed, call, arguments, method, routes)
    elif method in _INCLUDERS:
        _included(parsed, arguments, owner, method, includes)
    elif method == "register" and framework == DJANGO:
        _viewset_registered(parsed, call, arguments, owner, routes)
    elif (route := _added_route(parsed, call, arguments, owner, method)) is not None:
        routes.append(route)


def _viewset_registered(parsed: ParsedText, call: Node, arguments: Node, owner: str, routes: list[DeclaredRoute]) -> None:
    """DRF's ``router.register(prefix, ViewSet)``."""
    prefix, viewset = _string_argument(parsed, arguments, 0, "prefix"), _positional(arguments, 1)
    if prefix is not None and viewset is not None and viewset.type in ("identifier", "attribute"):
        routes.append(DeclaredRoute(DJANGO, (), prefix, owner, parsed.span(call), parsed.text(viewset), view="viewset"))


_INCLUDERS = ("include_router", "register_blueprint", "add_routes", "add_subapp", "mount")


def _router_made(parsed: ParsedText, call: Node, arguments: Node, callee: str, routers: list[Router]) -> None:
    """``router = APIRouter(prefix=...)`` and the like: a router others can include."""
    parent = call.parent
    if parent is not None and parent.type == "assignment" and (left := parent.child_by_field_name("left")) is not None:
        prefix = _string_argument(parsed, arguments, 99, "prefix") or _string_argument(parsed, arguments, 99, "url_prefix")
        routers.append(Router(parsed.text(left), _ROUTER_MAKERS[callee], prefix or "", _dependencies(parsed, arguments)))


def _included(parsed: ParsedText, arguments: Node, owner: str, method: str, includes: list[Include]) -> None:
    """``app.include_router(router, prefix=...)``, ``app.register_blueprint(...)``, aiohttp's
    ``add_subapp(prefix, app)``, Starlette's ``mount(path, app)``."""
    child_position = 1 if method in ("add_subapp", "mount") else 0
    child = _positional(arguments, child_position)
    prefix = (
        _string_argument(parsed, arguments, 0, "prefix")
        if method in ("add_subapp", "mount")
        else _string_argument(parsed, arguments, 99, "prefix") or _string_argument(parsed, arguments, 99, "url_prefix")
    )
    if child is not None and child.type in ("identifier", "attribute"):
        includes.append(Include(owner, parsed.text(child), prefix or "", _dependencies(parsed, arguments)))


def _added_route(parsed: ParsedText, call: Node, arguments: Node, owner: str, method: str) -> DeclaredRoute | None:
    """A route added by a call: FastAPI's ``add_api_route``, Flask's ``add_url_rule``, aiohttp's
    ``router.add_get(...)`` and ``add_route(method, ...)``."""
    implied: tuple[ProducedStatus, ...] = ()
    if method == "add_api_route" or method == "add_url_rule":
        path = _string_argument(parsed, arguments, 0, "path" if method == "add_api_route" else "rule")
        handler = _keyword(parsed, arguments, "endpoint", "view_func") or _positional(
            arguments, 1 if method == "add_api_route" else 2
        )
        methods = _methods(parsed, _keyword(parsed, arguments, "methods")) or ("GET",)
        kind = FASTAPI if method == "add_api_route" else FLASK
        if kind == FASTAPI:
            status = _keyword(parsed, arguments, "status_code")
            implied = _declared_status(parsed, status, arguments)
    elif method in _AIOHTTP_ADDERS or method == "add_route":
        offset = 1 if method == "add_route" else 0
        path = _string_argument(parsed, arguments, offset, "path")
        handler = _positional(arguments, offset + 1)
        if method == "add_route":
            written = _string_argument(parsed, arguments, 0, "method")
            methods = (written.upper(),) if written else ()
        else:
            methods = (_AIOHTTP_ADDERS[method],)
        kind = AIOHTTP
    else:
        return None
    if path is None or handler is None or handler.type not in ("identifier", "attribute") or not methods:
        return None
    return DeclaredRoute(kind, methods, path, owner, parsed.span(call), parsed.text(handler), implied)


def decorated_routes(parsed: ParsedText, definition: Node, framework: str, routers: dict[str, Router]) -> list[DeclaredRoute]:
    parent = definition.parent
    name_node = definition.child_by_field_name("name")
    if parent is None or parent.type != "decorated_definition" or name_node is None or enclosing_class(definition) is not None:
        return []
    found: list[DeclaredRoute] = []
    for decorator in parent.named_children:
        if decorator.type != "decorator" or not decorator.named_child_count:
            continue
        call = decorator.named_children[0]
        function = call.child_by_field_name("function") if call.type == "call" else None
        arguments = call.child_by_field_name("arguments") if call.type == "call" else None
        owned = _owner(parsed, function) if function is not None else None
        if owned is None or arguments is None:
            continue
        owner, method = owned
        kind = routers[owner].framework if owner in routers else framework
        path, methods = _path_and_methods(parsed, arguments, method, kind)
        if path is None or not methods or not kind:
            continue
        implied = _implied(parsed, definition, arguments, path) if kind == FASTAPI else ()
        dependencies = _dependencies(parsed, arguments)
        found.append(
            DeclaredRoute(kind, methods, path, owner, parsed.span(decorator), parsed.text(name_node), implied, dependencies)
        )
    return found


def _path_and_methods(parsed: ParsedText, arguments: Node, method: str, kind: str) -> tuple[str | None, tuple[str, ...] | None]:
    """The path and the HTTP methods a route decorator ``<owner>.<method>(...)`` declares; (None,
    None) when ``method`` declares no route."""
    if method in _METHOD_NAMES:
        return _string_argument(parsed, arguments, 0, "path"), (_METHOD_NAMES[method],)
    if method == "route" and kind == AIOHTTP:
        written = _string_argument(parsed, arguments, 0, "method")
        return _string_argument(parsed, arguments, 1, "path"), (written.upper(),) if written else None
    if method in ("route", "api_route"):
        path = _string_argument(parsed, arguments, 0, "rule" if method == "route" else "path")
        return path, _methods(parsed, _keyword(parsed, arguments, "methods")) or ("GET",)
    return None, None


def _implied(parsed: ParsedText, definition: Node, arguments: Node, path: str) -> tuple[ProducedStatus, ...]:
    """FastAPI's codes from the declaration: ``status_code=`` (200 by default), ``responses=`` keys,
    and 422 when a parameter is validated."""
    found = list(_declared_status(parsed, _keyword(parsed, arguments, "status_code"), arguments))
    responses = _keyword(parsed, arguments, "responses")
    if responses is not None and responses.type == "dictionary":
        for pair in responses.named_children:
            key = pair.child_by_field_name("key") if pair.type == "pair" else None
            if key is None:
                continue
            text = parsed.string_content(key) if key.type == "string" else parsed.text(key)
            code = int(text) if text is not None and text.isdigit() else _status_name_code(parsed, key)
            if code is not None:
                found.append(ProducedStatus(code, parsed.span(key), "responses= on the decorator", certain=False))
    validated = _validated_parameter(parsed, definition, path)
    if validated is not None:
        found.append(ProducedStatus(422, validated, "FastAPI validation (422)"))
    return tuple(found)


def _declared_status(parsed: ParsedText, status: Node | None, arguments: Node) -> tuple[ProducedStatus, ...]:
    """The success code a FastAPI declaration sets: ``status_code=`` or 200."""
    if status is None:
        return (ProducedStatus(200, parsed.span(arguments), "default status_code (200)"),)
    text = parsed.text(status)
    code = int(text) if status.type == "integer" and text.isdigit() else _status_name_code(parsed, status)
    return (ProducedStatus(code, parsed.span(status), "status_code= on the decorator"),) if code is not None else ()


def _status_name_code(parsed: ParsedText, node: Node) -> int | None:
    """The code a ``status.HTTP_201_CREATED``-style name spells (the number is in the name)."""
    text = parsed.text(node).rpartition(".")[2]
    digits = text.split("_")[1] if text.startswith("HTTP_") and text.count("_") >= 1 else ""
    return int(digits) if digits.isdigit() and len(digits) == 3 else None


def _validated_parameter(parsed: ParsedText, definition: Node, path: str) -> Span | None:
    """The first parameter FastAPI validates and can reject with 422, if any."""
    parameters = definition.child_by_field_name("parameters")
    if parameters is None:
        return None
    # A path segment is always a string, so a `{name}` parameter typed `str` (or not typed) always passes.
    in_path = set(re.findall(r"\{(\w+)(?::[^}]*)?\}", path))
    for parameter in parameters.named_children:
        name = parameter_name(parsed, parameter)
        if name is None or name in ("self", "cls"):
            continue
        annotation = parameter.child_by_field_name("type")
        annotation_text = parsed.text(annotation) if annotation is not None else ""
        if annotation_text.rpartition(".")[2] in _FASTAPI_SPECIAL_TYPES:
            continue
        default = parameter.child_by_field_name("value")
        if default is not None and default.type == "call" and parsed.callee(default) in ("Depends", "Security"):
            continue
        if "Depends(" in annotation_text or "Security(" in annotation_text:
            continue
        if name in in_path and annotation_text in ("", "str") and default is None:
            continue
        return parsed.span(parameter)
    return None


# --- Django and DRF --------------------------------------------------------------------------------
def _django_path(parsed: ParsedText, call: Node, arguments: Node, includes: list[Include], routes: list[DeclaredRoute]) -> None:
    """``path("items/<int:pk>/", views.item)``, ``path("x/", View.as_view())`` and
    ``path("api/", include("shop.urls"))`` / ``include(router.urls)`` in a ``urlpatterns`` list."""
    route, view = _string_argument(parsed, arguments, 0, "route"), _positional(arguments, 1)
    if route is None or view is None:
        return
    if view.type == "call":
        called = parsed.callee(view)
        inner = view.child_by_field_name("arguments")
        target = _positional(inner, 0) if inner is not None else None
        if called == "include" and target is not None:
            module = _string(parsed, target)
            if module is not None:
                includes.append(Include("urlpatterns", f"module:{module}", route))
            elif target.type in ("identifier", "attribute"):
                includes.append(Include("urlpatterns", parsed.text(target).removesuffix(".urls"), route))
        elif called == "as_view":
            function = view.child_by_field_name("function")
            owner = function.child_by_field_name("object") if function is not None else None
            if owner is not None and owner.type in ("identifier", "attribute"):
                routes.append(
                    DeclaredRoute(DJANGO, (), route, "urlpatterns", parsed.span(call), parsed.text(owner), view="class")
                )
        return
    if view.type in ("identifier", "attribute"):
        routes.append(DeclaredRoute(DJANGO, (), route, "urlpatterns", parsed.span(call), parsed.text(view)))


def view_methods(parsed: ParsedText, definition: Node) -> tuple[str, ...]:
    """The methods a Django/DRF function view's decorators allow: ``@api_view(["GET", "POST"])``
    (GET when empty), ``@require_http_methods([...])``, ``@require_POST``; () when none says."""
    parent = definition.parent
    if parent is None or parent.type != "decorated_definition":
        return ()
    for decorator in parent.named_children:
        expression = decorator.named_children[0] if decorator.type == "decorator" and decorator.named_child_count else None
        if expression is None:
            continue
        name = parsed.text(expression).rpartition(".")[2] if expression.type != "call" else parsed.callee(expression)
        if name in _DJANGO_METHOD_DECORATORS:
            return _DJANGO_METHOD_DECORATORS[name]
        arguments = expression.child_by_field_name("arguments") if expression.type == "call" else None
        if name in ("api_view", "require_http_methods") and arguments is not None:
            first = _positional(arguments, 0)
            return _methods(parsed, first) or (("GET",) if first is None else ())
    return ()


def _dependencies(parsed: ParsedText, arguments: Node) -> tuple[CallSite, ...]:
    """The ``Depends(...)`` of a ``dependencies=[...]`` argument."""
    found = _keyword(parsed, arguments, "dependencies")
    return tuple(depends_calls(parsed, found)) if found is not None else ()


# --- route objects in lists ------------------------------------------------------------------------
def _list_owner(parsed: ParsedText, call: Node, adder: str) -> str:
    """The variable of ``owner.<adder>([..., call, ...])`` around a route object, else ''."""
    current = call.parent
    for _level in range(3):
        if current is None:
            return ""
        if current.type == "call":
            function = current.child_by_field_name("function")
            owned = _owner(parsed, function) if function is not None else None
            return owned[0] if owned is not None and owned[1] == adder else ""
        current = current.parent
    return ""


def _starlette_route(parsed: ParsedText, call: Node, arguments: Node, routes: list[DeclaredRoute]) -> None:
    """``Route("/items/{id}", endpoint, methods=[...])``, under the paths of each ``Mount`` around it."""
    path, endpoint = _string_argument(parsed, arguments, 0, "path"), _keyword(parsed, arguments, "endpoint")
    endpoint = endpoint or _positional(arguments, 1)
    if path is None or endpoint is None or endpoint.type not in ("identifier", "attribute"):
        return
    prefixes: list[str] = []
    current = call.parent
    while current is not None:
        if current.type == "call" and parsed.callee(current) == "Mount":
            mount_arguments = current.child_by_field_name("arguments")
            mounted = _string_argument(parsed, mount_arguments, 0, "path") if mount_arguments is not None else None
            prefixes.append(mounted or "")
        current = current.parent
    for prefix in prefixes:
        path = prefix.rstrip("/") + "/" + path.lstrip("/")
    methods = _methods(parsed, _keyword(parsed, arguments, "methods")) or ("GET",)
    routes.append(DeclaredRoute(FASTAPI, methods, path, "", parsed.span(call), parsed.text(endpoint)))


def _aiohttp_route_def(parsed: ParsedText, call: Node, arguments: Node, method: str, routes: list[DeclaredRoute]) -> None:
    """``web.get("/carts/{id}", handler)`` / ``web.route("PATCH", path, handler)`` in ``app.add_routes([...])``."""
    offset = 1 if method == "route" else 0
    path, handler = _string_argument(parsed, arguments, offset, "path"), _positional(arguments, offset + 1)
    written = _string_argument(parsed, arguments, 0, "method") if method == "route" else _METHOD_NAMES[method]
    if path is None or handler is None or handler.type not in ("identifier", "attribute") or not written:
        return
    owner = _list_owner(parsed, call, "add_routes")
    routes.append(DeclaredRoute(AIOHTTP, (written.upper(),), path, owner, parsed.span(call), parsed.text(handler)))
