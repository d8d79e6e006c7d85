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

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Members = Literal["enum", "constant", "class"]
"""What a library's names are: members of an ``IntEnum``, plain int constants, or classes."""


@dataclass(frozen=True, slots=True, kw_only=True)
class NewImport:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Versioning:
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


def parse_version(text: str) -> Version | None:
    """``"3.13"`` -> ``(3, 13)``; None for anything that is not dot-separated numbers."""
    parts = text.strip().split(".")
    if not parts or not all(part.isdigit() for part in parts):
        return None
    return tuple(int(part) for part in parts)


def show_version(version: Version) -> str:
    return ".".join(map(str, version))


@dataclass(frozen=True, slots=True, kw_only=True)
class Library:
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
    name_shape: re.Pattern[str] | None
    """What a status name looks like, so a near miss (``HTTPStatus.NOT_FUND``) can be told from the
    library's other members; None where it cannot (werkzeug's plain class names)."""
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
    new_import: NewImport | None = None
    """The import that adds it; None for libraries whose names are classes, which a literal never
    becomes."""
    rewrite_preference: int | None = None
    """Which library's constant a literal becomes first when a module imports several (0 first);
    None when its names are not int constants."""
    used_by: Literal["server", "client"] | None = None
    """The code that imports it: a server framework's ``status`` module, or an HTTP client's
    ``codes``, which reads oddly in a server's ``abort(...)``."""
    docs_url: str | None = None
    versioning: Versioning | None = None
    """Whose version the ``name_since`` of its names count in; None where no name is version-bound."""

    @property
    def package(self) -> str:
        """The root package a module imports to use the library: ``fastapi``, ``requests``."""
        return self.paths[0].split(".", 1)[0]

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


_UPPER_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_STATUS_MODULE_NAME = re.compile(r"HTTP_\d\w*")
_CODES_NAME = re.compile(r"[A-Za-z]\w*")

LIBRARIES: tuple[Library, ...] = (
    Library(
        name="http.HTTPStatus",
        paths=("http.HTTPStatus",),
        members="enum",
        prefix="HTTPStatus.",
        name_shape=_UPPER_NAME,
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
        name_shape=_UPPER_NAME,
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
        name_shape=_STATUS_MODULE_NAME,
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
        name_shape=_STATUS_MODULE_NAME,
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
        name_shape=_STATUS_MODULE_NAME,
        new_import=NewImport(module="rest_framework", member="status", local="status", namespace="status"),
        rewrite_preference=3,
        used_by="server",
    ),
    Library(
        name="requests.codes",
        paths=("requests.codes", "requests.status_codes.codes"),
        members="constant",
        prefix="codes.",
        name_shape=_CODES_NAME,
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
        name_shape=_CODES_NAME,
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
        name_shape=re.compile(r"HTTP[A-Z]\w*"),
        not_names=frozenset(
            {"HTTPException", "HTTPError", "HTTPClientError", "HTTPServerError", "HTTPRedirection", "HTTPSuccessful", "HTTPMove"}
        ),
    ),
    Library(
        name="werkzeug.exceptions",
        paths=("werkzeug.exceptions",),
        members="class",
        prefix="",
        name_shape=None,
    ),
    Library(
        name="django.http",
        paths=("django.http", "django.http.response"),
        members="class",
        prefix="",
        name_shape=re.compile(r"HttpResponse[A-Z]\w*"),
        not_names=frozenset({"HttpResponseBase"}),
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
        "quart",
        "litestar",
        "connexion",
        "http.server",
    }
)
"""Packages whose import makes a module server code (``http.server`` counts on its own: ``http``
alone is the client's package too)."""


def docs_url(name: str) -> str | None:
    """The reference documentation of a library key's names, where it has some."""
    row = BY_NAME.get(name)
    return row.docs_url if row is not None else None
