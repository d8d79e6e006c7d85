"""The project's own status parameters: functions and classes whose parameters take a status code.

``def error_response(status_code, message)`` in one module makes ``error_response(400, "bad")`` a
status in every module of the workspace. :func:`summarise_python` reads one file's definitions into
a :class:`FileParameters`; :meth:`ProjectParameters.from_files` merges the files of a workspace; the
Python detector takes the merged table (``detect_python(..., project=...)``) when it judges calls.

STUB: interface agreed between the workspace index (lsp) and the detector; the bodies are filled in
by the detection work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class StatusParameter:
    """One callable of the project and where its status goes: a positional index (counted without
    ``self``/``cls``; ``None`` when keyword-only) and the parameter's name."""

    callable_name: str
    position: int | None
    keyword: str


@dataclass(frozen=True, slots=True)
class FileParameters:
    """What one Python file defines that takes a status; equal summaries mean no change for others."""

    parameters: tuple[StatusParameter, ...] = ()
    http_errors: tuple[str, ...] = ()  # classes of this file that subclass an HTTP exception


EMPTY_FILE = FileParameters()


@dataclass(frozen=True, slots=True)
class ProjectParameters:
    """The merged table for a workspace. Hashable, so an analysis can be cached against it."""

    by_name: tuple[tuple[str, tuple[StatusParameter, ...]], ...] = ()
    http_errors: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def from_files(cls, files: Iterable[FileParameters]) -> ProjectParameters:
        table: dict[str, set[StatusParameter]] = {}
        errors: set[str] = set()
        for summary in files:
            for parameter in summary.parameters:
                table.setdefault(parameter.callable_name, set()).add(parameter)
            errors.update(summary.http_errors)
        by_name = tuple(
            (name, tuple(sorted(found, key=lambda p: (p.position is None, p.position or 0, p.keyword))))
            for name, found in sorted(table.items())
        )
        return cls(by_name=by_name, http_errors=frozenset(errors))


NO_PROJECT = ProjectParameters()


def summarise_python(text: str) -> FileParameters:
    """The status parameters one Python text defines (STUB: returns nothing yet)."""
    del text
    return EMPTY_FILE
