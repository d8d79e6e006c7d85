"""HTTP routes in Python code and the status codes each handler can produce: the interface.

One file is read into a :class:`FileRoutes` (:func:`summarise_routes`): its handlers with their
decorators, the codes each body produces on its own, the calls it makes, and its routers and
``include_router``/``register_blueprint`` calls. A workspace's summaries are put together by
:func:`resolve_routes`, which applies router prefixes across files and follows calls (helpers,
``Depends(...)``) by name to a bounded depth. Everything here is plain, frozen and hashable: no LSP
types, spans in code points.

Frameworks: FastAPI/Starlette, Flask, aiohttp, and Django/DRF where the code says it statically.
What cannot be known without running the code (a status held in a variable, a call that reaches
nothing in the workspace but may raise) makes a handler incomplete, with the reason in
:attr:`RouteHandler.uncertain`; nothing is guessed.

Paths: :func:`normalise_path` turns every framework's template into one form, ``/items/{}``, so a
handler's path and an OpenAPI path (``/items/{itemId}``) compare equal. A trailing slash is dropped
for every framework (``/items/`` and ``/items`` are one operation for the cross-check: Flask and
Django redirect one to the other, FastAPI does too by default); the root stays ``/``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from http_status_ls.core.occurrences import Detection, Span

FASTAPI = "fastapi"
FLASK = "flask"
AIOHTTP = "aiohttp"
DJANGO = "django"

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")


@dataclass(frozen=True, slots=True)
class ProducedStatus:
    """One code a handler can answer with, and where.

    ``span`` is on the line that produces the code, in the handler's file: the literal or name of
    the code when it is written there (``404`` in ``abort(404)``), the call when the code is
    implied (``redirect(url)`` -> 302), or, for a code produced inside a helper or dependency, the
    call of that helper in the handler's file (``via`` then names the helper)."""

    code: int
    span: Span
    via: str
    """How, for people: ``abort()``, ``raise HTTPException``, ``return tuple``, ``status_code= on
    the decorator``, ``responses= on the decorator``, ``redirect (302)``, ``JSONResponse(status_code=)``,
    ``calls error_response()``, ``Depends(get_user)``, ``FastAPI validation (422)``, ``plain return (200)``."""
    certain: bool = True
    """False when the code is only possible: a branch of a conditional expression is still
    produced with certain=True; certain=False marks codes a framework may add (a ``responses=``
    entry the body never produces, FastAPI's 422) or a status read from a table."""


@dataclass(frozen=True, slots=True)
class RouteHandler:
    """One route: methods and path, the function that answers it, and the codes it can produce."""

    framework: str
    """:data:`FASTAPI`, :data:`FLASK`, :data:`AIOHTTP` or :data:`DJANGO`."""
    methods: tuple[str, ...]
    """Upper case, sorted: ``("GET",)``; Flask's default is GET (HEAD and OPTIONS are the framework's)."""
    path: str
    """The normalised template with every prefix applied (:func:`normalise_path`): ``/items/{}``."""
    written_path: str
    """The path as the decorator writes it, prefixes applied, parameters kept: ``/items/{item_id}``."""
    decorator_span: Span
    """The decorator (or the ``add_api_route``/``add_get``/``path(...)`` call) that declares the route."""
    function: str
    """The handler's name (``Class.method`` for a class-based view's method)."""
    produced: tuple[ProducedStatus, ...]
    """Sorted by (code, span); one entry per (code, span, via)."""
    complete: bool
    """True when every code the handler can produce is known: nothing in :attr:`uncertain`."""
    uncertain: tuple[str, ...] = ()
    """Why the codes may be more than :attr:`produced`, for people: ``calls load_item() (not
    found in the workspace)``, ``status from a variable (line 12)``."""
    file: str = ""
    """The key of the file that defines the handler function (where the spans of :attr:`produced` are),
    in the mapping given to :func:`resolve_routes`."""
    declared_in: str = ""
    """The key of the file of :attr:`decorator_span`: the same as :attr:`file` for a decorator, another
    file for ``router.add_get("/x", views.handler)`` or Django's ``urls.py``."""

    @property
    def codes(self) -> frozenset[int]:
        return frozenset(produced.code for produced in self.produced)


# --- one file's summary ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ArgumentCode:
    """A status passed to a call: ``409`` in ``error_response(409, "taken")``."""

    position: int | None
    """Positional index, None for a keyword argument."""
    keyword: str
    code: int
    span: Span


@dataclass(frozen=True, slots=True)
class ParameterStatus:
    """A function's parameter that becomes a produced code: ``code`` in
    ``def error_response(code, msg): raise HTTPException(status_code=code, ...)``."""

    name: str
    position: int | None
    """Positional index without ``self``/``cls``; None when keyword-only."""
    via: str
    returned: bool = False
    """The code is that of a response the function returns (not one it raises)."""
    default: int | None = None
    """The parameter's default when it is a code (``status=HTTPStatus.OK``): what a call that passes none gets."""


@dataclass(frozen=True, slots=True)
class CallSite:
    """A call in a function body that may produce codes elsewhere: ``error_response(...)``,
    ``items.load(...)``, or a ``Depends(get_user)`` parameter (then ``dependency`` is True)."""

    name: str
    """The called name as this file binds it: ``load`` for ``load(...)`` and ``items.load(...)``."""
    qualifier: str
    """The object before the dot (``items`` for ``items.load``), '' for a bare name."""
    span: Span
    dependency: bool = False
    returned: bool = False
    """The call is the value of a ``return``: the callee's returned responses are the caller's."""
    raised: bool = False
    """``raise NotFoundError(...)``: the callee is an exception class of the project."""
    arguments: tuple[ArgumentCode, ...] = ()
    positional_count: int = 0
    """How many positional arguments the call passes (-1 when a ``*args`` makes it unknown)."""
    keywords: tuple[str, ...] = ()
    """The keyword arguments it passes (``**kwargs`` is written ``**``)."""


@dataclass(frozen=True, slots=True)
class FunctionCodes:
    """What one function of a file produces on its own, and whom it calls."""

    name: str
    """The function's name; a class's name for an HTTP error class (its ``__init__`` or ``code =``)."""
    produced: tuple[ProducedStatus, ...] = ()
    """Codes that leave the function whatever the caller does: ``abort``, ``raise HTTPException``."""
    returned: tuple[ProducedStatus, ...] = ()
    """Codes of responses it returns: a caller's only when the caller returns the call's value."""
    calls: tuple[CallSite, ...] = ()
    uncertain: tuple[str, ...] = ()
    parameters: tuple[ParameterStatus, ...] = ()
    plain_return: Span | None = None
    """The first ``return <body>`` that is no response: 200 in Flask."""
    methods: tuple[str, ...] = ()
    """The methods its decorators allow (Django/DRF: ``@api_view(["GET", "POST"])``, ``@require_POST``)."""


@dataclass(frozen=True, slots=True)
class DeclaredRoute:
    """A route as one file declares it, before prefixes and calls are resolved."""

    framework: str
    methods: tuple[str, ...]
    written_path: str
    owner: str
    """The variable the route hangs on: ``app``, ``router``, ``bp``, ``routes``, ``urlpatterns``."""
    decorator_span: Span
    function: str
    """The handler as written: ``get_item`` (a function of this file or imported), ``views.get_item``."""
    implied: tuple[ProducedStatus, ...] = ()
    """Codes the declaration itself adds: the decorator's ``status_code=`` (or the default 200),
    ``responses=`` keys, FastAPI's 422 for validated parameters."""
    dependencies: tuple[CallSite, ...] = ()
    """``dependencies=[Depends(verify_token)]`` on the decorator."""
    view: str = ""
    """Django: ``class`` for ``View.as_view()`` (one route per method the class answers), ``viewset``
    for a DRF router's ``register`` (one per action); '' for a function."""


@dataclass(frozen=True, slots=True)
class Router:
    """``router = APIRouter(prefix="/items")``, ``bp = Blueprint("shop", __name__, url_prefix="/shop")``,
    ``app = FastAPI()``/``Flask(__name__)``/``web.Application()``/``web.RouteTableDef()``."""

    name: str
    framework: str
    prefix: str = ""
    dependencies: tuple[CallSite, ...] = ()
    """``APIRouter(dependencies=[Depends(verify_token)])``: they run before every route of the router."""


@dataclass(frozen=True, slots=True)
class Include:
    """``app.include_router(items.router, prefix="/v1")`` / ``app.register_blueprint(bp, url_prefix=...)``
    / ``app.add_routes(routes)`` / Django's ``path("api/", include("shop.urls"))``."""

    parent: str
    """The variable included into (``app``)."""
    child: str
    """The included expression as written: ``items.router``, ``bp``, ``module:shop.urls`` (Django's
    ``include("shop.urls")``)."""
    prefix: str = ""
    dependencies: tuple[CallSite, ...] = ()
    """``include_router(router, dependencies=[Depends(...)])``."""


@dataclass(frozen=True, slots=True)
class FileRoutes:
    """One file's routes, functions and routers; equal summaries mean nothing changed for others."""

    routes: tuple[DeclaredRoute, ...] = ()
    functions: tuple[FunctionCodes, ...] = ()
    """Every function of the file that produces a code or calls another (handlers included)."""
    routers: tuple[Router, ...] = ()
    includes: tuple[Include, ...] = ()
    imports: tuple[tuple[str, str], ...] = ()
    """Local name -> dotted path (``items`` -> ``.routers.items``), to follow names to other files."""
    classes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Class -> the last names of its bases, for Django views and DRF viewsets (``ModelViewSet``)."""


EMPTY_ROUTES = FileRoutes()


# --- handler-level rules ---------------------------------------------------------------------------

BODY_WITH_NO_CONTENT_STATUS = "body-with-no-content-status"
REDIRECT_WITHOUT_LOCATION = "redirect-without-location"
SUCCESS_IN_ERROR_HANDLER = "success-in-error-handler"


@dataclass(frozen=True, slots=True)
class HandlerFinding:
    """A handler-level rule's finding in one file (no spec needed)."""

    rule: str
    span: Span
    code: int
    message: str
    """One line, at most 100 characters, fix first."""


# --- the functions -----------------------------------------------------------------------------


def summarise_routes(text: str, detection: Detection | None = None) -> FileRoutes:
    """The routes, code-producing functions, routers and includes of one Python text;
    ``detection`` (of this same text) saves a second parse and detection."""
    from http_status_ls.detect.python.routes_read import read_file

    return read_file(text, detection).routes


def resolve_routes(files: Mapping[str, FileRoutes], depth: int = 3) -> tuple[RouteHandler, ...]:
    """Every handler of a workspace, prefixes applied and calls followed (at most ``depth`` calls
    deep). ``files`` is keyed by the file's path relative to the workspace (``/`` separators; a
    URI works too): the module a key stands for is read from it (``app/routers/items.py`` ->
    ``app.routers.items``), which is how ``from .routers import items`` finds its file."""
    from http_status_ls.detect.python.routes_resolve import resolve

    return resolve(files, depth)


HANDLER_RULES = (BODY_WITH_NO_CONTENT_STATUS, REDIRECT_WITHOUT_LOCATION, SUCCESS_IN_ERROR_HANDLER)


def handler_findings(text: str, detection: Detection | None = None) -> tuple[HandlerFinding, ...]:
    """The handler-level rules on one Python text: a body with 204/304, a redirect without a
    ``Location``, a 2xx returned from an ``except`` block. ``detection`` is the text's detection when
    the caller has it (its tree and names are reused); a file that imports no web framework is not read."""
    from http_status_ls.detect.python.routes_rules import find_handler_problems

    return find_handler_problems(text, detection)


_PARAMETER = re.compile(r"\{[^{}]*\}|<[^<>]*>")
_SLASHES = re.compile(r"/{2,}")


def normalise_path(template: str) -> str:
    """One form for every framework's path template: each parameter becomes ``{}``
    (``{item_id}``, ``{id:int}``, ``{rest:path}``, ``<int:id>``, ``<pk>``), runs of slashes become
    one, a leading slash is added and a trailing one dropped (the root stays ``/``)."""
    path = _PARAMETER.sub("{}", template.strip())
    path = _SLASHES.sub("/", "/" + path.lstrip("/"))
    if len(path) > 1:
        path = path.rstrip("/")
    return path or "/"


def join_paths(prefix: str, path: str) -> str:
    """``prefix`` + ``path`` with exactly one slash between (``/items`` + ``/{id}``, ``api/`` + ``items``)."""
    if not prefix:
        return path
    if not path:
        return prefix
    return prefix.rstrip("/") + "/" + path.lstrip("/")
