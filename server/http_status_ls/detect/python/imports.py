"""Reading a Python file's imports: what each imported name refers to, and which status library it
reaches.

:func:`read_statement` reads one import statement of the tree; the detector gathers every statement
of a file into :class:`Imports` (``S`` -> ``http.HTTPStatus``, ``from starlette.status import *``),
and the code actions read the module-level ones to place a new import beside them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from http_status_ls.detect.python.tree import Node
from http_status_ls.kb import libraries, registry
from http_status_ls.kb.libraries import Library

IMPORT_STATEMENTS = frozenset({"import_statement", "import_from_statement", "future_import_statement"})


@dataclass(frozen=True, slots=True)
class ImportedName:
    """One name an import statement imports."""

    name: str
    """The dotted name as written before any ``as``: ``http.client``, ``HTTPStatus``."""
    local: str
    """The name the statement binds in the module: the alias, or the first part of a plain import."""
    denotes: str
    """The dotted path the local name stands for: ``http`` for ``import http.client``,
    ``http.HTTPStatus`` for ``from http import HTTPStatus``."""
    node: Node
    """The whole target, alias included."""
    name_node: Node


@dataclass(frozen=True, slots=True)
class ImportStatement:
    node: Node
    module: str
    """``from`` imports: the module (``http``, ``__future__``, ``.models``); plain imports: the
    first name imported."""
    plain: bool
    """``import x`` rather than ``from x import y``."""
    names: tuple[ImportedName, ...]
    wildcard: bool

    @property
    def relative(self) -> bool:
        return self.module.startswith(".")

    @property
    def absolute_module(self) -> str | None:
        """The module as an absolute path: as written, or for a relative import the one library
        module it can only mean (see :func:`resolve_relative`); None when that is unknown."""
        return resolve_relative(self.module) if self.relative else self.module

    def bindings(self) -> Iterator[tuple[str, str]]:
        """(local name, dotted path it denotes) for each name the statement binds. A relative
        import binds names only inside a library's own package (``from .web_exceptions import
        HTTPNotFound`` in aiohttp); elsewhere it reaches nothing a library can be reached through."""
        if not self.relative:
            for imported in self.names:
                yield imported.local, imported.denotes
            return
        module = self.absolute_module
        if module is not None:
            for imported in self.names:
                yield imported.local, f"{module}.{imported.name}"


_LIBRARY_OWN_MODULES = {
    "web_exceptions": "aiohttp.web_exceptions",
    "status_codes": "requests.status_codes",
    "_status_codes": "httpx._status_codes",
}
"""Modules that only a status library has, by the name its own package imports them with. Generic
names (``.exceptions``, ``.status``, ``.web``, ``.response``) are left out: in an application they
are its own modules far more often than a copy of werkzeug's or starlette's."""


def resolve_relative(module: str) -> str | None:
    """The library module a relative ``module`` stands for inside that library's package
    (``.web_exceptions`` -> aiohttp.web_exceptions); None for every other relative module."""
    rest = module.lstrip(".")
    return _LIBRARY_OWN_MODULES.get(rest)


def read_statement(node: Node, text: Callable[[Node], str]) -> ImportStatement | None:
    """The import statement at ``node`` (``text`` reads a node's source), None when it is not one."""
    if node.type == "import_statement":
        names = tuple(_plain_names(node, text))
        if not names:
            return None
        return ImportStatement(node=node, module=names[0].name, plain=True, names=names, wildcard=False)
    if node.type == "future_import_statement":
        return ImportStatement(
            node=node, module="__future__", plain=False, names=tuple(_from_names(node, "__future__", text)), wildcard=False
        )
    if node.type != "import_from_statement":
        return None
    module_node = node.child_by_field_name("module_name")
    if module_node is None:
        return None
    module = text(module_node)
    wildcard = any(child.type == "wildcard_import" for child in node.children)
    return ImportStatement(node=node, module=module, plain=False, names=tuple(_from_names(node, module, text)), wildcard=wildcard)


def _plain_names(statement: Node, text: Callable[[Node], str]) -> Iterator[ImportedName]:
    for target in statement.children_by_field_name("name"):
        if target.type == "aliased_import":
            dotted, alias = target.child_by_field_name("name"), target.child_by_field_name("alias")
            if dotted is not None and alias is not None:
                name = text(dotted)
                yield ImportedName(name=name, local=text(alias), denotes=name, node=target, name_node=dotted)
        elif target.type == "dotted_name":
            name = text(target)
            first = name.split(".", 1)[0]
            yield ImportedName(name=name, local=first, denotes=first, node=target, name_node=target)


def _from_names(statement: Node, module: str, text: Callable[[Node], str]) -> Iterator[ImportedName]:
    for target in statement.children_by_field_name("name"):
        if target.type == "aliased_import":
            dotted, alias = target.child_by_field_name("name"), target.child_by_field_name("alias")
        else:
            dotted, alias = target, target
        if dotted is None or alias is None:
            continue
        name = text(dotted)
        local = name if alias is dotted else text(alias)  # no ``as``: the name is its own local
        yield ImportedName(name=name, local=local, denotes=f"{module}.{name}", node=target, name_node=dotted)


def import_statement_nodes(source: bytes, root: Node) -> Iterator[Node]:
    """The ``import`` and ``from ... import`` statements anywhere in a tree (in functions too),
    found from the ``import`` keywords of the source rather than by walking every node."""
    position = 0
    while (position := source.find(b"import", position)) >= 0:
        token = root.descendant_for_byte_range(position, position + 6)
        position += 6
        statement = token.parent if token is not None and token.type == "import" else None
        if statement is not None and statement.type in ("import_statement", "import_from_statement"):
            yield statement


# --- what a file's imports reach -----------------------------------------------------------------


@dataclass(slots=True)
class Imports:
    """What the imports of one file bind, gathered statement by statement, then :meth:`settle` d."""

    bindings: dict[str, str] = field(default_factory=dict)
    """Local name -> what it denotes, as a dotted path (``S`` -> ``http.HTTPStatus``)."""
    star_libraries: list[str] = field(default_factory=list)
    relevant: dict[str, str] = field(default_factory=dict)
    """The bindings that can reach a library, plus the names star imports bring in."""
    star_status_path: str | None = None
    """After ``from <status module> import *``: the module path for bare ``HTTP_XXX_*`` names."""
    modules: set[str] = field(default_factory=set)
    """Every module the file imports from or imports, dotted (``smtplib``, ``http.server``): what
    tells which protocols the file speaks."""
    names: dict[str, str] = field(default_factory=dict)
    """Every local name an import binds -> what it denotes as written, relative imports included
    (``err`` -> ``.errors.error_response``): how a call reaches the project's own callables."""
    star_elsewhere: bool = False
    """Whether a star import brings in names from a module that is not a status library."""

    def add(self, statement: ImportStatement) -> None:
        if statement.plain:
            self.modules.update(imported.name for imported in statement.names)
        elif statement.absolute_module is not None:
            self.modules.add(statement.absolute_module)
        if statement.wildcard:
            library = libraries.BY_PATH.get(statement.absolute_module or "")
            if library is not None:
                self.star_libraries.append(library.name)
            else:
                self.star_elsewhere = True
            return
        self.names.update((imported.local, imported.denotes) for imported in statement.names)
        self.bindings.update(statement.bindings())

    def settle(self, known: registry.Registry) -> None:
        """Computes ``relevant`` once all import statements are read."""
        self.relevant = {local: path for local, path in self.bindings.items() if leads_to_library(path)}
        for name in self.star_libraries:
            path = libraries.BY_NAME[name].paths[0]
            for ref in known.names_of(name):
                if ref.attribute_access:
                    self.relevant.setdefault(ref.name, f"{path}.{ref.name}")
            if name.endswith(".status"):
                self.star_status_path = path


@lru_cache(maxsize=4096)
def leads_to_library(path: str) -> bool:
    """Whether a local bound to ``path`` can reach a library: it is one, is one's member, or is a
    package a library lives in (``requests`` for ``requests.codes``)."""
    if path in libraries.BY_PATH or path.rpartition(".")[0] in libraries.BY_PATH:
        return True
    prefix = path + "."
    return any(library_path.startswith(prefix) for library_path in libraries.BY_PATH)


def namespace_spellings(bindings: Mapping[str, str]) -> Iterator[tuple[str, Library]]:
    """How a file can spell each library namespace through its imports: (``HTTPStatus``,
    http.HTTPStatus) after ``from http import HTTPStatus``, (``requests.codes``, requests.codes)
    after ``import requests``."""
    for local, path in bindings.items():
        for suffix, library in _namespaces_under(path):
            yield local + suffix, library


@lru_cache(maxsize=4096)
def _namespaces_under(path: str) -> tuple[tuple[str, Library], ...]:
    """The library namespaces ``path`` is or contains, each with the dotted rest of its path
    (``""`` for ``http.HTTPStatus`` itself, ``".codes"`` under ``requests``), in table order."""
    found: list[tuple[str, Library]] = []
    for library_path, library in libraries.BY_PATH.items():
        if library_path == path:
            found.append(("", library))
        elif library_path.startswith(path + "."):
            found.append((library_path[len(path) :], library))
    return tuple(found)
