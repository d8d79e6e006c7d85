"""The Python status libraries: ONE table, one row per library, that every feature reads.

A row says where a library lives (the import paths that denote it), what its names are (enum
members, int constants or exception/response classes), what a status name looks like in it and
which of its members are not status names, how code reaches a name (after a dot, or by item as in
``codes['teapot']``), how hover spells one, which import makes it available, which other library
it mirrors, whose version decides which names it has (:class:`Versioning`), and where its reference
documentation is. The names themselves, and what each one means, are in the data file
(``data/status-codes.json``): the version that brought a name only some versions have
(``HTTPStatus.UNPROCESSABLE_CONTENT`` since Python 3.13, starlette's renamed constants since 0.48)
is recorded there beside the name (``name_since``), with its deprecated spelling and the replacement.

The rows are in the order hover and completion present the libraries.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from http_status_ls.kb.records import Record

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing, which `explain` never needs
if TYPE_CHECKING:
    import re
    from typing import Literal

    Members = Literal["enum", "constant", "class"]
else:  # importable at run time, where only mypy would read what it allows
    Members = str
"""What a library's names are: members of an ``IntEnum``, plain int constants, or classes."""


class NewImport(Record):
    """The import that makes a library available to a module that has none of its imports."""

    module: str
    """What the statement names: ``from <module> import <member>``, or ``import <module>``."""
    member: str | None
    local: str
    """The name the statement binds in the module."""
    namespace: str
    """How code spells the library after the statement (``HTTPStatus``, ``requests.codes``)."""

    @property
    def statement(self) -> str:
        return f"from {self.module} import {self.member}" if self.member else f"import {self.module}"


Version = tuple[int, ...]
"""A release as numbers: ``(3, 13)``, ``(0, 48, 0)``."""


class Versioning(Record):
    """Whose version decides which names a library has: the interpreter's (``HTTPStatus``), or an
    installed package's (``fastapi.status`` is starlette's module, so starlette's version counts)."""

    distribution: str
    """The package as its ``.dist-info`` folder names it, or ``python`` for the interpreter."""
    label: str
    """How messages name it: ``Python``, ``starlette``."""
    assumed: Version | None
    """The version a project that does not say is taken to be on; names that came later are not
    offered to it. None: any version at all, so only the names every version has."""

    def note(self, since: Version) -> str | None:
        """How a name that came with ``since`` is marked (``Python 3.13+``); None when even the
        assumed version has it (``EARLY_HINTS`` came with Python 3.9): no reader needs telling."""
        if self.assumed is not None and since <= self.assumed:
            return None
        return f"{self.label} {show_version(since)}+"


OLDEST_PYTHON: Version = (3, 10)
"""The oldest CPython still maintained (3.9 reached its end of life in October 2025), which is also
the oldest this server runs on: a project that does not say which Python it supports may run there."""

PYTHON = Versioning(distribution="python", label="Python", assumed=OLDEST_PYTHON)
STARLETTE = Versioning(distribution="starlette", label="starlette", assumed=None)
FALCON = Versioning(distribution="falcon", label="falcon", assumed=None)


def parse_version(text: str) -> Version | None:
    """``"3.13"`` -> ``(3, 13)``; None for anything that is not dot-separated numbers."""
    parts = text.strip().split(".")
    if not parts or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def show_version(version: Version) -> str:
    return ".".join(map(str, version))


class Library(Record):
    """One Python library that names status codes."""

    name: str
    """The library's key in the data file and in every occurrence: ``http.HTTPStatus``."""
    paths: tuple[str, ...]
    """The dotted import paths that denote it, the canonical one first (``requests.codes``,
    ``requests.status_codes.codes``)."""
    members: Members
    prefix: str
    """How a name is written after the usual import: ``HTTPStatus.`` + ``NOT_FOUND``; empty where
    names are imported on their own (``NotFound``)."""
    name_pattern: str | None
    """What a status name looks like (a regular expression), so a near miss (``HTTPStatus.NOT_FUND``)
    can be told from the library's other members; None where it cannot (werkzeug's plain class
    names). :attr:`name_shape` is it compiled."""
    not_names: frozenset[str] = frozenset()
    """Members that fit the shape but are not status names (``codes.get``, ``HTTP_PORT``)."""
    item_access: bool = False
    """Whether names are also looked up by item: ``codes['teapot']``, ``HTTPStatus['OK']``. The
    namespace is then an object, so its names are always written after it, never alone."""
    mirrors: str | None = None
    """The library whose names this one repeats exactly (``http.client`` re-exports HTTPStatus's
    members as module constants; ``fastapi.status`` is starlette's module)."""
    case_twins: Literal["upper", "lower"] | None = None
    """The library also sets every name in this case (``codes.OK`` beside ``codes.ok``), except
    names that start with a slash or a backslash (requests' ``'\\o/'``)."""
    string_constants: bool = False
    """Whether its constants are status-line strings, not ints (falcon's ``HTTP_404`` is
    ``'404 Not Found'``): such a name never replaces a literal, and equals no number."""
    new_import: NewImport | None = None
    """The import that adds it; None for libraries whose names are classes or strings, which a
    literal never becomes, and for libraries a literal is not rewritten to."""
    rewrite_preference: int | None = None
    """Which library's constant a literal becomes first when a module imports several (0 first);
    None when its names are not int constants, or when a literal should not become one (litestar's
    ints repeat starlette's names, which the rewrite already offers)."""
    used_by: Literal["server", "client"] | None = None
    """The code that imports it: a server framework's ``status`` module, or an HTTP client's
    ``codes``, which reads oddly in a server's ``abort(...)``."""
    docs_url: str | None = None
    versioning: Versioning | None = None
    """Whose version the ``name_since`` of its names count in; None where no name is version-bound."""

    @property
    def name_shape(self) -> re.Pattern[str] | None:
        """:attr:`name_pattern`, compiled the first time it is asked for: `explain` never asks, and
        spares itself importing ``re``."""
        return None if self.name_pattern is None else _compiled(self.name_pattern)

    @property
    def package(self) -> str:
        """The root package a module imports to use the library: ``fastapi``, ``requests``."""
        return self.paths[0].split(".", 1)[0]

    def kind_of(self, name: str) -> Members:
        """What one of its names is. Only falcon mixes kinds: ``HTTPNotFound`` is a class beside its
        ``HTTP_404`` strings, and a rewrite of one must not become the other."""
        if self.string_constants and not name.startswith("HTTP_"):
            return "class"
        return self.members

    def twin_of(self, name: str) -> str | None:
        """The case twin the library sets for one of its names, None when it sets none."""
        if self.case_twins is None or name.startswith(("\\", "/")):
            return None
        twin = name.upper() if self.case_twins == "upper" else name.lower()
        return twin if twin != name else None

    def is_case_twin(self, name: str) -> bool:
        """Whether ``name`` is written in the case of the library's twins (``OK`` in requests.codes),
        which lists leave out: they would double every name."""
        if self.case_twins == "upper":
            return name.isupper()
        return self.case_twins == "lower" and name.islower()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    import re

    return re.compile(pattern)


_UPPER_NAME = r"[A-Z][A-Z0-9_]*"
_STATUS_MODULE_NAME = r"HTTP_\d\w*"
_CODES_NAME = r"[A-Za-z]\w*"
_FALCON_NAME = r"HTTP_(?!7\d\d$)[A-Z0-9]\w*|HTTP[A-Z][a-z]\w*"
"""falcon's ``HTTP_404`` / ``HTTP_NOT_FOUND`` strings and ``HTTPNotFound`` classes; its joke
``HTTP_7xx`` strings (``'701 Meh'``) are no statuses, so they are not near misses either."""
_HTTP_CLASS_NAME = r"HTTP[A-Z]\w*"
_HTTP_EXCEPTION_BASES = frozenset({"HTTPException", "HTTPError", "HTTPClientError", "HTTPServerError", "HTTPRedirection"})
"""The base classes of pyramid's and WebOb's exceptions, which carry no status of their own."""

LIBRARIES: tuple[Library, ...] = (
    Library(
        name="http.HTTPStatus",
        paths=("http.HTTPStatus",),
        members="enum",
        prefix="HTTPStatus.",
        name_pattern=_UPPER_NAME,
        item_access=True,
        new_import=NewImport(module="http", member="HTTPStatus", local="HTTPStatus", namespace="HTTPStatus"),
        rewrite_preference=0,
        docs_url="https://docs.python.org/3/library/http.html#http.HTTPStatus",
        versioning=PYTHON,
    ),
    Library(
        name="http.client",
        paths=("http.client",),
        members="constant",
        prefix="client.",
        name_pattern=_UPPER_NAME,
        not_names=frozenset({"HTTP_PORT", "HTTPS_PORT"}),
        mirrors="http.HTTPStatus",
        new_import=NewImport(module="http", member="client", local="client", namespace="client"),
        rewrite_preference=6,
        docs_url="https://docs.python.org/3/library/http.client.html",
        versioning=PYTHON,
    ),
    Library(
        name="starlette.status",
        paths=("starlette.status",),
        members="constant",
        prefix="status.",
        name_pattern=_STATUS_MODULE_NAME,
        new_import=NewImport(module="starlette", member="status", local="status", namespace="status"),
        rewrite_preference=2,
        used_by="server",
        versioning=STARLETTE,
    ),
    Library(
        name="fastapi.status",
        paths=("fastapi.status",),
        members="constant",
        prefix="status.",
        name_pattern=_STATUS_MODULE_NAME,
        mirrors="starlette.status",
        new_import=NewImport(module="fastapi", member="status", local="status", namespace="status"),
        rewrite_preference=1,
        used_by="server",
        versioning=STARLETTE,
    ),
    Library(
        name="rest_framework.status",
        paths=("rest_framework.status",),
        members="constant",
        prefix="status.",
        name_pattern=_STATUS_MODULE_NAME,
        new_import=NewImport(module="rest_framework", member="status", local="status", namespace="status"),
        rewrite_preference=3,
        used_by="server",
    ),
    Library(
        name="requests.codes",
        paths=("requests.codes", "requests.status_codes.codes"),
        members="constant",
        prefix="codes.",
        name_pattern=_CODES_NAME,
        not_names=frozenset(
            {"get", "items", "keys", "values", "update", "pop", "setdefault", "copy", "clear", "fromkeys", "popitem", "name"}
        ),
        item_access=True,
        case_twins="upper",
        new_import=NewImport(module="requests", member=None, local="requests", namespace="requests.codes"),
        rewrite_preference=4,
        used_by="client",
    ),
    Library(
        name="httpx.codes",
        paths=("httpx.codes", "httpx._status_codes.codes"),
        members="enum",
        prefix="codes.",
        name_pattern=_CODES_NAME,
        not_names=frozenset(
            {
                "get_reason_phrase",
                "is_informational",
                "is_success",
                "is_redirect",
                "is_client_error",
                "is_server_error",
                "is_error",
            }
        ),
        item_access=True,
        case_twins="lower",
        new_import=NewImport(module="httpx", member=None, local="httpx", namespace="httpx.codes"),
        rewrite_preference=5,
        used_by="client",
    ),
    Library(
        name="aiohttp.web",
        paths=("aiohttp.web", "aiohttp.web_exceptions"),
        members="class",
        prefix="web.",
        name_pattern=r"HTTP[A-Z]\w*",
        not_names=frozenset(
            {"HTTPException", "HTTPError", "HTTPClientError", "HTTPServerError", "HTTPRedirection", "HTTPSuccessful", "HTTPMove"}
        ),
    ),
    Library(
        name="werkzeug.exceptions",
        paths=("werkzeug.exceptions",),
        members="class",
        prefix="",
        name_pattern=None,
    ),
    Library(
        name="django.http",
        paths=("django.http", "django.http.response"),
        members="class",
        prefix="",
        name_pattern=r"HttpResponse[A-Z]\w*",
        not_names=frozenset({"HttpResponseBase"}),
    ),
    Library(
        # One row for everything ``falcon.`` reaches: the status strings of falcon.status_codes and
        # the error classes of falcon.errors / falcon.redirects, which the package re-exports.
        name="falcon",
        paths=("falcon", "falcon.status_codes", "falcon.errors", "falcon.redirects"),
        members="constant",
        prefix="falcon.",
        name_pattern=_FALCON_NAME,
        not_names=frozenset({"HTTP_METHODS", "HTTPError", "HTTPStatus", "HTTPErrorKeywordArguments"}),
        string_constants=True,
        used_by="server",
        docs_url="https://falcon.readthedocs.io/en/stable/api/status.html",
        versioning=FALCON,
    ),
    Library(
        name="pyramid.httpexceptions",
        paths=("pyramid.httpexceptions",),
        members="class",
        prefix="",
        name_pattern=_HTTP_CLASS_NAME,
        not_names=_HTTP_EXCEPTION_BASES | {"HTTPSuccessful"},
        docs_url="https://docs.pylonsproject.org/projects/pyramid/en/latest/api/httpexceptions.html",
    ),
    Library(
        # pyramid's classes began as WebOb's; the two lists now differ (418 in pyramid, 451 and 511 in WebOb).
        name="webob.exc",
        paths=("webob.exc",),
        members="class",
        prefix="exc.",
        name_pattern=_HTTP_CLASS_NAME,
        not_names=_HTTP_EXCEPTION_BASES | {"HTTPExceptionMiddleware"},
    ),
    Library(
        name="litestar.status_codes",
        paths=("litestar.status_codes",),
        members="constant",
        prefix="",
        name_pattern=_STATUS_MODULE_NAME,
        used_by="server",
        docs_url="https://docs.litestar.dev/latest/reference/status_codes.html",
    ),
    Library(
        # The package re-exports most of them (``from sanic import NotFound``).
        name="sanic.exceptions",
        paths=("sanic.exceptions", "sanic"),
        members="class",
        prefix="",
        name_pattern=None,
    ),
)

NAMES: tuple[str, ...] = tuple(library.name for library in LIBRARIES)
"""The libraries' keys, in the order hover and completion present them."""

BY_NAME: Mapping[str, Library] = MappingProxyType({library.name: library for library in LIBRARIES})

BY_PATH: Mapping[str, Library] = MappingProxyType({path: library for library in LIBRARIES for path in library.paths})
"""Every import path that denotes a library -> that library."""

CONSTANT_LIBRARIES: tuple[Library, ...] = tuple(
    sorted(
        (library for library in LIBRARIES if library.rewrite_preference is not None),
        key=lambda library: library.rewrite_preference or 0,
    )
)
"""The libraries whose names are int constants (a literal can become one and back), the preferred first."""

SERVER_PACKAGES: frozenset[str] = frozenset(
    {
        "flask",
        "django",
        "rest_framework",
        "fastapi",
        "starlette",
        "aiohttp",
        "werkzeug",
        "tornado",
        "sanic",
        "falcon",
        "bottle",
        "pyramid",
        "webob",
        "quart",
        "litestar",
        "connexion",
        "http.server",
    }
)
"""Packages whose import makes a module server code (``http.server`` counts on its own: ``http``
alone is the client's package too)."""


STATUS_ARGUMENT_POSITIONS: Mapping[str, int] = MappingProxyType(
    {
        # PyGithub: GithubException(status, data, headers) and its subclasses.
        "GithubException": 0,
        "UnknownObjectException": 0,
        "BadCredentialsException": 0,
        "RateLimitExceededException": 0,
        "BadUserAgentException": 0,
        "TwoFactorException": 0,
        # kubernetes: ApiException(status=None, reason=None, http_resp=None).
        "ApiException": 0,
        # pyramid: exception_response(status_code, **kw).
        "exception_response": 0,
        # python-gitlab: GitlabError(error_message, response_code, ...) and its subclasses.
        "GitlabError": 1,
        "GitlabHttpError": 1,
        "GitlabGetError": 1,
        "GitlabListError": 1,
        "GitlabCreateError": 1,
        "GitlabUpdateError": 1,
        "GitlabDeleteError": 1,
        "GitlabAuthenticationError": 1,
        # sanic: SanicException(message, status_code, ...).
        "SanicException": 1,
        # cherrypy: HTTPRedirect(urls, status).
        "HTTPRedirect": 1,
        # tornado's status line: ResponseStartLine(version, code, reason).
        "ResponseStartLine": 1,
    }
)
"""Classes and functions of HTTP libraries whose positional argument at this index is a status, where
their names do not say so on their own (``HTTPException(404)`` and ``Response(body, 404)`` do)."""


def docs_url(name: str) -> str | None:
    """The reference documentation of a library key's names, where it has some."""
    row = BY_NAME.get(name)
    return row.docs_url if row is not None else None
