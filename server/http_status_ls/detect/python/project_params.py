"""The project's own status parameters: functions and classes whose parameters take a status code.

``def error_response(status_code, message)`` in one module makes ``error_response(400, "bad")`` a
status in every module of the workspace. :func:`summarise_python` reads one file's definitions into
a :class:`FileParameters` (:mod:`.summaries` does the reading); :meth:`ProjectParameters.from_files`
merges the files of a workspace; the Python detector takes the merged table
(``detect_python(..., project=...)``) and judges calls with it (:mod:`.project_calls`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StatusParameter:
    """One callable of the project and where its status goes: a positional index (counted without
    ``self``/``cls``; ``None`` when keyword-only) and the parameter's name (empty when only the
    position is known: a class that inherits an HTTP exception's constructor)."""

    callable_name: str
    position: int | None
    keyword: str
    strong: bool = False
    """Any number counts there (the name or annotation says HTTP status); otherwise only 100-999."""
    reads: bool = False
    """The callable tests the status it is given (``expected_status``, an assertion helper)."""
    method: bool = False
    """A method: reached as ``self.name(...)``/``cls.name(...)``, never as a bare ``name(...)``."""


@dataclass(frozen=True, slots=True)
class FileParameters:
    """What one Python file defines that takes a status; equal summaries mean no change for others."""

    parameters: tuple[StatusParameter, ...] = ()
    http_errors: tuple[str, ...] = ()  # classes of this file that subclass an HTTP exception
    inherits: tuple[tuple[str, str], ...] = ()
    """(class, base) for classes without a constructor of their own whose base this file does not
    define: the base's status parameters, found in another file, are the class's too."""
    status_classes: tuple[tuple[str, int], ...] = ()
    """(class, status) for HTTP error classes whose body sets the status: ``code = 409``."""


EMPTY_FILE = FileParameters()


@dataclass(frozen=True, slots=True)
class ProjectParameters:
    """The merged table for a workspace. Hashable, so an analysis can be cached against it."""

    by_name: tuple[tuple[str, tuple[StatusParameter, ...]], ...] = ()
    http_errors: frozenset[str] = field(default_factory=frozenset)
    status_classes: tuple[tuple[str, int], ...] = ()
    """(class, status) of every file's status classes; a name defined twice keeps one status."""

    @classmethod
    def from_files(cls, files: Iterable[FileParameters]) -> ProjectParameters:
        table: dict[str, set[StatusParameter]] = {}
        errors: set[str] = set()
        inherits: list[tuple[str, str]] = []
        statuses: dict[str, int] = {}
        for summary in files:
            statuses.update(summary.status_classes)
            for parameter in summary.parameters:
                table.setdefault(parameter.callable_name, set()).add(parameter)
            errors.update(summary.http_errors)
            inherits.extend(summary.inherits)
        _inherit(table, errors, inherits)
        by_name = tuple((name, _ordered(found)) for name, found in sorted(table.items()))
        return cls(by_name=by_name, http_errors=frozenset(errors), status_classes=tuple(sorted(statuses.items())))

    def rows(self, name: str) -> tuple[StatusParameter, ...]:
        """The status parameters of every callable of the project called ``name``."""
        return _index(self).get(name, ())


def _ordered(found: Iterable[StatusParameter]) -> tuple[StatusParameter, ...]:
    return tuple(sorted(found, key=lambda p: (p.position is None, p.position or 0, p.keyword, p.strong, p.reads, p.method)))


def _inherit(table: dict[str, set[StatusParameter]], errors: set[str], inherits: list[tuple[str, str]]) -> None:
    """Gives each class the constructor rows and the HTTP-error standing of its base in another
    file, following chains of classes a few levels deep (each pass resolves one more level)."""
    for _ in range(4):
        changed = False
        for name, base in inherits:
            if base in errors and name not in errors:
                errors.add(name)
                changed = True
            inherited = {
                StatusParameter(name, row.position, row.keyword, row.strong, row.reads)
                for row in table.get(base, ())
                if not row.method
            }
            if inherited - table.get(name, set()):
                table.setdefault(name, set()).update(inherited)
                changed = True
        if not changed:
            return


_INDEXES: dict[int, tuple[ProjectParameters, Mapping[str, tuple[StatusParameter, ...]]]] = {}


def _index(project: ProjectParameters) -> Mapping[str, tuple[StatusParameter, ...]]:
    """The table by name, built once per table object. Keyed by identity: hashing a table of
    thousands of rows on every lookup would cost more than the lookup."""
    known = _INDEXES.get(id(project))
    if known is not None and known[0] is project:
        return known[1]
    if len(_INDEXES) >= 8:
        _INDEXES.clear()
    index = dict(project.by_name)
    _INDEXES[id(project)] = (project, index)
    return index


NO_PROJECT = ProjectParameters()


def summarise_python(text: str) -> FileParameters:
    """The status parameters one Python text defines."""
    from http_status_ls.detect.python.summaries import summarise_text

    return summarise_text(text)
