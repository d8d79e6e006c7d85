"""Calls to the project's own status parameters: ``error_response(400, "bad")`` when the project
defines ``def error_response(status_code, message)``, ``self.expect_status(resp, 201)`` when a base
test class defines that method, ``raise BadBody(422)`` for an ``HTTPException`` subclass, and
``super().__init__(599, ...)`` inside one.

A call is matched by name, and only where the name can reach the definition: a bare ``name(...)``
when this file defines ``name`` or imports it (under any alias, from any module, relative or not),
``module.name(...)`` when ``module`` is imported, ``self.name(...)``/``cls.name(...)`` and
``Class.name(...)`` for methods. A method called on any other object (``client.fetch(...)``) is not
matched: nothing says which class the object is. This file's own definitions win over the
workspace table, which may be a keystroke behind.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from http_status_ls.core.occurrences import Role
from http_status_ls.detect.python.judgment import Context
from http_status_ls.detect.python.project_params import NO_PROJECT, ProjectParameters, StatusParameter
from http_status_ls.detect.python.tree import Node, ParsedText
from http_status_ls.detect.python.vocabulary import positional_status

_SELF = frozenset({"self", "cls"})


@dataclass(slots=True)
class FileDefinitions:
    """What one file defines, as the call judge needs it (richer than its :class:`FileParameters`)."""

    rows: dict[str, list[StatusParameter]] = field(default_factory=dict)
    callables: set[str] = field(default_factory=set)
    """Functions and classes defined in the file, with status parameters or without."""
    methods: set[str] = field(default_factory=set)
    bases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Class -> the last names of its bases (``HTTPException`` for ``exceptions.HTTPException``)."""
    http_errors: set[str] = field(default_factory=set)
    inherits: list[tuple[str, str]] = field(default_factory=list)
    status_classes: dict[str, int] = field(default_factory=dict)
    """HTTP error classes whose body sets their status (``code = 409``) -> that status."""

    def add(self, row: StatusParameter) -> None:
        found = self.rows.setdefault(row.callable_name, [])
        if row not in found:
            found.append(row)


class CallTable:
    """Judges calls to the project's callables in one file."""

    def __init__(
        self,
        own: FileDefinitions,
        project: ProjectParameters = NO_PROJECT,
        bindings: Mapping[str, str] | None = None,
        star_import: bool = False,
    ):
        self.own = own
        self.project = project
        self.bindings = bindings or {}
        """Local name -> dotted path, from the file's imports (``err`` -> ``.errors.error_response``)."""
        self.star_import = star_import
        """Whether the file star-imports a module that is not a status library (maybe the project's)."""

    # --- the judgments ------------------------------------------------------------------------
    def positional(
        self, parsed: ParsedText, call: Node, index: int, collection: bool, first_is_int: bool | None = None
    ) -> Context | None:
        found = self._callee(parsed, call)
        if found is None:
            return None
        callee, rows, constructor_of = found
        if constructor_of is not None:
            return None if collection else _base_position(constructor_of, index, first_is_int, self, callee)
        return _judge(callee, [row for row in rows if row.position == index], collection, f"{callee}()")

    def keyword(self, parsed: ParsedText, call: Node, name: str, collection: bool) -> Context | None:
        found = self._callee(parsed, call)
        if found is None or found[2] is not None:
            return None
        callee, rows, _ = found
        return _judge(callee, [row for row in rows if row.keyword == name], collection, f"{name}=")

    # --- which definition a call reaches --------------------------------------------------------
    def _callee(self, parsed: ParsedText, call: Node) -> tuple[str, list[StatusParameter], tuple[str, ...] | None] | None:
        """(callee, its rows, None) for a call to a project callable; (callee, [], bases) for
        ``super().__init__(...)`` in a class with those bases; None when the call reaches nothing
        the table knows."""
        function = call.child_by_field_name("function")
        if function is None:
            return None
        if function.type == "identifier":
            name = parsed.text(function)
            return name, self._function_rows(name), None
        if function.type != "attribute":
            return None
        owner, attribute = function.child_by_field_name("object"), function.child_by_field_name("attribute")
        if owner is None or attribute is None:
            return None
        name = parsed.text(attribute)
        if name == "__init__" and owner.type == "call" and parsed.callee(owner) == "super":
            bases = _enclosing_bases(parsed, call, self.own)
            return (name, [], bases) if bases else None
        if owner.type != "identifier":
            return None
        spelled = parsed.text(owner)
        if spelled in _SELF or (spelled[:1].isupper() and not spelled.isupper()):  # ``Class.name``, not ``LOG.name``
            return name, self._method_rows(name), None
        if spelled in self.bindings and not _outside_project(self.bindings[spelled]):
            return name, self._project_rows(name, method=False), None
        return None

    def _function_rows(self, name: str) -> list[StatusParameter]:
        if name in self.own.callables:
            rows = [row for row in self.own.rows.get(name, ()) if not row.method]
            for child, base in self.own.inherits:
                if child == name and not rows:
                    rows = [_renamed(row, name) for row in self._project_rows(base, method=False)]
            return rows
        path = self.bindings.get(name)
        if path is not None:
            return [] if _outside_project(path) else self._project_rows(path.rpartition(".")[2], method=False)
        return self._project_rows(name, method=False) if self.star_import else []

    def _method_rows(self, name: str) -> list[StatusParameter]:
        if name in self.own.methods:
            return [row for row in self.own.rows.get(name, ()) if row.method]
        return self._project_rows(name, method=True)

    def _project_rows(self, name: str, *, method: bool) -> list[StatusParameter]:
        return [row for row in self.project.rows(name) if row.method == method]

    def base_rows(self, base: str) -> list[StatusParameter]:
        """The constructor rows of a class named ``base``, defined here or in the project."""
        if base in self.own.callables:
            return [row for row in self.own.rows.get(base, ()) if not row.method]
        return self._project_rows(base, method=False)


_NOT_PROJECT_ROOTS = frozenset(sys.stdlib_module_names) | frozenset(
    {"flask", "django", "rest_framework", "fastapi", "starlette", "aiohttp", "werkzeug", "tornado", "sanic", "falcon"}
    | {"bottle", "pyramid", "quart", "litestar", "requests", "httpx", "urllib3", "pytest", "unittest", "mock"}
)
"""Packages a name imported from is never the project's own: ``from flask import send_file`` does
not reach a project function called ``send_file``."""


def _outside_project(path: str) -> bool:
    return not path.startswith(".") and path.split(".", 1)[0] in _NOT_PROJECT_ROOTS


def _renamed(row: StatusParameter, name: str) -> StatusParameter:
    return StatusParameter(name, row.position, row.keyword, row.strong, row.reads)


def _judge(callee: str, rows: list[StatusParameter], collection: bool, label: str) -> Context | None:
    """One context from the rows a spot matches; a collection counts only where every row reads
    (``expect_statuses(resp, [200, 201])``): one response carries one status."""
    if not rows or (collection and not all(row.reads for row in rows)):
        return None
    reads = collection or all(row.reads for row in rows)
    return Context(label, all(row.strong for row in rows), Role.READS if reads else Role.SENDS)


def _base_position(bases: Iterable[str], index: int, first_is_int: bool | None, table: CallTable, callee: str) -> Context | None:
    """``super().__init__(599, ...)``: the ``index``-th argument is a status when it is one for a
    base's constructor (an HTTP library's exception, or a project class)."""
    for base in bases:
        if positional_status(base, index, first_is_int) is not None:
            return Context(f"{base}.{callee}()", True, Role.SENDS)
        found = _judge(base, [row for row in table.base_rows(base) if row.position == index], False, f"{base}.{callee}()")
        if found is not None:
            return found
    return None


def _enclosing_bases(parsed: ParsedText, node: Node, own: FileDefinitions) -> tuple[str, ...]:
    """The bases of the class whose method holds ``node``."""
    current = node.parent
    while current is not None and current.type != "class_definition":
        current = current.parent
    if current is None:
        return ()
    name = current.child_by_field_name("name")
    if name is not None and parsed.text(name) in own.bases:
        return own.bases[parsed.text(name)]
    return class_bases(parsed, current)


def class_bases(parsed: ParsedText, definition: Node) -> tuple[str, ...]:
    """The last names of a class definition's bases: ``(HTTPException,)`` for
    ``class Gone(exceptions.HTTPException, metaclass=M)``."""
    superclasses = definition.child_by_field_name("superclasses")
    if superclasses is None:
        return ()
    found = []
    for child in superclasses.named_children:
        if child.type == "attribute":
            child = child.child_by_field_name("attribute") or child
        if child.type == "identifier":
            found.append(parsed.text(child))
    return tuple(found)
